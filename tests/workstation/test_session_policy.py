"""Idle lock and absolute re-authentication, on a fake clock (RELIABILITY.md D5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.problems import Problem
from workstation.security import session_policy
from workstation.security.session_policy import (
    IdleState,
    idle_minutes_problems,
    idle_state,
    needs_reauthentication,
)

T0 = datetime(2025, 10, 26, 0, 45, tzinfo=UTC)
SECOND = timedelta(seconds=1)
TEN_MINUTES = timedelta(minutes=10)


def test_the_limits_are_the_policy() -> None:
    minutes = (
        session_policy.IDLE_LOCK_DEFAULT_MINUTES,
        session_policy.IDLE_LOCK_MIN_MINUTES,
        session_policy.IDLE_LOCK_MAX_MINUTES,
    )
    assert minutes == (10, 1, 30)
    durations = (session_policy.IDLE_WARNING, session_policy.REAUTHENTICATE_AFTER)
    assert durations == (timedelta(seconds=60), timedelta(hours=12))


@pytest.mark.parametrize("value", [1, 10, 15, 30])
def test_one_to_thirty_minutes_are_accepted(value: int) -> None:
    assert idle_minutes_problems(value) == []


@pytest.mark.parametrize("value", [0, -5, 31, 60, 24 * 60, True])
def test_other_idle_minutes_are_refused_beside_the_field(value: int) -> None:
    assert idle_minutes_problems(value) == [
        Problem("idle_lock_minutes", "Choose between 1 and 30 minutes before the screen locks.")
    ]


def test_the_default_is_a_valid_setting() -> None:
    assert idle_minutes_problems(session_policy.IDLE_LOCK_DEFAULT_MINUTES) == []


def test_reauthentication_is_needed_from_twelve_hours_on() -> None:
    assert not needs_reauthentication(T0, T0)
    assert not needs_reauthentication(T0, T0 + timedelta(hours=12) - SECOND)
    assert needs_reauthentication(T0, T0 + timedelta(hours=12))
    assert needs_reauthentication(T0, T0 + timedelta(days=3))


def test_just_after_activity_nothing_shows() -> None:
    assert idle_state(T0, T0, TEN_MINUTES) == IdleState(locked=False, warning=False, seconds_left=600)


def test_the_warning_starts_sixty_seconds_before_the_lock() -> None:
    assert idle_state(T0, T0 + timedelta(seconds=539), TEN_MINUTES) == IdleState(False, False, 61)
    assert idle_state(T0, T0 + timedelta(seconds=539, milliseconds=500), TEN_MINUTES) == IdleState(False, False, 61)
    assert idle_state(T0, T0 + timedelta(seconds=540), TEN_MINUTES) == IdleState(False, True, 60)
    assert idle_state(T0, T0 + timedelta(seconds=599), TEN_MINUTES) == IdleState(False, True, 1)


def test_the_countdown_never_shows_zero_before_the_lock() -> None:
    state = idle_state(T0, T0 + TEN_MINUTES - timedelta(microseconds=1), TEN_MINUTES)
    assert state == IdleState(locked=False, warning=True, seconds_left=1)


def test_it_locks_exactly_at_the_deadline_and_stays_locked() -> None:
    assert idle_state(T0, T0 + TEN_MINUTES, TEN_MINUTES) == IdleState(locked=True, warning=False, seconds_left=0)
    assert idle_state(T0, T0 + timedelta(hours=5), TEN_MINUTES) == IdleState(True, False, 0)


def test_a_clock_that_went_back_gives_no_extra_time() -> None:
    assert idle_state(T0, T0 - timedelta(hours=1), TEN_MINUTES) == IdleState(False, False, 600)


def test_the_shortest_timeout_warns_for_its_whole_minute() -> None:
    assert idle_state(T0, T0, timedelta(minutes=1)) == IdleState(False, True, 60)


@given(
    st.integers(min_value=1, max_value=30).map(lambda m: timedelta(minutes=m)),
    st.integers(min_value=-3_600_000_000, max_value=3 * 3_600_000_000).map(lambda us: timedelta(microseconds=us)),
)
def test_idle_state_is_consistent(timeout: timedelta, idle: timedelta) -> None:
    state = idle_state(T0, T0 + idle, timeout)
    assert state.locked is (idle >= timeout)
    assert 0 <= state.seconds_left <= timeout.total_seconds()
    assert state.locked is (state.seconds_left == 0)
    assert state.warning is (not state.locked and state.seconds_left <= 60)
