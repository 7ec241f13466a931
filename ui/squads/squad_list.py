"""The squads as an item model: one row a squad (its name, club, season and how many are in it today).

Archived squads (their season is over) are listed only when asked for, greyed and labelled "(archived)".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ui.squads.squad_style import muted_text
from workstation.squads.records import Squad

if TYPE_CHECKING:
    from workstation.services.squads import SquadService

SQUAD_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 20
ModelIndex = QModelIndex | QPersistentModelIndex
ARCHIVED_TIP = "Archived: the season is over. Reopen it with “Edit squad…”."


@dataclass(frozen=True, slots=True)
class SquadListing:
    squad: Squad
    club_name: str
    member_count: int


def read_listings(service: SquadService, today: date, *, include_archived: bool = False) -> list[SquadListing]:
    """Runs on the database thread: every squad with its club's name and its members today."""
    clubs = {club.id: club.name for club in service.clubs()}
    listings = []
    for squad in service.squads(include_archived=include_archived):
        assert squad.id is not None
        count = len(service.members(squad.id, today))
        listings.append(SquadListing(squad, clubs.get(squad.club_id, ""), count))
    return listings


class SquadColumn(IntEnum):
    NAME = 0
    CLUB = 1
    SEASON = 2
    MEMBERS = 3

    @property
    def title(self) -> str:
        return ("Squad", "Club", "Season", "Athletes")[self]


class SquadListModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SquadListing] = []

    def set_listings(self, listings: Sequence[SquadListing]) -> None:
        self.beginResetModel()
        self._rows = list(listings)
        self.endResetModel()

    def listing(self, squad_id: int) -> SquadListing | None:
        return next((row for row in self._rows if row.squad.id == squad_id), None)

    def row_of(self, squad_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.squad.id == squad_id), None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(SquadColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = SquadColumn(index.column())
        if role == SQUAD_ID_ROLE:
            return row.squad.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _cell(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is SquadColumn.MEMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and row.squad.archived:
            return muted_text()
        if role == Qt.ItemDataRole.ToolTipRole and row.squad.archived:
            return ARCHIVED_TIP
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(SquadColumn):
            return SquadColumn(section).title
        return None


def _cell(row: SquadListing, column: SquadColumn) -> str:
    match column:
        case SquadColumn.NAME:
            return row.squad.name + (" (archived)" if row.squad.archived else "")
        case SquadColumn.CLUB:
            return row.club_name
        case SquadColumn.SEASON:
            return row.squad.season
        case SquadColumn.MEMBERS:
            return str(row.member_count)
