"""Find a patient already held and add them to the squad: the main list's search, in a small dialog.

The search is the window's own index (``PatientDirectory``), so it finds the same people the patient
list does, as this role may list them, and costs no database query per keystroke.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.patients.patient_table import PATIENT_ID_ROLE, PatientTableModel
from ui.widgets.tables import compact_rows
from workstation.dates import DateOrder
from workstation.records import PatientSummary

MAX_SHOWN = 200  # a few letters narrow any list to this; more would only be scrolled past
STILL_LOADING = "The patient list is still loading: try again in a moment."

# The search: matching ids in list order, or None while the index is not ready (PatientDirectory.search).
Search = Callable[[str], Collection[int] | None]


class PatientPickerDialog(QDialog):
    patient_chosen = Signal(int)

    def __init__(
        self,
        search: Search,
        summaries: Mapping[int, PatientSummary],
        date_order: DateOrder,
        exclude: Collection[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("patientPickerDialog")
        self.setWindowTitle("Add an athlete to the squad")
        self._search = search
        self._summaries = summaries
        self._exclude = set(exclude)
        self.search_field = QLineEdit()
        self.search_field.setObjectName("pickerSearch")
        self.search_field.setPlaceholderText("Name, date of birth, NHS or Medicare number")
        self.search_field.setAccessibleName("Find a patient")
        self.search_field.textChanged.connect(self._on_search_field_text_changed)
        self.search_field.returnPressed.connect(self._on_search_field_return_pressed)
        self.model = PatientTableModel(date_order, self)
        self.table = QTableView()
        self.table.setObjectName("pickerTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        compact_rows(self.table)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._on_table_activated)
        self.note = QLabel()
        self.note.setObjectName("pickerNote")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("&Add to the squad", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._choose_current)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_field)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().lineSpacing() * 24)
        self._refresh()

    def _refresh(self) -> None:
        ids = self._search(self.search_field.text())
        if ids is None:
            self.model.set_rows((), self._summaries)
            self.note.setText(STILL_LOADING)
            self.add_button.setEnabled(False)
            return
        shown = [int(i) for i in ids if int(i) not in self._exclude][:MAX_SHOWN]
        self.model.set_rows(shown, self._summaries)
        self.note.setText("" if shown else "Nobody found who is not in the squad already.")
        self.add_button.setEnabled(bool(shown))
        if shown:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _choose_current(self) -> None:
        index = self.table.currentIndex()
        patient_id = index.data(PATIENT_ID_ROLE) if index.isValid() else None
        if patient_id is not None:
            self.patient_chosen.emit(patient_id)
            self.accept()

    @Slot(str)
    def _on_search_field_text_changed(self, _text: str) -> None:
        self._refresh()

    @Slot()
    def _on_search_field_return_pressed(self) -> None:
        self._choose_current()

    @Slot(QModelIndex)
    def _on_table_activated(self, _index: QModelIndex | QPersistentModelIndex) -> None:
        self._choose_current()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Down from the search field goes into the results, as in the patient list.
        if event.key() == Qt.Key.Key_Down and self.search_field.hasFocus():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().keyPressEvent(event)
