"""The search field and the patient list under it.

Every keystroke re-queries the index (about a millisecond at 100,000 patients); a zero-time timer
folds a burst of keystrokes into one query, so typing never waits for the table.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.patients.directory import PatientDirectory
from ui.patients.patient_table import PATIENT_ID_ROLE, PatientColumn, PatientTableModel
from ui.widgets.tables import compact_rows, row_list
from workstation.dates import DateOrder

SEARCH_PLACEHOLDER = "Find a patient: name, date of birth, NHS or Medicare number"
PREPARING = "Preparing search…"


class SearchLineEdit(QLineEdit):
    """The search field; Down moves into the results, as in a browser's address bar."""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and not event.modifiers():
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class PatientListWidget(QWidget):
    patient_activated = Signal(int)

    def __init__(self, directory: PatientDirectory, date_order: DateOrder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._model = PatientTableModel(date_order, self)
        self.search = self._build_search()
        self.table = self._build_table()
        self.count_label = QLabel("Loading patients…")
        self.count_label.setObjectName("patientCount")
        self._query_timer = QTimer(self)
        self._query_timer.setSingleShot(True)
        self._query_timer.setInterval(0)
        self._query_timer.timeout.connect(self._on_query_timer_timeout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        directory.first_page_loaded.connect(self._on_directory_changed)
        directory.index_built.connect(self._on_directory_changed)

    @property
    def model(self) -> PatientTableModel:
        return self._model

    @property
    def query_pending(self) -> bool:
        """Typed text not yet applied to the list (it will be on the next turn of the event loop)."""
        return self._query_timer.isActive()

    def preferred_width(self) -> int:
        """Wide enough to show every column without a horizontal scroll bar."""
        table = self.table
        columns = sum(table.columnWidth(column) for column in PatientColumn)
        scroll_bar = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return columns + scroll_bar + 2 * table.frameWidth() + self.layout().contentsMargins().left() * 2 + 2

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def clear_search(self) -> None:
        self.search.clear()
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def selected_patient_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(PATIENT_ID_ROLE) if index.isValid() else None

    def show_saved_patient(self, patient_id: int) -> None:
        """Refresh after a save and select the patient, clearing a query that no longer finds them."""
        self._refresh()
        if self._model.row_of(patient_id) is None and self.search.text():
            self.search.clear()
            self._refresh()
        self.select_patient(patient_id)

    def show_removed_patient(self) -> None:
        """After an erasure: the rows again, without the patient (the directory has forgotten them)."""
        self._refresh()

    def select_patient(self, patient_id: int) -> None:
        if self._query_timer.isActive():  # select among the rows the typed text asks for
            self._query_timer.stop()
            self._refresh()
        row = self._model.row_of(patient_id)
        if row is not None:
            self._set_current_row(row)

    def _build_search(self) -> SearchLineEdit:
        search = SearchLineEdit()
        search.setObjectName("patientSearch")
        search.setAccessibleName("patientSearch")
        search.setAccessibleDescription(SEARCH_PLACEHOLDER)
        search.setPlaceholderText(SEARCH_PLACEHOLDER)
        search.setClearButtonEnabled(True)
        search.textChanged.connect(self._on_search_text_changed)
        search.returnPressed.connect(self._on_search_return_pressed)
        search.down_pressed.connect(self._on_search_down_pressed)
        return search

    def _build_table(self) -> QTableView:
        table = row_list(QTableView(), self._model, name="patientTable", accessible_name="Patients")
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        # Fixed row heights: the view never measures 100,000 rows.
        table.verticalHeader().hide()
        compact_rows(table)
        columns = table.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setStretchLastSection(True)
        padding = table.fontMetrics().horizontalAdvance("MM")  # cell margins, and air between columns
        header_metrics = columns.fontMetrics()
        for column in PatientColumn:
            text_width = max(
                table.fontMetrics().horizontalAdvance(column.sample),
                header_metrics.horizontalAdvance(column.title),
            )
            table.setColumnWidth(column, text_width + padding)
        table.activated.connect(self._on_table_activated)
        return table

    def _refresh(self) -> None:
        text = self.search.text()
        ids = self._directory.search(text)
        previous = self.selected_patient_id()
        if ids is None:
            self._model.set_rows((), self._directory.summaries)
            self.count_label.setText(PREPARING if self._directory.loaded else "Loading patients…")
            return
        self._model.set_rows(ids, self._directory.summaries)
        self.count_label.setText(_count_text(len(ids), self._directory.total, bool(text.strip())))
        if len(ids):
            row = self._model.row_of(previous) if previous is not None and not text else None
            self._set_current_row(row if row is not None else 0)

    def _set_current_row(self, row: int) -> None:
        index = self._model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    @Slot()
    def _on_directory_changed(self) -> None:
        self._refresh()

    @Slot(str)
    def _on_search_text_changed(self, _text: str) -> None:
        self._query_timer.start()

    @Slot()
    def _on_query_timer_timeout(self) -> None:
        self._refresh()

    @Slot()
    def _on_search_return_pressed(self) -> None:
        if self._query_timer.isActive():  # Enter typed straight after a letter: answer that query first
            self._query_timer.stop()
            self._refresh()
        patient_id = self.selected_patient_id()
        if patient_id is not None:
            self.patient_activated.emit(patient_id)

    @Slot()
    def _on_search_down_pressed(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self._model.rowCount():
            self._set_current_row(0)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.patient_activated.emit(index.data(PATIENT_ID_ROLE))


def _count_text(shown: int, total: int, is_query: bool) -> str:
    if is_query:
        return f"{shown:,} of {total:,} match"
    return "1 patient" if total == 1 else f"{total:,} patients"
