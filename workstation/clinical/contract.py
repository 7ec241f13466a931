"""Validation of a ``calfdesk.assessment/1`` document: every problem named by its path, or one record.

The field table below *is* the input contract (``docs/assessment-contract.md`` describes it in words,
``docs/contracts/assessment.schema.json`` as JSON Schema; a test keeps the three in step). Every problem
in a document is reported, not just the first, so a clinician fixing an export sees them all at once.
"""

from __future__ import annotations

import json
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from workstation.clinical.assessment import (
    SCHEMA,
    Assessment,
    Examination,
    HeelRaiseTest,
    History,
    KneeToWallTest,
    NeuralTests,
    Outcomes,
    PatientFacts,
    PsfsActivity,
    RedFlagAnswers,
    WellsAnswers,
)
from workstation.errors import CalfDeskError

MAX_AGE_YEARS = 120  # older is a typing error in a date of birth, not a patient
ROOT = "document"  # how a problem with the whole document names its path


class AssessmentInvalid(CalfDeskError):
    """A document broke the contract; ``errors`` holds one ``"path: message"`` line per problem."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(self.errors))


Errors = list[str]


class Rule(ABC):
    """One value's type and range; ``check`` returns the value to keep, or appends a problem."""

    description = ""

    def valid_as_is(self, value: Any) -> bool:
        """A quick yes for the common case (a right value needing no conversion); False means "check it"."""
        return False

    @abstractmethod
    def check(self, value: Any, path: str, errors: Errors) -> Any: ...

    def fail(self, path: str, errors: Errors) -> None:
        errors.append(f"{path}: must be {self.description}")


class Boolean(Rule):
    description = "true, false or null"

    def valid_as_is(self, value: Any) -> bool:
        return value is True or value is False

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if isinstance(value, bool):
            return value
        return self.fail(path, errors)


class Integer(Rule):
    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high
        self.description = f"an integer from {low} to {high}"

    def valid_as_is(self, value: Any) -> bool:
        return type(value) is int and self.low <= value <= self.high

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        # JSON has one number type: 18.0 is the integer 18 (as in JSON Schema); true is not a number.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and self.low <= value <= self.high:
            return value
        return self.fail(path, errors)


class Number(Rule):
    def __init__(self, low: float, high: float, unit: str) -> None:
        self.low, self.high = low, high
        self.description = f"a number from {low:g} to {high:g} ({unit})"

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        number = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        if number and self.low <= value <= self.high:
            return float(value)
        return self.fail(path, errors)


class Choice(Rule):
    def __init__(self, *values: str) -> None:
        self.values = values
        self.allowed = frozenset(values)
        quoted = [f'"{v}"' for v in values]
        self.description = quoted[0] if len(quoted) == 1 else "one of " + ", ".join(quoted)

    def valid_as_is(self, value: Any) -> bool:
        return type(value) is str and value in self.allowed

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if isinstance(value, str) and value in self.values:
            return value
        return self.fail(path, errors)


class Choices(Rule):
    """A list of distinct codes (an empty list is an answer: "none of these")."""

    def __init__(self, *values: str) -> None:
        self.values = values
        self.description = "a list of distinct values from " + ", ".join(f'"{v}"' for v in values)

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if not isinstance(value, list):
            return self.fail(path, errors)
        before = len(errors)
        for index, item in enumerate(value):
            if not isinstance(item, str) or item not in self.values:
                errors.append(f"{path}[{index}]: must be one of " + ", ".join(f'"{v}"' for v in self.values))
            elif item in value[:index]:
                errors.append(f'{path}[{index}]: "{item}" is listed twice')
        return tuple(value) if len(errors) == before else None


class IsoDate(Rule):
    description = "a real date written YYYY-MM-DD"

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        return self.fail(path, errors)


class Text(Rule):
    def __init__(self, longest: int) -> None:
        self.longest = longest
        self.description = f"text of 1 to {longest} characters"

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if isinstance(value, str) and value.strip() and len(value) <= self.longest:
            return value
        return self.fail(path, errors)


class Section(Rule):
    """A JSON object with known keys; ``required`` keys must be present and not null."""

    def __init__(self, fields: Mapping[str, Rule], required: tuple[str, ...] = ()) -> None:
        self.fields, self.required = dict(fields), required
        self.description = "an object"

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if not isinstance(value, dict):
            return self.fail(path, errors)
        kept: dict[str, Any] = {}
        fields = self.fields
        for key, item in value.items():
            rule = fields.get(key)
            if item is None and rule is not None:
                continue
            if rule is not None and rule.valid_as_is(item):
                kept[key] = item
                continue
            where = _path_of(path, key)
            if rule is None:
                errors.append(f"{where}: unknown key")
            else:
                kept[key] = rule.check(item, where, errors)
        for key in self.required:
            if value.get(key) is None:
                errors.append(f"{path}.{key}: is required" if path else f"{key}: is required")
        return kept


class Activities(Rule):
    """PSFS: one to five activities the patient named, each scored 0 to 10 (CLINICAL.md 7.1)."""

    description = "a list of 1 to 5 activities"
    item = Section({"activity": Text(200), "score": Integer(0, 10)}, required=("activity",))

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if not isinstance(value, list) or not 1 <= len(value) <= 5:
            return self.fail(path, errors)
        return tuple(self.item.check(entry, f"{path}[{index}]", errors) for index, entry in enumerate(value))


YES_NO = Boolean()
NPRS = Integer(0, 10)
LOAD_CHANGES = (
    "mileage_increase", "hills", "speed_work", "intensity", "back_after_break", "barefoot_or_minimal_shoes",
    "lower_drop_shoes", "new_or_worn_shoes", "forefoot_strike", "surface_change", "gym_same_or_previous_day",
    "new_acceleration_sport",
)  # fmt: skip
DVT_RISK_FACTORS = (
    "long_travel", "hospital_stay", "recent_surgery", "immobilisation", "active_cancer", "previous_dvt_pe",
    "family_history", "oestrogen_therapy", "pregnancy_postpartum", "smoker", "overweight", "age_over_60",
)  # fmt: skip
WELLS_KEYS = tuple(WellsAnswers.__slots__)
NEURAL_RESULT = Choice("positive", "negative", "inconclusive", "not_tested")

HISTORY_YES_NO = (
    "could_continue_running", "pain_builds_predictably_in_run", "settles_within_minutes_of_stopping",
    "tightness_lingers_after_runs", "delayed_soreness_after_unaccustomed_session",
    "involuntary_cramp_episode", "pain_walking_or_daily_activity", "pain_at_rest_or_night", "bruising",
    "back_buttock_or_thigh_symptoms", "pressure_or_fullness_during_exercise", "previous_calf_strain",
    "bone_health_risk", "previous_race_cramping",
)  # fmt: skip
PATIENT = Section({"date_of_birth": IsoDate(), "age_years": Integer(0, MAX_AGE_YEARS),
                   "sex": Choice("male", "female", "other", "unknown")})  # fmt: skip
HISTORY = Section(
    {
        "onset": Choice("sudden", "gradual", "unsure"),
        "onset_activity": Choice(
            "acceleration", "sprint", "hill", "jump", "steady_run", "late_long_run", "not_running", "unknown"
        ),
        "onset_sensation": Choice("pop", "pull", "sharp", "cramp", "tightening", "shot"),
        **dict.fromkeys(HISTORY_YES_NO, YES_NO),
        "pain_location": Choice("upper_medial", "mid", "low_above_achilles", "lateral_fibula", "diffuse"),
        "foot_tingling_or_numbness": Choice("none", "exercise_only", "constant"),
        "recent_load_changes": Choices(*LOAD_CHANGES),
        "nprs_now": NPRS,
        "nprs_worst_24h": NPRS,
        "nprs_during_run": NPRS,
    }
)
EXAMINATION = Section(dict.fromkeys(Examination.__slots__, YES_NO))
HEEL_RAISE = Section(
    {
        "left_reps": Integer(0, 500),
        "right_reps": Integer(0, 500),
        "protocol": Choice("incline_10deg_60bpm", "flat_floor", "step", "other"),
        "knee": Choice("straight", "bent"),
        "stopped_by_pain": Choice("none", "left", "right", "both"),
        "reproduced_symptoms": YES_NO,
    }
)
KNEE_TO_WALL = Section({"left_cm": Number(0, 30, "cm"), "right_cm": Number(0, 30, "cm")})
NEURAL = Section({"slump": NEURAL_RESULT, "straight_leg_raise": NEURAL_RESULT, "neurological_deficit": YES_NO})
RED_FLAGS = Section(
    {
        "wells": Section(dict.fromkeys(WELLS_KEYS, YES_NO)),
        "dvt_risk_factors": Choices(*DVT_RISK_FACTORS),
        **dict.fromkeys((key for key in RedFlagAnswers.__slots__ if key not in ("wells", "dvt_risk_factors")), YES_NO),
    }
)
OUTCOMES = Section({"psfs": Activities(), "lefs_total": Integer(0, 80)})
DOCUMENT = Section(
    {
        "schema": Choice(SCHEMA),
        "assessed_on": IsoDate(),
        "patient": PATIENT,
        "symptomatic_side": Choice("left", "right", "both"),
        "history": HISTORY,
        "examination": EXAMINATION,
        "heel_raise": HEEL_RAISE,
        "knee_to_wall": KNEE_TO_WALL,
        "neural": NEURAL,
        "red_flags": RED_FLAGS,
        "outcomes": OUTCOMES,
    },
    required=("schema", "assessed_on", "symptomatic_side"),
)


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_]{1,64}")
_LONGEST_KEY_SHOWN = 40


def _path_of(path: str, key: str) -> str:
    """``heel_raise.left_reps``; a key with spaces, control characters or no end is shown JSON-quoted and cut
    short (``["\r"]``), so one problem is always one readable line."""
    if _PLAIN_KEY.fullmatch(key):
        return f"{path}.{key}" if path else key
    shown = json.dumps(key[:_LONGEST_KEY_SHOWN] + ("..." if len(key) > _LONGEST_KEY_SHOWN else ""))
    return f"{path}[{shown}]" if path else f"{ROOT}[{shown}]"


def parse_assessment(document: object, *, today: date) -> Assessment:
    """Check ``document`` (parsed JSON) against the contract and return it as an :class:`Assessment`.

    Args:
        document: the decoded JSON value.
        today: the clinic's calendar day; an assessment after it is refused.

    Raises:
        AssessmentInvalid: naming every problem found, each as ``"path: message"``.
    """
    errors: Errors = []
    values = DOCUMENT.check(document, "", errors)
    if values is None:
        raise AssessmentInvalid([f"{ROOT}: must be a JSON object (one assessment)"])
    age = _age_on_the_day(values, today, errors)
    if errors:
        raise AssessmentInvalid(errors)
    return _assessment(values, age)


def _age_on_the_day(values: dict[str, Any], today: date, errors: Errors) -> int | None:
    assessed_on: date | None = values.get("assessed_on")
    patient: dict[str, Any] = values.get("patient") or {}
    born: date | None = patient.get("date_of_birth")
    if assessed_on is not None and assessed_on > today:
        errors.append(f"assessed_on: {assessed_on.isoformat()} is in the future (today is {today.isoformat()})")
    if born is not None and patient.get("age_years") is not None:
        errors.append("patient: give date_of_birth or age_years, not both")
    if born is None or assessed_on is None:
        return patient.get("age_years") if isinstance(patient.get("age_years"), int) else None
    if assessed_on < born:
        errors.append(f"assessed_on: {assessed_on.isoformat()} is before patient.date_of_birth {born.isoformat()}")
        return None
    age = completed_years(born, assessed_on)
    if age > MAX_AGE_YEARS:
        errors.append(f"patient.date_of_birth: gives an age of {age}, over {MAX_AGE_YEARS} years")
    return age


def completed_years(born: date, on: date) -> int:
    """Age in completed years on ``on`` (a 29 February birthday is reached on 1 March in other years)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _assessment(values: dict[str, Any], age: int | None) -> Assessment:
    patient = values.get("patient", {})
    red_flags = dict(values.get("red_flags", {}))
    wells = red_flags.pop("wells", None)
    outcomes = dict(values.get("outcomes", {}))
    psfs = outcomes.pop("psfs", None)
    return Assessment(
        assessed_on_iso=values["assessed_on"].isoformat(),
        symptomatic_side=values["symptomatic_side"],
        patient=PatientFacts(age_years=age, sex=patient.get("sex")),
        history=History(**values.get("history", {})),
        examination=Examination(**values.get("examination", {})),
        heel_raise=HeelRaiseTest(**values.get("heel_raise", {})),
        knee_to_wall=KneeToWallTest(**values.get("knee_to_wall", {})),
        neural=NeuralTests(**values.get("neural", {})),
        red_flags=RedFlagAnswers(wells=None if wells is None else WellsAnswers(**wells), **red_flags),
        outcomes=Outcomes(psfs=None if psfs is None else tuple(PsfsActivity(**item) for item in psfs), **outcomes),
    )


def field_paths(rule: Rule = DOCUMENT, prefix: str = "") -> Iterator[str]:
    """Every leaf path the contract knows (for the docs and the schema test)."""
    if isinstance(rule, Section):
        for key, child in rule.fields.items():
            yield from field_paths(child, f"{prefix}.{key}" if prefix else key)
    elif isinstance(rule, Activities):
        yield from field_paths(rule.item, f"{prefix}[]")
    else:
        yield prefix
