"""The quick entry row above the log: type a run, press Enter, type the next.

Enter anywhere in the row submits it. What the rules refuse is said under the field concerned and the
typing stays; a run that is stored clears the row (today's date, the same shoes) and puts the cursor back
in Distance, the one field every run needs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QGroupBox, QPushButton, QWidget

from ui.running.run_fields import FIELD_KEYS, RunFields
from workstation.clinical.load import DistanceUnit
from workstation.dates import DateOrder
from workstation.problems import Problem, blocking
from workstation.running.records import RunRecord

_STRETCH = {"shoes": 2, "note": 4}  # the free-text fields take the room; numbers stay narrow


class RunEntryWidget(QGroupBox):
    """Emits ``run_submitted`` with a run the rules accept; the log saves it and calls back."""

    run_submitted = Signal(object)  # a RunRecord without an id

    def __init__(
        self, date_order: DateOrder, unit: DistanceUnit, today: Callable[[], date], parent: QWidget | None = None
    ) -> None:
        super().__init__("Add a run", parent)
        self.setObjectName("runEntry")
        self._today = today
        self._patient_id: int | None = None
        self._busy = False
        self.fields = RunFields(date_order, unit)
        self.save_button = QPushButton("Sa&ve run")
        self.save_button.setObjectName("saveRun")
        self.save_button.setToolTip("Or press Enter in any field")
        self.save_button.clicked.connect(self._on_save_clicked)
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        for column, key in enumerate(FIELD_KEYS):
            grid.addWidget(self.fields.labels[key], 0, column)
            grid.addWidget(self.fields.widgets[key], 1, column)
            grid.addWidget(self.fields.messages[key], 2, column, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(column, _STRETCH.get(key, 1))
        grid.addWidget(self.save_button, 1, len(FIELD_KEYS))
        self.fields.date.set_date(today())

    def set_patient(self, patient_id: int, unit: DistanceUnit, shoes_recent_first: list[str]) -> None:
        """A new patient: an empty row, their shoes offered, the last pair they wore chosen."""
        self._patient_id = patient_id
        self.fields.set_unit(unit)
        self.fields.clear_for_next(self._today())
        self.fields.set_shoe_choices(shoes_recent_first)
        self.fields.shoes.setEditText(shoes_recent_first[0] if shoes_recent_first else "")

    def submit(self) -> None:
        """Check the row; emit the run when nothing blocks, else show why beside each field."""
        if self._busy or self._patient_id is None:
            return
        run, problems = self.fields.problems(RunRecord(self._patient_id, self._today(), 0.0), self._today())
        self.fields.show_problems(problems)
        if blocking(problems):
            widget = self.fields.first_with_problem(blocking(problems))
            if widget is not None:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.run_submitted.emit(run)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)

    def saved(self, run: RunRecord) -> None:
        """The run is stored: clear for the next, keep the shoes, cursor to Distance."""
        self.set_busy(False)
        shoes = run.shoes
        self.fields.clear_for_next(self._today())
        if shoes and self.fields.shoes.findText(shoes) < 0:
            self.fields.shoes.insertItem(0, shoes)
        self.fields.shoes.setEditText(shoes)
        self.fields.distance.setFocus(Qt.FocusReason.OtherFocusReason)

    def refused(self, problems: list[Problem]) -> None:
        """The service refused the run: say why beside the fields, keep every character typed."""
        self.set_busy(False)
        self.fields.show_problems(problems)
        widget = self.fields.first_with_problem(problems)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Line edits and closed combo boxes pass Enter up to here.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.submit()
            return
        super().keyPressEvent(event)

    @Slot()
    def _on_save_clicked(self) -> None:
        self.submit()
