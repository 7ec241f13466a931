"""Clubs, squads, who is in them, and screening days, as every layer passes them around.

An athlete is a patient: one record serves the clinic episode and the squad view. A membership has a
start and (once the athlete leaves) an end, so a squad's list on any past day can be read back. A
screening is one evening's measurements for a squad: its entries are the worksheet, kept as the physio
types so an unfinished screening resumes; completing it stores each entry's values as observations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType

from workstation.records import Side, new_uid


@dataclass(frozen=True, slots=True)
class Club:
    name: str
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0


@dataclass(frozen=True, slots=True, repr=False)
class Squad:
    """A squad of a club for a season ("Senior women", "2026/27"). Names are unique within a club and season."""

    club_id: int
    name: str
    season: str = ""
    coach_name: str = ""
    coach_email: str = ""
    coach_phone: str = ""
    archived: bool = False
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0

    def __repr__(self) -> str:
        return f"Squad(id={self.id}, version={self.version})"

    @property
    def title(self) -> str:
        return f"{self.name} ({self.season})" if self.season else self.name


@dataclass(frozen=True, slots=True)
class Membership:
    """An athlete in a squad from ``joined_on`` until ``left_on`` (None while still in it)."""

    squad_id: int
    patient_id: int
    joined_on: date
    left_on: date | None = None
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0

    def current_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


class ScreeningStatus(Enum):
    OPEN = "open"  # still being filled in: it resumes where it was left
    COMPLETED = "completed"  # its values are stored as observations; the worksheet is read-only

    @property
    def label(self) -> str:
        return {"open": "In progress", "completed": "Completed"}[self.value]


@dataclass(frozen=True, slots=True)
class ScreeningMeasure:
    """One column of the screening grid and the observation it becomes."""

    key: str  # the column's key in ``ScreeningEntry.values``
    code: str  # the observation code (workstation.assessment.observation_codes)
    side: Side
    unit: str
    label: str
    minimum: float
    maximum: float
    whole_number: bool


# The grid's columns, in the order Tab moves through them. Codes and units are those the assessment
# stores (observation_codes.OBSERVATION_SOURCES), so the progress charts and FHIR export read them alike.
# fmt: off
SCREENING_MEASURES: tuple[ScreeningMeasure, ...] = (
    ScreeningMeasure("heel_raise_left", "heel_raise_reps", Side.LEFT, "reps", "Heel raise L", 0, 150, True),
    ScreeningMeasure("heel_raise_right", "heel_raise_reps", Side.RIGHT, "reps", "Heel raise R", 0, 150, True),
    ScreeningMeasure("bent_knee_left", "heel_raise_bent_reps", Side.LEFT, "reps", "Bent knee L", 0, 150, True),
    ScreeningMeasure("bent_knee_right", "heel_raise_bent_reps", Side.RIGHT, "reps", "Bent knee R", 0, 150, True),
    ScreeningMeasure("knee_to_wall_left", "knee_to_wall_cm", Side.LEFT, "cm", "Knee to wall L", 0, 25, False),
    ScreeningMeasure("knee_to_wall_right", "knee_to_wall_cm", Side.RIGHT, "cm", "Knee to wall R", 0, 25, False),
    ScreeningMeasure("pain", "nprs_now", Side.NONE, "0-10", "Pain (0–10)", 0, 10, True),
)
# fmt: on
SCREENING_KEYS: tuple[str, ...] = tuple(measure.key for measure in SCREENING_MEASURES)
MEASURE_BY_KEY: Mapping[str, ScreeningMeasure] = MappingProxyType({m.key: m for m in SCREENING_MEASURES})
SCREENING_NOTE_MAX_CHARS = 2_000  # a line or two beside the numbers; the record's notes live elsewhere


@dataclass(frozen=True, slots=True)
class Screening:
    """A screening day of one squad."""

    squad_id: int
    held_on: date
    status: ScreeningStatus = ScreeningStatus.OPEN
    started_by: int | None = None
    completed_at: datetime | None = None  # UTC, set by the repository when it completes
    completed_by: int | None = None
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0


@dataclass(frozen=True, slots=True, repr=False)
class ScreeningEntry:
    """One athlete's row of a screening's worksheet. A value not measured is absent (never 0)."""

    screening_id: int
    patient_id: int
    values: Mapping[str, float] = field(default_factory=dict)  # keys from SCREENING_KEYS
    note: str = ""
    id: int | None = None
    version: int = 0

    def __repr__(self) -> str:  # the note is clinical text: never in a log
        return f"ScreeningEntry(id={self.id}, screening_id={self.screening_id}, patient_id={self.patient_id})"

    @property
    def is_empty(self) -> bool:
        return not self.values and not self.note.strip()


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """One athlete's values at one completed screening, as currently recorded (a later correction of an
    observation shows here too)."""

    screening_id: int
    patient_id: int
    held_on: date
    values: Mapping[str, float]


class Availability(Enum):
    AVAILABLE = "available"
    MODIFIED = "modified"  # training, with limits: a return-to-run phase
    UNAVAILABLE = "unavailable"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        """Sort order: the athletes who need attention first."""
        return {"unavailable": 0, "modified": 1, "available": 2}[self.value]


@dataclass(frozen=True, slots=True)
class AvailabilityStatus:
    """What club staff may see (G5): the availability and a reason with no clinical detail."""

    availability: Availability
    reason: str  # e.g. "Return to running: walk-run phase 3", "Awaiting assessment", "Fit to train"
    since: date | None = None


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What one athlete import stored, all in one transaction."""

    squad: Squad  # as stored (created by the import if it was new)
    created: int  # new patients
    merged: int  # existing patients whose blank fields were filled from the file
    joined: int  # memberships started (new and existing patients)
    already_members: int  # existing patients who were in the squad already
