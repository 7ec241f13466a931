"""Lockout after failed logins, on a fake clock (RELIABILITY.md D3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.security import lockout
from workstation.security.lockout import locked_until

T0 = datetime(2025, 3, 30, 0, 30, tzinfo=UTC)  # the UK clocks change that night: UTC must not care
MINUTE = timedelta(minutes=1)


def at(*minutes: float) -> list[datetime]:
    return [T0 + m * MINUTE for m in minutes]


def test_the_limits_are_the_policy() -> None:
    policy = (lockout.MAX_FAILURES, lockout.FAILURE_WINDOW, lockout.LOCK_DURATION)
    assert policy == (5, timedelta(minutes=15), timedelta(minutes=15))


def test_no_failures_no_lock() -> None:
    assert locked_until([], T0) is None


def test_four_failures_do_not_lock() -> None:
    assert locked_until(at(0, 1, 2, 3), T0 + 3 * MINUTE) is None


def test_the_fifth_failure_locks_for_fifteen_minutes_from_it() -> None:
    failures = at(0, 1, 2, 3, 4)
    assert locked_until(failures, T0 + 4 * MINUTE) == T0 + 19 * MINUTE
    assert locked_until(failures, T0 + 18 * MINUTE) == T0 + 19 * MINUTE


def test_the_lock_ends_exactly_fifteen_minutes_after_the_fifth_failure() -> None:
    failures = at(0, 1, 2, 3, 4)
    end = T0 + 19 * MINUTE
    assert locked_until(failures, end - timedelta(microseconds=1)) == end
    assert locked_until(failures, end) is None


def test_failures_spread_over_more_than_fifteen_minutes_never_lock() -> None:
    failures = at(0, 4, 8, 12, 15.5, 19, 23, 27, 31)
    for minute in range(0, 60):
        assert locked_until(failures, T0 + minute * MINUTE) is None


def test_five_failures_spanning_exactly_the_window_do_not_lock() -> None:
    assert locked_until(at(0, 5, 10, 14, 15), T0 + 15 * MINUTE) is None
    assert locked_until(at(0, 5, 10, 14, 14.99), T0 + 15 * MINUTE) == T0 + 29.99 * MINUTE


def test_order_does_not_matter_and_later_failures_are_not_yet_counted() -> None:
    assert locked_until(at(4, 0, 3, 1, 2), T0 + 5 * MINUTE) == T0 + 19 * MINUTE
    assert locked_until(at(0, 1, 2, 3, 4), T0 + 3 * MINUTE) is None


def test_failures_recorded_during_a_lock_extend_it() -> None:
    assert locked_until(at(0, 1, 2, 3, 4, 10), T0 + 18 * MINUTE) == T0 + 25 * MINUTE


def test_an_old_lock_is_over_and_a_new_run_locks_again() -> None:
    failures = at(0, 1, 2, 3, 4, 60, 61, 62, 63)
    assert locked_until(failures, T0 + 63 * MINUTE) is None
    assert locked_until([*failures, T0 + 64 * MINUTE], T0 + 64 * MINUTE) == T0 + 79 * MINUTE


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        locked_until([], datetime(2025, 1, 1, 12, 0))


offsets = st.floats(min_value=0, max_value=24 * 60, allow_nan=False).map(lambda m: T0 + m * MINUTE)
nows = st.floats(min_value=0, max_value=48 * 60, allow_nan=False).map(lambda m: T0 + m * MINUTE)


@given(st.lists(offsets, max_size=lockout.MAX_FAILURES - 1), nows)
def test_fewer_than_five_failures_never_lock(failures: list[datetime], now: datetime) -> None:
    assert locked_until(failures, now) is None


@given(st.lists(offsets, max_size=30), nows)
def test_a_lock_is_in_the_future_and_at_most_fifteen_minutes_away(failures: list[datetime], now: datetime) -> None:
    until = locked_until(failures, now)
    assert until is None or now < until <= now + lockout.LOCK_DURATION


@given(st.lists(offsets, max_size=30), st.lists(offsets, max_size=10), nows)
def test_more_failures_never_shorten_a_lock(failures: list[datetime], more: list[datetime], now: datetime) -> None:
    before = locked_until(failures, now)
    after = locked_until([*failures, *more], now)
    if before is not None:
        assert after is not None
        assert after >= before
