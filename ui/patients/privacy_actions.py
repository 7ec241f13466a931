"""The Patient menu's privacy entries: export everything, restrict processing, erase (RELIABILITY.md G1-G2).

Offered only to a role that may use them (administrators); each asks for the password again before it
acts (D6), in the same call as the action, so nothing happens on a password that was refused. A
restricted record says so in the window's banner whenever it is shown. An erasure that the retention
rule forbids is refused before any question is asked, with the date and the reason in plain words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QMessageBox, QWidget

from ui.clock import local_today
from ui.security.checked_fields import password_edit
from ui.security.form_dialog import FormDialog
from ui.security.password_dialogs import ReauthenticateDialog
from ui.security.service_call import call_service
from ui.tasks import TaskRunner
from ui.theme import Tone
from workstation.errors import AuthenticationFailed, CalfDeskError
from workstation.privacy.restriction import Grounds, Restriction
from workstation.privacy.retention import RetentionDecision
from workstation.problems import Problem
from workstation.security.permissions import Action

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from workstation.ports import ClinicStore
    from workstation.privacy.export_files import ExportedFiles
    from workstation.privacy.service import ErasureReport, PatientPrivacy
    from workstation.security.accounts import Actor
    from workstation.services.accounts import Accounts
    from workstation.services.session import ClinicSession

EXPORT_TEXT = "Export everything held about this patient…"
RESTRICT_TEXT = "Restrict processing…"
LIFT_TEXT = "Lift the restriction of processing…"
ERASE_TEXT = "Erase this patient…"
EXPORT_REASON = "Everything held about this patient will be written to the folder you chose. Type your password."
LIFT_REASON = "The record can be changed again once the restriction is lifted. Type your password."
ERASE_REASON = "Erasing deletes the record for good; only the audit trail's ids remain. Type your password."
ERASE_QUESTION = (
    "Erase everything held about this patient? Their details, episodes, measurements and unsaved drafts "
    "are deleted for good. The audit trail keeps its entries, which hold ids only."
)

ChooseFolder = Callable[[QWidget], str | None]


def choose_export_folder(parent: QWidget) -> str | None:
    folder = QFileDialog.getExistingDirectory(parent, "Export to which folder?")
    return folder or None


class RestrictProcessingDialog(FormDialog):
    """Asks why (GDPR Art 18 grounds) and for the password; accepted only once the restriction is stored."""

    def __init__(self, restrict: Callable[[Grounds, str], Restriction], parent: QWidget | None, *,
                 tasks: TaskRunner | None) -> None:  # fmt: skip
        super().__init__("Restrict processing", "Restrict", parent, tasks=tasks)
        self.setObjectName("restrictProcessingDialog")
        self._restrict = restrict
        self.set_intro(
            "The record is kept and can still be read and exported, but nothing in it can be changed, and it "
            "cannot be erased, until the restriction is lifted."
        )
        self.grounds = QComboBox()
        self.grounds.setObjectName("groundsCombo")
        for grounds in Grounds:
            self.grounds.addItem(grounds.label, grounds)
        self.form.addRow("Why", self.grounds)
        self.fields.add_row(self.form, "password", "Your password", password_edit())
        self._finish_layout()
        self.fields.fields["password"].setFocus()

    def _problems(self) -> list[Problem]:
        return [] if self.fields.text("password") else [Problem("password", "Type your password.")]

    def _work(self) -> Callable[[], object]:
        restrict, grounds, password = self._restrict, Grounds(self.grounds.currentData()), self.fields.text("password")
        return lambda: restrict(grounds, password)

    def _show_failure(self, error: CalfDeskError) -> None:
        if isinstance(error, AuthenticationFailed):
            self._refuse_password("password", error)
        else:
            super()._show_failure(error)


class PrivacyActions(QObject):
    """The three entries of ``window``'s Patient menu for one logged-in person."""

    def __init__(
        self, window: MainWindow, privacy: PatientPrivacy, actor: Actor, can: Callable[[Action], bool],
        read_only: Callable[[], bool], *, choose_folder: ChooseFolder = choose_export_folder,
    ) -> None:  # fmt: skip
        super().__init__(window)
        self.window = window
        self._privacy = privacy
        self._actor = actor
        self._read_only = read_only
        self._choose_folder = choose_folder
        self.restriction: Restriction | None = None
        self._known_for: int | None = None  # the patient whose restriction (or none) ``restriction`` is
        self.dialog: QDialog | None = None  # the question or form now open, for tests and teardown
        self.export_action = self._add(EXPORT_TEXT, self._on_export_triggered, can(Action.EXPORT_PATIENT_RECORD))
        self.restrict_action = self._add(RESTRICT_TEXT, self._on_restrict_triggered, can(Action.ERASE_PATIENT))
        self.erase_action = self._add(ERASE_TEXT, self._on_erase_triggered, can(Action.ERASE_PATIENT))
        window.patient_view.currentChanged.connect(self._on_patient_view_current_changed)
        self._update_actions()

    @classmethod
    def install(
        cls, window: MainWindow, session: ClinicSession, accounts: Accounts, store: ClinicStore,
        *, today: Callable[[], date] = local_today, choose_folder: ChooseFolder = choose_export_folder,
    ) -> PrivacyActions:  # fmt: skip
        from db.erasure import patient_privacy

        privacy = patient_privacy(store, session.auditor, accounts.reauthenticate, today)
        read_only = lambda: session.read_only  # noqa: E731
        return cls(window, privacy, session.actor, session.can, read_only, choose_folder=choose_folder)

    def _add(self, text: str, slot: Callable[[], None], allowed: bool) -> QAction | None:
        """The entry, or None for a role that may not use it (hidden, not greyed: G5)."""
        if not allowed:
            return None
        menu = self.window.patient_menu
        if not any(a.objectName() == "privacySeparator" for a in menu.actions()):
            menu.addSeparator().setObjectName("privacySeparator")
        action = QAction(text, self.window)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    @property
    def _patient_id(self) -> int | None:
        patient = self.window.patient_view.patient
        return None if patient is None else patient.id

    def _update_actions(self) -> None:
        patient_id = self._patient_id
        writable = patient_id is not None and not self._read_only()
        # Restrict or lift only once this patient's state is known: never the last patient's.
        known = writable and self._known_for == patient_id
        for action, enabled in ((self.export_action, patient_id is not None), (self.restrict_action, known),
                                (self.erase_action, writable)):  # fmt: skip
            if action is not None:
                action.setEnabled(enabled)
        if self.restrict_action is not None:
            self.restrict_action.setText(LIFT_TEXT if self.restriction is not None else RESTRICT_TEXT)

    @Slot(int)
    def _on_patient_view_current_changed(self, _index: int) -> None:
        patient_id = self._patient_id
        if patient_id != self._known_for:
            self._show_restriction(None)
            self._known_for = None
        self._update_actions()
        if patient_id is not None:
            self.refresh_restriction(patient_id)

    def refresh_restriction(self, patient_id: int) -> None:
        privacy = self._privacy
        call_service(lambda: privacy.restriction(patient_id), done=partial(self._on_restriction_fetched, patient_id),
                     failed=self._on_failed, tasks=self.window.tasks, context=self)  # fmt: skip

    def _on_restriction_fetched(self, patient_id: int, restriction: Restriction | None) -> None:
        if patient_id != self._patient_id:
            return  # another patient is shown now
        self._show_restriction(restriction)
        self._known_for = patient_id
        self._update_actions()

    def _show_restriction(self, restriction: Restriction | None) -> None:
        earlier, self.restriction = self.restriction, restriction
        banner = self.window.banner
        if restriction is not None:
            banner.show_message(restriction.notice, Tone.WARNING, dismissable=False)
        elif earlier is not None and banner.text == earlier.notice:
            banner.clear()

    # Export ---------------------------------------------------------------------------------------

    def _on_export_triggered(self) -> None:
        patient_id = self._patient_id
        if patient_id is None:
            return
        folder = self._choose_folder(self.window)
        if not folder:
            return
        privacy, actor = self._privacy, self._actor

        def export(password: str) -> ExportedFiles:  # in the worker: ReportLab is imported there, when first needed
            from reports.subject_access import render_summary_pdf

            return privacy.export(actor, patient_id, password, Path(folder), render_pdf=render_summary_pdf)

        self._ask_password(export, EXPORT_REASON, self._on_exported)

    def _on_exported(self, written: ExportedFiles) -> None:
        letters = len(written.letters)
        sent = f", and {letters} {'letter' if letters == 1 else 'letters'} as sent" if letters else ""
        self.window.banner.show_message(
            f"Everything held about this patient was saved in {written.data.parent}: {written.data.name} "
            f"(every value), {written.summary_pdf.name} and {written.summary.name} (to read){sent}.",
            Tone.NOTICE,
        )

    # Restriction ----------------------------------------------------------------------------------

    def _on_restrict_triggered(self) -> None:
        patient_id = self._patient_id
        if patient_id is None or self._read_only():
            return
        privacy, actor = self._privacy, self._actor
        if self.restriction is not None:
            self._ask_password(lambda password: privacy.lift_restriction(actor, patient_id, password), LIFT_REASON,
                               lambda _none: self.refresh_restriction(patient_id))  # fmt: skip
            return
        dialog = RestrictProcessingDialog(
            lambda grounds, password: privacy.restrict(actor, patient_id, grounds, password), self.window,
            tasks=self.window.tasks,
        )  # fmt: skip
        self._open(dialog, lambda _restriction: self.refresh_restriction(patient_id))

    # Erasure --------------------------------------------------------------------------------------

    def _on_erase_triggered(self) -> None:
        patient_id = self._patient_id
        if patient_id is None or self._read_only():
            return
        privacy, actor = self._privacy, self._actor
        call_service(
            lambda: privacy.check_erasure(actor, patient_id), done=partial(self._on_erasure_allowed, patient_id),
            failed=self._on_erasure_refused, tasks=self.window.tasks, context=self,
        )  # fmt: skip

    def _on_erasure_refused(self, error: CalfDeskError) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "This record cannot be erased", error.message,
                          QMessageBox.StandardButton.Ok, self.window)  # fmt: skip
        box.setObjectName("erasureRefused")
        box.setInformativeText(error.hint)
        self._show_box(box)

    def _on_erasure_allowed(self, patient_id: int, _decision: RetentionDecision) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Erase this patient", ERASE_QUESTION,
                          QMessageBox.StandardButton.Cancel, self.window)  # fmt: skip
        box.setObjectName("eraseQuestion")
        erase = box.addButton("Erase for good", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _code: self._on_erase_answered(box, erase, patient_id))
        self._show_box(box)

    def _on_erase_answered(self, box: QMessageBox, erase: object, patient_id: int) -> None:
        self.dialog = None
        if box.clickedButton() is not erase or patient_id != self._patient_id:
            return
        privacy, actor = self._privacy, self._actor
        self._ask_password(lambda password: privacy.erase(actor, patient_id, password), ERASE_REASON, self._on_erased)

    def _on_erased(self, report: ErasureReport) -> None:
        self.window.patient_view.show_placeholder()  # currentChanged forgets the patient's restriction
        self.window.directory.remove(report.patient_id)
        self.window.patient_list.show_removed_patient()
        rows = sum(report.deleted.values())
        self.window.banner.show_message(
            f"The patient's record was erased ({rows} rows). The audit trail keeps its entries, by id only.",
            Tone.NOTICE,
        )

    # Dialogs --------------------------------------------------------------------------------------

    def _ask_password(self, work: Callable[[str], object], reason: str, done: Callable[[object], None]) -> None:
        dialog = ReauthenticateDialog(work, reason, self.window, tasks=self.window.tasks)
        self._open(dialog, done)

    def _open(self, dialog: FormDialog, done: Callable[[object], None]) -> None:
        dialog.finished.connect(lambda result: self._on_dialog_finished(dialog, result, done))
        self.dialog = dialog
        dialog.open()

    def _on_dialog_finished(self, dialog: FormDialog, result: int, done: Callable[[object], None]) -> None:
        self.dialog = None
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted:
            done(dialog.result_value)

    def _show_box(self, box: QMessageBox) -> None:
        box.finished.connect(box.deleteLater)
        self.dialog = box
        box.open()

    def _on_failed(self, error: CalfDeskError) -> None:
        self.window.banner.show_message(str(error), Tone.ERROR)
