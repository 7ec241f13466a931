"""The pseudonymised analytics (RELIABILITY.md G4): the scanner over 10,000 synthetic patients finds no direct
identifier in the export text, counts of 1-7 leave the clinic as "<8", and ages and days are coarsened."""

from __future__ import annotations

import re
from datetime import date, timedelta
from random import Random

import pytest

from workstation.demo import generate_patients
from workstation.exchange.squad_export import analytics_counts_table, analytics_csv
from workstation.records import Patient
from workstation.squads.analytics import age_band, build_analytics
from workstation.squads.athletes import AthleteFacts
from workstation.squads.availability import walk_run_reason
from workstation.squads.pseudonyms import pseudonym
from workstation.squads.records import (
    SCREENING_MEASURES,
    Availability,
    AvailabilityStatus,
    Membership,
    ScreeningResult,
)
from workstation.squads.views import SquadAnalytics, SquadMember, SuppressedCount

TODAY = date(2026, 12, 16)
KEY = bytes(range(32))
STATUSES = (
    AvailabilityStatus(Availability.AVAILABLE, "Fit to train"),
    AvailabilityStatus(Availability.MODIFIED, walk_run_reason(3), date(2026, 12, 1)),
    AvailabilityStatus(Availability.UNAVAILABLE, "Red flag: see the physio", date(2026, 12, 10)),
    AvailabilityStatus(Availability.UNAVAILABLE, "Awaiting assessment", date(2026, 12, 2)),
)
# The analytics file's own words (headers, labels, codes): a name that is one of these is not found in it.
FORMAT_WORDS = frozenset(
    {
        "pseudonym", "age", "band", "sex", "availability", "last", "screened", "month", "heel", "raise", "l", "r",
        "bent", "knee", "to", "wall", "pain", "lsi", "count", "of", "athletes", "available", "modified",
        "unavailable", "below", "or", "more", "not", "measured", "under", "and", "over", "female", "male", "other",
        "not_stated",
    }
)


def _athlete(patient: Patient, index: int, rng: Random) -> AthleteFacts:
    member = SquadMember(Membership(1, index, date(2026, 9, 1), id=index), index, patient.display_name,
                         patient.date_of_birth, patient.sex)  # fmt: skip
    results = []
    for held_on in (date(2026, 9, 14), date(2026, 11, 3))[: rng.randrange(3)]:
        values = {m.key: float(rng.randint(int(m.minimum), int(m.maximum)) if m.whole_number else
                               round(rng.uniform(m.minimum, m.maximum), 1)) for m in SCREENING_MEASURES
                  if rng.random() < 0.9}  # fmt: skip
        results.append(ScreeningResult(held_on.day, index, held_on, values))
    return AthleteFacts(member, patient.uid, STATUSES[index % len(STATUSES)], tuple(results), index % 3)


@pytest.fixture(scope="module")
def squad() -> tuple[list[Patient], SquadAnalytics]:
    rng = Random(4)
    patients = [p.with_changes(id=i) for i, p in enumerate(generate_patients(10_000, 21, TODAY), start=1)]
    athletes = [_athlete(patient, patient.id or 0, rng) for patient in patients]
    return patients, build_analytics(1, TODAY, athletes, KEY)


def _export_text(analytics: SquadAnalytics) -> str:
    """Everything that leaves the clinic: the CSV file, the counts table and the records themselves."""
    headers, rows = analytics_counts_table(analytics)
    counts = "\n".join(",".join(str(cell) for cell in row) for row in [headers, *rows])
    return "\n".join((analytics_csv(analytics).decode("utf-8-sig"), counts, repr(analytics.rows),
                      repr(analytics.counts)))  # fmt: skip


PSEUDONYM = re.compile(r"\b[0-9a-f]{12}\b")
DATE_FORMS = re.compile(r"\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}|date\(\d+, \d+, \d+\)|\d{8}")


def _date_forms(born: date) -> set[str]:
    return {born.isoformat(), f"{born:%d/%m/%Y}", f"{born:%m/%d/%Y}", f"date({born.year}, {born.month}, {born.day})",
            f"{born:%Y%m%d}"}  # fmt: skip


def _tokens(text: str) -> set[str]:
    return {part for part in re.split(r"[^\w]+", text.casefold()) if len(part) > 1}


def _leaks(patient: Patient, words: set[str], digit_runs: set[str], dates: set[str]) -> list[str]:
    """What of this patient's identity the export text holds (each found by a set look-up: 10,000 are scanned)."""
    found = []
    names = " ".join((patient.given_name, patient.family_name, patient.preferred_name))
    found += [f"name part {part!r}" for part in (_tokens(names) - FORMAT_WORDS) & words]
    address = {part for part in _tokens(patient.address) if len(part) > 2 and not part.isdigit()}
    found += [f"address part {part!r}" for part in (address - FORMAT_WORDS) & words]
    found += [f"date of birth {form}" for form in _date_forms(patient.date_of_birth) & dates]
    numbers = {re.sub(r"\D", "", n) for n in (patient.phone, patient.nhs_number, patient.medicare_number) if n}
    found += [f"number {number}" for number in numbers & digit_runs]
    return found


def test_the_scanner_finds_no_direct_identifier_in_10000_athletes(squad: tuple[list[Patient], SquadAnalytics]) -> None:
    patients, analytics = squad
    assert len(analytics.rows) == 10_000
    text = _export_text(analytics)
    assert set(PSEUDONYM.findall(text)) == {row.pseudonym for row in analytics.rows}
    bare = PSEUDONYM.sub("<p>", text)  # the keyed pseudonyms: hex digits that are nobody's number
    words, digit_runs, dates = _tokens(bare), set(re.findall(r"\d+", bare)), set(DATE_FORMS.findall(bare))
    found = [f"patient {p.id}: {leak}" for p in patients for leak in _leaks(p, words, digit_runs, dates)]
    assert found == []
    assert "@" not in text  # no email address of any form
    assert re.search(r"\d{6,}", bare) is None  # no phone, NHS or Medicare number, or compact date, of anyone's
    assert dates == set()  # no day at all, of birth or of screening: months only
    # the scan had something to find: every synthetic patient has a name, a date of birth and an identifier
    assert all(p.family_name or p.given_name for p in patients)
    assert sum(bool(p.nhs_number or p.medicare_number) for p in patients) > 9_000
    assert sum("@" in p.email for p in patients) > 5_000 and sum(bool(p.address) for p in patients) > 5_000


def test_the_scanner_would_find_a_leak(squad: tuple[list[Patient], SquadAnalytics]) -> None:
    """The scan is not blind: text that does name someone is caught."""
    patients, _ = squad
    patient = next(p for p in patients if p.nhs_number and p.address and len(p.family_name) > 3)
    leaked = f"{patient.family_name},{patient.date_of_birth.isoformat()},{patient.nhs_number},{patient.address}"
    words, digits, dates = _tokens(leaked), set(re.findall(r"\d+", leaked)), set(DATE_FORMS.findall(leaked))
    kinds = {leak.split(" ")[0] for leak in _leaks(patient, words, digits, dates)}
    assert kinds >= {"name", "address", "date", "number"}


def test_no_free_text_and_each_row_is_a_keyed_pseudonym(squad: tuple[list[Patient], SquadAnalytics]) -> None:
    patients, analytics = squad
    text = _export_text(analytics)
    for status in STATUSES:
        assert status.reason not in text
    assert {row.pseudonym for row in analytics.rows} == {pseudonym(KEY, p.uid) for p in patients}  # no collisions
    assert all(re.fullmatch(r"[0-9a-f]{12}", row.pseudonym) for row in analytics.rows)
    assert [row.pseudonym for row in analytics.rows] == sorted(row.pseudonym for row in analytics.rows)
    assert {row.last_screened_month for row in analytics.rows} == {"", "2026-09", "2026-11"}
    assert {row.age_band for row in analytics.rows} <= {"under 18", "18-24", "25-34", "35-44", "45-54", "55-64",
                                                       "65 and over", ""}  # fmt: skip
    assert sum(c.count for c in analytics.counts if c.label in ("Available", "Modified", "Unavailable")) == 10_000


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "<8"), (2, "<8"), (7, "<8"), (8, "8"), (9, "9")])
def test_counts_of_one_to_seven_are_suppressed(count: int, shown: str) -> None:
    assert SuppressedCount("Athletes", count).shown == shown


@pytest.mark.parametrize("size", range(1, 10))
def test_a_small_squads_counts_leave_the_clinic_suppressed(size: int) -> None:
    patients = [p.with_changes(id=i) for i, p in enumerate(generate_patients(size, 3, TODAY), start=1)]
    athletes = [_athlete(patient, patient.id or 0, Random(size)) for patient in patients]
    analytics = build_analytics(1, TODAY, athletes, KEY)
    shown = dict(analytics_counts_table(analytics)[1])
    assert shown["Athletes"] == ("<8" if size <= 7 else str(size))
    for count in analytics.counts:
        assert count.shown == ("<8" if 1 <= count.count <= 7 else str(count.count))
        assert shown[count.label] == count.shown


@pytest.mark.parametrize(
    ("age", "band"),
    [(None, ""), (0, "under 18"), (17, "under 18"), (18, "18-24"), (24, "18-24"), (25, "25-34"), (34, "25-34"),
     (35, "35-44"), (54, "45-54"), (55, "55-64"), (64, "55-64"), (65, "65 and over"), (101, "65 and over")],
)  # fmt: skip
def test_age_bands(age: int | None, band: str) -> None:
    assert age_band(age) == band


def test_the_age_band_is_on_the_day_of_the_analytics() -> None:
    (patient,) = [p.with_changes(id=1, date_of_birth=TODAY - timedelta(days=365 * 18 + 4)) for p in
                  generate_patients(1, 5, TODAY)]  # fmt: skip
    athlete = _athlete(patient, 1, Random(1))
    assert build_analytics(1, TODAY, [athlete], KEY).rows[0].age_band == "18-24"
    assert build_analytics(1, TODAY - timedelta(days=10), [athlete], KEY).rows[0].age_band == "under 18"
