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
from workstation.letters.wording import NOT_DONE

AS_AGREED = "As agreed with your physiotherapist"
LETTER_AS_AGREED = "As agreed with the patient"
# The library's longer frequencies, shortened for a letter's one-line plan (the handout keeps the full words).
SHORT_FREQUENCIES = {"2-3 days a week, on days you do not run": "2-3 times a week, not on running days"}
# Exercises whose "hold" is time spent doing them, not a position held: "60 seconds of rolling", not "hold".
TIMED_WORDS = {"foam_roller": "{time} of rolling", "ball_release": "{time} on the ball",
               "loaded_toe_walk": "{time} of walking"}  # fmt: skip


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
        time = _plural(hold, "second", "seconds")
        timed = TIMED_WORDS.get(planned.library.code)
        parts.append(timed.format(time=time) if timed else f"hold {time}")
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


def short_dose(planned: PlannedExercise) -> str:
    """A letter's dose, as a clinician writes it: "3 × 15", "3 × 30 s hold", "2 sets, as many as comfortable"."""
    sets, reps, hold = planned.sets, planned.reps, planned.hold_seconds
    held = "s" if planned.library.code in TIMED_WORDS else "s hold"  # "1 × 60 s" of rolling
    parts = []
    if reps is not None:
        parts.append(f"{sets} × {reps}" if sets is not None else f"{reps} reps")
        if hold is not None:
            parts.append(f"{hold} {held}")
    elif hold is not None:
        parts.append(f"{sets} × {hold} {held}" if sets is not None else f"{hold} {held}")
    elif sets is not None:
        parts.append(f"{_plural(sets, 'set', 'sets')}, as many as comfortable")
    return ", ".join(parts) or LETTER_AS_AGREED


def short_frequency(planned: PlannedExercise, locale: LetterLocale) -> str:
    """How often, for a letter: the library's words shortened and spelled, the clinician's as typed."""
    frequency = planned.frequency
    if frequency and frequency == planned.library.dose.frequency:
        return locale.spell(SHORT_FREQUENCIES.get(frequency, frequency))
    return frequency or NOT_DONE


def short_line(planned: PlannedExercise, locale: LetterLocale) -> tuple[str, str, str]:
    """One row of a letter's plan: ("Calf stretch at a wall, back knee straight", "3 × 30 s hold", "After
    running or strength work"). The clinician's own note follows the dose in brackets; the library's default
    note (the patient's handout has it) does not."""
    dose, note = short_dose(planned), planned.notes
    dose = f"{dose} ({note})" if note and note != planned.library.dose.note else dose
    return locale.spell(planned.library.name), dose, short_frequency(planned, locale)
