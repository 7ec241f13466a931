"""Red flags in the wizard, on a real database: never skipped, stored when raised, resolved only with an action.

The red-flag screen cannot be passed with a Wells item unanswered; a raised flag is stored at once and stays
on the patient view (even when the wizard is cancelled) until an action is recorded there or typed in the
wizard; an assessment with an unresolved flag is not finalised, and every step is audited.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox, QPushButton, QWizard
from pytestqt.qtbot import QtBot

from tests.ui.assessment import keyboard as kb
from tests.ui.assessment.desk import Desk, choose_onset, go_to, make_desk, open_wizard, page, walk_document
from tests.workstation.clinical.documents import deep_merge
from tests.workstation.clinical.test_differential_worked_cases import DVT, OVERLOAD
from ui.assessment.flag_action_dialog import FlagActionDialog
from ui.assessment.red_flag_banner import RedFlagBanner
from ui.assessment.wizard import AssessmentWizard
from workstation.audit.records import AuditEvent
from workstation.clinical.wells import WELLS_ITEMS
from workstation.ports import AuditQuery, ClinicStore

DVT_MISSING = "Record what you did about the suspected DVT"
ACTION = "Phoned GP practice 11:20, patient sent to ED"


@pytest.fixture
def desk(qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]) -> Desk:
    return make_desk(qtbot, open_store(), today, age=62, sex="female")


class MessageBoxes:
    """Answers the message boxes the wizard opens (a nested event loop would stall the test) and keeps
    their texts; checks often enough that no box waits for long."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.texts.append(box.text())
            box.done(QMessageBox.StandardButton.Ok)

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def message_boxes() -> Iterator[MessageBoxes]:
    boxes = MessageBoxes()
    yield boxes
    boxes.stop()


def _audited(desk: Desk, event: AuditEvent) -> list[str]:
    return [e.object_id for e in desk.store.audit.query(AuditQuery(event=event, patient_id=desk.patient_id))]


def _patient_banner(desk: Desk) -> RedFlagBanner | None:
    shown = [b for b in desk.window.findChildren(RedFlagBanner, "patientRedFlags") if b.isVisible()]
    return shown[0] if shown else None


def _refuse_finalising_without_the_action(qtbot: QtBot, desk: Desk, boxes: MessageBoxes) -> AssessmentWizard:
    """The DVT worked case typed in full, impression chosen, no action: Alt+F, and the refusal has come back."""
    wizard = open_wizard(qtbot, desk)
    walk_document(qtbot, wizard, DVT, impression="dvt", actions=None, finalise=True)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: finish.isEnabled() and bool(boxes.texts or _summary_lists(wizard)), timeout=10_000)
    # The window system gives the wizard back the keyboard once a message box closes; offscreen has none.
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=5_000)
    return wizard


def _summary_lists(wizard: AssessmentWizard) -> bool:
    summary = page(wizard, "summary")
    return any(DVT_MISSING in label.text() for label in summary.findChildren(QLabel) if label.isVisible())


def test_a_flag_without_an_action_is_not_finalised_and_the_user_is_told_what_is_missing(
    qtbot: QtBot, desk: Desk, message_boxes: MessageBoxes
) -> None:
    wizard = _refuse_finalising_without_the_action(qtbot, desk, message_boxes)

    assert wizard.isVisible() and page(wizard, "summary") is wizard.currentPage()
    told = "\n".join(message_boxes.texts) + ("\n" + DVT_MISSING if _summary_lists(wizard) else "")
    assert DVT_MISSING in told
    assert desk.store.assessments.current_for_patient(desk.patient_id) == []
    assert _audited(desk, AuditEvent.ASSESSMENT_FINALISED) == []
    # The flag itself is on record, unresolved, and the typing is still a draft.
    assert [(f.code, f.resolved) for f in desk.store.red_flags.for_patient(desk.patient_id)] == [("dvt", False)]
    assert desk.session.assessments.draft_for(desk.patient_id, desk.episode_id) is not None

    # Typing the action on the summary and Alt+F again: stored, and the flag resolved with that action.
    card = page(wizard, "summary").banner.card("dvt")
    assert card is not None and card.action_field is not None
    kb.tab_to(qtbot, card.action_field)
    kb.type_text(qtbot, ACTION)
    with qtbot.waitSignal(wizard.finished_assessment, timeout=10_000):
        kb.alt(qtbot, "f")
    [flag] = desk.store.red_flags.for_patient(desk.patient_id)
    assert (flag.resolved, flag.action) == (True, ACTION)
    assert len(desk.store.assessments.current_for_patient(desk.patient_id)) == 1


def test_what_is_missing_is_listed_on_the_summary_page(qtbot: QtBot, desk: Desk, message_boxes: MessageBoxes) -> None:
    wizard = _refuse_finalising_without_the_action(qtbot, desk, message_boxes)

    assert message_boxes.texts == []  # no box over the wizard: the page says it, beside what it is about
    assert _summary_lists(wizard)


def _screen_with_dvt_suspected(qtbot: QtBot, wizard: AssessmentWizard) -> None:
    """History's side, then the red-flag screen all "no" except "Do you suspect a DVT?"."""
    history = page(wizard, "history")
    choose_onset(qtbot, history, "gradual")
    kb.choose(qtbot, history.fields["symptomatic_side"], "left")
    go_to(qtbot, wizard, "red_flags")
    red_flags = page(wizard, "red_flags")
    for field in red_flags.wells_fields.values():
        kb.answer_yes_no(qtbot, field, False)
    for key, field in red_flags.question_fields.items():
        kb.answer_yes_no(qtbot, field, key == "dvt_suspected")


def test_a_raised_flag_is_stored_at_once_and_stays_on_the_patient_view_until_an_action_is_recorded(
    qtbot: QtBot, desk: Desk
) -> None:
    wizard = open_wizard(qtbot, desk)
    _screen_with_dvt_suspected(qtbot, wizard)
    assert page(wizard, "red_flags").banner.codes == ["dvt"]
    kb.next_page(qtbot, wizard)  # the page change saves the draft and stores the flag
    qtbot.waitUntil(lambda: len(desk.store.red_flags.unresolved_for_patient(desk.patient_id)) == 1, timeout=10_000)

    kb.press(qtbot, Qt.Key.Key_Escape)  # cancel: the flag stays, and so does the typing
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: _patient_banner(desk) is not None, timeout=10_000)
    banner = _patient_banner(desk)
    assert banner is not None and banner.codes == ["dvt"]
    assert desk.store.assessments.current_for_patient(desk.patient_id) == []
    [flag] = desk.store.red_flags.unresolved_for_patient(desk.patient_id)
    assert flag.code == "dvt" and not flag.resolved
    assert _audited(desk, AuditEvent.RED_FLAG_RAISED) == [str(flag.id)]
    draft = desk.session.assessments.draft_for(desk.patient_id, desk.episode_id)
    assert draft is not None and draft.get("red_flags.dvt_suspected") is True

    # Recording the action from the patient view: the dialog's OK waits for some text.
    button = desk.window.patient_view.findChild(QPushButton, "resolveFlag_dvt")
    assert button is not None
    button.click()
    qtbot.waitUntil(lambda: desk.window.findChild(FlagActionDialog) is not None, timeout=5_000)
    dialog = desk.window.findChild(FlagActionDialog)
    assert dialog is not None
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.action_edit, ACTION)
    assert ok.isEnabled()
    ok.click()

    qtbot.waitUntil(lambda: desk.store.red_flags.unresolved_for_patient(desk.patient_id) == [], timeout=10_000)
    qtbot.waitUntil(lambda: _patient_banner(desk) is None, timeout=10_000)
    [resolved] = desk.store.red_flags.for_patient(desk.patient_id)
    assert (resolved.id, resolved.action) == (flag.id, ACTION)
    assert _audited(desk, AuditEvent.RED_FLAG_RAISED) == [str(flag.id)]
    assert _audited(desk, AuditEvent.RED_FLAG_RESOLVED) == [str(flag.id)]


def test_an_action_typed_in_the_wizard_is_stored_with_the_flag_resolved_when_finalising(
    qtbot: QtBot, desk: Desk
) -> None:
    suspected = deep_merge(OVERLOAD, {"red_flags": {"dvt_suspected": True}})
    wizard = open_wizard(qtbot, desk)
    walk_document(qtbot, wizard, suspected, impression="overload", finalise=False)
    # The action typed on the red-flag screen's own banner is the one the summary shows and finalising keeps.
    red_flags = page(wizard, "red_flags")
    assert page(wizard, "summary").banner.codes == ["dvt"]
    while wizard.currentPage() is not red_flags:  # Alt+B back to the screen
        kb.previous_page(qtbot, wizard)
    card = red_flags.banner.card("dvt")
    assert card is not None and card.action_field is not None
    kb.tab_to(qtbot, card.action_field)
    kb.type_text(qtbot, ACTION)
    go_to(qtbot, wizard, "summary")
    summary_card = page(wizard, "summary").banner.card("dvt")
    assert summary_card is not None and summary_card.action_field is not None
    assert summary_card.action_field.text() == ACTION
    with qtbot.waitSignal(wizard.finished_assessment, timeout=10_000) as finished:
        kb.alt(qtbot, "f")

    record = finished.args[0]
    assert json.loads(record.detail)["red_flag_actions"] == {"dvt": ACTION}
    assert json.loads(record.evaluation)["differential"][0]["condition"] == "dvt"  # moved first by the flag
    [flag] = desk.store.red_flags.for_patient(desk.patient_id)
    assert (flag.code, flag.resolved, flag.action) == ("dvt", True, ACTION)
    assert _audited(desk, AuditEvent.RED_FLAG_RAISED) == [str(flag.id)]
    assert _audited(desk, AuditEvent.RED_FLAG_RESOLVED) == [str(flag.id)]
    assert _audited(desk, AuditEvent.ASSESSMENT_FINALISED) == [str(record.id)]
    qtbot.waitUntil(lambda: _patient_banner(desk) is None, timeout=10_000)


def test_the_red_flag_screen_cannot_be_passed_with_any_wells_item_unanswered(qtbot: QtBot, desk: Desk) -> None:
    wizard = open_wizard(qtbot, desk)
    history = page(wizard, "history")
    choose_onset(qtbot, history, "gradual")
    kb.choose(qtbot, history.fields["symptomatic_side"], "left")
    go_to(qtbot, wizard, "red_flags")
    red_flags = page(wizard, "red_flags")
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    for field in red_flags.question_fields.values():
        kb.answer_yes_no(qtbot, field, False)
    assert not next_button.isEnabled()  # nothing of Wells answered yet
    for item in WELLS_ITEMS:
        kb.answer_yes_no(qtbot, red_flags.wells_fields[item.key], False)

    for item in WELLS_ITEMS:  # each item in turn left unanswered, all the others answered
        field = red_flags.wells_fields[item.key]
        kb.focus_on(qtbot, field)
        kb.press(qtbot, Qt.Key.Key_Delete)
        assert not red_flags.isComplete()
        assert not next_button.isEnabled(), item.key
        with qtbot.assertNotEmitted(wizard.currentIdChanged, wait=150):
            kb.alt(qtbot, "n")
        assert wizard.currentPage() is red_flags, item.key
        kb.press(qtbot, Qt.Key.Key_N)

    assert next_button.isEnabled()
    kb.next_page(qtbot, wizard)
    assert wizard.currentPage() is page(wizard, "examination")
