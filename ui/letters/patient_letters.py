"""The window's side of letters: "New letter…" (Ctrl+Shift+L) and the Letters tab (Ctrl+4) of the patient view.

Nothing of the letters loads at start-up: the tab's widget is made the first time it is shown, and the
dialog (with ReportLab and PDFium behind it) the first time a letter is written. The list is read on the
database thread whenever the tab shows, another patient opens on it, or a letter is finalised.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from ui.patients.patient_view import LETTERS_TAB, PatientViewWidget
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError, PermissionDenied
from workstation.ports import Records
from workstation.security.permissions import Action

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.letters.letter_actions import LetterActions
    from ui.letters.letter_dialog import LetterDialog
    from ui.letters.letter_list import LetterListWidget
    from workstation.letters.records import StoredLetter
    from workstation.records import Patient
    from workstation.services.letters import LetterService


class PatientLetters(QObject):
    """Owned by the main window; needs its ``patient_view``, ``tasks``, ``may_write`` and ``show_expected_error``."""

    def __init__(
        self,
        window: QObject,
        records: Callable[[], Records],
        date_order: DateOrder,
        today: Callable[[], date],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(window)
        self._window = window
        self._records = records
        self._order = date_order
        self._today = today
        self._now = now
        self.letter_list: LetterListWidget | None = None
        self.dialog: LetterDialog | None = None  # the letter being written last (tests look at it)
        self._actions: LetterActions | None = None

    def connect_to(self, view: PatientViewWidget) -> None:
        view.tab_shown.connect(self._on_view_tab_shown)
        view.new_letter_requested.connect(self.new_letter)

    @property
    def _view(self) -> PatientViewWidget:
        return self._window.patient_view  # type: ignore[attr-defined, no-any-return]

    def service(self) -> LetterService | None:
        """A logged-in session's letters; a bare store (tests of the window alone) has none."""
        from workstation.services.session import ClinicSession

        records = self._records()
        return records.letters if isinstance(records, ClinicSession) else None

    @property
    def actions(self) -> LetterActions:
        if self._actions is None:
            from ui.letters.letter_actions import LetterActions

            self._actions = LetterActions(self.service, self._window.tasks, self._order, self)  # type: ignore[attr-defined]
            self._window.closing.connect(self._actions.copies.remove)  # type: ignore[attr-defined]
        return self._actions

    def may_write(self) -> bool:
        return bool(self._window.may_write(Action.EDIT_CLINICAL))  # type: ignore[attr-defined]

    # New letter -----------------------------------------------------------------------------------

    @Slot()
    def new_letter(self) -> None:
        """Open the letter dialog for the patient on screen (one at a time: a second Ctrl+Shift+L shows it again)."""
        patient, service = self._view.patient, self.service()
        if patient is None or patient.id is None or service is None or not self.may_write():
            return
        if self.dialog is not None and self.dialog.isVisible() and self.dialog.patient_id == patient.id:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        self._open_dialog(service, patient)

    def _open_dialog(self, service: LetterService, patient: Patient) -> None:
        from PySide6.QtCore import Qt

        from ui.letters.letter_dialog import LetterDialog

        dialog = LetterDialog(service, self._window.tasks, patient, self.actions, date_order=self._order,  # type: ignore[attr-defined]
                              today=self._today, now=self._now, parent=self._parent_widget())  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.letter_finalised.connect(self._on_dialog_letter_finalised)
        dialog.destroyed.connect(lambda: setattr(self, "dialog", None) if self.dialog is dialog else None)
        self.dialog = dialog
        dialog.show()
        dialog.activateWindow()
        dialog.start()

    def _on_dialog_letter_finalised(self, stored: StoredLetter) -> None:
        shown = self._view.patient
        if self.letter_list is not None and shown is not None and shown.id == stored.patient_id:
            self.refresh(select_id=stored.id)

    # The Letters tab ------------------------------------------------------------------------------

    def patient_opened(self) -> None:
        """The record was (re)opened: if the Letters tab shows, list this patient's letters."""
        if self._view.current_tab == LETTERS_TAB:
            self.refresh()

    @Slot(int)
    def _on_view_tab_shown(self, tab: int) -> None:
        if tab == LETTERS_TAB:
            self._ensure_list()
            self.refresh()

    def _ensure_list(self) -> LetterListWidget:
        if self.letter_list is None:
            from ui.letters.letter_list import LetterListWidget

            listed = LetterListWidget(self._order)
            listed.new_requested.connect(self.new_letter)
            listed.open_requested.connect(lambda i: self._with_letter(i, self.actions.view))
            listed.export_requested.connect(lambda i: self._with_letter(i, self.actions.export))
            listed.print_requested.connect(lambda i: self._with_letter(i, self.actions.print))
            listed.system_viewer_requested.connect(lambda i: self._with_letter(i, self.actions.open_in_system_viewer))
            self._view.set_tab_widget(LETTERS_TAB, listed)
            self.letter_list = listed
        return self.letter_list

    def refresh(self, select_id: int | None = None) -> None:
        """Read the shown patient's letters on the database thread (the look is audited by the service)."""
        shown, service = self._view.patient, self.service()
        if shown is None or shown.id is None or service is None or self.letter_list is None:
            return
        patient_id = shown.id
        self.letter_list.set_may_write(self.may_write())
        self._window.tasks.submit(  # type: ignore[attr-defined]
            lambda: (patient_id, _letters_if_allowed(service, patient_id)),
            done=lambda fetched: self._on_letters_read(fetched, select_id),
            failed=self._show_error,
            context=self,
        )

    def _on_letters_read(self, fetched: tuple[int, list[StoredLetter] | None], select_id: int | None) -> None:
        patient_id, letters = fetched
        shown = self._view.patient
        if self.letter_list is None or shown is None or shown.id != patient_id or letters is None:
            return  # another patient was opened meanwhile, or the role may not see letters
        self.letter_list.show_letters(patient_id, letters, select_id=select_id)

    def _with_letter(self, letter_id: int, action: Callable[[StoredLetter, QWidget], None]) -> None:
        if self.letter_list is not None:
            action(self.letter_list.model.letter(letter_id), self.letter_list)

    def _show_error(self, error: CalfDeskError) -> None:
        if self.letter_list is not None and self.letter_list.isVisible():
            self.letter_list.show_error(str(error))
        else:
            self._window.show_expected_error(error)  # type: ignore[attr-defined]

    def _parent_widget(self) -> QWidget:
        return self._window  # type: ignore[return-value]


def _letters_if_allowed(service: LetterService, patient_id: int) -> list[StoredLetter] | None:
    """Runs on the database thread: None for a role that may not see letters (the tab is hidden anyway)."""
    try:
        return service.letters_for(patient_id)
    except PermissionDenied:
        return None
