"""Tables leaving CalfDesk as spreadsheets: CSV (RFC 4180) and XLSX, neither of which a spreadsheet can run.

A spreadsheet treats a cell that starts with ``= + - @``, a tab, a carriage return or a NUL as a formula
(or the start of one), so a name typed as ``=HYPERLINK(...)`` would run when the file is opened (CWE-1236,
OWASP ASVS 1.2.10). Every text cell therefore gets a leading ``'`` when it starts with one of those
(RELIABILITY.md H2). Numbers, dates and flags are written as themselves: they come from CalfDesk's own
fields, never from typing, so a negative change such as ``-3`` stays a number a spreadsheet can sum.

The CSV is UTF-8 with a byte order mark (Excel reads a file without one as the local code page, which
mangles "Zoë" and "Nguyễn"), comma-separated, CRLF line ends, fields quoted only when they must be.
The XLSX is written with openpyxl (imported here only when an XLSX is made: it is slow to load).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from workstation.errors import CalfDeskError

Cell = str | int | float | bool | date | datetime | None
Row = Sequence[Cell]
Table = tuple[Sequence[str], Sequence[Row]]  # (headers, rows)

# OWASP ASVS 1.2.10 / CWE-1236: a spreadsheet runs a cell that starts with one of these (RELIABILITY.md H2).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
UTF8_BOM = "\ufeff"
XLSX_CELL_MAX_CHARS = 32_767  # Excel's limit for the text of one cell
_SHEET_NAME_MAX = 31  # Excel's limit for a sheet's name
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot hold (openpyxl refuses them): control characters other than tab, LF and CR.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_REPLACEMENT = "\ufffd"


def formula_safe(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs (RELIABILITY.md H2).

    Args:
        text: the cell's text, exactly as stored.

    Returns:
        ``text`` with a leading ``'`` when it starts with ``= + - @``, a tab, a carriage return or a NUL;
        otherwise ``text`` unchanged.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(headers: Sequence[str], rows: Iterable[Row]) -> bytes:
    """One table as a CSV file: RFC 4180, UTF-8 with a byte order mark, every text cell formula-safe.

    Args:
        headers: the first row.
        rows: the cells of each row: text, numbers, flags ("yes"/"no"), dates (ISO 8601) or None (empty).

    Returns:
        The file's bytes.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([formula_safe(str(header)) for header in headers])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return (UTF8_BOM + out.getvalue()).encode("utf-8")


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, int | float):
        return _number_text(cell)
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return formula_safe(str(cell))


def _number_text(number: float) -> str:
    if isinstance(number, float) and not math.isfinite(number):
        return ""  # no spreadsheet reads "nan" as a number; an empty cell says "no value"
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def xlsx_bytes(sheets: Mapping[str, Table]) -> bytes:
    """Tables as the sheets of one XLSX workbook: text formula-safe, numbers and dates as themselves.

    Args:
        sheets: sheet name to (headers, rows), in the order the sheets should appear. Names are made
            acceptable to Excel (at most 31 characters, none of ``[]:*?/\\``) and unique.

    Returns:
        The workbook's bytes.

    Raises:
        CalfDeskError: a cell holds more text than Excel can show (32,767 characters).
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]  # slow to import; only when a workbook is made
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    # Every cell is converted (and a too-long one refused) before the workbook exists: a write-only
    # workbook abandoned half-written leaves its sheets' writers open.
    converted = [
        ([_xlsx_text(str(header)) for header in headers], [[_xlsx_cell(cell) for cell in row] for row in rows])
        for headers, rows in sheets.values()
    ]
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, (headers, rows) in zip(_sheet_names(list(sheets)), converted, strict=True):
        sheet = workbook.create_sheet(title=name)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        sheet.freeze_panes = "A2"
        sheet.append(header_cells)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(cell: Cell) -> Any:
    if cell is None or isinstance(cell, bool | date | datetime):
        return cell
    if isinstance(cell, int | float):
        return None if isinstance(cell, float) and not math.isfinite(cell) else cell
    return _xlsx_text(str(cell))


def _xlsx_text(text: str) -> str:
    if len(text) > XLSX_CELL_MAX_CHARS:
        raise CalfDeskError(
            "A cell holds more text than Excel can show (over 32,767 characters), so no workbook was made.",
            hint="Save the table as CSV instead: it keeps every character.",
        )
    # A control character cannot be stored in the file at all: it shows as a replacement mark instead.
    return _XML_ILLEGAL.sub(_REPLACEMENT, formula_safe(text))


def _sheet_names(names: Sequence[str]) -> list[str]:
    """Each name as Excel accepts it, unique (case-insensitive, as Excel compares them)."""
    taken: set[str] = set()
    result = []
    for index, name in enumerate(names, start=1):
        clean = _SHEET_NAME_FORBIDDEN.sub(" ", _XML_ILLEGAL.sub(" ", name)).strip().strip("'")[:_SHEET_NAME_MAX]
        clean = clean or f"Sheet {index}"
        candidate, number = clean, 2
        while candidate.casefold() in taken:
            suffix = f" ({number})"
            candidate = clean[: _SHEET_NAME_MAX - len(suffix)] + suffix
            number += 1
        taken.add(candidate.casefold())
        result.append(candidate)
    return result
