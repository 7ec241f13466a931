"""The heel-raise page: the test as it happens in the room (CLINICAL.md 2; issue 6 item 3).

The protocol is recorded with the result (cadence alone changes the count), the metronome keeps the pace,
the big counter takes the space bar while the physio watches the patient, the rest timer paces the gap
between legs, and the engine's reading updates on every raise.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtGui import QFont, QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ui.assessment.metronome import MetronomeWidget
from ui.assessment.rep_counter import LEGS, NOT_COUNTED, Leg, RepCounterWidget
from ui.assessment.rest_timer import RestTimerWidget
from ui.assessment.wizard_state import WizardState
from ui.widgets.field_message import FieldMessageLabel
from workstation.clinical.contract import completed_years
from workstation.clinical.heel_raise import (
    HEEL_RAISE_ASPIRATIONAL_REPS,
    HEEL_RAISE_RUNNER_TARGET_REPS,
    LSI_TARGET_PERCENT,
    HeelRaiseResult,
    assess_heel_raise,
)
from workstation.clinical.heel_raise_protocol import (
    MAX_CADENCE_BPM,
    MAX_KNEE_FLEXION_DEG,
    MAX_REPS,
    STANDARD_CADENCE_BPM,
    HeelRaiseRecord,
    LegTrial,
    as_contract_test,
    norm_is_like_for_like,
    record_problems,
)
from workstation.clinical.rounding import one_decimal
from workstation.problems import Problem

_UNSET = object()
_SELF_PACED = 0  # the cadence box's special value
_SURFACES = [("Choose…", None), ("10° incline board", "incline_10deg"), ("Flat floor", "flat"), ("Step", "step")]
_KNEES = [("Choose…", None), ("Straight", "straight"), ("Bent", "bent")]
_TERMINATIONS = [
    ("Choose…", None),
    ("Heel could not lift / not a full raise", "height"),
    ("Could not keep the pace", "cadence"),
    ("Lost knee or trunk position", "alignment"),
    ("Needed more than fingertip support", "support"),
    ("Pain (their symptoms)", "pain"),
    ("Fatigue", "fatigue"),
]
_LEGS = [("Choose…", None), ("Left", "left"), ("Right", "right")]
_FOOTWEAR = [("Choose…", None), ("Barefoot", "barefoot"), ("Shod", "shod")]
_FLAG_WORDS = {
    "below_30_reps": f"Below the runner target of {HEEL_RAISE_RUNNER_TARGET_REPS}",
    "below_age_sex_norm": "Below the norm for age and sex",
    "lsi_below_90": f"LSI below {LSI_TARGET_PERCENT:.0f} %",
}
_CONTRACT_FIELDS = {  # contract path -> the widget key whose message shows its problem
    "heel_raise.left_reps": "reps_left",
    "heel_raise.right_reps": "reps_right",
    "heel_raise.protocol": "surface",
    "heel_raise.knee": "knee",
    "heel_raise.stopped_by_pain": "termination_left",
}
_RECORD_FIELDS = {"cadence": "cadence", "knee_flexion_deg": "knee_angle", "left.reps": "reps_left",
                  "right.reps": "reps_right"}  # fmt: skip


class HeelRaisePage(QWizardPage):
    """Protocol, metronome, per-leg counter, rest timer and the live results, all written to the draft."""

    def __init__(self, state: WizardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heelRaisePage")
        self.setTitle("Heel-raise test")
        self.setSubTitle("Single-leg heel raises to fatigue, each leg. Record how the test was done.")
        self._state = state
        self._loading = False
        self.fields: dict[str, QWidget] = {}
        self.messages: dict[str, FieldMessageLabel] = {}
        self.metronome = MetronomeWidget()
        self.counter = RepCounterWidget()
        self.rest_timer = RestTimerWidget()
        self.results = QLabel()
        self.results.setObjectName("heelRaiseResults")
        self.results.setWordWrap(True)
        self.lsi_label = QLabel()
        self.lsi_label.setObjectName("lsiLabel")
        font = QFont(self.lsi_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.lsi_label.setFont(font)
        self.flags_label = QLabel()
        self.flags_label.setObjectName("heelRaiseFlags")
        self.flags_label.setWordWrap(True)
        self._build()
        self.counter.count_changed.connect(self._on_counter_count_changed)
        self.rest_timer.rest_started.connect(self._on_rest_timer_started)
        self.rest_timer.rest_finished.connect(self._on_rest_timer_finished)
        state.evaluation_changed.connect(self._on_state_evaluation_changed)

    # --- building ---

    def _build(self) -> None:
        form = QFormLayout()
        self._add(form, "surface", "&Surface", _choice_box(_SURFACES))
        cadence = QSpinBox()
        cadence.setRange(_SELF_PACED, MAX_CADENCE_BPM)
        cadence.setSpecialValueText("Self-paced")
        cadence.setSuffix(" bpm")
        self._add(form, "cadence", "&Cadence", cadence)
        self._add(form, "knee", "&Knee", _choice_box(_KNEES))
        angle = _optional_spin(MAX_KNEE_FLEXION_DEG, "Not recorded", "°")
        self._add(form, "knee_angle", "Knee &angle", angle)
        self._add(form, "first_leg", "First &leg", _choice_box(_LEGS))
        self._add(form, "footwear", "Foot&wear", _choice_box(_FOOTWEAR))
        self._add(form, "termination_left", "Left s&topped by", _choice_box(_TERMINATIONS))
        self._add(form, "termination_right", "Right stopped b&y", _choice_box(_TERMINATIONS))
        for leg, mnemonic in (("left", "Bent-knee l&eft"), ("right", "Bent-knee r&ight")):
            self._add(form, f"bent_{leg}", mnemonic, _optional_spin(MAX_REPS, "Not counted", ""))
        protocol = QGroupBox("Protocol")
        protocol.setLayout(form)

        for leg in LEGS:
            message = FieldMessageLabel()
            message.setObjectName(f"message_reps_{leg}")
            self.messages[f"reps_{leg}"] = message
        counting = QGroupBox("Count")
        count_layout = QVBoxLayout(counting)
        count_layout.addWidget(self.metronome)
        count_layout.addWidget(self.counter)
        reps_messages = QHBoxLayout()
        for leg in LEGS:
            reps_messages.addWidget(self.messages[f"reps_{leg}"])
        count_layout.addLayout(reps_messages)
        count_layout.addWidget(self.rest_timer)
        count_layout.addStretch(1)

        results = QGroupBox("Results")
        results_layout = QVBoxLayout(results)
        results_layout.addWidget(self.lsi_label)
        results_layout.addWidget(self.results)
        results_layout.addWidget(self.flags_label)
        results_layout.addStretch(1)

        side = QVBoxLayout()
        side.addWidget(protocol)
        side.addWidget(results, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(side, 2)
        layout.addWidget(counting, 3)

        self._spin("cadence").valueChanged.connect(self._on_cadence_value_changed)
        self._spin("knee_angle").valueChanged.connect(self._on_protocol_changed)
        self._spin("bent_left").valueChanged.connect(self._on_bent_value_changed)
        self._spin("bent_right").valueChanged.connect(self._on_bent_value_changed)
        for key in ("surface", "knee", "footwear", "first_leg", "termination_left", "termination_right"):
            self._combo(key).currentIndexChanged.connect(self._on_protocol_changed)
        self._combo("termination_left").currentIndexChanged.connect(self._on_termination_left_changed)
        self._combo("termination_right").currentIndexChanged.connect(self._on_termination_right_changed)
        self._combo("first_leg").currentIndexChanged.connect(self._on_first_leg_changed)
        # Protocol top to bottom, then the counter, the rest timer and the metronome's own controls.
        chain = [self.fields[key] for key in self.fields]
        chain += [self.counter.tallies["left"], self.counter.tallies["right"], self.counter.spins["left"],
                  self.counter.spins["right"], self.rest_timer.start_button, self.rest_timer.skip_button,
                  self.metronome.start_button, self.metronome.sound_box]  # fmt: skip
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _add(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        widget.setObjectName(f"field_{key}")
        widget.setAccessibleName(label.replace("&", ""))
        message = FieldMessageLabel()
        message.setObjectName(f"message_{key}")
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(widget)
        column.addWidget(message)
        form.addRow(label, cell)
        self.fields[key], self.messages[key] = widget, message

    # --- QWizardPage ---

    def initializePage(self) -> None:
        state = self._state
        self._loading = True
        try:
            protocol = state.value("heel_raise.protocol")
            incline = state.detail("heel_raise.incline_deg")
            surface = {"incline_10deg_60bpm": "incline_10deg", "flat_floor": "flat", "step": "step"}.get(protocol)
            if protocol == "other" or (protocol is None and incline == 10):
                surface = "incline_10deg"
            _select(self._combo("surface"), surface)
            cadence = state.detail("heel_raise.cadence_bpm", _UNSET)
            self._spin("cadence").setValue(STANDARD_CADENCE_BPM if cadence is _UNSET else cadence or _SELF_PACED)
            _select(self._combo("knee"), state.value("heel_raise.knee"))
            _set_optional(self._spin("knee_angle"), state.detail("heel_raise.knee_angle_deg"))
            _select(self._combo("first_leg"), state.detail("heel_raise.first_leg"))
            _select(self._combo("footwear"), state.detail("heel_raise.footwear"))
            for leg in LEGS:
                _select(self._combo(f"termination_{leg}"), state.detail(f"heel_raise.termination_{leg}"))
                _set_optional(self._spin(f"bent_{leg}"), state.detail(f"heel_raise.bent_{leg}_reps"))
                self.counter.set_count(leg, _int_or_none(state.value(f"heel_raise.{leg}_reps")))
            first = state.detail("heel_raise.first_leg")
            if first in LEGS:
                self.counter.set_active_leg(first)
        finally:
            self._loading = False
        self.metronome.set_cadence(self._cadence())
        self._refresh_knee_angle()
        if cadence is _UNSET:
            self._write_cadence()  # the default shown is the default recorded
        self._refresh_results()
        self._refresh_messages()

    def cleanupPage(self) -> None:
        self.stop_timers()
        super().cleanupPage()

    def hideEvent(self, event: QHideEvent) -> None:
        # The wizard hides a page it leaves; a minimised window (spontaneous) keeps the rest counting.
        if not event.spontaneous():
            self.stop_timers()
        super().hideEvent(event)

    def stop_timers(self) -> None:
        self.metronome.stop()
        self.rest_timer.stop()

    def timers_running(self) -> bool:
        return self.metronome.is_running() or self.rest_timer.is_running()

    # --- reading the form ---

    def record(self) -> HeelRaiseRecord:
        """The test as the form shows it, for the engine's protocol rules."""
        trials: dict[Leg, LegTrial | None] = {}
        for leg in LEGS:
            reps, stopped = self.counter.count(leg), self._combo(f"termination_{leg}").currentData()
            trials[leg] = None if reps is None and stopped is None else LegTrial(reps or 0, stopped_by=stopped)
        knee = self._combo("knee").currentData()
        angle = _optional_value(self._spin("knee_angle"))
        cadence = self._cadence()
        return HeelRaiseRecord(
            left=trials["left"],
            right=trials["right"],
            surface=self._combo("surface").currentData(),
            cadence="self_paced" if cadence is None else cadence,
            knee=knee,
            knee_flexion_deg=0 if knee == "straight" else angle,
            footwear=self._combo("footwear").currentData(),
            first_leg=self._combo("first_leg").currentData(),
        )

    def result(self) -> HeelRaiseResult:
        """The engine's reading of the current counts, side, age and sex."""
        side = self._state.value("symptomatic_side")
        if side not in ("left", "right", "both"):
            side = "both"  # no side yet: no LSI, each leg against the norms (never a guessed healthy leg)
        sex = self._state.value("patient.sex")
        return assess_heel_raise(
            self.counter.count("left"),
            self.counter.count("right"),
            side,
            _age(self._state),
            sex if sex in ("male", "female", "other", "unknown") else None,
        )

    # --- writing the draft ---

    def _write_protocol(self) -> None:
        if self._loading:
            return
        state, test = self._state, as_contract_test(self.record())
        state.edit("heel_raise.protocol", test.protocol)
        state.edit("heel_raise.knee", test.knee)
        state.edit("heel_raise.stopped_by_pain", test.stopped_by_pain)
        surface = self._combo("surface").currentData()
        incline = None if surface is None else 10 if surface == "incline_10deg" else 0  # a step is level
        state.edit_detail("heel_raise.incline_deg", incline)
        knee = self._combo("knee").currentData()
        angle = _optional_value(self._spin("knee_angle"))
        state.edit_detail("heel_raise.knee_angle_deg", 0 if knee == "straight" else angle)
        for key in ("first_leg", "footwear", "termination_left", "termination_right"):
            state.edit_detail(f"heel_raise.{key}", self._combo(key).currentData())
        self._refresh_messages()

    def _write_cadence(self) -> None:
        # "Self-paced" is recorded as null, which edit_detail would take as "remove the key": write the section.
        section = dict(self._state.detail("heel_raise") or {})
        section["cadence_bpm"] = self._cadence()
        self._state.edit_detail("heel_raise", section)

    # --- slots ---

    @Slot()
    def _on_protocol_changed(self) -> None:
        self._refresh_knee_angle()
        self._write_protocol()
        self._refresh_results()

    @Slot()
    def _on_cadence_value_changed(self) -> None:
        self.metronome.set_cadence(self._cadence())
        if not self._loading:
            self._write_cadence()
            self._write_protocol()

    @Slot()
    def _on_bent_value_changed(self) -> None:
        if not self._loading:
            for leg in LEGS:
                self._state.edit_detail(f"heel_raise.bent_{leg}_reps", _optional_value(self._spin(f"bent_{leg}")))

    @Slot()
    def _on_first_leg_changed(self) -> None:
        first = self._combo("first_leg").currentData()
        if first in LEGS and not self._loading:
            self.counter.set_active_leg(first)

    @Slot()
    def _on_termination_left_changed(self) -> None:
        self._first_leg_stopped("left")

    @Slot()
    def _on_termination_right_changed(self) -> None:
        self._first_leg_stopped("right")

    def _first_leg_stopped(self, leg: Leg) -> None:
        """A leg just stopped and the other is still to go: the rest starts by itself."""
        other: Leg = "right" if leg == "left" else "left"
        if self._loading or self._combo(f"termination_{leg}").currentData() is None:
            return
        if self.counter.count(other) is None and self._combo(f"termination_{other}").currentData() is None:
            self.metronome.stop()
            self.rest_timer.start()

    def _on_counter_count_changed(self, leg: str, count: object) -> None:
        if not self._loading:
            self._state.edit(f"heel_raise.{leg}_reps", count)
            self._write_protocol()  # a first count makes a leg "tested" for stopped_by_pain
        self._refresh_results()

    @Slot()
    def _on_rest_timer_started(self) -> None:
        # The rest is between legs: the next raise counted goes to the leg still to test.
        done = [leg for leg in LEGS if self.counter.count(leg) is not None]
        if len(done) == 1:
            self.counter.set_active_leg("right" if done[0] == "left" else "left")

    @Slot(bool)
    def _on_rest_timer_finished(self, _skipped: bool) -> None:
        self.counter.focus_active()

    @Slot()
    def _on_state_evaluation_changed(self) -> None:
        if self.isVisible():
            self._refresh_messages()

    # --- showing ---

    def _refresh_knee_angle(self) -> None:
        self._spin("knee_angle").setEnabled(self._combo("knee").currentData() == "bent")

    def _refresh_results(self) -> None:
        result = self.result()
        lsi = None if result.lsi_exact is None else one_decimal(result.lsi_exact)
        if lsi is None:
            self.lsi_label.setText("LSI: needs both legs counted" if self._state.value("symptomatic_side") != "both"
                                   else "LSI: not worked out, both legs hurt")  # fmt: skip
            asymmetry = "Asymmetry: –"
        else:
            self.lsi_label.setText(f"LSI {lsi:.1f} %")
            # From the LSI as shown, as the evaluation does, so the two figures add up to 100.
            asymmetry = f"Asymmetry {one_decimal(Decimal(100) - Decimal(repr(lsi))):.1f} %"
        norm = result.age_sex_norm_reps
        knee = self._combo("knee").currentData()
        if norm is None:
            norm_text = "Norm for age and sex: needs the patient's age and sex"
        else:
            qualifier = "" if norm_is_like_for_like(knee) else " (straight-knee norm)"
            norm_text = f"Norm for age and sex{qualifier}: {norm} raises"
        self.results.setText(
            f"{asymmetry}\n{norm_text}\nRunner target {HEEL_RAISE_RUNNER_TARGET_REPS} raises; "
            f"{HEEL_RAISE_ASPIRATIONAL_REPS} is aspirational"
        )
        words = [_FLAG_WORDS[flag] + (f" ({norm})" if flag == "below_age_sex_norm" else "") for flag in result.flags]
        if words:
            self.flags_label.setText("\n".join(f"• {word}" for word in words))
        elif any(self.counter.count(leg) is not None for leg in LEGS):
            self.flags_label.setText("No flags on the legs counted so far.")
        else:
            self.flags_label.setText("")

    def _refresh_messages(self) -> None:
        found: dict[str, Problem] = {}
        for problem in self._state.problems_at("heel_raise"):
            key = _CONTRACT_FIELDS.get(problem.field)
            if key:
                found.setdefault(key, problem)
        for problem in record_problems(self.record()):
            key = _RECORD_FIELDS.get(problem.field)
            if key:
                found.setdefault(key, problem)
        for key, label in self.messages.items():
            if key in found:
                label.show_problem(found[key])
            else:
                label.clear_message()

    def _cadence(self) -> int | None:
        value = self._spin("cadence").value()
        return None if value == _SELF_PACED else value

    def _combo(self, key: str) -> QComboBox:
        widget = self.fields[key]
        assert isinstance(widget, QComboBox)
        return widget

    def _spin(self, key: str) -> QSpinBox:
        widget = self.fields[key]
        assert isinstance(widget, QSpinBox)
        return widget


def _age(state: WizardState) -> int | None:
    age = state.value("patient.age_years")
    if isinstance(age, int) and not isinstance(age, bool):
        return age
    try:
        born = date.fromisoformat(state.value("patient.date_of_birth"))
        assessed = date.fromisoformat(state.value("assessed_on"))
    except (TypeError, ValueError):
        return None
    return completed_years(born, assessed) if assessed >= born else None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _choice_box(items: list[tuple[str, Any]]) -> QComboBox:
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    return box


def _select(box: QComboBox, value: Any) -> None:
    box.setCurrentIndex(max(0, box.findData(value)) if value is not None else 0)


def _optional_spin(maximum: int, blank: str, suffix: str) -> QSpinBox:
    """A count or angle that may not have been taken: the lowest value reads as ``blank``."""
    spin = QSpinBox()
    spin.setRange(NOT_COUNTED, maximum)
    spin.setSpecialValueText(blank)
    spin.setSuffix(suffix)
    spin.setValue(NOT_COUNTED)
    return spin


def _optional_value(spin: QSpinBox) -> int | None:
    return None if spin.value() == NOT_COUNTED else spin.value()


def _set_optional(spin: QSpinBox, value: Any) -> None:
    spin.setValue(value if isinstance(value, int) and not isinstance(value, bool) else NOT_COUNTED)
