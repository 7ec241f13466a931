"""Locks the session after a time without keyboard or mouse use (RELIABILITY.md D5; HIPAA automatic logoff).

Activity is seen through one event filter on the application, so every window and dialog counts. The
deadline is worked out from the clock at each check rather than by counting timer ticks, so a computer
that slept past the deadline locks on its first check after waking. Pass a ``now`` that does not jump
when the wall clock is changed, or a clock set back would stretch the idle time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal, Slot

CHECK_INTERVAL_MS = 1_000  # the lock comes at most this long after the deadline, and the countdown ticks by it
MOUSE_MOVE_EVERY = timedelta(seconds=1)  # a moving mouse counts once a second: moves come by the hundred

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleStateLike(Protocol):
    @property
    def locked(self) -> bool: ...
    @property
    def warning(self) -> bool: ...
    @property
    def seconds_left(self) -> int: ...


IdleRule = Callable[[datetime, datetime, timedelta], IdleStateLike]


def _policy_idle_state(last_activity: datetime, now: datetime, timeout: timedelta) -> IdleStateLike:
    from workstation.security.session_policy import idle_state  # the core's rule, loaded on first use

    return idle_state(last_activity, now, timeout)


class IdleLockController(QObject):
    warning = Signal(int)  # seconds left before the lock; once a second during the last minute
    warning_cleared = Signal()  # activity, a pause or the lock itself ended the countdown
    lock_requested = Signal()  # once per idle period

    def __init__(
        self,
        app: QCoreApplication,
        timeout: timedelta,
        now: Callable[[], datetime],
        parent: QObject | None = None,
        *,
        idle_state: IdleRule = _policy_idle_state,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._timeout = timeout
        self._now = now
        self._idle_state = idle_state
        self._last_activity = now()
        self._paused = False
        self._lock_sent = False
        self._warned: int | None = None  # the last countdown value sent, None when no countdown shows
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._running = True
        app.installEventFilter(self)
        self._timer.start()

    @property
    def timeout(self) -> timedelta:
        return self._timeout

    @property
    def last_activity(self) -> datetime:
        return self._last_activity

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def running(self) -> bool:
        return self._running

    @property
    def timer(self) -> QTimer:
        return self._timer

    def set_timeout(self, timeout: timedelta) -> None:
        self._timeout = timeout

    def touch(self) -> None:
        """Count as activity now (for example after an unlock, or work the user started)."""
        self._last_activity = self._now()
        self._lock_sent = False
        self._clear_warning()

    def pause(self) -> None:
        """While locked: nothing more to lock, and typing the password is not activity."""
        self._paused = True
        self._clear_warning()

    def resume(self) -> None:
        """After an unlock: a fresh idle period starts now."""
        self._paused = False
        self.touch()

    def stop(self) -> None:
        """For good (logging out, closing): no filter on the application and no timer left running."""
        if self._running:
            self._running = False
            self._timer.stop()
            self._app.removeEventFilter(self)
            self._clear_warning()

    def check(self) -> None:
        """Compare the idle time with the timeout now; the timer calls this every second."""
        if self._paused or not self._running:
            return
        state = self._idle_state(self._last_activity, self._now(), self._timeout)
        if state.locked:
            if not self._lock_sent:
                self._lock_sent = True
                self._clear_warning()
                self.lock_requested.emit()
        elif state.warning:
            if state.seconds_left != self._warned:
                self._warned = state.seconds_left
                self.warning.emit(state.seconds_left)
        else:
            self._clear_warning()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._paused:
            kind = event.type()
            moved = kind == QEvent.Type.MouseMove and self._now() - self._last_activity >= MOUSE_MOVE_EVERY
            if moved or kind in _ACTIVITY:
                self.touch()
        return False  # only watching: every event goes on to its receiver

    def _clear_warning(self) -> None:
        if self._warned is not None:
            self._warned = None
            self.warning_cleared.emit()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.check()
