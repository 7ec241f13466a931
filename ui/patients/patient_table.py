"""The patient list as an item model: rows are patient ids in list order, cells come from summaries.

A result set is a numpy array of ids straight from the search index, so a keystroke that matches
100,000 patients costs one array assignment and a model reset; cells are formatted only when a row
is painted. Before the index exists (the first page at start-up) the ids are a plain sequence, so
that the first paint does not wait for NumPy to load.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Any, TypeAlias

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from workstation.dates import DateOrder, format_date
from workstation.identifiers import format_medicare_number, format_nhs_number
from workstation.records import PatientSummary

if TYPE_CHECKING:
    from workstation.search import IdArray

RowIds: TypeAlias = "IdArray | Sequence[int]"

PATIENT_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1

ModelIndex = QModelIndex | QPersistentModelIndex


class PatientColumn(IntEnum):
    NAME = 0
    PREFERRED_NAME = 1
    DATE_OF_BIRTH = 2
    NHS_NUMBER = 3
    MEDICARE_NUMBER = 4

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def sample(self) -> str:
        """A typical long value: the column is made wide enough to show it whole."""
        return _SAMPLES[self]


_TITLES = {
    PatientColumn.NAME: "Name",
    PatientColumn.PREFERRED_NAME: "Preferred name",
    PatientColumn.DATE_OF_BIRTH: "Date of birth",
    PatientColumn.NHS_NUMBER: "NHS number",
    PatientColumn.MEDICARE_NUMBER: "Medicare number",
}
_SAMPLES = {
    PatientColumn.NAME: "Papadopoulos, Konstantinos",
    PatientColumn.PREFERRED_NAME: "Konstantinos",
    PatientColumn.DATE_OF_BIRTH: "28/08/2008",
    PatientColumn.NHS_NUMBER: "999 999 9999",
    PatientColumn.MEDICARE_NUMBER: "9999 99999 9",
}


class PatientTableModel(QAbstractTableModel):
    def __init__(self, date_order: DateOrder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._date_order = date_order
        self._ids: RowIds = ()
        self._summaries: Mapping[int, PatientSummary] = {}

    def set_rows(self, ids: RowIds, summaries: Mapping[int, PatientSummary]) -> None:
        """Show a new result set; every id must have a summary."""
        self.beginResetModel()
        self._ids = ids
        self._summaries = summaries
        self.endResetModel()

    def patient_id(self, row: int) -> int:
        return int(self._ids[row])

    def row_of(self, patient_id: int) -> int | None:
        ids = self._ids
        if isinstance(ids, Sequence):
            return ids.index(patient_id) if patient_id in ids else None
        rows = (ids == patient_id).nonzero()[0]
        return int(rows[0]) if rows.size else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(PatientColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        patient_id = int(self._ids[index.row()])
        if role == PATIENT_ID_ROLE:
            return patient_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell_text(self._summaries[patient_id], PatientColumn(index.column()))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(PatientColumn):
            return PatientColumn(section).title
        return None

    def _cell_text(self, summary: PatientSummary, column: PatientColumn) -> str:
        match column:
            case PatientColumn.NAME:
                return summary.display_name
            case PatientColumn.PREFERRED_NAME:
                return summary.preferred_name
            case PatientColumn.DATE_OF_BIRTH:
                return format_date(summary.date_of_birth, self._date_order)
            case PatientColumn.NHS_NUMBER:
                return format_nhs_number(summary.nhs_number)
            case PatientColumn.MEDICARE_NUMBER:
                return format_medicare_number(summary.medicare_number)
