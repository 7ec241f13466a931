"""Each row checked alone: every reason a row is refused names its line and column; good rows become patients."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workstation.exchange.helpers import HEADER, TODAY, VALID_MEDICARE, VALID_NHS, athlete, csv_file
from workstation.exchange.athlete_mapping import suggest_mapping
from workstation.exchange.athlete_preview import preview
from workstation.exchange.athlete_records import ImportPreview, PreviewRow, RowStatus
from workstation.exchange.athlete_table import read_athlete_file
from workstation.records import Sex


def _preview(*rows: list[str], header: tuple[str, ...] = HEADER, today: date = TODAY) -> ImportPreview:
    table = read_athlete_file(csv_file(rows, header=header), "athletes.csv")
    return preview(table, suggest_mapping(table), [], today)


def _only(*cells: list[str]) -> PreviewRow:
    (row,) = _preview(*cells).rows
    return row


def _reasons(row: PreviewRow) -> list[tuple[int, str, str]]:
    return [(problem.line, problem.column, problem.message) for problem in row.problems]


def test_a_good_row_becomes_a_normalised_patient() -> None:
    row = _only(athlete(" Zoe\u0308 ", "Clarke", "3/4/2001", sex="female", email="zoe@example.org",
                        phone="07700 900123", nhs="943 476 5919", medicare="2123 45670 1", irn="2"))  # fmt: skip
    assert row.status is RowStatus.NEW and row.problems == () and row.line == 2
    patient = row.patient
    assert patient is not None and patient.id is None
    assert (patient.given_name, patient.family_name, patient.date_of_birth) == ("Zoë", "Clarke", date(2001, 4, 3))
    assert (patient.sex, patient.email, patient.phone) == (Sex.FEMALE, "zoe@example.org", "07700 900123")
    assert (patient.nhs_number, patient.medicare_number, patient.medicare_irn) == (VALID_NHS, VALID_MEDICARE, "2")
    assert not patient.club_consent.given  # the club's file is not the athlete's consent


@pytest.mark.parametrize(("given", "family"), [("Wiranto", ""), ("", "Karthikeyan")])
def test_one_name_on_its_own_is_fine(given: str, family: str) -> None:
    assert _only(athlete(given, family)).status is RowStatus.NEW


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        (athlete("", ""), "Surname", "Enter the person's name"),
        (athlete("12345", "Clarke"), "First name", "at least one letter"),
        (athlete(born=""), "Date of birth", "needs a date of birth"),
        (athlete(born="31/02/2001"), "Date of birth", "not a real date"),
        (athlete(born="2001-13-01"), "Date of birth", "not a real date"),
        (athlete(born="next Tuesday"), "Date of birth", "is not a date"),
        (athlete(born="03/04/01"), "Date of birth", "is not a date"),  # a two-digit year is refused, not guessed
        (athlete(born="15/03/2026"), "Date of birth", "in the future"),
        (athlete(born="01/01/1890"), "Date of birth", "over 120"),
        (athlete(born="1" * 41), "Date of birth", "Too long to be a date"),
        (athlete(sex="dragon"), "Sex", "'dragon' is not a sex"),
        (athlete(nhs="943 476 5918"), "NHS number", "check digit is wrong"),
        (athlete(nhs="94347659"), "NHS number", "10 digits"),
        (athlete(nhs="٩٤٣٤٧٦٥٩١٩"), "NHS number", "digits 0 to 9"),  # Arabic-Indic digits are not an NHS number
        (athlete(medicare="2123 45671 1"), "Medicare number", "check digit is wrong"),
        (athlete(medicare=VALID_MEDICARE, irn="0"), "IRN", "single digit 1-9"),
        (athlete(irn="3"), "Medicare number", "Medicare number that goes with the IRN"),
        (athlete(email="zoe at example.org"), "Email", "does not look like an email"),
        (athlete(phone="call me"), "Mobile", "6 to 24 digits"),
        (athlete("Z" * 101), "First name", "limited to 100"),
        (athlete("Zoe\nClarke", ""), "First name", "line break"),
        (athlete(nhs="943\u202e4765919"), "NHS number", "invisible direction"),
        (athlete(email="zoe\u200b@example.org"), "Email", "invisible direction"),
        (athlete("Zo\u202ee"), "First name", "invisible control characters"),
    ],
)
def test_each_reason_a_row_is_refused_names_its_line_and_column(cells: list[str], column: str, words: str) -> None:
    row = _only(cells)
    assert row.status is RowStatus.ERROR and row.patient is None
    assert any(line == 2 and where == column and words in message for line, where, message in _reasons(row)), (
        row.problems
    )


def test_names_at_the_limit_are_kept_whole() -> None:
    for length in (99, 100):
        row = _only(athlete("Z" * length))
        assert row.patient is not None and row.patient.given_name == "Z" * length


def test_every_problem_of_a_row_is_listed_not_only_the_first() -> None:
    row = _only(athlete("", "", "", sex="?", nhs="123", email="nope"))
    assert {column for _, column, _ in _reasons(row)} == {"Date of birth"}  # the cells that can be read wait for it
    row = _only(athlete("", "", "03/04/2001", nhs="123", email="nope"))
    assert {column for _, column, _ in _reasons(row)} == {"Surname", "NHS number", "Email"}


def test_formulas_are_text_stored_as_typed() -> None:
    row = _only(athlete('=HYPERLINK("http://evil.example","Zoe")', "+Clarke", email="@zoe@example.org"))
    assert row.status is RowStatus.ERROR  # "@zoe@..." is no email address; the names are fine
    row = _only(athlete('=HYPERLINK("http://evil.example","Zoe")', "-Clarke"))
    assert row.patient is not None
    assert (row.patient.given_name, row.patient.family_name) == ('=HYPERLINK("http://evil.example","Zoe")', "-Clarke")


@pytest.mark.parametrize(
    ("word", "sex"),
    [("F", Sex.FEMALE), ("woman", Sex.FEMALE), ("M", Sex.MALE), ("Male", Sex.MALE), ("X", Sex.OTHER),
     ("non-binary", Sex.OTHER), ("", Sex.NOT_STATED), ("Prefer not to say", Sex.NOT_STATED)],
)  # fmt: skip
def test_sex_is_read_from_the_words_clubs_write(word: str, sex: Sex) -> None:
    row = _only(athlete(sex=word))
    assert row.patient is not None and row.patient.sex is sex


def test_a_row_that_does_not_line_up_with_the_header_is_refused() -> None:
    short, long = _preview(athlete()[:4], [*athlete("Tom", "Hall"), "extra"]).rows
    assert "separator is missing" in short.problems[0].message and short.problems[0].column == ""
    assert "extra separator" in long.problems[0].message


def test_a_cell_longer_than_any_spreadsheet_holds_is_a_problem_on_its_row_even_unmapped() -> None:
    notes = "x" * 200_000
    rows = _preview([*athlete(), notes], [*athlete("Tom", "Hall"), ""], header=(*HEADER, "Notes")).rows
    assert rows[0].status is RowStatus.ERROR and rows[0].problems[0].column == "Notes"
    assert "200,000 characters" in rows[0].problems[0].message
    assert rows[1].status is RowStatus.NEW


def test_month_first_dates_when_the_mapping_says_so() -> None:
    table = read_athlete_file(csv_file([athlete(born="04/23/2001")]), "a.csv")
    mapping = suggest_mapping(table)
    assert mapping.day_first is False
    (row,) = preview(table, mapping, [], TODAY).rows
    assert row.patient is not None and row.patient.date_of_birth == date(2001, 4, 23)
    mapping.day_first = True
    (row,) = preview(table, mapping, [], TODAY).rows
    assert row.status is RowStatus.ERROR


def test_dates_in_the_other_ways_people_write_them() -> None:
    rows = _preview(athlete(born="2001-04-03"), athlete("Tom", born="3 Apr 2001"), athlete("Ann", born="Apr 3, 2001"),
                    athlete("Kate", born="2001-04-03 00:00:00"), athlete("Ben", born="3.4.2001")).rows  # fmt: skip
    assert {row.patient.date_of_birth for row in rows if row.patient} == {date(2001, 4, 3)}
    assert all(row.status is RowStatus.NEW for row in rows)


def test_a_broken_mapping_gives_only_mapping_problems() -> None:
    result = _preview(["Zoe", "x"], header=("Name", "Club"))
    assert result.rows == () and result.mapping_problems and not result.can_commit
