"""A club's athlete file (CSV or XLSX) read into header and rows of text; nothing is stored or interpreted.

CSV files are decoded and split as the running-log import does (``workstation.running.csv_table``):
UTF-8 with or without a byte-order mark, UTF-16 with its mark, else Windows-1252; comma, semicolon or
tab. Quoting is read strictly: a quote that never closes would swallow the rest of the file into one
cell, so the file is refused naming the line where it opened. Python's csv module refuses a field over
131,072 characters; the limit is raised while reading, and an over-long cell becomes a problem on its
row (``athlete_checks``), not a refusal of the whole file (RELIABILITY.md H1).

Workbooks are read with pandas and openpyxl, never calculating anything: a formula is read as the text
of the formula, and merged cells are split, each cell taking the merged value. The first sheet with
anything in it is read unless the user picks another.

The header is the first of the top rows that names at least two of the athlete fields (a title row
above it is left out, with a note), else one that names one, else the first non-blank row. Blank rows
are skipped; ``line_numbers`` keeps each data row's own line (CSV) or row number (XLSX) for the user.
"""

from __future__ import annotations

import csv
import io
import threading
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from workstation.errors import CalfDeskError
from workstation.exchange.athlete_mapping import header_score, repeated_header_notes
from workstation.exchange.athlete_records import AthleteTable
from workstation.running.csv_table import RunFileUnreadable, decode_text, sniff_separator

MAX_FILE_BYTES = 50 * 1024 * 1024  # RELIABILITY.md H1: a club's list is a few hundred kB; refuse before reading
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024  # a workbook that inflates beyond this is a zip bomb, not a squad list
HEADER_SEARCH_ROWS = 10  # a title or a note above the header is common; ten rows is plenty
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx saved with a password
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_MAX_MERGE_NOTES = 5
_HINT = "Save the list again from the spreadsheet as CSV (UTF-8) or as an Excel workbook (.xlsx), and retry."
_CHOOSE = "Choose the file that lists the athletes."
_FIELD_LIMIT_LOCK = threading.Lock()


class AthleteFileUnreadable(CalfDeskError):
    """The picked file cannot be read as a table of athletes (empty, damaged, too big, not a table)."""


def read_athlete_file(data: bytes, file_name: str, sheet: str | None = None) -> AthleteTable:
    """The file's header and non-blank rows, as text.

    Args:
        data: the file's bytes.
        file_name: its name, which tells a workbook from CSV when the content does not.
        sheet: the worksheet to read from a workbook; None for the first with anything in it.

    Raises:
        AthleteFileUnreadable: the file is empty, too big, damaged, not a table, has no athletes under
            its header, or has no sheet called ``sheet``. The message says what to do.
    """
    if len(data) > MAX_FILE_BYTES:
        raise AthleteFileUnreadable("This file is too big to be a list of athletes (over 50 MB).", hint=_HINT)
    if not data.strip():
        raise AthleteFileUnreadable("This file is empty.", hint=_CHOOSE)
    if data.startswith(_OLE_MAGIC):
        raise AthleteFileUnreadable(
            "This is an old Excel file (.xls) or a workbook with a password, which cannot be read.", hint=_HINT
        )
    if data.startswith(_ZIP_MAGIC):
        return _read_workbook(data, sheet)
    if file_name.lower().endswith(_WORKBOOK_SUFFIXES):
        raise AthleteFileUnreadable("This file is named as an Excel workbook but is not one: it may be damaged.")
    return _read_csv(data)


def _read_csv(data: bytes) -> AthleteTable:
    try:
        text, encoding = decode_text(data)
    except RunFileUnreadable as error:
        raise AthleteFileUnreadable(error.message, hint=_HINT) from None
    if "\x00" in text:  # UTF-16 decodes a NUL as text; it is never part of a list of names
        raise AthleteFileUnreadable("This file holds a NUL character: it is not a plain text file.", hint=_HINT)
    if not text.strip():
        raise AthleteFileUnreadable("This file is empty.", hint=_CHOOSE)
    separator = sniff_separator(text)
    grid, lines = _csv_rows(text, separator)
    return _table(grid, lines, source_format="csv", encoding=encoding, separator=separator)


def _csv_rows(text: str, separator: str) -> tuple[list[tuple[str, ...]], list[int]]:
    """Every record and the line it starts on. Strict quoting, so an unclosed quote is found, not swallowed."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    grid: list[tuple[str, ...]] = []
    lines: list[int] = []
    start = 1
    with _long_fields_allowed():
        try:
            for cells in reader:
                grid.append(tuple(cells))
                lines.append(start)
                start = reader.line_num + 1
        except csv.Error:
            where = f"line {start}" if reader.line_num <= start else f"lines {start} to {reader.line_num}"
            raise AthleteFileUnreadable(
                f'The quotes (") on {where} do not pair up, so the rows after them cannot be told apart.',
                hint="Open the file in a text editor to check that line, or save it again from the spreadsheet.",
            ) from None
    return grid, lines


@contextmanager
def _long_fields_allowed() -> Iterator[None]:
    """Python's csv module refuses a field over 131,072 characters with an error; read it instead, so that
    the row it is on is reported. The limit is global to the process, hence the lock and the restore."""
    with _FIELD_LIMIT_LOCK:
        previous = csv.field_size_limit(MAX_FILE_BYTES)
        try:
            yield
        finally:
            csv.field_size_limit(previous)


def _read_workbook(data: bytes, sheet: str | None) -> AthleteTable:
    _refuse_zip_bomb(data)
    try:
        return _workbook_table(data, sheet)
    except CalfDeskError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file; all mean the same to the user
        raise AthleteFileUnreadable("This workbook is damaged or is not an Excel workbook.", hint=_HINT) from None


def _refuse_zip_bomb(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise AthleteFileUnreadable("This workbook is damaged or is not an Excel workbook.", hint=_HINT) from None
    if inflated > MAX_UNZIPPED_BYTES:
        raise AthleteFileUnreadable("This workbook is too big to be a list of athletes.", hint=_HINT)


def _workbook_table(data: bytes, sheet: str | None) -> AthleteTable:
    import pandas as pd

    # read_only=False: only a fully loaded sheet knows its merged cells. data_only=False: a formula is
    # read as its text; the cached result Excel saved beside it is never used and nothing is calculated.
    with pd.ExcelFile(
        io.BytesIO(data), engine="openpyxl", engine_kwargs={"read_only": False, "data_only": False}
    ) as workbook:
        names = tuple(str(name) for name in workbook.sheet_names)
        chosen = _chosen_sheet(workbook, names, sheet)
        worksheet = workbook.book[chosen]
        frame = pd.read_excel(
            workbook, sheet_name=chosen, header=None, dtype=str, keep_default_na=False, na_filter=False
        )
        grid = [_row_text(worksheet, row_index, row) for row_index, row in enumerate(frame.itertuples(index=False))]
        notes = _split_merged_cells(worksheet, grid)
    formulas = sum(1 for row in grid for cell in row if cell.startswith("="))
    if formulas:
        notes.append(f"{formulas} cells hold formulas: each is read as the formula's text, never calculated.")
    lines = list(range(1, len(grid) + 1))  # the frame's rows are the sheet's rows from row 1
    return _table(grid, lines, source_format="xlsx", sheet=chosen, sheets=names, notes=notes)


def _chosen_sheet(workbook: Any, names: tuple[str, ...], sheet: str | None) -> str:
    if sheet is not None:
        if sheet not in names:
            raise AthleteFileUnreadable(
                f"This workbook has no sheet called '{sheet[:60]}'.", hint="Choose one of its sheets."
            )
        return sheet
    filled = [name for name in names if _has_content(workbook.book[name])]
    if not filled:
        raise AthleteFileUnreadable("Every sheet of this workbook is empty.", hint=_CHOOSE)
    # A cover or notes sheet often comes first: prefer the first sheet whose top rows name the columns.
    return next((name for name in filled if _has_header(workbook.book[name])), filled[0])


def _has_content(worksheet: Any) -> bool:
    return any(value not in (None, "") for row in worksheet.iter_rows(values_only=True) for value in row)


def _has_header(worksheet: Any) -> bool:
    rows = worksheet.iter_rows(max_row=HEADER_SEARCH_ROWS * 2, values_only=True)
    return any(header_score([str(value) for value in row if value is not None]) >= 2 for row in rows)


def _row_text(worksheet: Any, row_index: int, row: Sequence[object]) -> tuple[str, ...]:
    """A sheet row's cells as text. An error cell (#REF!) arrives from pandas as NaN: keep the text it shows."""
    cells = []
    for column, value in enumerate(row):
        if isinstance(value, str):
            cells.append(value)
        else:
            shown = worksheet.cell(row=row_index + 1, column=column + 1).value
            cells.append("" if shown is None else str(shown))
    return tuple(cells)


def _split_merged_cells(worksheet: Any, grid: list[tuple[str, ...]]) -> list[str]:
    """Give every cell of a merged range the value of its top-left cell, as the sheet shows it."""
    ranges = sorted(worksheet.merged_cells.ranges, key=lambda merged: (merged.min_row, merged.min_col))
    for merged in ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        for row in range(top, min(merged.max_row, len(grid))):
            cells = list(grid[row])
            for column in range(left, min(merged.max_col, len(cells))):
                cells[column] = value
            grid[row] = tuple(cells)
    if not ranges:
        return []
    shown = ", ".join(str(merged.coord) for merged in ranges[:_MAX_MERGE_NOTES])
    more = f" and {len(ranges) - _MAX_MERGE_NOTES} more" if len(ranges) > _MAX_MERGE_NOTES else ""
    return [f"Merged cells ({shown}{more}) were split: each cell took the merged value."]


def _table(
    grid: list[tuple[str, ...]], lines: list[int], *, source_format: str, notes: Sequence[str] = (), **meta: Any
) -> AthleteTable:
    """Find the header among the first rows and keep the non-blank rows under it."""
    filled = [index for index, cells in enumerate(grid) if any(cell.strip() for cell in cells)]
    if not filled:
        raise AthleteFileUnreadable("This file is empty.", hint=_CHOOSE)
    header_at = _header_row(grid, filled[:HEADER_SEARCH_ROWS])
    headers = _trimmed(tuple(cell.strip() for cell in grid[header_at]))
    data_rows = [index for index in filled if index > header_at]
    if not data_rows:
        raise AthleteFileUnreadable("This file has a header row but no athletes under it.", hint=_CHOOSE)
    all_notes = list(notes)
    if header_at != filled[0]:
        all_notes.insert(0, f"The rows above line {lines[header_at]} were left out: the column names are there.")
    all_notes += repeated_header_notes(headers)
    return AthleteTable(
        headers=headers,
        rows=tuple(grid[index] for index in data_rows),
        line_numbers=tuple(lines[index] for index in data_rows),
        source_format=source_format,
        notes=tuple(all_notes),
        **meta,
    )


def _header_row(grid: list[tuple[str, ...]], candidates: list[int]) -> int:
    """The first row naming two fields or more, else the first naming one, else the first row."""
    scores = {index: header_score(grid[index]) for index in candidates}
    enough = min(max(scores.values()), 2)
    return next(index for index in candidates if scores[index] >= enough)


def _trimmed(headers: tuple[str, ...]) -> tuple[str, ...]:
    """The header without blank cells at its end (a trailing separator, an empty spreadsheet column)."""
    end = len(headers)
    while end > 1 and not headers[end - 1]:
        end -= 1
    return headers[:end]
