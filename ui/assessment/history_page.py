"""The history page: how it started (the gate question), then the questions that onset makes worth asking.

Sudden onset asks about the moment (what they were doing, what they felt, whether they could carry on);
gradual onset asks about load changes over the last six weeks and how the pain behaves in a run;
"unsure" asks both. Answers of a branch that is hidden again stay in the draft, so nothing typed is lost,
and they still count in the differential: the page says so, and shows them again if the gate goes back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ui.assessment.code_checklist import CodeChecklist
from ui.assessment.wizard_state import WizardState
from ui.assessment.yes_no import Accelerators, YesNoField, buddy_label
from ui.widgets.field_message import FieldMessageLabel

ONSETS = (("sudden", "Sudden, at a moment"), ("gradual", "Gradual, no incident"), ("unsure", "Unsure"))

ONSET_ACTIVITIES = (
    ("acceleration", "Accelerating"),
    ("sprint", "Sprinting"),
    ("hill", "Running uphill"),
    ("jump", "Jumping or landing"),
    ("steady_run", "Steady running"),
    ("late_long_run", "Late in a long run"),
    ("not_running", "Not running at the time"),
    ("unknown", "Not known"),
)
ONSET_SENSATIONS = (
    ("pop", "A pop"),
    ("pull", "A pull"),
    ("sharp", "Sharp pain"),
    ("cramp", "Cramp"),
    ("tightening", "Gradual tightening"),
    ("shot", "As if kicked or shot in the calf"),
)
BODY_CHART = "body_chart"  # not a contract value: the location is left to the body chart page
PAIN_LOCATIONS = (
    ("upper_medial", "Upper inner calf"),
    ("mid", "Middle of the calf"),
    ("low_above_achilles", "Low calf, just above the Achilles"),
    ("lateral_fibula", "Outer leg, along the fibula"),
    ("diffuse", "Spread out, hard to pin down"),
    (BODY_CHART, "Use the body chart"),
)
FOOT_TINGLING = (("none", "None"), ("exercise_only", "Only during exercise"), ("constant", "Constant or at rest"))
SIDES = (("left", "Left"), ("right", "Right"), ("both", "Both"))
LOAD_CHANGES = (
    ("mileage_increase", "More distance"),
    ("hills", "More hills"),
    ("speed_work", "Speed work"),
    ("intensity", "Harder sessions"),
    ("back_after_break", "Back after a break"),
    ("barefoot_or_minimal_shoes", "Barefoot or minimal shoes"),
    ("lower_drop_shoes", "Lower-drop shoes"),
    ("new_or_worn_shoes", "New or worn-out shoes"),
    ("forefoot_strike", "Changed to forefoot striking"),
    ("surface_change", "New surface"),
    ("gym_same_or_previous_day", "Gym work the same or previous day"),
    ("new_acceleration_sport", "New sport with sprints or jumps"),
)

# (path, question, branch). Paths starting "detail:" are the wizard's extras, the rest contract fields.
_SUDDEN, _GRADUAL, _COMMON = "sudden", "gradual", "common"
_YES_NO: tuple[tuple[str, str, str], ...] = (
    ("history.could_continue_running", "Could they keep running afterwards?", _SUDDEN),
    ("detail:history.could_rise_on_toes", "Could they rise onto their toes afterwards?", _SUDDEN),
    ("history.bruising", "Bruising?", _SUDDEN),
    ("history.pain_builds_predictably_in_run", "Pain builds predictably during runs?", _GRADUAL),
    ("history.settles_within_minutes_of_stopping", "Settles within minutes of stopping?", _GRADUAL),
    ("history.tightness_lingers_after_runs", "Next-day tightness (lingers 1-2 days after runs)?", _GRADUAL),
    ("history.pain_walking_or_daily_activity", "Pain walking or in daily activity?", _COMMON),
    ("history.pain_at_rest_or_night", "Pain at rest or at night?", _COMMON),
    ("history.back_buttock_or_thigh_symptoms", "Back, buttock or thigh symptoms?", _COMMON),
    ("history.pressure_or_fullness_during_exercise", "Pressure or fullness during exercise?", _COMMON),
    ("history.involuntary_cramp_episode", "An involuntary cramp episode?", _COMMON),
    (
        "history.delayed_soreness_after_unaccustomed_session",
        "Delayed soreness after an unaccustomed session?",
        _COMMON,
    ),
    ("history.previous_calf_strain", "A previous calf strain?", _COMMON),
    ("history.bone_health_risk", "Bone-health risk (low energy intake, missed periods, osteoporosis)?", _COMMON),
    ("history.previous_race_cramping", "Cramping in previous races?", _COMMON),
)
_CHOICES: tuple[tuple[str, str, tuple[tuple[str, str], ...], str], ...] = (
    ("history.onset_activity", "What were they doing?", ONSET_ACTIVITIES, _SUDDEN),
    ("history.onset_sensation", "What did they feel?", ONSET_SENSATIONS, _SUDDEN),
    ("history.pain_location", "Where is the pain?", PAIN_LOCATIONS, _COMMON),
    ("history.foot_tingling_or_numbness", "Foot tingling or numbness", FOOT_TINGLING, _COMMON),
    ("symptomatic_side", "Symptomatic side", SIDES, _COMMON),
)
_TEXTS: tuple[tuple[str, str, str, str], ...] = (
    ("detail:history.mechanism", "Mechanism, in their words", "For example: pushing off at a hill start", _SUDDEN),
    (
        "detail:history.pain_timing_in_run",
        "When in the run it starts",
        "For example: after 3 km, then builds",
        _GRADUAL,
    ),
)
_LOAD_PATH = "history.recent_load_changes"
_BRANCH_NAMES = {_SUDDEN: "sudden-onset", _GRADUAL: "gradual-onset"}


class HistoryPage(QWizardPage):
    def __init__(self, state: WizardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPage")
        self.setTitle("History")
        self.setSubTitle("How it started first; the questions that follow depend on it.")
        self._state = state
        self._loading = False
        self._keys = Accelerators()
        self.fields: dict[str, QWidget] = {}  # by path ("history.bruising", "detail:history.mechanism")
        self.messages: dict[str, FieldMessageLabel] = {}
        self._branch_of: dict[str, str] = {}
        self._rows: dict[str, QWidget] = {}
        self.onset_buttons: dict[str, QRadioButton] = {}
        self.load_boxes: dict[str, QCheckBox] = {}  # filled by the gradual branch's checklist

        self._onset_group = QButtonGroup(self)
        gate = QGroupBox("How did it start?")
        gate.setObjectName("onsetGroup")
        gate_row = QHBoxLayout(gate)
        for code, text in ONSETS:
            button = QRadioButton(self._keys.label(text))
            button.setObjectName(f"onset_{code}")
            self._onset_group.addButton(button)
            self.onset_buttons[code] = button
            gate_row.addWidget(button)
        gate_row.addStretch(1)
        self._onset_group.buttonClicked.connect(self._on_onset_clicked)
        self.onset_message = FieldMessageLabel()
        self.messages["history.onset"] = self.onset_message

        self.hidden_note = QLabel()
        self.hidden_note.setObjectName("hiddenBranchNote")
        self.hidden_note.setWordWrap(True)
        self.hidden_note.hide()

        self._form = QFormLayout()
        self._build_rows()
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.addWidget(gate)
        column.addWidget(self.onset_message)
        column.addWidget(self.hidden_note)
        column.addLayout(self._form)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        state.evaluation_changed.connect(self._on_state_evaluation_changed)

    # --- building ----------------------------------------------------------------------------------------

    def _build_rows(self) -> None:
        """Sudden-branch rows, then gradual, then the common ones, each with its inline message."""
        for branch in (_SUDDEN, _GRADUAL, _COMMON):
            for path, question, choices, where in _CHOICES:
                if where == branch:
                    combo = QComboBox()
                    combo.addItem("Not answered", None)
                    for code, text in choices:
                        combo.addItem(text, code)
                    combo.currentIndexChanged.connect(lambda _i, p=path: self._on_combo_changed(p))
                    self._add_row(path, question, combo, branch)
            for path, question, where in _YES_NO:
                if where == branch:
                    field = YesNoField(question)
                    field.changed.connect(lambda value, p=path: self._write(p, value))
                    self._add_row(path, question, field, branch)
            for path, question, placeholder, where in _TEXTS:
                if where == branch:
                    line = QLineEdit()
                    line.setPlaceholderText(placeholder)
                    line.setMaxLength(500)
                    line.textEdited.connect(lambda text, p=path: self._write(p, text if text.strip() else None))
                    self._add_row(path, question, line, branch)
            if branch == _GRADUAL:
                self._add_row(_LOAD_PATH, "Load changes in the last six weeks", self._load_changes(), branch)

    def _load_changes(self) -> QWidget:
        # Two columns: three overflow the wizard at 100 %.
        checklist = CodeChecklist(LOAD_CHANGES, prefix="load", columns=2)
        checklist.setObjectName("loadChanges")
        checklist.changed.connect(lambda codes: self._write(_LOAD_PATH, codes))
        self.load_checklist = checklist
        self.load_boxes, self.load_none = checklist.boxes, checklist.none_box
        return checklist

    def _add_row(self, path: str, question: str, field: QWidget, branch: str) -> None:
        field.setObjectName(f"field_{path.removeprefix('detail:').replace('.', '_')}")
        message = FieldMessageLabel()
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(field)
        column.addWidget(message)
        self._form.addRow(buddy_label(question, field, self._keys), cell)
        self.fields[path], self.messages[path] = field, message
        self._branch_of[path], self._rows[path] = branch, cell

    # --- the draft -----------------------------------------------------------------------------------------

    def initializePage(self) -> None:
        self._loading = True
        try:
            onset = self._read("history.onset")
            for code, button in self.onset_buttons.items():
                button.setChecked(code == onset)
            if onset is None:  # an exclusive group keeps one checked; clear it the only way Qt allows
                self._onset_group.setExclusive(False)
                for button in self.onset_buttons.values():
                    button.setChecked(False)
                self._onset_group.setExclusive(True)
            for path, field in self.fields.items():
                self._load_field(path, field)
        finally:
            self._loading = False
        self._show_branches()
        self._refresh_messages()

    def _load_field(self, path: str, field: QWidget) -> None:
        value = self._read(path)
        if isinstance(field, YesNoField):
            field.set_value(value if isinstance(value, bool) else None)
        elif isinstance(field, QComboBox):
            if (
                path == "history.pain_location"
                and value is None
                and self._state.detail("history.pain_location_from_chart")
            ):
                value = BODY_CHART
            field.setCurrentIndex(max(0, field.findData(value)))
        elif isinstance(field, QLineEdit):
            field.setText(value if isinstance(value, str) else "")
        elif path == _LOAD_PATH:
            self.load_checklist.set_codes(value)

    def _read(self, path: str) -> Any:
        if path.startswith("detail:"):
            return self._state.detail(path.removeprefix("detail:"))
        return self._state.value(path)

    def _write(self, path: str, value: Any) -> None:
        if self._loading:
            return
        if path.startswith("detail:"):
            self._state.edit_detail(path.removeprefix("detail:"), value)
        else:
            self._state.edit(path, value)
        self._show_branches()

    def isComplete(self) -> bool:
        return self._state.value("history.onset") is not None and self._state.value("symptomatic_side") is not None

    # --- branching and messages ------------------------------------------------------------------------

    def _show_branches(self) -> None:
        onset = self._state.value("history.onset")
        shown = {_COMMON} | ({_SUDDEN, _GRADUAL} if onset == "unsure" else {onset} if onset else set())
        for path, cell in self._rows.items():
            self._form.setRowVisible(cell, self._branch_of[path] in shown)
        kept = [
            branch
            for branch in (_SUDDEN, _GRADUAL)
            if branch not in shown and any(self._answered(p) for p, b in self._branch_of.items() if b == branch)
        ]
        if kept:
            names = " and ".join(_BRANCH_NAMES[b] for b in kept)
            self.hidden_note.setText(
                f"Answers to the {names} questions are kept and still count in the differential. "
                "Choose that onset again to see or change them."
            )
        self.hidden_note.setVisible(bool(kept))
        self.completeChanged.emit()

    def _answered(self, path: str) -> bool:
        value = self._read(path)
        return value is not None and value != ""

    def _refresh_messages(self) -> None:
        for path, label in self.messages.items():
            problems = [] if path.startswith("detail:") else self._state.problems_at(path)
            if problems:
                label.show_problem(problems[0])
            else:
                label.clear_message()

    # --- slots -----------------------------------------------------------------------------------------------

    @Slot()
    def _on_onset_clicked(self) -> None:
        code = next((c for c, button in self.onset_buttons.items() if button.isChecked()), None)
        self._write("history.onset", code)

    def _on_combo_changed(self, path: str) -> None:
        combo = self.fields[path]
        assert isinstance(combo, QComboBox)
        value = combo.currentData()
        if path == "history.pain_location":
            if self._loading:
                return
            self._state.edit_detail("history.pain_location_from_chart", True if value == BODY_CHART else None)
            value = None if value == BODY_CHART else value
        self._write(path, value)

    @Slot()
    def _on_state_evaluation_changed(self) -> None:
        self._refresh_messages()
