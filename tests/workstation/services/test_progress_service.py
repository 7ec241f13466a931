"""What the progress charts are read from, for one logged-in person, on real databases of both kinds:
current versions only, every red flag, one audit entry with counts, and a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import PermissionDenied
from workstation.ports import AuditQuery
from workstation.records import Episode, Observation, Patient, Side
from workstation.running.records import RunRecord
from workstation.security.accounts import Actor, Role
from workstation.services.session import ClinicSession

NOW = datetime(2026, 12, 16, 9, 30, tzinfo=UTC)
START = date(2026, 6, 1)


def _session(store: Any, role: Role = Role.CLINICIAN) -> ClinicSession:
    return ClinicSession(store, Actor(7, "someone", role, "room-2"), Auditor(store.audit, "room-2", lambda: NOW))


def _assessment(patient_id: int, episode_id: int, day: date, **changes: Any) -> AssessmentRecord:
    record = AssessmentRecord(
        patient_id=patient_id, episode_id=episode_id, assessed_on=day, document="{}", evaluation="{}", detail="{}",
        urgency="routine", recorded_by=7,
    )  # fmt: skip
    return replace(record, **changes)


def _history(store: Any, weeks: int, runs: int, family: str = "Ngata") -> dict[str, Any]:
    patient = store.patients.add(Patient("Aroha", family, date(1991, 5, 6)))
    episode = store.episodes.add(Episode(patient.id, "Left calf", Side.LEFT, START))
    finalised = []
    for week in range(weeks):
        day = START + timedelta(weeks=week)
        reps = [Observation(patient.id, day, "heel_raise_reps", 15 + week, "reps", side) for side in (Side.LEFT,
                Side.RIGHT)]  # fmt: skip
        finalised.append(store.assessments.finalise(_assessment(patient.id, episode.id, day), reps))
    store.running_log.add_many([RunRecord(patient.id, START + timedelta(days=i % 180), 5.0) for i in range(runs)])
    return {"patient": patient, "episode": episode, "assessments": finalised}


def test_the_charts_get_current_versions_every_flag_and_the_runs(store: Any) -> None:
    made = _history(store, weeks=3, runs=4)
    patient, episode, (first, second, third) = made["patient"], made["episode"], made["assessments"]
    amended = store.assessments.finalise(
        _assessment(patient.id, episode.id, second.assessed_on, amends_id=second.id, amendment_reason="typo"), []
    )
    typo = next(o for o in store.observations.for_patient(patient.id) if o.assessment_id == third.id)
    corrected = store.observations.correct(
        replace(typo, uid="fixed", value=typo.value + 1, corrects_id=typo.id, correction_reason="miscounted")
    )
    standing = store.red_flags.raise_flag(RedFlagRecord(patient.id, episode.id, "dvt_likely", "urgent", "DVT?", NOW, 7))
    resolved = store.red_flags.raise_flag(RedFlagRecord(patient.id, episode.id, "fracture", "soon", "Ottawa", NOW, 7))
    resolved = store.red_flags.resolve(resolved.id, "X-ray booked", by=7, at=NOW)
    other = _history(store, weeks=1, runs=2, family="Other")

    inputs = _session(store).progress.inputs(patient.id)

    assert inputs.patient == patient
    assert [a.id for a in inputs.assessments] == [first.id, amended.id, third.id]  # by date: the amendment is second
    assert len(inputs.observations) == 6 and corrected in inputs.observations and typo not in inputs.observations
    assert {o.assessment_id for o in inputs.observations} == {first.id, second.id, third.id}
    assert len(inputs.runs) == 4 and {r.patient_id for r in inputs.runs} == {patient.id}
    assert inputs.episodes == (episode,)
    assert {f.id for f in inputs.red_flags} == {standing.id, resolved.id}
    assert other["patient"].id not in {o.patient_id for o in inputs.observations}
    (entry,) = store.audit.query(AuditQuery(patient_id=patient.id))
    assert (entry.event, entry.outcome) == (AuditEvent.ASSESSMENT_VIEWED, Outcome.SUCCESS)
    assert (entry.object_type, entry.object_id) == ("progress", str(patient.id))
    assert entry.detail == "3 assessments, 6 observations, 4 runs"


@contextmanager
def _queries(store: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_reading_takes_the_same_few_queries_whatever_the_history(store: Any) -> None:
    small = _history(store, weeks=1, runs=1)["patient"]
    large = _history(store, weeks=12, runs=300, family="Long")["patient"]
    progress = _session(store).progress
    with _queries(store) as few:
        progress.inputs(small.id)
    with _queries(store) as many:
        inputs = progress.inputs(large.id)
    assert len(inputs.runs) == 300 and len(inputs.assessments) == 12
    assert len(many) == len(few) <= 8  # six reads and the audit chain's head, never one per row


def test_runs_just_read_by_the_session_are_not_read_again(store: Any) -> None:
    patient = _history(store, weeks=2, runs=30)["patient"]
    session = _session(store)
    runs = tuple(session.running_log.runs(patient.id))
    with _queries(store) as reading:
        read_here = session.progress.inputs(patient.id)
    with _queries(store) as given:
        passed = session.progress.inputs(patient.id, runs=runs)
    assert passed.runs == read_here.runs == runs
    assert len(given) == len(reading) - 1  # the running_session query is the one left out
    assert not any("running_session" in statement for statement in given)


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.CLUB])
def test_roles_without_the_clinical_record_see_no_progress(store: Any, role: Role) -> None:
    patient = _history(store, weeks=1, runs=1)["patient"]
    with pytest.raises(PermissionDenied):
        _session(store, role).progress.inputs(patient.id)
    (entry,) = store.audit.query(AuditQuery(patient_id=patient.id))
    assert (entry.event, entry.outcome) == (AuditEvent.ASSESSMENT_VIEWED, Outcome.DENIED)
