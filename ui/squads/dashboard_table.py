"""The dashboard's tables as item models: athletes by name (``DashboardTableModel``) or by pseudonym
(``AnalyticsTableModel``, the pseudonymised view: no names, no dates of birth, no free text).

Availability is a coloured cell that also says it in words. Each model gives a sort key per cell
(``SORT_ROLE``), so the proxy sorts availability by need, dates by date and numbers as numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ui.squads.screening_values import change_text, value_text
from ui.squads.squad_style import FLAG_LEVEL_WORDS, availability_tint, worst_tint
from workstation.dates import DateOrder, format_date
from workstation.squads.records import MEASURE_BY_KEY, Availability
from workstation.squads.views import AnalyticsRow, DashboardRow, ScreeningFlag
from workstation.text import fold

PATIENT_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 24
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 25
ModelIndex = QModelIndex | QPersistentModelIndex
_MISSING = -1.0e9  # an empty number sorts below every real one


class DashboardColumn(IntEnum):
    ATHLETE = 0
    AVAILABILITY = 1
    REASON = 2
    LAST_SCREENED = 3
    HEEL_RAISE_LEFT = 4
    HEEL_RAISE_RIGHT = 5
    LSI = 6
    PAIN = 7
    CHANGE = 8
    FLAGS = 9

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    DashboardColumn.ATHLETE: "Athlete", DashboardColumn.AVAILABILITY: "Availability", DashboardColumn.REASON: "Why",
    DashboardColumn.LAST_SCREENED: "Last\nscreened", DashboardColumn.HEEL_RAISE_LEFT: "Heel raise\nL",
    DashboardColumn.HEEL_RAISE_RIGHT: "Heel raise\nR", DashboardColumn.LSI: "LSI", DashboardColumn.PAIN: "Pain",
    DashboardColumn.CHANGE: "Heel raise\nchange", DashboardColumn.FLAGS: "Flags",
}  # fmt: skip
_VALUE_KEYS = {
    DashboardColumn.HEEL_RAISE_LEFT: "heel_raise_left", DashboardColumn.HEEL_RAISE_RIGHT: "heel_raise_right",
    DashboardColumn.PAIN: "pain",
}  # fmt: skip
CLINICAL_COLUMNS = frozenset(DashboardColumn) - {
    DashboardColumn.ATHLETE, DashboardColumn.AVAILABILITY, DashboardColumn.REASON
}  # fmt: skip
_SHORT = {"heel_raise_left": "HR L", "heel_raise_right": "HR R", "bent_knee_left": "BK L", "bent_knee_right": "BK R",
          "knee_to_wall_left": "KTW L", "knee_to_wall_right": "KTW R", "pain": "Pain"}  # fmt: skip


def lsi_text(lsi: float | None) -> str:
    return "" if lsi is None else f"{lsi:.0f} %"


def short_flags_text(flags: Sequence[ScreeningFlag]) -> str:
    """The most pressing flag, and how many more: the whole list is the cell's tooltip."""
    if not flags:
        return ""
    first = min(flags, key=lambda f: f.level.rank)
    more = f" (+{len(flags) - 1} more)" if len(flags) > 1 else ""
    return f"{FLAG_LEVEL_WORDS[first.level]}: {first.text}{more}"


def changes_text(change: Mapping[str, float]) -> str:
    """ "HR L −7, HR R +2, KTW L +1.5": every measure that changed, in the grid's order."""
    shown = [k for k in MEASURE_BY_KEY if change.get(k, 0) != 0]
    return ", ".join(f"{_SHORT.get(k, k)} {change_text(change[k], MEASURE_BY_KEY[k])}" for k in shown)


def heel_raise_change_text(change: Mapping[str, float]) -> str:
    """ "L −11 · R +3": each leg's heel-raise reps since the previous screening."""
    legs = (("L", "heel_raise_left"), ("R", "heel_raise_right"))
    return " · ".join(f"{leg} {change_text(change[k], MEASURE_BY_KEY[k])}" for leg, k in legs if k in change)


class _TableModel(QAbstractTableModel):
    columns: type[IntEnum]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def _set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.columns):
            return self.columns(section).title  # type: ignore[attr-defined]
        return None

    def _row_at(self, index: ModelIndex) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]


class DashboardTableModel(_TableModel):
    columns = DashboardColumn

    def __init__(self, date_order: DateOrder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._order = date_order

    def set_rows(self, rows: Sequence[DashboardRow]) -> None:
        self._set_rows(rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: DashboardRow | None = self._row_at(index)
        if row is None:
            return None
        column = DashboardColumn(index.column())
        if role == PATIENT_ID_ROLE:
            return row.member.patient_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            return _tint(row, column, background=role == Qt.ItemDataRole.BackgroundRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and (column in _VALUE_KEYS or column is DashboardColumn.LSI):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: DashboardRow, column: DashboardColumn) -> str:
        match column:
            case DashboardColumn.ATHLETE:
                return row.member.display_name
            case DashboardColumn.AVAILABILITY:
                return row.availability.availability.label
            case DashboardColumn.REASON:
                return row.availability.reason
            case DashboardColumn.LAST_SCREENED:
                return format_date(row.last_screened, self._order) if row.last_screened else ""
            case DashboardColumn.LSI:
                return lsi_text(row.heel_raise_lsi)
            case DashboardColumn.CHANGE:
                return heel_raise_change_text(row.change)
            case DashboardColumn.FLAGS:
                return short_flags_text(row.flags)
        key = _VALUE_KEYS[column]
        value = row.values.get(key)
        return "" if value is None else value_text(value, MEASURE_BY_KEY[key])

    @staticmethod
    def _sort_key(row: DashboardRow, column: DashboardColumn) -> Any:
        match column:
            case DashboardColumn.ATHLETE:
                return fold(row.member.display_name)
            case DashboardColumn.AVAILABILITY:
                return row.availability.availability.rank
            case DashboardColumn.REASON:
                return fold(row.availability.reason)
            case DashboardColumn.LAST_SCREENED:
                return float(row.last_screened.toordinal()) if row.last_screened else _MISSING
            case DashboardColumn.LSI:
                return _MISSING if row.heel_raise_lsi is None else row.heel_raise_lsi
            case DashboardColumn.CHANGE:
                return min(row.change.values(), default=_MISSING)  # the largest drop first, ascending
            case DashboardColumn.FLAGS:
                return min((f.level.rank for f in row.flags), default=9) * 100 - len(row.flags)
        return row.values.get(_VALUE_KEYS[column], _MISSING)


def _tooltip(row: DashboardRow, column: DashboardColumn) -> str | None:
    if column is DashboardColumn.FLAGS and row.flags:
        ordered = sorted(row.flags, key=lambda f: f.level.rank)
        return "\n".join(f"{FLAG_LEVEL_WORDS[f.level]}: {f.text}" + (f" ({f.source})" if f.source else "")
                         for f in ordered)  # fmt: skip
    if column is DashboardColumn.AVAILABILITY:
        return row.availability.reason or None
    if column is DashboardColumn.CHANGE and row.change:
        return "Since the previous screening: " + (changes_text(row.change) or "no change")
    return None


def _tint(row: DashboardRow, column: DashboardColumn, *, background: bool) -> Any:
    tint = None
    if column is DashboardColumn.AVAILABILITY:
        tint = availability_tint(row.availability.availability)
    elif column is DashboardColumn.FLAGS:
        tint = worst_tint(f.level for f in row.flags)
    elif column is DashboardColumn.LSI:
        tint = worst_tint(f.level for f in row.flags if f.code == "heel_raise_lsi_low")
    elif column is DashboardColumn.CHANGE:
        tint = worst_tint(f.level for f in row.flags if f.code == "heel_raise_drop")
    elif column in _VALUE_KEYS:
        tint = worst_tint(f.level for f in row.flags if _VALUE_KEYS[column] in f.keys)
    if tint is None:
        return None
    return tint.background if background else tint.text


class AnalyticsColumn(IntEnum):
    PSEUDONYM = 0
    AGE_BAND = 1
    SEX = 2
    AVAILABILITY = 3
    LAST_SCREENED = 4
    HEEL_RAISE_LEFT = 5
    HEEL_RAISE_RIGHT = 6
    LSI = 7

    @property
    def title(self) -> str:
        return ("Pseudonym", "Age", "Sex", "Availability", "Last screened\n(month)", "Heel raise\nL",
                "Heel raise\nR", "LSI")[self]  # fmt: skip


ANALYTICS_CLINICAL_COLUMNS = frozenset({AnalyticsColumn.HEEL_RAISE_LEFT, AnalyticsColumn.HEEL_RAISE_RIGHT,
                                        AnalyticsColumn.LSI})  # fmt: skip
_SEX_WORDS = {"female": "Female", "male": "Male", "other": "Other", "not_stated": ""}
_ANALYTICS_KEYS = {
    AnalyticsColumn.HEEL_RAISE_LEFT: "heel_raise_left", AnalyticsColumn.HEEL_RAISE_RIGHT: "heel_raise_right"
}  # fmt: skip


class AnalyticsTableModel(_TableModel):
    """The pseudonymised view (G4): a keyed pseudonym, an age band, a month, availability and numbers only."""

    columns = AnalyticsColumn

    def set_rows(self, rows: Sequence[AnalyticsRow]) -> None:
        self._set_rows(rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: AnalyticsRow | None = self._row_at(index)
        if row is None:
            return None
        column = AnalyticsColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if column is AnalyticsColumn.AVAILABILITY and role in (Qt.ItemDataRole.BackgroundRole,
                                                               Qt.ItemDataRole.ForegroundRole):  # fmt: skip
            tint = availability_tint(Availability(row.availability))
            return tint.background if role == Qt.ItemDataRole.BackgroundRole else tint.text
        return None

    @staticmethod
    def _text(row: AnalyticsRow, column: AnalyticsColumn) -> str:
        match column:
            case AnalyticsColumn.PSEUDONYM:
                return row.pseudonym
            case AnalyticsColumn.AGE_BAND:
                return row.age_band
            case AnalyticsColumn.SEX:
                return _SEX_WORDS.get(row.sex, row.sex)
            case AnalyticsColumn.AVAILABILITY:
                return Availability(row.availability).label
            case AnalyticsColumn.LAST_SCREENED:
                return row.last_screened_month
            case AnalyticsColumn.LSI:
                return lsi_text(row.heel_raise_lsi)
        key = _ANALYTICS_KEYS[column]
        value = row.values.get(key)
        return "" if value is None else value_text(value, MEASURE_BY_KEY[key])

    @staticmethod
    def _sort_key(row: AnalyticsRow, column: AnalyticsColumn) -> Any:
        if column is AnalyticsColumn.AVAILABILITY:
            return Availability(row.availability).rank
        if column is AnalyticsColumn.LSI:
            return _MISSING if row.heel_raise_lsi is None else row.heel_raise_lsi
        if column in _ANALYTICS_KEYS:
            return row.values.get(_ANALYTICS_KEYS[column], _MISSING)
        return AnalyticsTableModel._text(row, column)
