"""The running log for one logged-in person, on real databases of both kinds: the role's limits, the
checks before anything is stored, one transaction and one audit entry for an import, no values audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditAction, AuditEntry, AuditEvent, Outcome
from workstation.errors import ConflictError, PermissionDenied, ValidationFailed
from workstation.ports import AuditQuery, ClinicStore
from workstation.records import Patient
from workstation.running.records import RunRecord
from workstation.security.accounts import Actor, Role
from workstation.services.running import import_row_field
from workstation.services.session import ClinicSession

TODAY = date(2026, 12, 16)
NOW = datetime(2026, 12, 16, 9, 30, tzinfo=UTC)
NOTE = "Calf tight after the hills, Ngata's shoes"


def _session(store: ClinicStore, role: Role = Role.CLINICIAN, user_id: int = 7) -> ClinicSession:
    actor = Actor(user_id, f"{role.value}.user", role, "room-2")
    return ClinicSession(store, actor, Auditor(store.audit, "room-2", lambda: NOW))


@pytest.fixture
def patient_id(store: ClinicStore) -> int:
    saved = store.patients.add(Patient("Aroha", "Ngata", date(1991, 5, 6)))
    assert saved.id is not None
    return saved.id


def _run(patient_id: int, day: int = 1, km: float = 8.0, **changes: object) -> RunRecord:
    return replace(RunRecord(patient_id, date(2026, 12, day), km, note=NOTE), **changes)  # type: ignore[arg-type]


def _entries(store: ClinicStore, event: AuditEvent) -> list[AuditEntry]:
    return store.audit.query(AuditQuery(event=event))


def test_logging_changing_and_removing_a_run_are_each_audited_by_id(store: ClinicStore, patient_id: int) -> None:
    log = _session(store).running_log
    logged = log.log(_run(patient_id), today=TODAY)
    assert logged.recorded_by == 7 and logged.id is not None
    changed = log.change(replace(logged, distance_km=8.4), today=TODAY)
    log.remove(changed)
    assert log.runs(patient_id) == []
    for event, action in ((AuditEvent.RUN_LOGGED, AuditAction.CREATE), (AuditEvent.RUN_CHANGED, AuditAction.UPDATE),
                          (AuditEvent.RUN_DELETED, AuditAction.DELETE)):  # fmt: skip
        (entry,) = _entries(store, event)
        assert (entry.action, entry.outcome, entry.patient_id) == (action, Outcome.SUCCESS, patient_id)
        assert (entry.object_type, entry.object_id) == ("run", str(logged.id))
        assert "8" not in entry.detail and "Ngata" not in entry.detail


def test_a_run_on_a_future_date_or_with_no_distance_is_refused_and_nothing_stored(
    store: ClinicStore, patient_id: int
) -> None:
    log = _session(store).running_log
    with pytest.raises(ValidationFailed) as future:
        log.log(_run(patient_id, 17), today=TODAY)
    assert [p.field for p in future.value.problems] == ["run_on"]
    with pytest.raises(ValidationFailed) as nothing:
        log.log(_run(patient_id, km=0.0), today=TODAY)
    assert [p.field for p in nothing.value.problems] == ["distance_km"]
    saved = log.log(_run(patient_id), today=TODAY)
    with pytest.raises(ValidationFailed):
        log.change(replace(saved, distance_km=-1.0), today=TODAY)
    assert log.runs(patient_id) == [saved]
    assert _entries(store, AuditEvent.RUN_CHANGED) == []


def test_a_stale_change_is_refused(store: ClinicStore, patient_id: int) -> None:
    log = _session(store).running_log
    read = log.log(_run(patient_id), today=TODAY)
    log.change(replace(read, shoes="Pegasus"), today=TODAY)
    with pytest.raises(ConflictError):
        log.change(replace(read, shoes="Clifton"), today=TODAY)
    with pytest.raises(ConflictError):
        log.remove(read)


def test_an_import_is_checked_whole_then_stored_at_once_and_audited_once(store: ClinicStore, patient_id: int) -> None:
    log = _session(store).running_log
    runs = [_run(patient_id, day, km=5.0 + day, source="strava", external_id=f"a{day}") for day in range(1, 16)]
    broken = list(runs)
    broken[3] = replace(broken[3], distance_km=-3.0)
    broken[9] = replace(broken[9], run_on=date(2027, 1, 1))
    with pytest.raises(ValidationFailed) as refused:
        log.import_runs(patient_id, broken, today=TODAY)
    assert [p.field for p in refused.value.problems] == [
        import_row_field(4, "distance_km"), import_row_field(10, "run_on"),
    ]  # fmt: skip
    assert refused.value.problems[0].message.startswith("Row 4: ")
    assert log.runs(patient_id) == [] and _entries(store, AuditEvent.RUNS_IMPORTED) == []

    assert log.import_runs(patient_id, runs, today=TODAY) == 15
    stored = log.runs(patient_id)
    assert [r.external_id for r in stored] == [f"a{day}" for day in range(1, 16)]
    assert {r.recorded_by for r in stored} == {7}
    (entry,) = _entries(store, AuditEvent.RUNS_IMPORTED)
    assert (entry.action, entry.patient_id, entry.detail) == (AuditAction.CREATE, patient_id, "15 runs from strava")
    assert _entries(store, AuditEvent.RUN_LOGGED) == []
    assert log.import_runs(patient_id, [], today=TODAY) == 0


def test_an_import_for_one_patient_holds_only_their_runs(store: ClinicStore, patient_id: int) -> None:
    with pytest.raises(ValueError, match="belongs to the patient"):
        _session(store).running_log.import_runs(patient_id, [_run(patient_id + 1)], today=TODAY)


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.CLUB])
def test_roles_without_the_clinical_record_cannot_see_or_change_runs(
    store: ClinicStore, patient_id: int, role: Role
) -> None:
    stored = store.running_log.add(_run(patient_id))
    log = _session(store, role).running_log
    with pytest.raises(PermissionDenied):
        log.runs(patient_id)
    with pytest.raises(PermissionDenied):
        log.log(_run(patient_id, 2), today=TODAY)
    with pytest.raises(PermissionDenied):
        log.import_runs(patient_id, [_run(patient_id, 3)], today=TODAY)
    with pytest.raises(PermissionDenied):
        log.remove(stored)
    assert store.running_log.for_patient(patient_id) == [stored]
    denied = [e for e in store.audit.query(AuditQuery(patient_id=patient_id)) if e.outcome is Outcome.DENIED]
    assert {e.event for e in denied} == {
        AuditEvent.PATIENT_VIEWED, AuditEvent.RUN_LOGGED, AuditEvent.RUNS_IMPORTED, AuditEvent.RUN_DELETED,
    }  # fmt: skip


def test_the_session_keeps_one_running_log_service(store: ClinicStore) -> None:
    session = _session(store)
    assert session.running_log is session.running_log
