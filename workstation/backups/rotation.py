"""Which backups to keep (RELIABILITY.md C4): 7 daily, 4 weekly and 12 monthly, and everything from the
last day.

The rules are a table, applied in order, each walking the backups newest first: a rule keeps the newest
backup of each of its periods (a day, an ISO week, a month) until it has kept its count. A period whose
newest backup an earlier rule already kept does not use up a place, so the weekly and monthly rules reach
further back than the daily one instead of keeping the same files again (the same reading as borg's and
restic's prune). On top of the table: every backup younger than a day, and the newest safety copy taken
before a restore and before a schema upgrade, which hold the data as it was just before those steps,
however many ordinary backups follow them the same day.

Periods are the practice's own days: backups are bucketed in the time zone of ``now``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

Period = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file as rotation sees it: when it was taken, why, and a name unique in its folder."""

    taken_at: datetime  # timezone-aware
    reason: str  # "daily", "exit", "manual", "before-restore", "before-upgrade-from-0002", ...
    name: str


@dataclass(frozen=True, slots=True)
class PeriodRule:
    label: str
    count: int
    period: Callable[[datetime], Period]


def _day(moment: datetime) -> Period:
    return (moment.year, moment.month, moment.day)


def _iso_week(moment: datetime) -> Period:
    year, week, _weekday = moment.isocalendar()
    return (year, week)


def _month(moment: datetime) -> Period:
    return (moment.year, moment.month)


# RELIABILITY.md C4 (proposal): 7 daily, 4 weekly, 12 monthly.
DEFAULT_RULES: tuple[PeriodRule, ...] = (
    PeriodRule("daily", 7, _day),
    PeriodRule("weekly", 4, _iso_week),
    PeriodRule("monthly", 12, _month),
)
# A safety copy whose reason starts with one of these is kept while it is the newest of its kind.
SAFETY_REASONS: tuple[str, ...] = ("before-restore", "before-upgrade")


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    rules: tuple[PeriodRule, ...] = DEFAULT_RULES
    keep_younger_than: timedelta = timedelta(days=1)
    safety_reasons: tuple[str, ...] = field(default=SAFETY_REASONS)

    @property
    def periodic_limit(self) -> int:
        """The most backups the period rules keep (younger ones and safety copies come on top)."""
        return sum(rule.count for rule in self.rules)


DEFAULT_POLICY = RetentionPolicy()


def backups_to_keep(backups: Iterable[Backup], now: datetime, policy: RetentionPolicy = DEFAULT_POLICY) -> set[Backup]:
    """The backups the policy keeps; ``now`` is timezone-aware and sets the zone periods are counted in.

    The newest backup is always kept, and keeping only what this returns, then asking again, keeps
    the same set.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    newest_first = sorted(backups, key=lambda b: (b.taken_at, b.name), reverse=True)
    kept: set[Backup] = set()
    for rule in policy.rules:
        kept |= _kept_by_rule(newest_first, rule, kept, now)
    kept |= {b for b in newest_first if now - b.taken_at < policy.keep_younger_than}
    for prefix in policy.safety_reasons:
        newest = next((b for b in newest_first if b.reason.startswith(prefix)), None)
        if newest is not None:
            kept.add(newest)
    return kept


def backups_to_delete(
    backups: Iterable[Backup], now: datetime, policy: RetentionPolicy = DEFAULT_POLICY
) -> list[Backup]:
    """What rotation drops, oldest first."""
    present = list(backups)
    kept = backups_to_keep(present, now, policy)
    return sorted((b for b in present if b not in kept), key=lambda b: (b.taken_at, b.name))


def _kept_by_rule(newest_first: list[Backup], rule: PeriodRule, already: set[Backup], now: datetime) -> set[Backup]:
    kept: set[Backup] = set()
    last: Period | None = None
    for backup in newest_first:
        if len(kept) >= rule.count:
            break
        period = rule.period(backup.taken_at.astimezone(now.tzinfo))
        if period == last:
            continue
        last = period
        if backup not in already:
            kept.add(backup)
    return kept
