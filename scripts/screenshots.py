"""Screenshots of the real app, logged in, on made-up patients, for the user guide and for review.

Run by ``make screenshots`` (``python -m scripts.screenshots`` under Xvfb; QT_QPA_PLATFORM=offscreen also
works). Each variant runs in a process of its own, because the scale factor must be set before Qt starts:
light, dark (a dark palette) and 200 % (QT_SCALE_FACTOR=2). PNGs go to docs/screenshots/.

Every window is the one a person gets after logging in (``DesktopSession.begin``), so the menus are the
real ones; the owner's set-up, the login, the lock screen, the users and the audit trail are shot too
(the letters by ``scripts.screenshots_letters``, the squads by ``scripts.screenshots_squads``).
Dialogs are shown with show()/open(), never exec(), so nothing here waits for a click.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget

import db
from db.keyring import Keyring, keyring_path
from ui.clock import local_today
from ui.desktop_session import DesktopSession, monotonic_clock
from ui.entry_flow import EntryFlow
from ui.main_window import MainWindow
from ui.patients.patient_editor import PatientEditorDialog
from ui.security.audit_viewer import AuditViewerDialog
from ui.security.login_dialog import LoginDialog
from ui.security.owner_setup_dialog import OwnerSetupDialog
from ui.security.recovery_dialog import RecoveryDialog
from ui.security.recovery_key_dialog import RecoveryKeyDialog
from ui.security.users_dialog import UsersDialog
from ui.unlock import Entry
from ui.window_state import open_settings
from workstation.audit.auditor import Auditor
from workstation.demo import generate_episodes, generate_patients
from workstation.ports import ClinicStore
from workstation.security.accounts import Role, user_key
from workstation.services.accounts import Accounts, Login

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
STRAVA_SAMPLE = OUTPUT.parents[1] / "tests" / "workstation" / "running" / "files" / "strava_activities.csv"
WINDOW_SIZE = (1280, 800)
PROGRESS_WINDOW_SIZE = (1440, 960)
PROGRESS_LIST_WIDTH = 380
USERS_SIZE = (860, 380)
AUDIT_SIZE = (1280, 640)
DEMO_PATIENTS = 2_000
DEMO_SEED = 7
VARIANTS = {"light": {}, "dark": {}, "200": {"QT_SCALE_FACTOR": "2"}}
WORKSTATION = "screenshots"
SHOT_KEY = bytes(range(32))  # the pictures' databases are encrypted like any; the key is made up
OWNER = ("sam.okafor", "Sam Okafor", "kettle orbit saffron lane")  # user name, full name, password
COLLEAGUES = (  # user name, full name, role, temporary password
    ("priya.shah", "Priya Shah", Role.CLINICIAN, "lantern meadow copper tide"),
    ("tom.reilly", "Tom Reilly", Role.RECEPTION, "harbour violet pencil drum"),
)
TOO_SHORT_PASSWORD = "kettle orbit"  # fewer than 15 characters: the set-up says so beside the field
CLINIC_OPENS = time_of_day(8, 30)  # the audit trail's times: today from then on, a few seconds per entry
CLOCK_STEP = timedelta(seconds=4)
XDG_FOLDERS = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")

W = TypeVar("W", bound=QWidget)


class _Clock:
    """The same times on every run (today's date aside, as for the demo patients): each reading is later."""

    def __init__(self) -> None:
        self._next = datetime.combine(local_today(), CLINIC_OPENS).astimezone(UTC)

    def __call__(self) -> datetime:
        now, self._next = self._next, self._next + CLOCK_STEP
        return now


CLOCK = _Clock()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variant", choices=sorted(VARIANTS), help="take one variant in this process")
    args = parser.parse_args()
    if args.variant:
        return _take_variant(args.variant)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for variant, env in VARIANTS.items():
        command = [sys.executable, "-m", "scripts.screenshots", "--variant", variant]
        result = subprocess.run(command, env={**os.environ, **env}, check=False)
        if result.returncode:
            print(f"screenshots: the {variant} variant failed", file=sys.stderr)
            return result.returncode
    print(f"screenshots written to {OUTPUT}")
    return 0


def _screenshot_app(folder: Path, *, dark: bool) -> QApplication:
    """The application every picture is taken in, with all its folders inside ``folder``."""
    # Never read or write the real user's folders: settings, data, logs and caches all go here.
    for key in XDG_FOLDERS:
        os.environ[key] = str(folder / key.lower())
    app = QApplication(sys.argv)
    app.setStyle("Fusion")  # the same look under Xvfb and offscreen, whatever the desktop
    app.styleHints().setCursorFlashTime(0)  # a steady text cursor: no picture catches it mid-blink
    app.setQuitOnLastWindowClosed(False)  # one window closes before the next opens: carry on
    if dark:
        app.setPalette(_dark_palette())
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return app


def run_alone(description: str, shoot: Callable[[Path, str], None]) -> int:
    """One picture module run by itself (``python -m scripts.screenshots_x --out DIR [--dark]``), for a
    quick look at its pictures without taking them all."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, required=True, help="the folder for the PNGs")
    parser.add_argument("--dark", action="store_true", help="with the dark palette")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    global OUTPUT
    OUTPUT = args.out
    with tempfile.TemporaryDirectory(prefix="calfdesk-shots-") as name:
        app = _screenshot_app(Path(name), dark=args.dark)
        suffix = ("-dark" if args.dark else "") + ("-200" if os.environ.get("QT_SCALE_FACTOR") == "2" else "")
        shoot(Path(name), suffix)
        app.quit()
    return 0


def _take_variant(variant: str) -> int:
    suffix = "" if variant == "light" else f"-{variant}"
    with tempfile.TemporaryDirectory(prefix="calfdesk-screens-") as name:
        folder = Path(name)
        app = _screenshot_app(folder, dark=variant == "dark")
        _shoot_owner_setup(folder, suffix)
        _shoot_first_run(folder, suffix)
        _shoot_clinic(folder, suffix)
        from scripts.screenshots_letters import shoot_letters  # the letters' pictures: their own module

        shoot_letters(folder, suffix)
        from scripts.screenshots_squads import shoot_squads  # the squads' pictures: their own module

        shoot_squads(folder, suffix)
        from scripts.screenshots_about import shoot_about  # Help > About: its own module

        shoot_about(folder, suffix)
        _shoot_login(folder / "clinic.sqlite3", suffix)
        _shoot_read_only(folder / "clinic.sqlite3", suffix)
        app.quit()
    return 0


# The pictures --------------------------------------------------------------------------------------


def _entry_flow(path: Path) -> EntryFlow:
    """The first dialog exactly as the app shows it (the database is opened by what it calls)."""
    flow = EntryFlow(Entry(f"sqlite:///{path}", workstation=WORKSTATION, now=CLOCK))
    flow.start()
    return flow


def _flow_dialog(flow: EntryFlow, kind: type[W]) -> W:
    dialog = flow.dialog
    assert isinstance(dialog, kind), dialog
    _activate(dialog)
    return dialog


def _shoot_owner_setup(folder: Path, suffix: str) -> None:
    """A new database: the owner's set-up, with a password too short to be accepted."""
    flow = _entry_flow(folder / "new.sqlite3")
    desktop = flow  # what is shut down at the end: the flow's own task runner
    dialog = _flow_dialog(flow, OwnerSetupDialog)
    user_name, display_name, _password = OWNER
    for key, text in (("user_name", user_name), ("display_name", display_name), ("password", TOO_SHORT_PASSWORD)):
        _type_into(dialog.fields.fields[key], text)
    dialog.fields.fields["repeat"].setFocus()  # leaving the password shows what is wrong with it
    _wait_until(lambda: dialog.fields.messages["password"].is_problem)
    _save(dialog, f"owner-setup{suffix}")
    _dismiss(dialog)
    desktop.tasks.shutdown()
    _shoot_recovery_key(suffix)


def _shoot_first_run(folder: Path, suffix: str) -> None:
    store = db.open_database(f"sqlite:///{folder / 'empty.sqlite3'}", key=SHOT_KEY)
    desktop, window = _log_in_owner(store)
    _wait_until(lambda: window.first_run.isVisible())
    _save(window, f"first-run{suffix}")
    _close(desktop)
    store.close()


def _shoot_clinic(folder: Path, suffix: str) -> None:
    path = folder / "clinic.sqlite3"
    store = db.open_database(f"sqlite:///{path}", key=SHOT_KEY)
    _fill(store)
    desktop, window = _log_in_owner(store)
    keyring = Keyring(keyring_path(path))  # as the owner's set-up makes it, so the login can open it
    keyring.set_user(user_key(OWNER[0]), OWNER[2], SHOT_KEY)
    keyring.save()
    _wait_until(lambda: window.directory.ready)
    first_id = window.patient_list.selected_patient_id()
    assert first_id is not None
    _open_patient(window, first_id)
    _save(window, f"main-window{suffix}")
    _type_search(window, "ng")
    _save(window, f"search-ng{suffix}")
    _open_patient_with_episodes(window, store)
    _save(window, f"patient-view{suffix}")
    _shoot_editor(window, suffix)
    _shoot_assessment(window, suffix)
    _shoot_progress(window, store, suffix)
    _shoot_locked(desktop, window, suffix)
    _shoot_users(desktop, window, suffix)
    _shoot_audit(desktop, window, store, suffix)
    _close(desktop)
    store.close()


def _shoot_locked(desktop: DesktopSession, window: MainWindow, suffix: str) -> None:
    """Locked by hand with a record open: only who is logged in shows, no patient."""
    assert window.patient_view.patient is not None
    _activate(window)  # back from the editor
    desktop.lock(idle=False)
    _wait_until(lambda: desktop.lock_screen is not None and desktop.lock_screen.isVisible())
    _save(window, f"locked{suffix}")
    screen = desktop.lock_screen
    assert screen is not None
    _type_into(screen.password_field, OWNER[2])
    screen.unlock_button.click()
    _wait_until(lambda: not desktop.locked)


def _shoot_users(desktop: DesktopSession, window: MainWindow, suffix: str) -> None:
    """Admin › Users… with the owner, a clinician and a receptionist (who have not logged in yet)."""
    assert desktop.login is not None
    admin = desktop.login.actor
    added = [desktop.accounts.create_user(admin, *colleague) for colleague in COLLEAGUES]
    _trigger_menu(window, "Admin", "Users…")
    dialog = _wait_for_child(window, UsersDialog)
    # The Add button is enabled again once the list has come back from the database thread.
    _wait_until(lambda: dialog.add_button.isEnabled() and dialog.model.rowCount() == 1 + len(COLLEAGUES))
    dialog.resize(*USERS_SIZE)
    clinician_id = added[0].id
    assert clinician_id is not None
    dialog.select_user(clinician_id)  # what an administrator looks at before resetting a password
    _save(dialog, f"users{suffix}")
    dialog.done(QDialog.DialogCode.Rejected)


def _shoot_audit(desktop: DesktopSession, window: MainWindow, store: ClinicStore, suffix: str) -> None:
    """Admin › Audit trail… after a few more records were looked at."""
    for summary in store.patients.first_page(4)[1:]:
        assert summary.id is not None
        _open_patient(window, summary.id)
    desktop.show_audit(None)
    dialog = _wait_for_child(window, AuditViewerDialog)
    _wait_until(lambda: not dialog.busy and dialog.model.rowCount() > 0)
    dialog.resize(*AUDIT_SIZE)
    _save(dialog, f"audit-viewer{suffix}")
    dialog.done(QDialog.DialogCode.Rejected)


def _shoot_login(path: Path, suffix: str) -> None:
    """A database with accounts: the login, the user name typed, the password next; then the way in
    with the recovery key."""
    flow = _entry_flow(path)
    dialog = _flow_dialog(flow, LoginDialog)
    _type_into(dialog.user_name_field, OWNER[0])
    dialog.password_field.setFocus()
    _save(dialog, f"login{suffix}")
    recovery = RecoveryDialog(lambda _key, _password: None, dialog, tasks=flow.tasks)
    recovery.show()
    _activate(recovery)
    _type_into(recovery.recovery_field, "ckkc apvc xttm lv4s")
    _save(recovery, f"recovery{suffix}")
    recovery.done(QDialog.DialogCode.Rejected)
    _dismiss(dialog)
    flow.tasks.shutdown()


def _shoot_recovery_key(suffix: str) -> None:
    """Shown once after the owner's set-up: the key to print or write down (a made-up one here)."""
    dialog = RecoveryKeyDialog("CKKC-APVC-XTTM-LV4S-IGII-TWFB-ELTN-ULGQ")
    dialog.show()
    _activate(dialog)
    _save(dialog, f"recovery-key{suffix}")
    dialog.confirm_box.setChecked(True)
    dialog.done(QDialog.DialogCode.Accepted)


def _shoot_read_only(path: Path, suffix: str) -> None:
    """The banner's notice colours, which must read well in light and dark."""
    store = db.open_database(f"sqlite:///{path}", read_only=True, key=SHOT_KEY)
    login = Accounts(store.users, Auditor(store.audit, WORKSTATION, CLOCK)).log_in(OWNER[0], OWNER[2])
    desktop, window = _open_window(store, login)
    _wait_until(lambda: window.directory.ready)
    window.banner.show_message("The database is in use by another program. Nothing was lost.")
    _save(window, f"read-only{suffix}")
    _close(desktop)
    store.close()


def _shoot_editor(window: MainWindow, suffix: str) -> None:
    window.new_patient_action.trigger()
    editor = _wait_for_child(window, PatientEditorDialog)
    typed = {"family_name": "Nguyễn", "given_name": "Thị Lan", "date_of_birth": "02/04/1990"}
    typed |= {"nhs_number": "943 476 5918", "email": "lan.nguyen@example"}
    for key, text in typed.items():
        field = editor.form.fields[key]
        assert isinstance(field, QLineEdit)
        field.insert(text)
    editor.save()  # refused: the problems appear beside their fields, nothing is written
    _wait_until(lambda: editor.form.messages["nhs_number"].isVisible())
    _save(editor, f"editor-validation{suffix}")
    editor.done(QDialog.DialogCode.Rejected)  # close without the "discard changes?" question
    _wait_until(lambda: window.findChild(PatientEditorDialog) is None)


def _shoot_assessment(window: MainWindow, suffix: str) -> None:
    """The wizard on the patient's first episode, every page filled in as after a real assessment; then a
    suspected DVT, and the patient view once the wizard is cancelled with that flag standing."""
    from benchmarks.wizard_probe import sample_document
    from ui.assessment.wizard import AssessmentWizard

    _activate(window)
    window.patient_view.episode_table.selectRow(0)
    window.patient_view.assess_button.click()
    wizard = _wait_for_child(window, AssessmentWizard)
    state = wizard.state
    sample = sample_document()
    state.edit("symptomatic_side", "left")
    for section, values in sample.items():
        if isinstance(values, dict) and section != "patient":
            for key, value in values.items():
                state.edit(f"{section}.{key}", value)
    state.edit_detail("body_chart.regions", ["left-mid"])
    state.edit_detail("impression.condition", "overload")
    state.edit_detail("heel_raise.cadence_bpm", 60)
    wizard.currentPage().initializePage()  # the first page was read before the answers above were given
    for page in range(len(wizard.pageIds())):
        name = wizard.currentPage().objectName().removesuffix("Page")
        _save(wizard, f"wizard-{name}{suffix}")
        if page < len(wizard.pageIds()) - 1:
            wizard.next()
    while wizard.currentPage().objectName() != "redFlagPage":
        wizard.back()
    state.edit("red_flags.dvt_suspected", True)
    wizard.currentPage().initializePage()
    _save(wizard, f"wizard-red-flag-urgent{suffix}")
    wizard.reject()  # cancelling keeps the draft, and the raised flag stays on the patient
    _wait_until(lambda: window.patient_view.findChild(QWidget, "patientRedFlags") is not None)
    _save(window, f"patient-red-flag{suffix}")


def _shoot_progress(window: MainWindow, store: ClinicStore, suffix: str) -> None:
    """A runner five months into a calf problem: the demo's course of assessments and its running log, drawn
    in the Progress tab; the log itself, a Strava file in the import preview, and one assessment opened."""
    from ui.assessment.assessment_view_dialog import AssessmentViewDialog
    from ui.running.run_import_dialog import RunImportDialog
    from workstation.demo import add_demo_runs
    from workstation.demo_assessments import DemoEpisode, generate_assessment_courses
    from workstation.records import Episode, Side

    session = window._store  # the logged-in session: the course is finalised as the owner, as in the app
    today = local_today()
    flagged = window.patient_view.patient  # the suspected DVT of the wizard's pictures: someone else here
    patient = next(p for p in store.patients.first_page(10) if flagged is None or p.id != flagged.id)
    patient = store.patients.get(patient.id)
    assert patient.id is not None
    episode = store.episodes.add(Episode(patient.id, "Left calf strain", Side.LEFT, today - timedelta(weeks=22)))
    assert episode.id is not None
    demo = DemoEpisode(patient.id, episode.id, patient.date_of_birth, "female", "left", episode.complaint,
                       episode.onset_date, None)  # fmt: skip
    course = next(generate_assessment_courses([demo], DEMO_SEED, today))
    for assessment in course:
        session.assessments.finalise(assessment.draft, today=today, country=None, at=assessment.at)  # type: ignore[attr-defined]
    running_log = session.running_log  # type: ignore[attr-defined]
    add_demo_runs(lambda runs: running_log.import_runs(patient.id, runs, today=today), course, DEMO_SEED, today)
    window.patient_list.select_patient(patient.id)
    _open_patient(window, patient.id)
    window.resize(*PROGRESS_WINDOW_SIZE)  # a chart wants width: the list narrowed, as a physio would drag it
    window.splitter.setSizes([PROGRESS_LIST_WIDTH, PROGRESS_WINDOW_SIZE[0] - PROGRESS_LIST_WIDTH])
    _activate(window)
    view = window.patient_view
    view.tabs.setCurrentIndex(1)
    progress = window.progress
    _wait_until(lambda: getattr(progress.drawn_series, "patient_id", None) == patient.id)
    _save(window, f"progress{suffix}")
    progress_tab = window.progress.progress_tab
    assert progress_tab is not None
    progress_tab.export_png(OUTPUT / f"progress-charts{suffix}.png")  # every chart, as Export charts as PNG… writes
    view.tabs.setCurrentIndex(2)
    log = window.progress.running_log
    assert log is not None
    _wait_until(lambda: log.model.rowCount() > 0)
    _save(window, f"running-log{suffix}")
    log.import_button.click()
    dialog = _wait_for_child(window, RunImportDialog)
    dialog.resize(1100, 640)
    dialog.load_file(STRAVA_SAMPLE)
    _pause(300)
    _save(dialog, f"run-import{suffix}")
    dialog.reject()
    view.tabs.setCurrentIndex(1)
    tab = window.progress.progress_tab
    series = window.progress.drawn_series
    assert tab is not None and series is not None
    latest = series.chart("heel_raise").series[0].points[-1].assessment_id
    assert latest is not None
    tab.assessment_requested.emit(latest)  # a click on the latest point
    viewer = _wait_for_child(window, AssessmentViewDialog)
    viewer.resize(760, 900)
    _save(viewer, f"assessment-view{suffix}")
    viewer.close()
    view.tabs.setCurrentIndex(0)
    window.resize(*WINDOW_SIZE)


# Sessions ------------------------------------------------------------------------------------------


def _log_in_owner(store: ClinicStore) -> tuple[DesktopSession, MainWindow]:
    """The practice owner's account on ``store``, and their window as after their first login."""
    login = Accounts(store.users, Auditor(store.audit, WORKSTATION, CLOCK)).create_owner(*OWNER)
    return _open_window(store, login)


def _open_window(store: ClinicStore, login: Login) -> tuple[DesktopSession, MainWindow]:
    settings = open_settings()  # each window starts from the default layout, whatever the last one left
    settings.clear()
    settings.sync()
    desktop = _desktop(store)
    desktop.begin(login)
    window = desktop.window
    assert window is not None
    window.resize(*WINDOW_SIZE)
    _activate(window)
    return desktop, window


def _desktop(store: ClinicStore) -> DesktopSession:
    # The idle lock keeps a real clock: it reads the time every second, and the made-up one would race ahead.
    return DesktopSession(store, workstation=WORKSTATION, now=CLOCK, idle_clock=monotonic_clock)


def _close(desktop: DesktopSession) -> None:
    if desktop.window is not None:
        desktop.window.close()
    desktop.tasks.shutdown()


def _dismiss(dialog: QDialog) -> None:
    """Put an entry dialog away without its Cancel, which would quit the app (nobody is logged in)."""
    dialog.hide()
    dialog.deleteLater()
    _pause(50)


def _fill(store: ClinicStore) -> None:
    today = local_today()
    store.patients.add_many(generate_patients(DEMO_PATIENTS, DEMO_SEED, today))
    people = [(s.id, s.date_of_birth) for s in store.patients.summaries()]
    store.episodes.add_many(generate_episodes(people, DEMO_SEED, today))


def _open_patient(window: MainWindow, patient_id: int) -> None:
    window.open_patient(patient_id)
    _wait_until(lambda: getattr(window.patient_view.patient, "id", None) == patient_id)


def _open_patient_with_episodes(window: MainWindow, store: ClinicStore) -> None:
    """Nguyễn Thị Minh, or whoever in the demo has the most episodes of care."""
    for summary in store.patients.first_page(DEMO_PATIENTS):
        if len(store.episodes.for_patient(summary.id)) >= 2:
            break
    window.patient_list.clear_search()
    window.patient_list.select_patient(summary.id)
    _open_patient(window, summary.id)


def _trigger_menu(window: MainWindow, menu_title: str, action_text: str) -> None:
    """Choose ``menu_title`` › ``action_text`` as a click on the menu would (the "&" shortcuts aside)."""
    for menu_action in window.menuBar().actions():
        if menu_action.text().replace("&", "") == menu_title and menu_action.menu() is not None:
            for action in menu_action.menu().actions():
                if action.text().replace("&", "") == action_text:
                    action.trigger()
                    return
    raise LookupError(f"no menu item {menu_title} › {action_text}")


# Waiting and saving --------------------------------------------------------------------------------


def _type_into(field: QLineEdit, text: str) -> None:
    field.setFocus()
    QTest.keyClicks(field, text)


def _type_search(window: MainWindow, text: str) -> None:
    _type_into(window.patient_list.search, text)
    _wait_until(lambda: not window.patient_list.query_pending)


def _wait_for_child(window: MainWindow, kind: type[W]) -> W:
    found: list[W] = []

    def visible() -> bool:
        found[:] = [w for w in window.findChildren(kind) if w.isVisible()]
        return bool(found)

    _wait_until(visible)
    _activate(found[0])
    return found[0]


def _activate(widget: QWidget) -> None:
    """Make ``widget``'s window the active one, as a click would: focus frames and focus-out checks need it."""
    _wait_until(widget.isVisible)
    widget.raise_()
    widget.activateWindow()
    _wait_until(widget.isActiveWindow, timeout_s=10.0)


def _wait_until(condition: Callable[[], bool], timeout_s: float = 120.0) -> None:
    """Run the event loop until ``condition`` holds (generous: a busy computer loads the list slowly)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        _pause(20)
    _pause(100)  # let the last change paint


def _pause(ms: int) -> None:
    """Run the event loop for ``ms``, as app.exec() would.

    Not QTest.qWait: PySide holds the GIL for all of it, which starves the window's database and
    search threads (pure Python) so that loading 2,000 patients could take half a minute.
    """
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _save(widget: QWidget, name: str) -> None:
    _pause(100)  # a resize or a focus change just before: let it lay out and paint
    path = OUTPUT / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


def _dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#35373b",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9a9da3",
        QPalette.ColorRole.ToolTipBase: "#35373b",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Link: "#8ab4f8",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7d8086"))
    return palette


if __name__ == "__main__":
    sys.exit(main())
