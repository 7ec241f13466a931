"""Admin › Backups…, the automatic backups and the restore hand-over, on real encrypted databases.

The dialog's service calls run on a real TaskRunner where the test is about not blocking (back up now,
the daily backup); elsewhere inline, which is the same code path without the thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from db.backup import manifest_path
from db.backup_folder import BackupFile, list_backups
from tests import dbkit
from tests.db.test_sqlite_safety import damage_patient_table
from tests.ui.conftest import SAMPLE_PATIENTS, patient
from ui.backups import restart
from ui.backups.automatic import AutomaticBackups
from ui.backups.backup_table import BACKUP_PATH_ROLE, BackupColumn, BackupTableModel
from ui.backups.backups_dialog import SAME_DISK_WARNING, BackupsDialog
from ui.backups.jobs import DAILY, MANUAL, BackupJobs, RestoreRequest, same_disk
from ui.backups.menu import restore_after_closing
from ui.main_window import MainWindow
from ui.security.password_dialogs import ReauthenticateDialog
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import BackupFailed, PermissionDenied
from workstation.ports import AuditQuery, ClinicStore
from workstation.security.accounts import Actor, Role
from workstation.services.accounts import Accounts

PASSWORD = "kettle orbit saffron lane"
WORKSTATION = "room-2"


@pytest.fixture(autouse=True)
def _no_restore_left_pending() -> Iterator[None]:
    yield
    restart.cancel_restore()


@pytest.fixture
def accounts(clinic: ClinicStore) -> Accounts:
    return Accounts(clinic.users, Auditor(clinic.audit, WORKSTATION), clinic.key_slots)


@pytest.fixture
def admin(accounts: Accounts) -> Actor:
    return accounts.create_owner("sam.okafor", "Sam Okafor", PASSWORD).actor


@pytest.fixture
def jobs(clinic: ClinicStore) -> BackupJobs:
    return BackupJobs(clinic, Auditor(clinic.audit, WORKSTATION))


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


@pytest.fixture
def make_dialog(
    qtbot: QtBot, jobs: BackupJobs, admin: Actor, accounts: Accounts
) -> Callable[..., tuple[BackupsDialog, list[RestoreRequest]]]:
    def make(**options: object) -> tuple[BackupsDialog, list[RestoreRequest]]:
        requests: list[RestoreRequest] = []
        dialog = BackupsDialog(
            jobs, admin, lambda password: accounts.reauthenticate(admin, password), requests.append,
            workstation=WORKSTATION, **options,  # type: ignore[arg-type]
        )  # fmt: skip
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog, requests

    return make


def _events(store: ClinicStore, event: AuditEvent) -> list[object]:
    return [e for e in store.audit.query(AuditQuery(event=event))]


def _confirm_password(qtbot: QtBot, dialog: BackupsDialog) -> None:
    confirm = dialog.reauthentication
    assert isinstance(confirm, ReauthenticateDialog)
    qtbot.waitUntil(confirm.isVisible)
    qtbot.keyClicks(confirm.fields.fields["password"], PASSWORD)
    confirm.ok_button.click()


# The list -------------------------------------------------------------------------------------------------


def test_the_backup_model_passes_qtmodeltester_and_finds_rows_by_path(
    qtmodeltester: ModelTester, jobs: BackupJobs, admin: Actor
) -> None:
    jobs.back_up(MANUAL, admin)
    jobs.back_up(DAILY, admin)
    model = BackupTableModel()
    backups = jobs.backups()
    model.set_backups(backups)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2
    newest = backups[0]
    index = model.index(0, BackupColumn.KIND)
    assert index.data(BACKUP_PATH_ROLE) == str(newest.path)
    assert {model.index(row, BackupColumn.KIND).data() for row in range(2)} == {"Daily (automatic)", "By hand"}
    assert model.index(0, BackupColumn.VERIFIED).data() == "Yes"
    assert model.index(0, BackupColumn.SIZE).data().endswith("KB")
    assert model.row_of(newest.path) == 0


def test_back_up_now_runs_off_the_window_and_lists_the_verified_backup(
    qtbot: QtBot, make_dialog: Callable[..., tuple[BackupsDialog, list[RestoreRequest]]], runner: TaskRunner,
    clinic: ClinicStore,
) -> None:  # fmt: skip
    dialog, _requests = make_dialog(tasks=runner)
    qtbot.waitUntil(lambda: dialog.latest_label.text() != "")
    assert dialog.latest_label.text() == "No verified backup yet."
    assert dialog.model.rowCount() == 0

    dialog.back_up_button.click()
    assert not dialog.back_up_button.isEnabled()  # the click returned at once: the backup runs elsewhere
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=20_000)

    assert dialog.back_up_button.isEnabled()
    assert dialog.banner.text.startswith("Backed up and verified: calfdesk-manual-")
    [backup] = list_backups(Path(dialog.folder_label.text().removeprefix("Backups are kept in ")))
    assert backup.verified and backup.reason == MANUAL
    assert dialog.latest_label.text().startswith("Last verified backup: ")
    created = clinic.audit.query(AuditQuery(event=AuditEvent.BACKUP_CREATED))
    assert [(e.outcome, e.object_id) for e in created] == [(Outcome.SUCCESS, backup.path.name)]


def test_a_folder_on_the_databases_disk_is_warned_about_and_a_new_one_needs_the_password(
    qtbot: QtBot, make_dialog: Callable[..., tuple[BackupsDialog, list[RestoreRequest]]], tmp_path: Path,
    clinic: ClinicStore, jobs: BackupJobs, runner: TaskRunner,
) -> None:  # fmt: skip
    chosen = tmp_path / "usb-drive"
    dialog, _requests = make_dialog(choose_folder=lambda _parent, _current: chosen, tasks=runner)
    qtbot.waitUntil(dialog.disk_warning.isVisible)
    assert dialog.disk_warning.isVisible() and dialog.disk_warning.text == SAME_DISK_WARNING
    assert dialog.disk_warning.tone is Tone.WARNING

    dialog.choose_button.click()
    assert jobs.folder() != chosen  # nothing changes before the password
    _confirm_password(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.folder_label.text() == f"Backups are kept in {chosen}", timeout=10_000)
    assert jobs.folder() == chosen
    [changed] = clinic.audit.query(AuditQuery(event=AuditEvent.SETTING_CHANGED))
    assert (changed.object_id, changed.detail) == ("backup.folder", str(chosen))


def test_another_file_system_is_not_the_same_disk(tmp_path: Path) -> None:
    assert same_disk(tmp_path / "not-made-yet", tmp_path / "calfdesk.sqlite3")
    assert not same_disk(Path("/proc"), tmp_path / "calfdesk.sqlite3")


# Restore --------------------------------------------------------------------------------------------------


def test_restore_is_confirmed_with_the_date_and_patients_then_handed_over_after_the_password(
    qtbot: QtBot, make_dialog: Callable[..., tuple[BackupsDialog, list[RestoreRequest]]], jobs: BackupJobs,
    admin: Actor, clinic: ClinicStore, runner: TaskRunner,
) -> None:  # fmt: skip
    outcome = jobs.back_up(MANUAL, admin)
    clinic.patients.add(patient("Added", "Later", date(1999, 9, 9)))
    dialog, requests = make_dialog(tasks=runner)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    dialog.select(outcome.report.path)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.confirmation is not None, timeout=10_000)

    box = dialog.confirmation
    assert isinstance(box, QMessageBox)
    taken = list_backups(jobs.folder())[0].taken_at.astimezone()
    assert f"Restore the backup of {taken.day} {taken:%B %Y} at {taken:%H:%M}" in box.text()
    assert f"holding {len(SAMPLE_PATIENTS)} patients" in box.text()
    restore = next(b for b in box.buttons() if b.text() == "Restore and restart")
    restore.click()
    assert requests == []  # not before the password
    _confirm_password(qtbot, dialog)
    qtbot.waitUntil(lambda: requests != [])

    [request] = requests
    assert (request.source, request.live, request.actor) == (outcome.report.path, jobs.database, admin)
    assert request.key == jobs.key is not None
    assert dialog.result() == BackupsDialog.DialogCode.Accepted


def test_cancelling_the_confirmation_restores_nothing(
    make_dialog: Callable[..., tuple[BackupsDialog, list[RestoreRequest]]], jobs: BackupJobs, admin: Actor
) -> None:
    outcome = jobs.back_up(MANUAL, admin)
    dialog, requests = make_dialog()
    dialog.select(outcome.report.path)
    dialog.restore_button.click()
    box = dialog.confirmation
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert dialog.reauthentication is None and requests == []


def test_a_backup_changed_since_it_was_written_is_refused_before_any_question(
    make_dialog: Callable[..., tuple[BackupsDialog, list[RestoreRequest]]], jobs: BackupJobs, admin: Actor
) -> None:
    outcome = jobs.back_up(MANUAL, admin)
    connection = dbkit.raw(outcome.report.path, isolation_level=None)
    connection.execute("UPDATE patient SET given_name = 'Someone' WHERE id = 1")
    connection.close()
    dialog, requests = make_dialog()
    dialog.select(outcome.report.path)
    dialog.restore_button.click()
    assert dialog.confirmation is None and requests == []
    assert dialog.banner.tone is Tone.ERROR
    assert "changed after it was written" in dialog.banner.text


def test_a_backup_file_from_elsewhere_can_be_chosen(
    qtbot: QtBot, make_dialog: Callable[..., tuple[BackupsDialog, list[RestoreRequest]]], jobs: BackupJobs,
    admin: Actor, tmp_path: Path,
) -> None:  # fmt: skip
    elsewhere = jobs.back_up(MANUAL, admin, tmp_path / "usb").report.path
    dialog, _requests = make_dialog(choose_file=lambda _parent, _folder: elsewhere)
    assert dialog.selected_backup() is None
    dialog.restore_button.click()
    assert isinstance(dialog.confirmation, QMessageBox)
    dialog.confirmation.button(QMessageBox.StandardButton.Cancel).click()


def test_the_restore_is_carried_out_after_the_store_closes_and_audited_in_the_restored_database(
    jobs: BackupJobs, admin: Actor, clinic: ClinicStore, db_url: str
) -> None:
    outcome = jobs.back_up(MANUAL, admin)
    clinic.patients.add(patient("Added", "Later", date(1999, 9, 9)))
    restart.request_restore(jobs.restore_request(outcome.report.path, admin, WORKSTATION))
    clinic.close()  # as ui.app does before it restores
    told: list[tuple[str, str, bool]] = []

    assert restart.restore_after_exit(lambda *message: told.append(message))

    [(title, text, is_error)] = told
    assert (title, is_error) == ("Backup restored", False)
    assert f"({len(SAMPLE_PATIENTS)} patients)" in text and "calfdesk-before-restore-" in text
    assert restart.pending_restore() is None and not restart.restore_after_exit(lambda *m: told.append(m))
    restored = dbkit.open_store(db_url)
    try:
        assert restored.patients.count() == len(SAMPLE_PATIENTS)
        [entry] = restored.audit.query(AuditQuery(event=AuditEvent.BACKUP_RESTORED))
        assert (entry.user_id, entry.outcome, entry.object_id) == (
            admin.user_id,
            Outcome.SUCCESS,
            outcome.report.path.name,
        )
    finally:
        restored.close()
    safety = [b for b in list_backups(jobs.folder()) if b.reason == "before-restore"]
    assert len(safety) == 1 and safety[0].verified


def test_a_window_that_will_not_close_keeps_the_restore_from_starting(qtbot: QtBot) -> None:
    class StubbornWindow:
        def __init__(self) -> None:
            self.banner = BannerWidget()

        def close(self) -> bool:
            return False  # an editor with typing in it said "keep editing"

    window = StubbornWindow()
    qtbot.addWidget(window.banner)
    restore_after_closing(window, RestoreRequest(Path("b"), Path("l"), None, Path("f"), _clinician(), WORKSTATION))
    assert restart.pending_restore() is None
    assert window.banner.tone is Tone.WARNING and "not started" in window.banner.text


def _clinician() -> Actor:
    return Actor(user_id=2, user_name="dr.chen", role=Role.CLINICIAN)


def test_only_an_administrator_backs_up_by_hand_or_restores(jobs: BackupJobs, clinic: ClinicStore) -> None:
    with pytest.raises(PermissionDenied):
        jobs.back_up(MANUAL, _clinician())
    with pytest.raises(PermissionDenied):
        jobs.restore_request(Path("any.sqlite3"), _clinician(), WORKSTATION)
    denied = [e for e in clinic.audit.query(AuditQuery()) if e.outcome is Outcome.DENIED]
    assert {e.event for e in denied} == {AuditEvent.BACKUP_CREATED, AuditEvent.BACKUP_RESTORED}
    assert jobs.backups() == []
    assert jobs.back_up(DAILY, _clinician()).report.path.exists()  # the automatic ones are everyone's


# Automatic backups ----------------------------------------------------------------------------------------


def _automatic(store: ClinicStore, window: MainWindow, actor: Actor | None) -> AutomaticBackups:
    backups = AutomaticBackups(store, WORKSTATION, window, delay_ms=0)
    backups.watch(window, actor)
    return backups


def test_the_first_start_of_the_day_backs_up_in_the_background_and_later_starts_do_not(
    qtbot: QtBot, clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow], admin: Actor,
    jobs: BackupJobs,
) -> None:  # fmt: skip
    window = make_window(clinic)
    backups = _automatic(clinic, window, admin)
    with qtbot.waitSignal(backups.daily_finished, timeout=20_000) as first:
        backups.run_daily_if_due()
    assert first.args[0] is not None and first.args[0].report.path.parent == jobs.folder()
    with qtbot.waitSignal(backups.daily_finished, timeout=20_000) as second:
        backups.run_daily_if_due()
    assert second.args[0] is None  # today's verified backup exists
    [daily] = jobs.backups()
    assert daily.reason == DAILY and daily.verified
    backups.tasks.shutdown()


def test_a_failed_daily_backup_is_shown_without_blocking_and_tried_again_next_start(
    qtbot: QtBot, clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow], admin: Actor,
    jobs: BackupJobs, tmp_path: Path,
) -> None:  # fmt: skip
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    jobs.set_folder(admin, blocked)
    window = make_window(clinic)
    backups = _automatic(clinic, window, admin)
    with qtbot.waitSignal(backups.daily_failed, timeout=20_000):
        backups.run_daily_if_due()
    assert window.banner.isVisible() and window.banner.tone is Tone.WARNING
    assert window.banner.text.startswith("Today's automatic backup failed: The backup could not be written")
    assert "tries again at its next start" in window.banner.text
    [failed] = clinic.audit.query(AuditQuery(event=AuditEvent.BACKUP_CREATED))
    assert failed.outcome is Outcome.FAILURE
    backups.tasks.shutdown()
    jobs.set_folder(admin, tmp_path / "backups")  # the next start: it is due again, and now it works
    again = _automatic(clinic, window, admin)
    with qtbot.waitSignal(again.daily_finished, timeout=20_000) as retried:
        again.run_daily_if_due()
    assert retried.args[0] is not None
    again.tasks.shutdown()


def test_closing_backs_up_once_more_unless_a_restore_follows(
    clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow], admin: Actor, jobs: BackupJobs
) -> None:
    window = make_window(clinic)
    backups = _automatic(clinic, window, admin)
    outcome = backups.finish(admin)
    assert outcome is not None and outcome.report.path.name.startswith("calfdesk-exit-")
    assert manifest_path(outcome.report.path).exists()
    restart.request_restore(jobs.restore_request(outcome.report.path, admin, WORKSTATION))
    assert _automatic(clinic, window, admin).finish(admin) is None
    assert len(jobs.backups()) == 1


def test_a_read_only_database_is_not_backed_up_automatically(
    open_store: Callable[..., ClinicStore], clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]
) -> None:
    read_only = open_store(read_only=True)
    window = make_window(read_only)
    backups = _automatic(read_only, window, None)
    assert not backups.enabled
    backups.run_daily_if_due()
    assert backups.finish(None) is None
    assert BackupJobs(clinic, Auditor(clinic.audit, WORKSTATION)).backups() == []


# The damaged database's banner -----------------------------------------------------------------------------


def test_a_damaged_database_offers_an_administrator_the_restore(
    qtbot: QtBot, clinic: ClinicStore, db_url: str, today: Callable[[], date]
) -> None:
    clinic.close()
    path = Path(db_url.removeprefix("sqlite:///"))
    store = dbkit.open_store(db_url)
    store.patients.add_many(patient(f"Runner{n}", "Okafor", date(1990, 1, 1), address="x" * 300) for n in range(400))
    store.close()
    damage_patient_table(path, 8)
    for allowed in (True, False):
        damaged = dbkit.open_store(db_url, check_integrity=False)
        try:
            window = MainWindow(damaged, today=today, can=lambda _action, allowed=allowed: allowed)
            qtbot.addWidget(window)
            window.show()
            qtbot.waitUntil(lambda window=window: window.read_only_banner.isVisible())
            button = window.findChild(QPushButton, "restoreBackupButton")
            assert button is window.restore_backup_button
            assert button.isVisible() is allowed
            if allowed:
                with qtbot.waitSignal(window.restore_requested):
                    button.click()
            window.close()
        finally:
            damaged.close()


def test_a_damaged_database_is_not_backed_up_and_says_why(clinic: ClinicStore, db_url: str, admin: Actor) -> None:
    clinic.patients.add_many(patient(f"Runner{n}", "Okafor", date(1990, 1, 1), address="x" * 300) for n in range(400))
    damage_patient_table(Path(db_url.removeprefix("sqlite:///")), 8)
    jobs = BackupJobs(clinic, Auditor(clinic.audit, WORKSTATION))
    with pytest.raises(BackupFailed, match="integrity check, so no backup was taken"):
        jobs.back_up(DAILY, admin)
    assert [b for b in jobs.backups() if isinstance(b, BackupFile)] == []


# In the desktop session ------------------------------------------------------------------------------------


def test_the_session_backs_up_daily_offers_admin_backups_and_backs_up_on_closing(
    qtbot: QtBot, clinic: ClinicStore, accounts: Accounts, jobs: BackupJobs, today: Callable[[], date]
) -> None:
    from PySide6.QtCore import QObject

    from ui.desktop_session import DesktopSession

    login = accounts.create_owner("sam.okafor", "Sam Okafor", PASSWORD)
    window_factory = lambda records: MainWindow(records, can=records.can, today=today)  # noqa: E731
    desktop = DesktopSession(clinic, workstation=WORKSTATION, window_factory=window_factory)
    backups = AutomaticBackups.attach(desktop, clinic, WORKSTATION, delay_ms=0)
    try:
        with qtbot.waitSignal(backups.daily_finished, timeout=20_000):
            desktop.begin(login)
        window = desktop.window
        assert window is not None
        [daily] = jobs.backups()
        assert daily.reason == DAILY
        assert window.findChild(QObject, "backupsAction").isEnabled()
        window.close()
        desktop.tasks.shutdown()
        # What ui.app does once the loop has ended, before the store closes.
        found = desktop.findChild(QObject, "automaticBackups")
        assert found is backups
        outcome = found.finish(login.actor)
        assert outcome is not None and outcome.report.path.name.startswith("calfdesk-exit-")
    finally:
        if desktop.window is not None and desktop.window.isVisible():
            desktop.window.close()
        desktop.tasks.shutdown()
        backups.tasks.shutdown()
