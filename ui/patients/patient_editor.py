"""Add or edit a patient. A save that fails for any reason keeps every typed character in the form.

Saving runs on the database thread; the dialog says "saved" (by closing) only after the commit
returned. A save over someone else's newer change is refused by the repository and handed to the
conflict dialog, which lets the user reload theirs or review and keep theirs/mine explicitly.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.patients.conflict_dialog import ConflictChoice, ConflictDialog, patient_conflict_dialog
from ui.patients.patient_form import PatientFormWidget
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError, ConflictError, ValidationFailed
from workstation.ports import PatientRepository
from workstation.problems import Problem, blocking
from workstation.records import Patient
from workstation.services.patients import save_patient

_log = logging.getLogger(__name__)


class PatientEditorDialog(QDialog):
    patient_saved = Signal(object)  # the stored Patient

    def __init__(
        self,
        patients: PatientRepository,
        tasks: TaskRunner,
        patient: Patient | None,
        date_order: DateOrder,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("patientEditor")
        self.setWindowTitle("Edit patient" if patient else "New patient")
        self._repository = patients
        self._tasks = tasks
        self._order = date_order
        self._today = today
        self._busy = False
        self._dirty = False
        self.banner = BannerWidget()
        self.banner.setObjectName("editorBanner")
        self.form = PatientFormWidget(date_order, today)
        self.form.load(patient)
        self.form.changed.connect(self._on_form_changed)
        self.summary = QLabel()
        self.summary.setObjectName("editorSummary")
        self.summary.setWordWrap(True)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self._buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self._buttons.accepted.connect(self._on_buttons_accepted)
        self._buttons.rejected.connect(self.reject)
        self._lay_out()

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def dirty(self) -> bool:
        """Something was typed since the record was loaded or saved."""
        return self._dirty

    def draft_payload(self) -> str:
        """What is typed, as JSON for a draft: the session is being handed to someone else."""
        base = self.form.base
        return json.dumps(
            {"patient_id": base.id if base else None, "version": base.version if base else 0,
             "fields": self.form.typed_state()},
            ensure_ascii=False,
        )  # fmt: skip

    def restore_draft(self, payload: str) -> None:
        """Put a draft's typing back over the record as it is stored now, and say if it has changed since."""
        draft = json.loads(payload)
        self.form.restore_typed_state(draft.get("fields", {}))
        self._dirty = True
        base = self.form.base
        if base is not None and base.version != draft.get("version"):
            self.banner.show_message(
                "Someone saved this record after your draft was kept. Check every field before you save.",
                Tone.NOTICE,
            )

    def save(self) -> None:
        """Check every field; save when nothing blocks, else point at what needs correcting."""
        self.form.touch_all()
        problems = blocking(self.form.refresh_messages())
        if problems:
            self._point_at(problems)
            return
        candidate, _ = self.form.read()
        repository, today = self._repository, self._today()
        self.summary.clear()
        self.banner.clear()
        self._set_busy(True)
        self._tasks.submit(
            lambda: save_patient(repository, candidate, today),
            done=self._on_save_succeeded,
            failed=self._on_save_failed,
            context=self,
        )

    def reject(self) -> None:
        if self._busy:
            return  # the save in flight must report back before the dialog goes
        if self._dirty and not self._confirm_discard():
            return
        super().reject()

    def _lay_out(self) -> None:
        scroll = QScrollArea()
        self._scroll = scroll
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self._buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self._size_to_fit(scroll)

    def _size_to_fit(self, scroll: QScrollArea) -> None:
        """Big enough to show every field without scrolling, where the screen allows."""
        wanted = self.form.sizeHint() + QSize(scroll.verticalScrollBar().sizeHint().width(), 0)
        wanted += QSize(0, self.banner.sizeHint().height() + self._buttons.sizeHint().height())
        wanted += QSize(self.layout().contentsMargins().left() * 2, self.layout().spacing() * 4)
        screen = (self.parentWidget() or self).screen().availableGeometry().size() * 0.9
        self.resize(wanted.boundedTo(screen))

    def _point_at(self, problems: list[Problem]) -> None:
        count = len({p.field for p in problems})
        fields = "the field" if count == 1 else f"the {count} fields"
        self.summary.setText(f"Please correct {fields} with a message beside them.")
        first = self.form.widget_for(problems[0].field)
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll.ensureWidgetVisible(first)  # at 200 % the form is taller than the dialog

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.form.setEnabled(not busy)
        self._buttons.setEnabled(not busy)
        if busy:
            self.summary.setText("Saving…")

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Discard changes?",
            "Close without saving? What you typed here will be lost.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _on_save_succeeded(self, saved: Patient) -> None:
        _log.info("patient %s saved (version %s)", saved.id, saved.version)
        self._set_busy(False)
        self._dirty = False
        self.patient_saved.emit(saved)
        self.accept()

    def _on_save_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        self.summary.clear()
        _log.info("patient %s not saved: %s", self.form.base.id if self.form.base else "new", type(error).__name__)
        if isinstance(error, ValidationFailed):
            self.form.show_problems(error.problems)
            self._point_at(blocking(error.problems) or error.problems)
        elif isinstance(error, ConflictError) and self.form.base is not None:
            self._fetch_their_version(self.form.base)
        else:
            self.banner.show_message(str(error), Tone.ERROR)

    def _fetch_their_version(self, base: Patient) -> None:
        assert base.id is not None
        patient_id, repository = base.id, self._repository
        self._set_busy(True)
        self.summary.setText("Someone else saved this patient meanwhile: fetching their version…")
        self._tasks.submit(
            lambda: repository.get(patient_id),
            done=self._on_their_version_fetched,
            failed=self._on_their_version_failed,
            context=self,
        )

    def _on_their_version_fetched(self, theirs: Patient) -> None:
        self._set_busy(False)
        self.summary.clear()
        mine, _ = self.form.read()
        dialog = patient_conflict_dialog(theirs, mine, self._order, self)
        dialog.finished.connect(lambda _result: self._on_conflict_dialog_finished(dialog, theirs))
        dialog.open()

    def _on_their_version_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        self.summary.clear()
        self.banner.show_message(str(error), Tone.ERROR)

    def _on_conflict_dialog_finished(self, dialog: ConflictDialog, theirs: Patient) -> None:
        choice = dialog.choice
        dialog.deleteLater()
        _log.info("patient %s conflict resolved: %s", theirs.id, choice.value if choice else "cancelled")
        if choice is ConflictChoice.RELOAD_THEIRS:
            self.form.load(theirs)
            self._dirty = False
            self.banner.show_message("Their version is shown now. Your changes were discarded.", Tone.NOTICE)
        elif choice is ConflictChoice.EDIT_MINE:
            self.form.rebase(theirs)
            self.banner.show_message(
                "Your changes are kept. Saving now replaces their version with yours.", Tone.NOTICE
            )
        elif choice is ConflictChoice.SAVE_MINE:
            self.form.rebase(theirs)
            self.save()

    @Slot()
    def _on_form_changed(self) -> None:
        self._dirty = True

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self.save()
