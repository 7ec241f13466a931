"""How long a patient's record must be kept, per jurisdiction (RELIABILITY.md G3).

Each jurisdiction is one row of ``RULES`` (a ``RetentionRule``); ``keep_until`` applies a rule to a
patient's dates and says until when, and why, in words an administrator can read to the patient. The
practice chooses its rule (a setting, ``workstation.privacy.settings``); the default is the UK's.

Conventions, each chosen so that retention never ends early, and each flagged for the DPO's review
(docs/privacy.md, RELIABILITY.md section 5 "DPO review of retention vectors and Feb-29 convention"):

- **29 February.** An anniversary of 29 February (a birthday, or "8 years after" an entry made that day)
  falls on **1 March** in a common year. This is the UK reading for attaining an age, which
  ``workstation.records.age_on`` already uses; for a retention hold it is also the later of the two
  candidate days (28 February or 1 March), so it can only keep a record one day longer, never shorter.
- **"Until" is inclusive.** The record is kept through ``keep_until``; erasure is allowed from the next day.
- **Instants to dates.** A recorded instant (when a row was created or changed) ends a period on the
  latest calendar date it has anywhere (UTC+14) and starts one on the earliest (UTC-12), so neither the
  clinic's time zone nor a daylight-saving change can shorten retention by a day.
- **Minor** means under 18 on the day the rule judges it (the age of majority in all three places).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum, StrEnum

from workstation.errors import CalfDeskError
from workstation.records import age_on

AGE_OF_MAJORITY = 18  # UK, NSW and every US state for this purpose
HIPAA_DOCUMENTATION_YEARS = 6  # 45 CFR 164.316(b)(2)(i): the floor for a US practice's own rule
_LATEST_OFFSET = timedelta(hours=14)  # UTC+14 (Line Islands): the first place a day begins
_EARLIEST_OFFSET = timedelta(hours=-12)  # UTC-12 (Baker Island): the last place a day ends
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class Jurisdiction(StrEnum):
    UK = "uk"
    NSW = "nsw"
    US = "us"


class MinorJudgedAt(Enum):
    """On which day the rule asks whether the patient was a minor."""

    LAST_ENTRY = "last_entry"  # UK: "at the conclusion of treatment"
    FIRST_COLLECTION = "first_collection"  # NSW: "collected while the individual was under 18"


@dataclass(frozen=True, slots=True)
class RetentionRule:
    """Keep ``years_after_last_entry`` years after the last entry; a minor's record at least until the
    ``minor_until_birthday``-th birthday (``late_teen_until_birthday`` if they were ``late_teen_age`` at
    the last entry). Whichever is later wins."""

    jurisdiction: Jurisdiction
    years_after_last_entry: int
    source: str
    last_entry_words: str = "the last entry in the record"
    minor_until_birthday: int | None = None
    minor_judged_at: MinorJudgedAt = MinorJudgedAt.LAST_ENTRY
    late_teen_age: int | None = None
    late_teen_until_birthday: int | None = None


UK_RULE = RetentionRule(
    Jurisdiction.UK,
    years_after_last_entry=8,  # adult health records
    source="UK Records Management Code of Practice 2021",
    last_entry_words="the last entry in the record (the end of treatment)",
    minor_until_birthday=25,  # children's records: until the 25th birthday ...
    minor_judged_at=MinorJudgedAt.LAST_ENTRY,
    late_teen_age=17,  # ... or the 26th if the patient was 17 at the conclusion of treatment
    late_teen_until_birthday=26,
)
NSW_RULE = RetentionRule(
    Jurisdiction.NSW,
    years_after_last_entry=7,  # s25(1)(a): 7 years from the last occasion a health service was provided
    source="Health Records and Information Privacy Act 2002 (NSW) s25",
    last_entry_words="the last health service recorded",
    minor_until_birthday=25,  # s25(1)(b): collected while under 18, until 25, whichever is later
    minor_judged_at=MinorJudgedAt.FIRST_COLLECTION,
)


def us_rule(years: int = HIPAA_DOCUMENTATION_YEARS, minor_until_birthday: int | None = None) -> RetentionRule:
    """A US practice's rule: its state's years after the last entry (at least HIPAA's 6) and, where the
    state has one, the birthday until which a minor's record is kept.

    Raises:
        ValueError: fewer than 6 years, or a minors' birthday that is not an adult age.
    """
    if years < HIPAA_DOCUMENTATION_YEARS or years > 100:
        raise ValueError(f"a US rule keeps records {HIPAA_DOCUMENTATION_YEARS} to 100 years, not {years}")
    if minor_until_birthday is not None and not AGE_OF_MAJORITY <= minor_until_birthday <= 100:
        raise ValueError(f"a minor's record is kept until an adult birthday, not {minor_until_birthday}")
    return RetentionRule(
        Jurisdiction.US,
        years_after_last_entry=years,
        source="the practice's state rule (HIPAA 45 CFR 164.316 sets at least 6 years)",
        minor_until_birthday=minor_until_birthday,
        # Judged when first seen: a record begun in childhood counts as a minor's, the longer reading.
        minor_judged_at=MinorJudgedAt.FIRST_COLLECTION,
    )


US_RULE = us_rule()
RULES = {Jurisdiction.UK: UK_RULE, Jurisdiction.NSW: NSW_RULE, Jurisdiction.US: US_RULE}
DEFAULT_RULE = UK_RULE


@dataclass(frozen=True, slots=True)
class RetentionFacts:
    """What the rules read from a record. ``last_entry`` is the latest date anything was recorded."""

    date_of_birth: date
    first_collected: date
    last_entry: date


@dataclass(frozen=True, slots=True)
class RetentionDecision:
    keep_until: date  # inclusive: the record must still exist on this day
    basis: str  # which branch of which rule, as a short code (safe for the audit: no date, no name)
    reason: str  # why, in plain words

    def allows_erasure_on(self, day: date) -> bool:
        return day > self.keep_until

    @property
    def refusal(self) -> str:
        return f"This record must be kept until {long_date(self.keep_until)}: {self.reason}."


class RetentionHold(CalfDeskError):
    """Erasure was refused because the record's retention period has not ended."""

    def __init__(self, decision: RetentionDecision) -> None:
        super().__init__(
            decision.refusal,
            hint="Nothing was erased. You can restrict processing of the record instead while it must be kept.",
        )
        self.decision = decision


def keep_until(facts: RetentionFacts, rule: RetentionRule = DEFAULT_RULE) -> RetentionDecision:
    """The date until which ``rule`` requires the record to be kept, with the reason."""
    after_entry = anniversary(facts.last_entry, rule.years_after_last_entry)
    adult = RetentionDecision(after_entry, f"{rule.jurisdiction}_adult", _years_reason(rule))
    if rule.minor_until_birthday is None:
        return adult
    judged_on = facts.last_entry if rule.minor_judged_at is MinorJudgedAt.LAST_ENTRY else facts.first_collected
    if age_on(facts.date_of_birth, judged_on) >= AGE_OF_MAJORITY:
        return adult
    birthday = rule.minor_until_birthday
    late_teen = rule.late_teen_age is not None and age_on(facts.date_of_birth, facts.last_entry) == rule.late_teen_age
    if late_teen and rule.late_teen_until_birthday is not None:
        birthday = rule.late_teen_until_birthday
    until_birthday = anniversary(facts.date_of_birth, birthday)
    if until_birthday >= after_entry:
        return RetentionDecision(
            until_birthday, f"{rule.jurisdiction}_minor_{birthday}", _birthday_reason(rule, birthday, late_teen)
        )
    later = f"{_years_reason(rule)}, which is later than the patient's {ordinal(birthday)} birthday"
    return RetentionDecision(after_entry, f"{rule.jurisdiction}_minor_years", later)


def _years_reason(rule: RetentionRule) -> str:
    return f"{rule.years_after_last_entry} years after {rule.last_entry_words} ({rule.source})"


def _birthday_reason(rule: RetentionRule, birthday: int, late_teen: bool) -> str:
    if late_teen:
        why = f"they were {rule.late_teen_age} when treatment ended"
    elif rule.minor_judged_at is MinorJudgedAt.LAST_ENTRY:
        why = f"they were under {AGE_OF_MAJORITY} when treatment ended"
    else:
        why = f"the record was begun when they were under {AGE_OF_MAJORITY}"
    return f"until the patient's {ordinal(birthday)} birthday, because {why} ({rule.source})"


def anniversary(day: date, years: int) -> date:
    """``day`` ``years`` years later; 29 February becomes 1 March in a common year (module docstring)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return date(day.year + years, 3, 1)


def latest_calendar_date(moment: datetime) -> date:
    """The latest calendar date ``moment`` has anywhere on Earth: where a period ending then ends."""
    return (_as_utc(moment) + _LATEST_OFFSET).date()


def earliest_calendar_date(moment: datetime) -> date:
    """The earliest calendar date ``moment`` has anywhere on Earth: where a period beginning then begins."""
    return (_as_utc(moment) + _EARLIEST_OFFSET).date()


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a recorded instant needs its time zone")
    return moment.astimezone(UTC)


def long_date(day: date) -> str:
    """A date no reader can misread, whatever their country's order: "1 March 2033"."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def parse_rule(text: str) -> RetentionRule:
    """A rule from its setting text: ``uk``, ``nsw``, ``us``, ``us:YEARS`` or ``us:YEARS:BIRTHDAY``.

    Raises:
        ValueError: text that names no rule, or a US rule out of range.
    """
    name, *numbers = text.strip().lower().split(":")
    if name in (Jurisdiction.UK, Jurisdiction.NSW) and not numbers:
        return RULES[Jurisdiction(name)]
    if name != Jurisdiction.US or len(numbers) > 2 or not all(n.isdigit() for n in numbers):
        raise ValueError(f"not a retention rule: {text!r}")
    years = int(numbers[0]) if numbers else HIPAA_DOCUMENTATION_YEARS
    return us_rule(years, int(numbers[1]) if len(numbers) == 2 else None)


def rule_text(rule: RetentionRule) -> str:
    """The setting text of ``rule`` (``parse_rule`` reads it back)."""
    if rule.jurisdiction is not Jurisdiction.US:
        return str(rule.jurisdiction)
    minors = f":{rule.minor_until_birthday}" if rule.minor_until_birthday is not None else ""
    return f"us:{rule.years_after_last_entry}{minors}"
