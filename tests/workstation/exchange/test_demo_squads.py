"""The synthetic club list: the same for a seed, in every encoding and separator, and clean to import."""

from __future__ import annotations

import pytest

from tests.workstation.exchange.helpers import TODAY
from workstation.demo_squads import ATHLETE_HEADERS, athlete_csv, athlete_rows
from workstation.exchange.athlete_mapping import suggest_mapping
from workstation.exchange.athlete_preview import preview
from workstation.exchange.athlete_records import AthleteField, RowStatus
from workstation.exchange.athlete_table import read_athlete_file
from workstation.identifiers import medicare_number_problem, nhs_number_problem


def test_a_seed_always_gives_the_same_file() -> None:
    assert athlete_csv(300, seed=4) == athlete_csv(300, seed=4)
    assert athlete_csv(300, seed=4) != athlete_csv(300, seed=5)


def test_the_rows_are_named_as_people_write_them_with_valid_identifiers() -> None:
    rows = athlete_rows(2_000, seed=11)
    assert len(rows) == 2_000 and all(len(row) == len(ATHLETE_HEADERS) for row in rows)
    names = {(row[0], row[1]) for row in rows}
    assert ("Siobhán", "O'Brien") in names and ("Thị Minh", "Nguyễn") in names
    assert any(not given or not family for given, family in names)
    nhs, medicare = [row[6] for row in rows if row[6]], [row[7] for row in rows if row[7]]
    assert (
        nhs and medicare and not any(map(nhs_number_problem, nhs)) and not any(map(medicare_number_problem, medicare))
    )


@pytest.mark.parametrize(
    ("encoding", "separator"), [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1252", ";")]
)
def test_every_encoding_and_separator_previews_clean(encoding: str, separator: str) -> None:
    table = read_athlete_file(athlete_csv(1_000, seed=3, encoding=encoding, separator=separator), "athletes.csv")
    assert (table.encoding, table.separator) == (encoding, separator)
    mapping = suggest_mapping(table)
    assert all(mapping.column(athlete_field) is not None for athlete_field in AthleteField)
    result = preview(table, mapping, [], TODAY)
    assert result.can_commit and len(result.with_status(RowStatus.NEW)) == 1_000
    if encoding == "cp1252":
        assert not any("Nguyễn" in row for row in table.rows)  # cp1252 cannot write it: left out, not mangled
