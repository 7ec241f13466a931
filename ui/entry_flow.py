"""The first dialog of a start: the owner's set-up on a new database, otherwise the login, with the
recovery key as the way in when every password is lost. The database is opened by what these dialogs
call (``ui.unlock.Entry``): an encrypted file cannot be opened before a password unlocks its key.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QWidget

from ui.tasks import TaskRunner
from ui.unlock import Entry, Opened


class EntryFlow(QObject):
    """Emits ``opened(Opened)`` once someone is in, or ``abandoned()`` when they close the dialog."""

    opened = Signal(object)
    abandoned = Signal()
    dialog_shown = Signal(object)  # the owner's set-up or login dialog

    def __init__(self, entry: Entry, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.tasks = TaskRunner(self)  # argon2 and opening the database run off the GUI thread
        self.dialog: QDialog | None = None
        self.result: Opened | None = None

    def start(self, parent: QWidget | None = None) -> None:
        if self.entry.needs_owner():
            from ui.security.owner_setup_dialog import OwnerSetupDialog

            dialog: QDialog = OwnerSetupDialog(self._create_owner, parent, tasks=self.tasks)
            dialog.owner_created.connect(self._on_in)
        else:
            from ui.security.login_dialog import LoginDialog

            encrypted = self.entry.vault.target.sqlite_path is not None
            login = LoginDialog(self._log_in, parent, tasks=self.tasks, offer_recovery=encrypted)
            login.logged_in.connect(self._on_in)
            login.recovery_requested.connect(self._on_recovery_requested)
            dialog = login
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.rejected.connect(self._on_rejected)
        self.dialog = dialog
        dialog.show()
        self.dialog_shown.emit(dialog)

    # The dialogs get a Login back, as everywhere else; the store it was made in is kept here.

    def _create_owner(self, user_name: str, display_name: str, password: str) -> object:
        self.result = self.entry.create_owner(user_name, display_name, password)
        return self.result.login

    def _log_in(self, user_name: str, password: str) -> object:
        self.result = self.entry.log_in(user_name, password)
        return self.result.login

    def _recover(self, recovery_key: str, new_password: str) -> object:
        self.result = self.entry.recover(recovery_key, new_password)
        return self.result.login

    @Slot()
    def _on_recovery_requested(self) -> None:
        from ui.security.recovery_dialog import RecoveryDialog

        dialog = RecoveryDialog(self._recover, self.dialog, tasks=self.tasks)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.recovered.connect(self._on_recovered)
        dialog.open()

    @Slot(object)
    def _on_recovered(self, _login: object) -> None:
        login_dialog = self.dialog
        self.dialog = None
        if login_dialog is not None:
            login_dialog.rejected.disconnect(self._on_rejected)
            login_dialog.done(QDialog.DialogCode.Accepted)
        self._on_in(_login)

    @Slot(object)
    def _on_in(self, _login: object) -> None:
        self.dialog = None
        if self.result is not None:
            self.opened.emit(self.result)

    @Slot()
    def _on_rejected(self) -> None:
        self.dialog = None
        self.entry.close_unused()
        self.abandoned.emit()
