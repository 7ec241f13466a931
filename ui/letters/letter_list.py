"""The patient's finalised letters (the Letters tab): newest first, each opened, exported or printed as stored.

A finalised letter never changes; what is opened, exported or printed is the stored PDF, checked against
its SHA-256 by the service, which also audits each use.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.theme import Tone, tone_colours
from ui.widgets.banner import BannerWidget
from workstation.dates import DateOrder, format_date
from workstation.letters.records import LetterKind, StoredLetter

LETTER_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 7
ModelIndex = QModelIndex | QPersistentModelIndex
NO_LETTERS = "No letters yet. Press Ctrl+Shift+L to write one."
URGENCY_WORDS = {"emergency": "EMERGENCY", "urgent": "URGENT – same day", "soon": "Soon", "routine": "Routine"}
CALLED_FIRST = frozenset({"emergency", "urgent"})  # shown in the error colour, bold: they were phoned first
SHORT_KINDS = {  # the table's column; the whole label is the cell's tooltip
    LetterKind.GP_REFERRAL: "GP referral",
    LetterKind.PROGRESS: "Progress report",
    LetterKind.DISCHARGE: "Discharge summary",
    LetterKind.CARE_PLAN_REPORT: "Care-plan report (AU)",
    LetterKind.HANDOUT: "Exercise handout",
}


class LetterColumn(IntEnum):
    DATE = 0
    DOCUMENT = 1
    RECIPIENT = 2
    URGENCY = 3
    PAGES = 4
    AUTHOR = 5
    REFERENCE = 6

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    LetterColumn.DATE: "Date",
    LetterColumn.DOCUMENT: "Document",
    LetterColumn.RECIPIENT: "To",
    LetterColumn.URGENCY: "Urgency",
    LetterColumn.PAGES: "Pages",
    LetterColumn.AUTHOR: "Written by",
    LetterColumn.REFERENCE: "Reference",
}


def finalised_on_text(letter: StoredLetter, order: DateOrder) -> str:
    """The local date and time it was finalised: "01/12/2026 11:24"."""
    local = letter.finalised_at.astimezone()
    return f"{format_date(local.date(), order)} {local:%H:%M}"


class LetterTableModel(QAbstractTableModel):
    """One row a finalised letter, newest first."""

    def __init__(self, date_order: DateOrder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._order = date_order
        self._letters: list[StoredLetter] = []

    def set_letters(self, letters: list[StoredLetter]) -> None:
        self.beginResetModel()
        self._letters = sorted(letters, key=lambda s: (s.finalised_at, s.id or 0), reverse=True)
        self.endResetModel()

    def letters(self) -> list[StoredLetter]:
        return list(self._letters)

    def letter(self, letter_id: int) -> StoredLetter:
        return next(s for s in self._letters if s.id == letter_id)

    def row_of(self, letter_id: int) -> int | None:
        return next((row for row, s in enumerate(self._letters) if s.id == letter_id), None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._letters)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(LetterColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._letters):
            return None
        letter = self._letters[index.row()]
        column = LetterColumn(index.column())
        if role == LETTER_ID_ROLE:
            return letter.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell(letter, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(letter, column)
        if column is LetterColumn.URGENCY and letter.urgency in CALLED_FIRST:
            if role == Qt.ItemDataRole.ForegroundRole:
                return tone_colours(Tone.ERROR, QGuiApplication.palette()).text
            if role == Qt.ItemDataRole.FontRole:
                font = QGuiApplication.font()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column is LetterColumn.PAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(LetterColumn):
            return LetterColumn(section).title
        return None

    @staticmethod
    def _tooltip(letter: StoredLetter, column: LetterColumn) -> str | None:
        if column is LetterColumn.DOCUMENT:
            return letter.kind.label
        if column is LetterColumn.RECIPIENT:
            return letter.recipient
        if column is LetterColumn.REFERENCE:
            return f"SHA-256 {letter.sha256}"
        return None

    def _cell(self, letter: StoredLetter, column: LetterColumn) -> str:
        if column is LetterColumn.DATE:
            return finalised_on_text(letter, self._order)
        if column is LetterColumn.DOCUMENT:
            return SHORT_KINDS.get(letter.kind, letter.kind.label)
        if column is LetterColumn.RECIPIENT:
            return letter.recipient
        if column is LetterColumn.URGENCY:
            return URGENCY_WORDS.get(letter.urgency, letter.urgency)
        if column is LetterColumn.PAGES:
            return str(letter.page_count)
        if column is LetterColumn.AUTHOR:
            return letter.author_name
        return letter.reference


class LetterTableView(QTableView):
    """Enter or a double-click opens the selected letter."""

    open_requested = Signal(int)  # a letter id

    def __init__(self, model: LetterTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        for column in LetterColumn:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LetterColumn.RECIPIENT, QHeaderView.ResizeMode.Stretch)
        self.doubleClicked.connect(self._on_double_clicked)

    def selected_id(self) -> int | None:
        index = self.currentIndex()
        value = index.data(LETTER_ID_ROLE) if index.isValid() else None
        return value if isinstance(value, int) else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        letter_id = self.selected_id()
        if letter_id is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit(letter_id)
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        letter_id = index.data(LETTER_ID_ROLE)
        if isinstance(letter_id, int):
            self.open_requested.emit(letter_id)


class LetterListWidget(QWidget):
    """The Letters tab: the table, and what can be done with the selected letter."""

    new_requested = Signal()
    open_requested = Signal(int)  # a letter id: the in-app preview
    export_requested = Signal(int)
    print_requested = Signal(int)
    system_viewer_requested = Signal(int)

    def __init__(self, date_order: DateOrder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterList")
        self.patient_id: int | None = None
        self.banner = BannerWidget()
        self.model = LetterTableModel(date_order, self)
        self.table = LetterTableView(self.model)
        self.table.open_requested.connect(self.open_requested)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.empty_note = QLabel(NO_LETTERS)
        self.empty_note.setObjectName("noLetters")
        self.new_button = QPushButton("New letter… (Ctrl+Shift+L)")
        self.new_button.setObjectName("newLetterFromList")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button = self._button("&Open (Enter)", "openLetter", self.open_requested)
        self.export_button = self._button("E&xport to folder…", "exportLetter", self.export_requested)
        self.print_button = self._button("P&rint…", "printLetter", self.print_requested)
        self.viewer_button = self._button("Open in system &viewer", "systemViewerLetter", self.system_viewer_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty_note, 1)
        for button in (self.open_button, self.export_button, self.print_button, self.viewer_button, self.new_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._on_table_selection_changed()

    def _button(self, text: str, name: str, signal: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda: self._emit_for_selection(signal))
        return button

    def show_letters(self, patient_id: int, letters: list[StoredLetter], *, select_id: int | None = None) -> None:
        if patient_id != self.patient_id:
            self.banner.clear()
        self.patient_id = patient_id
        self.model.set_letters(letters)
        self.empty_note.setVisible(not letters)
        row = self.model.row_of(select_id) if select_id is not None else (0 if letters else None)
        if row is not None:
            self.table.selectRow(row)
        self._on_table_selection_changed()

    def set_may_write(self, may_write: bool) -> None:
        self.new_button.setEnabled(may_write)

    def show_error(self, text: str) -> None:
        self.banner.show_message(text, Tone.ERROR)

    def show_notice(self, text: str) -> None:
        self.banner.show_message(text, Tone.NOTICE)

    def _emit_for_selection(self, signal: Any) -> None:
        letter_id = self.table.selected_id()
        if letter_id is not None:
            signal.emit(letter_id)

    @Slot()
    def _on_table_selection_changed(self) -> None:
        selected = self.table.selected_id() is not None
        for button in (self.open_button, self.export_button, self.print_button, self.viewer_button):
            button.setEnabled(selected)
