"""``read_athlete_file``: encodings, separators, line numbers, workbooks, and the files it refuses."""

from __future__ import annotations

import codecs
import io
from datetime import date

import openpyxl
import pytest

from tests.workstation.exchange.helpers import HEADER, athlete, csv_file
from workstation.exchange.athlete_table import MAX_FILE_BYTES, AthleteFileUnreadable, read_athlete_file

ZOE = athlete()


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [("utf-8", b"", "utf-8"), ("utf-8", codecs.BOM_UTF8, "utf-8-sig"), ("utf-16", b"", "utf-16"),
     ("cp1252", b"", "cp1252")],
)  # fmt: skip
def test_each_encoding_reads_the_same_names(encoding: str, prefix: bytes, expected: str) -> None:
    table = read_athlete_file(prefix + csv_file([ZOE, athlete("Siobhán", "O'Brien")], encoding=encoding), "a.csv")
    assert table.encoding == expected
    assert table.headers == HEADER
    assert [row[:2] for row in table.rows] == [("Zoë", "Clarke"), ("Siobhán", "O'Brien")]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_either_way_round_with_its_mark(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    text = "\t".join(HEADER) + "\r\n" + "\t".join(athlete("Thị Minh", "Nguyễn")) + "\r\n"
    table = read_athlete_file(bom + text.encode(codec), "athletes.txt")
    assert (table.encoding, table.separator) == ("utf-16", "\t")
    assert table.rows[0][:2] == ("Thị Minh", "Nguyễn")


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_the_separator_is_found(separator: str) -> None:
    table = read_athlete_file(csv_file([athlete("Ann, Jr", "Lee")], separator=separator), "a.csv")
    assert table.separator == separator
    assert table.source_format == "csv" and table.sheet == "" and table.sheets == ()
    assert table.rows[0][0] == "Ann, Jr"


def test_line_numbers_skip_blank_lines_and_count_line_breaks_inside_quotes() -> None:
    data = (
        b'First name,Surname,DOB,Note\r\n\r\nZoe,Clarke,03/04/2001,"two\r\nlines"\r\n,,,\r\nTom,Hall,01/01/2000,x\r\n'
    )
    table = read_athlete_file(data, "a.csv")
    assert table.line_numbers == (3, 6)
    assert table.rows[0][3] == "two\r\nlines"


def test_a_title_above_the_header_is_left_out_with_a_note() -> None:
    data = b"Harriers senior squad 2026\r\n\r\nFirst name,Surname,DOB\r\nZoe,Clarke,03/04/2001\r\n"
    table = read_athlete_file(data, "a.csv")
    assert table.headers == ("First name", "Surname", "DOB")
    assert table.line_numbers == (4,)
    assert any("above line 3" in note for note in table.notes)


def test_ragged_rows_are_kept_for_the_rows_to_report() -> None:
    data = csv_file([ZOE[:3], [*ZOE, "extra"], [*ZOE, "", ""]])
    table = read_athlete_file(data, "a.csv")
    assert [len(row) for row in table.rows] == [3, 10, 11]


def test_a_field_over_pythons_csv_limit_is_read_not_refused() -> None:
    long_note = "x" * 200_000  # past csv.field_size_limit()'s default of 131,072
    table = read_athlete_file(csv_file([[*ZOE[:3], long_note]], header=(*HEADER[:3], "Notes")), "a.csv")
    assert len(table.rows[0][3]) == 200_000
    import csv

    assert csv.field_size_limit() == 131_072  # the process-wide limit is put back


def test_repeated_headers_get_a_mapping_note() -> None:
    table = read_athlete_file(b"First name,Surname,DOB,Email,email\r\nZoe,Clarke,03/04/2001,a@b.org,c@d.org\r\n", "a")
    assert table.headers[3:] == ("Email", "email")
    assert any("Columns 4, 5" in note and "the first is used" in note for note in table.notes)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        (codecs.BOM_UTF8, "empty"),
        (b"First name,Surname,DOB\r\n", "no athletes"),
        (b"First name,Surname\r\nZo\x00e,Clarke\r\n", "not a text file"),
        (codecs.BOM_UTF16_LE + "Name\r\nZo\x00e\r\n".encode("utf-16-le"), "NUL"),
        (b"First name,Surname\r\nZoe,\x81\x8d\x8f\r\n", "cannot be read"),  # undefined in cp1252
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04 not really a zip", "damaged"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(AthleteFileUnreadable, match=message) as refused:
        read_athlete_file(data, "athletes.csv")
    assert refused.value.hint


def test_an_unclosed_quote_is_refused_naming_the_line_it_opened_on() -> None:
    data = b'First name,Surname,DOB\r\nZoe,Clarke,03/04/2001\r\n"Tom,Hall,01/01/2000\r\nAnn,Lee,02/02/2002\r\n'
    with pytest.raises(AthleteFileUnreadable, match="lines 3 to 4 do not pair up"):
        read_athlete_file(data, "a.csv")


def test_text_after_a_closing_quote_is_refused() -> None:
    with pytest.raises(AthleteFileUnreadable, match="line 2"):
        read_athlete_file(b'First name,Surname,DOB\r\n"Zoe"x,Clarke,03/04/2001\r\n', "a.csv")


def test_a_file_over_50_mb_is_refused_before_it_is_read() -> None:
    with pytest.raises(AthleteFileUnreadable, match="50 MB"):
        read_athlete_file(b"x" * (MAX_FILE_BYTES + 1), "a.csv")


def test_a_csv_named_as_a_workbook_is_refused() -> None:
    with pytest.raises(AthleteFileUnreadable, match="not one"):
        read_athlete_file(csv_file([ZOE]), "athletes.xlsx")


def _workbook() -> bytes:
    """Three sheets: an empty one, the athletes (title row, merged cells, a formula, a date, an error), notes."""
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.title = "Cover"
    athletes = book.create_sheet("Athletes")
    athletes.append(["Senior squad"])
    athletes.append(["First name", "Surname", "Date of birth", "Squad", "NHS number"])
    athletes.append(["Zoë", "Clarke", date(2001, 4, 3), "Seniors", 9434765919])
    athletes.append(["Tom", '=HYPERLINK("http://example.org")', "01/01/2000", None, "#REF!"])
    athletes.append(["Ann", "Lee", "02/02/2002", None, None])
    athletes.merge_cells("D3:D5")
    notes = book.create_sheet("Notes")
    notes.append(["First name", "Surname", "DOB"])
    notes.append(["Kate", "Wood", "05/05/2005"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_reads_the_first_sheet_with_something_in_it() -> None:
    table = read_athlete_file(_workbook(), "squad.xlsx")
    assert (table.source_format, table.sheet, table.sheets) == ("xlsx", "Athletes", ("Cover", "Athletes", "Notes"))
    assert table.headers == ("First name", "Surname", "Date of birth", "Squad", "NHS number")
    assert table.line_numbers == (3, 4, 5)
    assert table.rows[0] == ("Zoë", "Clarke", "2001-04-03 00:00:00", "Seniors", "9434765919")


def test_merged_cells_are_split_and_formulas_read_as_their_text() -> None:
    table = read_athlete_file(_workbook(), "squad.xlsx")
    assert [row[3] for row in table.rows] == ["Seniors", "Seniors", "Seniors"]
    assert table.rows[1][1] == '=HYPERLINK("http://example.org")'
    assert table.rows[1][4] == "#REF!"
    assert any("D3:D5" in note for note in table.notes)
    assert any("formula" in note for note in table.notes)


def test_another_sheet_can_be_chosen_and_a_missing_one_is_refused() -> None:
    table = read_athlete_file(_workbook(), "squad.xlsx", sheet="Notes")
    assert table.sheet == "Notes" and table.rows == (("Kate", "Wood", "05/05/2005"),)
    with pytest.raises(AthleteFileUnreadable, match="no sheet called 'Juniors'"):
        read_athlete_file(_workbook(), "squad.xlsx", sheet="Juniors")
    with pytest.raises(AthleteFileUnreadable, match="empty"):
        read_athlete_file(_workbook(), "squad.xlsx", sheet="Cover")


def test_a_workbook_with_every_sheet_empty_is_refused() -> None:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    with pytest.raises(AthleteFileUnreadable, match="empty"):
        read_athlete_file(out.getvalue(), "squad.xlsx")


def test_a_header_naming_only_one_field_still_wins_over_a_title() -> None:
    table = read_athlete_file(b"Seniors 2026\r\nName,DOB,Club\r\nZoe Clarke,03/04/2001,Harriers\r\n", "a.csv")
    assert table.headers == ("Name", "DOB", "Club") and table.line_numbers == (3,)
