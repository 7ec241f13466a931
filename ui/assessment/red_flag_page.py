"""The red-flag screen: every Wells item and every red-flag question needs an explicit yes or no.

The page cannot be left until each is answered, because an unanswered item is not a "no"; it says what is
still missing. Each Wells item shows what it adds to the score and the running total comes from the
engine, so the page and the letter can never disagree. A raised flag shows at once at the top of the page,
with its tier, what to do now and a field for the action taken.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ui.assessment.code_checklist import CodeChecklist
from ui.assessment.red_flag_banner import RedFlagBanner
from ui.assessment.wizard_state import WizardState
from ui.assessment.yes_no import Accelerators, YesNoField, buddy_label
from workstation.clinical.assessment import WellsAnswers
from workstation.clinical.wells import WELLS_ITEMS, WellsResult, score_wells

RED_FLAG_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("dvt_suspected", "Do you suspect a DVT, whatever the score?"),
    ("pulmonary_embolism_symptoms", "Breathless, chest pain, fast heart rate or coughing blood?"),
    ("cauda_equina_signs", "Bladder or bowel change, or numbness in the saddle area?"),
    ("progressive_weakness", "Leg weakness that is getting worse?"),
    ("acute_compartment_signs", "Severe, rising pain with a tense, swollen calf (acute compartment signs)?"),
    ("cellulitis_signs", "Red, hot, spreading skin (cellulitis signs)?"),
    ("systemic_illness", "Feverish or generally unwell?"),
    ("suspected_rupture", "Suspected complete calf or Achilles rupture?"),
    ("cold_pale_pulseless_foot", "Sudden cold, pale or pulseless foot?"),
    ("exercise_claudication", "Calf pain, cramping or foot numbness that comes with exercise and goes with rest?"),
    ("cancer_history_weight_loss_or_night_pain", "Cancer history, unexplained weight loss or unremitting night pain?"),
    ("severe_unexplained_pain", "Severe pain the mechanism does not explain?"),
)
DVT_RISK_FACTORS: tuple[tuple[str, str], ...] = (
    ("long_travel", "Long journey recently"),
    ("hospital_stay", "Hospital stay"),
    ("recent_surgery", "Recent surgery"),
    ("immobilisation", "Immobilisation"),
    ("active_cancer", "Active cancer"),
    ("previous_dvt_pe", "Previous DVT or PE"),
    ("family_history", "Family history of clots"),
    ("oestrogen_therapy", "Oestrogen (pill or HRT)"),
    ("pregnancy_postpartum", "Pregnant or recently given birth"),
    ("smoker", "Smoker"),
    ("overweight", "Overweight"),
    ("age_over_60", "Over 60"),
)
_RISK_PATH = "red_flags.dvt_risk_factors"
_CATEGORY_WORDS = {"likely": "DVT likely", "unlikely": "DVT unlikely"}


def wells_path(key: str) -> str:
    return f"red_flags.wells.{key}"


def points_text(points: int) -> str:
    return f"{points:+d}" if points else "0"


def wells_reading(state: WizardState) -> WellsResult:
    """The engine's Wells result: from the evaluation, or from the draft's items while it cannot be evaluated."""
    if state.evaluation is not None:
        return state.evaluation.wells
    answers: dict[str, Any] = {}
    for item in WELLS_ITEMS:
        value = state.value(wells_path(item.key))
        answers[item.key] = value if isinstance(value, bool) else None
    return score_wells(WellsAnswers(**answers))


def wells_summary(result: WellsResult) -> str:
    if result.score is not None:
        return f"Wells score: {result.score} ({_CATEGORY_WORDS[result.category]}, NICE two-level)"
    missing = len(WELLS_ITEMS) - result.answered
    return f"Incomplete: {missing} item{'s' if missing != 1 else ''} unanswered"


class RedFlagPage(QWizardPage):
    def __init__(self, state: WizardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redFlagPage")
        self.setTitle("Red-flag screen")
        self.setSubTitle("Answer every item yes or no. An unanswered item is not a no.")
        self._state = state
        self._keys = Accelerators()
        self.wells_fields: dict[str, YesNoField] = {}
        self.contributions: dict[str, QLabel] = {}
        self.question_fields: dict[str, YesNoField] = {}
        self.risk_boxes: dict[str, QCheckBox] = {}
        self._loading = False

        self.banner = RedFlagBanner(parent=self)
        self.banner.action_edited.connect(self._on_banner_action_edited)

        wells = QGroupBox("Wells score for DVT (NICE two-level)")
        grid = QGridLayout(wells)
        for row, item in enumerate(WELLS_ITEMS):
            field = YesNoField(item.wording)
            field.setObjectName(f"wells_{item.key}")
            field.changed.connect(lambda value, key=item.key: self._write(wells_path(key), value))
            contribution = QLabel()
            contribution.setObjectName(f"contribution_{item.key}")
            contribution.setMinimumWidth(contribution.fontMetrics().horizontalAdvance("+00  "))
            grid.addWidget(buddy_label(item.wording, field, self._keys), row, 0)
            grid.addWidget(QLabel(f"({points_text(item.points)} if yes)"), row, 1)
            grid.addWidget(field, row, 2)
            grid.addWidget(contribution, row, 3)
            self.wells_fields[item.key], self.contributions[item.key] = field, contribution
        grid.setColumnStretch(0, 1)
        self.wells_total = QLabel()
        self.wells_total.setObjectName("wellsTotal")
        font = QFont(self.wells_total.font())
        font.setBold(True)
        self.wells_total.setFont(font)
        grid.addWidget(self.wells_total, len(WELLS_ITEMS), 0, 1, 4)

        others = QGroupBox("Other red flags")
        other_grid = QGridLayout(others)
        for row, (key, question) in enumerate(RED_FLAG_QUESTIONS):
            field = YesNoField(question)
            field.setObjectName(f"redflag_{key}")
            field.changed.connect(lambda value, k=key: self._write(f"red_flags.{k}", value))
            other_grid.addWidget(buddy_label(question, field, self._keys), row, 0)
            other_grid.addWidget(field, row, 1)
            self.question_fields[key] = field
        other_grid.setColumnStretch(0, 1)

        risks = QGroupBox("DVT risk factors (tick all that apply)")
        risk_column = QVBoxLayout(risks)
        self.risk_checklist = CodeChecklist(DVT_RISK_FACTORS, prefix="risk", columns=3)
        self.risk_checklist.changed.connect(lambda codes: self._write(_RISK_PATH, codes))
        self.risk_boxes, self.risk_none = self.risk_checklist.boxes, self.risk_checklist.none_box
        risk_column.addWidget(self.risk_checklist)

        self.missing = QLabel()
        self.missing.setObjectName("missingAnswers")
        self.missing.setWordWrap(True)

        inner = QWidget()
        column = QVBoxLayout(inner)
        for part in (wells, others, risks):
            column.addWidget(part)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.missing)
        layout.addWidget(scroll, 1)
        state.evaluation_changed.connect(self._on_state_evaluation_changed)
        self._refresh()

    def initializePage(self) -> None:
        self._loading = True
        try:
            for key, field in self.wells_fields.items():
                field.set_value(self._bool(wells_path(key)))
            for key, field in self.question_fields.items():
                field.set_value(self._bool(f"red_flags.{key}"))
            self.risk_checklist.set_codes(self._state.value(_RISK_PATH))
        finally:
            self._loading = False
        self._refresh()

    def unanswered(self) -> tuple[list[str], list[str]]:
        """The Wells items and the other questions still without a yes or no (keys)."""
        wells = [key for key in self.wells_fields if self._bool(wells_path(key)) is None]
        questions = [key for key in self.question_fields if self._bool(f"red_flags.{key}") is None]
        return wells, questions

    def isComplete(self) -> bool:
        wells, questions = self.unanswered()
        return not wells and not questions

    def _bool(self, path: str) -> bool | None:
        value = self._state.value(path)
        return value if isinstance(value, bool) else None

    def _write(self, path: str, value: Any) -> None:
        if not self._loading:
            self._state.edit(path, value)
            self._refresh()

    def _refresh(self) -> None:
        result = wells_reading(self._state)
        added = dict(result.contributions)
        for key, label in self.contributions.items():
            label.setText(points_text(added[key]) if key in added else "–")
        self.wells_total.setText(wells_summary(result))
        wells, questions = self.unanswered()
        parts = []
        if wells:
            parts.append(f"{len(wells)} Wells item{'s' if len(wells) != 1 else ''}")
        if questions:
            parts.append(f"{len(questions)} red-flag question{'s' if len(questions) != 1 else ''}")
        self.missing.setText("Still to answer: " + " and ".join(parts) + "." if parts else "Every item is answered.")
        evaluation = self._state.evaluation
        actions = self._state.detail("red_flag_actions") or {}
        self.banner.set_flags(list(evaluation.red_flags) if evaluation else [], actions)
        self.completeChanged.emit()

    @Slot(str, str)
    def _on_banner_action_edited(self, code: str, text: str) -> None:
        self._state.edit_detail(f"red_flag_actions.{code}", text if text.strip() else None)

    @Slot()
    def _on_state_evaluation_changed(self) -> None:
        self._refresh()
