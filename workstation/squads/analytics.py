"""The pseudonymised squad analytics (RELIABILITY.md G4): numbers about athletes, never who they are.

Each row carries a keyed pseudonym (``pseudonyms``), an age band instead of a date of birth, a month
instead of a screening day, the availability as a code and the last screening's numbers; no name, date
of birth, contact detail, identifier, note or reason text. Rows are ordered by pseudonym, so not even
their order follows the (alphabetical) squad list. Counts leaving the clinic show 1-7 as "<8" (NHS
Digital disclosure control): ``SuppressedCount.shown``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from workstation.clinical.heel_raise import LSI_TARGET_PERCENT
from workstation.squads.athletes import AthleteFacts, age_of, heel_raise_lsi, heel_raise_lsi_shown, history_of
from workstation.squads.pseudonyms import pseudonym
from workstation.squads.records import Availability
from workstation.squads.views import AnalyticsRow, SquadAnalytics, SuppressedCount

# (lowest age, label); each band runs to the next one's lowest age. Wide enough that an age band and a
# squad rarely single out one athlete, and the junior band is one band however young.
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (0, "under 18"), (18, "18-24"), (25, "25-34"), (35, "35-44"), (45, "45-54"), (55, "55-64"), (65, "65 and over"),
)  # fmt: skip
ATHLETES_LABEL = "Athletes"
LSI_BELOW_TARGET_LABEL = f"Heel-raise LSI below {LSI_TARGET_PERCENT:g} %"  # CLINICAL.md 2.3
LSI_AT_TARGET_LABEL = f"Heel-raise LSI {LSI_TARGET_PERCENT:g} % or more"
LSI_NOT_MEASURED_LABEL = "Heel-raise LSI not measured"


def age_band(age: int | None) -> str:
    """The band an age falls in ("" when unknown)."""
    if age is None:
        return ""
    return next(label for lowest, label in reversed(AGE_BANDS) if age >= lowest)


def analytics_row(athlete: AthleteFacts, on: date, key: bytes) -> AnalyticsRow:
    """One athlete as the analytics show them."""
    last = history_of(athlete.results, on).last
    return AnalyticsRow(
        pseudonym=pseudonym(key, athlete.patient_uid),
        age_band=age_band(age_of(athlete.member, on)),
        sex=athlete.member.sex.value,
        availability=athlete.availability.availability.value,
        last_screened_month="" if last is None else f"{last.held_on:%Y-%m}",
        values={} if last is None else dict(last.values),
        heel_raise_lsi=None if last is None else heel_raise_lsi_shown(last.values),
    )


def build_analytics(squad_id: int, on: date, athletes: Sequence[AthleteFacts], key: bytes) -> SquadAnalytics:
    """The analytics of ``athletes`` on ``on`` with the practice's pseudonym ``key``.

    Args:
        squad_id: the squad's id.
        on: the day of the availability and the latest screening counted.
        athletes: the members the role may see.
        key: the pseudonym key (``pseudonyms.load_or_create_key``).
    """
    rows = sorted((analytics_row(athlete, on, key) for athlete in athletes), key=lambda row: row.pseudonym)
    return SquadAnalytics(squad_id, on, tuple(rows), counts(athletes, on))


def counts(athletes: Sequence[AthleteFacts], on: date) -> tuple[SuppressedCount, ...]:
    """How many athletes in all, by availability and by LSI band (each shown suppressed when 1-7)."""
    by_availability = {availability: 0 for availability in Availability}
    below = at_target = unmeasured = 0
    for athlete in athletes:
        by_availability[athlete.availability.availability] += 1
        last = history_of(athlete.results, on).last
        lsi = None if last is None else heel_raise_lsi(last.values)
        if lsi is None:
            unmeasured += 1
        elif lsi < LSI_TARGET_PERCENT:
            below += 1
        else:
            at_target += 1
    return (
        SuppressedCount(ATHLETES_LABEL, len(athletes)),
        *(SuppressedCount(availability.label, count) for availability, count in by_availability.items()),
        SuppressedCount(LSI_BELOW_TARGET_LABEL, below),
        SuppressedCount(LSI_AT_TARGET_LABEL, at_target),
        SuppressedCount(LSI_NOT_MEASURED_LABEL, unmeasured),
    )
