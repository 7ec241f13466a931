"""The content blocks of a letter section as ReportLab flowables: text, bullets, fields, findings tables,
charts, the body chart and the handout's exercise cards.

Every string goes through ``reports.fonts.markup`` (table and field cells too, as Paragraphs), so user
text prints literally (RELIABILITY.md H3). Colours and marks are fixed here, never taken from the data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from reports.body_chart import draw_body_chart
from reports.charts import draw_chart
from reports.column_widths import column_widths
from reports.exercise_cards import exercise_card
from reports.fonts import BOLD, markup
from reports.kept_together import KeptTogether
from reports.paired_fields import paired_fields
from reports.styles import FIELDS_BACKGROUND, FLAGGED_ROW, GRID, TABLE_HEADER, LetterStyles
from reports.table_block import RowKeepingTable, TableBlock, kept_rows
from workstation.letters import document as doc

FLAG_MARK = "▲"  # flagged rows are marked in text as well as colour, for black-and-white printing
FLAG_LEGEND = f"{FLAG_MARK} marks a value past its threshold."
CELL_PADDING = 3
FIELD_PADDING = 1  # above and below a label-value row: they have no grid to keep apart
_CHART_HEIGHT = 62 * mm
_PAIRED_CHART_HEIGHT = 54 * mm  # each of two charts side by side: half the width, a little less height
_CHART_GAP = 6 * mm
_BODY_CHART_HEIGHT = 80 * mm


def blocks_flowables(blocks: Sequence[doc.Block], styles: LetterStyles, width: float) -> list[Flowable]:
    """The flowables for a section's blocks in order; two charts in a row print side by side."""
    flowables: list[Flowable] = []
    index = 0
    while index < len(blocks):
        block, following = blocks[index], blocks[index + 1] if index + 1 < len(blocks) else None
        # Side by side only in a normal letter: at the handout's large type a half-width chart is too cramped.
        if isinstance(block, doc.ChartFigure) and isinstance(following, doc.ChartFigure) and not styles.large_type:
            flowables += _chart_pair(block, following, styles, width)
            index += 2
            continue
        flowables += block_flowables(block, styles, width)
        index += 1
    return flowables


def block_flowables(block: doc.Block, styles: LetterStyles, width: float) -> list[Flowable]:
    """The flowables for one block, ``width`` points wide at most."""
    render = _RENDERERS[type(block)]
    return render(block, styles, width)


def _text(block: doc.Text, styles: LetterStyles, _width: float) -> list[Flowable]:
    style = {"normal": styles.body, "strong": styles.strong, "small": styles.small, "muted": styles.muted}
    return [Paragraph(markup(block.text), style[block.emphasis])]


def _bullets(block: doc.Bullets, styles: LetterStyles, _width: float) -> list[Flowable]:
    flowables: list[Flowable] = [Paragraph(markup(item), styles.bullet, bulletText="•") for item in block.items]
    if flowables:
        flowables.append(Spacer(1, styles.block_space / 2))
    return flowables


def label_width(labels: Sequence[str], styles: LetterStyles, most: float) -> float:
    """Room for the longest label on one line (bold, with cell padding), at most ``most`` points."""
    widest = max((bold_width(line, styles) for label in labels for line in label.splitlines()), default=0.0)
    return min(widest + 2 * CELL_PADDING + 2, most)


def bold_width(text: str, styles: LetterStyles) -> float:
    return float(stringWidth(text, BOLD, styles.cell_bold.fontSize))


def fields_table(rows: Sequence[tuple[str, str]], styles: LetterStyles, width: float, *, shaded: bool = False) -> Table:
    """Label and value pairs in two columns, labels bold: identifiers, history facts."""
    data = [[Paragraph(markup(key), styles.cell_bold), Paragraph(markup(value), styles.cell)] for key, value in rows]
    labels = label_width([key for key, _ in rows], styles, width * 0.4)
    table = RowKeepingTable(data, colWidths=(labels, width - labels), hAlign="LEFT")
    commands: list[tuple[object, ...]] = [
        *kept_rows(len(data)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), FIELD_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), FIELD_PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if shaded:
        commands += [("BACKGROUND", (0, 0), (-1, -1), FIELDS_BACKGROUND), ("BOX", (0, 0), (-1, -1), 0.5, GRID)]
    else:  # labels line up with the paragraphs above and below
        commands.append(("LEFTPADDING", (0, 0), (0, -1), 0))
    table.setStyle(TableStyle(commands))
    return table


def _fields(block: doc.Fields, styles: LetterStyles, width: float) -> list[Flowable]:
    if not block.rows:
        return []
    labels = label_width([key for key, _ in block.rows], styles, width * 0.4)
    padding = (CELL_PADDING, FIELD_PADDING)
    table = None if styles.large_type else paired_fields(block.rows, styles, width, labels, padding)
    return [TableBlock(table or fields_table(block.rows, styles, width)), Spacer(1, styles.block_space)]


def _table(block: doc.Table, styles: LetterStyles, width: float) -> list[Flowable]:
    columns = max([len(block.header), *(len(row) for row in block.rows)], default=0)
    if columns == 0:
        return []
    flagged = {index for index in block.flagged if 0 <= index < len(block.rows)}
    shown = [_marked(row) if index in flagged else row for index, row in enumerate(block.rows)]
    cell, bold = (styles.compact_cell, styles.compact_cell_bold) if block.compact else (styles.cell, styles.cell_bold)
    data = [_row(block.header, columns, bold)] if block.header else []
    data += [_row(row, columns, bold if i in flagged else cell) for i, row in enumerate(shown)]
    bold_cells = {*block.header, *(text for index, row in enumerate(shown) if index in flagged for text in row)}
    widths = column_widths([block.header, *shown], columns, width, _measure(bold_cells, cell, bold), 2 * CELL_PADDING)
    header_rows = 1 if block.header else 0
    table = RowKeepingTable(data, colWidths=widths, repeatRows=header_rows)
    table.setStyle(TableStyle([*kept_rows(len(data), header_rows), *_table_commands(block, flagged)]))
    notes = [markup(text) for text in (block.caption, FLAG_LEGEND if flagged else "") if text]
    footnote = Paragraph("<br/>".join(notes), styles.caption) if notes else None
    return [TableBlock(table, note=footnote), Spacer(1, styles.block_space)]  # the footnote stays with the rows


def _measure(bold_cells: set[str], cell: ParagraphStyle, bold: ParagraphStyle) -> Callable[[str], float]:
    """The printed width of a cell's text: bold for the header and flagged rows, regular for the rest."""

    def measure(text: str) -> float:
        style = bold if text in bold_cells else cell
        return float(stringWidth(text, style.fontName, style.fontSize))

    return measure


def _row(cells: Sequence[str], columns: int, style: object) -> list[Paragraph | str]:
    padded = [*cells, *([""] * (columns - len(cells)))]
    return [Paragraph(markup(cell), style) if cell else "" for cell in padded]  # an empty cell needs no parsing


def _marked(row: tuple[str, ...]) -> tuple[str, ...]:
    return (f"{FLAG_MARK} {row[0]}", *row[1:]) if row else (FLAG_MARK,)


def _table_commands(block: doc.Table, flagged: set[int]) -> list[tuple[object, ...]]:
    offset = 1 if block.header else 0
    top, bottom = (0.6, 1.4) if block.compact else (1.2, 1.8)
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if block.header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), TABLE_HEADER))
    commands += [("BACKGROUND", (0, index + offset), (-1, index + offset), FLAGGED_ROW) for index in sorted(flagged)]
    return commands


def _chart(block: doc.ChartFigure, styles: LetterStyles, width: float) -> list[Flowable]:
    large = styles.large_type
    drawing = draw_chart(block, width, _CHART_HEIGHT * (1.15 if large else 1), large_type=large)
    return _figure(drawing, block.chart.title, block.caption, styles)


def _chart_pair(
    first: doc.ChartFigure, second: doc.ChartFigure, styles: LetterStyles, width: float
) -> list[Flowable]:
    """Two charts in one row, each half the width with its title and caption, kept on one page."""
    half = (width - _CHART_GAP) / 2
    cells = [
        _figure_parts(draw_chart(figure, half, _PAIRED_CHART_HEIGHT), figure.chart.title, figure.caption, styles)
        for figure in (first, second)
    ]
    row = Table([[cells[0], "", cells[1]]], colWidths=(half, _CHART_GAP, half))
    row.setStyle(_NO_PADDING_TOP_ALIGNED)
    return [KeptTogether([row]), Spacer(1, styles.block_space)]


def _body_chart(block: doc.BodyChartFigure, styles: LetterStyles, width: float) -> list[Flowable]:
    drawing = draw_body_chart(block, width, _BODY_CHART_HEIGHT)
    return _figure(drawing, "", block.caption, styles)


def _figure(drawing: Flowable, title: str, caption: str, styles: LetterStyles) -> list[Flowable]:
    """A drawing with its title above and caption below, never split from them across a page."""
    return [KeptTogether(_figure_parts(drawing, title, caption, styles)), Spacer(1, styles.block_space)]


def _figure_parts(drawing: Flowable, title: str, caption: str, styles: LetterStyles) -> list[Flowable]:
    parts: list[Flowable] = [Paragraph(markup(title), styles.figure_title)] if title else []
    parts.append(drawing)
    if caption:
        parts.append(Paragraph(markup(caption), styles.caption))
    return parts


_NO_PADDING_TOP_ALIGNED = TableStyle([
    *((side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
])  # fmt: skip

_RENDERERS: dict[type, Callable[..., list[Flowable]]] = {
    doc.Text: _text,
    doc.Bullets: _bullets,
    doc.Fields: _fields,
    doc.Table: _table,
    doc.ChartFigure: _chart,
    doc.BodyChartFigure: _body_chart,
    doc.ExerciseCard: exercise_card,
}
