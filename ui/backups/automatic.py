"""Automatic backups of the desktop app (RELIABILITY.md C2, C4): once a day, and each time it closes.

The daily one is taken at the first start of the day (when the folder has no verified backup from today),
a few seconds after the window has painted, on a thread of its own: the window never waits for it. The
one on closing is taken after the window has closed and before the store closes, and says nothing unless
it fails. Both are rotated afterwards. A failure is shown without blocking (the window's banner, or a
message on closing) and logged; the next start tries again, since today still has no verified backup.

Only a writable SQLite database is backed up here: a read-only one (a damaged file, read-only media)
cannot have changed, and a PostgreSQL server is backed up with its own tools.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.backups import restart
from ui.backups.jobs import DAILY, EXIT, BackupJobs, BackupOutcome, today
from ui.tasks import TaskRunner
from ui.theme import Tone
from workstation.audit.auditor import Auditor
from workstation.errors import CalfDeskError
from workstation.ports import ClinicStore
from workstation.security.accounts import Actor

DAILY_DELAY_MS = 3_000  # after the first paint: the search index and the first look at a record come first
_log = logging.getLogger(__name__)


class AutomaticBackups(QObject):
    daily_finished = Signal(object)  # the BackupOutcome, or None when today's backup already existed
    daily_failed = Signal(str)

    def __init__(
        self,
        store: ClinicStore,
        workstation: str,
        parent: QObject | None = None,
        *,
        delay_ms: int = DAILY_DELAY_MS,
        local_today: Callable[[], date] = today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("automaticBackups")
        self._store = store
        self.jobs = BackupJobs(store, Auditor(store.audit, workstation))
        self.tasks = TaskRunner(self)  # its own thread: a backup never queues the window's reads behind it
        self._delay_ms = delay_ms
        self._today = local_today
        self._window: Any = None
        self._actor: Actor | None = None
        self._running = False
        self._finished = False
        # Owned here, so finish() can stop it: a window closed within the delay must not back up after.
        self._daily_timer = QTimer(self)
        self._daily_timer.setSingleShot(True)
        self._daily_timer.setInterval(delay_ms)
        self._daily_timer.timeout.connect(self.run_daily_if_due)

    @classmethod
    def attach(cls, desktop: Any, store: ClinicStore, workstation: str, *, delay_ms: int = DAILY_DELAY_MS) -> Any:
        """Back up the database of ``desktop`` (a DesktopSession) daily once its window opens."""
        backups = cls(store, workstation, desktop, delay_ms=delay_ms)
        desktop.window_opened.connect(lambda window: backups.watch(window, _actor_of(desktop)))
        return backups

    @property
    def enabled(self) -> bool:
        return self.jobs.available and not self._store.read_only

    def watch(self, window: Any, actor: Actor | None) -> None:
        """Take the daily backup, if due, a moment after ``window`` has painted its first content."""
        self._window, self._actor = window, actor
        if self.enabled:
            window.first_content_painted.connect(self._daily_timer.start)

    def run_daily_if_due(self) -> None:
        if self._finished or self._running or not self.enabled or restart.pending_restore() is not None:
            return
        self._running = True
        jobs, actor, day = self.jobs, self._actor, self._today()
        self.tasks.submit(
            lambda: None if jobs.has_verified_backup_on(day) else jobs.back_up(DAILY, actor),
            done=self._on_daily_done,
            failed=self._on_daily_failed,
            context=self,
        )

    def _on_daily_done(self, outcome: BackupOutcome | None) -> None:
        self._running = False
        if outcome is not None:
            _log.info("daily backup verified (%d bytes, %d rotated out)", outcome.report.bytes, len(outcome.pruned))
        self.daily_finished.emit(outcome)

    def _on_daily_failed(self, error: CalfDeskError) -> None:
        self._running = False
        _log.warning("daily backup failed: %s", type(error).__name__)
        text = f"Today's automatic backup failed: {error} CalfDesk tries again at its next start."
        window = self._window
        banner = getattr(window, "banner", None) if window is not None and shiboken6.isValid(window) else None
        if banner is not None:
            banner.show_message(text, Tone.WARNING)
        self.daily_failed.emit(text)

    def finish(self, actor: Actor | None, parent: QWidget | None = None) -> BackupOutcome | None:
        """On closing: wait for a daily backup under way, then back up once more (not before a restore,
        which keeps its own copy of the database it replaces). A failure is logged and shown."""
        self._finished = True
        self._daily_timer.stop()
        self.tasks.shutdown()
        if self._window is None or not self.enabled or restart.pending_restore() is not None:
            return None
        try:
            return self.jobs.back_up(EXIT, actor or self._actor)
        except CalfDeskError as error:
            _log.warning("backup on closing failed: %s", type(error).__name__)
            QMessageBox.warning(parent, "The backup on closing failed", f"{error}\n\nCalfDesk tries again next time.")
            return None


def _actor_of(desktop: Any) -> Actor | None:
    login = getattr(desktop, "login", None)
    return login.actor if login is not None else None
