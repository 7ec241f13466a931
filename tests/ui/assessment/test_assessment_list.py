"""Finalised assessments on the patient view: exported as the contract's JSON, corrected as a linked version."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.assessment.desk import Desk, make_desk, open_wizard, walk_document
from tests.workstation.clinical.test_differential_worked_cases import WORKED_CASES
from ui.assessment.wizard import AssessmentWizard
from workstation.audit.records import AuditEvent
from workstation.ports import AuditQuery, ClinicStore


def _finalised_overload(qtbot: QtBot, desk: Desk) -> int:
    document = WORKED_CASES["overload"][0]
    wizard = open_wizard(qtbot, desk)
    with qtbot.waitSignal(wizard.finished_assessment, timeout=10_000) as finished:
        walk_document(qtbot, wizard, document, impression="overload", actions={})
    record_id: int = finished.args[0].id
    view = desk.window.patient_view
    qtbot.waitUntil(lambda: view.assessment_list is not None and view.assessment_list.model.rowCount() == 1,
                    timeout=10_000)  # fmt: skip
    return record_id


def _audited(desk: Desk, event: AuditEvent) -> list[str]:
    return [e.object_id for e in desk.store.audit.query(AuditQuery(event=event, patient_id=desk.patient_id))]


@pytest.fixture
def desk(qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]) -> Desk:
    return make_desk(qtbot, open_store(), today, age=38, sex="male")


def test_a_finalised_assessment_is_listed_and_exported_exactly_as_stored(
    qtbot: QtBot, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_id = _finalised_overload(qtbot, desk)
    listed = desk.window.patient_view.assessment_list
    assert listed is not None
    assert listed.model.index(0, 1).data() == "Calf overload"  # the clinician's impression, not the ranking
    target = tmp_path / "out.json"
    monkeypatch.setattr("ui.assessment.assessment_files.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    listed.export_button.click()
    qtbot.waitUntil(target.exists, timeout=10_000)
    stored = desk.store.assessments.get(record_id).document
    assert target.read_text(encoding="utf-8") == stored + "\n"
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "calfdesk.assessment/1"
    assert _audited(desk, AuditEvent.ASSESSMENT_EXPORTED) == [str(record_id)]


def test_a_correction_is_a_new_version_linked_to_the_old_one_with_its_reason(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_id = _finalised_overload(qtbot, desk)
    view = desk.window.patient_view
    assert view.assessment_list is not None
    monkeypatch.setattr(
        "ui.assessment.assessment_files.QInputDialog.getText", lambda *a, **k: ("Left count was 19, not 18", True)
    )
    before = set(desk.window.findChildren(AssessmentWizard))
    view.assessment_list.correct_button.click()
    qtbot.waitUntil(lambda: any(w.isVisible() for w in set(desk.window.findChildren(AssessmentWizard)) - before),
                    timeout=10_000)  # fmt: skip
    [wizard] = [w for w in set(desk.window.findChildren(AssessmentWizard)) - before if w.isVisible()]
    assert wizard.windowTitle().startswith("Correction")
    assert wizard.state.value("heel_raise.left_reps") == 18  # everything of the original, ready to correct
    wizard.state.edit("heel_raise.left_reps", 19)
    with qtbot.waitSignal(wizard.finished_assessment, timeout=10_000) as finished:
        wizard.accept()
    corrected = finished.args[0]
    assert corrected.amends_id == record_id
    assert corrected.amendment_reason == "Left count was 19, not 18"
    current = desk.store.assessments.current_for_patient(desk.patient_id)
    assert [a.id for a in current] == [corrected.id]
    assert json.loads(current[0].document)["heel_raise"]["left_reps"] == 19
    assert json.loads(desk.store.assessments.get(record_id).document)["heel_raise"]["left_reps"] == 18  # kept
    assert _audited(desk, AuditEvent.ASSESSMENT_AMENDED) == [str(corrected.id)]


def test_a_correction_without_a_reason_is_not_started(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    _finalised_overload(qtbot, desk)
    view = desk.window.patient_view
    assert view.assessment_list is not None
    monkeypatch.setattr("ui.assessment.assessment_files.QInputDialog.getText", lambda *a, **k: ("", False))
    before = set(desk.window.findChildren(AssessmentWizard))
    view.assessment_list.correct_button.click()  # the question is answered at once: nothing waits
    assert not [w for w in set(desk.window.findChildren(AssessmentWizard)) - before if w.isVisible()]


def test_the_assessment_model_passes_the_model_tester(qtmodeltester: object) -> None:
    from ui.patients.assessment_list import AssessmentTableModel
    from workstation.assessment.records import AssessmentRecord
    from workstation.dates import DateOrder

    model = AssessmentTableModel(DateOrder.DAY_MONTH_YEAR)
    detail = json.dumps({"impression": {"condition": "neural", "text": "L5 pattern"}})
    model.set_records([
        AssessmentRecord(1, 1, date(2026, 10, 1), "{}", "{}", detail, "routine", id=3),
        AssessmentRecord(1, 1, date(2026, 11, 1), "{}", "{}", "{}", "urgent", id=4, amends_id=3),
    ])  # fmt: skip
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert [model.index(row, 0).data() for row in range(2)] == ["01/11/2026", "01/10/2026"]  # newest first
    assert model.index(1, 1).data() == "Neural tension or referral from the back: L5 pattern"
    assert (model.index(0, 2).data(), model.index(0, 3).data()) == ("Urgent – same day", "Correction")


def _listed(qtbot: QtBot) -> Any:
    from ui.patients.assessment_list import AssessmentListWidget
    from workstation.assessment.records import AssessmentRecord
    from workstation.dates import DateOrder

    listed = AssessmentListWidget(DateOrder.DAY_MONTH_YEAR)
    qtbot.addWidget(listed)
    listed.set_records([
        AssessmentRecord(1, 1, date(2026, 10, 1), "{}", "{}", "{}", "routine", id=3),
        AssessmentRecord(1, 1, date(2026, 11, 1), "{}", "{}", "{}", "urgent", id=4),
    ], may_correct=False)  # fmt: skip
    listed.resize(700, 300)
    listed.show()
    qtbot.waitExposed(listed)
    return listed


def test_double_clicking_a_row_asks_to_view_that_assessment(qtbot: QtBot) -> None:
    listed = _listed(qtbot)
    table = listed.table
    older = table.visualRect(listed.model.index(1, 1)).center()  # newest first: row 1 is the older one
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=older)  # a double-click's first press
    with qtbot.waitSignal(listed.view_requested, timeout=2_000) as requested:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=older)
    assert requested.args == [3]


def test_enter_on_a_row_or_the_view_button_asks_to_view_it(qtbot: QtBot) -> None:
    listed = _listed(qtbot)
    table = listed.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus, timeout=2_000)
    qtbot.keyClick(table, Qt.Key.Key_Down)  # from the newest to the older one
    with qtbot.waitSignal(listed.view_requested, timeout=2_000) as requested:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert requested.args == [3]
    with qtbot.waitSignal(listed.view_requested, timeout=2_000) as requested:
        qtbot.keyClick(table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert requested.args == [3]
    assert listed.view_button.isEnabled() and not listed.correct_button.isEnabled()
    with qtbot.waitSignal(listed.view_requested, timeout=2_000) as requested:
        listed.view_button.click()
    assert requested.args == [3]


def test_nothing_to_view_without_a_row(qtbot: QtBot) -> None:
    listed = _listed(qtbot)
    listed.set_records([], may_correct=True)
    assert not listed.view_button.isEnabled()
    with qtbot.assertNotEmitted(listed.view_requested):
        qtbot.keyClick(listed.table, Qt.Key.Key_Return)
