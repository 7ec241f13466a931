"""The findings of one athlete's screening row: decision support for a physio screening a whole squad.

A table of rules, each citing CLINICAL.md and using the engine's own constants and functions, so a flag
on the screening grid means what it means in a full assessment:

- heel raise (CLINICAL.md 2.2): under the runners' target of 30 reps, under the age and sex norm, and
  (information only) under the aspirational 40;
- limb symmetry (2.3, 2.4): LSI under 90 % for the straight- and bent-knee raise. A screening has no
  involved side, so the LSI is the lower count over the higher one;
- knee to wall (3.1): a side difference of 1.5 cm (possible) or 2.0 cm (likely meaningful);
- pain (7.1, 7.2): any pain on screening, as return to running aims for 0/10 [Green 2022];
- change since the previous screening: a heel raise down by the test's measurement error or more (2.3),
  a knee-to-wall distance down by its minimal detectable change or more (3.1).

Values that break the grid's rules (``screening_rules``) are ignored, so the live flags never trip over
a half-typed cell. The bent-knee count has no published between-day error in CLINICAL.md, so a fall in
it is not flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from workstation.clinical.assessment import Sex as EngineSex
from workstation.clinical.flexibility import assess_knee_to_wall, change_since_baseline
from workstation.clinical.heel_raise import (
    HEEL_RAISE_ASPIRATIONAL_REPS,
    HEEL_RAISE_RUNNER_TARGET_REPS,
    LSI_TARGET_PERCENT,
    MEASUREMENT_ERROR_REPS,
    age_sex_norm_reps,
    limb_symmetry_fraction,
)
from workstation.clinical.heel_raise_protocol import compare_reps
from workstation.clinical.return_to_run import SYMPTOM_TARGET_NPRS
from workstation.clinical.rounding import one_decimal
from workstation.records import Sex
from workstation.squads.records import MEASURE_BY_KEY
from workstation.squads.screening_rules import valid_values
from workstation.squads.views import FlagLevel, ScreeningFlag

HEEL_RAISE_KEYS = ("heel_raise_left", "heel_raise_right")
BENT_KNEE_KEYS = ("bent_knee_left", "bent_knee_right")
KNEE_TO_WALL_KEYS = ("knee_to_wall_left", "knee_to_wall_right")
PAIN_KEY = "pain"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

Hit = tuple[tuple[str, ...], str]  # the keys a finding is about, and its text


@dataclass(frozen=True, slots=True)
class ScreeningReading:
    """One row as the rules read it: valid values only."""

    values: Mapping[str, float]
    age: int | None
    sex: Sex | None
    previous: Mapping[str, float]  # the athlete's last completed screening before this one ({} if none)
    previous_on: date | None

    def reps(self, key: str) -> int | None:
        value = self.values.get(key)
        return None if value is None else int(value)


@dataclass(frozen=True, slots=True)
class FlagRule:
    """One row of the table: what it is called, how much it matters, where it comes from, what it finds."""

    code: str
    level: FlagLevel
    source: str
    find: Callable[[ScreeningReading], Iterator[Hit]]


def _side(key: str) -> str:
    return MEASURE_BY_KEY[key].side.label


def _percent(lsi: Fraction) -> str:
    # With at most 150 reps a side an LSI under 90 % is under 89.95 %, so it never shows as "90 %".
    return f"{one_decimal(lsi):g} %"


def _lsi(reading: ScreeningReading, keys: tuple[str, str]) -> Fraction | None:
    """CLINICAL.md 2.3 with no involved side: the lower count over the higher one."""
    left, right = (reading.reps(key) for key in keys)
    if left is None or right is None:
        return None
    return limb_symmetry_fraction(min(left, right), max(left, right))


def _lsi_below_target(keys: tuple[str, str], label: str) -> Callable[[ScreeningReading], Iterator[Hit]]:
    def find(reading: ScreeningReading) -> Iterator[Hit]:
        lsi = _lsi(reading, keys)
        if lsi is not None and lsi < LSI_TARGET_PERCENT:
            yield keys, f"{label} LSI {_percent(lsi)} (target ≥ {LSI_TARGET_PERCENT:g} %)"

    return find


def _below_target(reading: ScreeningReading) -> Iterator[Hit]:
    for key in HEEL_RAISE_KEYS:
        reps = reading.reps(key)
        if reps is not None and reps < HEEL_RAISE_RUNNER_TARGET_REPS:
            yield (key,), f"{_side(key)} {reps} reps: below the runners' {HEEL_RAISE_RUNNER_TARGET_REPS}"


def _below_norm(reading: ScreeningReading) -> Iterator[Hit]:
    norm = _norm(reading)
    if norm is None:
        return
    for key in HEEL_RAISE_KEYS:
        reps = reading.reps(key)
        # Under the runners' target, a norm at or above it says nothing the target flag has not.
        if reps is not None and reps < norm and (norm < HEEL_RAISE_RUNNER_TARGET_REPS or not _under_target(reps)):
            yield (key,), f"{_side(key)} {reps} reps: below the age-sex norm of {norm}"


def _below_aspirational(reading: ScreeningReading) -> Iterator[Hit]:
    norm = _norm(reading)
    for key in HEEL_RAISE_KEYS:
        reps = reading.reps(key)
        if reps is None or _under_target(reps) or (norm is not None and reps < norm):
            continue  # a stronger finding is shown already
        if reps < HEEL_RAISE_ASPIRATIONAL_REPS:
            yield (key,), f"{_side(key)} {reps} reps: under the aspirational {HEEL_RAISE_ASPIRATIONAL_REPS}"


def _knee_to_wall_difference(flag: str, words: str) -> Callable[[ScreeningReading], Iterator[Hit]]:
    def find(reading: ScreeningReading) -> Iterator[Hit]:
        left, right = (reading.values.get(key) for key in KNEE_TO_WALL_KEYS)
        result = assess_knee_to_wall(left, right)
        if result.flag == flag and result.difference_cm is not None:
            yield KNEE_TO_WALL_KEYS, f"Knee to wall: {result.difference_cm:.1f} cm side difference ({words})"

    return find


def _pain(reading: ScreeningReading) -> Iterator[Hit]:
    pain = reading.values.get(PAIN_KEY)
    if pain is not None and pain > SYMPTOM_TARGET_NPRS:
        yield (PAIN_KEY,), f"Pain {pain:g}/10 on screening: assess before training"


def heel_raise_dropped(before: float | None, after: float | None) -> bool:
    """The ``heel_raise_drop`` rule for one leg: ``after`` is below ``before`` by the test's measurement error
    (``MEASUREMENT_ERROR_REPS``) or more (CLINICAL.md 2.3). The dashboard's change chart colours its bars
    with this very function, so the chart and the flag cannot disagree."""
    change = compare_reps(None if before is None else int(before), None if after is None else int(after))
    return change is not None and change.verdict == "declined"


def _heel_raise_drop(reading: ScreeningReading) -> Iterator[Hit]:
    for key in HEEL_RAISE_KEYS:
        before, after = reading.previous.get(key), reading.reps(key)
        if before is not None and after is not None and heel_raise_dropped(before, after):
            yield (key,), (
                f"{_side(key)} heel raise down {int(before) - after} reps since {_since(reading.previous_on)} "
                f"(the ±{MEASUREMENT_ERROR_REPS} measurement error or more)"
            )


def _knee_to_wall_drop(reading: ScreeningReading) -> Iterator[Hit]:
    for key in KNEE_TO_WALL_KEYS:
        # Nobody records whether the same physio measured both times: the one-rater MDC (the larger) applies.
        change = change_since_baseline(
            reading.previous.get(key), reading.values.get(key), unit="cm", same_rater=None
        )
        if change is not None and change.verdict == "less_range":
            yield (key,), (
                f"{_side(key)} knee to wall down {-change.shown:.1f} cm since {_since(reading.previous_on)} "
                f"(the {change.mdc:g} cm measurement error or more)"
            )


# fmt: off
SCREENING_FLAG_RULES: tuple[FlagRule, ...] = (
    FlagRule("pain_on_screening", FlagLevel.ALERT, "CLINICAL.md 7.1, 7.2", _pain),
    FlagRule("heel_raise_drop", FlagLevel.ALERT, "CLINICAL.md 2.3", _heel_raise_drop),
    FlagRule("knee_to_wall_drop", FlagLevel.ALERT, "CLINICAL.md 3.1", _knee_to_wall_drop),
    FlagRule("heel_raise_lsi_low", FlagLevel.CAUTION, "CLINICAL.md 2.3", _lsi_below_target(HEEL_RAISE_KEYS,
             "Heel-raise")),
    FlagRule("heel_raise_below_target", FlagLevel.CAUTION, "CLINICAL.md 2.2", _below_target),
    FlagRule("heel_raise_below_norm", FlagLevel.CAUTION, "CLINICAL.md 2.2", _below_norm),
    FlagRule("bent_knee_lsi_low", FlagLevel.CAUTION, "CLINICAL.md 2.4", _lsi_below_target(BENT_KNEE_KEYS,
             "Bent-knee")),
    FlagRule("knee_to_wall_likely_asymmetry", FlagLevel.CAUTION, "CLINICAL.md 3.1",
             _knee_to_wall_difference("likely_meaningful", "likely meaningful")),
    FlagRule("knee_to_wall_possible_asymmetry", FlagLevel.CAUTION, "CLINICAL.md 3.1",
             _knee_to_wall_difference("possible_asymmetry", "possible asymmetry")),
    FlagRule("heel_raise_below_aspirational", FlagLevel.INFO, "CLINICAL.md 2.2", _below_aspirational),
)
# fmt: on
FLAG_CODES: tuple[str, ...] = tuple(rule.code for rule in SCREENING_FLAG_RULES)


def screening_flags(
    values: Mapping[str, object],
    *,
    age: int | None,
    sex: Sex | None,
    previous: Mapping[str, float] | None,
    previous_on: date | None = None,
) -> tuple[ScreeningFlag, ...]:
    """The flags of one athlete's screening row, most urgent first (then in the table's order).

    Args:
        values: the row's values by ``SCREENING_KEYS``; invalid or unknown ones are ignored.
        age: completed years on the screening day (None if unknown: no norm is used).
        sex: for the age-sex norm (only female and male have one).
        previous: the values of the athlete's last completed screening, or None.
        previous_on: the day of that screening, for the flag's text.
    """
    reading = ScreeningReading(valid_values(values), age, sex, valid_values(previous or {}), previous_on)
    flags = [
        ScreeningFlag(rule.code, rule.level, text, keys, rule.source)
        for rule in SCREENING_FLAG_RULES
        for keys, text in rule.find(reading)
    ]
    return tuple(sorted(flags, key=lambda flag: flag.level.rank))


def worst_level(flags: tuple[ScreeningFlag, ...]) -> FlagLevel | None:
    """The most urgent level among ``flags`` (None for none)."""
    return min((flag.level for flag in flags), key=lambda level: level.rank, default=None)


def _under_target(reps: int) -> bool:
    return reps < HEEL_RAISE_RUNNER_TARGET_REPS


def norm_for(age: int | None, sex: Sex | None) -> int | None:
    """The engine's decade norm of heel-raise reps (CLINICAL.md 2.2), None when age or sex (female or male)
    is unknown."""
    engine_sex: EngineSex | None = "female" if sex is Sex.FEMALE else "male" if sex is Sex.MALE else None
    return age_sex_norm_reps(age, engine_sex)


def _norm(reading: ScreeningReading) -> int | None:
    return norm_for(reading.age, reading.sex)


def _since(day: date | None) -> str:
    return "the last screening" if day is None else f"{day.day} {_MONTHS[day.month - 1]}"
