"""What a screening worksheet row may hold: each value within its measure's range, whole where counted.

The grid checks a cell as it is typed (``value_problem``) and the service checks the whole row before it
is saved (``entry_problems``): the same rules, so a value the grid accepted is never refused on saving.
Each problem names the measure's key, so the grid can mark that cell.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from workstation.problems import Problem
from workstation.squads.records import MEASURE_BY_KEY, SCREENING_NOTE_MAX_CHARS, ScreeningEntry, ScreeningMeasure

NOTE_FIELD = "note"


def value_problem(measure: ScreeningMeasure, value: object) -> Problem | None:
    """Why ``value`` cannot go in ``measure``'s column, or None when it can."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return Problem(measure.key, f"{measure.label}: enter a number.")
    if not measure.minimum <= value <= measure.maximum:
        return Problem(measure.key, f"{measure.label}: enter {_range_text(measure)}.")
    if measure.whole_number and value != int(value):
        return Problem(measure.key, f"{measure.label}: enter a whole number ({_range_text(measure)}).")
    return None


def values_problems(values: Mapping[str, object]) -> list[Problem]:
    """Every problem with a row's values, in the grid's column order; an unknown key is one too."""
    problems = [Problem(key, "Not a screening measure.") for key in values if key not in MEASURE_BY_KEY]
    for key, measure in MEASURE_BY_KEY.items():
        if key in values and (problem := value_problem(measure, values[key])) is not None:
            problems.append(problem)
    return problems


def entry_problems(entry: ScreeningEntry) -> list[Problem]:
    """Every problem with one athlete's row: its values and the length of its note."""
    problems = values_problems(entry.values)
    if len(entry.note) > SCREENING_NOTE_MAX_CHARS:
        problems.append(Problem(NOTE_FIELD, f"Notes are limited to {SCREENING_NOTE_MAX_CHARS:,} characters."))
    return problems


def valid_values(values: Mapping[str, object]) -> dict[str, float]:
    """Only the values that pass their measure's rules, as floats (the live flags read these while typing)."""
    return {
        key: float(value)  # type: ignore[arg-type]  # value_problem checked it is a number
        for key, value in values.items()
        if (measure := MEASURE_BY_KEY.get(key)) is not None and value_problem(measure, value) is None
    }


def _range_text(measure: ScreeningMeasure) -> str:
    low, high = f"{measure.minimum:g}", f"{measure.maximum:g}"
    unit = "" if measure.unit == "0-10" else f" {measure.unit}"
    return f"{low} to {high}{unit}"
