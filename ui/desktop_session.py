"""From the first login to quitting: who is at the workstation, their window, the lock, and handing over.

The window never sees an account: it gets a ``ClinicSession`` (records behind that person's role and
the audit) and the actions to offer. This controller asks who is there (the owner's set-up on a new
database), opens their window, locks it when idle or on Ctrl+L, asks for the password again after 12
hours, and when someone else logs in from the lock screen keeps the first person's typing as drafts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from ui.main_window import MainWindow
from ui.tasks import TaskRunner
from ui.theme import Tone
from workstation.audit.auditor import Auditor, utc_now
from workstation.errors import CalfDeskError
from workstation.ports import ClinicStore, Draft
from workstation.security.accounts import User
from workstation.security.permissions import Action
from workstation.security.session_policy import needs_reauthentication
from workstation.services.accounts import Accounts, Login
from workstation.services.session import ClinicSession
from workstation.services.settings import SecuritySettings

if TYPE_CHECKING:
    from ui.security.idle_lock import IdleLockController
    from ui.security.lock_screen import LockScreenWidget

REAUTHENTICATION_CHECK_MS = 60_000
ARM_FALLBACK_MS = 1_000
LOCK_KEYS = QKeySequence("Ctrl+L")
PATIENT_DRAFT = "patient"
EPISODE_DRAFT = "episode"
DRAFT_KINDS = frozenset({PATIENT_DRAFT, EPISODE_DRAFT})
_log = logging.getLogger(__name__)


class DesktopSession(QObject):
    """Owns the window of whoever is logged in (``window``), and nothing patient-related itself."""

    window_opened = Signal(object)  # the MainWindow, each time one opens
    entry_dialog_shown = Signal(object)  # the owner set-up or login dialog, once shown

    def __init__(
        self,
        store: ClinicStore,
        *,
        workstation: str,
        now: Callable[[], datetime] = utc_now,
        idle_minutes: int | None = None,  # None: the practice's setting (Admin › Security settings)
        window_factory: Callable[[ClinicSession], MainWindow] | None = None,
        idle_clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self._store = store
        self._auditor = Auditor(store.audit, workstation, now)
        self.accounts = Accounts(store.users, self._auditor, store.key_slots)
        self.settings = SecuritySettings(store.settings, self._auditor)
        self._idle_minutes = idle_minutes
        self._idle_clock = idle_clock or (now if now is not utc_now else monotonic_clock)
        self._window_factory = window_factory or (lambda session: MainWindow(session, can=session.can))
        self.tasks = TaskRunner(self)  # account calls (argon2 takes a tenth of a second) off the GUI thread
        self.window: MainWindow | None = None
        self.login: Login | None = None
        self.session: ClinicSession | None = None
        self.idle: IdleLockController | None = None
        self.lock_screen: LockScreenWidget | None = None
        self.entry_dialog: QDialog | None = None
        self.drafts_prompt: QMessageBox | None = None
        self._reauthentication = QTimer(self)
        self._reauthentication.setInterval(REAUTHENTICATION_CHECK_MS)
        self._reauthentication.timeout.connect(self._on_reauthentication_timeout)

    @property
    def locked(self) -> bool:
        return self.window is not None and self.window.locked

    # Who is there ---------------------------------------------------------------------------------

    def start(self, parent: QWidget | None = None) -> None:
        """Ask who is there: the owner's set-up on a new database, otherwise the login."""
        if self.accounts.needs_owner():
            from ui.security.owner_setup_dialog import OwnerSetupDialog

            dialog: QDialog = OwnerSetupDialog(self.accounts.create_owner, parent, tasks=self.tasks)
            dialog.owner_created.connect(self.begin)
        else:
            from ui.security.login_dialog import LoginDialog

            dialog = LoginDialog(self.accounts.log_in, parent, tasks=self.tasks)
            dialog.logged_in.connect(self.begin)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.rejected.connect(self._on_entry_dialog_rejected)
        self.entry_dialog = dialog
        dialog.show()
        self.entry_dialog_shown.emit(dialog)

    @Slot(object)
    def begin(self, login: Login) -> None:
        """Someone has logged in: a forced password change first if an admin reset theirs, then the window."""
        self.entry_dialog = None
        if login.must_change_password:
            self._force_password_change(login)
            return
        self._open_window(login)

    def _force_password_change(self, login: Login) -> None:
        from ui.security.password_dialogs import ChangePasswordDialog
        from workstation.security.passwords import password_problems

        actor = login.actor
        dialog = ChangePasswordDialog(
            lambda current, new: self.accounts.change_password(actor, current, new), password_problems, None,
            forced=True, user_name=login.user.user_name, display_name=login.user.display_name, tasks=self.tasks,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.password_changed.connect(
            lambda: self._open_window(replace(login, user=login.user.with_changes(must_change_password=False)))
        )
        dialog.log_out_requested.connect(lambda: self._after_log_out(actor_logged_out=login))
        dialog.show()

    def _on_entry_dialog_rejected(self) -> None:
        self.entry_dialog = None
        if self.window is None:
            QApplication.quit()  # nobody logged in: nothing to show

    # The window -----------------------------------------------------------------------------------

    def _open_window(self, login: Login) -> None:
        self.login = login
        self.session = ClinicSession(self._store, login.actor, self._auditor)
        window = self._window_factory(self.session)
        self.window = window
        self._add_actions(window, self.session)
        window.closing.connect(self._on_window_closing)
        self._reauthentication.start()
        # The idle lock and Ctrl+L watch every event of the app from Python: armed once the list has
        # painted (or after a second, for a window that is never painted), so start-up pays nothing.
        window.first_content_painted.connect(lambda: self._arm(window))
        QTimer.singleShot(ARM_FALLBACK_MS, lambda: self._arm(window))
        window.show()
        self.window_opened.emit(window)
        # Drafts are looked up once the list has painted: the query (and its first compile) is not start-up's.
        window.first_content_painted.connect(lambda: QTimer.singleShot(0, self._offer_drafts))

    def _arm(self, window: MainWindow) -> None:
        """Start the idle lock and the app-wide Ctrl+L for ``window`` (once; not for a closed window)."""
        from ui.security.idle_lock import IdleLockController

        if window is not self.window or self.idle is not None:
            return
        minutes = self._idle_minutes or self.settings.idle_lock_minutes()
        self.idle = IdleLockController(QApplication.instance(), timedelta(minutes=minutes), self._idle_clock, window)
        self.idle.warning.connect(self._on_idle_warning)
        self.idle.warning_cleared.connect(self._on_idle_warning_cleared)
        self.idle.lock_requested.connect(self._on_idle_lock_requested)
        QApplication.instance().installEventFilter(self)  # Ctrl+L from every window (see eventFilter)

    def _add_actions(self, window: MainWindow, session: ClinicSession) -> None:
        file_menu = window.file_menu
        first = file_menu.actions()[0] if file_menu.actions() else None
        self.lock_action = _action(window, "&Lock", LOCK_KEYS, lambda: self.lock(idle=False))
        self.change_password_action = _action(window, "Change &password…", None, self._on_change_password)
        self.log_out_action = _action(window, "Log &out…", None, self.log_out)
        account_actions = [self.lock_action, self.change_password_action]
        writes = [self.change_password_action]
        if session.can(Action.EDIT_CLINICAL):  # whoever writes letters: what their letters say about them
            self.letter_details_action = _action(window, "My letter &details…", None, self.show_letter_details)
            account_actions.append(self.letter_details_action)
            writes.append(self.letter_details_action)
        for action in (*account_actions, self.log_out_action):
            file_menu.insertAction(first, action)
        file_menu.insertSeparator(first)
        if session.can(Action.MANAGE_USERS) or session.can(Action.VIEW_AUDIT):
            admin = window.add_menu("Admi&n")  # before Help, which stays last; Alt+A is Assess…
            if session.can(Action.MANAGE_USERS):
                writes.append(_action(window, "&Users…", None, self._on_manage_users))
                admin.addAction(writes[-1])
            if session.can(Action.CHANGE_AUDIT_SETTINGS):
                writes.append(_action(window, "&Security settings…", None, self.show_security_settings))
                admin.addAction(writes[-1])
            if session.can(Action.CHANGE_CLINIC_SETTINGS):
                writes.append(_action(window, "&Clinic settings…", None, self.show_clinic_settings))
                admin.addAction(writes[-1])
            if self.login is not None and self.login.user.is_owner and self._store.key_slots.encrypted:
                admin.addAction(_action(window, "New &recovery key…", None, self.show_new_recovery_key))
            if session.can(Action.MANAGE_BACKUPS):
                from ui.backups.menu import add_backups_action

                add_backups_action(admin, window, self._store, self._auditor, self.accounts, session.actor, self.tasks)
            if session.can(Action.VIEW_AUDIT):
                admin.addAction(_action(window, "&Audit trail…", None, lambda: self.show_audit(None)))
                who = _action(window, "&Who has accessed this patient…", None, self._on_who_accessed)
                window.patient_menu.addSeparator()
                window.patient_menu.addAction(who)
        # These write to the database: off on a read-only one, and with the window's own when a damaged
        # file turns it read-only later (RELIABILITY.md B4).
        window.write_actions = (*window.write_actions, *writes)
        for action in writes:
            action.setEnabled(not self._store.read_only)
        from ui.patients.privacy_actions import PrivacyActions  # with the first window, not at start-up

        self.privacy_actions = PrivacyActions.install(window, session, self.accounts, self._store)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+L locks from any window, an open editor included: a window-modal editor blocks the main
        window's shortcuts, and leaving the room must still take one key press."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if self.window is not None and not self.window.locked and QKeySequence(event.keyCombination()) == LOCK_KEYS:
            self.lock(idle=False)
            return True
        return False

    @Slot()
    def _on_window_closing(self) -> None:
        """The window is closing for good (quit, or a hand-over): log the person out."""
        QApplication.instance().removeEventFilter(self)
        self._reauthentication.stop()
        if self.idle is not None:
            self.idle.stop()
            self.idle = None
        if self.login is not None:
            self._record(lambda actor: self.accounts.log_out(actor))

    # Locking --------------------------------------------------------------------------------------

    def lock(self, *, idle: bool, reason: str = "") -> None:
        """Hide everything behind the lock screen; the same person's password brings it back (D5)."""
        window, login = self.window, self.login
        if window is None or login is None or window.locked:
            return
        self._record(lambda actor: self.accounts.lock_session(actor, idle=idle))
        from ui.security.lock_screen import LockScreenWidget

        screen = LockScreenWidget(display_name=login.user.display_name)
        screen.unlock_requested.connect(self._on_unlock_requested)
        screen.switch_user_requested.connect(self._on_switch_user_requested)
        if reason:
            screen.show_error(reason)
        self.lock_screen = screen
        window.statusBar().clearMessage()
        window.lock(screen)
        if self.idle is not None:
            self.idle.pause()

    @Slot()
    def _on_idle_lock_requested(self) -> None:
        self.lock(idle=True)

    @Slot(int)
    def _on_idle_warning(self, seconds_left: int) -> None:
        if self.window is not None and not self.window.locked:
            self.window.statusBar().showMessage(f"CalfDesk locks in {seconds_left} s: press any key to stay.")

    @Slot()
    def _on_idle_warning_cleared(self) -> None:
        if self.window is not None:
            self.window.statusBar().clearMessage()

    @Slot(str)
    def _on_unlock_requested(self, password: str) -> None:
        login, screen = self.login, self.lock_screen
        if login is None or screen is None:
            return
        screen.set_busy(True)
        actor = login.actor
        self.tasks.submit(
            lambda: self.accounts.unlock_session(actor, password),
            done=lambda _: self._unlocked(),
            failed=self._on_unlock_failed,
            context=self,
        )

    def _on_unlock_failed(self, error: CalfDeskError) -> None:
        if self.lock_screen is not None:
            self.lock_screen.set_busy(False)
            self.lock_screen.show_error(str(error))

    def _unlocked(self) -> None:
        if self.window is None or self.login is None:
            return
        if needs_reauthentication(self.login.logged_in_at, self._auditor.now()):
            self.login = replace(self.login, logged_in_at=self._auditor.now())  # the password was just typed
        self.window.unlock()
        self.lock_screen = None
        if self.idle is not None:
            self.idle.resume()

    @Slot()
    def _on_reauthentication_timeout(self) -> None:
        if self.login is not None and needs_reauthentication(self.login.logged_in_at, self._auditor.now()):
            self.lock(idle=False, reason="Please type your password again: CalfDesk asks every 12 hours.")

    # Handing over ---------------------------------------------------------------------------------

    @Slot()
    def _on_switch_user_requested(self) -> None:
        if self.window is None:
            return
        from ui.security.login_dialog import LoginDialog

        dialog = LoginDialog(self.accounts.log_in, self.window, title_hint="Log in as someone else", tasks=self.tasks)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.logged_in.connect(self._on_switched_login)
        self.entry_dialog = dialog
        dialog.open()

    @Slot(object)
    def _on_switched_login(self, login: Login) -> None:
        self.entry_dialog = None
        if self.login is not None and login.actor.user_id == self.login.actor.user_id:
            self.login = login  # the same person after all: carry on where they were
            self._unlocked()
            return
        self._keep_drafts_and_close()
        self.begin(login)

    def _keep_drafts_and_close(self) -> None:
        """The first person's typing is saved as drafts for them; their window closes without asking."""
        window, login = self.window, self.login
        if window is None or login is None:
            return
        now = self._auditor.now()
        for editor in window.open_editors():
            kind, key = _draft_address(editor)
            draft = Draft(login.actor.user_id, kind, key, editor.draft_payload(), now)  # type: ignore[attr-defined]
            try:
                self._store.drafts.save(draft)
            except CalfDeskError:
                _log.exception("a draft could not be kept (record id %s)", key)
        for dialog in window.findChildren(QDialog):
            dialog.done(QDialog.DialogCode.Rejected)  # done(), not reject(): no "discard your typing?" now
        window.close()
        self.window = None

    def log_out(self) -> None:
        """Close the window the usual way (asking about unsaved typing), then ask who is next."""
        window = self.window
        if window is None:
            return
        self.start()  # first, so that closing the last window does not quit the app
        if not window.close():
            if self.entry_dialog is not None:
                self.entry_dialog.done(QDialog.DialogCode.Rejected)
            return
        self.window = None

    def _after_log_out(self, *, actor_logged_out: Login) -> None:
        self.accounts.log_out(actor_logged_out.actor)
        self.start()

    # Drafts ---------------------------------------------------------------------------------------

    def _offer_drafts(self) -> None:
        if self.window is None or self.login is None or self.session is None:
            return
        drafts = [d for d in self._store.drafts.for_user(self.login.actor.user_id) if d.kind in DRAFT_KINDS]
        if not drafts:
            return
        prompt = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved changes kept for you",
            f"When someone else logged in, CalfDesk kept {len(drafts)} unsaved change(s) of yours. "
            "Open them now to finish and save, or discard them?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Discard,
            self.window,
        )
        prompt.setObjectName("draftsPrompt")
        prompt.setDefaultButton(QMessageBox.StandardButton.Open)
        prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        prompt.finished.connect(lambda _code: self._on_drafts_answered(prompt, drafts))
        self.drafts_prompt = prompt
        prompt.open()

    def _on_drafts_answered(self, prompt: QMessageBox, drafts: list[Draft]) -> None:
        resume = prompt.standardButton(prompt.clickedButton()) == QMessageBox.StandardButton.Open
        self.drafts_prompt = None
        for draft in drafts:
            assert draft.id is not None
            if not resume or self._resume(draft):  # a draft that could not be opened is kept for next time
                self._store.drafts.discard(draft.id)

    def _resume(self, draft: Draft) -> bool:
        """Open the draft's editor; False (the draft is kept) when its record cannot be opened now."""
        assert self.window is not None and self.session is not None
        try:
            if draft.kind == EPISODE_DRAFT:
                patient_id, _, episode_key = draft.key.partition(":")
                patient = self.session.patients.get(int(patient_id))  # a look at the record: audited
                episodes = {e.id: e for e in self.session.episodes.for_patient(int(patient_id))}
                episode = None if episode_key == "new" else episodes.get(int(episode_key))
                if episode_key != "new" and episode is None:
                    return False
                self.window.resume_episode_draft(patient, episode, draft.payload)
                return True
            patient = None if draft.key == "new" else self.session.patients.get(int(draft.key))
        except CalfDeskError as error:
            self.window.banner.show_message(str(error), Tone.ERROR)
            return False
        self.window.resume_draft(patient, draft.payload)
        return True

    # Account screens ------------------------------------------------------------------------------

    def _on_change_password(self) -> None:
        from ui.security.password_dialogs import ChangePasswordDialog
        from workstation.security.passwords import password_problems

        if self.window is None or self.login is None:
            return
        actor, user = self.login.actor, self.login.user
        dialog = ChangePasswordDialog(
            lambda current, new: self.accounts.change_password(actor, current, new), password_problems,
            self.window, forced=False, user_name=user.user_name, display_name=user.display_name, tasks=self.tasks,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_manage_users(self) -> None:
        from ui.security.users_dialog import UserActions, UsersDialog

        if self.window is None or self.login is None:
            return
        actor = self.login.actor
        dialog = UsersDialog(
            UserActions.for_admin(self.accounts, actor), self.window, current_user_id=actor.user_id, tasks=self.tasks
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_security_settings(self) -> None:
        from ui.security.settings_dialog import SecuritySettingsDialog

        if self.window is None or self.login is None:
            return
        actor, settings = self.login.actor, self.settings
        dialog = SecuritySettingsDialog(
            settings.idle_lock_minutes(), lambda minutes: settings.set_idle_lock_minutes(actor, minutes),
            lambda password: self.accounts.reauthenticate(actor, password), self.window, tasks=self.tasks,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.idle_minutes_changed.connect(self._on_idle_minutes_changed)
        dialog.open()

    def show_clinic_settings(self) -> None:
        """Admin › Clinic settings (letterhead, country, distance unit); the record on screen is shown again
        when the unit changes."""
        from ui.settings.clinic_settings_changes import read_clinic_settings, save_clinic_settings
        from ui.settings.clinic_settings_dialog import ClinicSettingsDialog

        if self.window is None or self.session is None:
            return
        window, actor, settings = self.window, self.session.actor, self.session.clinic_settings
        dialog = ClinicSettingsDialog(
            read_clinic_settings(settings), lambda before, after: save_clinic_settings(settings, actor, before, after),
            window, tasks=self.tasks,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.distance_unit_changed.connect(lambda _unit: window.reopen_patient())
        dialog.open()

    def show_letter_details(self) -> None:
        """File › My letter details: the logged-in clinician's profession, registration and signature."""
        from ui.settings.letter_details_dialog import LetterDetailsDialog

        if self.window is None or self.session is None:
            return
        letters, now = self.session.letters, self._auditor.now
        dialog = LetterDetailsDialog(
            letters.clinician_profile(), lambda profile: letters.save_clinician_profile(profile, at=now()),
            letters.clinician_profile, self.session.clinic_settings.country(), self.window, tasks=self.tasks,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_new_recovery_key(self) -> None:
        """The owner's password, then a new recovery key shown once (the old one stops working): for a
        lost or exposed sheet."""
        from ui.security.password_dialogs import ReauthenticateDialog

        if self.window is None or self.login is None:
            return
        actor, issued = self.login.actor, []
        reason = (
            "A new recovery key replaces the one printed at set-up, which then stops working. "
            "Type your password to make it."
        )
        dialog = ReauthenticateDialog(
            lambda password: issued.append(self.accounts.issue_recovery_key(actor, password)), reason, self.window,
            tasks=self.tasks,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._show_recovery_key(issued[-1]) if issued else None)
        dialog.open()

    def _show_recovery_key(self, recovery_key: str) -> None:
        from ui.security.recovery_key_dialog import RecoveryKeyDialog

        dialog = RecoveryKeyDialog(recovery_key, self.window, context="new-key")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.recovery_key_dialog = dialog
        dialog.open()

    @Slot(int)
    def _on_idle_minutes_changed(self, minutes: int) -> None:
        if self.idle is not None:
            self.idle.set_timeout(timedelta(minutes=minutes))

    def _on_who_accessed(self) -> None:
        if self.window is not None and self.window.patient_view.patient is not None:
            self.show_audit(self.window.patient_view.patient.id)

    def show_audit(self, patient_id: int | None) -> None:
        from ui.security.audit_viewer import AuditViewerDialog

        if self.window is None or self.session is None or self.login is None:
            return
        session, actor, users = self.session, self.login.actor, self._store.users
        dialog = AuditViewerDialog(
            session.audit_entries, session.audit_csv,
            lambda password: self.accounts.reauthenticate(actor, password), self.window, patient_id=patient_id,
            tasks=self.tasks, find_user=lambda name: _user_id(users.find_by_name(name)),
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _record(self, write: Callable[[object], None]) -> None:
        """An audit entry the person does not wait for (lock, log out); a failure goes to the log."""
        assert self.login is not None
        actor = self.login.actor
        try:
            write(actor)
        except CalfDeskError:
            _log.exception("an audit entry could not be written")


def _draft_address(editor: QDialog) -> tuple[str, str]:
    """(kind, key) of an editor's draft: "patient" and its id, or "episode" and "patient:episode"."""
    from ui.patients.episode_dialog import EpisodeDialog

    if isinstance(editor, EpisodeDialog):
        episode = "new" if editor.episode_id is None else str(editor.episode_id)
        return EPISODE_DRAFT, f"{editor.patient.id}:{episode}"
    base = editor.form.base  # type: ignore[attr-defined]
    return PATIENT_DRAFT, str(base.id) if base is not None and base.id is not None else "new"


def _user_id(user: User | None) -> int | None:
    return None if user is None else user.id


def monotonic_clock() -> datetime:
    """A clock that setting the computer's time cannot move: the idle lock counts on it."""
    return _MONOTONIC_ORIGIN + timedelta(seconds=time.monotonic())


_MONOTONIC_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)


def _action(parent: QObject, text: str, shortcut: QKeySequence | None, slot: Callable[[], object]) -> QAction:
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(slot)
    if isinstance(parent, QWidget):
        parent.addAction(action)
    return action
