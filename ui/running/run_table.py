"""A patient's runs as an item model, newest first, and the view that shows them with the weekly totals."""

from __future__ import annotations

from datetime import date, timedelta
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.running.run_text import (
    NOT_RECORDED,
    SOURCE_LABELS,
    SURFACE_LABELS,
    distance_text,
    duration_text,
    effort_text,
    pace_text,
    yes_no_text,
)
from workstation.clinical.load import DistanceUnit, distance_in_unit, week_start, weekly_loads
from workstation.dates import DateOrder, format_date
from workstation.running.records import RunRecord

RUN_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 4
ModelIndex = QModelIndex | QPersistentModelIndex


class RunColumn(IntEnum):
    DATE = 0
    DISTANCE = 1
    DURATION = 2
    PACE = 3
    EFFORT = 4
    SURFACE = 5
    SHOES = 6
    HILLS = 7
    SPEED_WORK = 8
    NOTE = 9
    SOURCE = 10

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    RunColumn.DATE: "Date",
    RunColumn.DISTANCE: "Distance",
    RunColumn.DURATION: "Time",
    RunColumn.PACE: "Pace",
    RunColumn.EFFORT: "Effort",
    RunColumn.SURFACE: "Surface",
    RunColumn.SHOES: "Shoes",
    RunColumn.HILLS: "Hills",
    RunColumn.SPEED_WORK: "Speed work",
    RunColumn.NOTE: "Note",
    RunColumn.SOURCE: "From",
}
_RIGHT_ALIGNED = frozenset({RunColumn.DISTANCE, RunColumn.DURATION, RunColumn.PACE, RunColumn.EFFORT})


class RunTableModel(QAbstractTableModel):
    """One row a run, newest first (date, then the later-stored first)."""

    def __init__(self, date_order: DateOrder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._order = date_order
        self._unit: DistanceUnit = "km"
        self._runs: list[RunRecord] = []

    @property
    def unit(self) -> DistanceUnit:
        return self._unit

    def set_runs(self, runs: list[RunRecord], unit: DistanceUnit) -> None:
        self.beginResetModel()
        self._unit = unit
        self._runs = sorted(runs, key=lambda r: (r.run_on, r.id or 0), reverse=True)
        self.endResetModel()

    def runs(self) -> list[RunRecord]:
        return list(self._runs)

    def run(self, run_id: int) -> RunRecord:
        return next(r for r in self._runs if r.id == run_id)

    def row_of(self, run_id: int) -> int | None:
        return next((row for row, r in enumerate(self._runs) if r.id == run_id), None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(RunColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._runs):
            return None
        run = self._runs[index.row()]
        column = RunColumn(index.column())
        if role == RUN_ID_ROLE:
            return run.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell(run, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is RunColumn.NOTE and run.note:
            return run.note  # the cell shows one line; the whole note on hover
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(RunColumn):
            return RunColumn(section).title
        return None

    def _cell(self, run: RunRecord, column: RunColumn) -> str:
        match column:
            case RunColumn.DATE:
                return format_date(run.run_on, self._order)
            case RunColumn.DISTANCE:
                return distance_text(run.distance_km, self._unit)
            case RunColumn.DURATION:
                return duration_text(run.duration_min)
            case RunColumn.PACE:
                return pace_text(run, self._unit)
            case RunColumn.EFFORT:
                return effort_text(run.perceived_effort)
            case RunColumn.SURFACE:
                return SURFACE_LABELS[run.surface] if run.surface else NOT_RECORDED
            case RunColumn.SHOES:
                return run.shoes
            case RunColumn.HILLS:
                return yes_no_text(run.hills)
            case RunColumn.SPEED_WORK:
                return yes_no_text(run.speed_work)
            case RunColumn.NOTE:
                return " ".join(run.note.split())
            case RunColumn.SOURCE:
                return SOURCE_LABELS.get(run.source, run.source)


def weekly_summary(runs: list[RunRecord], unit: DistanceUnit, today: date) -> str:
    """ "This week 32.4 km · last week 28.0 km" from the load rules' weekly totals (Monday to Sunday)."""
    loads = {w.week_start: w.distance_km for w in weekly_loads([r.as_session() for r in runs], through=today)}
    this_week = week_start(today)
    last_week = this_week - timedelta(days=7)

    def total(start: date) -> str:
        return f"{distance_in_unit(loads.get(start, 0.0), unit):.1f} {unit}"

    return f"This week {total(this_week)} · last week {total(last_week)}"


class RunTableView(QTableView):
    """Enter opens the selected run, Delete asks to remove it (double-click opens it too)."""

    edit_requested = Signal(int)  # a run id
    delete_requested = Signal(int)

    def __init__(self, model: RunTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        for column in RunColumn:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RunColumn.NOTE, QHeaderView.ResizeMode.Stretch)
        self.doubleClicked.connect(self._on_double_clicked)
        self.may_edit = True

    def selected_id(self) -> int | None:
        index = self.currentIndex()
        value = index.data(RUN_ID_ROLE) if index.isValid() else None
        return value if isinstance(value, int) else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        run_id = self.selected_id()
        key = event.key()
        if self.may_edit and run_id is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_requested.emit(run_id)
            event.accept()
            return
        if self.may_edit and run_id is not None and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit(run_id)
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        run_id = index.data(RUN_ID_ROLE)
        if self.may_edit and isinstance(run_id, int):
            self.edit_requested.emit(run_id)
