"""What the squad screens and exports read: the worksheet, the dashboard and the pseudonymised analytics.

These are computed by ``workstation.services.squads`` from the records; they hold no Qt and no SQL. A
field a role may not see is left at its blank default by the service (club staff get availability and
nothing clinical, G5), so a view cannot show it by forgetting to hide it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from workstation.records import Sex
from workstation.squads.records import AvailabilityStatus, Membership, Screening, ScreeningEntry, ScreeningResult


@dataclass(frozen=True, slots=True, repr=False)
class SquadMember:
    """An athlete in a squad list: who, and their membership. Fields the role may not see are blank."""

    membership: Membership
    patient_id: int
    display_name: str  # "Family, Given" as in the patient list
    date_of_birth: date | None
    sex: Sex = Sex.NOT_STATED

    def __repr__(self) -> str:
        return f"SquadMember(patient_id={self.patient_id})"


class FlagLevel(Enum):
    INFO = "info"  # worth knowing, no action (e.g. below the aspirational 40 reps)
    CAUTION = "caution"  # below a target or asymmetric: look again before loading
    ALERT = "alert"  # pain on screening or a drop beyond measurement error: assess before training

    @property
    def rank(self) -> int:
        return {"alert": 0, "caution": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class ScreeningFlag:
    """One finding of the screening rules (``workstation.squads.screening_flags``), with its source."""

    code: str  # e.g. "heel_raise_lsi_low", "heel_raise_below_target", "knee_to_wall_asymmetry"
    level: FlagLevel
    text: str  # short, for the grid: "Heel-raise LSI 82 % (target ≥ 90 %)"
    keys: tuple[str, ...] = ()  # the SCREENING_KEYS the flag is about, to colour those cells
    source: str = ""  # "CLINICAL.md 2.3"


@dataclass(frozen=True, slots=True, repr=False)
class WorksheetRow:
    member: SquadMember
    entry: ScreeningEntry | None  # None until something is typed for this athlete
    previous: ScreeningResult | None  # the athlete's last completed screening before this one
    flags: tuple[ScreeningFlag, ...] = ()
    age: int | None = None  # on the screening day, for the norms

    def __repr__(self) -> str:
        return f"WorksheetRow(patient_id={self.member.patient_id})"


@dataclass(frozen=True, slots=True)
class Worksheet:
    screening: Screening
    rows: tuple[WorksheetRow, ...]  # the squad's current members on the screening day, in list order


@dataclass(frozen=True, slots=True, repr=False)
class DashboardRow:
    """One athlete on the squad dashboard. For club staff only ``member`` and ``availability`` are set."""

    member: SquadMember
    availability: AvailabilityStatus
    last_screened: date | None = None
    values: Mapping[str, float] = field(default_factory=dict)  # the last screening's values, by SCREENING_KEYS
    change: Mapping[str, float] = field(default_factory=dict)  # last minus the one before, by key
    heel_raise_lsi: float | None = None  # lower side / higher side x 100 at the last screening
    flags: tuple[ScreeningFlag, ...] = ()
    open_red_flags: int = 0

    def __repr__(self) -> str:
        return f"DashboardRow(patient_id={self.member.patient_id})"


@dataclass(frozen=True, slots=True)
class LsiBin:
    low: float  # inclusive, %
    high: float  # exclusive, % (the last bin includes 100)
    count: int


@dataclass(frozen=True, slots=True)
class RepsPoint:
    """One leg of one athlete at the last screening, against their age-sex norm (CLINICAL.md 2.2)."""

    patient_id: int
    age: int | None
    reps: float
    norm: float | None


@dataclass(frozen=True, slots=True)
class ChangePoint:
    patient_id: int
    key: str
    before: float
    after: float


@dataclass(frozen=True, slots=True)
class DashboardCharts:
    lsi_bins: tuple[LsiBin, ...] = ()
    reps_vs_norm: tuple[RepsPoint, ...] = ()
    changes: tuple[ChangePoint, ...] = ()


@dataclass(frozen=True, slots=True)
class Dashboard:
    squad_id: int
    on: date
    rows: tuple[DashboardRow, ...]  # most in need of attention first (availability rank, then flags, then name)
    charts: DashboardCharts
    clinical_visible: bool  # False for club staff: no values, flags or charts

    def count(self, availability: object) -> int:
        return sum(1 for row in self.rows if row.availability.availability is availability)


@dataclass(frozen=True, slots=True)
class AnalyticsRow:
    """An athlete with no direct identifier (G4): a keyed pseudonym, an age band, and numbers only."""

    pseudonym: str  # HMAC-SHA256 of the patient uid with the practice's pseudonym key, first 12 hex digits
    age_band: str  # "18-24", "25-34", ... ; "" when unknown
    sex: str  # "female" | "male" | "other" | "not_stated"
    availability: str  # Availability.value
    last_screened_month: str  # "2026-11": a month, not a day
    values: Mapping[str, float] = field(default_factory=dict)
    heel_raise_lsi: float | None = None


@dataclass(frozen=True, slots=True)
class SuppressedCount:
    """A count as it may leave the clinic: 1-7 are shown as "<8" (NHS Digital disclosure control, G4)."""

    label: str
    count: int

    @property
    def shown(self) -> str:
        return "<8" if 1 <= self.count <= 7 else str(self.count)


@dataclass(frozen=True, slots=True)
class SquadAnalytics:
    squad_id: int
    on: date
    rows: tuple[AnalyticsRow, ...]
    counts: tuple[SuppressedCount, ...]  # availability counts and LSI bands, suppressed for export
