"""A patient's finalised assessments: date, impression, urgency; view one, export it as JSON, or correct it.

A finalised assessment is never edited; "Correct…" starts a new version linked to it, with the reason.
"""

from __future__ import annotations

import json
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.assessment.records import AssessmentRecord
from workstation.assessment.summary_lines import URGENCY_WORDS
from workstation.clinical.differential_weights import CONDITION_NAMES
from workstation.dates import DateOrder, format_date

ASSESSMENT_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 3
ModelIndex = QModelIndex | QPersistentModelIndex
_CONDITION_WORDS = {**CONDITION_NAMES, "other": "Other"}


class AssessmentColumn(IntEnum):
    DATE = 0
    IMPRESSION = 1
    URGENCY = 2
    VERSION = 3


_TITLES = ("Assessed", "Working impression", "Urgency", "Version")


def impression_of(record: AssessmentRecord) -> str:
    """The clinician's own working impression, as they chose it (never the ranking's)."""
    try:
        impression = json.loads(record.detail or "{}").get("impression") or {}
    except (ValueError, AttributeError):
        return ""
    words = _CONDITION_WORDS.get(str(impression.get("condition")), "")
    text = str(impression.get("text") or "").strip()
    return f"{words}: {text}" if words and text else words or text


class AssessmentTableModel(QAbstractTableModel):
    def __init__(self, date_order: DateOrder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._order = date_order
        self._records: list[AssessmentRecord] = []

    def set_records(self, records: list[AssessmentRecord]) -> None:
        self.beginResetModel()
        self._records = sorted(records, key=lambda r: (r.assessed_on, r.id or 0), reverse=True)  # newest first
        self.endResetModel()

    def record(self, assessment_id: int) -> AssessmentRecord:
        return next(r for r in self._records if r.id == assessment_id)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(AssessmentColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role == ASSESSMENT_ID_ROLE:
            return record.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(record, AssessmentColumn(index.column()))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _TITLES[section] if 0 <= section < len(_TITLES) else None
        return None

    def _cell(self, record: AssessmentRecord, column: AssessmentColumn) -> str:
        if column is AssessmentColumn.DATE:
            return format_date(record.assessed_on, self._order)
        if column is AssessmentColumn.IMPRESSION:
            return impression_of(record)
        if column is AssessmentColumn.URGENCY:
            return URGENCY_WORDS.get(record.urgency, record.urgency)
        return "Correction" if record.amends_id is not None else "First"


class AssessmentListWidget(QGroupBox):
    """The list and its actions; the window does the work (open the view, export to a file, open a correction).

    ``view_requested`` follows a double-click or Enter on a row, or "View…".
    """

    view_requested = Signal(int)
    export_requested = Signal(int)
    correct_requested = Signal(int)

    def __init__(self, date_order: DateOrder, parent: QWidget | None = None) -> None:
        super().__init__("Assessments", parent)
        self.setObjectName("assessmentList")
        self.model = AssessmentTableModel(date_order, self)
        self.table = QTableView()
        self.table.setObjectName("assessmentTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(AssessmentColumn.IMPRESSION, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(self.fontMetrics().height() * 6)
        self.view_button = QPushButton("&View…")
        self.view_button.setObjectName("viewAssessment")
        self.view_button.setToolTip("Read the finalised assessment as it was recorded")
        self.export_button = QPushButton("E&xport JSON…")
        self.export_button.setObjectName("exportAssessment")
        self.correct_button = QPushButton("Co&rrect…")
        self.correct_button.setObjectName("correctAssessment")
        self.correct_button.setToolTip("A finalised assessment is never changed: this starts a linked correction")
        self.view_button.clicked.connect(lambda: self._emit(self.view_requested))
        self.export_button.clicked.connect(lambda: self._emit(self.export_requested))
        self.correct_button.clicked.connect(lambda: self._emit(self.correct_requested))
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        # Enter is caught here rather than through ``activated``: that signal also follows a single click
        # under some styles, and on macOS Enter does not send it at all.
        self.table.installEventFilter(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.view_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.correct_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._may_correct = True
        self._on_table_selection_changed()

    def set_records(self, records: list[AssessmentRecord], *, may_correct: bool) -> None:
        self._may_correct = may_correct
        self.model.set_records(records)
        if records:
            self.table.selectRow(0)
        self._on_table_selection_changed()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        value = index.data(ASSESSMENT_ID_ROLE) if index.isValid() else None
        return value if isinstance(value, int) else None

    def _emit(self, signal: Any) -> None:
        assessment_id = self.selected_id()
        if assessment_id is not None:
            signal.emit(assessment_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            and self.selected_id() is not None
        ):
            self._emit(self.view_requested)
            return True
        return super().eventFilter(watched, event)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        value = index.data(ASSESSMENT_ID_ROLE)
        if isinstance(value, int):
            self.view_requested.emit(value)

    @Slot()
    def _on_table_selection_changed(self) -> None:
        chosen = self.table.selectionModel().hasSelection()
        self.view_button.setEnabled(chosen)
        self.export_button.setEnabled(chosen)
        self.correct_button.setEnabled(chosen and self._may_correct)
