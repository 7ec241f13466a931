"""Outcome measures: pain now, worst in 24 hours and during a run (NPRS), the PSFS, and the LEFS total.

Every score may stay unanswered ("–"): a blank is never read as 0. The LEFS questionnaire is filled in on
paper (its items are copyrighted), so only its total is typed here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ui.assessment.wizard_state import WizardState
from ui.assessment.yes_no import Accelerators, buddy_label
from ui.widgets.field_message import FieldMessageLabel
from workstation.clinical.outcomes import (
    LEFS_MAX_TOTAL,
    NPRS_MAX,
    PSFS_MAX_ACTIVITIES,
    PSFS_MAX_SCORE,
    PsfsActivity,
    psfs_mean,
)
from workstation.problems import Problem

NPRS_FIELDS = (
    ("history.nprs_now", "Pain now, at rest (0-10)"),
    ("history.nprs_worst_24h", "Worst pain in the last 24 hours (0-10)"),
    ("history.nprs_during_run", "Pain during a run (0-10)"),
)
PSFS_PATH = "outcomes.psfs"
LEFS_PATH = "outcomes.lefs_total"
PSFS_ACTIVITY_MAX_CHARS = 200  # the contract's limit for one activity's name
_UNANSWERED = -1  # the spin boxes' lowest value, shown as "–"


def score_box(maximum: int) -> QSpinBox:
    """0 to ``maximum``, or unanswered below 0. Typing the number replaces what is there."""
    box = QSpinBox()
    box.setRange(_UNANSWERED, maximum)
    box.setSpecialValueText("–")
    box.setValue(_UNANSWERED)
    box.setAccelerated(True)
    return box


def spin_value(box: QSpinBox) -> int | None:
    return None if box.value() == _UNANSWERED else box.value()


class OutcomesPage(QWizardPage):
    def __init__(self, state: WizardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomesPage")
        self.setTitle("Outcome measures")
        self.setSubTitle("Leave a score as – if it was not asked; a blank is never read as 0.")
        self._state = state
        self._loading = False
        self._keys = Accelerators()
        self.nprs: dict[str, QSpinBox] = {}
        self.messages: dict[str, FieldMessageLabel] = {}

        pain = QGroupBox("Pain (NPRS, 0 = no pain, 10 = worst imaginable)")
        pain_form = QFormLayout(pain)
        for path, text in NPRS_FIELDS:
            box = score_box(NPRS_MAX)
            box.setObjectName(f"field_{path.split('.')[-1]}")
            box.valueChanged.connect(lambda _v, p=path, b=box: self._write(p, spin_value(b)))
            self.nprs[path] = box
            pain_form.addRow(buddy_label(text, box, self._keys), self._with_message(path, box))

        psfs = QGroupBox("Patient-specific functional scale: up to five activities, 0 = unable, 10 = as before")
        grid = QGridLayout(psfs)
        self.activities: list[QLineEdit] = []
        self.scores: list[QSpinBox] = []
        self.psfs_messages: list[FieldMessageLabel] = []
        for row in range(PSFS_MAX_ACTIVITIES):
            activity = QLineEdit()
            activity.setObjectName(f"psfs_activity_{row + 1}")
            activity.setMaxLength(PSFS_ACTIVITY_MAX_CHARS)
            activity.setPlaceholderText("For example: running 5 km" if row == 0 else "")
            activity.setAccessibleName(f"Activity {row + 1}")
            activity.textEdited.connect(self._on_psfs_edited)
            score = score_box(PSFS_MAX_SCORE)
            score.setObjectName(f"psfs_score_{row + 1}")
            score.setAccessibleName(f"Score for activity {row + 1}")
            score.valueChanged.connect(self._on_psfs_edited)
            message = FieldMessageLabel()
            grid.addWidget(buddy_label(f"Activity {row + 1}", activity, self._keys), row * 2, 0)
            grid.addWidget(activity, row * 2, 1)
            grid.addWidget(score, row * 2, 2)
            grid.addWidget(message, row * 2 + 1, 1, 1, 2)
            self.activities.append(activity)
            self.scores.append(score)
            self.psfs_messages.append(message)
        grid.setColumnStretch(1, 1)
        self.psfs_mean = QLabel()
        self.psfs_mean.setObjectName("psfsMean")
        grid.addWidget(self.psfs_mean, PSFS_MAX_ACTIVITIES * 2, 1, 1, 2)

        lefs = QGroupBox("Lower Extremity Functional Scale")
        lefs_form = QFormLayout(lefs)
        note = QLabel(
            "The patient completes the LEFS questionnaire on paper. Type its total here (0-80, higher is "
            "better): CalfDesk stores the total only."
        )
        note.setWordWrap(True)
        lefs_form.addRow(note)
        self.lefs = score_box(LEFS_MAX_TOTAL)
        self.lefs.setObjectName("field_lefs_total")
        self.lefs.valueChanged.connect(lambda _v: self._write(LEFS_PATH, spin_value(self.lefs)))
        lefs_form.addRow(buddy_label("LEFS total", self.lefs, self._keys), self._with_message(LEFS_PATH, self.lefs))

        layout = QVBoxLayout(self)
        for part in (pain, psfs, lefs):
            layout.addWidget(part)
        layout.addStretch(1)
        state.evaluation_changed.connect(self._on_state_evaluation_changed)

    def _with_message(self, path: str, field: QWidget) -> QWidget:
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(field)
        message = FieldMessageLabel()
        column.addWidget(message)
        self.messages[path] = message
        return cell

    def initializePage(self) -> None:
        self._loading = True
        try:
            for path, box in self.nprs.items():
                box.setValue(_score(self._state.value(path)))
            self.lefs.setValue(_score(self._state.value(LEFS_PATH)))
            rows = self._state.value(PSFS_PATH)
            rows = rows if isinstance(rows, list) else []
            for index, (activity, score) in enumerate(zip(self.activities, self.scores, strict=True)):
                row = rows[index] if index < len(rows) and isinstance(rows[index], dict) else {}
                activity.setText(str(row.get("activity") or ""))
                score.setValue(_score(row.get("score")))
        finally:
            self._loading = False
        self._refresh()

    def isComplete(self) -> bool:
        return not self._psfs_problems()  # every outcome is optional; a score without its activity is not

    def psfs_rows(self) -> list[dict[str, Any]]:
        """The PSFS as the contract has it: the rows with an activity named, in the order typed."""
        return [
            {"activity": activity.text().strip(), "score": spin_value(score)}
            for activity, score in zip(self.activities, self.scores, strict=True)
            if activity.text().strip()
        ]

    def _write(self, path: str, value: Any) -> None:
        if not self._loading:
            self._state.edit(path, value)
            self._refresh()

    def _psfs_problems(self) -> dict[int, str]:
        return {
            index: "Name the activity this score is for."
            for index, (activity, score) in enumerate(zip(self.activities, self.scores, strict=True))
            if not activity.text().strip() and spin_value(score) is not None
        }

    def _refresh(self) -> None:
        scored = [PsfsActivity(row["activity"], row["score"]) for row in self.psfs_rows() if row["score"] is not None]
        if not scored:
            self.psfs_mean.setText("PSFS mean: no activity scored yet")
        else:
            try:
                self.psfs_mean.setText(f"PSFS mean: {psfs_mean(scored):.1f} from {len(scored)} scored")
            except ValueError:  # the engine refuses the same activity twice; the row's message says which
                self.psfs_mean.setText("PSFS mean: not shown while an activity is named twice")
        local = self._psfs_problems()
        named = [i for i, activity in enumerate(self.activities) if activity.text().strip()]
        for index, message in enumerate(self.psfs_messages):
            # The contract numbers only the named rows, so a problem's index is the row's place among them.
            contract = self._state.problems_at(f"{PSFS_PATH}[{named.index(index)}]") if index in named else []
            if index in local:
                message.show_problem(Problem(f"{PSFS_PATH}[{index}]", local[index]))
            elif contract:
                message.show_problem(contract[0])
            else:
                message.clear_message()
        for path, label in self.messages.items():
            problems = self._state.problems_at(path)
            if problems:
                label.show_problem(problems[0])
            else:
                label.clear_message()
        self.completeChanged.emit()

    @Slot()
    def _on_psfs_edited(self) -> None:
        if not self._loading:
            self._state.edit(PSFS_PATH, self.psfs_rows() or None)
            self._refresh()

    @Slot()
    def _on_state_evaluation_changed(self) -> None:
        if not self._loading:
            self._refresh()


def _score(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else _UNANSWERED
