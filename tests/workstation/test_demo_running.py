"""Demo running logs: reproducible, valid, shaped like a runner's weeks, and telling the course's story."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from workstation.clinical.load import spike_checks, week_start
from workstation.demo import add_demo_runs, generate_episodes, generate_patients
from workstation.demo_assessments import SPIKE_NOTES, DemoAssessment, DemoEpisode, generate_assessment_courses
from workstation.demo_running import generate_demo_runs
from workstation.records import Sex
from workstation.running.records import RunRecord
from workstation.running.validation import run_problems

TODAY = date(2026, 3, 14)
_SEX = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other", Sex.NOT_STATED: "unknown"}


def _courses(ids_and_patients: list[tuple[int, Any]], seed: int) -> list[DemoAssessment]:
    born = {number: person.date_of_birth for number, person in ids_and_patients}
    sexes = {number: _SEX[person.sex] for number, person in ids_and_patients}
    episodes = [
        DemoEpisode(patient_id=e.patient_id, episode_id=index, date_of_birth=born[e.patient_id],
                    sex=sexes[e.patient_id], side=e.side.value, complaint=e.complaint, onset_date=e.onset_date,
                    end_date=e.discharge_date)
        for index, e in enumerate(generate_episodes(list(born.items()), seed, TODAY), start=1)
    ]  # fmt: skip
    return [assessment for course in generate_assessment_courses(episodes, seed, TODAY) for assessment in course]


@pytest.fixture(scope="module")
def assessments() -> list[DemoAssessment]:
    return _courses(list(enumerate(generate_patients(300, 5, TODAY), start=1)), seed=5)


@pytest.fixture(scope="module")
def runs(assessments: list[DemoAssessment]) -> list[RunRecord]:
    return list(generate_demo_runs(assessments, 5, TODAY))


def _by_patient(runs: list[RunRecord]) -> dict[int, list[RunRecord]]:
    found: dict[int, list[RunRecord]] = {}
    for run in runs:
        found.setdefault(run.patient_id, []).append(run)
    return found


def test_the_same_seed_gives_the_same_runs(assessments: list[DemoAssessment], runs: list[RunRecord]) -> None:
    assert list(generate_demo_runs(assessments, 5, TODAY)) == runs
    assert list(generate_demo_runs(assessments, 6, TODAY)) != runs


def test_every_run_is_valid_and_only_patients_with_a_course_run(
    assessments: list[DemoAssessment], runs: list[RunRecord]
) -> None:
    assert runs
    assert all(run_problems(run, today=TODAY) == [] for run in runs)
    assert {run.patient_id for run in runs} <= {a.draft.patient_id for a in assessments}
    assert len({run.uid for run in runs}) == len(runs)
    assert max(run.distance_km for run in runs) < 55  # km, as stored: nothing much beyond a marathon


def test_usual_weeks_have_three_to_five_runs_and_a_sunday_long_run(runs: list[RunRecord]) -> None:
    for patient_runs in _by_patient(runs).values():
        first_week = week_start(patient_runs[0].run_on)
        usual = [run for run in patient_runs if week_start(run.run_on) == first_week + timedelta(weeks=1)]
        assert 3 <= len(usual) <= 5
        assert max(usual, key=lambda run: run.distance_km).run_on.weekday() == 6


def test_every_relapse_follows_a_spike_in_the_days_before(
    assessments: list[DemoAssessment], runs: list[RunRecord]
) -> None:
    spikes = {
        (patient, check.session.date)
        for patient, patient_runs in _by_patient(runs).items()
        for check in spike_checks(run.as_session() for run in patient_runs)
        if check.alert
    }
    relapses = [a for a in assessments if a.draft.detail["history"]["notes"] in SPIKE_NOTES]
    assert relapses
    for relapse in relapses:
        on = date.fromisoformat(relapse.draft.document["assessed_on"])
        before = {on - timedelta(days=days) for days in range(1, 10)}
        assert any((relapse.draft.patient_id, day) in spikes for day in before), on


def test_spikes_are_rare_outside_the_story(assessments: list[DemoAssessment], runs: list[RunRecord]) -> None:
    spikes = sum(
        check.alert for patient_runs in _by_patient(runs).values()
        for check in spike_checks(run.as_session() for run in patient_runs)
    )  # fmt: skip
    injuries = len({(a.draft.patient_id, a.draft.episode_id) for a in assessments})
    relapses = sum(a.draft.detail["history"]["notes"] in SPIKE_NOTES for a in assessments)
    assert spikes <= injuries + relapses  # about half the injuries, every relapse, and nothing else


def test_walk_run_sessions_follow_the_plan(assessments: list[DemoAssessment], runs: list[RunRecord]) -> None:
    notes = Counter(run.note.split(":")[0] for run in runs if run.note.startswith("Walk-run phase"))
    assert notes  # the return to running is logged phase by phase
    assert all(1 <= int(note.split()[2]) <= 6 for note in notes)


def test_add_demo_runs_stores_them_in_the_running_log(store: Any) -> None:
    added = store.patients.add_many(generate_patients(40, 8, TODAY))
    assert added == 40
    people = sorted(store.patients.summaries(), key=lambda summary: summary.id)
    stored_people = [(summary.id, store.patients.get(summary.id)) for summary in people]
    made = _courses(stored_people, seed=8)
    expected = list(generate_demo_runs(made, 8, TODAY))
    assert expected
    assert add_demo_runs(store.running_log.add_many, made, 8, TODAY) == len(expected)
    patient = expected[0].patient_id
    logged = store.running_log.for_patient(patient)
    assert [(r.run_on, r.distance_km, r.uid) for r in logged] == [
        (r.run_on, r.distance_km, r.uid) for r in expected if r.patient_id == patient
    ]
