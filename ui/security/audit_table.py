"""Audit entries as an item model, in the order the log gives them (newest first), found by sequence number.

Times are shown in the computer's local time, which is how the practice remembers its day; the UTC time
the log keeps is in the tooltip, for comparing with another workstation or an export.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from workstation.audit.records import AuditAction, AuditEntry, AuditEvent, Outcome
from workstation.security.accounts import Role

AUDIT_SEQUENCE_ROLE = int(Qt.ItemDataRole.UserRole) + 4

ModelIndex = QModelIndex | QPersistentModelIndex

_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # year first: one reading whatever the clinic's date order


class AuditColumn(IntEnum):
    TIME = 0
    USER = 1
    ROLE = 2
    WORKSTATION = 3
    EVENT = 4
    ACTION = 5
    OUTCOME = 6
    PATIENT = 7
    OBJECT = 8
    DETAIL = 9

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    AuditColumn.TIME: "Time",
    AuditColumn.USER: "User",
    AuditColumn.ROLE: "Role",
    AuditColumn.WORKSTATION: "Computer",
    AuditColumn.EVENT: "Event",
    AuditColumn.ACTION: "Action",
    AuditColumn.OUTCOME: "Outcome",
    AuditColumn.PATIENT: "Patient id",
    AuditColumn.OBJECT: "Record",
    AuditColumn.DETAIL: "Detail",
}
_EVENT_LABELS = {
    AuditEvent.LOGIN: "Logged in",
    AuditEvent.LOGIN_FAILED: "Login refused",
    AuditEvent.ACCOUNT_LOCKED_OUT: "Account locked after failed logins",
    AuditEvent.LOGOUT: "Logged out",
    AuditEvent.SESSION_LOCKED: "Screen locked",
    AuditEvent.SESSION_UNLOCKED: "Screen unlocked",
    AuditEvent.REAUTHENTICATED: "Password confirmed",
    AuditEvent.AUDIT_VIEWED: "Audit trail viewed",
    AuditEvent.AUDIT_EXPORTED: "Audit trail exported",
    AuditEvent.AUDIT_VERIFIED: "Audit trail checked",
}
_ACTION_LABELS = {
    AuditAction.CREATE: "Create",
    AuditAction.READ: "Read",
    AuditAction.UPDATE: "Update",
    AuditAction.DELETE: "Delete",
    AuditAction.EXECUTE: "Execute",
}
_ROLE_VALUES = frozenset(r.value for r in Role)
_OUTCOME_LABELS = {Outcome.SUCCESS: "Success", Outcome.DENIED: "Not allowed", Outcome.FAILURE: "Failed"}


def event_label(event: AuditEvent) -> str:
    """In words: "patient.viewed" reads "Patient viewed"."""
    if event in _EVENT_LABELS:
        return _EVENT_LABELS[event]
    return event.value.replace(".", " ").replace("_", " ").capitalize()


def role_label(role: str) -> str:
    """The role as it was then; a role since renamed or removed shows as stored."""
    return Role(role).label if role in _ROLE_VALUES else role


class AuditTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None, *, zone: tzinfo | None = None) -> None:
        super().__init__(parent)
        self._zone = zone  # None: the computer's own time zone
        self._entries: list[AuditEntry] = []

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, sequence: int) -> AuditEntry | None:
        return next((e for e in self._entries if e.sequence == sequence), None)

    def entries(self) -> list[AuditEntry]:
        return list(self._entries)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(AuditColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        if role == AUDIT_SEQUENCE_ROLE:
            return entry.sequence
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell_text(entry, AuditColumn(index.column()))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, AuditColumn(index.column()))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(AuditColumn):
            return AuditColumn(section).title
        return None

    def local_time(self, entry: AuditEntry) -> str:
        return entry.occurred_at.astimezone(self._zone).strftime(_TIME_FORMAT)

    def _cell_text(self, entry: AuditEntry, column: AuditColumn) -> str:
        match column:
            case AuditColumn.TIME:
                return self.local_time(entry)
            case AuditColumn.USER:
                return entry.user_name
            case AuditColumn.ROLE:
                return role_label(entry.role)
            case AuditColumn.WORKSTATION:
                return entry.workstation
            case AuditColumn.EVENT:
                return event_label(entry.event)
            case AuditColumn.ACTION:
                return f"{_ACTION_LABELS[entry.action]} ({entry.action.value})"  # words, with the ATNA code
            case AuditColumn.OUTCOME:
                return _OUTCOME_LABELS[entry.outcome]
            case AuditColumn.PATIENT:
                return "" if entry.patient_id is None else str(entry.patient_id)
            case AuditColumn.OBJECT:
                return f"{entry.object_type} {entry.object_id}".strip()
            case AuditColumn.DETAIL:
                return entry.detail

    def _tooltip(self, entry: AuditEntry, column: AuditColumn) -> str | None:
        match column:
            case AuditColumn.TIME:
                return f"{entry.occurred_at.astimezone(UTC).strftime(_TIME_FORMAT)} UTC"
            case AuditColumn.EVENT:
                return entry.event.value  # the code, as in an export
            case AuditColumn.ACTION:
                return _ACTION_LABELS[entry.action]
            case AuditColumn.DETAIL:
                return entry.detail or None
        return None
