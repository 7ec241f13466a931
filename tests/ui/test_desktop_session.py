"""The whole desktop flow on a real database: the owner's set-up, logging in, the idle lock and Ctrl+L,
unlocking, someone else taking over (drafts), the 12-hour password, and each role's window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.clock import Clock
from tests.ui.conftest import SAMPLE_PATIENTS, discard_dialogs
from ui.desktop_session import DesktopSession
from ui.main_window import MainWindow
from ui.patients.patient_editor import PatientEditorDialog
from ui.security.lock_screen import LockScreenWidget
from ui.security.login_dialog import LoginDialog
from ui.security.owner_setup_dialog import OwnerSetupDialog
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent
from workstation.ports import AuditQuery, ClinicStore
from workstation.records import Consent, Episode, Side
from workstation.security.accounts import Role
from workstation.services.accounts import Accounts

OWNER_PASSWORD = "kettle orbit saffron lane"
COLLEAGUE_PASSWORD = "violet harbour pencil drum"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def desktop(
    qtbot: QtBot, open_store: Callable[..., ClinicStore], clock: Clock, today: Callable[[], date]
) -> Iterator[DesktopSession]:
    store = open_store()
    session = DesktopSession(
        store, workstation="room-2", now=clock,
        window_factory=lambda records: MainWindow(records, can=records.can, today=today),
    )  # fmt: skip
    yield session
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QWidget) and widget.isVisible():
            discard_dialogs(widget)
    if session.window is not None:
        session.window.close()
    session.tasks.shutdown()


@pytest.fixture
def clinic_accounts(desktop: DesktopSession, open_store: Callable[..., ClinicStore], clock: Clock) -> ClinicStore:
    """The owner, a receptionist and a club coach, and the sample patients (one shares with the club)."""
    store = open_store()
    accounts = Accounts(store.users, Auditor(store.audit, "set-up", clock))
    owner = accounts.create_owner("sam.okafor", "Sam Okafor", OWNER_PASSWORD)
    for name, role in (("ana.lima", Role.RECEPTION), ("coach.rua", Role.CLUB), ("dr.chen", Role.CLINICIAN)):
        user = accounts.create_user(owner.actor, name, name.title(), role, COLLEAGUE_PASSWORD)
        assert user.id is not None
        accounts.change_password(accounts.log_in(name, COLLEAGUE_PASSWORD).actor, COLLEAGUE_PASSWORD, OWNER_PASSWORD)
    patients = [SAMPLE_PATIENTS[0].with_changes(club_consent=Consent(True, date(2025, 1, 1))), *SAMPLE_PATIENTS[1:]]
    store.patients.add_many(patients)
    first = store.patients.first_page(1)[0]
    store.episodes.add(Episode(first.id, "Left calf strain", Side.LEFT, date(2025, 5, 1)))
    return store


def _log_in(qtbot: QtBot, desktop: DesktopSession, user_name: str, password: str = OWNER_PASSWORD) -> MainWindow:
    dialog = desktop.entry_dialog
    assert isinstance(dialog, LoginDialog)
    qtbot.keyClicks(dialog.user_name_field, user_name)
    qtbot.keyClicks(dialog.password_field, password)
    qtbot.keyClick(dialog.password_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.window is not None and desktop.window.isVisible(), timeout=10_000)
    window = desktop.window
    assert window is not None
    qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
    return window


def _hand_over(qtbot: QtBot, desktop: DesktopSession, window: MainWindow, user_name: str) -> None:
    """Lock, then "Log in as someone else" as ``user_name``: a new window replaces ``window``."""
    desktop.lock(idle=False)
    assert desktop.lock_screen is not None
    desktop.lock_screen.switch_user_button.click()
    handover = desktop.entry_dialog
    assert isinstance(handover, LoginDialog)
    qtbot.keyClicks(handover.user_name_field, user_name)
    qtbot.keyClicks(handover.password_field, OWNER_PASSWORD)
    qtbot.keyClick(handover.password_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.window is not None and desktop.window is not window, timeout=10_000)


def _audited(store: ClinicStore, event: AuditEvent) -> int:
    return len(store.audit.query(AuditQuery(event=event)))


def test_a_new_database_starts_with_the_owners_account_then_the_window(
    qtbot: QtBot, desktop: DesktopSession, open_store: Callable[..., ClinicStore]
) -> None:
    desktop.start()
    dialog = desktop.entry_dialog
    assert isinstance(dialog, OwnerSetupDialog)
    for key, text in (("user_name", "sam.okafor"), ("display_name", "Sam Okafor"), ("password", OWNER_PASSWORD),
                      ("repeat", OWNER_PASSWORD)):  # fmt: skip
        qtbot.keyClicks(dialog.fields.fields[key], text)
    qtbot.keyClick(dialog.fields.fields["repeat"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.window is not None and desktop.window.isVisible(), timeout=10_000)
    assert desktop.login is not None and desktop.login.user.is_owner
    assert desktop.window is not None and desktop.window.first_run.isVisible()  # no patients yet
    assert [a.text() for a in desktop.window.menuBar().actions()] == ["&File", "&Patient", "S&quads", "Admi&n", "&Help"]


def test_a_wrong_password_keeps_the_window_shut(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore
) -> None:
    desktop.start()
    dialog = desktop.entry_dialog
    assert isinstance(dialog, LoginDialog)
    qtbot.keyClicks(dialog.user_name_field, "sam.okafor")
    qtbot.keyClicks(dialog.password_field, "not the password at all")
    qtbot.keyClick(dialog.password_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error_text == "The user name or password is wrong.", timeout=10_000)
    assert desktop.window is None


def test_ctrl_l_hides_every_patient_detail_and_the_same_person_carries_on(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore
) -> None:
    desktop.start()
    window = _log_in(qtbot, desktop, "sam.okafor")
    window.open_patient(int(window.directory.search("zoe")[0]))
    qtbot.waitUntil(lambda: window.patient_view.patient is not None)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor = window.findChild(PatientEditorDialog)
    assert editor is not None
    qtbot.waitUntil(editor.isVisible)
    phone = editor.form.fields["phone"]
    phone.clear()
    qtbot.keyClicks(phone, "07700 900456")

    qtbot.keyClick(phone, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # from inside the editor, too
    qtbot.waitUntil(lambda: window.locked)
    screen = desktop.lock_screen
    assert isinstance(screen, LockScreenWidget) and screen.isVisible()
    assert window.windowTitle() == "CalfDesk — locked"
    assert not window.patient_list.isVisible() and not window.patient_view.isVisible()
    assert not editor.isVisible()
    visible_text = " ".join(w.text() for w in window.findChildren(QWidget) if w.isVisible() and hasattr(w, "text"))
    assert "Clarke" not in visible_text and "Zoë" not in visible_text
    assert not window.new_patient_action.isEnabled()  # Ctrl+N does nothing behind the lock

    qtbot.keyClicks(screen.password_field, "not the password at all")
    qtbot.keyClick(screen.password_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.error_text == "The user name or password is wrong.", timeout=10_000)
    assert window.locked
    qtbot.keyClicks(screen.password_field, OWNER_PASSWORD)
    qtbot.keyClick(screen.password_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert editor.isVisible() and editor.form.fields["phone"].text() == "07700 900456"  # nothing lost
    assert _audited(clinic_accounts, AuditEvent.SESSION_LOCKED) == 1
    assert _audited(clinic_accounts, AuditEvent.SESSION_UNLOCKED) == 1


def test_ten_idle_minutes_lock_the_window_with_a_warning_a_minute_before(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore, clock: Clock
) -> None:
    desktop.start()
    window = _log_in(qtbot, desktop, "sam.okafor")
    idle = desktop.idle
    assert idle is not None
    idle.touch()
    clock.advance(minutes=9, seconds=1)
    idle.check()
    assert "locks in 59 s" in window.statusBar().currentMessage()
    assert not window.locked
    clock.advance(seconds=59)
    idle.check()  # at the deadline, with no waiting: the timer only calls this once a second
    assert window.locked and not window.patient_list.isVisible()
    assert window.statusBar().currentMessage() == ""


def test_someone_else_logging_in_keeps_the_first_persons_typing_as_a_draft(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore
) -> None:
    desktop.start()
    window = _log_in(qtbot, desktop, "sam.okafor")
    window.open_patient(int(window.directory.search("zoe")[0]))
    qtbot.waitUntil(lambda: window.patient_view.patient is not None)
    window.edit_patient_action.trigger()
    editor = window.findChild(PatientEditorDialog)
    assert editor is not None
    editor.form.fields["email"].setText("zoe.clarke@example.org")
    _hand_over(qtbot, desktop, window, "dr.chen")
    second = desktop.window
    assert second is not None and not second.locked and second.findChild(PatientEditorDialog) is None
    assert desktop.login is not None and desktop.login.user.user_name == "dr.chen"
    owner = clinic_accounts.users.find_by_name("sam.okafor")
    assert owner is not None and owner.id is not None
    assert len(clinic_accounts.drafts.for_user(owner.id)) == 1

    # The owner comes back later: their draft is offered and opens with the typing in it.
    desktop.log_out()
    window = _log_in(qtbot, desktop, "sam.okafor")
    qtbot.waitUntil(lambda: desktop.drafts_prompt is not None and desktop.drafts_prompt.isVisible())
    prompt = desktop.drafts_prompt
    assert prompt is not None
    prompt.button(QMessageBox.StandardButton.Open).click()
    qtbot.waitUntil(lambda: window.findChild(PatientEditorDialog) is not None)
    resumed = window.findChild(PatientEditorDialog)
    assert resumed is not None and resumed.form.fields["email"].text() == "zoe.clarke@example.org"
    assert clinic_accounts.drafts.for_user(owner.id) == []


def test_after_twelve_hours_the_password_is_asked_again(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore, clock: Clock
) -> None:
    desktop.start()
    window = _log_in(qtbot, desktop, "sam.okafor")
    clock.advance(hours=12, seconds=1)
    desktop._on_reauthentication_timeout()  # the minute timer's slot, called now instead of waiting
    assert window.locked
    assert desktop.lock_screen is not None and "12 hours" in desktop.lock_screen.error_text


def test_reception_sees_no_clinical_record_and_cannot_add_one(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore
) -> None:
    desktop.start()
    window = _log_in(qtbot, desktop, "ana.lima")
    first = window.patient_list.model.patient_id(0)
    window.open_patient(first)
    qtbot.waitUntil(lambda: window.patient_view.patient is not None)
    view = window.patient_view
    assert view.no_clinical_access.isVisible()
    assert not view.add_episode_button.isVisible()  # the episodes page gave way to the note
    assert not view.add_episode_button.isEnabled()  # and it would refuse anyway
    assert view.edit_button.isEnabled()  # reception keeps demographics up to date
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Patient", "&Help"]  # no Admin menu


def test_club_staff_list_only_athletes_who_share_with_the_club(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore
) -> None:
    desktop.start()
    window = _log_in(qtbot, desktop, "coach.rua")
    assert window.patient_list.model.rowCount() == 1
    window.open_patient(window.patient_list.model.patient_id(0))
    qtbot.waitUntil(lambda: window.patient_view.patient is not None)
    patient = window.patient_view.patient
    assert patient is not None and patient.nhs_number == ""  # identifiers are not the club's
    assert not window.new_patient_action.isEnabled() and not window.patient_view.edit_button.isEnabled()
    assert window.findChild(QWidget, "value_nhs_number").isVisible() is False


def test_the_idle_lock_is_changed_only_after_the_admins_password(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore
) -> None:
    from ui.security.password_dialogs import ReauthenticateDialog
    from ui.security.settings_dialog import SecuritySettingsDialog

    desktop.start()
    window = _log_in(qtbot, desktop, "sam.okafor")
    desktop.show_security_settings()
    dialog = window.findChild(SecuritySettingsDialog)
    assert dialog is not None and dialog.idle_minutes.value() == 10
    dialog.idle_minutes.setValue(3)
    dialog.save_button.click()
    confirm = dialog.findChild(ReauthenticateDialog)
    assert confirm is not None
    qtbot.keyClicks(confirm.fields.fields["password"], OWNER_PASSWORD)
    qtbot.keyClick(confirm.fields.fields["password"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.idle is not None and desktop.idle.timeout == timedelta(minutes=3), timeout=10_000)
    assert desktop.settings.idle_lock_minutes() == 3
    assert _audited(clinic_accounts, AuditEvent.REAUTHENTICATED) == 1
    assert _audited(clinic_accounts, AuditEvent.SETTING_CHANGED) == 1


def test_miles_chosen_in_clinic_settings_are_stored_audited_and_shown(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore
) -> None:
    from ui.settings.clinic_settings_dialog import ClinicSettingsDialog

    desktop.start()
    window = _log_in(qtbot, desktop, "sam.okafor")
    assert desktop.session is not None and desktop.session.clinic_settings.distance_unit() == "km"
    desktop.show_clinic_settings()
    dialog = window.findChild(ClinicSettingsDialog)
    assert dialog is not None and dialog.chosen_unit == "km"
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # &Miles
    qtbot.waitUntil(lambda: dialog.chosen_unit == "mi")  # a mnemonic clicks as a short animation
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.session.clinic_settings.distance_unit() == "mi", timeout=10_000)
    qtbot.waitUntil(lambda: window.findChild(ClinicSettingsDialog) is None, timeout=10_000)  # closed once saved
    assert _audited(clinic_accounts, AuditEvent.SETTING_CHANGED) == 1


def test_admins_manage_users_and_read_the_audit_from_the_admin_menu(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore
) -> None:
    from ui.security.audit_viewer import AuditViewerDialog
    from ui.security.users_dialog import UsersDialog

    desktop.start()
    window = _log_in(qtbot, desktop, "sam.okafor")
    admin = next(a for a in window.menuBar().actions() if a.text() == "Admi&n").menu()
    assert [a.text() for a in admin.actions()] == [
        "&Users…", "&Security settings…", "&Clinic settings…", "&Backups…", "&Audit trail…"
    ]
    admin.actions()[0].trigger()
    users = window.findChild(UsersDialog)
    assert users is not None
    qtbot.waitUntil(lambda: users.model.rowCount() == 4, timeout=10_000)
    users.done(0)
    window.open_patient(window.patient_list.model.patient_id(0))
    qtbot.waitUntil(lambda: window.patient_view.patient is not None)
    who = next(a for a in window.patient_menu.actions() if a.text().startswith("&Who has accessed"))
    who.trigger()
    viewer = window.findChild(AuditViewerDialog)
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.model.rowCount() >= 1, timeout=10_000)
    assert {entry.event for entry in viewer.model.entries()} == {AuditEvent.PATIENT_VIEWED}


def test_an_episode_being_written_is_kept_as_a_draft_too(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore
) -> None:
    from ui.patients.episode_dialog import EpisodeDialog

    desktop.start()
    window = _log_in(qtbot, desktop, "sam.okafor")
    window.open_patient(window.patient_list.model.patient_id(0))
    qtbot.waitUntil(lambda: window.patient_view.patient is not None)
    window.patient_view.add_episode_button.click()
    dialog = window.findChild(EpisodeDialog)
    assert dialog is not None
    qtbot.keyClicks(dialog.fields["complaint"], "Right soleus strain on the hill session")
    assert dialog.dirty
    _hand_over(qtbot, desktop, window, "dr.chen")
    desktop.log_out()
    window = _log_in(qtbot, desktop, "sam.okafor")
    qtbot.waitUntil(lambda: desktop.drafts_prompt is not None and desktop.drafts_prompt.isVisible())
    assert desktop.drafts_prompt is not None
    desktop.drafts_prompt.button(QMessageBox.StandardButton.Open).click()
    qtbot.waitUntil(lambda: window.findChild(EpisodeDialog) is not None)
    resumed = window.findChild(EpisodeDialog)
    assert resumed is not None
    assert resumed.typed_state()["complaint"] == "Right soleus strain on the hill session"
    assert resumed.episode_id is None  # still a new episode, saved only when the owner says so


def test_no_two_commands_of_the_window_share_a_shortcut(
    qtbot: QtBot, desktop: DesktopSession, clinic_accounts: ClinicStore
) -> None:
    """Two actions on one key make Qt fire neither ("ambiguous shortcut"): Ctrl+L locks, so letters use another."""
    from PySide6.QtGui import QAction, QKeySequence, QShortcut

    desktop.start()
    window = _log_in(qtbot, desktop, "sam.okafor")
    keys: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            keys.setdefault(sequence.toString(), []).append(action.text())
    for shortcut in window.findChildren(QShortcut):
        keys.setdefault(shortcut.key().toString(), []).append("shortcut")
    keys.pop("", None)
    shared = {key: names for key, names in keys.items() if len(names) > 1}
    assert not shared
    assert QKeySequence("Ctrl+L").toString() in keys  # the lock, and only the lock
    assert window.new_letter_action.shortcut() == QKeySequence("Ctrl+Shift+L")
