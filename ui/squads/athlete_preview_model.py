"""Every row of an athlete file with what importing it would do: a new patient, one already held (merge or
skip), or rejected and why. The status cell is tinted and says the status in words.

A row matching a patient already held is merged by default: only the held record's blank fields are
filled from the file. Its check box in the Decision column (Space toggles it) skips it instead. A row that
could not be read as a patient shows its name and date of birth as the file has them, so that the wrong
date can be seen beside the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from ui.squads.squad_style import error_tint, good_tint, tone_tint
from ui.theme import Tone
from workstation.dates import DateOrder, format_date
from workstation.exchange.athlete_records import (
    AthleteField,
    AthleteMapping,
    AthleteTable,
    ImportPreview,
    MatchDecision,
    PreviewRow,
    RowStatus,
)
from workstation.records import Patient

LINE_ROLE = int(Qt.ItemDataRole.UserRole) + 26
STATUS_ROLE = int(Qt.ItemDataRole.UserRole) + 27  # the RowStatus value
ModelIndex = QModelIndex | QPersistentModelIndex
_TONES = {RowStatus.MATCH: Tone.NOTICE, RowStatus.ERROR: Tone.ERROR, RowStatus.DUPLICATE: Tone.ERROR}
AS_IN_FILE = "As the file has it: this row could not be read (see Why)."


@dataclass(frozen=True, slots=True)
class FileCells:
    """A row's name and date of birth as typed in the file (the mapped cells' text, trimmed)."""

    name: str = ""
    date_of_birth: str = ""


def file_cells_by_line(table: AthleteTable | None, mapping: AthleteMapping | None) -> dict[int, FileCells]:
    """Each file line's name and date of birth as typed, for the rows the preview could not make a patient of."""
    if table is None or mapping is None:
        return {}
    columns = {f: mapping.column(f) for f in (AthleteField.GIVEN_NAME, AthleteField.FAMILY_NAME,
                                               AthleteField.DATE_OF_BIRTH)}  # fmt: skip

    def cell(cells: tuple[str, ...], athlete_field: AthleteField) -> str:
        column = columns[athlete_field]
        return cells[column].strip() if column is not None and column < len(cells) else ""

    typed = {}
    for line, cells in zip(table.line_numbers, table.rows, strict=False):
        first, last = cell(cells, AthleteField.GIVEN_NAME), cell(cells, AthleteField.FAMILY_NAME)
        name = f"{last}, {first}" if first and last else last or first
        typed[line] = FileCells(name, cell(cells, AthleteField.DATE_OF_BIRTH))
    return typed


class PreviewColumn(IntEnum):
    LINE = 0
    STATUS = 1
    NAME = 2
    DATE_OF_BIRTH = 3
    DECISION = 4
    DETAIL = 5

    @property
    def title(self) -> str:
        return ("Line", "Status", "Name", "Date of birth", "Merge", "Why")[self]


def detail_text(row: PreviewRow) -> str:
    """The Why column: what is wrong, or what a merge would change."""
    if row.problems:
        return "; ".join(f"{p.column}: {p.message}" if p.column else p.message for p in row.problems)
    if row.status is RowStatus.DUPLICATE and row.duplicate_of_line is not None:
        return f"Repeats line {row.duplicate_of_line}."
    if row.status is RowStatus.MATCH:
        parts = []
        if row.merge_fills:
            parts.append("A merge fills in: " + ", ".join(row.merge_fills) + ".")
        if row.differences:
            parts.append("Differs from the record (kept as held): " + ", ".join(row.differences) + ".")
        return " ".join(parts) or "Same as the record held."
    return ""


class AthletePreviewModel(QAbstractTableModel):
    decisions_changed = Signal()

    def __init__(self, date_order: DateOrder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._order = date_order
        self._rows: list[PreviewRow] = []
        self._typed: Mapping[int, FileCells] = {}
        self._decisions: dict[int, MatchDecision] = {}

    def set_preview(self, preview: ImportPreview | None, typed: Mapping[int, FileCells]) -> None:
        """Show a new preview; ``typed`` is what the file says (by line), shown for the rows that are not a
        patient. Decisions already made are kept for the lines that still match."""
        self.beginResetModel()
        self._rows = list(preview.rows) if preview is not None else []
        self._typed = dict(typed)
        matches = {row.line for row in self._rows if row.status is RowStatus.MATCH}
        self._decisions = {line: d for line, d in self._decisions.items() if line in matches}
        self.endResetModel()

    def decisions(self) -> dict[int, MatchDecision]:
        """Every matched row's decision, by line (merge unless skipped)."""
        return {row.line: self._decisions.get(row.line, MatchDecision.MERGE)
                for row in self._rows if row.status is RowStatus.MATCH}  # fmt: skip

    def decide_all(self, decision: MatchDecision) -> None:
        for row in self._rows:
            if row.status is RowStatus.MATCH:
                self._decisions[row.line] = decision
        if self._rows:
            column = PreviewColumn.DECISION
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))
        self.decisions_changed.emit()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(PreviewColumn)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == PreviewColumn.DECISION and self._rows[index.row()].status is RowStatus.MATCH:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], PreviewColumn(index.column())
        if role == LINE_ROLE:
            return row.line
        if role == STATUS_ROLE:
            return row.status.value
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and column is PreviewColumn.DECISION:
            if row.status is RowStatus.MATCH:
                merge = self._decisions.get(row.line, MatchDecision.MERGE) is MatchDecision.MERGE
                return Qt.CheckState.Checked if merge else Qt.CheckState.Unchecked
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column is PreviewColumn.DETAIL:
            return detail_text(row) or None
        if role == Qt.ItemDataRole.ToolTipRole and column in _AS_TYPED and row.patient is None:
            return AS_IN_FILE if self._cell(row, column) else None
        if column is PreviewColumn.STATUS and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            tone = _TONES.get(row.status)
            tint = good_tint() if tone is None else error_tint() if tone is Tone.ERROR else tone_tint(tone)
            return tint.background if role == Qt.ItemDataRole.BackgroundRole else tint.text
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not self.flags(index) & Qt.ItemFlag.ItemIsUserCheckable:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        line = self._rows[index.row()].line
        self._decisions[line] = MatchDecision.MERGE if checked else MatchDecision.SKIP
        self.dataChanged.emit(index, index)
        self.decisions_changed.emit()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(PreviewColumn):
            return PreviewColumn(section).title
        return None

    def _cell(self, row: PreviewRow, column: PreviewColumn) -> str:
        patient = row.patient
        match column:
            case PreviewColumn.LINE:
                return str(row.line)
            case PreviewColumn.STATUS:
                return row.status.label
            case PreviewColumn.NAME:
                return _name(patient) if patient is not None else self._typed.get(row.line, FileCells()).name
            case PreviewColumn.DATE_OF_BIRTH:
                if patient is None:
                    return self._typed.get(row.line, FileCells()).date_of_birth
                return format_date(patient.date_of_birth, self._order) if patient.date_of_birth else ""
            case PreviewColumn.DECISION:
                if row.status is not RowStatus.MATCH:
                    return ""
                merge = self._decisions.get(row.line, MatchDecision.MERGE) is MatchDecision.MERGE
                return "Merge" if merge else "Skip"
            case PreviewColumn.DETAIL:
                return detail_text(row)


_AS_TYPED = (PreviewColumn.NAME, PreviewColumn.DATE_OF_BIRTH)


def _name(patient: Patient) -> str:
    """ "Family, Given" as in the patient list."""
    given, family = patient.given_name, patient.family_name
    return f"{family}, {given}" if given and family else family or given
