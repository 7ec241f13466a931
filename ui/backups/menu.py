"""Admin › Backups… in the window of someone who may manage backups, and the damaged database's
"Restore a backup…" button, both opening the same dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ui.backups import restart
from ui.backups.backups_dialog import BackupsDialog
from ui.backups.jobs import BackupJobs, RestoreRequest
from ui.tasks import TaskRunner
from ui.theme import Tone
from workstation.audit.auditor import Auditor
from workstation.ports import ClinicStore
from workstation.security.accounts import Actor

RESTORE_CANCELLED = "The restore was not started: close the open editors (saving or discarding), then restore again."


def add_backups_action(
    menu: QMenu, window: Any, store: ClinicStore, auditor: Auditor, accounts: Any, actor: Actor, tasks: TaskRunner
) -> QAction:
    """``accounts`` re-authenticates the person before a change; ``window`` is their MainWindow."""
    jobs = BackupJobs(store, auditor)

    def open_dialog() -> BackupsDialog:
        dialog = BackupsDialog(
            jobs, actor, lambda password: accounts.reauthenticate(actor, password),
            lambda request: restore_after_closing(window, request), window,
            workstation=auditor.workstation, tasks=tasks,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    action = QAction("&Backups…", window)
    action.setObjectName("backupsAction")
    action.setEnabled(jobs.available)  # a PostgreSQL server is backed up with its own tools
    action.triggered.connect(open_dialog)
    window.addAction(action)
    menu.addAction(action)
    window.restore_requested.connect(open_dialog)
    return action


def restore_after_closing(window: Any, request: RestoreRequest) -> None:
    """Close the window (its editors may still say no); the app restores once the store is closed."""
    restart.request_restore(request)
    if not window.close():
        restart.cancel_restore()
        window.banner.show_message(RESTORE_CANCELLED, Tone.WARNING)
