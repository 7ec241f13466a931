"""The desktop composition root: the application, the crash handler, the database, and the session.

``run_desktop(..., startup_check=True)`` is the start-up benchmark and smoke test: it measures from
process start until the patient list has painted its first rows (or the first-run screen is shown),
prints ``startup_ms=<int>``, and closes. With ``user`` it first logs that person in (the password from
``$CALFDESK_PASSWORD``), prints ``login_ms=<int>`` for that, and leaves it out of ``startup_ms``;
without, it ends when the login (or the owner's set-up) has painted.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

import resources
import workstation
from ui import cli
from ui.crash import EXIT_CODE_BUG, CrashReporter
from ui.widgets.first_paint import FirstPaintProbe
from ui.window_state import APPLICATION, ORGANISATION
from workstation.errors import CalfDeskError
from workstation.ports import ClinicStore

if TYPE_CHECKING:
    from ui.desktop_session import DesktopSession
    from ui.unlock import Entry, Opened

STARTUP_CHECK_TIMEOUT_MS = 60_000  # a check that never paints must fail, not hang CI
EXIT_OK = 0
EXIT_BUG = EXIT_CODE_BUG
EXIT_CANNOT_OPEN = 2
EXIT_AUTHENTICATION_FAILED = 3

_log = logging.getLogger(__name__)


def run_desktop(database: str | None, *, startup_check: bool = False, user: str | None = None) -> int:
    """Run the desktop app on ``database`` (None: the default SQLite file); return the exit code."""
    origin = _startup_origin(time.perf_counter())
    app = _application()
    log_dir = Path(platformdirs.user_log_dir(APPLICATION, ORGANISATION))
    reporter = CrashReporter(log_dir, interactive=not startup_check)
    reporter.install()
    try:
        while True:
            code = _run(app, reporter, database, origin if startup_check else None, user)
            if startup_check or not _restored_after_exit():
                return code
    finally:
        reporter.uninstall()


def _restored_after_exit() -> bool:
    """A restore confirmed in Admin › Backups is carried out once every store is closed; True: start again."""
    from ui.backups.restart import restore_after_exit

    return restore_after_exit()


def _run(
    app: QApplication, reporter: CrashReporter, database: str | None, startup_origin: float | None, user: str | None
) -> int:
    from ui.unlock import Entry

    stores: list[ClinicStore] = []
    try:
        entry = Entry(database, workstation=cli.workstation_name())
        if startup_origin is not None and user is not None:
            return _run_logged_in_check(app, entry, user, startup_origin, stores)
        return _run_with_entry_dialog(app, entry, startup_origin, stores)
    except CalfDeskError as error:
        _log.info("database not opened: %s", type(error).__name__)
        if startup_origin is not None:
            sys.stderr.write(f"{error}\n")
        else:
            QMessageBox.critical(None, "CalfDesk cannot open the database", str(error))
        return EXIT_CANNOT_OPEN
    except Exception as error:  # noqa: BLE001 - a bug while opening: reported like any other bug
        text = reporter.report(error)
        if startup_origin is not None:
            sys.stderr.write(f"{text}\n")
        else:
            app.exec()  # until the user closes the crash dialog, the only window
        return EXIT_BUG
    finally:
        for store in stores:
            store.close()


def _run_with_entry_dialog(
    app: QApplication, entry: Entry, startup_origin: float | None, stores: list[ClinicStore]
) -> int:
    """The owner's set-up or the login first (they open the database), then the session."""
    from ui.entry_flow import EntryFlow

    flow = EntryFlow(entry)
    desktops: list[DesktopSession] = []
    if startup_origin is not None:
        QTimer.singleShot(STARTUP_CHECK_TIMEOUT_MS, _abandon_startup_check)
        watch = _FirstPaintWatch(startup_origin)
        flow.dialog_shown.connect(lambda dialog: _probe(dialog, watch))

    def on_opened(opened: Opened) -> None:
        stores.append(opened.store)
        desktops.append(_begin_session(opened))

    flow.opened.connect(on_opened)
    flow.abandoned.connect(QApplication.quit)
    flow.start()
    try:
        return app.exec()
    finally:
        flow.tasks.shutdown()
        for desktop in desktops:
            _close_session(desktop)


def _run_logged_in_check(
    app: QApplication, entry: Entry, user: str, startup_origin: float, stores: list[ClinicStore]
) -> int:
    """The start-up check with ``user`` logged in as the command line does (a new database gets them as
    its owner); the password check is measured apart (``login_ms``), not as start-up."""
    started = time.perf_counter()
    try:
        opened = cli.log_in(entry.vault.url, user, create_owner=True)
    except CalfDeskError as error:
        sys.stderr.write(f"calfdesk: {error}\n")
        return EXIT_AUTHENTICATION_FAILED
    seconds = time.perf_counter() - started
    stores.append(opened.store)
    sys.stdout.write(f"login_ms={round(seconds * 1000)}\n")
    QTimer.singleShot(STARTUP_CHECK_TIMEOUT_MS, _abandon_startup_check)
    watch = _FirstPaintWatch(startup_origin + seconds)
    desktop = _begin_session(opened, on_window=lambda window: window.first_content_painted.connect(watch))
    try:
        return app.exec()
    finally:
        _close_session(desktop)


def _begin_session(opened: Opened, on_window: Callable[[Any], None] | None = None) -> DesktopSession:
    from ui.desktop_session import DesktopSession

    desktop = DesktopSession(opened.store, workstation=cli.workstation_name())
    _log.info("CalfDesk %s started (read_only=%s)", workstation.__version__, opened.store.read_only)
    if on_window is not None:
        desktop.window_opened.connect(on_window)
    else:  # a real session (the start-up check measures the start alone): the daily backup
        from ui.backups.automatic import AutomaticBackups

        AutomaticBackups.attach(desktop, opened.store, cli.workstation_name())
    desktop.begin(opened.login)
    if opened.recovery_key is not None:
        _show_recovery_key(desktop, opened)
    return desktop


def _show_recovery_key(desktop: DesktopSession, opened: Opened) -> None:
    """Shown once, over the new window: the owner must see the key before going on."""
    from ui.security.recovery_key_dialog import RecoveryKeyDialog

    assert opened.recovery_key is not None
    context = "encrypted" if opened.conversion is not None else "set-up"
    dialog = RecoveryKeyDialog(opened.recovery_key, desktop.window, context=context)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if opened.accounts_without_key:
        names = ", ".join(opened.accounts_without_key)
        dialog.finished.connect(
            lambda _result: QMessageBox.information(
                desktop.window, "Accounts that need a new password",
                "The database is now encrypted. These accounts cannot open it until you set them a "
                f"temporary password (Admin › Users › Reset password): {names}.",
            )
        )  # fmt: skip
    dialog.open()


def _close_session(desktop: DesktopSession) -> None:
    # A check ends the loop with the window still open. Closing it only now, outside the loop, stops
    # its background work before the store closes, and posts no stray Quit event for a later loop.
    if desktop.window is not None and desktop.window.isVisible():
        desktop.window.close()
    if desktop.entry_dialog is not None:
        desktop.entry_dialog.done(0)
    desktop.tasks.shutdown()
    backups = desktop.findChild(QObject, "automaticBackups")  # the backup on closing, before the store closes
    if backups is not None:
        backups.finish(desktop.login.actor if desktop.login is not None else None)


def _startup_origin(entered: float) -> float:
    """Process start on the perf_counter clock: CALFDESK_T0 (a time.time() set by the entry point) if given."""
    try:
        started_wall = float(os.environ["CALFDESK_T0"])
    except (KeyError, ValueError):
        return entered
    return time.perf_counter() - max(0.0, time.time() - started_wall)


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(workstation.__version__)
    app.setDesktopFileName("calfdesk")  # packaging/calfdesk.desktop: the window belongs to the menu entry
    app.setWindowIcon(QIcon(str(resources.path("calfdesk.svg"))))
    return app


class _FirstPaintWatch:
    """The start-up check's stopwatch: prints ``startup_ms`` once, at the first content painted."""

    def __init__(self, origin: float) -> None:
        self.origin = origin

    def __call__(self) -> None:
        _finish_startup_check(self.origin)


def _probe(dialog: QWidget, watch: _FirstPaintWatch) -> None:
    probe = FirstPaintProbe([(dialog, lambda: True)], dialog)
    probe.painted.connect(watch)


def _finish_startup_check(origin: float) -> None:
    sys.stdout.write(f"startup_ms={round((time.perf_counter() - origin) * 1000)}\n")
    sys.stdout.flush()
    QApplication.exit(EXIT_OK)


def _abandon_startup_check() -> None:
    sys.stderr.write(f"startup check: nothing painted within {STARTUP_CHECK_TIMEOUT_MS} ms\n")
    QApplication.exit(EXIT_BUG)
