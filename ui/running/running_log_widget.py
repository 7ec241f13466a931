"""A patient's running log: quick entry, the runs newest first with this week's and last week's totals,
editing, deleting and importing from a watch or app's CSV export.

Every save goes through the running-log service on the database thread (it checks the role and audits
the change); ``runs_changed`` then tells the patient view to redraw its charts and load alerts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from ui.running.run_editor_dialog import RunEditorDialog, ServiceProvider
from ui.running.run_entry import RunEntryWidget
from ui.running.run_import_dialog import RunImportDialog
from ui.running.run_table import RunTableModel, RunTableView, weekly_summary
from ui.running.run_text import distance_text
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.clinical.load import DistanceUnit
from workstation.dates import DateOrder, format_date
from workstation.errors import CalfDeskError, ValidationFailed
from workstation.running.records import RunRecord

EMPTY_LOG = "No runs logged yet."


class RunningLogWidget(QWidget):
    runs_changed = Signal(int)  # a patient id: a run was added, changed, removed or imported

    def __init__(
        self,
        service_provider: ServiceProvider,
        tasks: TaskRunner,
        date_order: DateOrder,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("runningLog")
        self._service = service_provider
        self._tasks = tasks
        self._order = date_order
        self._today = today
        self._patient_id: int | None = None
        self._unit: DistanceUnit = "km"
        self._may_edit = False
        self.editor: RunEditorDialog | None = None
        self.import_dialog: RunImportDialog | None = None
        self.delete_confirmation: QMessageBox | None = None
        self.banner = BannerWidget()
        self.entry = RunEntryWidget(date_order, self._unit, today)
        self.entry.run_submitted.connect(self._on_entry_run_submitted)
        self.model = RunTableModel(date_order, self)
        self.table = RunTableView(self.model)
        self.table.edit_requested.connect(self._on_table_edit_requested)
        self.table.delete_requested.connect(self._on_table_delete_requested)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.summary = QLabel()
        self.summary.setObjectName("weeklySummary")
        self.import_button = QPushButton("I&mport from file…")
        self.import_button.setObjectName("importRuns")
        self.import_button.setToolTip("Runs from a watch or app: a CSV file, or Strava's activities.csv")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.edit_button = QPushButton("Edit run… (Enter)")
        self.edit_button.setObjectName("editRun")
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.delete_button = QPushButton("Delete run… (Del)")
        self.delete_button.setObjectName("deleteRun")
        self.delete_button.clicked.connect(self._on_delete_clicked)
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        for button in (self.edit_button, self.delete_button, self.import_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.entry)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        self._apply_permissions()

    @property
    def patient_id(self) -> int | None:
        return self._patient_id

    def show_patient(self, patient_id: int, runs: list[RunRecord], unit: DistanceUnit, may_edit: bool) -> None:
        """Show ``runs``; with ``may_edit`` False nothing can be added, changed or imported."""
        new_patient = patient_id != self._patient_id
        self._patient_id = patient_id
        self._unit = unit
        self._may_edit = may_edit
        if new_patient:
            self.banner.clear()
        self._set_runs(runs)
        shoes = self._shoes_recent_first()
        if new_patient:
            self.entry.set_patient(patient_id, unit, shoes)
        else:  # the same patient redrawn: keep whatever is half typed
            self.entry.fields.set_unit(unit)
            self.entry.fields.set_shoe_choices(shoes)
        self._apply_permissions()

    def _set_runs(self, runs: list[RunRecord], select_id: int | None = None) -> None:
        self.model.set_runs(runs, self._unit)
        row = self.model.row_of(select_id) if select_id is not None else None
        if row is not None:
            self.table.selectRow(row)
        summary = weekly_summary(runs, self._unit, self._today())
        self.summary.setText(summary if runs else f"{EMPTY_LOG} {summary}")
        self._on_table_selection_changed()

    def _shoes_recent_first(self) -> list[str]:
        return [run.shoes for run in self.model.runs() if run.shoes]

    def _apply_permissions(self) -> None:
        self.entry.setVisible(self._may_edit)
        self.import_button.setVisible(self._may_edit)
        self.edit_button.setVisible(self._may_edit)
        self.delete_button.setVisible(self._may_edit)
        self.table.may_edit = self._may_edit
        self._on_table_selection_changed()

    def _selected_run(self) -> RunRecord | None:
        run_id = self.table.selected_id()
        return self.model.run(run_id) if run_id is not None else None

    # --- quick entry ------------------------------------------------------------------------------------

    @Slot(object)
    def _on_entry_run_submitted(self, run: RunRecord) -> None:
        service, today = self._service, self._today()
        self.banner.clear()
        self.entry.set_busy(True)
        self._tasks.submit(
            lambda: service().log(run, today=today), done=self._on_run_logged, failed=self._on_log_failed, context=self
        )

    def _on_run_logged(self, run: RunRecord) -> None:
        self.entry.saved(run)
        if run.patient_id == self._patient_id:
            self._set_runs([*self.model.runs(), run], select_id=run.id)
        self.runs_changed.emit(run.patient_id)

    def _on_log_failed(self, error: CalfDeskError) -> None:
        if isinstance(error, ValidationFailed):
            self.entry.refused(error.problems)
        else:
            self.entry.set_busy(False)
            self.banner.show_message(f"The run was not saved. {error}", Tone.ERROR)

    # --- edit and delete --------------------------------------------------------------------------------

    @Slot()
    def _on_edit_clicked(self) -> None:
        run_id = self.table.selected_id()
        if run_id is not None:
            self._on_table_edit_requested(run_id)

    @Slot(int)
    def _on_table_edit_requested(self, run_id: int) -> None:
        if not self._may_edit or self.editor is not None:
            return
        dialog = RunEditorDialog(
            self._service, self._tasks, self.model.run(run_id), self._order, self._unit, self._today, self
        )
        dialog.set_shoe_choices(self._shoes_recent_first())
        dialog.run_saved.connect(self._on_editor_run_saved)
        dialog.finished.connect(self._on_editor_finished)
        self.editor = dialog
        dialog.open()

    @Slot(object)
    def _on_editor_run_saved(self, run: RunRecord) -> None:
        if run.patient_id == self._patient_id:
            others = [r for r in self.model.runs() if r.id != run.id]
            self._set_runs([*others, run], select_id=run.id)
        self.runs_changed.emit(run.patient_id)

    @Slot()
    def _on_editor_finished(self) -> None:
        dialog, self.editor = self.editor, None
        if dialog is not None:
            # The stored version may have moved on while the dialog was open (a conflict): show it.
            if self._patient_id == dialog.run.patient_id:
                others = [r for r in self.model.runs() if r.id != dialog.run.id]
                kept = [] if dialog.gone else [dialog.run]
                self._set_runs([*others, *kept], select_id=dialog.run.id)
            dialog.deleteLater()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _on_delete_clicked(self) -> None:
        run_id = self.table.selected_id()
        if run_id is not None:
            self._on_table_delete_requested(run_id)

    @Slot(int)
    def _on_table_delete_requested(self, run_id: int) -> None:
        if not self._may_edit or self.delete_confirmation is not None:
            return
        run = self.model.run(run_id)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete run",
            f"Delete the run of {distance_text(run.distance_km, self._unit)} on "
            f"{format_date(run.run_on, self._order)}? The deletion is recorded in the audit log.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirmDeleteRun")
        box.button(QMessageBox.StandardButton.Yes).setText("Delete")
        box.button(QMessageBox.StandardButton.No).setText("Keep")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda result: self._on_delete_confirmation_finished(run, result))
        self.delete_confirmation = box
        box.open()

    def _on_delete_confirmation_finished(self, run: RunRecord, result: int) -> None:
        box, self.delete_confirmation = self.delete_confirmation, None
        if box is not None:
            box.deleteLater()
        if result != QMessageBox.StandardButton.Yes:
            return
        service = self._service
        self._tasks.submit(
            lambda: service().remove(run),
            done=lambda _none: self._on_run_removed(run),
            failed=self._on_remove_failed,
            context=self,
        )

    def _on_run_removed(self, run: RunRecord) -> None:
        if run.patient_id == self._patient_id:
            self._set_runs([r for r in self.model.runs() if r.id != run.id])
        self.runs_changed.emit(run.patient_id)

    def _on_remove_failed(self, error: CalfDeskError) -> None:
        self.banner.show_message(f"The run was not deleted. {error}", Tone.ERROR)
        self._reload()

    # --- import -----------------------------------------------------------------------------------------

    @Slot()
    def _on_import_clicked(self) -> None:
        if not self._may_edit or self._patient_id is None or self.import_dialog is not None:
            return
        dialog = RunImportDialog(
            self._service, self._tasks, self._patient_id, self.model.runs(), self._order, self._unit, self._today, self
        )
        dialog.runs_imported.connect(self._on_import_runs_imported)
        dialog.finished.connect(self._on_import_finished)
        self.import_dialog = dialog
        dialog.open()

    @Slot(int)
    def _on_import_runs_imported(self, count: int) -> None:
        if self._patient_id is not None:
            self.banner.show_message(f"{count} run{'s' if count != 1 else ''} imported.", Tone.NOTICE)
            self._reload(changed=True)

    @Slot()
    def _on_import_finished(self) -> None:
        dialog, self.import_dialog = self.import_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _reload(self, *, changed: bool = False) -> None:
        """Fetch the patient's runs again (after an import, or when a save found the log had moved on)."""
        patient_id, service = self._patient_id, self._service
        if patient_id is None:
            return
        self._tasks.submit(
            lambda: service().runs(patient_id),
            done=lambda runs: self._on_reloaded(patient_id, runs, changed),
            failed=lambda error: self.banner.show_message(str(error), Tone.ERROR),
            context=self,
        )

    def _on_reloaded(self, patient_id: int, runs: list[RunRecord], changed: bool) -> None:
        if patient_id == self._patient_id:
            self._set_runs(runs)
        if changed:
            self.runs_changed.emit(patient_id)

    @Slot()
    def _on_table_selection_changed(self) -> None:
        chosen = self.table.selectionModel().hasSelection()
        self.edit_button.setEnabled(chosen and self._may_edit)
        self.delete_button.setEnabled(chosen and self._may_edit)
