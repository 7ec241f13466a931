"""The checks on one run before it is stored, typed in or imported (CLINICAL.md 7.3 load rules read it after).

``run_problems`` returns problems named by ``RunRecord``'s field names; it never raises and never shows
anything. The service refuses a run with blocking problems, and the CSV import reuses the same checks for each
row, so there is one copy of these rules.
"""

from __future__ import annotations

import math
import re
from datetime import date

from workstation.clinical.load import MAX_SESSION_KM, SURFACES
from workstation.problems import Problem
from workstation.running.records import RUN_SOURCES, RunRecord
from workstation.text import has_invisible_controls

MAX_DURATION_MIN = 48 * 60  # a multi-day ultra is logged as one run per day
FASTEST_PLAUSIBLE_MIN_PER_KM = 2.0  # faster than the men's 1500 m world record pace: the figures are wrong
SHOES_MAX_CHARS = 80
NOTE_MAX_CHARS = 500
EFFORT_MIN, EFFORT_MAX = 0, 10  # RPE on the CR-10 scale

# Unicode's control characters (category Cc) are exactly these two ranges; a note may keep its line breaks.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def run_problems(run: RunRecord, *, today: date) -> list[Problem]:
    """Every problem with ``run``, each naming its field, with a message that says what to do."""
    problems: list[Problem] = []
    if run.run_on > today:
        problems.append(Problem("run_on", "The run date is in the future: enter the day the run was done."))
    distance_ok = _distance_problem(run.distance_km, problems)
    duration_ok = _duration_problem(run.duration_min, problems)
    if distance_ok and duration_ok and run.duration_min is not None:
        pace = run.duration_min / run.distance_km
        if pace < FASTEST_PLAUSIBLE_MIN_PER_KM:
            problems.append(
                Problem(
                    "duration_min",
                    f"{_km(run.distance_km)} km in {_minutes(run.duration_min)} is a pace of {_pace(pace)} min/km, "
                    "faster than anyone runs: check the distance and the time.",
                )
            )
    effort = run.perceived_effort
    if effort is not None and (
        isinstance(effort, bool) or not isinstance(effort, int) or not EFFORT_MIN <= effort <= EFFORT_MAX
    ):
        problems.append(Problem("perceived_effort", "Perceived effort is a whole number from 0 to 10."))
    if run.surface is not None and run.surface not in SURFACES:
        choices = ", ".join(s.replace("_", " ") for s in SURFACES)
        problems.append(Problem("surface", f"Choose the surface from: {choices}."))
    problems += _text_problems("shoes", run.shoes, SHOES_MAX_CHARS, allow_newlines=False)
    problems += _text_problems("note", run.note, NOTE_MAX_CHARS, allow_newlines=True)
    if run.source not in RUN_SOURCES:
        problems.append(Problem("source", f"A run comes from one of: {', '.join(RUN_SOURCES)}."))
    return problems


def _is_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _distance_problem(distance: float, problems: list[Problem]) -> bool:
    if not _is_number(distance):
        problems.append(Problem("distance_km", "Enter the distance as a number of kilometres."))
    elif distance <= 0:
        problems.append(Problem("distance_km", "Distance must be more than 0 km."))
    elif distance > MAX_SESSION_KM:
        problems.append(
            Problem(
                "distance_km",
                f"One run of more than {MAX_SESSION_KM:g} km is not plausible: check the distance and its unit.",
            )
        )
    else:
        return True
    return False


def _duration_problem(duration: float | None, problems: list[Problem]) -> bool:
    if duration is None:
        return True
    if not _is_number(duration):
        problems.append(Problem("duration_min", "Enter the duration as a number of minutes."))
    elif duration <= 0:
        problems.append(Problem("duration_min", "Duration must be more than 0 minutes, or left empty."))
    elif duration > MAX_DURATION_MIN:
        problems.append(
            Problem("duration_min", "One run of more than 48 hours is not plausible: check the duration and its unit.")
        )
    else:
        return True
    return False


def _text_problems(name: str, value: str, limit: int, *, allow_newlines: bool) -> list[Problem]:
    problems: list[Problem] = []
    label = "Shoes" if name == "shoes" else "The note"
    if len(value) > limit:
        problems.append(Problem(name, f"{label} is limited to {limit} characters: shorten it."))
    controls = _CONTROLS_BUT_NEWLINE if allow_newlines else _CONTROLS
    if controls.search(value) or has_invisible_controls(value):
        problems.append(Problem(name, f"{label} contains control characters: retype it."))
    return problems


def _km(distance: float) -> str:
    return f"{distance:.2f}".rstrip("0").rstrip(".")


def _minutes(duration: float) -> str:
    seconds = round(duration * 60)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d} min"


def _pace(min_per_km: float) -> str:
    seconds = round(min_per_km * 60)
    return f"{seconds // 60}:{seconds % 60:02d}"
