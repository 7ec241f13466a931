"""Hypothesis strategies for ``calfdesk.assessment/1`` documents, written from the contract's text.

Nothing here imports the validator: the field names, enums and ranges are copied from
/work/shared/clinical/assessment-json.md, so a test that feeds these documents to the engine checks the
engine against the spec, not against itself. ``assessment_documents`` builds valid documents (every key
may be absent, null or answered); ``broken_documents`` takes one and breaks exactly one rule, saying
which path a problem line must name.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

TODAY = date(2026, 12, 1)  # the clinic's "today" for every generated document
SCHEMA = "calfdesk.assessment/1"
MAX_AGE_YEARS = 120  # the contract refuses a date of birth that gives an older patient

SIDES = ("left", "right", "both")
SEXES = ("male", "female", "other", "unknown")
ONSETS = ("sudden", "gradual", "unsure")
ONSET_ACTIVITIES = (
    "acceleration", "sprint", "hill", "jump", "steady_run", "late_long_run", "not_running", "unknown",
)  # fmt: skip
ONSET_SENSATIONS = ("pop", "pull", "sharp", "cramp", "tightening", "shot")
PAIN_LOCATIONS = ("upper_medial", "mid", "low_above_achilles", "lateral_fibula", "diffuse")
TINGLING = ("none", "exercise_only", "constant")
LOAD_CHANGES = (
    "mileage_increase", "hills", "speed_work", "intensity", "back_after_break", "barefoot_or_minimal_shoes",
    "lower_drop_shoes", "new_or_worn_shoes", "forefoot_strike", "surface_change", "gym_same_or_previous_day",
    "new_acceleration_sport",
)  # fmt: skip
DVT_RISK_FACTORS = (
    "long_travel", "hospital_stay", "recent_surgery", "immobilisation", "active_cancer", "previous_dvt_pe",
    "family_history", "oestrogen_therapy", "pregnancy_postpartum", "smoker", "overweight", "age_over_60",
)  # fmt: skip
PROTOCOLS = ("incline_10deg_60bpm", "flat_floor", "step", "other")
KNEES = ("straight", "bent")
STOPPED_BY_PAIN = ("none", "left", "right", "both")
NEURAL_RESULTS = ("positive", "negative", "inconclusive", "not_tested")
WELLS_ITEMS = (
    "active_cancer", "paralysis_paresis_or_plaster", "bedridden_3_days_or_major_surgery_12_weeks",
    "deep_vein_tenderness", "whole_leg_swollen", "calf_swelling_3cm", "pitting_oedema_symptomatic_leg",
    "collateral_superficial_veins", "previous_dvt", "alternative_diagnosis_as_likely",
)  # fmt: skip
HISTORY_YES_NO = (
    "could_continue_running", "pain_builds_predictably_in_run", "settles_within_minutes_of_stopping",
    "tightness_lingers_after_runs", "delayed_soreness_after_unaccustomed_session", "involuntary_cramp_episode",
    "pain_walking_or_daily_activity", "pain_at_rest_or_night", "bruising", "back_buttock_or_thigh_symptoms",
    "pressure_or_fullness_during_exercise", "previous_calf_strain", "bone_health_risk", "previous_race_cramping",
)  # fmt: skip
EXAMINATION_YES_NO = (
    "calf_swelling_warmth_or_redness", "local_muscle_tenderness", "focal_fibula_tenderness", "hop_pain",
    "straight_knee_loading_worse_than_bent", "bent_knee_loading_worse_than_straight", "normal_at_rest",
)  # fmt: skip
RED_FLAG_YES_NO = (
    "dvt_suspected", "pulmonary_embolism_symptoms", "cauda_equina_signs", "progressive_weakness",
    "acute_compartment_signs", "cellulitis_signs", "systemic_illness", "suspected_rupture",
    "cold_pale_pulseless_foot", "exercise_claudication", "cancer_history_weight_loss_or_night_pain",
    "severe_unexplained_pain",
)  # fmt: skip

Document = dict[str, Any]


# ---- kinds of value: what is valid, what is the wrong type, what is out of range -------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of leaf value in the contract: how to make a valid one and how to break it."""

    valid: st.SearchStrategy[Any]
    wrong_type: tuple[Any, ...]
    out_of_range: tuple[Any, ...] = ()


def _yes_no() -> Kind:
    # A number for a boolean (0, 1) is the classic spreadsheet export slip.
    return Kind(st.booleans(), wrong_type=(0, 1, 1.0, "true", "no", [], {}, [True]))


def _integer(low: int, high: int, *, near: tuple[int, ...] = ()) -> Kind:
    edges = st.sampled_from(sorted({low, high, *near}))
    # JSON has one number type: 18.0 is the integer 18 (as in JSON Schema), so it is valid too.
    valid = st.integers(low, high) | edges | edges.map(float)
    return Kind(
        valid,
        wrong_type=("18", str(high), True, False, 1.5, low + 0.5, [], {}, [low]),
        out_of_range=(low - 1, high + 1, -(10**20), 10**20, float(high + 1)),
    )


def _centimetres(low: float, high: float) -> Kind:
    tenths = st.integers(int(low * 10), int(high * 10)).map(lambda n: n / 10)  # as a clinician types them
    edges = st.sampled_from([low, high, int(low), int(high), 1.45, 1.5, 2.0, 9.95, 11.45])
    valid = tenths | edges | st.floats(low, high, allow_nan=False, allow_infinity=False)
    return Kind(
        valid,
        wrong_type=("9.0", True, False, [], {}, [9.0]),
        out_of_range=(low - 0.1, high + 0.5, -1, 1e300, float("inf"), float("-inf"), float("nan")),
    )


def _choice(values: tuple[str, ...]) -> Kind:
    return Kind(
        st.sampled_from(values),
        # Case matters: "LEFT" is not "left".
        wrong_type=(3, True, "", values[0].upper(), "not_a_code", [values[0]], {}),
    )


def _codes(values: tuple[str, ...]) -> Kind:
    # An empty list is an answer ("none of these"), so it is valid.
    return Kind(
        st.lists(st.sampled_from(values), unique=True, max_size=len(values)),
        wrong_type=({}, values[0], 3, True, [3], ["not_a_code"], [None], [values[0], values[0]]),
    )


def _iso_dates(low: date, high: date) -> st.SearchStrategy[str]:
    return st.dates(min_value=low, max_value=high).map(date.isoformat)


BAD_DATES = (
    20261120, "20-11-2026", "2026-02-30", "2026-13-01", "2025-02-29", "2026-11-20T10:00", "2026-1-5", "",
    "2026/11/20", "\uff12\uff10\uff12\uff16-11-20", "0000-01-01", True, [], {"year": 2026},
)  # fmt: skip
DATE = Kind(_iso_dates(date(1900, 1, 1), TODAY), wrong_type=BAD_DATES)
YES_NO = _yes_no()
NPRS = _integer(0, 10)
ACTIVITY = Kind(
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=200).filter(str.strip)
    | st.sampled_from(["Run 10 km", "x" * 200, " Hills ", "Laufen über 5 km"]),
    wrong_type=("", "   ", "\t\n", "x" * 201, 3, True, [], {}),
)
SECTION_WRONG_TYPES = (3, "history", [], True, 1.5, [{}])

# Every leaf of the contract, by path; "[0]" stands for the first PSFS activity.
FIELDS: dict[str, Kind] = {
    "schema": Kind(st.just(SCHEMA), wrong_type=("calfdesk.assessment/2", "calfdesk.evaluation/1", 1, [SCHEMA])),
    "assessed_on": DATE,
    "patient.date_of_birth": DATE,
    "patient.age_years": _integer(0, MAX_AGE_YEARS, near=(19, 20, 39, 40, 89, 90)),
    "patient.sex": _choice(SEXES),
    "symptomatic_side": _choice(SIDES),
    "history.onset": _choice(ONSETS),
    "history.onset_activity": _choice(ONSET_ACTIVITIES),
    "history.onset_sensation": _choice(ONSET_SENSATIONS),
    **{f"history.{name}": YES_NO for name in HISTORY_YES_NO},
    "history.pain_location": _choice(PAIN_LOCATIONS),
    "history.foot_tingling_or_numbness": _choice(TINGLING),
    "history.recent_load_changes": _codes(LOAD_CHANGES),
    "history.nprs_now": NPRS,
    "history.nprs_worst_24h": NPRS,
    "history.nprs_during_run": NPRS,
    **{f"examination.{name}": YES_NO for name in EXAMINATION_YES_NO},
    "heel_raise.left_reps": _integer(0, 500, near=(1, 29, 30, 31)),
    "heel_raise.right_reps": _integer(0, 500, near=(1, 29, 30, 31)),
    "heel_raise.protocol": _choice(PROTOCOLS),
    "heel_raise.knee": _choice(KNEES),
    "heel_raise.stopped_by_pain": _choice(STOPPED_BY_PAIN),
    "heel_raise.reproduced_symptoms": YES_NO,
    "knee_to_wall.left_cm": _centimetres(0, 30),
    "knee_to_wall.right_cm": _centimetres(0, 30),
    "neural.slump": _choice(NEURAL_RESULTS),
    "neural.straight_leg_raise": _choice(NEURAL_RESULTS),
    "neural.neurological_deficit": YES_NO,
    **{f"red_flags.wells.{name}": YES_NO for name in WELLS_ITEMS},
    "red_flags.dvt_risk_factors": _codes(DVT_RISK_FACTORS),
    **{f"red_flags.{name}": YES_NO for name in RED_FLAG_YES_NO},
    "outcomes.psfs[0].activity": ACTIVITY,
    "outcomes.psfs[0].score": NPRS,
    "outcomes.lefs_total": _integer(0, 80),
}
REQUIRED = ("schema", "assessed_on", "symptomatic_side")
OBJECTS = (
    "", "patient", "history", "examination", "heel_raise", "knee_to_wall", "neural", "red_flags",
    "red_flags.wells", "outcomes", "outcomes.psfs[0]",
)  # fmt: skip
SECTIONS = tuple(path for path in OBJECTS if path and not path.endswith("]"))
PSFS_WRONG = ({}, "Run", [], [{"activity": f"Activity {n}"} for n in range(6)], [3], [None], [{"score": 4}])


def keys_of(object_path: str) -> set[str]:
    """The keys the contract allows in the object at ``object_path`` ("" is the document itself)."""
    prefix = f"{object_path}." if object_path else ""
    leaves = [path[len(prefix) :] for path in FIELDS if path.startswith(prefix)]
    return {leaf.split(".")[0].split("[")[0] for leaf in leaves}


# ---- valid documents ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    """How much of a document is answered: each key is absent, null or answered, in these proportions.

    One weight per document gives sparse documents (mostly "not answered") as well as dense ones, where
    many rules fire at once; ``complete`` answers every key.
    """

    complete: bool
    answered_weight: int = 1

    def presence(self, draw: st.DrawFn) -> str:
        if self.complete:
            return "value"
        return draw(st.sampled_from(["absent", "null", *["value"] * self.answered_weight]))


def _fill_in(draw: st.DrawFn, fields: Mapping[str, st.SearchStrategy[Any]], fill: Fill) -> Document:
    """An object with ``fields``' keys, each absent, null or drawn as ``fill`` decides."""
    section: Document = {}
    for key, strategy in fields.items():
        presence = fill.presence(draw)
        if presence != "absent":
            section[key] = None if presence == "null" else draw(strategy)
    return section


def _leaves(path: str) -> dict[str, st.SearchStrategy[Any]]:
    """The valid-value strategies of the leaves directly inside the object at ``path``."""
    return {name[len(path) + 1 :]: kind.valid for name, kind in FIELDS.items() if name.rpartition(".")[0] == path}


@st.composite
def _section(draw: st.DrawFn, path: str, fill: Fill) -> Document:
    return _fill_in(draw, _leaves(path), fill)


@st.composite
def _psfs(draw: st.DrawFn, fill: Fill) -> list[Document]:
    """One to five activities; the activity is required, its score may be absent or null."""
    count = draw(st.integers(1, 5))
    score = {"score": NPRS.valid}
    return [{"activity": draw(ACTIVITY.valid), **_fill_in(draw, score, fill)} for _ in range(count)]


@st.composite
def _wells(draw: st.DrawFn, fill: Fill) -> Document:
    # A fully answered screen is drawn often on purpose: the DVT rules need complete scores to fire.
    every_item = Fill(complete=True) if fill.complete or draw(st.booleans()) else fill
    return draw(_section("red_flags.wells", every_item))


@st.composite
def _patient(draw: st.DrawFn, assessed_on: date, fill: Fill) -> Document:
    """Date of birth or age in years (never both), or neither; the birth is on or before the assessment."""
    oldest = date(assessed_on.year - MAX_AGE_YEARS, 1, 1)  # gives at most 120 completed years
    forms = ["date_of_birth", "age_years"] if fill.complete else ["date_of_birth", "age_years", None]
    form = draw(st.sampled_from(forms))
    patient: Document = {}
    if form == "date_of_birth":
        patient["date_of_birth"] = draw(_iso_dates(oldest, assessed_on))
    elif form == "age_years":
        patient["age_years"] = draw(FIELDS["patient.age_years"].valid)
    other = "age_years" if form == "date_of_birth" else "date_of_birth"
    if fill.complete or draw(st.booleans()):
        patient[other] = None  # "not answered" beside the form used is still one form
    patient.update(_fill_in(draw, {"sex": FIELDS["patient.sex"].valid}, fill))
    return patient


@st.composite
def _red_flags(draw: st.DrawFn, fill: Fill) -> Document:
    # Most red-flag answers are "no" in a clinic, and a document with every flag raised tests little.
    rarely_true = st.sampled_from([False, False, True])
    fields = {key: rarely_true if value is YES_NO.valid else value for key, value in _leaves("red_flags").items()}
    flags = _fill_in(draw, fields, fill)
    flags.update(_fill_in(draw, {"wells": _wells(fill)}, fill))
    return flags


@st.composite
def _outcomes(draw: st.DrawFn, fill: Fill) -> Document:
    outcomes = draw(_section("outcomes", fill))
    outcomes.update(_fill_in(draw, {"psfs": _psfs(fill)}, fill))
    return outcomes


@st.composite
def assessment_documents(draw: st.DrawFn, *, complete: bool = False) -> Document:
    """A valid assessment assessed on or before :data:`TODAY`.

    Args:
        draw: Hypothesis's draw function.
        complete: every key of the contract present (only the unused one of date_of_birth / age_years is null).
    """
    fill = Fill(complete=True) if complete else Fill(complete=False, answered_weight=draw(st.sampled_from([1, 3, 8])))
    assessed_on = draw(st.dates(min_value=date(1990, 1, 1), max_value=TODAY) | st.just(TODAY))
    document: Document = {
        "schema": SCHEMA,
        "assessed_on": assessed_on.isoformat(),
        "symptomatic_side": draw(st.sampled_from(SIDES)),
    }
    parts: dict[str, st.SearchStrategy[Any]] = {
        "patient": _patient(assessed_on, fill),
        **{name: _section(name, fill) for name in ("history", "examination", "heel_raise", "knee_to_wall")},
        "neural": _section("neural", fill),
        "red_flags": _red_flags(fill),
        "outcomes": _outcomes(fill),
    }
    document.update(_fill_in(draw, parts, fill))
    return document


# ---- broken documents ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """A document with one rule broken; some problem line must start with one of ``paths``."""

    document: Document
    paths: tuple[str, ...]
    what: str
    schema_can_tell: bool = True  # False for the date rules JSON Schema cannot express


def _parts(path: str) -> list[str | int]:
    """``"outcomes.psfs[0].score"`` -> ``["outcomes", "psfs", 0, "score"]``."""
    parts: list[str | int] = []
    for piece in path.split("."):
        name, _, index = piece.partition("[")
        parts.append(name)
        if index:
            parts.append(int(index.rstrip("]")))
    return parts


def _container(document: Document, parts: list[str | int]) -> Any:
    """The object holding the last part of a path, creating empty sections (and one PSFS activity) on the way."""
    here: Any = document
    for part, following in itertools.pairwise(parts):
        if isinstance(part, int):
            here = here[part]
            continue
        if following == 0 and not isinstance(here.get(part), list):
            here[part] = [{"activity": "Run 5 km"}]
        elif not isinstance(here.get(part), dict | list):
            here[part] = {}
        here = here[part]
    return here


def set_at(document: Document, path: str, value: Any) -> Document:
    """A deep copy of ``document`` with ``value`` at ``path`` (missing sections are created empty)."""
    changed = copy.deepcopy(document)
    parts = _parts(path)
    _container(changed, parts)[parts[-1]] = value
    return changed


def _object_at(document: Document, path: str) -> Any:
    """The object at ``path`` ("" is the document), created empty if it is absent or null."""
    return _container(document, [*_parts(path), "leaf"]) if path else document


@st.composite
def _unknown_key(draw: st.DrawFn, document: Document) -> Broken:
    where = draw(st.sampled_from(OBJECTS))
    known = keys_of(where)
    key = draw(st.text(st.characters(codec="utf-8"), min_size=1, max_size=20).filter(lambda k: k not in known))
    changed = copy.deepcopy(document)
    _object_at(changed, where)[key] = draw(st.none() | st.integers() | st.text(max_size=5) | st.booleans())
    path = f"{where}.{key}" if where else key
    return Broken(changed, (path,), f"unknown key {path!r}")


@st.composite
def _wrong_value(draw: st.DrawFn, document: Document, out_of_range: bool) -> Broken:
    candidates = [path for path, kind in FIELDS.items() if kind.out_of_range] if out_of_range else list(FIELDS)
    path = draw(st.sampled_from(candidates))
    kind = FIELDS[path]
    value = draw(st.sampled_from(kind.out_of_range if out_of_range else kind.wrong_type))
    # NaN compares false with both bounds, so JSON Schema's minimum/maximum let it through (JSON has no NaN).
    is_nan = isinstance(value, float) and math.isnan(value)
    return Broken(set_at(document, path, value), (path,), f"{path} = {value!r}", schema_can_tell=not is_nan)


@st.composite
def _wrong_section(draw: st.DrawFn, document: Document) -> Broken:
    path = draw(st.sampled_from([*SECTIONS, "outcomes.psfs"]))
    value = draw(st.sampled_from(PSFS_WRONG if path == "outcomes.psfs" else SECTION_WRONG_TYPES))
    return Broken(set_at(document, path, value), (path,), f"{path} = {value!r}")


@st.composite
def _missing_required(draw: st.DrawFn, document: Document) -> Broken:
    key = draw(st.sampled_from(REQUIRED))
    changed = copy.deepcopy(document)
    if draw(st.booleans()):
        changed[key] = None  # null is "not answered", and these must be answered
    else:
        del changed[key]
    return Broken(changed, (key,), f"{key} missing")


@st.composite
def _impossible_dates(draw: st.DrawFn, document: Document) -> Broken:
    """The three date rules: not in the future, not before birth, not over 120 years old."""
    rule = draw(st.sampled_from(["future", "before_birth", "too_old", "both_forms"]))
    changed = copy.deepcopy(document)
    assessed_on = date.fromisoformat(changed["assessed_on"])
    if rule == "future":
        changed["assessed_on"] = (TODAY + timedelta(days=draw(st.integers(1, 4000)))).isoformat()
        return Broken(changed, ("assessed_on",), "assessed in the future", schema_can_tell=False)
    if rule == "both_forms":
        changed["patient"] = {"date_of_birth": "1990-04-02", "age_years": draw(st.integers(0, MAX_AGE_YEARS))}
        return Broken(changed, ("patient",), "date_of_birth and age_years")
    if rule == "before_birth":
        born = assessed_on + timedelta(days=draw(st.integers(1, 3000)))
        changed["patient"] = {"date_of_birth": born.isoformat()}
        paths = ("assessed_on", "patient.date_of_birth")
        return Broken(changed, paths, "assessed before birth", schema_can_tell=False)
    born = date(assessed_on.year - MAX_AGE_YEARS - 1 - draw(st.integers(0, 50)), 1, 1)
    changed["patient"] = {"date_of_birth": born.isoformat()}
    return Broken(changed, ("patient.date_of_birth",), "over 120 years old", schema_can_tell=False)


MUTATIONS: Mapping[str, Callable[[Document], st.SearchStrategy[Broken]]] = {
    "unknown_key": _unknown_key,
    "wrong_type": lambda document: _wrong_value(document, out_of_range=False),
    "out_of_range": lambda document: _wrong_value(document, out_of_range=True),
    "wrong_section": _wrong_section,
    "missing_required": _missing_required,
    "impossible_dates": _impossible_dates,
}


@st.composite
def broken_documents(draw: st.DrawFn) -> Broken:
    """A valid document with one contract rule broken (an unknown key, a wrong type, a value out of range...)."""
    document = draw(assessment_documents())
    mutation = draw(st.sampled_from(sorted(MUTATIONS)))
    return draw(MUTATIONS[mutation](document))
