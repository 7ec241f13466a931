"""The retention engine (RELIABILITY.md G3): reviewed vectors per jurisdiction, and properties over every
date from 1900 to 2100, 29 February birthdays and entries included."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from workstation.privacy.retention import (
    NSW_RULE,
    UK_RULE,
    US_RULE,
    RetentionFacts,
    RetentionHold,
    RetentionRule,
    anniversary,
    earliest_calendar_date,
    keep_until,
    latest_calendar_date,
    long_date,
    parse_rule,
    rule_text,
    us_rule,
)
from workstation.records import age_on

# For review by the CSO/DPO (RELIABILITY.md section 5): each row is (rule, born, first collected, last
# entry) -> (keep until, basis), worked out by hand from the rule's text, not from the code.
# fmt: off
VECTORS = [
    # UK Records Management Code 2021: adults 8 years; children until 25, or 26 if 17 at the end.
    (UK_RULE, date(1980, 5, 10), date(2020, 1, 1), date(2020, 3, 10), date(2028, 3, 10), "uk_adult"),
    (UK_RULE, date(2002, 6, 1), date(2019, 1, 1), date(2020, 6, 1), date(2028, 6, 1), "uk_adult"),  # 18 that day
    (UK_RULE, date(2010, 6, 1), date(2019, 1, 1), date(2020, 9, 1), date(2035, 6, 1), "uk_minor_25"),  # 10
    (UK_RULE, date(2004, 1, 15), date(2019, 1, 1), date(2020, 6, 1), date(2029, 1, 15), "uk_minor_25"),  # 16
    (UK_RULE, date(2003, 1, 15), date(2019, 1, 1), date(2020, 6, 1), date(2029, 1, 15), "uk_minor_26"),  # 17
    (UK_RULE, date(2008, 2, 29), date(2018, 1, 1), date(2018, 5, 1), date(2033, 3, 1), "uk_minor_25"),  # 29 Feb
    # Born 29 Feb 2004: 16 on 28 Feb 2021 (25th birthday rule), 17 on 1 Mar 2021 (26th birthday rule).
    (UK_RULE, date(2004, 2, 29), date(2020, 1, 1), date(2021, 2, 28), date(2029, 3, 1), "uk_minor_25"),
    (UK_RULE, date(2004, 2, 29), date(2020, 1, 1), date(2021, 3, 1), date(2030, 3, 1), "uk_minor_26"),
    # An entry on 29 Feb: 8 years on is 29 Feb again, except across 2100, which is no leap year.
    (UK_RULE, date(1950, 1, 1), date(2020, 1, 1), date(2020, 2, 29), date(2028, 2, 29), "uk_adult"),
    (UK_RULE, date(1950, 1, 1), date(2090, 1, 1), date(2092, 2, 29), date(2100, 3, 1), "uk_adult"),
    # NSW HRIP Act s25: 7 years from the last service; collected under 18: until 25, whichever is later.
    (NSW_RULE, date(1980, 1, 1), date(2019, 1, 1), date(2020, 3, 10), date(2027, 3, 10), "nsw_adult"),
    (NSW_RULE, date(2000, 1, 1), date(2018, 1, 1), date(2018, 2, 1), date(2025, 2, 1), "nsw_adult"),  # 18 at first
    (NSW_RULE, date(2000, 1, 1), date(2010, 1, 1), date(2012, 1, 1), date(2025, 1, 1), "nsw_minor_25"),
    (NSW_RULE, date(2000, 1, 1), date(2016, 6, 1), date(2030, 1, 1), date(2037, 1, 1), "nsw_minor_years"),
    # US: the practice's state rule; HIPAA's 6 years by default.
    (US_RULE, date(1980, 1, 1), date(2019, 1, 1), date(2020, 3, 10), date(2026, 3, 10), "us_adult"),
    (us_rule(10, 21), date(2010, 1, 1), date(2015, 1, 1), date(2018, 1, 1), date(2031, 1, 1), "us_minor_21"),
    (us_rule(10, 21), date(1990, 1, 1), date(2015, 1, 1), date(2018, 1, 1), date(2028, 1, 1), "us_adult"),
]
# fmt: on


@pytest.mark.parametrize(("rule", "born", "first", "last", "expected", "basis"), VECTORS)
def test_reviewed_vectors(rule: RetentionRule, born: date, first: date, last: date, expected: date, basis: str) -> None:
    decision = keep_until(RetentionFacts(born, first, last), rule)
    assert (decision.keep_until, decision.basis) == (expected, basis)


def test_the_refusal_says_until_when_and_why_in_plain_words() -> None:
    decision = keep_until(RetentionFacts(date(2003, 1, 15), date(2019, 1, 1), date(2020, 6, 1)), UK_RULE)
    hold = RetentionHold(decision)
    assert hold.message == (
        "This record must be kept until 15 January 2029: until the patient's 26th birthday, because they were "
        "17 when treatment ended (UK Records Management Code of Practice 2021)."
    )
    assert "restrict processing" in hold.hint
    adult = keep_until(RetentionFacts(date(1980, 5, 10), date(2020, 1, 1), date(2020, 3, 10)), NSW_RULE)
    assert adult.refusal == (
        "This record must be kept until 10 March 2027: 7 years after the last health service recorded "
        "(Health Records and Information Privacy Act 2002 (NSW) s25)."
    )


def test_erasure_is_allowed_only_from_the_day_after_keep_until() -> None:
    decision = keep_until(RetentionFacts(date(1980, 5, 10), date(2020, 1, 1), date(2020, 3, 10)), UK_RULE)
    assert not decision.allows_erasure_on(date(2028, 3, 9))
    assert not decision.allows_erasure_on(date(2028, 3, 10))
    assert decision.allows_erasure_on(date(2028, 3, 11))


# Properties --------------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
LEAP_BIRTHDAYS = st.integers(1900, 2100).filter(lambda y: y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))
BIRTHDAYS = st.one_of(DAYS, LEAP_BIRTHDAYS.map(lambda year: date(year, 2, 29)))
RULE_CHOICES = st.sampled_from([UK_RULE, NSW_RULE, US_RULE, us_rule(10, 21), us_rule(7)])


@st.composite
def facts(draw: st.DrawFn) -> RetentionFacts:
    """A date of birth, then a first and a last entry on or after it, in that order."""
    born = draw(BIRTHDAYS)
    first = draw(st.dates(min_value=born, max_value=date(2100, 12, 31)))
    last = draw(st.dates(min_value=first, max_value=date(2100, 12, 31)))
    return RetentionFacts(born, first, last)


@given(facts(), RULE_CHOICES)
def test_a_record_is_never_kept_less_than_the_years_after_its_last_entry(
    record: RetentionFacts, rule: RetentionRule
) -> None:
    decision = keep_until(record, rule)
    assert decision.keep_until >= anniversary(record.last_entry, rule.years_after_last_entry)
    assert decision.keep_until >= record.last_entry
    assert not decision.allows_erasure_on(decision.keep_until)
    assert decision.allows_erasure_on(decision.keep_until + timedelta(days=1))
    assert decision.basis.startswith(f"{rule.jurisdiction}_")


@given(BIRTHDAYS, st.integers(0, 6_500), st.integers(0, 20_000), st.sampled_from([UK_RULE, NSW_RULE]))
def test_a_childs_record_is_kept_at_least_until_the_25th_birthday(
    born: date, child_days: int, more_days: int, rule: RetentionRule
) -> None:
    """Seen as a child on the day the rule judges (UK: the last entry; NSW: the first collection)."""
    as_child = born + timedelta(days=child_days)
    record = (
        RetentionFacts(born, born, as_child)
        if rule is UK_RULE
        else RetentionFacts(born, as_child, as_child + timedelta(days=more_days))
    )
    assume(age_on(born, as_child) < 18)
    assert keep_until(record, rule).keep_until >= anniversary(born, 25)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2070, 12, 31)), st.integers(0, 364))
def test_uk_seventeen_at_the_end_of_treatment_keeps_until_the_26th_birthday(born: date, days: int) -> None:
    last = anniversary(born, 17) + timedelta(days=days)
    assume(age_on(born, last) == 17)
    assert keep_until(RetentionFacts(born, born, last), UK_RULE).keep_until == anniversary(born, 26)


@given(facts())
def test_uk_adults_at_the_end_of_treatment_get_exactly_eight_years(record: RetentionFacts) -> None:
    assume(age_on(record.date_of_birth, record.last_entry) >= 18)
    assert keep_until(record, UK_RULE).keep_until == anniversary(record.last_entry, 8)


@given(facts(), st.integers(0, 20_000), RULE_CHOICES)
def test_a_later_entry_never_ends_retention_sooner(record: RetentionFacts, days: int, rule: RetentionRule) -> None:
    later = min(record.last_entry + timedelta(days=days), date(2100, 12, 31))
    extended = RetentionFacts(record.date_of_birth, record.first_collected, later)
    assert keep_until(extended, rule).keep_until >= keep_until(record, rule).keep_until


@given(DAYS, st.integers(0, 120))
def test_an_anniversary_keeps_the_day_or_moves_29_february_to_1_march(day: date, years: int) -> None:
    later = anniversary(day, years)
    assert later.year == day.year + years
    if (day.month, day.day) == (2, 29) and later.month == 3:
        assert later.day == 1  # a common year: 1 March, the later of the two candidates (module docstring)
        assert later - timedelta(days=1) == date(later.year, 2, 28)
    else:
        assert (later.month, later.day) == (day.month, day.day)


@given(LEAP_BIRTHDAYS, st.integers(1, 100))
def test_someone_born_on_29_february_comes_of_age_on_1_march_in_a_common_year(year: int, age: int) -> None:
    birthday = anniversary(date(year, 2, 29), age)
    born = date(year, 2, 29)
    assert age_on(born, birthday) == age
    assert age_on(born, birthday - timedelta(days=1)) == age - 1


ZONES = [ZoneInfo(name) for name in ("Europe/London", "Australia/Sydney", "America/New_York",
                                       "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata")]  # fmt: skip
INSTANTS = st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 12, 30)).map(
    lambda moment: moment.replace(tzinfo=UTC)
)


@given(INSTANTS, st.sampled_from(ZONES))
def test_an_instant_ends_a_period_no_earlier_and_starts_one_no_later_than_any_clock_shows(
    moment: datetime, zone: ZoneInfo
) -> None:
    local = moment.astimezone(zone).date()
    assert earliest_calendar_date(moment) <= local <= latest_calendar_date(moment)
    assert latest_calendar_date(moment) - earliest_calendar_date(moment) <= timedelta(days=2)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2025, 3, 30, 0, 59, tzinfo=UTC),  # London: the last minute before the clocks go forward
        datetime(2025, 3, 30, 1, 0, tzinfo=UTC),  # ... and the first one after
        datetime(2025, 10, 26, 0, 30, tzinfo=UTC),  # London: the repeated hour
        datetime(2025, 10, 26, 1, 30, tzinfo=UTC),
        datetime(2025, 4, 5, 15, 30, tzinfo=UTC),  # Sydney: 02:30 daylight time, the hour that repeats
        datetime(2025, 10, 4, 16, 30, tzinfo=UTC),  # Sydney: just after the clocks go forward
    ],
)
def test_daylight_saving_changes_never_move_a_date_outside_the_bounds(moment: datetime) -> None:
    for zone in ZONES:
        assert earliest_calendar_date(moment) <= moment.astimezone(zone).date() <= latest_calendar_date(moment)


def test_an_instant_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        latest_calendar_date(datetime(2025, 1, 1, 12, 0))


@pytest.mark.parametrize("text", ["uk", "nsw", "us", "us:6", "us:10", "us:10:21", " UK "])
def test_a_rule_setting_reads_back_the_same(text: str) -> None:
    rule = parse_rule(text)
    assert parse_rule(rule_text(rule)) == rule
    assert rule_text(parse_rule("us")) == "us:6"


@pytest.mark.parametrize("text", ["", "england", "uk:8", "us:5", "us:ten", "us:10:17", "us:10:21:3", "nsw:7"])
def test_text_that_names_no_lawful_rule_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rule(text)


def test_long_dates_name_the_month() -> None:
    assert long_date(date(2033, 3, 1)) == "1 March 2033"
    assert long_date(date(2028, 12, 31)) == "31 December 2028"
