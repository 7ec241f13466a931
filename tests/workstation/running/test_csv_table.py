"""``read_table``: encodings, separators, line numbers, and the files it refuses."""

from __future__ import annotations

import codecs

import pytest

from tests.workstation.running.helpers import sample
from workstation.running.csv_table import MAX_FILE_BYTES, RunFileUnreadable, read_table


def test_utf8_with_and_without_a_byte_order_mark() -> None:
    text = "Date,Distance,Note\n2026-03-01,5,Café\n"
    plain = read_table(text.encode("utf-8"))
    marked = read_table(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert plain.headers == marked.headers == ("Date", "Distance", "Note")
    assert plain.rows == marked.rows == (("2026-03-01", "5", "Café"),)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_its_byte_order_mark(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    table = read_table(bom + "Date\tDistance\n2026-03-01\t5\n".encode(codec))
    assert table.separator == "\t"
    assert table.headers == ("Date", "Distance")
    assert table.rows == (("2026-03-01", "5"),)


def test_the_sample_utf16_file() -> None:
    table = read_table(sample("utf16_tabs.csv"))
    assert (table.encoding, table.separator) == ("utf-16", "\t")
    assert table.cell(1, 1) == "10 km"


def test_windows_1252_and_semicolons() -> None:
    table = read_table(sample("semicolon_miles.csv"))
    assert (table.encoding, table.separator) == ("cp1252", ";")
    assert table.headers == ("Datum", "Miles", "Time (min)", "Comment")
    assert table.cell(0, 3) == "Café loop"
    assert table.cell(0, 1) == "3,1"


def test_a_quoted_separator_does_not_count_when_sniffing() -> None:
    table = read_table(b'"Date; local";Distance;Time\n2026-03-01;5;30\n')
    assert table.separator == ";"
    assert table.headers == ("Date; local", "Distance", "Time")


def test_line_numbers_skip_blank_lines_and_count_quoted_line_breaks() -> None:
    table = read_table(b'Date,Distance,Note\n\n2026-03-01,5,"two\nlines"\n\n2026-03-02,6,x\n')
    assert table.line_numbers == (3, 6)
    assert table.rows[0][2] == "two\nlines"


def test_ragged_rows_are_kept_for_the_preview_to_report() -> None:
    table = read_table(b"Date,Distance,Time\n2026-03-01,5\n2026-03-02,5,30,extra\n2026-03-03,5,30,,\n")
    assert len(table.rows) == 3
    assert "header has 3" in table.width_problem(0)
    assert "extra separator" in table.width_problem(1)
    assert table.width_problem(2) == ""  # trailing empty cells are harmless
    assert table.cell(0, 2) == ""


def test_repeated_header_names_get_distinct_labels() -> None:
    table = read_table(b"Distance,Elapsed Time,Distance,\n1,2,3,4\n")
    assert [table.column_label(i) for i in range(4)] == ["Distance", "Elapsed Time", "Distance (2)", "Column 4"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \r\n\n", "empty"),
        (b"Date,Distance\n", "no runs"),
        (b"Date,Distance\n,\n", "no runs"),
        (b"Date,Distance\n2026-03-01,5\x00\n", "not a text file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (codecs.BOM_UTF16_LE + "Date\x00,x\n1,2\n".encode("utf-16-le"), "not a text file"),
        (b"Date,Distance\n2026-03-01,\x81\x8d\n", "cannot be read"),
    ],
)
def test_unreadable_files_are_refused_with_a_plain_message(data: bytes, words: str) -> None:
    with pytest.raises(RunFileUnreadable) as caught:
        read_table(data)
    assert words in caught.value.message
    assert caught.value.hint


def test_a_file_over_20_mb_is_refused_before_it_is_read() -> None:
    with pytest.raises(RunFileUnreadable, match="20 MB"):
        read_table(b"Date,Distance\n" + b"x" * MAX_FILE_BYTES)
