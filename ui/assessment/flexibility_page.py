"""The flexibility page: knee to wall in cm with its angle, the straight-knee angle, and what the pair means.

The knee-to-wall distance (bent knee) goes to the contract; the straight-knee angle and shoes are the
wizard's detail. Degrees, the side difference and its flag come from the engine as the numbers are typed
(CLINICAL.md 3.1-3.2).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ui.assessment.wizard_state import WizardState
from ui.widgets.field_message import FieldMessageLabel
from workstation.clinical.flexibility import (
    FlexibilityMeasures,
    KneePositionReading,
    assess_knee_to_wall,
    degrees_of,
    read_knee_positions,
)
from workstation.problems import Problem

MAX_CM = 30.0  # the contract's range for knee_to_wall.*_cm
MAX_STRAIGHT_KNEE_DEG = 80.0  # far above any weight-bearing reading (about 33° in healthy adults, CLINICAL.md 3.2)
_BLANK_CM = -0.1  # the spin boxes' "not measured" value, one step below 0
_BLANK_DEG = -1.0
_LEGS = ("left", "right")
_FLAG_WORDS = {
    "none": "No meaningful difference (under 1.5 cm)",
    "possible_asymmetry": "Possible asymmetry (1.5 cm or more)",
    "likely_meaningful": "Likely meaningful difference (2.0 cm or more)",
}
_PATTERN_WORDS = {
    "gastrocnemius": "less range with the knee straight only: points to the gastrocnemius",
    "soleus_joint_or_capsule": "less range with the knee bent: points to the soleus, ankle joint or capsule",
    "no_side_difference": "no side difference in either knee position",
}


class FlexibilityPage(QWizardPage):
    """Knee to wall (cm, degrees shown), straight-knee angle, shoes; side difference and its flag."""

    def __init__(self, state: WizardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flexibilityPage")
        self.setTitle("Flexibility")
        self.setSubTitle(
            "Knee to wall: big toe to wall in cm, heel down. Straight knee: tibial angle with the back knee locked."
        )
        self._state = state
        self._loading = False
        self.cm: dict[str, QDoubleSpinBox] = {}
        self.degrees: dict[str, QLabel] = {}
        self.straight: dict[str, QDoubleSpinBox] = {}
        self.messages: dict[str, FieldMessageLabel] = {}
        form = QFormLayout()
        mnemonics = {"left": ("&Left knee to wall", "L&eft straight knee"),
                     "right": ("&Right knee to wall", "R&ight straight knee")}  # fmt: skip
        for leg in _LEGS:
            cm = _optional_double(_BLANK_CM, MAX_CM, 0.1, " cm")
            cm.setObjectName(f"kneeToWall_{leg}")
            degrees = QLabel()
            degrees.setObjectName(f"kneeToWallDegrees_{leg}")
            self.cm[leg], self.degrees[leg] = cm, degrees
            form.addRow(mnemonics[leg][0], self._cell(f"cm_{leg}", cm, degrees))
        for leg in _LEGS:
            angle = _optional_double(_BLANK_DEG, MAX_STRAIGHT_KNEE_DEG, 1.0, "°")
            angle.setObjectName(f"straightKnee_{leg}")
            self.straight[leg] = angle
            form.addRow(mnemonics[leg][1], self._cell(f"straight_{leg}", angle, None))
        self.shod = QCheckBox("Measured in &shoes")
        self.shod.setObjectName("shod")
        form.addRow("", self.shod)
        self.difference_label = QLabel()
        self.difference_label.setObjectName("kneeToWallDifference")
        self.difference_label.setWordWrap(True)
        self.positions_label = QLabel()
        self.positions_label.setObjectName("kneePositions")
        self.positions_label.setWordWrap(True)
        results = QGroupBox("Results")
        results_layout = QVBoxLayout(results)
        results_layout.addWidget(self.difference_label)
        results_layout.addWidget(self.positions_label)
        results_layout.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(form, 3)
        layout.addWidget(results, 2)
        chain = [self.cm["left"], self.cm["right"], self.straight["left"], self.straight["right"], self.shod]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        for leg in _LEGS:
            self.cm[leg].valueChanged.connect(self._on_cm_value_changed)
            self.straight[leg].valueChanged.connect(self._on_straight_value_changed)
        self.shod.toggled.connect(self._on_shod_toggled)
        state.evaluation_changed.connect(self._on_state_evaluation_changed)

    def _cell(self, key: str, field: QWidget, beside: QLabel | None) -> QWidget:
        message = FieldMessageLabel()
        message.setObjectName(f"message_{key}")
        self.messages[key] = message
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(field)
        if beside is not None:
            row.addWidget(beside)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(message)
        return cell

    def initializePage(self) -> None:
        state = self._state
        self._loading = True
        try:
            for leg in _LEGS:
                _set_optional(self.cm[leg], state.value(f"knee_to_wall.{leg}_cm"))
                _set_optional(self.straight[leg], state.detail(f"knee_to_wall.straight_knee_deg_{leg}"))
            self.shod.setChecked(state.detail("knee_to_wall.shod") is True)
        finally:
            self._loading = False
        self._refresh()

    def measures(self) -> FlexibilityMeasures:
        shod = self._state.detail("knee_to_wall.shod")
        return FlexibilityMeasures(
            wblt_cm_left=_optional_value(self.cm["left"]),
            wblt_cm_right=_optional_value(self.cm["right"]),
            straight_knee_deg_left=_optional_value(self.straight["left"]),
            straight_knee_deg_right=_optional_value(self.straight["right"]),
            shod=shod if isinstance(shod, bool) else None,
        )

    @Slot()
    def _on_cm_value_changed(self) -> None:
        if not self._loading:
            for leg in _LEGS:
                self._state.edit(f"knee_to_wall.{leg}_cm", _optional_value(self.cm[leg]))
        self._refresh()

    @Slot()
    def _on_straight_value_changed(self) -> None:
        if not self._loading:
            for leg in _LEGS:
                self._state.edit_detail(f"knee_to_wall.straight_knee_deg_{leg}", _optional_value(self.straight[leg]))
        self._refresh()

    @Slot(bool)
    def _on_shod_toggled(self, checked: bool) -> None:
        if not self._loading:
            self._state.edit_detail("knee_to_wall.shod", checked)

    @Slot()
    def _on_state_evaluation_changed(self) -> None:
        if self.isVisible():
            self._refresh_messages()

    def _refresh(self) -> None:
        m = self.measures()
        for leg, cm in (("left", m.wblt_cm_left), ("right", m.wblt_cm_right)):
            deg = degrees_of(cm)
            self.degrees[leg].setText("" if deg is None else f"= {deg:.1f}°")
        result = assess_knee_to_wall(m.wblt_cm_left, m.wblt_cm_right)
        if result.difference_cm is None or result.flag is None:
            self.difference_label.setText("Side difference: needs both legs measured")
        else:
            self.difference_label.setText(f"Side difference {result.difference_cm:.1f} cm: {_FLAG_WORDS[result.flag]}")
        left, right = read_knee_positions(m)
        lines = [line for line in (_reading_words("Left", left), _reading_words("Right", right)) if line]
        self.positions_label.setText("\n".join(lines))
        self._refresh_messages()

    def _refresh_messages(self) -> None:
        found: dict[str, Problem] = {}
        for problem in self._state.problems_at("knee_to_wall"):
            for leg in _LEGS:
                if problem.field == f"knee_to_wall.{leg}_cm":
                    found.setdefault(f"cm_{leg}", problem)
        for key, label in self.messages.items():
            if key in found:
                label.show_problem(found[key])
            else:
                label.clear_message()


def _reading_words(leg: str, reading: KneePositionReading) -> str:
    """One leg's straight- against bent-knee reading in words, or "" when there is nothing to say yet."""
    parts = []
    if reading.pattern is not None:
        parts.append(_PATTERN_WORDS[reading.pattern])
    if reading.knee_bend_gain_deg is not None:
        usual = "more than the usual 10-13°" if reading.gain_above_published_normal else "usual is about 10°"
        parts.append(f"bending the knee adds {reading.knee_bend_gain_deg:.1f}° ({usual})")
    return f"{leg}: " + "; ".join(parts) if parts else ""


def _optional_double(blank: float, maximum: float, step: float, suffix: str) -> QDoubleSpinBox:
    """A measurement that may not have been taken: the lowest value reads "Not measured"."""
    spin = QDoubleSpinBox()
    spin.setDecimals(1)
    spin.setRange(blank, maximum)
    spin.setSingleStep(step)
    spin.setSpecialValueText("Not measured")
    spin.setSuffix(suffix)
    spin.setValue(blank)
    return spin


def _optional_value(spin: QDoubleSpinBox) -> float | None:
    value = spin.value()
    return None if value < 0 else round(value, 1)  # below 0 is the "not measured" step


def _set_optional(spin: QDoubleSpinBox, value: Any) -> None:
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    spin.setValue(float(value) if numeric else spin.minimum())
