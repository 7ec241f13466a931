"""Spreadsheet export (RELIABILITY.md H2): every trigger character at the start of a text cell gets a "'"
prefix in CSV and XLSX alike (read back with csv and openpyxl), RFC 4180 quoting, UTF-8 with a BOM,
numbers and dates stay numbers and dates, and a sheet name or a cell Excel would refuse is handled."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from workstation.errors import CalfDeskError
from workstation.exchange.spreadsheet import FORMULA_STARTS, XLSX_CELL_MAX_CHARS, csv_bytes, formula_safe, xlsx_bytes

PAYLOADS = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "\0NUL", "=1+1")


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _xlsx_rows(data: bytes, sheet: str | None = None) -> list[list[object]]:
    book = load_workbook(io.BytesIO(data))
    worksheet = book[sheet] if sheet else book.worksheets[0]
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


def test_the_trigger_list_is_exactly_that_of_h2() -> None:
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r", "\0"}


@pytest.mark.parametrize("trigger", FORMULA_STARTS)
def test_a_cell_starting_with_any_trigger_is_prefixed_in_csv(trigger: str) -> None:
    text = f"{trigger}cmd|' /C calc'!A0"
    (header, row) = _csv_rows(csv_bytes(["Athlete"], [[text]]))
    assert header == ["Athlete"]
    assert row == ["'" + text]


@pytest.mark.parametrize("trigger", FORMULA_STARTS)
def test_a_cell_starting_with_any_trigger_is_prefixed_in_xlsx(trigger: str) -> None:
    text = f"{trigger}SUM(1,2)"
    (_, (cell,)) = _xlsx_rows(xlsx_bytes({"Squad": (["Athlete"], [[text]])}))
    assert isinstance(cell, str) and cell.startswith("'")
    # openpyxl would store a string starting with "=" as a formula: prefixed, it is stored as text.
    # XML cannot hold a NUL (it shows as a replacement mark) and reads a carriage return back as a line feed.
    assert cell == "'" + text.replace("\0", "\ufffd").replace("\r", "\n")


def test_openpyxl_reads_every_payload_back_as_text_never_a_formula() -> None:
    data = xlsx_bytes({"Squad": (["Note"], [[payload] for payload in PAYLOADS])})
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.data_type for cell in cells] == ["s"] * len(PAYLOADS)
    assert all(str(cell.value).startswith("'") for cell in cells)


def test_ordinary_text_and_a_trigger_later_in_the_cell_are_left_alone() -> None:
    assert formula_safe("Ngata, Aroha") == "Ngata, Aroha"
    assert formula_safe("a=b") == "a=b"
    assert formula_safe("") == ""
    assert _csv_rows(csv_bytes(["x"], [["O'Brien"], ["1 + 1"]]))[1:] == [["O'Brien"], ["1 + 1"]]


def test_csv_quotes_as_rfc_4180_says_and_ends_lines_with_crlf() -> None:
    data = csv_bytes(["Name", "Note"], [['Smith, "Jo"', "line one\nline two"], ["plain", None]])
    text = data.decode("utf-8-sig")
    assert text == 'Name,Note\r\n"Smith, ""Jo""","line one\nline two"\r\nplain,\r\n'
    assert _csv_rows(data)[1] == ['Smith, "Jo"', "line one\nline two"]


def test_csv_writes_numbers_flags_and_dates_as_themselves() -> None:
    rows = [[-3, 2.5, 28.0, True, False, date(2026, 11, 2), datetime(2026, 11, 2, 9, 30), float("nan"), None]]
    (_, row) = _csv_rows(csv_bytes(["a", "b", "c", "d", "e", "f", "g", "h", "i"], rows))
    # A negative number is CalfDesk's own value, never typed text: it stays a number a spreadsheet can sum.
    assert row == ["-3", "2.5", "28", "yes", "no", "2026-11-02", "2026-11-02T09:30:00", "", ""]


def test_csv_keeps_every_script_in_utf_8() -> None:
    names = ["Zoë", "Nguyễn Thị Minh", "李小龍", "محمد", "Ødegård"]
    rows = _csv_rows(csv_bytes(["Athlete"], [[name] for name in names]))
    assert [row[0] for row in rows[1:]] == names


def test_xlsx_keeps_numbers_dates_and_flags_typed() -> None:
    data = xlsx_bytes({"Squad": (["n", "x", "d", "f", "none"], [[-3, 81.3, date(2026, 11, 2), True, None]])})
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    number, decimal, day, flag, empty = next(sheet.iter_rows(min_row=2))
    assert (number.value, number.data_type) == (-3, "n")
    assert (decimal.value, decimal.data_type) == (81.3, "n")
    assert day.value == datetime(2026, 11, 2) and day.is_date
    assert flag.value is True
    assert empty.value is None


def test_xlsx_writes_each_table_as_its_own_sheet_with_a_bold_frozen_header() -> None:
    data = xlsx_bytes({"Athletes": (["A"], [["x"]]), "Counts": (["B"], [["<8"]])})
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Athletes", "Counts"]
    assert book["Athletes"]["A1"].font.bold and book["Athletes"].freeze_panes == "A2"
    assert _xlsx_rows(data, "Counts") == [["B"], ["<8"]]


def test_sheet_names_excel_would_refuse_are_made_acceptable_and_unique() -> None:
    long_name = "Senior women / masters [2026:27]? *" * 2
    data = xlsx_bytes({long_name: (["A"], []), "squad": (["A"], []), "Squad": (["A"], []), "": (["A"], [])})
    names = load_workbook(io.BytesIO(data)).sheetnames
    assert len(names) == 4 and len({name.casefold() for name in names}) == 4
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)
    assert names[1:] == ["squad", "Squad (2)", "Sheet 4"]


def test_a_cell_too_long_for_excel_is_refused_with_a_plain_message_not_cut_short() -> None:
    assert len(_xlsx_rows(xlsx_bytes({"S": (["A"], [["x" * XLSX_CELL_MAX_CHARS]])}))[1][0]) == XLSX_CELL_MAX_CHARS
    with pytest.raises(CalfDeskError, match="CSV"):
        xlsx_bytes({"S": (["A"], [["x" * (XLSX_CELL_MAX_CHARS + 1)]])})
    assert csv_bytes(["A"], [["x" * 200_000]]).decode("utf-8-sig") == f"A\r\n{'x' * 200_000}\r\n"  # CSV keeps all


def test_control_characters_inside_a_cell_never_break_the_workbook() -> None:
    data = xlsx_bytes({"S": (["A"], [["a\x01b\x1fc\td\ne"]])})
    assert _xlsx_rows(data)[1] == ["a\ufffdb\ufffdc\td\ne"]
