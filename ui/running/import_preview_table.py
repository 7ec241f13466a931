"""Every row of a file being imported, with what would happen to it: imported, an error and why, or skipped."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from ui.running.run_text import NOT_RECORDED, distance_text, duration_text
from ui.theme import Tone, tone_colours
from workstation.clinical.load import DistanceUnit
from workstation.dates import DateOrder, format_date
from workstation.running.import_preview import ImportPreview, ImportRow, SkipReason

LINE_ROLE = int(Qt.ItemDataRole.UserRole) + 5  # the file line: the row's identity in the file
STATUS_ROLE = int(Qt.ItemDataRole.UserRole) + 6  # "import", "error", "duplicate" or "skipped"
ModelIndex = QModelIndex | QPersistentModelIndex


class PreviewColumn(IntEnum):
    LINE = 0
    STATUS = 1
    DATE = 2
    DISTANCE = 3
    DURATION = 4
    DETAIL = 5


_TITLES = ("Line", "Status", "Date", "Distance", "Time", "Why")
_STATUS_WORDS = {"import": "Will import", "error": "Error", "duplicate": "Duplicate", "skipped": "Skipped"}
_DUPLICATES = (SkipReason.DUPLICATE_IN_FILE, SkipReason.ALREADY_LOGGED)


def row_status(row: ImportRow) -> str:
    """The preview's word for a row; a duplicate is a skip of its own kind, shown apart from the rest."""
    status = row.status
    return "duplicate" if status == "skipped" and row.skip in _DUPLICATES else status


class ImportPreviewModel(QAbstractTableModel):
    def __init__(self, date_order: DateOrder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._order = date_order
        self._unit: DistanceUnit = "km"
        self._rows: list[ImportRow] = []

    def set_preview(self, preview: ImportPreview | None, unit: DistanceUnit) -> None:
        self.beginResetModel()
        self._unit = unit
        self._rows = list(preview.rows) if preview is not None else []
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(PreviewColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = PreviewColumn(index.column())
        if role == LINE_ROLE:
            return row.line
        if role == STATUS_ROLE:
            return row_status(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is PreviewColumn.DETAIL:
            return self._cell(row, column) or None
        if role == Qt.ItemDataRole.ForegroundRole and column is PreviewColumn.STATUS:
            status = row_status(row)
            if status == "error":
                return tone_colours(Tone.ERROR, _palette()).text
            if status != "import":
                return _palette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _TITLES[section] if 0 <= section < len(_TITLES) else None
        return None

    def _cell(self, row: ImportRow, column: PreviewColumn) -> str:
        run = row.run
        match column:
            case PreviewColumn.LINE:
                return str(row.line)
            case PreviewColumn.STATUS:
                return _STATUS_WORDS[row_status(row)]
            case PreviewColumn.DATE:
                return format_date(run.run_on, self._order) if run else ""
            case PreviewColumn.DISTANCE:
                return distance_text(run.distance_km, self._unit) if run else ""
            case PreviewColumn.DURATION:
                return duration_text(run.duration_min) if run and run.duration_min else (NOT_RECORDED if run else "")
            case PreviewColumn.DETAIL:
                if row.problems:
                    return "; ".join(f"{p.column}: {p.message}" if p.column else p.message for p in row.problems)
                return row.skip_message


def _palette() -> QPalette:
    return QApplication.palette()
