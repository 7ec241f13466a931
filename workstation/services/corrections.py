"""Correct a recorded measurement: the original stays as it was, and a new version replaces it (I2).

A clinician who finds a wrong value (a typo, the wrong side, the wrong date) never edits the record in
place: what was recorded, and what decisions were based on, stays readable as the measurement's history.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

from workstation.errors import ValidationFailed
from workstation.ports import ObservationRepository
from workstation.problems import Problem
from workstation.records import Observation, Side, new_uid
from workstation.text import nfc

CORRECTION_REASON_MAX_CHARS = 500  # RELIABILITY.md H6 (proposal): a sentence or two, not a note


def correct_observation(
    observations: ObservationRepository,
    current: Observation,
    reason: str,
    *,
    value: float | None = None,
    unit: str | None = None,
    side: Side | None = None,
    observed_on: date | None = None,
    protocol: str | None = None,
) -> Observation:
    """Record a corrected version of ``current`` with the fields given; the rest are carried over.

    Raises:
        ValidationFailed: no reason, nothing changed, or a value that is not a number; nothing is written.
        ConflictError: ``current`` has been corrected since it was read (by someone else, or twice).
        RecordNotFound: ``current`` is not stored.
    """
    if current.id is None:
        raise ValueError("only a stored observation can be corrected")
    correction = replace(
        current,
        value=current.value if value is None else value,
        unit=current.unit if unit is None else nfc(unit),
        side=side or current.side,
        observed_on=observed_on or current.observed_on,
        protocol=current.protocol if protocol is None else nfc(protocol),
        id=None,
        uid=new_uid(),
        corrects_id=current.id,
        correction_reason=nfc(reason),
    )
    problems = correction_problems(current, correction)
    if problems:
        raise ValidationFailed(problems)
    return observations.correct(correction)


def correction_problems(current: Observation, correction: Observation) -> list[Problem]:
    """Why ``correction`` cannot replace ``current`` (empty when it can)."""
    problems = []
    if not correction.correction_reason:
        problems.append(Problem("correction_reason", "Say why the measurement is being corrected."))
    elif len(correction.correction_reason) > CORRECTION_REASON_MAX_CHARS:
        problems.append(Problem("correction_reason", f"Limited to {CORRECTION_REASON_MAX_CHARS} characters."))
    if not math.isfinite(correction.value):
        problems.append(Problem("value", "Enter the value as a number."))
    if _measured(correction) == _measured(current):
        problems.append(Problem("value", "Nothing was changed, so there is nothing to correct."))
    return problems


def _measured(observation: Observation) -> tuple[object, ...]:
    return (observation.value, observation.unit, observation.side, observation.observed_on, observation.protocol)
