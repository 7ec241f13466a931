"""Change one logged run: the same fields as the entry row, saved over the version that was opened.

A run is a patient-reported fact, corrected in place (and audited by the service). If someone else
changed or removed it meanwhile, the save is refused, the dialog says so plainly and shows the stored
version, so nothing is overwritten that the person has not seen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from ui.running.run_fields import FIELD_KEYS, RunFields
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.clinical.load import DistanceUnit
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError, ConflictError, RecordNotFound, ValidationFailed
from workstation.problems import blocking
from workstation.running.records import RunRecord

if TYPE_CHECKING:
    from workstation.services.running import RunningLogService

ServiceProvider = Callable[[], "RunningLogService"]
CONFLICT_MESSAGE = (
    "Someone else changed this run after you opened it. Their version is shown now; "
    "make your change again if it is still needed."
)
GONE_MESSAGE = "This run has been deleted since you opened it. Nothing was saved."


class RunEditorDialog(QDialog):
    run_saved = Signal(object)  # the stored RunRecord

    def __init__(
        self,
        service: ServiceProvider,
        tasks: TaskRunner,
        run: RunRecord,
        date_order: DateOrder,
        unit: DistanceUnit,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("runEditorDialog")
        self.setWindowTitle("Edit run")
        self._service = service
        self._tasks = tasks
        self._run = run
        self._today = today
        self._busy = False
        self.gone = False  # the run was deleted by someone else while this dialog was open
        self.banner = BannerWidget()
        self.fields = RunFields(date_order, unit)
        form = QFormLayout()
        for key in FIELD_KEYS:
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(self.fields.widgets[key])
            column.addWidget(self.fields.messages[key])
            form.addRow(self.fields.labels[key], cell)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self._buttons.button(QDialogButtonBox.StandardButton.Save)
        self._buttons.accepted.connect(self._on_buttons_accepted)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self._buttons)
        self.fields.load(run)
        self.fields.distance.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    @property
    def run(self) -> RunRecord:
        return self._run

    def set_shoe_choices(self, names: list[str]) -> None:
        self.fields.set_shoe_choices(names)

    def save(self) -> None:
        """Check every field; save when nothing blocks, else leave the messages beside the fields."""
        if self._busy:
            return
        run, problems = self.fields.problems(self._run, self._today())
        self.fields.show_problems(problems)
        if blocking(problems):
            return
        service, today = self._service, self._today()
        self.banner.clear()
        self._set_busy(True)
        self._tasks.submit(
            lambda: service().change(run, today=today),
            done=self._on_save_succeeded,
            failed=self._on_save_failed,
            context=self,
        )

    def reject(self) -> None:
        if not self._busy:  # a save in flight must report back, or the log would miss it
            super().reject()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.fields.set_enabled(not busy)
        self._buttons.setEnabled(not busy)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self.save()

    def _on_save_succeeded(self, run: RunRecord) -> None:
        self._set_busy(False)
        self._run = run
        self.run_saved.emit(run)
        self.accept()

    def _on_save_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        if isinstance(error, ValidationFailed):
            self.fields.show_problems(error.problems)
        elif isinstance(error, ConflictError | RecordNotFound):
            self._reload(error)
        else:
            self.banner.show_message(str(error), Tone.ERROR)

    def _reload(self, error: CalfDeskError) -> None:
        """Fetch the stored version so the person sees what is there now before changing it again."""
        service, patient_id, run_id = self._service, self._run.patient_id, self._run.id
        self._set_busy(True)
        self._tasks.submit(
            lambda: next((r for r in service().runs(patient_id) if r.id == run_id), None),
            done=self._on_reloaded,
            failed=self._on_reload_failed,
            context=self,
        )

    def _on_reloaded(self, stored: RunRecord | None) -> None:
        self._set_busy(False)
        if stored is None:
            self.gone = True
            self.banner.show_message(GONE_MESSAGE, Tone.ERROR, dismissable=False)
            self.fields.set_enabled(False)
            self.save_button.setEnabled(False)
            return
        self._run = stored
        self.fields.load(stored)
        self.fields.clear_messages()
        self.banner.show_message(CONFLICT_MESSAGE, Tone.WARNING)

    def _on_reload_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        self.banner.show_message(str(error), Tone.ERROR)
