"""``suggest_mapping``: the header spellings clubs use, the date order, and what stops a mapping."""

from __future__ import annotations

import pytest

from tests.workstation.exchange.helpers import csv_file
from workstation.exchange.athlete_mapping import mapping_problems, suggest_mapping
from workstation.exchange.athlete_records import AthleteField, AthleteMapping, AthleteTable
from workstation.exchange.athlete_table import read_athlete_file

F = AthleteField


def _table(header: list[str], *rows: list[str]) -> AthleteTable:
    return read_athlete_file(csv_file(rows or [["x"] * len(header)], header=header), "a.csv")


@pytest.mark.parametrize(
    ("header", "field"),
    [
        *((name, F.GIVEN_NAME) for name in ("given_name", "first_name", "First name", "Forename", "Given name",
                                            "FIRST NAME", "first-name", "  Forenames ")),
        *((name, F.FAMILY_NAME) for name in ("family_name", "last_name", "Surname", "Last name", "SURNAME")),
        *((name, F.DATE_OF_BIRTH) for name in ("date_of_birth", "DOB", "D.O.B.", "Date of birth", "Birth date",
                                               "Date of birth (DD/MM/YYYY)")),
        *((name, F.SEX) for name in ("sex", "Gender")),
        *((name, F.EMAIL) for name in ("email", "e-mail", "E-mail address", "Email")),
        *((name, F.PHONE) for name in ("phone", "Mobile", "telephone", "Phone number")),
        *((name, F.NHS_NUMBER) for name in ("NHS number", "nhs_no", "NHS No.")),
        *((name, F.MEDICARE_NUMBER) for name in ("Medicare number", "medicare")),
        ("IRN", F.MEDICARE_IRN),
    ],
)  # fmt: skip
def test_each_common_spelling_is_recognised(header: str, field: AthleteField) -> None:
    mapping = suggest_mapping(_table(["Club", header]))
    assert mapping.column(field) == 1
    assert [f for f, column in mapping.columns.items() if column is not None] == [field]


def test_unknown_headers_map_to_nothing_and_the_first_of_repeated_ones_is_used() -> None:
    mapping = suggest_mapping(_table(["Name", "Email", "Email", "Notes"]))
    assert mapping.column(F.EMAIL) == 1
    assert mapping.column(F.GIVEN_NAME) is None and mapping.column(F.FAMILY_NAME) is None


@pytest.mark.parametrize(
    ("header", "dates", "day_first"),
    [
        ("DOB", ["03/04/2001", "11/12/1999"], True),  # either way round: the UK and Australian order
        ("DOB", ["03/04/2001", "23/12/1999"], True),
        ("DOB", ["03/04/2001", "12/23/1999"], False),  # only month first makes sense
        ("DOB", ["2001-04-03", "3 Apr 2001"], True),
        ("Date of birth (MM/DD/YYYY)", ["03/04/2001"], False),
        ("DOB", ["31/01/2001", "01/31/2001"], True),  # mixed: the rows that fail say so
    ],
)
def test_the_date_order_comes_from_the_header_or_the_cells(header: str, dates: list[str], day_first: bool) -> None:
    table = _table(["First name", header], *(["Zoe", cell] for cell in dates))
    assert suggest_mapping(table).day_first is day_first


@pytest.mark.parametrize(
    ("dates", "clinic_day_first", "day_first"),
    [
        (["03/04/2001", "11/12/1999"], False, False),  # either way round: a US clinic reads month first
        (["03/04/2001", "11/12/1999"], True, True),
        (["23/04/2001"], False, True),  # only day first makes sense, whatever the clinic
        (["04/23/2001"], True, False),
        (["31/01/2001", "01/31/2001"], False, False),  # mixed: the clinic's order, and the rows that fail say so
    ],
)
def test_dates_that_read_either_way_follow_the_clinics_order(
    dates: list[str], clinic_day_first: bool, day_first: bool
) -> None:
    table = _table(["First name", "DOB"], *(["Zoe", cell] for cell in dates))
    assert suggest_mapping(table, day_first=clinic_day_first).day_first is day_first


def test_a_mapping_with_no_name_or_date_of_birth_is_refused_with_reasons() -> None:
    table = _table(["Club", "Email"])
    problems = mapping_problems(suggest_mapping(table), table)
    assert any("names" in p for p in problems) and any("date of birth" in p for p in problems)


def test_a_column_chosen_twice_or_off_the_table_and_an_irn_alone_are_refused() -> None:
    table = _table(["First name", "DOB", "IRN"])
    mapping = suggest_mapping(table)
    assert mapping_problems(mapping, table) == [
        "An IRN belongs to a Medicare number: choose the Medicare number column too."
    ]
    mapping.columns[F.MEDICARE_NUMBER] = 0
    assert mapping_problems(mapping, table) == ["'First name' is chosen for more than one field: choose it once."]
    mapping.columns[F.MEDICARE_NUMBER] = 7
    assert mapping_problems(mapping, table) == ["The Medicare number column is not in this file: choose it again."]


def test_a_single_name_column_is_enough() -> None:
    table = _table(["Surname", "DOB"])
    assert mapping_problems(suggest_mapping(table), table) == []
    assert mapping_problems(AthleteMapping(), table)  # nothing chosen
