"""The issue's corpus of bad files (RELIABILITY.md H1), each through the whole import on a real SQLite store:
refused with a reason, or previewed with a reason on every rejected row, and nothing stored unless the
whole file (or, deliberately, its valid rows) goes in.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import openpyxl
import pytest

from tests.workstation.exchange.helpers import HEADER, TODAY, athlete, csv_file, session, stored_counts
from workstation.errors import CalfDeskError
from workstation.exchange.athlete_records import RowStatus
from workstation.exchange.athlete_table import AthleteFileUnreadable

GOOD = [athlete(), athlete("Tom", "Hall", "01/01/2000", sex="M"), athlete("", "Wiranto", "02/02/2002", sex="")]


def _lines(*text: str) -> bytes:
    return "".join(line + "\r\n" for line in text).encode("utf-8")


def _several_sheets_and_merged_cells() -> bytes:
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.title = "Read me"
    book.active.append(["This workbook lists the senior squad on the next sheet."])
    squad = book.create_sheet("Seniors")
    squad.append(["Harriers AC: seniors 2026"])
    squad.merge_cells("A1:E1")
    squad.append(["Group", "Forename", "Surname", "DOB", "Gender"])
    squad.append(["Distance", "Zoë", "Clarke", date(2001, 4, 3), "F"])
    squad.append([None, "Tom", "Hall", "01/01/2000", "M"])
    squad.append(["Sprints", "Aroha", "Te Kanawa", "05/06/1999", "F"])
    squad.merge_cells("A3:A4")
    book.create_sheet("Empty")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Case:
    data: Callable[[], bytes]
    file_name: str = "athletes.csv"
    refused: str = ""  # the file is refused with this in its message
    rejected: tuple[tuple[int, str], ...] = ()  # (line, words of the reason) of each rejected row
    imported: int = 0  # patients stored when the file (or its valid rows) is committed


CORPUS: dict[str, Case] = {
    "empty file": Case(lambda: b"", refused="empty"),
    "header only": Case(lambda: csv_file([]), refused="no athletes"),
    "NUL byte": Case(lambda: csv_file([athlete("Zo\x00e")]), refused="not a text file"),
    "NUL in UTF-16": Case(lambda: codecs.BOM_UTF16_LE + csv_file([athlete("Zo\x00e")]).decode().encode("utf-16-le"),
                          refused="NUL"),
    "unbalanced quotes": Case(lambda: _lines(",".join(HEADER), ",".join(athlete()), '"Tom,Hall,01/01/2000,M,,,,,',
                                             ",".join(athlete("Ann", "Lee"))), refused="lines 3 to 4 do not pair up"),
    "ragged rows": Case(lambda: _lines(",".join(HEADER), ",".join(athlete()), ",".join(athlete("Tom", "Hall")[:5]),
                                       ",".join([*athlete("Ann", "Lee"), "surplus"])),
                        rejected=((3, "separator is missing"), (4, "extra separator")), imported=1),
    "200 kB field": Case(lambda: csv_file([*GOOD, athlete("Z" * 200_000, "Clarke", "04/04/2004")]),
                         rejected=((5, "200,000 characters"),), imported=3),
    "formulas": Case(lambda: csv_file([athlete("=HYPERLINK(\"http://evil.example\",\"x\")", "+Clarke"),
                                       athlete("@SUM(A1)", "-Hall", "01/01/2000")]), imported=2),
    "future and impossible dates": Case(lambda: csv_file([*GOOD, athlete("Ann", "Lee", "15/03/2026"),
                                                          athlete("Ben", "Lee", "30/02/2001")]),
                                        rejected=((5, "in the future"), (6, "not a real date")), imported=3),
    "duplicated headers": Case(lambda: csv_file([[*row, "x@example.org"] for row in GOOD], header=(*HEADER, "E-mail")),
                               imported=3),
    "repeated athletes": Case(lambda: csv_file([*GOOD, athlete("ZOE", "clarke")]),
                              rejected=((5, "Repeats line 2"),), imported=3),
    "bad check digit": Case(lambda: csv_file([*GOOD, athlete("Ann", "Lee", nhs="9434765918")]),
                            rejected=((5, "check digit"),), imported=3),
    "several sheets and merged cells": Case(_several_sheets_and_merged_cells, "squad.xlsx", imported=3),
    "old Excel": Case(lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "squad.xls", refused=".xls"),
    "UTF-16": Case(lambda: csv_file(GOOD, separator="\t", encoding="utf-16"), imported=3),
    "cp1252": Case(lambda: csv_file(GOOD, separator=";", encoding="cp1252"), imported=3),
    "BOM": Case(lambda: codecs.BOM_UTF8 + csv_file(GOOD), imported=3),
    "semicolons": Case(lambda: csv_file(GOOD, separator=";"), imported=3),
    "tabs": Case(lambda: csv_file(GOOD, separator="\t"), imported=3),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CORPUS))
def test_each_bad_file_is_refused_or_rejected_row_by_row_and_nothing_is_partial(sqlite_store: Any, name: str) -> None:
    case = CORPUS[name]
    importer = session(sqlite_store).squad_import
    before = stored_counts(sqlite_store)
    if case.refused:
        with pytest.raises(AthleteFileUnreadable, match=case.refused) as refused:
            importer.read(case.data(), case.file_name)
        assert refused.value.hint
        assert stored_counts(sqlite_store) == before
        return
    table = importer.read(case.data(), case.file_name)
    result = importer.preview(table, importer.suggest_mapping(table), today=TODAY)
    rejected = [(row.line, " ".join(p.message for p in row.problems)) for row in result.rejected]
    assert [line for line, _ in rejected] == [line for line, _ in case.rejected]
    for (_, reasons), (_, words) in zip(rejected, case.rejected, strict=True):
        assert words in reasons
    if case.rejected:
        with pytest.raises(CalfDeskError, match="Nothing was imported"):
            importer.commit(result, "Seniors", decisions={}, joined_on=TODAY)
        assert stored_counts(sqlite_store) == before  # all or nothing: not one row went in
    outcome = importer.commit(result, "Seniors", decisions={}, joined_on=TODAY, leave_out_rejected=True)
    patients, _, _, members = stored_counts(sqlite_store)
    assert outcome.created == case.imported == patients - before[0] == members - before[3]
    assert len(result.with_status(RowStatus.NEW)) == case.imported


def test_formulas_are_stored_as_typed_and_never_run(sqlite_store: Any) -> None:
    importer = session(sqlite_store).squad_import
    table = importer.read(CORPUS["formulas"].data(), "athletes.csv")
    outcome = importer.commit(importer.preview(table, importer.suggest_mapping(table), today=TODAY), "Seniors",
                              decisions={}, joined_on=TODAY)  # fmt: skip
    assert outcome.squad.id is not None
    names = {
        sqlite_store.patients.get(m.patient_id).display_name for m in sqlite_store.squads.members(outcome.squad.id)
    }
    assert names == {'+Clarke, =HYPERLINK("http://evil.example","x")', "-Hall, @SUM(A1)"}


def test_the_workbook_notes_say_what_was_done_to_it(sqlite_store: Any) -> None:
    table = session(sqlite_store).squad_import.read(_several_sheets_and_merged_cells(), "squad.xlsx")
    assert table.sheet == "Seniors" and table.sheets == ("Read me", "Seniors", "Empty")
    assert [row[0] for row in table.rows] == ["Distance", "Distance", "Sprints"]
    assert any("A3:A4" in note for note in table.notes) and any("above line 2" in note for note in table.notes)
