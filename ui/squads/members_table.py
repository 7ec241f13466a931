"""A squad's current members as an item model, in list order; each row found by patient id."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from workstation.dates import DateOrder, format_date
from workstation.records import Sex
from workstation.squads.views import SquadMember

PATIENT_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 21
ModelIndex = QModelIndex | QPersistentModelIndex
SEX_WORDS = {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.OTHER: "Other", Sex.NOT_STATED: ""}


class MemberColumn(IntEnum):
    NAME = 0
    DATE_OF_BIRTH = 1
    SEX = 2
    JOINED = 3

    @property
    def title(self) -> str:
        return ("Athlete", "Date of birth", "Sex", "In the squad since")[self]


class MemberTableModel(QAbstractTableModel):
    def __init__(self, date_order: DateOrder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._order = date_order
        self._members: list[SquadMember] = []

    def set_members(self, members: Sequence[SquadMember]) -> None:
        self.beginResetModel()
        self._members = list(members)
        self.endResetModel()

    def member(self, patient_id: int) -> SquadMember | None:
        return next((m for m in self._members if m.patient_id == patient_id), None)

    def row_of(self, patient_id: int) -> int | None:
        return next((i for i, m in enumerate(self._members) if m.patient_id == patient_id), None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._members)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(MemberColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._members):
            return None
        member = self._members[index.row()]
        if role == PATIENT_ID_ROLE:
            return member.patient_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell(member, MemberColumn(index.column()))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(MemberColumn):
            return MemberColumn(section).title
        return None

    def _cell(self, member: SquadMember, column: MemberColumn) -> str:
        match column:
            case MemberColumn.NAME:
                return member.display_name
            case MemberColumn.DATE_OF_BIRTH:
                return format_date(member.date_of_birth, self._order) if member.date_of_birth else ""
            case MemberColumn.SEX:
                return SEX_WORDS.get(member.sex, "")
            case MemberColumn.JOINED:
                return format_date(member.membership.joined_on, self._order)
