"""A CSV file the user picked, read into header and rows; nothing is stored and nothing is interpreted yet.

Watch and app exports arrive as UTF-8 (with or without a byte-order mark), as UTF-16 from spreadsheet
"Unicode text" saves (always with a byte-order mark), or as Windows-1252 from older Excel. The separator is
a comma, or a semicolon or tab where the comma is the decimal mark; it is sniffed from the header line.

A file that cannot be read at all is refused with ``RunFileUnreadable``. A row with the wrong number of
cells is not a file error: the preview shows it as a problem on that row.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

from workstation.errors import CalfDeskError

MAX_FILE_BYTES = 20 * 1024 * 1024  # a lifetime of daily runs in any export is a few MB
_SEPARATORS = (",", ";", "\t")


class RunFileUnreadable(CalfDeskError):
    """The picked file cannot be read as a table of runs (empty, not text, too big, no data rows)."""


@dataclass(frozen=True, slots=True)
class CsvTable:
    """Header and data rows as text. ``line_numbers[i]`` is the file line where data row ``i`` starts.

    Rows keep the cells they had: a short or long row is left as it is for the preview to report.
    Header names may repeat (Strava's export does); columns are therefore addressed by index.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    line_numbers: tuple[int, ...]
    separator: str = ","
    encoding: str = "utf-8"

    def cell(self, row: int, column: int) -> str:
        """The stripped text of one cell; '' when the row is too short to have it."""
        cells = self.rows[row]
        return cells[column].strip() if column < len(cells) else ""

    def column_label(self, column: int) -> str:
        """The column's name as the user sees it, made unique: "Distance", then "Distance (2)"."""
        return column_label(self.headers, column)

    def width_problem(self, row: int) -> str:
        """Why a row does not line up with the header, or '' when it does (extra empty cells are fine)."""
        return width_problem(self.rows[row], len(self.headers))


def column_label(headers: tuple[str, ...], column: int) -> str:
    """A column's name as the user sees it, made unique: "Distance", then "Distance (2)"; "Column 4" if blank."""
    name = headers[column] or f"Column {column + 1}"
    earlier = sum(1 for h in headers[:column] if (h or "") == headers[column] and h)
    return f"{name} ({earlier + 1})" if earlier else name


def width_problem(cells: tuple[str, ...], width: int) -> str:
    """Why a row of ``cells`` does not line up with a header ``width`` wide, or '' when it does (extra empty
    cells are fine)."""
    if len(cells) < width:
        return f"This row has {len(cells)} cells but the header has {width}: a separator is missing."
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        return f"This row has {len(cells)} cells but the header has {width}: there is an extra separator."
    return ""


def read_table(data: bytes) -> CsvTable:
    """The file's header and non-blank rows. Raises ``RunFileUnreadable`` when it cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        raise RunFileUnreadable(
            "This file is too big to be a running export (over 20 MB).", hint="Export only the activities file."
        )
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise RunFileUnreadable("This is not a text file.", hint="Choose the CSV file exported from the watch or app.")
    if not text.strip():
        raise RunFileUnreadable("This file is empty.", hint="Choose the CSV file exported from the watch or app.")
    separator = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    headers: tuple[str, ...] | None = None
    try:
        start = 1
        for cells in reader:
            if any(c.strip() for c in cells):
                if headers is None:
                    headers = tuple(c.strip() for c in cells)
                else:
                    rows.append(tuple(cells))
                    lines.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        raise RunFileUnreadable(
            f"This file cannot be read as a table near line {reader.line_num}.",
            hint="Check it opens in a spreadsheet, or export it again.",
        ) from error
    if headers is None or not rows:
        raise RunFileUnreadable(
            "This file has no runs in it, only a header.", hint="Export again with the activities included."
        )
    return CsvTable(headers, tuple(rows), tuple(lines), separator, encoding)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with: UTF-8 (with or without a byte-order mark),
    UTF-16 with its mark, else Windows-1252. Raises ``RunFileUnreadable`` for a NUL byte or bytes that
    none of them can read."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        if b"\x00" in data:
            raise RunFileUnreadable(
                "This is not a text file.", hint="Choose the CSV file exported from the watch or app."
            )
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as error:
        raise RunFileUnreadable(
            "The characters in this file cannot be read.", hint="Save it again as CSV (UTF-8) and retry."
        ) from error


def sniff_separator(text: str) -> str:
    """The separator that splits the header line most often, counting only outside quotes."""
    counts = dict.fromkeys(_SEPARATORS, 0)
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch in counts:
                counts[ch] += 1
            elif ch == "\n" and any(counts.values()):
                break
    return max(_SEPARATORS, key=lambda sep: counts[sep])  # ties keep the comma (first)
