"""Backup rotation (RELIABILITY.md C4): 7 daily, 4 weekly, 12 monthly, everything from the last day, and
the newest safety copies; checked on worked examples and as properties of any set of backups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.backups.rotation import (
    DEFAULT_POLICY,
    Backup,
    backups_to_delete,
    backups_to_keep,
)

NOW = datetime(2026, 3, 18, 17, 30, tzinfo=UTC)
SYDNEY = timezone(timedelta(hours=11))  # daylight time in March


def _backup(taken_at: datetime, reason: str = "daily") -> Backup:
    return Backup(taken_at, reason, f"calfdesk-{reason}-{taken_at:%Y%m%dT%H%M%S%fZ}.sqlite3")


def _daily(days: int, *, until: datetime = NOW, reason: str = "daily") -> list[Backup]:
    return [_backup(until - timedelta(days=n, hours=1), reason) for n in range(days)]


def test_two_years_of_daily_backups_keep_exactly_seven_four_and_twelve() -> None:
    backups = _daily(730)
    kept = backups_to_keep(backups, NOW)
    assert len(kept) == 7 + 4 + 12
    newest_first = sorted(kept, key=lambda b: b.taken_at, reverse=True)
    # The seven newest days, one each; then weeks, then months further back than the days reach.
    assert [b.taken_at.date() for b in newest_first[:7]] == [
        (NOW - timedelta(days=n, hours=1)).date() for n in range(7)
    ]
    # The weekly rule starts at the first week whose newest backup the days did not keep (Sunday 8 March),
    # the monthly one at February (the newest of March is already kept): further back than the days reach.
    sundays = [datetime(2026, 3, 8, 16, 30, tzinfo=UTC) - timedelta(weeks=n) for n in range(4)]
    assert {_backup(sunday) for sunday in sundays} <= kept
    month_ends = {(b.taken_at.year, b.taken_at.month) for b in kept if (b.taken_at + timedelta(days=1)).day == 1}
    assert len(month_ends) == 12
    assert min(b.taken_at for b in kept) < NOW - timedelta(days=300)


@pytest.mark.parametrize(
    ("ages_in_hours", "kept_ages"),
    [
        ([], []),
        ([1], [1]),
        # Several the same day: all younger than a day stay.
        ([1, 3, 5, 23], [1, 3, 5, 23]),
        # Older than a day: only the newest of that day (the 25-hour-old one, of 16 March, here).
        ([1, 25, 27, 29], [1, 25]),
        # A fortnight's gap: the daily rule keeps the newest of the 7 most recent days that have one.
        ([1, 24 * 14, 24 * 15], [1, 24 * 14, 24 * 15]),
    ],
)
def test_worked_examples(ages_in_hours: list[int], kept_ages: list[int]) -> None:
    backups = [_backup(NOW - timedelta(hours=h)) for h in ages_in_hours]
    kept = backups_to_keep(backups, NOW)
    assert sorted(round((NOW - b.taken_at) / timedelta(hours=1)) for b in kept) == sorted(kept_ages)


def test_days_are_the_practices_own_days() -> None:
    early = _backup(datetime(2026, 3, 16, 0, 30, tzinfo=UTC))  # 11:30 on the 16th in Sydney
    late = _backup(datetime(2026, 3, 16, 12, 30, tzinfo=UTC))  # 23:30 on the 16th in Sydney
    next_day = _backup(datetime(2026, 3, 16, 13, 30, tzinfo=UTC))  # 00:30 on the 17th in Sydney
    now = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
    assert backups_to_keep([early, late, next_day], now.astimezone(SYDNEY)) == {late, next_day}
    assert backups_to_keep([early, late, next_day], now) == {next_day}  # in UTC all three are the 16th


def test_the_newest_safety_copy_outlives_the_ordinary_backups_of_its_day() -> None:
    safety = _backup(NOW - timedelta(days=3, hours=5), "before-restore")
    older_safety = _backup(NOW - timedelta(days=40, hours=5), "before-restore")
    upgrade = _backup(NOW - timedelta(days=200), "before-upgrade-from-0002")
    same_day_later = _backup(NOW - timedelta(days=3, hours=2), "exit")
    kept = backups_to_keep([safety, older_safety, upgrade, same_day_later, *_daily(60)], NOW)
    assert {safety, upgrade} <= kept
    assert older_safety not in kept


def test_what_is_deleted_is_everything_not_kept_oldest_first() -> None:
    backups = _daily(100)
    dropped = backups_to_delete(backups, NOW)
    assert set(dropped) == set(backups) - backups_to_keep(backups, NOW)
    assert dropped == sorted(dropped, key=lambda b: b.taken_at)


def test_now_must_carry_its_time_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        backups_to_keep([], NOW.replace(tzinfo=None))


_REASONS = st.sampled_from(["daily", "exit", "manual", "before-restore", "before-upgrade-from-0002"])
# Up to two years back and a little into the future (a clock set wrong), to the second.
_OFFSETS = st.integers(min_value=-3 * 3600, max_value=2 * 366 * 86400)
_BACKUP_SETS = st.lists(st.tuples(_OFFSETS, _REASONS), max_size=120, unique_by=lambda t: t[0]).map(
    lambda items: [_backup(NOW - timedelta(seconds=s), reason) for s, reason in items]
)
_ZONES = st.sampled_from([UTC, SYDNEY, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=30))])
_properties = settings(max_examples=300, deadline=None)


@_properties
@given(_BACKUP_SETS, _ZONES)
def test_the_newest_backup_is_never_deleted(backups: list[Backup], zone: timezone) -> None:
    kept = backups_to_keep(backups, NOW.astimezone(zone))
    if backups:
        assert max(backups, key=lambda b: (b.taken_at, b.name)) in kept
    assert kept <= set(backups)


@_properties
@given(_BACKUP_SETS, _ZONES)
def test_never_more_than_the_rules_allow_plus_the_last_day_and_the_safety_copies(
    backups: list[Backup], zone: timezone
) -> None:
    now = NOW.astimezone(zone)
    kept = backups_to_keep(backups, now)
    young = {b for b in backups if now - b.taken_at < DEFAULT_POLICY.keep_younger_than}
    safety_kinds = {
        prefix for prefix in DEFAULT_POLICY.safety_reasons if any(b.reason.startswith(prefix) for b in backups)
    }
    assert young <= kept
    assert len(kept - young) <= DEFAULT_POLICY.periodic_limit + len(safety_kinds)
    assert DEFAULT_POLICY.periodic_limit == 7 + 4 + 12


@_properties
@given(_BACKUP_SETS, _ZONES)
def test_rotating_again_deletes_nothing_more(backups: list[Backup], zone: timezone) -> None:
    now = NOW.astimezone(zone)
    kept = backups_to_keep(backups, now)
    assert backups_to_keep(kept, now) == kept
    assert backups_to_delete(kept, now) == []


@_properties
@given(_BACKUP_SETS)
def test_the_newest_of_each_of_the_seven_latest_days_is_kept(backups: list[Backup]) -> None:
    kept = backups_to_keep(backups, NOW)
    newest_per_day: dict[date, Backup] = {}
    for backup in sorted(backups, key=lambda b: (b.taken_at, b.name)):
        newest_per_day[backup.taken_at.date()] = backup
    latest_days = sorted(newest_per_day, reverse=True)[:7]
    assert {newest_per_day[day] for day in latest_days} <= kept
