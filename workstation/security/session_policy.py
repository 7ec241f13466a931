"""How long a session may stay open: the idle lock (RELIABILITY.md D5) and absolute re-authentication.

Pure functions of the clock, so the Qt idle lock and its tests can drive them with a fake one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from workstation.problems import Problem

IDLE_LOCK_DEFAULT_MINUTES = 10  # RELIABILITY.md D5 (UVA workstation standard: 10 minutes)
IDLE_LOCK_MIN_MINUTES = 1  # RELIABILITY.md D5
IDLE_LOCK_MAX_MINUTES = 30  # RELIABILITY.md D5 hard maximum (NIST SP 800-63B AAL2 idle limit)
IDLE_WARNING = timedelta(seconds=60)  # RELIABILITY.md D5: warn a minute before locking
REAUTHENTICATE_AFTER = timedelta(hours=12)  # RELIABILITY.md D5 (NIST SP 800-63B AAL2 absolute limit)

IDLE_MINUTES_FIELD = "idle_lock_minutes"

_ONE_SECOND = timedelta(seconds=1)


def idle_minutes_problems(value: int) -> list[Problem]:
    """Problems with an idle-lock setting, on the "idle_lock_minutes" field (empty when it is fine)."""
    if isinstance(value, bool) or not IDLE_LOCK_MIN_MINUTES <= value <= IDLE_LOCK_MAX_MINUTES:
        return [
            Problem(
                IDLE_MINUTES_FIELD,
                f"Choose between {IDLE_LOCK_MIN_MINUTES} and {IDLE_LOCK_MAX_MINUTES} minutes "
                "before the screen locks.",
            )
        ]
    return []


def needs_reauthentication(logged_in_at: datetime, now: datetime) -> bool:
    """Whether the session is 12 hours old or more, so the password must be asked for again."""
    return now - logged_in_at >= REAUTHENTICATE_AFTER


@dataclass(frozen=True, slots=True)
class IdleState:
    locked: bool  # the deadline has passed: hide patient data now
    warning: bool  # at most a minute left: show the countdown
    seconds_left: int  # whole seconds until the lock, rounded up; 0 once locked


def idle_state(last_activity: datetime, now: datetime, timeout: timedelta) -> IdleState:
    """Where an idle session stands, given its last keyboard or mouse activity.

    A clock that went back (``now`` before ``last_activity``) counts as no time idle, never as extra time.

    Args:
        last_activity: when the user last used the window.
        now: the current time, on the same clock.
        timeout: how long the window may stay unused before it locks.
    """
    idle = max(now - last_activity, timedelta(0))
    remaining = timeout - idle
    if remaining <= timedelta(0):
        return IdleState(locked=True, warning=False, seconds_left=0)
    seconds_left = -(-remaining // _ONE_SECOND)  # round up, so the countdown never shows 0 before the lock
    return IdleState(locked=False, warning=remaining <= IDLE_WARNING, seconds_left=seconds_left)
