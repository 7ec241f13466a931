"""What a progress chart draws, as plain data: the app (pyqtgraph) and letters (ReportLab) draw the same.

``workstation.progress.series.build_progress`` makes a ``ProgressSeries`` from a patient's records; the
widgets and the PDF charts only draw it. Values are in the units shown (distance in the clinic's unit),
rounded as the engine shows them; dates are calendar days (a chart's x axis).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Literal

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.clinical.load import DistanceUnit, SpikeBand
from workstation.records import Episode, Observation, Patient, Side
from workstation.running.records import RunRecord

ChartKey = Literal["heel_raise", "lsi", "knee_to_wall", "pain", "lefs", "weekly_distance"]
CHART_ORDER: tuple[ChartKey, ...] = ("heel_raise", "lsi", "knee_to_wall", "pain", "lefs", "weekly_distance")
ReferenceKind = Literal["norm", "target", "aspirational", "threshold"]
MarkerKind = Literal["onset", "red_flag", "discharge"]


class DateRange(enum.Enum):
    """The range selector: how far back from today the charts show."""

    LAST_3_MONTHS = 3
    LAST_6_MONTHS = 6
    LAST_12_MONTHS = 12
    ALL = 0

    @property
    def label(self) -> str:
        return "All" if self is DateRange.ALL else f"Last {self.value} months"


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One plotted value. ``assessment_id`` is the finalised assessment it came from (a click opens it),
    None for a value measured outside one (a week of running, a standalone observation)."""

    on: date
    value: float
    assessment_id: int | None
    hover: str  # what hovering shows, e.g. "12 Mar 2026 · Left 24 reps · assessment of 12 Mar 2026"


@dataclass(frozen=True, slots=True)
class Series:
    """One line of points. ``side`` is LEFT or RIGHT for the two legs (drawn in the left/right colours,
    the same everywhere), NONE for everything else."""

    key: str  # unique within its chart: "left", "right", "lsi", "nprs_now", ...
    label: str  # legend text: "Left", "Right", "Pain now", ...
    side: Side
    points: tuple[ChartPoint, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference line: a norm, a target, a threshold. A step line when it changes over time (the age
    norm moves at a decade birthday), so it is drawn through ``points`` in order."""

    key: str  # "age_sex_norm", "target_30", "aspirational_40", "lsi_90", "mcid", "asymmetry"
    label: str  # legend text, short (the sources are in docs/progress.md): "Runner target 30"
    kind: ReferenceKind
    points: tuple[tuple[date, float], ...]


@dataclass(frozen=True, slots=True)
class ErrorBand:
    """The measurement error around a side's latest value: changes inside it are not real changes."""

    key: str  # "left_error", "right_error"
    label: str  # "±6 reps: measurement error"
    side: Side
    on: date
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Chart:
    key: ChartKey
    title: str  # "Heel raise (reps)"
    y_label: str  # "reps", "%", "cm", "0-10", "points", "km"
    series: tuple[Series, ...]
    references: tuple[Reference, ...]
    bands: tuple[ErrorBand, ...]
    y_range: tuple[float, float] | None  # a fixed scale where the measure has one (0-10, 0-80), else None
    empty_text: str  # said in place of the plot when no series has a point: "No heel-raise test yet"

    @property
    def is_empty(self) -> bool:
        return not any(s.points for s in self.series)


@dataclass(frozen=True, slots=True)
class WeekBar:
    week_start: date  # Monday
    distance: float  # in the series' unit
    hover: str


@dataclass(frozen=True, slots=True)
class SpikeMark:
    """A run over 110 % of the longest run of the previous 30 days [Frandsen 2025]."""

    on: date
    distance: float  # the run, in the series' unit
    week_total: float  # its week's total, in the series' unit (where the marker sits on the bars)
    percent_of_baseline: float
    band: SpikeBand
    hover: str


@dataclass(frozen=True, slots=True)
class StageSpan:
    """The return-to-run stage from one assessment's plan until the next (CLINICAL.md 7.2)."""

    start: date
    end: date  # the next assessment, or today for the latest
    phase: int | None  # walk-run phase 1-6; None: not running
    label: str  # "Walk-run phase 3", "Not running"
    assessment_id: int | None


@dataclass(frozen=True, slots=True)
class Marker:
    """An event on the shared time axis: onset, a red flag (with the action taken), a discharge."""

    on: date
    kind: MarkerKind
    label: str  # short: "Onset", "Red flag: suspected DVT", "Discharged"
    detail: str  # hover: the flag's tier, message and the action recorded (or "no action recorded yet")


@dataclass(frozen=True, slots=True)
class ProgressSeries:
    charts: tuple[Chart, ...]  # in CHART_ORDER; the weekly-distance chart carries no series of its own
    weeks: tuple[WeekBar, ...]
    spikes: tuple[SpikeMark, ...]
    stages: tuple[StageSpan, ...]
    markers: tuple[Marker, ...]
    unit: DistanceUnit
    first_day: date | None  # the earliest date anything is plotted (None: nothing at all)
    last_day: date | None
    patient_id: int | None = None  # whose records these are (the window checks it is still their record)

    def chart(self, key: ChartKey) -> Chart:
        return next(c for c in self.charts if c.key == key)


@dataclass(frozen=True, slots=True)
class ProgressInputs:
    """Everything the charts are made from, read in one go on the database thread."""

    patient: Patient
    observations: tuple[Observation, ...]  # current versions (no superseded corrections)
    assessments: tuple[AssessmentRecord, ...]  # current versions (no amended originals), oldest first
    runs: tuple[RunRecord, ...]
    episodes: tuple[Episode, ...]
    red_flags: tuple[RedFlagRecord, ...]  # resolved and unresolved

# The two legs, the same everywhere (app charts, PDF charts, tables): Okabe-Ito blue and vermillion, a pair
# told apart with every common colour-vision deficiency; the shapes differ too, so colour is never alone.
LEFT_COLOUR = "#0072B2"
RIGHT_COLOUR = "#D55E00"
LEFT_SYMBOL = "o"  # circle
RIGHT_SYMBOL = "s"  # square
