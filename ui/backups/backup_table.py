"""The backups in the practice's folder as an item model: one row per file, found by its path."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from db.backup_folder import BackupFile
from ui.backups.wording import format_moment, format_size

BACKUP_PATH_ROLE = int(Qt.ItemDataRole.UserRole) + 11

ModelIndex = QModelIndex | QPersistentModelIndex


class BackupColumn(IntEnum):
    TAKEN = 0
    KIND = 1
    SIZE = 2
    VERIFIED = 3

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    BackupColumn.TAKEN: "Taken",
    BackupColumn.KIND: "Kind",
    BackupColumn.SIZE: "Size",
    BackupColumn.VERIFIED: "Verified",
}
_KINDS = {
    "daily": "Daily (automatic)",
    "exit": "On closing (automatic)",
    "manual": "By hand",
    "before-restore": "Before a restore",
    "encrypted-from-plain": "When the database was encrypted",
}


def kind_text(reason: str) -> str:
    if reason.startswith("before-upgrade"):
        return "Before an upgrade"
    return _KINDS.get(reason, reason.replace("-", " ").capitalize())


class BackupTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backups: list[BackupFile] = []

    def set_backups(self, backups: list[BackupFile]) -> None:
        self.beginResetModel()
        self._backups = list(backups)
        self.endResetModel()

    def backup(self, path: Path) -> BackupFile | None:
        return next((b for b in self._backups if b.path == path), None)

    def row_of(self, path: Path) -> int | None:
        return next((row for row, b in enumerate(self._backups) if b.path == path), None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._backups)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(BackupColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        backup = self._backups[index.row()]
        column = BackupColumn(index.column())
        if role == BACKUP_PATH_ROLE:
            return str(backup.path)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _cell_text(backup, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return backup.path.name
        if role == Qt.ItemDataRole.TextAlignmentRole and column is BackupColumn.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(BackupColumn):
            return BackupColumn(section).title
        return None


def _cell_text(backup: BackupFile, column: BackupColumn) -> str:
    match column:
        case BackupColumn.TAKEN:
            return format_moment(backup.taken_at)
        case BackupColumn.KIND:
            return kind_text(backup.reason)
        case BackupColumn.SIZE:
            return format_size(backup.bytes)
        case BackupColumn.VERIFIED:
            return "Yes" if backup.verified else "No manifest"
