"""A patient's episodes of care as an item model, newest first (the order the repository gives)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from workstation.dates import DateOrder, format_date
from workstation.records import Episode

EPISODE_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 2

ModelIndex = QModelIndex | QPersistentModelIndex


class EpisodeColumn(IntEnum):
    COMPLAINT = 0
    SIDE = 1
    ONSET = 2
    STATUS = 3
    DISCHARGED = 4

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    EpisodeColumn.COMPLAINT: "Complaint",
    EpisodeColumn.SIDE: "Side",
    EpisodeColumn.ONSET: "Onset",
    EpisodeColumn.STATUS: "Status",
    EpisodeColumn.DISCHARGED: "Discharged",
}


class EpisodeTableModel(QAbstractTableModel):
    def __init__(self, date_order: DateOrder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._date_order = date_order
        self._episodes: list[Episode] = []

    def set_episodes(self, episodes: list[Episode]) -> None:
        self.beginResetModel()
        self._episodes = list(episodes)
        self.endResetModel()

    def episode(self, episode_id: int) -> Episode:
        return next(e for e in self._episodes if e.id == episode_id)

    def episodes(self) -> list[Episode]:
        return list(self._episodes)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._episodes)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(EpisodeColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        episode = self._episodes[index.row()]
        if role == EPISODE_ID_ROLE:
            return episode.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell_text(episode, EpisodeColumn(index.column()))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == EpisodeColumn.COMPLAINT:
            return episode.complaint  # the cell shows one line; the whole complaint on hover
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(EpisodeColumn):
            return EpisodeColumn(section).title
        return None

    def _cell_text(self, episode: Episode, column: EpisodeColumn) -> str:
        match column:
            case EpisodeColumn.COMPLAINT:
                return " ".join(episode.complaint.split())
            case EpisodeColumn.SIDE:
                return episode.side.label
            case EpisodeColumn.ONSET:
                return format_date(episode.onset_date, self._date_order) if episode.onset_date else "Not known"
            case EpisodeColumn.STATUS:
                return episode.status.label
            case EpisodeColumn.DISCHARGED:
                return self._discharge_text(episode)

    def _discharge_text(self, episode: Episode) -> str:
        if episode.discharge_date is None:
            return ""
        reason = f" ({episode.discharge_reason.label.lower()})" if episode.discharge_reason else ""
        return format_date(episode.discharge_date, self._date_order) + reason
