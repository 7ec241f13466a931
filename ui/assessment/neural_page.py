"""The neural tension page: slump and straight-leg raise recorded as CLINICAL.md 4 asks, read by the engine.

The physio records what happened (the stage, the symptoms, whether they were the familiar ones, what
structural differentiation did, the other side); the result is the engine's, never typed, because only a
reproduced *and* differentiated response is positive and a calf stretch alone is normal (CLINICAL.md 4.1).
What was recorded is the wizard's detail; the result goes to the contract's ``neural`` section.

Beyond the draft's documented keys each test keeps ``response`` (what the test brought on: none,
stretch only, familiar, a different abnormal response): "familiar: no" alone cannot tell a harmless
stretch (negative) from an abnormal response (inconclusive). ``familiar`` is kept in step with it.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any, Literal

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ui.assessment.wizard_state import WizardState
from ui.widgets.field_message import FieldMessageLabel
from workstation.clinical.neural import (
    Differentiation,
    Leg,
    NeuralReading,
    SlumpTest,
    StraightLegRaise,
    read_neural_test,
)
from workstation.problems import Problem

TestKey = Literal["slump", "straight_leg_raise"]
TESTS: tuple[TestKey, TestKey] = ("slump", "straight_leg_raise")
MAX_HIP_DEG = 120
_NOT_RECORDED = -1
_DETAIL_KEYS = ("stage", "symptoms", "familiar", "response", "differentiation", "other_side", "hip_angle_deg")
_RESPONSES = [
    ("Choose…", None),
    ("Nothing", "none"),
    ("A stretch or pull only", "stretch_only"),
    ("Their familiar symptoms", "familiar"),
    ("A different abnormal response", "unfamiliar_abnormal"),
]
_STAGES = [
    ("Choose…", None),
    ("Slumped sitting", "slumped_sitting"),
    ("Neck flexion", "neck_flexion"),
    ("Knee extension", "knee_extension"),
    ("Ankle dorsiflexion", "ankle_dorsiflexion"),
]
_DIFFERENTIATION = {
    "slump": [
        ("Choose…", None),
        ("Eased when the neck was released", "eased"),
        ("Worse with more ankle dorsiflexion", "worse"),
        ("No change", "no_change"),
        ("Not done", "not_done"),
    ],
    "straight_leg_raise": [
        ("Choose…", None),
        ("Eased when the sensitiser was released", "eased"),
        ("Worse with ankle dorsiflexion, hip internal rotation or neck flexion", "worse"),
        ("No change", "no_change"),
        ("Not done", "not_done"),
    ],
}
_OTHER_SIDE = [("Choose…", None), ("Same", "same"), ("Different", "different"), ("Not tested", "not_tested")]
_YES_NO = [("Choose…", None), ("Yes", True), ("No", False)]
# The engine only asks whether a distant movement changed the symptoms; any differentiating code says so.
_ENGINE_DIFFERENTIATION: dict[str, Differentiation] = {
    "eased": "eased_with_neck_release",
    "worse": "worse_with_ankle_dorsiflexion",
    "no_change": "no_change",
    "not_done": "not_done",
}
_POSITIVE_WORDS = {
    ("slump", "eased"): "Positive: familiar symptoms that changed with neck release",
    ("slump", "worse"): "Positive: familiar symptoms that got worse with ankle dorsiflexion",
    ("straight_leg_raise", "eased"): "Positive: familiar symptoms that eased when the sensitiser was released",
    ("straight_leg_raise", "worse"): "Positive: familiar symptoms that got worse with a sensitiser",
}
_REASON_WORDS = {
    "not_tested": "Not tested",
    "response_not_recorded": "Inconclusive: say what the test brought on",
    "no_symptoms": "Negative: no symptoms",
    "stretch_only": "Negative: a stretch only, which people without symptoms feel too",
    "unfamiliar_response": "Inconclusive: an abnormal response that is not their usual complaint",
    "not_differentiated": "Inconclusive: familiar symptoms, but structural differentiation not done",
    "no_change_with_differentiation": "Inconclusive: familiar symptoms that did not change with differentiation",
}
_TITLES = {"slump": "Slump test", "straight_leg_raise": "Straight-leg raise"}
# Alt shortcuts, unique on the page and clear of the wizard's own (Back, Next, Finish).
_LABELS = {
    "slump": {"response": "&What it brought on", "stage": "S&tage symptoms began", "symptoms": "&Symptoms and where",
              "differentiation": "D&ifferentiation", "other_side": "&Other side"},
    "straight_leg_raise": {"response": "What it brou&ght on", "hip_angle": "Hip &angle at onset",
                           "symptoms": "Sympto&ms and where", "differentiation": "Diffe&rentiation",
                           "other_side": "Other sid&e"},
}  # fmt: skip


class _TestForm(QGroupBox):
    """One test's fields; the page reads and writes them."""

    def __init__(self, test: TestKey, shortcut_digit: str) -> None:
        super().__init__(_TITLES[test])
        self.test = test
        self.setObjectName(f"{test}Form")
        self.not_tested = QCheckBox(f"Not tested (Alt+&{shortcut_digit})")
        self.not_tested.setObjectName(f"{test}_not_tested")
        self.response = _choice_box(_RESPONSES)
        self.stage = _choice_box(_STAGES)
        self.hip_angle = QSpinBox()
        self.hip_angle.setRange(_NOT_RECORDED, MAX_HIP_DEG)
        self.hip_angle.setSpecialValueText("Not recorded")
        self.hip_angle.setSuffix("° hip flexion")
        self.hip_angle.setValue(_NOT_RECORDED)
        self.symptoms = QLineEdit()
        self.symptoms.setPlaceholderText("What they felt and where, e.g. burning down the back of the calf")
        self.differentiation = _choice_box(_DIFFERENTIATION[test])
        self.other_side = _choice_box(_OTHER_SIDE)
        self.result_label = QLabel("Not recorded yet")
        self.result_label.setObjectName(f"{test}_result")
        self.result_label.setWordWrap(True)
        self.message = FieldMessageLabel()
        self.message.setObjectName(f"message_{test}")
        for name in ("response", "stage", "hip_angle", "symptoms", "differentiation", "other_side"):
            getattr(self, name).setObjectName(f"{test}_{name}")
        labels = _LABELS[test]
        form = QFormLayout(self)
        form.addRow(self.not_tested)
        form.addRow(labels["response"], self.response)
        if test == "slump":
            form.addRow(labels["stage"], self.stage)
        else:
            form.addRow(labels["hip_angle"], self.hip_angle)
        form.addRow(labels["symptoms"], self.symptoms)
        form.addRow(labels["differentiation"], self.differentiation)
        form.addRow(labels["other_side"], self.other_side)
        form.addRow("Result", self.result_label)
        form.addRow(self.message)
        chain = [self.not_tested, self.response, self.stage if test == "slump" else self.hip_angle, self.symptoms,
                 self.differentiation, self.other_side]  # fmt: skip
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.chain = chain

    def inputs(self) -> list[QWidget]:
        return self.chain[1:]


class NeuralPage(QWizardPage):
    """Slump and straight-leg raise with the engine's result and its reason; the neurological deficit."""

    def __init__(self, state: WizardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("neuralPage")
        self.setTitle("Neural tension")
        self.setSubTitle("Record what each test brought on and what structural differentiation did.")
        self._state = state
        self._loading = False
        self.forms: dict[TestKey, _TestForm] = {
            "slump": _TestForm("slump", "1"),
            "straight_leg_raise": _TestForm("straight_leg_raise", "2"),
        }
        self.deficit = _choice_box(_YES_NO)
        self.deficit.setObjectName("neurologicalDeficit")
        self.deficit_message = FieldMessageLabel()
        self.deficit_message.setObjectName("message_neurological_deficit")
        deficit_form = QFormLayout()
        deficit_form.addRow("Neurological &deficit (power, reflexes, sensation)", self.deficit)
        deficit_form.addRow(self.deficit_message)
        tests = QHBoxLayout()
        for form in self.forms.values():
            tests.addWidget(form)
        layout = QVBoxLayout(self)
        layout.addLayout(tests)
        layout.addLayout(deficit_form)
        layout.addStretch(1)
        chain = [*self.forms["slump"].chain, *self.forms["straight_leg_raise"].chain, self.deficit]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        for test, form in self.forms.items():
            form.not_tested.toggled.connect(lambda _on, test=test: self._on_form_edited(test))
            for box in (form.response, form.stage, form.differentiation, form.other_side):
                box.currentIndexChanged.connect(lambda _i, test=test: self._on_form_edited(test))
            form.hip_angle.valueChanged.connect(lambda _v, test=test: self._on_form_edited(test))
            form.symptoms.textEdited.connect(lambda _t, test=test: self._on_form_edited(test))
        self.deficit.currentIndexChanged.connect(self._on_deficit_changed)
        state.evaluation_changed.connect(self._on_state_evaluation_changed)

    def initializePage(self) -> None:
        state = self._state
        self._loading = True
        try:
            for test, form in self.forms.items():
                detail: dict[str, Any] = state.detail(f"neural.{test}") or {}
                form.not_tested.setChecked(state.value(f"neural.{test}") == "not_tested")
                _select(form.response, _response_of(detail))
                _select(form.stage, detail.get("stage"))
                angle = detail.get("hip_angle_deg")
                form.hip_angle.setValue(angle if isinstance(angle, int) and not isinstance(angle, bool) else -1)
                form.symptoms.setText(str(detail.get("symptoms") or ""))
                _select(form.differentiation, detail.get("differentiation"))
                _select(form.other_side, detail.get("other_side"))
            _select(self.deficit, state.value("neural.neurological_deficit"))
        finally:
            self._loading = False
        for test in TESTS:
            self._show(test)
        self._refresh_messages()

    def reading(self, test: TestKey) -> NeuralReading | None:
        """The engine's reading of the test as the form shows it; None while nothing is recorded."""
        form = self.forms[test]
        if form.not_tested.isChecked():
            return read_neural_test(None)
        values = self._detail_of(test)
        if not values:
            return None
        side = self._state.value("symptomatic_side")
        leg: Leg = side if side in ("left", "right") else "left"  # the side does not change the reading
        differentiation = _ENGINE_DIFFERENTIATION.get(values.get("differentiation", ""))
        other_side = values.get("other_side")
        if test == "slump":
            return read_neural_test(
                SlumpTest(side=leg, response=values.get("response"), differentiation=differentiation,
                          onset_stage=values.get("stage"), other_side=other_side)
            )  # fmt: skip
        return read_neural_test(
            StraightLegRaise(side=leg, response=values.get("response"), differentiation=differentiation,
                             hip_flexion_deg=values.get("hip_angle_deg"), other_side=other_side)
        )  # fmt: skip

    def reason_text(self, test: TestKey) -> str:
        reading = self.reading(test)
        if reading is None:
            return "Not recorded yet"
        if reading.reason == "reproduced_and_differentiated":
            differentiation = self.forms[test].differentiation.currentData()
            return _POSITIVE_WORDS.get((test, differentiation), "Positive: familiar symptoms that changed")
        return _REASON_WORDS[reading.reason]

    def _detail_of(self, test: TestKey) -> dict[str, Any]:
        """What the form records for a test, without the unanswered fields."""
        form = self.forms[test]
        response = form.response.currentData()
        values: dict[str, Any] = {
            "response": response,
            "familiar": None if response is None else response == "familiar",
            "symptoms": form.symptoms.text().strip() or None,
            "differentiation": form.differentiation.currentData(),
            "other_side": form.other_side.currentData(),
        }
        if test == "slump":
            values["stage"] = form.stage.currentData()
        elif form.hip_angle.value() != _NOT_RECORDED:
            values["hip_angle_deg"] = form.hip_angle.value()
        return {key: value for key, value in values.items() if value is not None}

    def _on_form_edited(self, test: TestKey) -> None:
        if self._loading:
            return
        values = self._detail_of(test)
        for key in _DETAIL_KEYS:
            self._state.edit_detail(f"neural.{test}.{key}", values.get(key))
        reading = self.reading(test)
        self._state.edit(f"neural.{test}", None if reading is None else reading.result)
        self._show(test)
        self._refresh_messages()

    @Slot()
    def _on_deficit_changed(self) -> None:
        if not self._loading:
            self._state.edit("neural.neurological_deficit", self.deficit.currentData())
            self._refresh_messages()

    @Slot()
    def _on_state_evaluation_changed(self) -> None:
        if self.isVisible():
            self._refresh_messages()

    def _show(self, test: TestKey) -> None:
        form = self.forms[test]
        tested = not form.not_tested.isChecked()
        for widget in form.inputs():
            widget.setEnabled(tested)
        form.result_label.setText(self.reason_text(test))

    def _refresh_messages(self) -> None:
        found: dict[str, Problem] = {}
        for problem in self._state.problems_at("neural"):
            found.setdefault(problem.field.removeprefix("neural."), problem)
        for test, form in self.forms.items():
            if test in found:
                form.message.show_problem(found[test])
            else:
                form.message.clear_message()
        if "neurological_deficit" in found:
            self.deficit_message.show_problem(found["neurological_deficit"])
        else:
            self.deficit_message.clear_message()


def _response_of(detail: dict[str, Any]) -> str | None:
    """The recorded response; from ``familiar`` alone when that is all a draft has (an older or imported one)."""
    response = detail.get("response")
    if response is not None and response in {value for _, value in _RESPONSES}:
        return str(response)
    familiar = detail.get("familiar")
    if familiar is True:
        return "familiar"
    if familiar is False:
        # Not familiar, but something was felt: it cannot be called negative without knowing what.
        return "unfamiliar_abnormal" if detail.get("symptoms") else "none"
    return None


def _choice_box(items: list[tuple[str, Any]]) -> QComboBox:
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    return box


def _select(box: QComboBox, value: Any) -> None:
    box.setCurrentIndex(0 if value is None else max(0, box.findData(value)))
