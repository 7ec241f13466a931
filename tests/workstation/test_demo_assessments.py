"""Demo assessment histories: valid, finalisable, reproducible and shaped like real courses of care."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date

import pytest

from workstation.assessment.rules import IMPRESSIONS, finalise_problems
from workstation.clinical.contract import WELLS_KEYS, parse_assessment
from workstation.clinical.evaluate import evaluate
from workstation.demo import generate_episodes, generate_patients
from workstation.demo_assessments import (
    DVT_ACTION,
    FOLLOW_UPS,
    SPIKE_NOTES,
    DemoAssessment,
    DemoEpisode,
    condition_for,
    generate_assessment_courses,
    pick_episodes,
)
from workstation.records import Sex

TODAY = date(2026, 3, 14)
_SEX = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other", Sex.NOT_STATED: "unknown"}


def _episodes(count: int, seed: int) -> list[DemoEpisode]:
    patients = list(generate_patients(count, seed, TODAY))
    saved = [(number, p.date_of_birth) for number, p in enumerate(patients, start=1)]
    return [
        DemoEpisode(
            patient_id=e.patient_id, episode_id=index, date_of_birth=patients[e.patient_id - 1].date_of_birth,
            sex=_SEX[patients[e.patient_id - 1].sex], side=e.side.value, complaint=e.complaint,
            onset_date=e.onset_date, end_date=e.discharge_date,
        )
        for index, e in enumerate(generate_episodes(saved, seed, TODAY), start=1)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def courses() -> list[list[DemoAssessment]]:
    return list(generate_assessment_courses(_episodes(1_000, seed=4), seed=4, today=TODAY))


def test_the_same_seed_gives_the_same_histories() -> None:
    episodes = _episodes(200, seed=9)
    first = [
        [(a.draft.document, a.draft.detail, a.at) for a in c] for c in generate_assessment_courses(episodes, 9, TODAY)
    ]
    again = [
        [(a.draft.document, a.draft.detail, a.at) for a in c] for c in generate_assessment_courses(episodes, 9, TODAY)
    ]
    assert first == again


def test_every_assessment_is_valid_and_could_be_finalised(courses: list[list[DemoAssessment]]) -> None:
    for course in courses:
        for assessment in course:
            draft = assessment.draft
            evaluation = evaluate(parse_assessment(draft.document, today=TODAY))
            assert finalise_problems(draft, evaluation, today=TODAY) == [], draft.document
            assert all(draft.get(f"red_flags.wells.{key}") is not None for key in WELLS_KEYS)
            assert evaluation.wells.score is not None
            assert draft.detail["impression"]["condition"] in IMPRESSIONS
            assert draft.detail["plan"]["pathway"] and draft.detail["plan"]["safety_net"]
            assert assessment.at.date().isoformat() == draft.document["assessed_on"]


def test_red_flag_cases_have_their_recorded_action(courses: list[list[DemoAssessment]]) -> None:
    flagged: Counter[str] = Counter()
    for course in courses:
        for assessment in course:
            raised = {f.code for f in evaluate(parse_assessment(assessment.draft.document, today=TODAY)).red_flags}
            actions = assessment.draft.detail.get("red_flag_actions") or {}
            assert set(actions) == raised
            flagged.update(raised)
    assert flagged["dvt"] >= 1
    assert len(flagged) >= 2
    dvt = [a for c in courses for a in c if a.draft.detail["impression"]["condition"] == "dvt"]
    assert dvt and all(a.draft.detail["red_flag_actions"]["dvt"] == DVT_ACTION for a in dvt)
    assert all(a.draft.detail["plan"]["exercises"] == [] for a in dvt), "no calf loading while a DVT is suspected"


def test_a_suspected_dvt_leaves_the_loading_and_provocative_tests_undone(courses: list[list[DemoAssessment]]) -> None:
    """CLINICAL.md 5.2: stop calf loading and run no provocative tests; not done is null, never "no"."""
    dvt = [a.draft for c in courses for a in c if a.draft.detail["impression"]["condition"] == "dvt"]
    assert dvt
    for draft in dvt:
        assert draft.document["heel_raise"] == {"left_reps": None, "right_reps": None}
        assert draft.document["knee_to_wall"] == {"left_cm": None, "right_cm": None}
        assert draft.get("neural.slump") == draft.get("neural.straight_leg_raise") == "not_tested"
        for key in ("hop_pain", "straight_knee_loading_worse_than_bent", "bent_knee_loading_worse_than_straight"):
            assert key in draft.document["examination"] and draft.get(f"examination.{key}") is None
        assert draft.get("examination.local_muscle_tenderness") is True  # palpation stays: the Wells score needs it
        assert "heel_raise" not in draft.detail  # no protocol for a test that was not run
        evaluation = evaluate(parse_assessment(draft.document, today=TODAY))
        assert "dvt" in {flag.code for flag in evaluation.red_flags}
    others = [a.draft for c in courses for a in c if a.draft.detail["impression"]["condition"] != "dvt"]
    assert all(isinstance(d.get("heel_raise.left_reps"), int) for d in others), "everyone else is tested"


def test_courses_run_from_an_initial_assessment_through_follow_ups(courses: list[list[DemoAssessment]]) -> None:
    lengths = Counter(len(course) for course in courses)
    assert max(lengths) == 1 + max(FOLLOW_UPS)
    assert sum(n for length, n in lengths.items() if length >= 3) > len(courses) / 2
    for course in courses:
        days = [date.fromisoformat(a.draft.document["assessed_on"]) for a in course]
        assert days == sorted(set(days)) and days[-1] <= TODAY
        assert len({(a.draft.patient_id, a.draft.episode_id) for a in course}) == 1
        assert course[0].draft.detail["history"]["notes"] == "Initial assessment."


def _involved_reps(assessment: DemoAssessment) -> int:
    document = assessment.draft.document
    side = document["symptomatic_side"]
    reps = document["heel_raise"]
    return int(min(reps["left_reps"], reps["right_reps"]) if side == "both" else reps[f"{side}_reps"])


def test_most_runners_improve_and_some_relapse_after_a_load_spike(courses: list[list[DemoAssessment]]) -> None:
    long = [course for course in courses if len(course) >= 3]
    improved = [c for c in long if _involved_reps(c[-1]) > _involved_reps(c[0])]
    assert len(improved) > 0.8 * len(long)
    assert any(_involved_reps(c[-1]) >= 30 for c in improved), "heel-raise reps reach the runner target"
    pain = [(c[0].draft.get("history.nprs_worst_24h"), c[-1].draft.get("history.nprs_worst_24h")) for c in long]
    assert sum(last < first for first, last in pain) > 0.7 * len(long)
    lsi = [evaluate(parse_assessment(c[-1].draft.document, today=TODAY)).heel_raise.lsi_exact for c in long]
    assert sum(value is not None and value >= 90 for value in lsi) > 0.5 * len(long), "the gap closes"
    relapses = [
        (before, after)
        for course in long
        for before, after in itertools.pairwise(course)
        if after.draft.detail["history"]["notes"] in SPIKE_NOTES
    ]
    assert len(relapses) > 0.1 * len(long)
    for before, after in relapses:
        assert after.draft.get("history.recent_load_changes"), "the load spike is recorded"
        assert after.draft.get("history.nprs_worst_24h") >= before.draft.get("history.nprs_worst_24h")
        assert _involved_reps(after) <= _involved_reps(before) + 4  # within measurement error at best


def test_the_ten_conditions_are_spread_over_the_demo() -> None:
    episodes = _episodes(6_000, seed=2)
    impressions = Counter(condition_for(episode.complaint) for episode in episodes)
    assert set(impressions) == set(IMPRESSIONS)
    assert impressions.most_common(1)[0][1] < 0.5 * len(episodes)


def test_about_a_tenth_of_the_episodes_is_picked_and_red_flag_cases_more_often() -> None:
    patients = list(generate_patients(5_000, 6, TODAY))
    saved = [(number, p.date_of_birth) for number, p in enumerate(patients, start=1)]
    episodes = list(generate_episodes(saved, 6, TODAY))
    picked = pick_episodes(episodes, seed=6, share=0.1, limit=len(episodes))
    assert 0.08 < len(picked) / len(episodes) < 0.12
    assert pick_episodes(episodes, seed=6, share=0.1, limit=len(episodes)) == picked
    referred = [e for e in picked if condition_for(e.complaint) in ("dvt", "other")]
    assert referred and len(referred) / len(picked) > 1.5 * sum(
        condition_for(e.complaint) in ("dvt", "other") for e in episodes
    ) / len(episodes)
    assert pick_episodes(episodes, seed=6, share=1.0, limit=len(episodes)) == episodes


def test_a_big_demo_takes_a_smaller_share_spread_over_everyone() -> None:
    patients = list(generate_patients(8_000, 6, TODAY))
    saved = [(number, p.date_of_birth) for number, p in enumerate(patients, start=1)]
    episodes = list(generate_episodes(saved, 6, TODAY))
    picked = pick_episodes(episodes, seed=6, share=0.1, limit=100)
    assert 70 <= len(picked) <= 100
    assert max(e.patient_id for e in picked) > 6_000, "not only the first patients"
