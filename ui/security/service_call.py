"""One way for a widget here to call a service: on the database thread when a TaskRunner is given.

Without a runner the call runs at once on the GUI thread (tests with fakes, and the integrator's choice
for calls known to be quick). Either way an expected failure arrives at ``failed`` and anything else is
a bug that reaches the crash handler, so a widget handles both paths with the same two callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject

from ui.tasks import TaskRunner
from workstation.errors import CalfDeskError

T = TypeVar("T")


def call_service(
    work: Callable[[], T],
    *,
    done: Callable[[T], None],
    failed: Callable[[CalfDeskError], None],
    tasks: TaskRunner | None = None,
    context: QObject | None = None,
) -> None:
    if tasks is not None:
        tasks.submit(work, done=done, failed=failed, context=context)
        return
    try:
        result: Any = work()
    except CalfDeskError as error:
        # An expected failure needs no traceback. Its frames would hold the widgets that made the call
        # in a reference cycle, and the cycle collector may then take a widget's Python side apart
        # while Qt still delivers events to it.
        failed(error.with_traceback(None))
        return
    done(result)
