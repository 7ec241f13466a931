"""Account lockout after repeated failed logins, counted per account (RELIABILITY.md D3).

Pure: the caller passes the account's failure times and the clock, so tests use a fake clock. Windows are
half-open: five failures spanning exactly 15 minutes do not lock, and a lock is over exactly at its end.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

MAX_FAILURES = 5  # RELIABILITY.md D3 (proposal; CIS: at most 5, never 0)
FAILURE_WINDOW = timedelta(minutes=15)  # RELIABILITY.md D3
LOCK_DURATION = timedelta(minutes=15)  # RELIABILITY.md D3 (STIG: at least 15 minutes)


def locked_until(failures: Sequence[datetime], now: datetime) -> datetime | None:
    """When the account's lock ends, or None if it is not locked now.

    The account is locked for ``LOCK_DURATION`` from the fifth of any five failures that fall within
    ``FAILURE_WINDOW`` of each other. Failures made while locked count too, if the caller records them.

    Args:
        failures: the account's failed login times, in any order (timezone-aware, UTC).
        now: the current time (timezone-aware); failures after it are ignored.

    Raises:
        ValueError: if ``now`` has no time zone.
    """
    if now.tzinfo is None:
        raise ValueError("lockout needs timezone-aware times")
    past = sorted(t for t in failures if t <= now)
    lock_end: datetime | None = None
    # For any five failures inside a window, the five consecutive failures ending at the same one are at
    # least as close together, so runs of consecutive failures find every lock.
    for first, fifth in zip(past, past[MAX_FAILURES - 1 :], strict=False):
        ends = fifth + LOCK_DURATION
        if fifth - first < FAILURE_WINDOW and now < ends and (lock_end is None or ends > lock_end):
            lock_end = ends
    return lock_end
