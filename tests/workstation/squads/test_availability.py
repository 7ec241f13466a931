"""The availability table (G5: what club staff see): every rule, and which wins when several hold."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.records import DischargeReason, Episode, EpisodeStatus, Side
from workstation.squads.availability import (
    AVAILABILITY_RULES,
    AWAITING_ASSESSMENT_REASON,
    FIT_REASON,
    NO_PLAN_REASON,
    NOT_RUNNING_REASON,
    RED_FLAG_REASON,
    athlete_state,
    availability_of,
)
from workstation.squads.records import Availability, AvailabilityStatus

TODAY = date(2026, 12, 16)
ONSET = date(2026, 11, 2)
A, M, U = Availability.AVAILABLE, Availability.MODIFIED, Availability.UNAVAILABLE
NO_PLAN: object = object()  # an assessment whose detail records no plan


def _episode(episode_id: int, status: EpisodeStatus = EpisodeStatus.OPEN) -> Episode:
    discharged = status is EpisodeStatus.DISCHARGED
    return Episode(
        1, "Left calf", Side.LEFT, ONSET, status, discharge_date=date(2026, 12, 1) if discharged else None,
        discharge_reason=DischargeReason.GOALS_MET if discharged else None, id=episode_id,
    )  # fmt: skip


def _assessment(episode_id: int, day: date, phase: Any, record_id: int = 0) -> AssessmentRecord:
    detail = {} if phase is NO_PLAN else {"plan": {"return_to_run_phase": phase, "load_advice": "Easy"}}
    return AssessmentRecord(
        1, episode_id, day, "{}", "{}", json.dumps(detail), "routine", id=record_id or day.toordinal()
    )


def _flag(resolved: bool = False) -> RedFlagRecord:
    raised = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    return RedFlagRecord(1, 10, "dvt_likely", "urgent", "Same-day DVT pathway", raised,
                         action="Sent to the DVT clinic" if resolved else None)  # fmt: skip


E10, E11 = 10, 11
D1, D2, D3 = date(2026, 11, 9), date(2026, 11, 23), date(2026, 12, 7)

# (what the case is, episodes, unresolved red flags, assessments, expected)
CASES: list[tuple[str, list[Episode], list[RedFlagRecord], list[AssessmentRecord], AvailabilityStatus]] = [
    ("no record at all", [], [], [], AvailabilityStatus(A, FIT_REASON)),
    ("discharged episode only", [_episode(E10, EpisodeStatus.DISCHARGED)], [], [_assessment(E10, D1, 2)],
     AvailabilityStatus(A, FIT_REASON)),
    ("unresolved red flag, no episode", [], [_flag()], [], AvailabilityStatus(U, RED_FLAG_REASON, date(2026, 12, 10))),
    ("a red flag with its action recorded is not a reason", [], [_flag(resolved=True)], [],
     AvailabilityStatus(A, FIT_REASON)),
    ("open episode, not assessed yet", [_episode(E10)], [], [], AvailabilityStatus(U, AWAITING_ASSESSMENT_REASON,
     ONSET)),
    ("on-hold episode, not assessed yet", [_episode(E10, EpisodeStatus.ON_HOLD)], [], [],
     AvailabilityStatus(U, AWAITING_ASSESSMENT_REASON, ONSET)),
    ("latest plan: not running", [_episode(E10)], [], [_assessment(E10, D1, None)],
     AvailabilityStatus(U, NOT_RUNNING_REASON, D1)),
    ("latest plan: walk-run phase 3", [_episode(E10)], [], [_assessment(E10, D1, 3)],
     AvailabilityStatus(M, "Return to running: walk-run phase 3", D1)),
    ("phase 6 is continuous running", [_episode(E10)], [], [_assessment(E10, D1, 6)],
     AvailabilityStatus(M, "Return to running: walk-run phase 6 (continuous running)", D1)),
    ("assessed, no plan recorded", [_episode(E10)], [], [_assessment(E10, D1, NO_PLAN)],
     AvailabilityStatus(M, NO_PLAN_REASON)),
    ("a later assessment with no plan keeps the earlier plan", [_episode(E10)], [],
     [_assessment(E10, D1, 2), _assessment(E10, D2, NO_PLAN)], AvailabilityStatus(M,
     "Return to running: walk-run phase 2", D1)),
    ("the latest plan wins: from not running to phase 1", [_episode(E10)], [],
     [_assessment(E10, D2, 1), _assessment(E10, D1, None)], AvailabilityStatus(M,
     "Return to running: walk-run phase 1", D2)),
    ("the latest plan wins: back to not running", [_episode(E10)], [],
     [_assessment(E10, D1, 4), _assessment(E10, D3, None)], AvailabilityStatus(U, NOT_RUNNING_REASON, D3)),
    ("a phase out of range reads as not running, as on the progress view", [_episode(E10)], [],
     [_assessment(E10, D1, 9)], AvailabilityStatus(U, NOT_RUNNING_REASON, D1)),
    ("a phase that is not a number reads as not running", [_episode(E10)], [],
     [_assessment(E10, D1, "3")], AvailabilityStatus(U, NOT_RUNNING_REASON, D1)),
    ("an assessment after the day asked about does not count yet", [_episode(E10)], [],
     [_assessment(E10, date(2026, 12, 20), 5)], AvailabilityStatus(U, AWAITING_ASSESSMENT_REASON, ONSET)),
    ("an assessment of another episode does not count", [_episode(E10), _episode(E11, EpisodeStatus.DISCHARGED)],
     [], [_assessment(E11, D1, 5)], AvailabilityStatus(U, AWAITING_ASSESSMENT_REASON, ONSET)),
    ("an on-hold episode's plan still holds", [_episode(E10, EpisodeStatus.ON_HOLD)], [], [_assessment(E10, D1, 2)],
     AvailabilityStatus(M, "Return to running: walk-run phase 2", D1)),
    ("two episodes: the earlier walk-run phase wins", [_episode(E10), _episode(E11)], [],
     [_assessment(E10, D1, 4), _assessment(E11, D2, 2)], AvailabilityStatus(M,
     "Return to running: walk-run phase 2", D2)),
    ("two episodes: awaiting assessment beats a walk-run phase", [_episode(E10), _episode(E11)], [],
     [_assessment(E10, D1, 4)], AvailabilityStatus(U, AWAITING_ASSESSMENT_REASON, ONSET)),
    ("two episodes: not running beats a walk-run phase", [_episode(E10), _episode(E11)], [],
     [_assessment(E10, D1, 4), _assessment(E11, D2, None)], AvailabilityStatus(U, NOT_RUNNING_REASON, D2)),
    ("two episodes: a walk-run phase beats no plan", [_episode(E10), _episode(E11)], [],
     [_assessment(E10, D1, NO_PLAN), _assessment(E11, D2, 5)], AvailabilityStatus(M,
     "Return to running: walk-run phase 5", D2)),
    ("a red flag beats everything", [_episode(E10)], [_flag()], [_assessment(E10, D1, 3)],
     AvailabilityStatus(U, RED_FLAG_REASON, date(2026, 12, 10))),
]  # fmt: skip


@pytest.mark.parametrize(("episodes", "flags", "assessments", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_the_availability_table(
    episodes: list[Episode], flags: list[RedFlagRecord], assessments: list[AssessmentRecord],
    expected: AvailabilityStatus,
) -> None:  # fmt: skip
    assert availability_of(episodes, flags, assessments, TODAY) == expected


def _deciding_rule(case: tuple[Any, ...]) -> str:
    state = athlete_state(case[1], case[2], case[3], TODAY)
    return next(rule.name for rule in AVAILABILITY_RULES if rule.decide(state) is not None)


def test_every_rule_of_the_table_decides_at_least_one_case() -> None:
    assert {_deciding_rule(case) for case in CASES} == {rule.name for rule in AVAILABILITY_RULES}


def test_reasons_carry_no_clinical_detail() -> None:
    """Club staff read the reason: never the complaint, the red flag's message or its code."""
    for _, episodes, flags, assessments, _expected in CASES:
        reason = availability_of(episodes, flags, assessments, TODAY).reason
        assert "calf" not in reason.lower() and "dvt" not in reason.lower() and "Easy" not in reason
