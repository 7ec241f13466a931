"""The content blocks of a letter section as ReportLab flowables: text, bullets, fields, findings tables,
charts, the body chart and the handout's exercise cards.

Every string goes through ``reports.fonts.markup`` (table and field cells too, as Paragraphs), so user
text prints literally (RELIABILITY.md H3). Colours and marks are fixed here, never taken from the data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from reports.body_chart import draw_body_chart
from reports.charts import draw_chart
from reports.column_widths import column_widths
from reports.drawings import draw_exercise, exercise_codes
from reports.fonts import BOLD, markup
from reports.styles import CARD_BORDER, FIELDS_BACKGROUND, FLAGGED_ROW, GRID, TABLE_HEADER, LetterStyles
from workstation.letters import document as doc

FLAG_MARK = "▲"  # flagged rows are marked in text as well as colour, for black-and-white printing
FLAG_LEGEND = f"{FLAG_MARK} marks a value past its threshold."
CELL_PADDING = 3
_CHART_HEIGHT = 62 * mm
_BODY_CHART_HEIGHT = 80 * mm


class KeptTogether(KeepTogether):  # type: ignore[misc]  # ReportLab has no type hints
    """A block that must not be split from itself (a figure with its caption, an exercise card)."""

    def __init__(self, parts: list[Flowable]) -> None:
        super().__init__(parts)
        self.parts = parts

    def led_by(self, heading: Flowable) -> KeptTogether:
        """The same block with ``heading`` kept on its page, so a heading never ends a page alone."""
        return KeptTogether([heading, *self.parts])


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
    table = Table(data, colWidths=(labels, width - labels), hAlign="LEFT", splitInRow=1)
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
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
    return [fields_table(block.rows, styles, width), Spacer(1, styles.block_space)]


def _table(block: doc.Table, styles: LetterStyles, width: float) -> list[Flowable]:
    columns = max([len(block.header), *(len(row) for row in block.rows)], default=0)
    if columns == 0:
        return []
    flagged = {index for index in block.flagged if 0 <= index < len(block.rows)}
    shown = [_marked(row) if index in flagged else row for index, row in enumerate(block.rows)]
    data = [_row(block.header, columns, styles.cell_bold)] if block.header else []
    data += [_row(row, columns, styles.cell_bold if i in flagged else styles.cell) for i, row in enumerate(shown)]
    measure = partial(bold_width, styles=styles)
    widths = column_widths([block.header, *shown], columns, width, measure, 2 * CELL_PADDING)
    table = Table(data, colWidths=widths, repeatRows=1 if block.header else 0, splitInRow=1)
    table.setStyle(TableStyle(_table_commands(block, flagged)))
    flowables: list[Flowable] = [table]
    notes = [markup(text) for text in (block.caption, FLAG_LEGEND if flagged else "") if text]
    if notes:
        flowables.append(Paragraph("<br/>".join(notes), styles.caption))
    flowables.append(Spacer(1, styles.block_space))
    return flowables


def _row(cells: Sequence[str], columns: int, style: object) -> list[Paragraph | str]:
    padded = [*cells, *([""] * (columns - len(cells)))]
    return [Paragraph(markup(cell), style) if cell else "" for cell in padded]  # an empty cell needs no parsing


def _marked(row: tuple[str, ...]) -> tuple[str, ...]:
    return (f"{FLAG_MARK} {row[0]}", *row[1:]) if row else (FLAG_MARK,)


def _table_commands(block: doc.Table, flagged: set[int]) -> list[tuple[object, ...]]:
    offset = 1 if block.header else 0
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
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


def _body_chart(block: doc.BodyChartFigure, styles: LetterStyles, width: float) -> list[Flowable]:
    drawing = draw_body_chart(block, width, _BODY_CHART_HEIGHT)
    return _figure(drawing, "", block.caption, styles)


def _figure(drawing: Flowable, title: str, caption: str, styles: LetterStyles) -> list[Flowable]:
    """A drawing with its title above and caption below, never split from them across a page."""
    parts: list[Flowable] = [Paragraph(markup(title), styles.figure_title)] if title else []
    parts.append(drawing)
    if caption:
        parts.append(Paragraph(markup(caption), styles.caption))
    return [KeptTogether(parts), Spacer(1, styles.block_space)]


def _exercise(block: doc.ExerciseCard, styles: LetterStyles, width: float) -> list[Flowable]:
    """Drawing at the left, name, instructions and dose at the right, in a box kept on one page.

    A code with no drawing (an exercise since retired from the library) prints the card without one: the
    instructions matter more than the picture.
    """
    text: list[Flowable] = [Paragraph(markup(block.name), styles.card_title)]
    if block.instructions:
        text.append(Paragraph(markup(block.instructions), styles.body))
    if block.dose:
        text.append(Paragraph(f"<b>How much:</b> {markup(block.dose)}", styles.body))
    if block.notes:
        text.append(Paragraph(f"<b>Note:</b> {markup(block.notes)}", styles.body))
    side = styles.exercise_drawing
    if block.code in exercise_codes():
        drawing_width = side + 6 * mm
        row: list[object] = [draw_exercise(block.code, side, side), text]
        widths: tuple[float, ...] = (drawing_width, width - drawing_width)
    else:
        row, widths = [text], (width,)
    # splitInRow: a card taller than a page (pages of instructions) splits instead of failing the letter;
    # KeepTogether moves any shorter card whole to the next page.
    card = Table([row], colWidths=widths, splitInRow=1)
    card.setStyle(_CARD_STYLE)
    return [KeptTogether([card]), Spacer(1, styles.block_space * 1.5)]


_CARD_STYLE = TableStyle([
    ("BOX", (0, 0), (-1, -1), 0.8, CARD_BORDER),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
    ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
])  # fmt: skip


_RENDERERS: dict[type, Callable[..., list[Flowable]]] = {
    doc.Text: _text,
    doc.Bullets: _bullets,
    doc.Fields: _fields,
    doc.Table: _table,
    doc.ChartFigure: _chart,
    doc.BodyChartFigure: _body_chart,
    doc.ExerciseCard: _exercise,
}
