"""Strava's ``activities.csv``: the sample export in files/, written to the real column layout."""

from __future__ import annotations

from datetime import UTC, date, tzinfo

import pytest

from tests.workstation.running.helpers import LONDON, SYDNEY, TODAY, sample, table_of
from workstation.running.csv_import import SkipReason, is_strava_export, preview
from workstation.running.csv_table import read_table
from workstation.running.import_preview import ImportPreview
from workstation.running.records import RunRecord

HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Activity Gear,"
    "Elapsed Time,Moving Time,Distance,Perceived Exertion"
)


def strava_preview(zone: tzinfo = SYDNEY, existing: tuple[RunRecord, ...] = ()) -> ImportPreview:
    return preview(
        read_table(sample("strava_activities.csv")),
        patient_id=7,
        today=TODAY,
        zone=zone,
        existing=existing,
    )


def test_the_export_is_recognised_by_its_headers() -> None:
    assert is_strava_export(read_table(sample("strava_activities.csv")))
    assert not is_strava_export(read_table(sample("watch_export.csv")))


def test_only_runs_are_imported_and_the_rest_are_listed_as_skipped() -> None:
    result = strava_preview()
    assert (result.runs_to_import, result.error_count, result.skipped, result.duplicates) == (11, 0, 9, 0)
    assert result.can_commit
    reasons = {row.line: row.skip_message for row in result.rows if row.skip is SkipReason.NOT_A_RUN}
    assert reasons[3] == "Not a run (Ride)."
    assert reasons[21] == "Not a run (Virtual Ride)."
    assert {row.line for row in result.rows if row.skip is SkipReason.NO_DISTANCE} == {16}
    assert all(run.source == "strava" and run.patient_id == 7 for run in result.runs)


def test_the_metres_distance_and_moving_time_are_used_not_the_display_columns() -> None:
    first = strava_preview().runs[0]
    # display Distance says 5.02 and Elapsed Time 1900 s; the metres Distance is 5021.3 and Moving Time 1860 s
    assert first.distance_km == pytest.approx(5.0213)
    assert first.duration_min == pytest.approx(31.0)
    assert first.external_id == "11000000001"
    assert first.shoes == "Pegasus 40"
    assert first.perceived_effort is None


def test_trail_and_virtual_runs_set_the_surface_and_exertion_becomes_effort() -> None:
    by_id = {run.external_id: run for run in strava_preview().runs}
    assert by_id["11000000005"].surface == "trail"
    assert by_id["11000000005"].perceived_effort == 6
    assert by_id["11000000006"].surface == "treadmill"
    assert by_id["11000000001"].surface is None


def test_utc_times_land_on_the_local_date() -> None:
    sydney = {run.external_id: run.run_on for run in strava_preview(SYDNEY).runs}
    london = {run.external_id: run.run_on for run in strava_preview(LONDON).runs}
    # "Feb 5, 2026, 7:05:00 PM" UTC is 6:05 am on 6 February in Sydney (AEDT, UTC+11)
    assert sydney["11000000018"] == date(2026, 2, 6)
    assert london["11000000018"] == date(2026, 2, 5)
    # a morning run in UTC is the same day in both
    assert sydney["11000000001"] == london["11000000001"] == date(2026, 1, 3)


def test_an_early_morning_sydney_run_after_midnight_utc_boundary() -> None:
    table = table_of(f'{HEADER}\n1,"Mar 14, 2026, 7:00:00 PM",Dawn,Run,1800,5,,1800.0,1790.0,5000.0,\n')
    [run] = preview(table, patient_id=1, today=TODAY, zone=SYDNEY).runs
    assert run.run_on == date(2026, 3, 15)
    [utc_run] = preview(table, patient_id=1, today=TODAY, zone=UTC).runs
    assert utc_run.run_on == date(2026, 3, 14)


def test_importing_the_same_export_again_finds_every_run_already_logged() -> None:
    first = strava_preview()
    again = strava_preview(existing=tuple(first.runs))
    assert again.runs_to_import == 0
    assert again.duplicates == 11
    assert {row.skip for row in again.rows if row.run} == {SkipReason.ALREADY_LOGGED}
    assert not again.can_commit  # nothing left to import


def test_a_run_typed_in_by_hand_is_a_duplicate_of_the_same_strava_run() -> None:
    typed = RunRecord(patient_id=7, run_on=date(2026, 1, 3), distance_km=5.0, duration_min=31.4)
    result = strava_preview(existing=(typed,))
    assert result.rows[0].skip is SkipReason.ALREADY_LOGGED
    assert result.runs_to_import == 10


def test_two_activities_with_different_ids_on_one_day_are_both_kept() -> None:
    table = table_of(
        f'{HEADER}\n1,"Mar 1, 2026, 7:00:00 AM",Am,Run,1800,5,,1800.0,1800.0,5000.0,\n'
        f'2,"Mar 1, 2026, 6:00:00 PM",Pm,Run,1800,5,,1800.0,1800.0,5000.0,\n'
        f'1,"Mar 1, 2026, 7:00:00 AM",Am,Run,1800,5,,1800.0,1800.0,5000.0,\n'
    )
    result = preview(table, patient_id=1, today=TODAY, zone=UTC)
    assert [row.status for row in result.rows] == ["import", "import", "skipped"]
    assert result.rows[2].duplicate_of_line == 2
    assert result.rows[2].skip_message == "Same run as line 2."


def test_elapsed_time_is_used_when_there_is_no_moving_time() -> None:
    table = table_of(f'{HEADER}\n1,"Mar 1, 2026, 7:00:00 AM",Am,Run,1800,5,,1860.0,,5000.0,\n')
    [run] = preview(table, patient_id=1, today=TODAY, zone=UTC).runs
    assert run.duration_min == pytest.approx(31.0)


def test_bad_strava_cells_are_errors_naming_the_line_and_column() -> None:
    table = table_of(
        f"{HEADER}\n"
        '1,"Smarch 1, 2026, 7:00:00 AM",A,Run,1800,5,,1800.0,1800.0,5000.0,\n'
        '2,"Mar 2, 2026, 7:00:00 AM",B,Run,1800,5,,1800.0,1800.0,5000.0,11.0\n'
        '3,"Mar 3, 2026, 7:00:00 AM",C,Run,1800,5,,1800.0,1800.0,-5000.0,\n'
        '4,"Mar 2, 2027, 7:00:00 AM",D,Run,1800,5,,1800.0,1800.0,5000.0,\n'
    )
    result = preview(table, patient_id=1, today=TODAY, zone=UTC)
    assert [(p.line, p.column) for p in result.problems] == [
        (2, "Activity Date"),
        (3, "Perceived Exertion"),
        (4, "Distance (2)"),
        (5, "Activity Date"),
    ]
    assert "Distance must be more than 0 km." in result.problems[2].message
    assert "future" in result.problems[3].message
    assert not result.can_commit
