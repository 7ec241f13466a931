"""The restore an administrator confirmed, carried out once the window has closed and the database's
store is closed (a file cannot be swapped under an open connection), then CalfDesk starts again.

The request is handed from the dialog to ``ui.app`` here, in this process: it is never written to disk,
so a crash before the swap simply leaves the database as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox

from ui.backups.jobs import RestoreRequest, carry_out_restore, open_restored
from ui.backups.wording import format_moment
from workstation.errors import CalfDeskError

_log = logging.getLogger(__name__)
_pending: list[RestoreRequest] = []

Tell = Callable[[str, str, bool], None]  # (title, text, is_error)


def request_restore(request: RestoreRequest) -> None:
    """Carry out ``request`` after the window closes (the latest request wins)."""
    _pending[:] = [request]


def cancel_restore() -> None:
    _pending.clear()


def pending_restore() -> RestoreRequest | None:
    return _pending[0] if _pending else None


def restore_after_exit(tell: Tell | None = None) -> bool:
    """Carry out the pending restore, if any, and say how it went. True: CalfDesk starts again (on the
    restored database, or on the one still in place when the restore failed)."""
    request = pending_restore()
    if request is None:
        return False
    cancel_restore()
    say = tell or _message_box
    try:
        report = carry_out_restore(request, open_restored)
    except CalfDeskError as error:
        _log.warning("restore failed: %s", type(error).__name__)
        say("The backup was not restored", f"{error}\n\nCalfDesk starts again on the database as it was.", True)
        return True
    summary = report.summary
    when = format_moment(summary.taken_at) if summary.taken_at else summary.path.name
    kept = report.safety_copy or report.set_aside
    say(
        "Backup restored",
        f"The backup of {when} ({summary.patients:,} patients) is now the database."
        + (f" The database as it was is kept in {kept}." if kept else "")
        + "\n\nCalfDesk starts again now: please log in.",
        False,
    )
    return True


def _message_box(title: str, text: str, is_error: bool) -> None:
    if is_error:
        QMessageBox.critical(None, title, text)
    else:
        QMessageBox.information(None, title, text)
