"""A ``workstation.long_work.Progress`` for work on the database thread, watched from the window.

The work calls ``report`` on its own thread; the signal carries it to the GUI thread (a queued
connection, as the receiver lives there). ``cancel`` is called on the GUI thread (the Cancel button) and
read by the work between steps: a ``threading.Event`` makes that safe without a lock.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal


class WorkProgress(QObject):
    reported = Signal(int, int, str)  # done, total, status (no patient names: the core's contract)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()

    def report(self, done: int, total: int, status: str) -> None:
        self.reported.emit(done, total, status)

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()
