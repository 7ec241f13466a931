"""Run work off the GUI thread and hand its result back on the GUI thread.

Two lanes of one thread each. DATABASE serialises every call into the store: a session is never shared
between threads, and SQLite wants one writer at a time. COMPUTE takes CPU work such as building the
search index, so that opening a patient is never queued behind it. Results come back through a queued
signal, so callbacks run on the GUI thread and may touch widgets; the window never waits and nothing
calls ``processEvents``.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from workstation.errors import CalfDeskError

SHUTDOWN_WAIT_MS = 10_000  # a save in flight is allowed to finish before the store is closed
THREAD_NAME_PREFIX = "calfdesk-"  # Qt names a pool's threads after the pool; Linux keeps 15 characters


class Lane(Enum):
    DATABASE = "db"
    COMPUTE = "cpu"


class _TaskSignals(QObject):
    # task id, result, error (exactly one of result/error is meaningful)
    finished = Signal(int, object, object)


class _Task(QRunnable):
    def __init__(self, task_id: int, work: Callable[[], Any], signals: _TaskSignals) -> None:
        super().__init__()
        self._task_id = task_id
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # noqa: BLE001 - handed to the GUI thread, which tells expected from bug
            self._signals.finished.emit(self._task_id, None, error)
        else:
            self._signals.finished.emit(self._task_id, result, None)


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
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools = {lane: _single_thread_pool(self, THREAD_NAME_PREFIX + lane.value) for lane in Lane}
        self._signals = _TaskSignals(self)
        self._signals.finished.connect(self._on_task_finished, Qt.ConnectionType.QueuedConnection)
        self._pending: dict[int, _Pending] = {}
        self._ids = itertools.count(1)
        self._closed = False

    def submit(
        self,
        work: Callable[[], Any],
        *,
        done: Callable[[Any], None],
        failed: Callable[[CalfDeskError], None],
        context: QObject | None = None,
        lane: Lane = Lane.DATABASE,
    ) -> None:
        if self._closed:
            raise RuntimeError("the task runner has been shut down")
        task_id = next(self._ids)
        self._pending[task_id] = _Pending(done, failed, context)
        self._pools[lane].start(_Task(task_id, work, self._signals))

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Drop queued work, wait for running work, and deliver nothing more. True if all finished."""
        self._closed = True
        for pool in self._pools.values():
            pool.clear()
        finished = all(pool.waitForDone(wait_ms) for pool in self._pools.values())
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
