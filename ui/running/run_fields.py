"""The fields of one run, shared by the quick entry row and the editor dialog, and how they read back.

Fields are keyed by the ``RunRecord`` attribute they fill, so a ``Problem`` from the rules (or the
service) lands beside its field by name. What cannot even be read (a date that is not a date, "ten" for
a distance) is this module's to say; ranges and "not in the future" are the rules' (``run_problems``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from ui.running.run_text import (
    SURFACE_LABELS,
    UNIT_WORDS,
    distance_number,
    duration_field_text,
    parse_distance,
    parse_duration,
)
from ui.widgets.date_edit import DateLineEdit, date_format_hint
from ui.widgets.field_message import FieldMessageLabel
from workstation.clinical.load import SURFACES, DistanceUnit, distance_to_km
from workstation.dates import DateOrder
from workstation.problems import Problem
from workstation.running.records import RunRecord
from workstation.running.validation import run_problems

FIELD_KEYS = (
    "run_on", "distance_km", "duration_min", "perceived_effort", "surface", "shoes", "hills", "speed_work", "note",
)  # fmt: skip
# Alt letters avoid the menu bar's (F, P) and the patient view's buttons (A, X, R).
_LABELS = {
    "run_on": "&Date",
    "distance_km": "Dis&tance",
    "duration_min": "D&uration",
    "perceived_effort": "&Effort",
    "surface": "Surfa&ce",
    "shoes": "&Shoes",
    "hills": "H&ills",
    "speed_work": "Speed &work",
    "note": "N&ote",
}
# The rules may name a field differently from the attribute; both land on the same widget.
_ALIASES = {"date": "run_on", "distance": "distance_km", "duration": "duration_min", "effort": "perceived_effort"}
_YES_NO: tuple[tuple[str, bool | None], ...] = (("—", None), ("Yes", True), ("No", False))


def field_of(problem: Problem) -> str:
    return _ALIASES.get(problem.field, problem.field)


class RunFields:
    """One widget, label and message line per field of a run (the caller lays them out)."""

    def __init__(self, date_order: DateOrder, unit: DistanceUnit) -> None:
        self._order = date_order
        self._unit = unit
        self.date = DateLineEdit(date_order)
        # Room for the whole date as typed ("30/12/2026"): a clipped date reads as another day.
        self.date.setMinimumWidth(self.date.fontMetrics().horizontalAdvance("00/00/00000") + 16)
        self.distance = QLineEdit()
        self.distance.setPlaceholderText(UNIT_WORDS[unit])
        self.duration = QLineEdit()
        self.duration.setPlaceholderText("h:mm")
        self.duration.setToolTip('Hours and minutes ("1:05"), or minutes alone ("45")')
        self.effort = QLineEdit()
        self.effort.setPlaceholderText("0–10")
        self.effort.setToolTip("Perceived effort, 0 (rest) to 10 (maximal)")
        self.effort.setMaxLength(2)
        self.surface = QComboBox()
        self.surface.addItem("—", None)
        for surface in SURFACES:
            self.surface.addItem(SURFACE_LABELS[surface], surface)
        self.shoes = QComboBox()
        self.shoes.setEditable(True)
        self.shoes.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.shoes.lineEdit().setPlaceholderText("Which pair")
        self.hills = _yes_no_combo()
        self.speed_work = _yes_no_combo()
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        self.widgets: dict[str, QWidget] = {
            "run_on": self.date, "distance_km": self.distance, "duration_min": self.duration,
            "perceived_effort": self.effort, "surface": self.surface, "shoes": self.shoes, "hills": self.hills,
            "speed_work": self.speed_work, "note": self.note,
        }  # fmt: skip
        self.labels: dict[str, QLabel] = {}
        self.messages: dict[str, FieldMessageLabel] = {}
        for key, widget in self.widgets.items():
            widget.setObjectName(f"run_{key}")
            label = QLabel(_LABELS[key])
            label.setBuddy(widget)
            widget.setAccessibleName(_LABELS[key].replace("&", ""))
            message = FieldMessageLabel()
            message.setObjectName(f"message_{key}")
            self.labels[key], self.messages[key] = label, message
        self.labels["distance_km"].setText(f"{_LABELS['distance_km']} ({self._unit})")

    @property
    def unit(self) -> DistanceUnit:
        return self._unit

    def set_unit(self, unit: DistanceUnit) -> None:
        """The clinic's unit: what the distance field is read in."""
        self._unit = unit
        self.distance.setPlaceholderText(UNIT_WORDS[unit])
        self.labels["distance_km"].setText(f"{_LABELS['distance_km']} ({unit})")

    def set_shoe_choices(self, names: Iterable[str]) -> None:
        """Offer the pairs this patient has run in (most recent first), keeping what is typed."""
        typed = self.shoes.currentText()
        self.shoes.blockSignals(True)
        self.shoes.clear()
        for name in dict.fromkeys(n for n in names if n):
            self.shoes.addItem(name)
        self.shoes.setEditText(typed)
        self.shoes.blockSignals(False)

    def load(self, run: RunRecord) -> None:
        self.date.set_date(run.run_on)
        self.distance.setText(distance_number(run.distance_km, self._unit))
        self.duration.setText(duration_field_text(run.duration_min))
        self.effort.setText("" if run.perceived_effort is None else str(run.perceived_effort))
        self.surface.setCurrentIndex(max(0, self.surface.findData(run.surface)))
        self.shoes.setEditText(run.shoes)
        _choose(self.hills, run.hills)
        _choose(self.speed_work, run.speed_work)
        self.note.setText(run.note)

    def clear_for_next(self, today: date) -> None:
        """Ready for the next run: today's date, and the same shoes (runners mostly wear one pair)."""
        self.date.set_date(today)
        for field in (self.distance, self.duration, self.effort, self.note):
            field.clear()
        self.surface.setCurrentIndex(0)
        _choose(self.hills, None)
        _choose(self.speed_work, None)
        self.clear_messages()

    def read(self, base: RunRecord) -> tuple[RunRecord, list[Problem]]:
        """The typed run over ``base`` (its id, version, source kept), and what could not be read."""
        problems: list[Problem] = []
        run_on = self.date.date()
        if run_on is None:
            message = "Type the date of the run." if self.date.is_blank() else date_format_hint(self._order)
            problems.append(Problem("run_on", message))
        distance = parse_distance(self.distance.text())
        if distance is None:
            problems.append(Problem("distance_km", f"Type the distance in {UNIT_WORDS[self._unit]}, e.g. 8.5."))
        duration: float | None = None
        if self.duration.text().strip():
            duration = parse_duration(self.duration.text())
            if duration is None:
                problems.append(Problem("duration_min", 'Type hours and minutes ("1:05") or minutes ("45").'))
        effort: int | None = None
        if self.effort.text().strip():
            try:
                effort = int(self.effort.text().strip())
            except ValueError:
                problems.append(Problem("perceived_effort", "Effort is a whole number from 0 to 10."))
        run = replace(
            base,
            run_on=run_on or base.run_on,
            distance_km=distance_to_km(distance, self._unit) if distance is not None else 0.0,
            duration_min=duration,
            perceived_effort=effort,
            surface=self.surface.currentData(),
            shoes=self.shoes.currentText().strip(),
            hills=self.hills.currentData(),
            speed_work=self.speed_work.currentData(),
            note=self.note.text().strip(),
        )
        return run, problems

    def problems(self, base: RunRecord, today: date) -> tuple[RunRecord, list[Problem]]:
        """The typed run and every problem with it: unreadable fields first, then the rules' for the rest."""
        run, unreadable = self.read(base)
        seen = {p.field for p in unreadable}
        return run, unreadable + [p for p in run_problems(run, today=today) if field_of(p) not in seen]

    def show_problems(self, problems: list[Problem]) -> None:
        first: dict[str, Problem] = {}
        for problem in problems:
            first.setdefault(field_of(problem), problem)
        for key, label in self.messages.items():
            if key in first:
                label.show_problem(first[key])
            else:
                label.clear_message()

    def clear_messages(self) -> None:
        for label in self.messages.values():
            label.clear_message()

    def first_with_problem(self, problems: list[Problem]) -> QWidget | None:
        named = {field_of(p) for p in problems}
        return next((self.widgets[key] for key in FIELD_KEYS if key in named), None)

    def set_enabled(self, enabled: bool) -> None:
        for widget in self.widgets.values():
            widget.setEnabled(enabled)


def _yes_no_combo() -> QComboBox:
    box = QComboBox()
    for text, value in _YES_NO:
        box.addItem(text, value)
    box.setToolTip("Y for yes, N for no; — when not recorded")
    return box


def _choose(box: QComboBox, value: bool | None) -> None:
    box.setCurrentIndex(next(i for i, (_, v) in enumerate(_YES_NO) if v is value))
