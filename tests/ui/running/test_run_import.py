"""Importing runs from a file through the dialog, on a real database: a generic CSV with its columns mapped,
a file with one bad row that cannot be committed, a failed commit that stores nothing, and Strava's export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date
from pathlib import Path

from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from tests.ui.running.conftest import Log, events
from ui.running.import_preview_table import STATUS_ROLE
from ui.running.run_import_dialog import STRAVA_NOTE, RunImportDialog
from workstation.running.records import RunRecord
from workstation.security.accounts import Role

GENERIC = "When,How far,Time,Comment\n01/06/2025,5,30,easy\n03/06/2025,6.2,40,\n05/06/2025,8,52,long\n"
ONE_BAD_ROW = "Date,Distance (km),Duration (min)\n01/06/2025,5,30\n03/06/2025,-4,40\n05/06/2025,8,52\n"
STRAVA = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Moving Time,Distance,"
    "Perceived Exertion,Activity Gear\n"
    '101,"Jun 1, 2025, 7:10:00 AM",Morning Run,Run,1900,5.02,1800,5020.0,4,Pegasus\n'
    '102,"Jun 2, 2025, 5:00:00 PM",Commute,Ride,2400,12.0,2300,12000.0,,\n'
    '103,"Jun 4, 2025, 6:30:00 AM",Hills,Trail Run,3000,7.5,2900,7500.0,7,Speedgoat\n'
)


def _open_import(log: Log, tmp_path: Path, text: str, name: str = "runs.csv") -> RunImportDialog:
    log.widget.import_button.click()
    dialog = log.widget.import_dialog
    assert dialog is not None and dialog.isVisible()
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    dialog.load_file(path)
    return dialog


def _choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{combo.objectName()} has no {text!r}"
    combo.setCurrentIndex(index)


def _statuses(dialog: RunImportDialog) -> list[str]:
    model = dialog.preview_model
    return [model.index(row, 0).data(STATUS_ROLE) for row in range(model.rowCount())]


def test_a_generic_file_is_mapped_previewed_live_and_imported(
    qtbot: QtBot, make_log: Callable[..., Log], tmp_path: Path
) -> None:
    log = make_log(runs=[RunRecord(0, date(2025, 6, 3), 9.978, duration_min=40.0)])  # 6.2 mi: already logged
    dialog = _open_import(log, tmp_path, GENERIC)
    assert dialog.mapping_box.isVisible() and dialog.kind_label.text() != STRAVA_NOTE
    # "How far" is not a name the guess knows: the distance must be chosen before anything can be imported.
    assert dialog.column_boxes["distance_km"].currentData() is None
    assert not dialog.import_button.isEnabled()
    assert "Choose the column that holds the distance." in [dialog.errors.item(i).text() for i in range(1)]
    _choose(dialog.column_boxes["distance_km"], "How far")
    _choose(dialog.column_boxes["duration_min"], "Time")
    _choose(dialog.column_boxes["note"], "Comment")
    assert _statuses(dialog) == ["import", "import", "import"]
    assert dialog.preview_model.index(0, 3).data() == "5.0 km"
    _choose(dialog.unit_box, "Miles")  # the preview follows: 6.2 mi on 3 June is the run already logged
    assert _statuses(dialog) == ["import", "duplicate", "import"]
    assert dialog.preview_model.index(0, 3).data() == "8.0 km"
    assert dialog.summary.text() == "2 runs will be imported, 1 duplicate skipped."
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "&Import 2 runs"
    with qtbot.waitSignal(log.widget.runs_changed, timeout=10_000):
        dialog.import_button.click()
    qtbot.waitUntil(lambda: log.widget.import_dialog is None and log.widget.model.rowCount() == 3, timeout=10_000)
    imported = sorted((r for r in log.stored() if r.source == "csv"), key=lambda r: r.run_on)
    assert [(r.run_on, round(r.distance_km, 3), r.duration_min, r.note) for r in imported] == [
        (date(2025, 6, 1), 8.047, 30.0, "easy"),
        (date(2025, 6, 5), 12.875, 52.0, "long"),
    ]
    assert "runs.imported" in events(log)


def test_choosing_a_distance_column_that_names_its_unit_takes_that_unit(
    make_log: Callable[..., Log], tmp_path: Path
) -> None:
    log = make_log()
    dialog = _open_import(log, tmp_path, "When,Distance (km),How far (mi)\n01/06/2025,8.0,5\n")
    assert dialog.unit_box.currentData() == "km"
    _choose(dialog.column_boxes["distance_km"], "How far (mi)")
    assert dialog.unit_box.currentData() == "mi"
    assert dialog.preview_model.index(0, 3).data() == "8.0 km"  # 5 mi, shown in the clinic's km


def test_a_file_with_one_bad_row_cannot_be_committed(
    qtbot: QtBot, make_log: Callable[..., Log], tmp_path: Path
) -> None:
    log = make_log()
    dialog = _open_import(log, tmp_path, ONE_BAD_ROW)
    assert _statuses(dialog) == ["import", "error", "import"]
    assert not dialog.import_button.isEnabled()
    errors = [dialog.errors.item(i).text() for i in range(dialog.errors.count())]
    assert errors == ["Line 3, Distance (km): Distance must be more than 0 km."]
    assert "1 row has errors" in dialog.summary.text() and "Nothing is imported" in dialog.summary.text()
    dialog.commit()  # even asked directly, it stores nothing
    assert log.stored() == []


def test_a_commit_that_fails_stores_nothing_and_says_why(
    qtbot: QtBot, make_log: Callable[..., Log], tmp_path: Path
) -> None:
    log = make_log()
    dialog = _open_import(log, tmp_path, ONE_BAD_ROW.replace("-4", "4"))
    assert dialog.preview is not None and dialog.preview.can_commit
    reception = replace(log.actor, role=Role.RECEPTION)
    dialog._service = lambda: log.service(reception)  # the role changed since the dialog opened
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.banner.isVisible(), timeout=10_000)
    assert dialog.banner.text.startswith("Nothing was imported.")
    assert dialog.isVisible() and dialog.import_button.isEnabled()
    assert log.stored() == []


def test_strava_export_is_recognised_and_imported(qtbot: QtBot, make_log: Callable[..., Log], tmp_path: Path) -> None:
    log = make_log()
    log.widget.import_button.click()
    dialog = log.widget.import_dialog
    assert dialog is not None
    dialog._zone = UTC  # the export's times are UTC; this clinic is on UTC for the test
    path = tmp_path / "activities.csv"
    path.write_text(STRAVA, encoding="utf-8")
    dialog.load_file(path)
    assert dialog.kind_label.text() == STRAVA_NOTE and not dialog.mapping_box.isVisible()
    assert _statuses(dialog) == ["import", "skipped", "import"]
    assert dialog.preview_model.index(1, 5).data() == "Not a run (Ride)."
    with qtbot.waitSignal(dialog.runs_imported, timeout=10_000) as imported:
        dialog.import_button.click()
    assert imported.args == [2]
    stored = sorted(log.stored(), key=lambda r: r.run_on)
    assert [(r.external_id, r.distance_km, r.duration_min, r.surface, r.shoes) for r in stored] == [
        ("101", 5.02, 30.0, None, "Pegasus"),
        ("103", 7.5, 2900 / 60, "trail", "Speedgoat"),
    ]
    assert {r.source for r in stored} == {"strava"}
