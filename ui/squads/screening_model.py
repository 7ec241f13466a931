"""A screening's worksheet as an editable item model: one row an athlete, one column a measure.

The model keeps what is typed (a row is "dirty" until the service has stored it), checks each cell as it
is typed (a cell that is not a valid value keeps its text, tinted, with the reason), and asks the
engine for the row's flags after every change, so they follow the typing. The cells a flag is about
are tinted by its level; the Flags column says the findings in words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from ui.squads.screening_values import range_text, read_value, value_text, with_unit
from ui.squads.squad_style import FLAG_LEVEL_WORDS, error_tint, worst_tint
from workstation.dates import DateOrder, format_date
from workstation.squads.records import SCREENING_MEASURES, ScreeningEntry, ScreeningMeasure
from workstation.squads.views import ScreeningFlag, WorksheetRow

PATIENT_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 22
PROBLEM_ROLE = int(Qt.ItemDataRole.UserRole) + 23  # the typed text's problem, or ""
ModelIndex = QModelIndex | QPersistentModelIndex
Evaluate = Callable[[WorksheetRow, Mapping[str, float]], tuple[ScreeningFlag, ...]]

ATHLETE_COLUMN = 0
FIRST_MEASURE_COLUMN = 1
NOTE_COLUMN = FIRST_MEASURE_COLUMN + len(SCREENING_MEASURES)
FLAGS_COLUMN = NOTE_COLUMN + 1
COLUMN_COUNT = FLAGS_COLUMN + 1


def header_label(measure: ScreeningMeasure) -> str:
    """On two lines, so seven measures fit beside the names and the flags: "Heel raise\nL"."""
    words, _, last = measure.label.rpartition(" ")
    return f"{words}\n{last}" if words else measure.label


def measure_of(column: int) -> ScreeningMeasure | None:
    index = column - FIRST_MEASURE_COLUMN
    return SCREENING_MEASURES[index] if 0 <= index < len(SCREENING_MEASURES) else None


def is_editable_column(column: int) -> bool:
    return FIRST_MEASURE_COLUMN <= column <= NOTE_COLUMN


@dataclass(slots=True)
class GridRow:
    """One athlete's row as it stands on screen."""

    source: WorksheetRow
    entry: ScreeningEntry | None
    values: dict[str, float]
    note: str
    flags: tuple[ScreeningFlag, ...]
    problems: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (typed text, why)
    dirty: bool = False
    saving: bool = False

    @property
    def patient_id(self) -> int:
        return self.source.member.patient_id

    @property
    def screened(self) -> bool:
        return bool(self.values)


class ScreeningGridModel(QAbstractTableModel):
    row_edited = Signal(int)  # the patient id whose row changed (and is not yet stored)

    def __init__(self, evaluate: Evaluate, date_order: DateOrder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._evaluate = evaluate
        self._order = date_order
        self._rows: list[GridRow] = []
        self._read_only = True
        self._screening_id: int | None = None

    # --- the worksheet --------------------------------------------------------------------------------------

    def set_worksheet(self, screening_id: int | None, rows: Sequence[WorksheetRow], *, read_only: bool) -> None:
        self.beginResetModel()
        self._screening_id = screening_id
        self._read_only = read_only
        self._rows = [_grid_row(row) for row in rows]
        self.endResetModel()

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def screening_id(self) -> int | None:
        return self._screening_id

    def rows(self) -> list[GridRow]:
        return list(self._rows)

    def row(self, patient_id: int) -> GridRow | None:
        return next((row for row in self._rows if row.patient_id == patient_id), None)

    def row_of(self, patient_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.patient_id == patient_id), None)

    def grid_row(self, row: int) -> GridRow:
        return self._rows[row]

    def first_unscreened_row(self) -> int:
        """Where an evening resumes: the first athlete with nothing typed yet (else the first)."""
        return next((i for i, row in enumerate(self._rows) if not row.screened and not row.note), 0)

    def screened_count(self) -> int:
        return sum(1 for row in self._rows if row.screened)

    def unsaved_count(self) -> int:
        return sum(1 for row in self._rows if row.dirty)

    # --- storing --------------------------------------------------------------------------------------------

    def entry_to_save(self, patient_id: int, *, leave_out_problems: bool = False) -> ScreeningEntry | None:
        """The row as the service should store it; None while a cell holds something that is not a value.

        With ``leave_out_problems`` such a row is stored anyway, each cell in error keeping what was stored
        for it before (if anything), so that the rest of the row is not lost.
        """
        row = self.row(patient_id)
        if row is None or (row.problems and not leave_out_problems) or self._screening_id is None:
            return None
        base = row.entry or ScreeningEntry(self._screening_id, patient_id)
        kept = {key: value for key, value in base.values.items() if key in row.problems}
        note = base.note if "note" in row.problems else row.note
        return replace(base, values={**kept, **row.values}, note=note)

    def mark_saving(self, patient_id: int) -> None:
        self._update(patient_id, lambda row: setattr(row, "saving", True))

    def mark_saved(self, patient_id: int, stored: ScreeningEntry, sent: ScreeningEntry) -> None:
        """The service stored ``sent``; typing since it was sent keeps the row dirty."""

        def apply(row: GridRow) -> None:
            row.entry = stored
            row.saving = False
            row.dirty = dict(row.values) != dict(sent.values) or row.note != sent.note or bool(row.problems)

        self._update(patient_id, apply)

    def mark_failed(self, patient_id: int, problems: Mapping[str, str]) -> None:
        """The service refused the row: each problem beside its cell (by key), the row still dirty."""

        def apply(row: GridRow) -> None:
            row.saving = False
            for key, message in problems.items():
                shown = row.values.get(key)
                text = "" if shown is None or key not in _MEASURES else value_text(shown, _MEASURES[key])
                row.problems[key] = (text or row.problems.get(key, ("", ""))[0], message)

        self._update(patient_id, apply)

    # --- Qt -------------------------------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else COLUMN_COUNT

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self._read_only and is_editable_column(index.column()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == PATIENT_ID_ROLE:
            return row.patient_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(row, column)
        if role == PROBLEM_ROLE:
            measure = measure_of(column)
            key = measure.key if measure else "note" if column == NOTE_COLUMN else ""
            return row.problems.get(key, ("", ""))[1]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            return _tint(row, column, background=role == Qt.ItemDataRole.BackgroundRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and measure_of(column) is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        row = self._rows[index.row()]
        text = "" if value is None else str(value)
        measure = measure_of(index.column())
        if measure is None:
            if text == row.note:
                return True
            row.note = text
        elif not self._type_value(row, measure, text):
            return True
        row.flags = self._evaluate(row.source, dict(row.values))
        row.dirty = True
        first, last = self.index(index.row(), 0), self.index(index.row(), COLUMN_COUNT - 1)
        self.dataChanged.emit(first, last)
        self.row_edited.emit(row.patient_id)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._rows):
                row = self._rows[section]
                return f"{section + 1} •" if row.dirty else str(section + 1)  # the dot: typed, not yet stored
            if role == Qt.ItemDataRole.ToolTipRole and 0 <= section < len(self._rows) and self._rows[section].dirty:
                return "Not saved yet: it saves when you move to another athlete."
            return None
        if not 0 <= section < COLUMN_COUNT:
            return None
        measure = measure_of(section)
        if role == Qt.ItemDataRole.DisplayRole and measure is not None:
            return header_label(measure)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return measure.label if measure else {ATHLETE_COLUMN: "Athlete", NOTE_COLUMN: "Note"}.get(section, "Flags")
        if role == Qt.ItemDataRole.ToolTipRole and measure is not None:
            return f"{measure.label}: {range_text(measure)}"
        return None

    # --- helpers --------------------------------------------------------------------------------------------

    def _type_value(self, row: GridRow, measure: ScreeningMeasure, text: str) -> bool:
        """Put typed text in a cell; False when nothing changed."""
        typed = read_value(text, measure)
        before = (row.values.get(measure.key), row.problems.get(measure.key))
        row.problems.pop(measure.key, None)
        row.values.pop(measure.key, None)
        if typed.problem:
            row.problems[measure.key] = (typed.text, typed.problem)
        elif typed.value is not None:
            row.values[measure.key] = typed.value
        return (row.values.get(measure.key), row.problems.get(measure.key)) != before

    def _update(self, patient_id: int, change: Callable[[GridRow], None]) -> None:
        position = self.row_of(patient_id)
        if position is None:
            return
        change(self._rows[position])
        self.dataChanged.emit(self.index(position, 0), self.index(position, COLUMN_COUNT - 1))
        self.headerDataChanged.emit(Qt.Orientation.Vertical, position, position)

    def _display(self, row: GridRow, column: int) -> str:
        measure = measure_of(column)
        if measure is not None:
            if measure.key in row.problems:
                return row.problems[measure.key][0]
            value = row.values.get(measure.key)
            return "" if value is None else value_text(value, measure)
        if column == ATHLETE_COLUMN:
            member = row.source.member
            return member.display_name + (f" ({row.source.age})" if row.source.age is not None else "")
        if column == NOTE_COLUMN:
            return row.note
        return flags_text(row.flags)

    def _edit_text(self, row: GridRow, column: int) -> str:
        if column == NOTE_COLUMN:
            return row.note
        return self._display(row, column) if measure_of(column) is not None else ""

    def _tooltip(self, row: GridRow, column: int) -> str | None:
        measure = measure_of(column)
        if measure is not None:
            lines = [row.problems[measure.key][1]] if measure.key in row.problems else []
            lines += [f"{FLAG_LEVEL_WORDS[f.level]}: {f.text}" for f in row.flags if measure.key in f.keys]
            previous = row.source.previous
            if previous is not None and measure.key in previous.values:
                when = format_date(previous.held_on, self._order)
                lines.append(f"Last screening ({when}): {with_unit(previous.values[measure.key], measure)}")
            return "\n".join(lines) or None
        if column == FLAGS_COLUMN and row.flags:
            return "\n".join(f"{FLAG_LEVEL_WORDS[f.level]}: {f.text} ({f.source})" if f.source else f.text
                             for f in row.flags)  # fmt: skip
        if column == NOTE_COLUMN:
            return row.note or None
        return None


_MEASURES = {measure.key: measure for measure in SCREENING_MEASURES}


def _grid_row(source: WorksheetRow) -> GridRow:
    entry = source.entry
    values = dict(entry.values) if entry is not None else {}
    return GridRow(source, entry, values, entry.note if entry is not None else "", tuple(source.flags))


def flags_text(flags: Sequence[ScreeningFlag]) -> str:
    """The Flags column: the most pressing first, each with its level in words (colour is never alone)."""
    if not flags:
        return ""
    ordered = sorted(flags, key=lambda f: f.level.rank)
    return "; ".join(f"{FLAG_LEVEL_WORDS[f.level]}: {f.text}" for f in ordered)


def _tint(row: GridRow, column: int, *, background: bool) -> Any:
    measure = measure_of(column)
    tint = None
    if measure is not None and measure.key in row.problems:
        tint = error_tint()
    elif measure is not None:
        tint = worst_tint(f.level for f in row.flags if measure.key in f.keys)
    elif column == FLAGS_COLUMN:
        tint = worst_tint(f.level for f in row.flags)
    if tint is None:
        return None
    return tint.background if background else tint.text
