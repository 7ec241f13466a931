"""Tables that break across pages the way a reader expects: never a lone row, heading or footnote.

A table may split between pages, but each part keeps at least ``MIN_ROWS`` rows (the header goes with the
first ones and repeats), so a small table moves whole; its footnote (the caption and "▲ marks ...") stays
under its last rows; and the section heading above it stays with its first rows. ReportLab's own ``NOSPLIT``
command keeps the rows together; ``TableBlock`` holds the heading, the table and the footnote as one
flowable that splits only inside the table. A table too tall for any page whatever its rows (pages of typed
text in one cell) still splits, even inside a row, rather than fail the letter.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, Table

from reports.letter_pages import FRAME_HEIGHT

MIN_ROWS = 2  # body rows a split table keeps on each page
_FRESH_PAGE = FRAME_HEIGHT - 1  # points: a split asked for at least this much room is at the top of a page


def kept_rows(rows: int, header_rows: int = 0) -> list[tuple[object, ...]]:
    """``NOSPLIT`` commands for a table of ``rows`` rows (header included): no break among the header and
    the first ``MIN_ROWS`` body rows, nor among the last ``MIN_ROWS``."""
    if rows <= 1:
        return []
    commands: list[tuple[object, ...]] = [("NOSPLIT", (0, 0), (-1, min(rows, header_rows + MIN_ROWS) - 1))]
    if rows - header_rows > MIN_ROWS:
        commands.append(("NOSPLIT", (0, -MIN_ROWS), (-1, -1)))
    return commands


class RowKeepingTable(Table):  # type: ignore[misc]  # ReportLab has no type hints
    """A ``Table`` whose ``NOSPLIT`` rows give way only when it could not fit any page otherwise."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803  # ReportLab's names
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if parts or availHeight < _FRESH_PAGE:
            return parts  # split as asked, or moved whole to the next page
        state = self.__dict__  # ReportLab's own attributes (untyped)
        if not state.get("_nosplitCmds") and state.get("splitInRow"):
            return parts  # nothing left to give way
        state.update(_nosplitCmds=[], splitInRow=1)  # a whole page is not enough: split anywhere, never fail
        return list(super().split(availWidth, availHeight))


class TableBlock(Flowable):  # type: ignore[misc]
    """A table with the heading above it (``lead``) and its footnote under it (``note``), kept with its rows."""

    def __init__(self, table: Table, *, lead: Flowable | None = None, note: Flowable | None = None) -> None:
        super().__init__()
        self.table, self.lead, self.note = table, lead, note
        self._lead_height = self._note_height = self._table_width = self._table_height = 0.0

    def led_by(self, heading: Flowable) -> TableBlock:
        """The same block with ``heading`` above it, so a heading never ends a page alone."""
        return TableBlock(self.table, lead=heading, note=self.note)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._lead_height = _height(self.lead, availWidth, availHeight, self.lead.getSpaceAfter() if self.lead else 0)
        self._note_height = _height(self.note, availWidth, availHeight, self.note.getSpaceBefore() if self.note else 0)
        self._table_width, self._table_height = self.table.wrap(availWidth, availHeight)
        self.width, self.height = availWidth, self._lead_height + self._table_height + self._note_height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        room = availHeight - self._lead_height
        parts = self.table.split(availWidth, room)
        if len(parts) == 1:  # the rows fit, the footnote does not: the last rows go over with it
            parts = self.table.split(availWidth, room - self._note_height)
        if len(parts) == 2:
            return [TableBlock(parts[0], lead=self.lead), TableBlock(parts[1], note=self.note)]
        if availHeight < _FRESH_PAGE:
            return []  # the whole block goes to the next page
        return [part for part in (self.lead, self.table, self.note) if part is not None]  # taller than a page

    def getSpaceBefore(self) -> float:  # ReportLab's names
        return float((self.lead or self.table).getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float((self.note or self.table).getSpaceAfter())

    def draw(self) -> None:
        top = self.height
        if self.lead is not None:
            _, lead_height = self.lead.wrap(self.width, top)
            self.lead.drawOn(self.canv, 0, top - lead_height)
        table_bottom = top - self._lead_height - self._table_height
        self.table.drawOn(self.canv, 0, table_bottom, _sW=self.width - self._table_width)  # its own alignment
        if self.note is not None:
            self.note.drawOn(self.canv, 0, 0)


def _height(part: Flowable | None, width: float, height: float, space: Any) -> float:
    """``part``'s height with the space between it and the table (0 for no part)."""
    if part is None:
        return 0.0
    return float(part.wrap(width, height)[1]) + float(space)
