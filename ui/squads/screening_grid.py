"""The screening grid: a table a physio fills in by keyboard alone, athlete after athlete.

Typing a number starts editing the cell; Enter or Tab stores it and moves to the next cell, and from the
end of a row to the next athlete's first measure (Shift+Tab goes back). Delete clears a cell. A new
editor always starts from what is typed, as in a spreadsheet, so a value is replaced, never appended to.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ui.squads.screening_model import (
    ATHLETE_COLUMN,
    FIRST_MEASURE_COLUMN,
    NOTE_COLUMN,
    header_label,
    is_editable_column,
    measure_of,
)
from ui.widgets.tables import compact_rows
from workstation.squads.records import SCREENING_NOTE_MAX_CHARS

ModelIndex = QModelIndex | QPersistentModelIndex
_VALUE_MAX_CHARS = 8  # "150", "12.5": anything longer is a slip of the finger
_MOVING_HINTS = (
    QAbstractItemDelegate.EndEditHint.EditNextItem,
    QAbstractItemDelegate.EndEditHint.EditPreviousItem,
    QAbstractItemDelegate.EndEditHint.SubmitModelCache,  # Enter
)


class ScreeningCellDelegate(QStyledItemDelegate):
    """A plain line edit: numbers for the measures, a line of text for the note."""

    edited = QPersistentModelIndex()  # the cell of the editor open last

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        self.edited = QPersistentModelIndex(index)
        editor = QLineEdit(parent)
        editor.setFrame(False)
        measure = measure_of(index.column())
        if measure is not None:
            editor.setMaxLength(_VALUE_MAX_CHARS)
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            editor.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
            editor.setAccessibleName(measure.label)
        else:
            editor.setMaxLength(SCREENING_NOTE_MAX_CHARS)
            editor.setAccessibleName("Note")
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class ScreeningGridView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screeningGrid")
        self.setAccessibleName("Screening worksheet")
        self._delegate = ScreeningCellDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        compact_rows(self)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)  # the flags take what is left
        metrics, padding = self.fontMetrics(), self.fontMetrics().horizontalAdvance("MM")
        for column in range(FIRST_MEASURE_COLUMN, NOTE_COLUMN):
            measure = measure_of(column)
            lines = header_label(measure).split("\n") if measure is not None else [""]
            self.setColumnWidth(column, max(metrics.horizontalAdvance(line) for line in lines) + padding)
        self.setColumnWidth(ATHLETE_COLUMN, metrics.horizontalAdvance("Papadopoulos, Konstantinos (38)") + padding)
        self.setColumnWidth(NOTE_COLUMN, metrics.averageCharWidth() * 18)
        self.verticalHeader().setMinimumWidth(metrics.horizontalAdvance("888 •") + padding // 2)

    # --- moving ---------------------------------------------------------------------------------------------

    def next_cell(self, index: QModelIndex, *, backwards: bool = False) -> QModelIndex:
        """The cell Enter or Tab goes to: along the row, then to the next athlete's first measure."""
        model = self.model()
        if model is None or not index.isValid():
            return index
        row, column = index.row(), index.column()
        step = -1 if backwards else 1
        column += step
        if not is_editable_column(column):
            row += step
            column = NOTE_COLUMN if backwards else FIRST_MEASURE_COLUMN
            if not 0 <= row < model.rowCount():
                return index  # the first or last cell of the sheet: stay
        return model.index(row, column)

    def go_to(self, index: QModelIndex) -> None:
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        current = self.currentIndex()
        if action is QAbstractItemView.CursorAction.MoveNext:
            return self.next_cell(current)
        if action is QAbstractItemView.CursorAction.MovePrevious:
            return self.next_cell(current, backwards=True)
        return super().moveCursor(action, modifiers)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        # Qt closes an editor the same way when the cursor has already gone elsewhere (an arrow key, a click):
        # then the cell the cursor went to is where it stays.
        moved_away = self._delegate.edited != QPersistentModelIndex(self.currentIndex())
        if hint not in _MOVING_HINTS or moved_away:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint if moved_away else hint)
            return
        backwards = hint is QAbstractItemDelegate.EndEditHint.EditPreviousItem
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        # The next cell is only made current: typing there opens a fresh editor with what is typed.
        self.go_to(self.next_cell(self.currentIndex(), backwards=backwards))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, current = event.key(), self.currentIndex()
        if self.state() is not QAbstractItemView.State.EditingState and current.isValid():
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
                self.go_to(self.next_cell(current))
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and current.flags() & Qt.ItemFlag.ItemIsEditable:
                self.model().setData(current, "", Qt.ItemDataRole.EditRole)
                return
        super().keyPressEvent(event)

    def finish_editing(self) -> None:
        """Store what the open editor holds (the physio clicked elsewhere, or the worksheet is leaving)."""
        if self.state() is not QAbstractItemView.State.EditingState:
            return
        editor = self.indexWidget(self.currentIndex())
        if editor is not None:
            self.commitData(editor)
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def first_cell(self, row: int) -> QModelIndex:
        model = self.model()
        return model.index(row, FIRST_MEASURE_COLUMN) if model is not None else QModelIndex()
