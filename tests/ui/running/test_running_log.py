"""The running log by keyboard on a real database: quick entry, inline errors, editing, deleting, read-only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.assessment import keyboard as kb
from tests.ui.running.conftest import Log, events
from ui.running.run_editor_dialog import CONFLICT_MESSAGE
from ui.running.run_table import RunColumn
from workstation.running.records import RunRecord

TODAY = date(2025, 6, 15)


def _type_in(qtbot: QtBot, log: Log, field: object, text: str) -> None:
    """Alt+ the field's letter, select what is there, type."""
    kb.focus_on(qtbot, field)  # type: ignore[arg-type]
    kb.press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    kb.type_text(qtbot, text)


def test_a_run_typed_and_entered_is_stored_and_listed(qtbot: QtBot, make_log: Callable[..., Log]) -> None:
    log = make_log()
    fields = log.widget.entry.fields
    assert fields.date.text() == "15/06/2025"  # today by default
    _type_in(qtbot, log, fields.distance, "8.5")
    _type_in(qtbot, log, fields.duration, "0:45")
    _type_in(qtbot, log, fields.effort, "6")
    _type_in(qtbot, log, fields.shoes, "Pegasus 40")
    kb.focus_on(qtbot, fields.hills)
    kb.type_text(qtbot, "Y")
    with qtbot.waitSignal(log.widget.runs_changed, timeout=10_000) as changed:
        kb.press(qtbot, Qt.Key.Key_Return)
    assert changed.args == [log.patient_id]
    [stored] = log.stored()
    assert (stored.run_on, stored.distance_km, stored.duration_min, stored.perceived_effort) == (TODAY, 8.5, 45.0, 6)
    assert (stored.shoes, stored.hills, stored.speed_work, stored.source) == ("Pegasus 40", True, None, "manual")
    assert stored.recorded_by == log.actor.user_id
    model = log.widget.model
    assert model.rowCount() == 1 and model.index(0, RunColumn.DISTANCE).data() == "8.5 km"
    # Ready for the next: the cursor in Distance, the row empty, today's date and the same shoes kept.
    assert QApplication.focusWidget() is fields.distance
    assert (fields.distance.text(), fields.duration.text(), fields.effort.text()) == ("", "", "")
    assert fields.shoes.currentText() == "Pegasus 40" and fields.hills.currentData() is None
    kb.type_text(qtbot, "5")
    with qtbot.waitSignal(log.widget.runs_changed, timeout=10_000):
        kb.press(qtbot, Qt.Key.Key_Return)
    assert sorted(r.distance_km for r in log.stored()) == [5.0, 8.5]
    assert {r.shoes for r in log.stored()} == {"Pegasus 40"}
    assert log.widget.summary.text() == "This week 13.5 km · last week 0.0 km"


def test_miles_are_typed_in_miles_and_stored_in_km(qtbot: QtBot, make_log: Callable[..., Log]) -> None:
    log = make_log(unit="mi")
    fields = log.widget.entry.fields
    assert fields.labels["distance_km"].text() == "Dis&tance (mi)"
    _type_in(qtbot, log, fields.distance, "5")
    _type_in(qtbot, log, fields.shoes, "Trail pair")
    with qtbot.waitSignal(log.widget.runs_changed, timeout=10_000):
        kb.press(qtbot, Qt.Key.Key_Return)  # Enter in the shoes' editable box saves too
    assert log.stored()[0].shoes == "Trail pair"
    assert log.stored()[0].distance_km == pytest.approx(8.04672)
    assert log.widget.model.index(0, RunColumn.DISTANCE).data() == "5.0 mi"


def test_zero_km_and_a_future_date_are_refused_beside_their_fields(qtbot: QtBot, make_log: Callable[..., Log]) -> None:
    log = make_log()
    fields = log.widget.entry.fields
    _type_in(qtbot, log, fields.distance, "0")
    _type_in(qtbot, log, fields.note, "Easy loop")
    kb.press(qtbot, Qt.Key.Key_Return)
    assert fields.messages["distance_km"].message == "Distance must be more than 0 km."
    assert fields.messages["distance_km"].isVisible()
    assert QApplication.focusWidget() is fields.distance  # straight to what needs correcting
    _type_in(qtbot, log, fields.distance, "6")
    _type_in(qtbot, log, fields.date, "16/06/2025")
    kb.press(qtbot, Qt.Key.Key_Return)
    assert fields.messages["run_on"].message.startswith("The run date is in the future")
    assert not fields.messages["distance_km"].isVisible()
    _type_in(qtbot, log, fields.date, "31/02/2025")
    kb.press(qtbot, Qt.Key.Key_Return)
    assert fields.messages["run_on"].message == "Type the date as DD/MM/YYYY, for example 02/04/1990."
    assert log.stored() == [] and log.widget.model.rowCount() == 0
    assert (fields.distance.text(), fields.note.text()) == ("6", "Easy loop")  # nothing typed is lost


def test_enter_on_a_run_edits_it_and_delete_removes_it_after_asking(qtbot: QtBot, make_log: Callable[..., Log]) -> None:
    log = make_log(runs=[RunRecord(0, date(2025, 6, 10), 10.0, duration_min=55.0), RunRecord(0, TODAY, 4.0)])
    table = log.widget.table
    table.setFocus()
    table.selectRow(1)  # newest first: the 10 km of 10 June
    kb.press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: log.widget.editor is not None and log.widget.editor.isVisible(), timeout=5_000)
    editor = log.widget.editor
    assert editor is not None and editor.fields.distance.text() == "10"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.fields.distance, timeout=5_000)
    _type_in(qtbot, log, editor.fields.distance, "12")
    with qtbot.waitSignal(log.widget.runs_changed, timeout=10_000):
        kb.press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: log.widget.editor is None, timeout=5_000)
    assert sorted(r.distance_km for r in log.stored()) == [4.0, 12.0]
    assert log.widget.model.index(1, RunColumn.DISTANCE).data() == "12.0 km"
    assert "run.changed" in events(log)

    log.widget.activateWindow()  # the offscreen platform does not hand activation back when a dialog closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is log.widget, timeout=5_000)
    table.setFocus()
    table.selectRow(0)
    kb.press(qtbot, Qt.Key.Key_Delete)
    box = log.widget.delete_confirmation
    assert box is not None and "4.0 km on 15/06/2025" in box.text()
    with qtbot.waitSignal(log.widget.runs_changed, timeout=10_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert [r.distance_km for r in log.stored()] == [12.0]
    assert log.widget.model.rowCount() == 1
    assert "run.deleted" in events(log)


def test_a_stale_edit_says_so_and_shows_the_stored_version(qtbot: QtBot, make_log: Callable[..., Log]) -> None:
    log = make_log(runs=[RunRecord(0, date(2025, 6, 10), 10.0)])
    log.widget.table.selectRow(0)
    log.widget.edit_button.click()
    editor = log.widget.editor
    assert editor is not None
    [stored] = log.stored()
    log.store.running_log.update(RunRecord(**{**_fields(stored), "distance_km": 11.0}))  # someone else, meanwhile
    editor.fields.distance.setText("12")
    editor.save_button.click()
    qtbot.waitUntil(lambda: editor.banner.isVisible() and not editor.save_button.isHidden(), timeout=10_000)
    qtbot.waitUntil(lambda: editor.fields.distance.text() == "11", timeout=10_000)
    assert editor.banner.text == CONFLICT_MESSAGE
    assert [r.distance_km for r in log.stored()] == [11.0]
    editor.fields.distance.setText("12")  # saved again, now over the version seen
    with qtbot.waitSignal(log.widget.runs_changed, timeout=10_000):
        editor.save_button.click()
    assert [r.distance_km for r in log.stored()] == [12.0]


def test_read_only_offers_no_entry_edit_delete_or_import(qtbot: QtBot, make_log: Callable[..., Log]) -> None:
    log = make_log(may_edit=False, runs=[RunRecord(0, TODAY, 4.0)])
    widget = log.widget
    assert not widget.entry.isVisible()
    assert not any(b.isVisible() for b in (widget.import_button, widget.edit_button, widget.delete_button))
    widget.table.setFocus()
    widget.table.selectRow(0)
    kb.press(qtbot, Qt.Key.Key_Return)
    kb.press(qtbot, Qt.Key.Key_Delete)
    widget.table.doubleClicked.emit(widget.model.index(0, 0))
    assert widget.editor is None and widget.delete_confirmation is None
    assert widget.model.rowCount() == 1


def _fields(run: RunRecord) -> dict[str, object]:
    return {name: getattr(run, name) for name in RunRecord.__dataclass_fields__}
