"""The heel-raise page: counting by keyboard, the live reading, the protocol in the draft, and the timers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSpinBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TODAY
from ui.assessment.heel_raise_page import HeelRaisePage
from ui.assessment.wizard_state import WizardState
from workstation.assessment.draft import AssessmentDraft


def make_state(side: str = "left", patient: dict[str, object] | None = None) -> WizardState:
    patient = patient if patient is not None else {"age_years": 34, "sex": "female"}
    draft = AssessmentDraft.new(7, 3, assessed_on=TODAY, side=side, patient=patient)
    return WizardState(draft, today=lambda: TODAY, country=None)


@pytest.fixture
def state() -> WizardState:
    return make_state()


@pytest.fixture
def page(qtbot: QtBot, state: WizardState) -> Iterator[HeelRaisePage]:
    page = HeelRaisePage(state)
    qtbot.addWidget(page)
    page.initializePage()
    page.show()
    qtbot.waitExposed(page)
    yield page
    page.stop_timers()


def combo(page: HeelRaisePage, key: str) -> QComboBox:
    widget = page.fields[key]
    assert isinstance(widget, QComboBox)
    return widget


def choose(qtbot: QtBot, box: QComboBox, text: str) -> None:
    """Pick an item by keyboard: focus the box and step down until its text shows."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(box.count()):
        if box.currentText() == text:
            return
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == text


def press(qtbot: QtBot, page: HeelRaisePage, key: Qt.Key, times: int = 1) -> None:
    tally = page.counter.tallies[page.counter.active_leg]
    for _ in range(times):
        qtbot.keyClick(tally, key)


def test_space_counts_raises_on_the_active_leg_and_the_reading_follows(
    qtbot: QtBot, page: HeelRaisePage, state: WizardState
) -> None:
    page.counter.focus_active()
    assert page.counter.active_leg == "left"
    press(qtbot, page, Qt.Key.Key_Space, 18)
    assert state.value("heel_raise.left_reps") == 18
    assert page.counter.tallies["left"].number.text() == "18"
    assert "needs both legs" in page.lsi_label.text()

    qtbot.keyClick(page.counter.tallies["left"], Qt.Key.Key_Right)  # change leg by keyboard
    assert page.counter.active_leg == "right"
    assert page.counter.tallies["right"].hasFocus()
    press(qtbot, page, Qt.Key.Key_Space, 31)

    assert state.value("heel_raise.left_reps") == 18
    assert state.value("heel_raise.right_reps") == 31
    assert page.lsi_label.text() == "LSI 58.1 %"
    assert "Asymmetry 41.9 %" in page.results.text()
    assert "Norm for age and sex: 27 raises" in page.results.text()
    assert "Runner target 30" in page.results.text() and "40 is aspirational" in page.results.text()
    flags = page.flags_label.text()
    assert "Below the runner target of 30" in flags
    assert "Below the norm for age and sex (27)" in flags
    assert "LSI below 90 %" in flags
    # The engine's own evaluation of the draft agrees with what the page shows.
    assert state.evaluation is not None
    assert state.evaluation.as_json()["heel_raise"]["lsi_percent"] == 58.1


def test_backspace_takes_a_raise_off_and_never_goes_below_zero(
    qtbot: QtBot, page: HeelRaisePage, state: WizardState
) -> None:
    page.counter.focus_active()
    press(qtbot, page, Qt.Key.Key_Space, 3)
    press(qtbot, page, Qt.Key.Key_Backspace)
    assert state.value("heel_raise.left_reps") == 2
    press(qtbot, page, Qt.Key.Key_Backspace, 5)
    assert state.value("heel_raise.left_reps") == 0
    assert page.counter.tallies["left"].number.text() == "0"


def test_tab_and_letter_keys_switch_leg_and_a_click_adds_one(qtbot: QtBot, page: HeelRaisePage) -> None:
    page.counter.focus_active()
    qtbot.keyClick(page.counter.tallies["left"], Qt.Key.Key_Tab)
    assert page.counter.active_leg == "right"
    qtbot.keyClick(page.counter.tallies["right"], Qt.Key.Key_L)
    assert page.counter.active_leg == "left"
    qtbot.mouseClick(page.counter.tallies["right"], Qt.MouseButton.LeftButton)
    assert page.counter.active_leg == "right"
    assert page.counter.count("right") == 1
    assert page.counter.count("left") is None


def test_counts_can_be_typed(qtbot: QtBot, page: HeelRaisePage, state: WizardState) -> None:
    spin = page.counter.spins["right"]
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "25")
    assert state.value("heel_raise.right_reps") == 25
    assert page.counter.tallies["right"].number.text() == "25"


def test_protocol_fields_go_to_the_contract_and_the_detail(
    qtbot: QtBot, page: HeelRaisePage, state: WizardState
) -> None:
    assert state.detail("heel_raise.cadence_bpm") == 60  # the default shown is recorded
    choose(qtbot, combo(page, "surface"), "10° incline board")
    assert state.value("heel_raise.protocol") == "incline_10deg_60bpm"
    assert state.detail("heel_raise.incline_deg") == 10
    cadence = page.fields["cadence"]
    assert isinstance(cadence, QSpinBox)
    cadence.setFocus()
    cadence.selectAll()
    qtbot.keyClicks(cadence, "80")
    assert state.detail("heel_raise.cadence_bpm") == 80
    assert state.value("heel_raise.protocol") == "other"  # an incline at a non-standard pace
    choose(qtbot, combo(page, "knee"), "Bent")
    assert state.value("heel_raise.knee") == "bent"
    assert page.messages["knee_angle"].message == "Record the knee angle used."
    angle = page.fields["knee_angle"]
    assert isinstance(angle, QSpinBox)
    angle.setFocus()
    angle.selectAll()
    qtbot.keyClicks(angle, "30")
    assert state.detail("heel_raise.knee_angle_deg") == 30
    assert not page.messages["knee_angle"].message
    assert "straight-knee norm" in page.results.text()
    choose(qtbot, combo(page, "footwear"), "Barefoot")
    assert state.detail("heel_raise.footwear") == "barefoot"
    choose(qtbot, combo(page, "first_leg"), "Right")
    assert state.detail("heel_raise.first_leg") == "right"
    assert page.counter.active_leg == "right"


def test_a_pain_stop_is_recorded_and_starts_the_rest(qtbot: QtBot, page: HeelRaisePage, state: WizardState) -> None:
    page.counter.focus_active()
    press(qtbot, page, Qt.Key.Key_Space, 12)
    choose(qtbot, combo(page, "termination_left"), "Pain (their symptoms)")
    assert state.detail("heel_raise.termination_left") == "pain"
    assert state.value("heel_raise.stopped_by_pain") == "left"
    assert page.rest_timer.is_running()
    assert page.counter.active_leg == "right"  # the next raises are the other leg's
    page.stop_timers()


def test_the_metronome_beats_up_and_down_at_the_cadence(qtbot: QtBot, page: HeelRaisePage) -> None:
    metronome = page.metronome
    assert not metronome.is_running() and not metronome.sound_box.isChecked()
    qtbot.keyClick(page, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert metronome.is_running()
    assert metronome.timer.interval() == 1000  # 60 beats a minute
    beats: list[str] = []
    for _ in range(3):
        metronome._on_timer_timeout()
        beats.append(metronome.beat)
    assert beats == ["Up", "Down", "Up"]
    assert metronome.beat_count == 3
    cadence = page.fields["cadence"]
    assert isinstance(cadence, QSpinBox)
    cadence.setValue(120)
    assert metronome.timer.interval() == 500
    qtbot.keyClick(page, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert not metronome.is_running()


def test_the_metronome_really_ticks(qtbot: QtBot, page: HeelRaisePage) -> None:
    cadence = page.fields["cadence"]
    assert isinstance(cadence, QSpinBox)
    cadence.setValue(240)
    page.metronome.start()
    with qtbot.waitSignal(page.metronome.beat_ticked, timeout=5000):
        pass
    assert page.metronome.beat_count >= 1
    page.metronome.stop()


def test_self_paced_has_no_metronome_and_is_recorded_as_null(page: HeelRaisePage, state: WizardState) -> None:
    cadence = page.fields["cadence"]
    assert isinstance(cadence, QSpinBox)
    cadence.setValue(0)
    assert cadence.text() == "Self-paced"
    assert state.detail("heel_raise.cadence_bpm", "missing") is None
    page.metronome.start()
    assert not page.metronome.is_running()
    assert not page.metronome.start_button.isEnabled()


def test_the_rest_timer_counts_down_and_finishes(qtbot: QtBot, page: HeelRaisePage) -> None:
    rest = page.rest_timer
    qtbot.keyClick(page, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert rest.is_running()
    assert rest.time_label.text() == "2:00"
    rest._on_timer_timeout()
    assert rest.time_label.text() == "1:59"
    for _ in range(58):
        rest._on_timer_timeout()
    assert rest.time_label.text() == "1:01"
    with qtbot.waitSignal(rest.rest_finished) as finished:
        for _ in range(61):
            rest._on_timer_timeout()
    assert finished.args == [False]
    assert not rest.is_running()
    assert rest.time_label.text() == "0:00"
    assert "Rest over" in rest.status_label.text()


def test_the_rest_can_be_skipped(qtbot: QtBot, page: HeelRaisePage) -> None:
    rest = page.rest_timer
    rest.start()
    with qtbot.waitSignal(rest.rest_finished) as finished:
        qtbot.keyClick(page, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert finished.args == [True]
    assert not rest.is_running()


def test_leaving_the_page_stops_every_timer(qtbot: QtBot, page: HeelRaisePage) -> None:
    page.metronome.start()
    page.rest_timer.start()
    assert page.timers_running()
    page.hide()  # the wizard hides the page it leaves
    assert not page.timers_running()
    page.show()
    page.metronome.start()
    page.cleanupPage()  # Back
    assert not page.timers_running()


def test_the_page_reloads_what_the_draft_holds(qtbot: QtBot) -> None:
    state = make_state(side="right", patient={"age_years": 45, "sex": "male"})
    state.edit("heel_raise.left_reps", 30)
    state.edit("heel_raise.right_reps", 21)
    state.edit("heel_raise.protocol", "flat_floor")
    state.edit("heel_raise.knee", "straight")
    state.edit_detail("heel_raise.cadence_bpm", 60)
    state.edit_detail("heel_raise.termination_right", "fatigue")
    page = HeelRaisePage(state)
    qtbot.addWidget(page)
    page.initializePage()
    assert combo(page, "surface").currentData() == "flat"
    assert combo(page, "knee").currentData() == "straight"
    assert combo(page, "termination_right").currentData() == "fatigue"
    assert page.counter.count("left") == 30 and page.counter.count("right") == 21
    assert page.lsi_label.text() == "LSI 70.0 %"
    assert "Norm for age and sex: 28 raises" in page.results.text()
    assert state.value("heel_raise.protocol") == "flat_floor"  # loading writes nothing back
