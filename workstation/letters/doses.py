"""A plan's exercises in words: "3 sets of 15 repetitions, daily", "hold 30 seconds", for handouts and letters.

The plan entries are read from the stored ``detail["plan"]`` (``workstation.assessment.plan``); a value of the
wrong type is left out of the dose rather than guessed. The library's own frequency ("Daily") is our wording
and reads in lower case after the count; a frequency the clinician typed is printed as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workstation.clinical.exercises import Exercise, exercise, is_exercise
from workstation.letters.locale import LetterLocale
from workstation.letters.stored import as_dict, as_list, is_whole, text

AS_AGREED = "As agreed with your physiotherapist"


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    """One plan entry with its library exercise (entries with a code the library lacks are not kept)."""

    library: Exercise
    sets: int | None
    reps: int | None
    hold_seconds: int | None
    frequency: str
    notes: str


def planned_exercises(plan: dict[str, Any]) -> tuple[PlannedExercise, ...]:
    found = []
    for entry in as_list(plan.get("exercises")):
        entry = as_dict(entry)
        code = entry.get("code")
        if not is_exercise(code):
            continue
        found.append(
            PlannedExercise(
                library=exercise(str(code)),
                sets=_whole(entry.get("sets")),
                reps=_whole(entry.get("reps")),
                hold_seconds=_whole(entry.get("hold_seconds")),
                frequency=text(entry.get("frequency")),
                notes=text(entry.get("notes")),
            )
        )
    return tuple(found)


def _whole(value: Any) -> int | None:
    return value if is_whole(value) and value > 0 else None


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def dose_words(planned: PlannedExercise, locale: LetterLocale) -> str:
    """ "3 sets of 15 repetitions, daily"; "3 sets, hold 30 seconds, 2-3 days a week ..."."""
    sets, reps, hold = planned.sets, planned.reps, planned.hold_seconds
    parts = []
    if sets is not None and reps is not None:
        parts.append(f"{_plural(sets, 'set', 'sets')} of {_plural(reps, 'repetition', 'repetitions')}")
    elif sets is not None:
        parts.append(_plural(sets, "set", "sets") + ("" if hold is not None else ", as many as feel comfortable"))
    elif reps is not None:
        parts.append(_plural(reps, "repetition", "repetitions"))
    if hold is not None:
        parts.append(f"hold {_plural(hold, 'second', 'seconds')}")
    frequency = planned.frequency
    if frequency and frequency == planned.library.dose.frequency:
        frequency = locale.spell(frequency)
        frequency = frequency[:1].lower() + frequency[1:] if parts else frequency
    if frequency:
        parts.append(frequency)
    if not parts:
        return AS_AGREED
    words = ", ".join(parts)
    return words[:1].upper() + words[1:]


def short_line(planned: PlannedExercise, locale: LetterLocale) -> str:
    """One line of a letter's plan: "Single-leg calf raise, knee straight: 2 sets, ..." (notes as typed)."""
    line = f"{locale.spell(planned.library.name)}: {dose_words(planned, locale)}"
    return f"{line} ({planned.notes})" if planned.notes else line
