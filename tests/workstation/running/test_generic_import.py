"""A generic watch or app export: the guessed column mapping, the user's changes, and the per-row errors."""

from __future__ import annotations

from datetime import UTC, date

import pytest

from tests.workstation.running.helpers import SYDNEY, TODAY, sample, table_of
from workstation.dates import DateOrder
from workstation.running.csv_import import (
    ColumnMapping,
    DurationFormat,
    ImportPreview,
    SkipReason,
    guess_mapping,
    preview,
)
from workstation.running.csv_table import CsvTable, read_table
from workstation.running.records import RunRecord


def run_preview(
    table: CsvTable,
    mapping: ColumnMapping | None = None,
    *,
    order: DateOrder = DateOrder.DAY_MONTH_YEAR,
    existing: tuple[RunRecord, ...] = (),
) -> ImportPreview:
    return preview(table, patient_id=3, today=TODAY, zone=UTC, mapping=mapping, date_order=order, existing=existing)


def test_the_watch_export_maps_every_column_from_its_header() -> None:
    table = read_table(sample("watch_export.csv"))
    mapping = guess_mapping(table)
    assert mapping == ColumnMapping(
        run_on=0, distance_km=1, duration_min=2, perceived_effort=3, surface=4, shoes=5, hills=6, speed_work=7,
        note=8, distance_unit="km", duration_format=DurationFormat.CLOCK,
    )  # fmt: skip
    result = run_preview(table)
    assert result.can_commit and result.runs_to_import == 6
    second = result.runs[1]
    assert second.duration_min == pytest.approx(44 + 10 / 60)
    assert second == RunRecord(
        patient_id=3, run_on=date(2026, 3, 4), distance_km=8.0, duration_min=second.duration_min,
        perceived_effort=6, surface="trail", shoes="Speedgoat 5", hills=True, speed_work=False,
        note="muddy, slow", source="csv", uid=second.uid,
    )  # fmt: skip
    assert result.runs[4].hills is None and result.runs[4].surface == "treadmill"


def test_the_date_order_decides_what_02_03_means() -> None:
    table = read_table(sample("watch_export.csv"))
    assert run_preview(table, order=DateOrder.MONTH_DAY_YEAR).runs[0].run_on == date(2026, 2, 3)
    # 13/03 read month first is no date at all
    us = run_preview(table_of("Date,Distance\n13/03/2026,5\n"), order=DateOrder.MONTH_DAY_YEAR)
    assert us.problems[0].column == "Date" and "MM/DD/YYYY" in us.problems[0].message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-03-14", date(2026, 3, 14)),
        ("2026-03-14T06:30:00", date(2026, 3, 14)),
        ("14/03/2026", date(2026, 3, 14)),
        ("14.03.2026 07:10", date(2026, 3, 14)),
        ("14 Mar 2026", date(2026, 3, 14)),
        ("14 March 2026", date(2026, 3, 14)),
        ("Mar 14, 2026", date(2026, 3, 14)),
        ("2026-03-14T19:30:00Z", date(2026, 3, 15)),  # UTC evening is the next morning in Sydney
        ("2026-03-15T06:30:00+11:00", date(2026, 3, 15)),
    ],
)
def test_date_formats(cell: str, expected: date) -> None:
    result = preview(table_of(f'Date,Distance\n"{cell}",5\n'), patient_id=1, today=TODAY, zone=SYDNEY)
    assert [run.run_on for run in result.runs] == [expected]


@pytest.mark.parametrize(
    ("cell", "form", "minutes"),
    [
        ("42.5", DurationFormat.MINUTES, 42.5),
        ("42:30", DurationFormat.CLOCK, 42.5),
        ("1:02:30", DurationFormat.CLOCK, 62.5),
        ("1:02:30", DurationFormat.MINUTES, 62.5),
        ("2550", DurationFormat.SECONDS, 42.5),
        ("0:45", DurationFormat.HOURS_MINUTES, 45.0),
        ("1:05", DurationFormat.HOURS_MINUTES, 65.0),
        ("1:02:30", DurationFormat.HOURS_MINUTES, 62.5),  # three parts are unambiguous whatever the choice
    ],
)
def test_duration_formats(cell: str, form: DurationFormat, minutes: float) -> None:
    table = table_of(f"Date,Distance,Time\n2026-03-01,8,{cell}\n")
    mapping = guess_mapping(table)
    mapping.duration_format = form
    [run] = run_preview(table, mapping).runs
    assert run.duration_min == pytest.approx(minutes)


def test_hours_and_minutes_refuse_what_is_not_one() -> None:
    table = table_of("Date,Distance,Time\n2026-03-01,8,1:75\n2026-03-02,8,1:5\n")
    mapping = guess_mapping(table)
    mapping.duration_format = DurationFormat.HOURS_MINUTES
    result = run_preview(table, mapping)
    assert [(p.line, p.column) for row in result.rows for p in row.problems] == [(2, "Time"), (3, "Time")]


def test_units_and_formats_come_from_the_header_or_the_cells() -> None:
    assert guess_mapping(table_of("Date,Distance (mi),Time (s)\n2026-03-01,3,1800\n")).distance_unit == "mi"
    miles = guess_mapping(table_of("Date,Distance (mi),Time (s)\n2026-03-01,3,1800\n"))
    assert miles.duration_format is DurationFormat.SECONDS
    assert guess_mapping(table_of("Date,Distance,Time\n2026-03-01,3 mi,30\n2026-03-02,3 mi,30\n")).distance_unit == "mi"
    assert guess_mapping(table_of("Date,Distance\n2026-03-01,3\n"), default_unit="mi").distance_unit == "mi"
    assert guess_mapping(table_of("Date,Distance km,Time mins\n2026-03-01,3,30\n")).distance_unit == "km"
    [run] = run_preview(table_of("Date,Distance (mi)\n2026-03-01,10\n")).runs
    assert run.distance_km == pytest.approx(16.09344)


def test_semicolons_decimal_commas_and_a_mapping_the_user_completes() -> None:
    table = read_table(sample("semicolon_miles.csv"))
    mapping = guess_mapping(table)
    assert mapping.run_on is None  # "Datum" is not recognised: the user chooses it
    blocked = run_preview(table, mapping)
    assert blocked.file_problems == ("Choose the column that holds the date.",)
    assert not blocked.can_commit
    mapping.run_on = 0
    result = run_preview(table, mapping)
    assert result.can_commit
    first = result.runs[0]
    assert (first.run_on, first.duration_min, first.note) == (date(2026, 3, 14), 28.5, "Café loop")
    assert first.distance_km == pytest.approx(3.1 * 1.609344)


def test_a_column_chosen_twice_is_a_mapping_problem() -> None:
    table = table_of("Date,Distance\n2026-03-01,5\n")
    result = run_preview(table, ColumnMapping(run_on=0, distance_km=1, note=1))
    assert result.file_problems == ("'Distance' is chosen for more than one field: choose once.",)


def test_the_bad_rows_file_has_one_clear_error_per_bad_row() -> None:
    result = run_preview(read_table(sample("bad_rows.csv")))
    found = {p.line: (p.column, p.message) for p in result.problems}
    assert found[3] == ("Date", "'2026-13-45' is not a real date.")
    assert found[4][0] == "Date" and "future" in found[4][1]
    assert found[5] == ("Distance (km)", "Distance must be more than 0 km.")  # negative
    assert found[6] == ("Distance (km)", "Distance must be more than 0 km.")  # zero
    assert found[7][0] == "Distance (km)" and found[7][1].startswith("Mixed units: '3.1 mi' is in miles")
    assert found[8][0] == "Duration (min)" and "half an hour" in found[8][1]
    assert found[9] == ("Effort", "Perceived effort is a whole number from 0 to 10.")
    assert found[11][0] == "" and "separator is missing" in found[11][1]
    assert found[12][0] == "Surface"
    assert result.rows[8].skip is SkipReason.DUPLICATE_IN_FILE and result.rows[8].duplicate_of_line == 2
    assert (result.error_count, result.duplicates, result.runs_to_import) == (9, 1, 1)
    assert not result.can_commit
    assert result.problems[0].text == "Line 3, Date: '2026-13-45' is not a real date."


def test_mixed_units_within_a_column_are_errors_not_conversions() -> None:
    table = table_of("Date,Distance\n2026-03-01,5 km\n2026-03-02,3 mi\n2026-03-03,6 km\n")
    result = run_preview(table)
    assert [row.status for row in result.rows] == ["import", "error", "import"]
    assert result.problems[0].line == 3 and result.problems[0].column == "Distance"
    assert "Mixed units" in result.problems[0].message


def test_missing_required_cells_and_unknown_units() -> None:
    result = run_preview(table_of("Date,Distance\n,5\n2026-03-01,\n2026-03-02,5 furlongs\n"))
    assert [(p.line, p.column) for p in result.problems] == [(2, "Date"), (3, "Distance"), (4, "Distance")]
    assert "every run needs its date" in result.problems[0].message
    assert "not km or mi" in result.problems[2].message


def test_a_comma_in_a_comma_separated_distance_is_refused_not_guessed() -> None:
    result = run_preview(table_of('Date,Distance\n2026-03-01,"5,2"\n'))
    assert "decimal point" in result.problems[0].message


def test_an_implausible_pace_is_reported_on_the_duration_column() -> None:
    result = run_preview(table_of("Date,Distance,Duration\n2026-03-01,10,12\n"))
    assert result.problems[0].column == "Duration"
    assert "10 km in 12:00 min" in result.problems[0].message


def test_duplicates_of_runs_already_logged_within_the_tolerances() -> None:
    logged = (RunRecord(patient_id=3, run_on=date(2026, 3, 1), distance_km=10.0, duration_min=50.0),)
    table = table_of(
        "Date,Distance,Duration\n"
        "2026-03-01,10.09,50.9\n"  # within 1 % and a minute: the same run
        "2026-03-01,10.2,50\n"  # 2 % longer: another run
        "2026-03-01,10,52\n"  # two minutes longer: another run
        "2026-03-02,10,50\n"  # another day
    )
    result = run_preview(table, existing=logged)
    assert [row.status for row in result.rows] == ["skipped", "import", "import", "import"]
    assert result.rows[0].skip_message == "Already in the running log."


def test_a_file_without_runs_cannot_be_committed() -> None:
    result = run_preview(table_of("Date,Distance\n2026-03-01,5\n"), existing=(
        RunRecord(patient_id=3, run_on=date(2026, 3, 1), distance_km=5.0),
    ))  # fmt: skip
    assert result.runs_to_import == 0 and result.error_count == 0
    assert not result.can_commit
