"""What the dashboard, its charts and the analytics read about each current member, gathered once.

The service reads the records; these plain values are all the pure builders see, so the same athlete
gives the same LSI, change and flags on the dashboard, in its charts and in the analytics.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from workstation.clinical.heel_raise import limb_symmetry_fraction
from workstation.clinical.rounding import decimal_of, one_decimal
from workstation.records import age_on
from workstation.squads.records import SCREENING_KEYS, AvailabilityStatus, ScreeningResult
from workstation.squads.screening_flags import HEEL_RAISE_KEYS
from workstation.squads.views import SquadMember


@dataclass(frozen=True, slots=True, repr=False)
class AthleteFacts:
    """One current member: who (as the role may see them), their pseudonym's source, and their record's gist."""

    member: SquadMember
    patient_uid: str
    availability: AvailabilityStatus
    results: tuple[ScreeningResult, ...] = ()  # the athlete's completed screenings in this squad, oldest first
    open_red_flags: int = 0

    def __repr__(self) -> str:
        return f"AthleteFacts(patient_id={self.member.patient_id})"


@dataclass(frozen=True, slots=True)
class ScreeningHistory:
    """An athlete's last completed screening on or before a day, and the one before it."""

    last: ScreeningResult | None
    before: ScreeningResult | None

    @property
    def change(self) -> dict[str, float]:
        """Last minus the one before, for each measure taken both times (between the decimals as typed)."""
        if self.last is None or self.before is None:
            return {}
        return {
            key: float(decimal_of(self.last.values[key]) - decimal_of(self.before.values[key]))
            for key in SCREENING_KEYS
            if key in self.last.values and key in self.before.values
        }


def history_of(results: Sequence[ScreeningResult], on: date) -> ScreeningHistory:
    """The last two of ``results`` (oldest first) held on or before ``on``."""
    held = [result for result in results if result.held_on <= on]
    return ScreeningHistory(held[-1] if held else None, held[-2] if len(held) > 1 else None)


def heel_raise_lsi(values: Mapping[str, float]) -> Fraction | None:
    """CLINICAL.md 2.3 with no involved side: the lower straight-knee count over the higher, x 100, exact."""
    left, right = (values.get(key) for key in HEEL_RAISE_KEYS)
    if left is None or right is None:
        return None
    return limb_symmetry_fraction(int(min(left, right)), int(max(left, right)))


def heel_raise_lsi_shown(values: Mapping[str, float]) -> float | None:
    """The LSI to one decimal place, as the engine shows it."""
    lsi = heel_raise_lsi(values)
    return None if lsi is None else one_decimal(lsi)


def age_of(member: SquadMember, day: date) -> int | None:
    """Completed years on ``day``; None when the date of birth is not known (or hidden)."""
    return None if member.date_of_birth is None else age_on(member.date_of_birth, day)
