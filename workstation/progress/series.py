"""A patient's records turned into the series their progress charts draw (issue 7).

Observations measured in an amended (superseded) assessment are left out: only the current version of each
assessment is plotted. Observations measured outside any assessment are plotted with ``assessment_id``
None. Values are rounded as the engine shows them (reps, NPRS and LEFS whole, the rest one decimal).

Knee to wall: CLINICAL.md 3.1 flags a possible asymmetry when the two legs differ by 1.5 cm or more, a
threshold on the *difference*, not on either leg. Drawn at 1.5 cm beside legs at 8-14 cm it would mean
nothing, so the chart carries a derived "Gap between legs" line (|left − right| where both legs were
measured on the same visit; the hover says which leg reaches less) with the 1.5 cm threshold on it.
The shared time axis (running weeks, spikes, stages, markers) is made in ``timeline``; the range selector's
window in ``window``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from workstation.assessment.records import AssessmentRecord
from workstation.clinical.flexibility import POSSIBLE_ASYMMETRY_CM
from workstation.clinical.heel_raise import (
    HEEL_RAISE_ASPIRATIONAL_REPS,
    HEEL_RAISE_RUNNER_TARGET_REPS,
    LSI_TARGET_PERCENT,
    age_sex_norm_reps,
)
from workstation.clinical.load import DistanceUnit
from workstation.clinical.outcomes import LEFS_MCID_POINTS
from workstation.clinical.rounding import one_decimal
from workstation.dates import DateOrder
from workstation.progress.chart_data import (
    Chart,
    ChartKey,
    ChartPoint,
    ProgressInputs,
    ProgressSeries,
    Reference,
    Series,
)
from workstation.progress.timeline import DayNames, episode_markers, running_series, stage_spans
from workstation.progress.window import error_bands, extent, spanning, window_of, within
from workstation.records import Observation, Patient, Side

__all__ = ["build_progress", "window_of", "within"]

LEFS_MAX_POINTS = 80  # CLINICAL.md 7.1: the LEFS total runs from 0 to 80 [Binkley 1999]
PAIN_SCALE = (0.0, 10.0)  # NPRS and PSFS are both scored 0-10 (CLINICAL.md 7.1)


@dataclass(frozen=True, slots=True)
class _Line:
    """One plotted line: which observations, how they are named and rounded."""

    code: str
    side: Side | None  # None: any side (the LSI is stored on the involved side, or BOTH)
    key: str
    label: str
    decimals: int
    unit: str  # as it follows the number in the hover: " reps", " %", " cm", "/10"


_LINES: dict[ChartKey, tuple[_Line, ...]] = {
    "heel_raise": (
        _Line("heel_raise_reps", Side.LEFT, "left", "Left", 0, " reps"),
        _Line("heel_raise_reps", Side.RIGHT, "right", "Right", 0, " reps"),
    ),
    "lsi": (_Line("heel_raise_lsi", None, "lsi", "LSI", 1, " %"),),
    "knee_to_wall": (
        _Line("knee_to_wall_cm", Side.LEFT, "left", "Left", 1, " cm"),
        _Line("knee_to_wall_cm", Side.RIGHT, "right", "Right", 1, " cm"),
    ),
    "pain": (
        _Line("nprs_now", None, "nprs_now", "Pain now", 0, "/10"),
        _Line("nprs_during_run", None, "nprs_during_run", "Pain during running", 0, "/10"),
        _Line("nprs_worst_24h", None, "nprs_worst_24h", "Worst pain in 24 hours", 0, "/10"),
        _Line("psfs_mean", None, "psfs_mean", "PSFS mean", 1, "/10"),
    ),
    "lefs": (_Line("lefs_total", None, "lefs", "LEFS", 0, f"/{LEFS_MAX_POINTS}"),),
}
_CODES = frozenset(line.code for lines in _LINES.values() for line in lines)
_CHARTS: dict[ChartKey, tuple[str, str, tuple[float, float] | None, str]] = {
    # key: (title, y label, fixed y range, what an empty chart says)
    "heel_raise": ("Heel raise (reps)", "reps", None, "No heel-raise test yet"),
    "lsi": ("Limb symmetry index (%)", "%", None, "No limb symmetry yet: it needs both legs tested"),
    "knee_to_wall": ("Knee to wall (cm)", "cm", None, "No knee-to-wall test yet"),
    "pain": ("Pain and function (0-10)", "0-10", PAIN_SCALE, "No pain or PSFS scores yet"),
    "lefs": ("LEFS (points)", "points", (0.0, float(LEFS_MAX_POINTS)), "No LEFS score yet"),
    "weekly_distance": ("Weekly running distance", "", None, "No runs logged yet"),
}


def build_progress(
    inputs: ProgressInputs,
    *,
    today: date,
    unit: DistanceUnit,
    date_order: DateOrder = DateOrder.DAY_MONTH_YEAR,
) -> ProgressSeries:
    """Every chart of the progress view, the running weeks, spikes, stages and episode markers."""
    day = DayNames(date_order)
    visits = _visit_names(inputs.assessments, day)
    by_code = _current_observations(inputs.observations, visits)
    lines: dict[ChartKey, list[Series]] = {
        key: [_series(line, by_code.get(line.code, ()), day, visits) for line in specs] for key, specs in _LINES.items()
    }
    lines["knee_to_wall"].append(_gap_series(lines["knee_to_wall"][0], lines["knee_to_wall"][1], day, visits))
    weeks, spikes = running_series(inputs.runs, unit, day)
    stages = stage_spans(inputs.assessments, inputs.episodes, today)
    markers = episode_markers(inputs.episodes, inputs.red_flags)
    bare = [_chart(key, tuple(found), (), unit) for key, found in lines.items()]
    first, last = extent(bare, weeks, (s.on for s in spikes), stages, (m.on for m in markers))
    references = _references(inputs.patient, lines, first, last)
    charts = tuple(
        _chart(key, tuple(lines[key]), references.get(key, ()), unit) if key in lines else _chart(key, (), (), unit)
        for key in _CHARTS
    )
    return ProgressSeries(charts, weeks, spikes, stages, markers, unit, first, last, inputs.patient.id)


def _visit_names(assessments: Iterable[AssessmentRecord], day: DayNames) -> dict[int | None, str]:
    """What a hover says about where a value was measured, by assessment id (None: outside one)."""
    names: dict[int | None, str] = {None: "measured outside an assessment"}
    for record in assessments:
        if record.id is not None:
            amended = " (amended)" if record.amends_id is not None else ""
            names[record.id] = f"assessment of {day(record.assessed_on)}{amended}"
    return names


def _current_observations(
    observations: Iterable[Observation], visits: dict[int | None, str]
) -> dict[str, list[Observation]]:
    """The charted observations by code, oldest first; those of a superseded assessment left out."""
    by_code: dict[str, list[Observation]] = defaultdict(list)
    for observation in observations:
        if observation.code in _CODES and observation.assessment_id in visits:
            by_code[observation.code].append(observation)
    for found in by_code.values():
        found.sort(key=lambda o: (o.observed_on, o.id if o.id is not None else 0))
    return by_code


def _rounded(value: float, decimals: int) -> float:
    if decimals:
        return one_decimal(value)
    return float(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _series(line: _Line, observations: Sequence[Observation], day: DayNames, visits: dict[int | None, str]) -> Series:
    # Measures repeat (reps are whole, cm and scores have one decimal): round and spell each value once.
    shown: dict[float, tuple[float, str]] = {}
    points = []
    for observation in observations:
        if line.side is not None and observation.side is not line.side:
            continue
        found = shown.get(observation.value)
        if found is None:
            value = _rounded(observation.value, line.decimals)
            found = shown[observation.value] = (value, f" · {line.label} {value:.{line.decimals}f}{line.unit} · ")
        on, visit = observation.observed_on, observation.assessment_id
        points.append(ChartPoint(on, found[0], visit, day(on) + found[1] + visits[visit]))
    return Series(line.key, line.label, line.side or Side.NONE, tuple(points))


def _gap_series(left: Series, right: Series, day: DayNames, visits: dict[int | None, str]) -> Series:
    """|left − right| for each visit where both legs were measured (the latest pair of that day and visit)."""
    rights = {(p.on, p.assessment_id): p.value for p in right.points}
    gaps: dict[tuple[date, int | None], ChartPoint] = {}
    for point in left.points:
        other = rights.get((point.on, point.assessment_id))
        if other is None:
            continue
        gap = one_decimal(Decimal(repr(point.value)) - Decimal(repr(other)))
        shorter = "left reaches less" if gap < 0 else "right reaches less" if gap > 0 else "equal"
        hover = f"{day(point.on)} · Gap {abs(gap):.1f} cm ({shorter}) · {visits[point.assessment_id]}"
        gaps[(point.on, point.assessment_id)] = ChartPoint(point.on, abs(gap), point.assessment_id, hover)
    return Series("gap", "Gap between legs", Side.NONE, tuple(gaps.values()))


def _chart(key: ChartKey, lines: tuple[Series, ...], references: tuple[Reference, ...], unit: DistanceUnit) -> Chart:
    title, y_label, y_range, empty = _CHARTS[key]
    if key == "weekly_distance":
        title, y_label = f"{title} ({unit})", unit
    bands = error_bands(lines) if key == "heel_raise" else ()
    return Chart(key, title, y_label, lines, references, bands, y_range, empty)


# --- reference lines ------------------------------------------------------------------------------------------


def _references(
    patient: Patient, lines: dict[ChartKey, list[Series]], first: date | None, last: date | None
) -> dict[ChartKey, tuple[Reference, ...]]:
    def flat(key: str, label: str, kind: str, value: float) -> Reference:
        return spanning(Reference(key, label, kind, ((date.min, float(value)),)), first, last)  # type: ignore[arg-type]

    heel = [
        flat("target_30", f"Runner target {HEEL_RAISE_RUNNER_TARGET_REPS}", "target",
             HEEL_RAISE_RUNNER_TARGET_REPS),
        flat("aspirational_40", f"Aspirational {HEEL_RAISE_ASPIRATIONAL_REPS}",
             "aspirational", HEEL_RAISE_ASPIRATIONAL_REPS),
    ]  # fmt: skip
    norm = _norm_steps(patient, first, last)
    if norm:
        heel.insert(0, Reference("age_sex_norm", "Norm for age and sex", "norm", norm))
    references: dict[ChartKey, tuple[Reference, ...]] = {
        "heel_raise": tuple(heel),
        "lsi": (flat("lsi_90", f"Target {LSI_TARGET_PERCENT:g} %", "target",
                     LSI_TARGET_PERCENT),),
        "knee_to_wall": (
            flat("asymmetry", f"Gap of {POSSIBLE_ASYMMETRY_CM:g} cm: possible asymmetry",
                 "threshold", POSSIBLE_ASYMMETRY_CM),
        ),
    }  # fmt: skip
    lefs = lines["lefs"][0].points
    if lefs and lefs[0].value + LEFS_MCID_POINTS <= LEFS_MAX_POINTS:  # above 80 no change could reach it
        mcid = lefs[0].value + LEFS_MCID_POINTS
        label = f"First LEFS + {LEFS_MCID_POINTS} points (smallest important change)"
        references["lefs"] = (flat("mcid", label, "threshold", mcid),)
    return references


def _norm_steps(patient: Patient, first: date | None, last: date | None) -> tuple[tuple[date, float], ...]:
    """The age and sex norm from ``first`` to ``last``, stepping at each decade birthday where it changes."""
    sex = patient.sex.value
    if first is None or last is None or sex not in ("male", "female"):
        return ()

    def norm_on(day: date) -> float | None:
        value = age_sex_norm_reps(patient.age_on(day), sex)  # type: ignore[arg-type]
        return None if value is None else float(value)

    start = norm_on(first)
    if start is None:
        return ()
    points = [(first, start)]
    born = patient.date_of_birth
    for decade in range((patient.age_on(first) // 10 + 1) * 10, patient.age_on(last) + 1, 10):
        birthday = _birthday(born, born.year + decade)
        after, previous = norm_on(birthday), points[-1][1]
        if after is not None and after != previous:
            points.extend(((birthday, previous), (birthday, after)))
    points.append((last, points[-1][1]))
    return tuple(points)


def _birthday(born: date, year: int) -> date:
    """A 29 February birthday falls on 1 March in common years (as ``Patient.age_on`` counts it)."""
    try:
        return born.replace(year=year)
    except ValueError:
        return date(year, 3, 1)
