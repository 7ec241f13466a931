"""The run table's model (qtmodeltester, the id role, readable cells) and the weekly totals under it."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.modeltest import ModelTester

from ui.running.import_preview_table import LINE_ROLE, STATUS_ROLE, ImportPreviewModel
from ui.running.run_table import RUN_ID_ROLE, RunColumn, RunTableModel, weekly_summary
from ui.running.run_text import duration_field_text, pace_text, parse_distance, parse_duration
from workstation.dates import DateOrder
from workstation.running.import_preview import ImportPreview, ImportProblem, ImportRow, SkipReason
from workstation.running.records import RunRecord

SUNDAY = date(2025, 6, 15)


def _runs() -> list[RunRecord]:
    return [
        RunRecord(1, date(2025, 6, 2), 8.0, duration_min=44.0, id=1, surface="road", hills=True, shoes="Pegasus"),
        RunRecord(1, date(2025, 6, 10), 10.0, duration_min=52.0, id=2, perceived_effort=6, note="Felt  easy"),
        RunRecord(1, date(2025, 6, 14), 12.4, id=3, speed_work=False, source="strava"),
    ]


def test_run_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = RunTableModel(DateOrder.DAY_MONTH_YEAR)
    model.set_runs(_runs(), "km")
    qtmodeltester.check(model, force_py=True)


def test_runs_newest_first_with_their_ids_and_readable_cells() -> None:
    model = RunTableModel(DateOrder.DAY_MONTH_YEAR)
    model.set_runs(_runs(), "km")
    assert [model.index(row, 0).data(RUN_ID_ROLE) for row in range(3)] == [3, 2, 1]
    second = [model.index(1, column).data() for column in RunColumn]
    assert second == ["10/06/2025", "10.0 km", "0:52", "5:12 /km", "6", "—", "", "—", "—", "Felt easy", "Typed in"]
    assert model.index(0, RunColumn.SOURCE).data() == "Strava"
    assert model.index(2, RunColumn.HILLS).data() == "Yes"
    assert model.index(2, RunColumn.SURFACE).data() == "Road"


def test_miles_are_shown_in_miles_with_pace_per_mile() -> None:
    model = RunTableModel(DateOrder.MONTH_DAY_YEAR)
    model.set_runs(_runs(), "mi")
    assert model.index(1, RunColumn.DATE).data() == "06/10/2025"
    assert model.index(1, RunColumn.DISTANCE).data() == "6.2 mi"
    assert model.index(1, RunColumn.PACE).data() == "8:22 /mi"


def test_weekly_totals_come_from_the_load_rules_monday_to_sunday() -> None:
    # 10.0 + 12.4 in the week of Monday 9 June; 8.0 the week before.
    assert weekly_summary(_runs(), "km", SUNDAY) == "This week 22.4 km · last week 8.0 km"
    assert weekly_summary(_runs(), "km", date(2025, 6, 16)) == "This week 0.0 km · last week 22.4 km"
    assert weekly_summary([], "mi", SUNDAY) == "This week 0.0 mi · last week 0.0 mi"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("45", 45.0), ("1:05", 65.0), ("1:05:30", 65.5), ("0:40", 40.0), ("40,5", 40.5), ("1:75", None), ("abc", None)],
)
def test_durations_are_read_as_minutes_or_hours_and_minutes(text: str, minutes: float | None) -> None:
    assert parse_duration(text) == minutes


def test_typed_values_read_back() -> None:
    assert parse_distance("10,5") == 10.5
    assert parse_distance("ten") is None
    assert parse_distance("-3") == -3.0  # the rules, not the reader, refuse it (and say why)
    assert duration_field_text(65.5) == "1:05:30"
    assert pace_text(RunRecord(1, SUNDAY, 5.0), "km") == "—"


def _preview() -> ImportPreview:
    run = RunRecord(1, date(2025, 6, 1), 5.0, duration_min=30.0, source="csv")
    return ImportPreview(
        rows=(
            ImportRow(2, run=run),
            ImportRow(3, problems=(ImportProblem(3, "Distance", "Distance must be more than 0 km."),)),
            ImportRow(4, run=run, skip=SkipReason.DUPLICATE_IN_FILE, skip_message="Same run as line 2."),
            ImportRow(5, skip=SkipReason.NOT_A_RUN, skip_message="Not a run (Ride)."),
        ),
        source="csv",
    )


def test_preview_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = ImportPreviewModel(DateOrder.DAY_MONTH_YEAR)
    model.set_preview(_preview(), "km")
    qtmodeltester.check(model, force_py=True)


def test_preview_rows_say_what_happens_to_each() -> None:
    model = ImportPreviewModel(DateOrder.DAY_MONTH_YEAR)
    model.set_preview(_preview(), "km")
    assert [model.index(r, 0).data(LINE_ROLE) for r in range(4)] == [2, 3, 4, 5]
    assert [model.index(r, 0).data(STATUS_ROLE) for r in range(4)] == ["import", "error", "duplicate", "skipped"]
    assert [model.index(r, 1).data() for r in range(4)] == ["Will import", "Error", "Duplicate", "Skipped"]
    assert model.index(1, 5).data() == "Distance: Distance must be more than 0 km."
    assert model.index(0, 3).data() == "5.0 km"
