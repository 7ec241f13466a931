"""Summary and plan: the findings side by side, the red flags with their actions, the differential with its
working, the clinician's own impression, and the plan.

The working impression starts empty and is never filled in from the ranking: the differential is decision
support, and the diagnosis is the clinician's (CLINICAL.md 6.0). The plan's pathway is chosen by the
clinician too; choosing one fills in that pathway's default exercises and advice (``plan_for``), which the
clinician then edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ui.assessment.body_chart_widget import BodyChartWidget
from ui.assessment.red_flag_banner import RedFlagBanner
from ui.assessment.wizard_state import WizardState
from ui.assessment.yes_no import Accelerators, buddy_label
from ui.widgets.field_message import FieldMessageLabel
from workstation.assessment.plan import (
    MAX_HOLD_SECONDS,
    MAX_REPS,
    MAX_SETS,
    TEMPLATES,
    Plan,
    plan_for,
    plan_problems,
)
from workstation.assessment.summary_lines import (
    HEEL_RAISE_FLAGS,
    KNEE_TO_WALL_FLAGS,
    LOW_CONFIDENCE,
    NEURAL_WORDS,
    NOT_DONE,
)
from workstation.clinical.differential import NOTICE
from workstation.clinical.differential_weights import CONDITION_NAMES, CONDITIONS
from workstation.clinical.evaluate import Evaluation
from workstation.clinical.exercises import PATHWAYS, exercise, is_exercise
from workstation.clinical.findings import FINDINGS
from workstation.clinical.heel_raise import LSI_TARGET_PERCENT, limb_symmetry_percent
from workstation.clinical.walk_run import WALK_RUN_PHASES
from workstation.problems import Problem

FINDING_KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ModelIndex = QModelIndex | QPersistentModelIndex

CONDITION_LABELS = CONDITION_NAMES
assert tuple(CONDITION_LABELS) == CONDITIONS, "one label per condition, in the contract's order"
OTHER_CONDITION = "other"
FINDING_WORDS = {finding.code: finding.wording for finding in FINDINGS}


class FindingColumn(IntEnum):
    TEST = 0
    LEFT = 1
    RIGHT = 2
    DIFFERENCE = 3
    FLAG = 4

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    FindingColumn.TEST: "Test",
    FindingColumn.LEFT: "Left",
    FindingColumn.RIGHT: "Right",
    FindingColumn.DIFFERENCE: "Difference, LSI or result",
    FindingColumn.FLAG: "Flag",
}


@dataclass(frozen=True, slots=True)
class FindingRow:
    key: str
    test: str
    left: str
    right: str
    difference: str
    flag: str

    def cell(self, column: FindingColumn) -> str:
        return (self.test, self.left, self.right, self.difference, self.flag)[column]


def _number(value: Any, unit: str = "") -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return NOT_DONE
    return f"{value:g}{unit}"


def finding_rows(state: WizardState) -> list[FindingRow]:
    """The summary table's rows, from the draft as typed and the engine's reading of it."""
    evaluation = state.evaluation
    side = state.value("symptomatic_side")
    rows = [_heel_raise_row(state, evaluation), _bent_knee_row(state, side)]
    rows += [_knee_to_wall_row(state, evaluation), _straight_knee_row(state)]
    for key, test, path in (
        ("slump", "Slump", "neural.slump"),
        ("slr", "Straight-leg raise", "neural.straight_leg_raise"),
    ):
        result = state.value(path)
        words = NEURAL_WORDS.get(result, NOT_DONE) if isinstance(result, str) else NOT_DONE
        rows.append(FindingRow(key, test, "", "", words, "Positive" if result == "positive" else ""))
    pain = ", ".join(
        f"{name} {_number(state.value(path))}"
        for name, path in (
            ("now", "history.nprs_now"),
            ("worst 24 h", "history.nprs_worst_24h"),
            ("in a run", "history.nprs_during_run"),
        )
    )
    rows.append(FindingRow("nprs", "Pain (NPRS 0-10)", "", "", pain[:1].upper() + pain[1:], ""))
    lefs = state.value("outcomes.lefs_total")
    rows.append(
        FindingRow("lefs", "LEFS total", "", "", f"{_number(lefs)} of 80" if lefs is not None else NOT_DONE, "")
    )
    return rows


def _heel_raise_row(state: WizardState, evaluation: Evaluation | None) -> FindingRow:
    left, right = state.value("heel_raise.left_reps"), state.value("heel_raise.right_reps")
    difference, flag = NOT_DONE, ""
    if evaluation is not None:
        result = evaluation.heel_raise
        lsi = evaluation.as_json()["heel_raise"]["lsi_percent"]  # rounded as the contract has it
        difference = NOT_DONE if lsi is None else f"LSI {lsi:g} %"
        flag = "; ".join(HEEL_RAISE_FLAGS[f] for f in result.flags)
    return FindingRow("heel_raise", "Heel raise, straight knee (reps)", _number(left), _number(right), difference, flag)


def _bent_knee_row(state: WizardState, side: Any) -> FindingRow:
    left, right = state.detail("heel_raise.bent_left_reps"), state.detail("heel_raise.bent_right_reps")
    difference, flag = NOT_DONE, ""
    sides = {"left": (left, right), "right": (right, left)}
    if side in sides and all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right)):
        involved, uninvolved = sides[side]
        lsi = limb_symmetry_percent(involved, uninvolved)
        if lsi is not None:
            difference = f"LSI {lsi:.1f} %"
            flag = "LSI under 90 %" if lsi < LSI_TARGET_PERCENT else ""
    return FindingRow("bent_knee", "Heel raise, bent knee (reps)", _number(left), _number(right), difference, flag)


def _knee_to_wall_row(state: WizardState, evaluation: Evaluation | None) -> FindingRow:
    left, right = state.value("knee_to_wall.left_cm"), state.value("knee_to_wall.right_cm")
    difference, flag = NOT_DONE, ""
    cells = [_number(left, " cm"), _number(right, " cm")]
    if evaluation is not None:
        result = evaluation.as_json()["knee_to_wall"]
        for index, degrees in enumerate((result["left_deg"], result["right_deg"])):
            if degrees is not None:
                cells[index] += f" ({degrees:g}°)"
        if result["difference_cm"] is not None:
            difference = f"{result['difference_cm']:g} cm"
        flag = KNEE_TO_WALL_FLAGS.get(result["flag"] or "", "")
    return FindingRow("knee_to_wall", "Knee to wall", cells[0], cells[1], difference, flag)


def _straight_knee_row(state: WizardState) -> FindingRow:
    left = state.detail("knee_to_wall.straight_knee_deg_left")
    right = state.detail("knee_to_wall.straight_knee_deg_right")
    numbers = [v for v in (left, right) if isinstance(v, int | float) and not isinstance(v, bool)]
    difference = f"{abs(numbers[0] - numbers[1]):g}°" if len(numbers) == 2 else NOT_DONE
    return FindingRow(
        "straight_knee", "Straight-knee dorsiflexion", _number(left, "°"), _number(right, "°"), difference, ""
    )


class FindingsTableModel(QAbstractTableModel):
    """Read-only rows of :class:`FindingRow`; ``FINDING_KEY_ROLE`` gives the row's key ("heel_raise")."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FindingRow] = []

    def set_rows(self, rows: list[FindingRow]) -> None:
        if [r.key for r in rows] == [r.key for r in self._rows]:
            self._rows = list(rows)  # same rows, new values: keep the selection and scroll position
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(FindingColumn) - 1))
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, key: str) -> FindingRow:
        return next(row for row in self._rows if row.key == key)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(FindingColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == FINDING_KEY_ROLE:
            return row.key
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.cell(FindingColumn(index.column()))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(FindingColumn):
            return FindingColumn(section).title
        return None


def differential_text(evaluation: Evaluation | None, top: int = 3) -> list[str]:
    """The top conditions with their supporting and opposing findings, in words, one paragraph each."""
    if evaluation is None:
        return []
    paragraphs = []
    for place, ranked in enumerate(evaluation.differential.ranking[:top], start=1):
        lines = [f"{place}. {CONDITION_LABELS[ranked.condition]} (score {ranked.score})"]
        lines.append("For: " + ("; ".join(FINDING_WORDS[c] for c in ranked.supporting) or "nothing entered"))
        lines.append("Against: " + ("; ".join(FINDING_WORDS[c] for c in ranked.opposing) or "nothing entered"))
        paragraphs.append("\n".join(lines))
    return paragraphs


class _ExerciseRow:
    """One exercise of the plan with its dose fields (a blank number, shown "–", is "not set")."""

    def __init__(self, grid: QGridLayout, row: int, entry: dict[str, Any], on_edited: Any) -> None:
        code = str(entry.get("code") or "")
        self.code = code
        self.name = QLabel(exercise(code).name if is_exercise(code) else code)
        self.sets = _dose_box(MAX_SETS, entry.get("sets"))
        self.reps = _dose_box(MAX_REPS, entry.get("reps"))
        self.hold = _dose_box(MAX_HOLD_SECONDS, entry.get("hold_seconds"))
        self.frequency = QLineEdit(str(entry.get("frequency") or ""))
        self.notes = QLineEdit(str(entry.get("notes") or ""))
        self.message = FieldMessageLabel()
        for column, (widget, what) in enumerate(
            ((self.sets, "sets"), (self.reps, "reps"), (self.hold, "hold, seconds"), (self.frequency, "how often"),
             (self.notes, "notes")),
            start=1,
        ):  # fmt: skip
            widget.setAccessibleName(f"{self.name.text()}: {what}")
            widget.setObjectName(f"exercise_{row}_{what.split(',')[0].replace(' ', '_')}")
            grid.addWidget(widget, row * 2 + 1, column)
            if isinstance(widget, QSpinBox):
                widget.valueChanged.connect(on_edited)
            elif isinstance(widget, QLineEdit):
                widget.textEdited.connect(on_edited)
        grid.addWidget(self.name, row * 2 + 1, 0)
        grid.addWidget(self.message, row * 2 + 2, 0, 1, 6)
        self.widgets: tuple[QWidget, ...] = (
            self.name,
            self.sets,
            self.reps,
            self.hold,
            self.frequency,
            self.notes,
            self.message,
        )

    def entry(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "sets": _dose(self.sets),
            "reps": _dose(self.reps),
            "hold_seconds": _dose(self.hold),
            "frequency": self.frequency.text(),
            "notes": self.notes.text(),
        }


def _dose_box(maximum: int, value: Any) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, maximum)
    box.setSpecialValueText(NOT_DONE)
    box.setValue(value if isinstance(value, int) and not isinstance(value, bool) else 0)
    return box


def _dose(box: QSpinBox) -> int | None:
    return box.value() or None


_VERDICT_WORDS = {
    "improved": "better", "declined": "worse", "worse": "worse", "more_range": "more range",
    "less_range": "less range", "within_measurement_error": "within measurement error",
    "no_important_change": "no important change",
}  # fmt: skip


def changes_text(state: WizardState) -> str:
    """One line per measure measured both times: before, now, the change, and whether it is more than noise."""
    if state.previous is None:
        return ""
    from workstation.assessment.followup import changes_since

    changes = changes_since(state.previous, state.draft.document, state.draft.detail)
    if not changes:
        return "Nothing measured both times yet."
    lines = []
    for change in changes:
        side = "" if change.side.value == "none" else f" ({change.side.value})"
        verdict = _VERDICT_WORDS.get(change.verdict, change.verdict.replace("_", " "))
        lines.append(
            f"{change.label}{side}: {change.previous:g} → {change.current:g} {change.unit} "
            f"({change.change:+g}), {verdict}" + (f"; {change.note}" if change.note else "")
        )
    return "\n".join(lines)


class SummaryPage(QWizardPage):
    def __init__(self, state: WizardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryPage")
        self.setTitle("Summary and plan")
        self.setSubTitle("Check the findings, record your own impression, and build the plan.")
        self._state = state
        self._loading = False
        self._keys = Accelerators()
        self.exercise_rows: list[_ExerciseRow] = []
        self.messages: dict[str, FieldMessageLabel] = {}

        self.findings_model = FindingsTableModel(self)
        self.findings_view = QTableView()
        self.findings_view.setObjectName("findingsTable")
        self.findings_view.setModel(self.findings_model)
        self.findings_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.findings_view.setTabKeyNavigation(False)  # Tab leaves the table for the next field
        self.findings_view.verticalHeader().hide()
        self.findings_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.findings_view.horizontalHeader().setStretchLastSection(True)

        self.banner = RedFlagBanner(parent=self)
        self.banner.action_edited.connect(self._on_banner_action_edited)
        self.no_flags = QLabel("No red flags raised.")

        differential = QGroupBox("Differential (decision support)")
        differential_column = QVBoxLayout(differential)
        self.notice = QLabel(NOTICE)
        self.notice.setObjectName("differentialNotice")
        self.notice.setWordWrap(True)
        font = QFont(self.notice.font())
        font.setItalic(True)
        self.notice.setFont(font)
        self.ranking = QLabel()
        self.ranking.setObjectName("differentialRanking")
        self.ranking.setWordWrap(True)
        self.ranking.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.low_confidence = QLabel(LOW_CONFIDENCE)
        self.low_confidence.setWordWrap(True)
        differential_column.addWidget(self.notice)
        differential_column.addWidget(self.ranking)
        differential_column.addWidget(self.low_confidence)

        impression = QGroupBox("Your working impression")
        impression_form = QFormLayout(impression)
        self.impression_condition = QComboBox()
        self.impression_condition.setObjectName("impressionCondition")
        self.impression_condition.addItem("Choose…", None)
        for code, label in CONDITION_LABELS.items():
            self.impression_condition.addItem(label, code)
        self.impression_condition.addItem("Other (describe below)", OTHER_CONDITION)
        self.impression_condition.currentIndexChanged.connect(self._on_impression_condition_changed)
        self.impression_text = _text_box("Your reasoning, or the condition if other")
        self.impression_text.setObjectName("impressionText")
        self.impression_text.textChanged.connect(self._on_impression_text_changed)
        impression_form.addRow(
            buddy_label("Impression", self.impression_condition, self._keys), self.impression_condition
        )
        impression_form.addRow(buddy_label("Notes", self.impression_text, self._keys), self.impression_text)

        plan = QGroupBox("Plan")
        plan_column = QVBoxLayout(plan)
        plan_form = QFormLayout()
        self.pathway = QComboBox()
        self.pathway.setObjectName("planPathway")
        self.pathway.addItem("Choose…", None)
        for code in PATHWAYS:
            self.pathway.addItem(TEMPLATES[code].name, code)
        self.pathway.currentIndexChanged.connect(self._on_pathway_changed)
        plan_form.addRow(buddy_label("Pathway", self.pathway, self._keys), self._with_message("pathway", self.pathway))
        self.load_advice = _text_box("What to change in training, and for how long")
        self.load_advice.setObjectName("planLoadAdvice")
        self.load_advice.textChanged.connect(lambda: self._write_plan_text("load_advice", self.load_advice))
        plan_form.addRow(buddy_label("Load advice", self.load_advice, self._keys), self.load_advice)
        self.safety_net = _text_box("When to seek help, and how")
        self.safety_net.setObjectName("planSafetyNet")
        self.safety_net.textChanged.connect(lambda: self._write_plan_text("safety_net", self.safety_net))
        plan_form.addRow(buddy_label("Safety-net advice", self.safety_net, self._keys), self.safety_net)
        self.phase = QSpinBox()
        self.phase.setObjectName("planReturnToRunPhase")
        self.phase.setRange(0, len(WALK_RUN_PHASES))
        self.phase.setSpecialValueText("Not running yet")
        self.phase.valueChanged.connect(self._on_phase_changed)
        plan_form.addRow(
            buddy_label("Return-to-run phase (walk-run)", self.phase, self._keys),
            self._with_message("return_to_run_phase", self.phase),
        )
        plan_column.addLayout(plan_form)
        exercises_box = QWidget()
        self._exercise_grid = QGridLayout(exercises_box)
        self._exercise_grid.setContentsMargins(0, 0, 0, 0)
        for column, title in enumerate(("Exercise", "Sets", "Reps", "Hold (s)", "How often", "Notes")):
            self._exercise_grid.addWidget(QLabel(title), 0, column)
        self._exercise_grid.setColumnStretch(5, 1)
        self.no_exercises = QLabel("No exercises: choose a pathway to start from its defaults.")
        plan_column.addWidget(exercises_box)
        plan_column.addWidget(self.no_exercises)
        self.plan_message = self._message("exercises")
        plan_column.addWidget(self.plan_message)

        # Filled by show_problems when Finalise is refused: what is still missing, where the clinician looks.
        self.still_to_do = QLabel()
        self.still_to_do.setObjectName("stillToDo")
        self.still_to_do.setWordWrap(True)
        self.still_to_do.setTextFormat(Qt.TextFormat.PlainText)
        self.still_to_do.setStyleSheet("QLabel { border: 2px solid #b3261e; padding: 6px; }")
        self.still_to_do.hide()

        self.since_last = QGroupBox("Since the last assessment")
        self.since_last.setObjectName("sinceLast")
        since_column = QVBoxLayout(self.since_last)
        self.changes = QLabel()
        self.changes.setObjectName("changesSinceLast")
        self.changes.setWordWrap(True)
        since_column.addWidget(self.changes)
        self.since_last.setVisible(state.previous is not None)

        where = QGroupBox("Where it hurts")
        where_row = QHBoxLayout(where)
        self.chart = BodyChartWidget()
        self.chart.setObjectName("summaryBodyChart")
        self.chart.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.chart.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # marked on its own page
        self.chart.setMinimumHeight(220)
        where_row.addWidget(self.chart)

        flags = QGroupBox("Red flags")
        flags_column = QVBoxLayout(flags)
        flags_column.addWidget(self.no_flags)
        flags_column.addWidget(self.banner)

        inner = QWidget()
        sections = QVBoxLayout(inner)
        sections.addWidget(self.still_to_do)
        sections.addWidget(QLabel("Findings"))
        sections.addWidget(self.findings_view)
        for part in (self.since_last, where, flags, differential, impression, plan):
            sections.addWidget(part)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self._scroll = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        state.evaluation_changed.connect(self._on_state_evaluation_changed)

    def show_problems(self, problems: list[Problem]) -> None:
        """Finalise was refused: list what is missing at the top of the page, and nothing over it."""
        lines = [f"• {problem.message}" for problem in problems]
        self.still_to_do.setText("Before finalising:\n" + "\n".join(lines))
        self.still_to_do.setVisible(bool(problems))
        self._scroll.ensureWidgetVisible(self.still_to_do)

    def _message(self, key: str) -> FieldMessageLabel:
        label = FieldMessageLabel()
        self.messages[key] = label
        return label

    def _with_message(self, key: str, field: QWidget) -> QWidget:
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(field)
        column.addWidget(self._message(key))
        return cell

    # --- the draft -----------------------------------------------------------------------------------------

    def initializePage(self) -> None:
        self._loading = True
        try:
            condition = self._state.detail("impression.condition")
            self.impression_condition.setCurrentIndex(max(0, self.impression_condition.findData(condition)))
            self.impression_text.setPlainText(str(self._state.detail("impression.text") or ""))
            plan = self._state.detail("plan") or {}
            self.pathway.setCurrentIndex(max(0, self.pathway.findData(plan.get("pathway"))))
            self._load_plan(plan)
        finally:
            self._loading = False
        self._refresh()

    def _load_plan(self, plan: dict[str, Any]) -> None:
        was_loading, self._loading = self._loading, True
        try:
            self.load_advice.setPlainText(str(plan.get("load_advice") or ""))
            self.safety_net.setPlainText(str(plan.get("safety_net") or ""))
            phase = plan.get("return_to_run_phase")
            self.phase.setValue(phase if isinstance(phase, int) and not isinstance(phase, bool) else 0)
            for row in self.exercise_rows:
                for widget in row.widgets:
                    self._exercise_grid.removeWidget(widget)
                    widget.deleteLater()
            entries = [e for e in plan.get("exercises") or [] if isinstance(e, dict)]
            self.exercise_rows = [
                _ExerciseRow(self._exercise_grid, i, e, self._on_exercise_edited) for i, e in enumerate(entries)
            ]
            self.no_exercises.setVisible(not self.exercise_rows)
        finally:
            self._loading = was_loading

    def isComplete(self) -> bool:
        return True  # what the summary still needs is checked when finalising, with every page's problems

    def _refresh(self) -> None:
        evaluation = self._state.evaluation
        self.findings_model.set_rows(finding_rows(self._state))
        flags = list(evaluation.red_flags) if evaluation else []
        self.banner.set_flags(flags, self._state.detail("red_flag_actions") or {})
        self.no_flags.setVisible(not flags)
        paragraphs = differential_text(evaluation)
        self.ranking.setText(
            "\n\n".join(paragraphs)
            if paragraphs
            else "Shown when the entries can be evaluated (see the messages on earlier pages)."
        )
        self.low_confidence.setVisible(bool(evaluation and evaluation.differential.low_confidence))
        self.chart.set_regions(list(self._state.detail("body_chart.regions") or []))
        self.changes.setText(changes_text(self._state))
        self._refresh_plan_messages()

    def _refresh_plan_messages(self) -> None:
        evaluation = self._state.evaluation
        raised = [flag.code for flag in evaluation.red_flags] if evaluation else []
        plan = self._state.detail("plan")
        problems = plan_problems(Plan.from_detail(plan), raised_flags=raised, where="plan") if plan else []
        self._show(self.messages["pathway"], [p for p in problems if p.field == "plan.pathway"])
        self._show(self.messages["return_to_run_phase"], [p for p in problems if p.field == "plan.return_to_run_phase"])
        self._show(self.messages["exercises"], [p for p in problems if p.field == "plan.exercises"])
        for index, row in enumerate(self.exercise_rows):
            self._show(row.message, [p for p in problems if p.field.startswith(f"plan.exercises[{index}].")])

    @staticmethod
    def _show(label: FieldMessageLabel, problems: list[Problem]) -> None:
        if problems:
            label.show_problem(problems[0])
        else:
            label.clear_message()

    def _edit_plan(self, key: str, value: Any) -> None:
        if not self._loading:
            self._state.edit_detail(f"plan.{key}", value)
            self._refresh_plan_messages()

    # --- slots -----------------------------------------------------------------------------------------------

    @Slot()
    def _on_impression_condition_changed(self) -> None:
        if not self._loading:
            self._state.edit_detail("impression.condition", self.impression_condition.currentData())

    @Slot()
    def _on_impression_text_changed(self) -> None:
        if not self._loading:
            text = self.impression_text.toPlainText()
            self._state.edit_detail("impression.text", text if text.strip() else None)

    @Slot()
    def _on_pathway_changed(self) -> None:
        if self._loading:
            return
        code = self.pathway.currentData()
        old = self._state.detail("plan") or {}
        if code is None:
            self._edit_plan("pathway", None)
            return
        fresh = plan_for(code, country=self._state.country).as_detail()
        # Advice the clinician has edited is theirs: only text still as a template wrote it is replaced.
        old_code = old.get("pathway")
        old_defaults = plan_for(old_code, country=self._state.country).as_detail() if old_code in TEMPLATES else {}
        for key in ("load_advice", "safety_net"):
            typed = old.get(key)
            if typed and typed != old_defaults.get(key):
                fresh[key] = typed
        self._state.edit_detail("plan", fresh)
        self._load_plan(fresh)
        self._refresh_plan_messages()

    def _write_plan_text(self, key: str, box: QPlainTextEdit) -> None:
        text = box.toPlainText()
        self._edit_plan(key, text if text.strip() else None)

    @Slot()
    def _on_phase_changed(self) -> None:
        self._edit_plan("return_to_run_phase", self.phase.value() or None)

    @Slot()
    def _on_exercise_edited(self) -> None:
        self._edit_plan("exercises", [row.entry() for row in self.exercise_rows])

    @Slot(str, str)
    def _on_banner_action_edited(self, code: str, text: str) -> None:
        self._state.edit_detail(f"red_flag_actions.{code}", text if text.strip() else None)

    @Slot()
    def _on_state_evaluation_changed(self) -> None:
        self._refresh()


def _text_box(placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 3 + box.frameWidth() * 2 + 8)
    return box
