"""Label and value pairs two to a line where the values are short: a history's key facts in half the height.

A GP skims everything after page 1, so "Activity at onset: Steady running" and "Where: Mid calf" share a
line, read left to right and down as on a form. A row too long for half the width (a sentence, typed
notes, several lines, a long label) keeps a whole line of its own, in its place, so the order of the facts
never changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from reports.fonts import markup
from reports.styles import LetterStyles
from reports.table_block import RowKeepingTable, kept_rows

Row = tuple[str, str]
MIN_LINES_SAVED = 1
_LABEL_SHARE = 0.55  # of a half: the rest is the value's
_GAP = 8  # points between the left pair's value and the right pair's label


def paired_fields(
    rows: Sequence[Row], styles: LetterStyles, width: float, label_room: float, padding: tuple[float, float]
) -> Table | None:
    """The rows two to a line where both values are short, else None (pairing would save too little).

    Args:
        rows: the label and value pairs, in reading order.
        styles: the letter's styles (cells are ``cell_bold`` labels and ``cell`` values).
        width: the table's width in points.
        label_room: the width of a label column in points (room for the longest label, capped).
        padding: a cell's left (and right) and top (and bottom) padding in points.
    """
    side, vertical = padding
    half = width / 2
    labels = min(label_room, half * _LABEL_SHARE)
    value_room = half - labels - 2 * side - _GAP
    lines = _lines(rows, lambda row: _fits(row[0], styles.cell_bold, labels - side)
                   and _fits(row[1], styles.cell, value_room))  # fmt: skip
    if len(rows) - len(lines) < MIN_LINES_SAVED:
        return None
    data, spans = [], []
    for index, line in enumerate(lines):
        cells: list[object] = []
        for label, value in line:
            cells += [Paragraph(markup(label), styles.cell_bold), Paragraph(markup(value), styles.cell)]
        if len(line) == 1:
            cells += ["", ""]
            spans.append(("SPAN", (1, index), (3, index)))
        data.append(cells)
    table = RowKeepingTable(data, colWidths=(labels, half - labels, labels, half - labels), hAlign="LEFT")
    table.setStyle(TableStyle([
        *kept_rows(len(data)),  # never one line of facts alone at the top of a page
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), vertical),
        ("BOTTOMPADDING", (0, 0), (-1, -1), vertical),
        ("LEFTPADDING", (0, 0), (-1, -1), side),
        ("RIGHTPADDING", (0, 0), (-1, -1), side),
        ("LEFTPADDING", (0, 0), (0, -1), 0),  # labels line up with the paragraphs above and below
        ("RIGHTPADDING", (1, 0), (1, -1), side + _GAP),
        *spans,
    ]))  # fmt: skip
    return table


def _lines(rows: Sequence[Row], fits: Callable[[Row], bool]) -> list[list[Row]]:
    """Rows grouped into lines: two consecutive short rows share one, any other row has its own."""
    lines: list[list[Row]] = []
    waiting: Row | None = None
    for row in rows:
        if not fits(row):
            lines += [[waiting]] if waiting is not None else []
            lines.append([row])
            waiting = None
        elif waiting is None:
            waiting = row
        else:
            lines.append([waiting, row])
            waiting = None
    return lines + ([[waiting]] if waiting is not None else [])


def _fits(text: str, style: ParagraphStyle, room: float) -> bool:
    """``text`` fits ``room`` points on one line in ``style``."""
    if "\n" in text.strip():
        return False
    return float(stringWidth(text, style.fontName, style.fontSize)) <= room
