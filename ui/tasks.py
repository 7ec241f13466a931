"""Run work off the GUI thread and hand its result back on the GUI thread.

Two lanes of one thread each. DATABASE serialises every call into the store: a session is never shared
between threads, and SQLite wants one writer at a time. COMPUTE takes CPU work such as building the
search index, so that opening a patient is never queued behind it. Results come back through a queued
signal, so callbacks run on the GUI thread and may touch widgets; the window never waits and nothing
calls ``processEvents``.

Closing drops the work still queued (reads nobody will look at), except work submitted with
``must_finish``: what the person typed and the window stores as it closes, which runs before the store
is closed.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from workstation.errors import CalfDeskError

SHUTDOWN_WAIT_MS = 10_000  # a save in flight is allowed to finish before the store is closed
THREAD_NAME_PREFIX = "calfdesk-"  # Qt names a pool's threads after the pool; Linux keeps 15 characters

_log = logging.getLogger(__name__)


class Lane(Enum):
    DATABASE = "db"
    COMPUTE = "cpu"


class _TaskSignals(QObject):
    # task id, result, error (exactly one of result/error is meaningful)
    finished = Signal(int, object, object)


class _Stop:
    """How far shutting down has gone, read by the worker threads before each task starts."""

    def __init__(self) -> None:
        self.queued = threading.Event()  # set: queued work is dropped unless it must finish
        self.everything = threading.Event()  # set: the wait is over, nothing more starts


class _Task(QRunnable):
    def __init__(
        self, task_id: int, work: Callable[[], Any], signals: _TaskSignals, stop: _Stop, *, must_finish: bool
    ) -> None:
        super().__init__()
        self._task_id = task_id
        self._work = work
        self._signals = signals
        self._stop = stop
        self._must_finish = must_finish

    def run(self) -> None:
        if self._stop.everything.is_set() or (self._stop.queued.is_set() and not self._must_finish):
            return  # queued when the runner shut down: dropped
        try:
            result = self._work()
        except Exception as error:  # noqa: BLE001 - handed to the GUI thread, which tells expected from bug
            if self._stop.queued.is_set():
                _log_failure_while_closing(error)  # nobody is left on the GUI thread to tell
            self._signals.finished.emit(self._task_id, None, error)
        else:
            self._signals.finished.emit(self._task_id, result, None)


def _log_failure_while_closing(error: Exception) -> None:
    if isinstance(error, CalfDeskError):  # its message is plain words and never names a patient
        _log.warning("work that had to finish before closing failed: %s: %s", type(error).__name__, error)
    else:
        _log.error("work that had to finish before closing failed", exc_info=error)


@dataclass(frozen=True, slots=True)
class _Pending:
    done: Callable[[Any], None]
    failed: Callable[[CalfDeskError], None]
    context: QObject | None


class TaskRunner(QObject):
    """Submit callables to a lane; ``done`` or ``failed`` is called later on the GUI thread.

    An expected failure (``CalfDeskError``) goes to ``failed``; anything else is a bug and goes to
    ``sys.excepthook`` (the crash handler). When ``context`` is given and has been deleted by the time
    the result arrives, the result is dropped, as Qt does for a connection's context object.
    Work submitted with ``must_finish`` is not dropped by ``shutdown``: it still runs, in its turn.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools = {lane: _single_thread_pool(self, THREAD_NAME_PREFIX + lane.value) for lane in Lane}
        self._signals = _TaskSignals(self)
        self._signals.finished.connect(self._on_task_finished, Qt.ConnectionType.QueuedConnection)
        self._pending: dict[int, _Pending] = {}
        self._ids = itertools.count(1)
        self._stop = _Stop()
        self._closed = False

    def submit(
        self,
        work: Callable[[], Any],
        *,
        done: Callable[[Any], None],
        failed: Callable[[CalfDeskError], None],
        context: QObject | None = None,
        lane: Lane = Lane.DATABASE,
        must_finish: bool = False,
    ) -> None:
        """Queue ``work`` on ``lane``; ``must_finish`` for a write of typed data that closing must not drop.

        Raises:
            RuntimeError: the runner has been shut down (see ``closed``).
        """
        if self._closed:
            raise RuntimeError("the task runner has been shut down")
        task_id = next(self._ids)
        self._pending[task_id] = _Pending(done, failed, context)
        self._pools[lane].start(_Task(task_id, work, self._signals, self._stop, must_finish=must_finish))

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    @property
    def closed(self) -> bool:
        """True once ``shutdown`` has begun: ``submit`` refuses work from then on."""
        return self._closed

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Drop queued work except what must finish, wait for that and for running work, and deliver
        nothing more. True if all finished within ``wait_ms`` on each lane; after that nothing else starts."""
        self._stop.queued.set()
        self._closed = True
        finished = all(pool.waitForDone(wait_ms) for pool in self._pools.values())
        self._stop.everything.set()
        self._pending.clear()
        return finished

    @Slot(int, object, object)
    def _on_task_finished(self, task_id: int, result: object, error: object) -> None:
        pending = self._pending.pop(task_id, None)
        if pending is None:
            return
        if pending.context is not None and not shiboken6.isValid(pending.context):
            return
        if error is None:
            pending.done(result)
        elif isinstance(error, CalfDeskError):
            pending.failed(error)
        else:
            assert isinstance(error, BaseException)
            sys.excepthook(type(error), error, error.__traceback__)


def _single_thread_pool(parent: QObject, name: str) -> QThreadPool:
    pool = QThreadPool(parent)
    pool.setObjectName(name)
    pool.setMaxThreadCount(1)
    return pool
