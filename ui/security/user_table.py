"""The practice's accounts as an item model: one row per user, found by id, never by row number."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from workstation.security.accounts import User

USER_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 3

ModelIndex = QModelIndex | QPersistentModelIndex


class UserColumn(IntEnum):
    USER_NAME = 0
    FULL_NAME = 1
    ROLE = 2
    STATUS = 3

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    UserColumn.USER_NAME: "User name",
    UserColumn.FULL_NAME: "Full name",
    UserColumn.ROLE: "Role",
    UserColumn.STATUS: "Status",
}


def status_text(user: User) -> str:
    if not user.active:
        return "Deactivated"
    return "Must change password" if user.must_change_password else "Active"


def role_text(user: User) -> str:
    return f"{user.role.label} (owner)" if user.is_owner else user.role.label


class UserTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._users: list[User] = []

    def set_users(self, users: list[User]) -> None:
        """Show a new list (every user must have an id: they come from the store)."""
        self.beginResetModel()
        self._users = list(users)
        self.endResetModel()

    def put(self, user: User) -> None:
        """Show a user the services just returned: their row changes, or a new row is added."""
        row = self.row_of(user.id) if user.id is not None else None
        if row is None:
            self.beginInsertRows(QModelIndex(), len(self._users), len(self._users))
            self._users.append(user)
            self.endInsertRows()
            return
        self._users[row] = user
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(UserColumn) - 1))

    def user(self, user_id: int) -> User | None:
        return next((u for u in self._users if u.id == user_id), None)

    def row_of(self, user_id: int) -> int | None:
        return next((row for row, u in enumerate(self._users) if u.id == user_id), None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._users)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(UserColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        user = self._users[index.row()]
        if role == USER_ID_ROLE:
            return user.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell_text(user, UserColumn(index.column()))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(UserColumn):
            return UserColumn(section).title
        return None

    def _cell_text(self, user: User, column: UserColumn) -> str:
        match column:
            case UserColumn.USER_NAME:
                return user.user_name
            case UserColumn.FULL_NAME:
                return user.display_name
            case UserColumn.ROLE:
                return role_text(user)
            case UserColumn.STATUS:
                return status_text(user)
