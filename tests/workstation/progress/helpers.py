"""Small builders for progress-series tests: records as the database thread would read them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.progress.chart_data import ProgressInputs
from workstation.records import Episode, Observation, Patient, Sex, Side
from workstation.running.records import RunRecord

PATIENT_ID = 7


def patient(born: date = date(1990, 6, 15), sex: Sex = Sex.FEMALE) -> Patient:
    return Patient("Zoë", "Clarke", born, sex, id=PATIENT_ID)


def assessment(number: int, on: date, *, phase: int | None = None, plan: bool = True, episode: int | None = 1,
               amends: int | None = None) -> AssessmentRecord:  # fmt: skip
    detail: dict[str, Any] = {"plan": {"pathway": "overload", "return_to_run_phase": phase}} if plan else {}
    return AssessmentRecord(PATIENT_ID, episode, on, "{}", "{}", json.dumps(detail), "routine", id=number,
                            amends_id=amends)  # fmt: skip


def observation(code: str, on: date, value: float, side: Side = Side.NONE, visit: int | None = None) -> Observation:
    return Observation(PATIENT_ID, on, code, value, "u", side, assessment_id=visit)


def run(on: date, km: float) -> RunRecord:
    return RunRecord(PATIENT_ID, on, km)


def red_flag(on: date, action: str | None) -> RedFlagRecord:
    return RedFlagRecord(PATIENT_ID, 1, "dvt", "urgent", "Same-day DVT pathway.",
                         datetime(on.year, on.month, on.day, 12, tzinfo=UTC), action=action)  # fmt: skip


def inputs(
    *, observations: tuple[Observation, ...] = (), assessments: tuple[AssessmentRecord, ...] = (),
    runs: tuple[RunRecord, ...] = (), episodes: tuple[Episode, ...] = (), red_flags: tuple[RedFlagRecord, ...] = (),
    who: Patient | None = None,
) -> ProgressInputs:  # fmt: skip
    return ProgressInputs(who or patient(), observations, assessments, runs, episodes, red_flags)
