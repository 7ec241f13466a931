"""The running log's repository (migration 0007), on SQLite and PostgreSQL: every field kept, an import
stored whole or not at all, stale edits refused, the order the charts read, and the privacy paths."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from db.erasure import SqlPrivacyStore
from db.patient_export import SqlPatientFile
from workstation.errors import ConflictError, RecordNotFound
from workstation.privacy.restriction import Grounds, ProcessingRestricted, Restriction
from workstation.records import Patient
from workstation.running.records import RunRecord

NOW = datetime(2026, 12, 16, 9, 0, tzinfo=UTC)


def _patient(store: Any, family: str = "Ngata") -> int:
    patient_id: int = store.patients.add(Patient("Aroha", family, date(1991, 5, 6))).id
    return patient_id


def _run(patient_id: int, day: int = 1, km: float = 8.0, **changes: Any) -> RunRecord:
    return replace(RunRecord(patient_id, date(2026, 11, day), km), **changes)


def _count(store: Any) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM running_session")).scalar_one())


def test_every_field_comes_back_as_stored(store: Any) -> None:
    patient_id = _patient(store)
    full = _run(
        patient_id, 3, 12.4, duration_min=61.5, perceived_effort=7, surface="trail", shoes="Speedgoat 5",
        hills=True, speed_work=False, note="Felt the calf at 8 km", source="strava", external_id="10023991",
        recorded_by=7,
    )  # fmt: skip
    bare = _run(patient_id, 4, 3.0)
    saved = store.running_log.add(full)
    store.running_log.add(bare)
    assert saved.id is not None and saved.version == 1
    assert store.running_log.for_patient(patient_id) == [
        replace(full, id=saved.id, version=1), replace(bare, id=saved.id + 1, version=1),
    ]  # fmt: skip
    (_, stored_bare) = store.running_log.for_patient(patient_id)
    assert (stored_bare.duration_min, stored_bare.perceived_effort, stored_bare.surface) == (None, None, None)
    assert (stored_bare.hills, stored_bare.speed_work, stored_bare.shoes, stored_bare.source) == (
        None, None, "", "manual",
    )  # fmt: skip


def test_adding_is_idempotent_on_uid_and_needs_the_patient(store: Any) -> None:
    patient_id = _patient(store)
    run = _run(patient_id)
    first = store.running_log.add(run)
    assert store.running_log.add(run) == first
    assert _count(store) == 1
    with pytest.raises(RecordNotFound):
        store.running_log.add(_run(patient_id + 1000))


def test_add_many_stores_everything_in_one_go(store: Any) -> None:
    patient_id = _patient(store)
    runs = [_run(patient_id, day, km=5 + day, source="csv") for day in range(1, 21)]
    assert store.running_log.add_many(runs) == 20
    stored = store.running_log.for_patient(patient_id)
    assert [r.uid for r in stored] == [r.uid for r in runs]
    assert {r.version for r in stored} == {1}
    assert store.running_log.add_many(runs) == 0  # the same import retried adds nothing
    assert store.running_log.add_many([]) == 0
    assert _count(store) == 20


def test_a_bad_run_in_the_middle_of_an_import_stores_nothing(store: Any) -> None:
    patient_id = _patient(store)
    runs = [_run(patient_id, day) for day in range(1, 11)]
    runs[5] = replace(runs[5], distance_km=-2.0)  # refused by the database's CHECK
    with pytest.raises(IntegrityError):
        store.running_log.add_many(runs)
    assert _count(store) == 0
    with pytest.raises(RecordNotFound):
        store.running_log.add_many([_run(patient_id), _run(patient_id + 1000)])
    assert _count(store) == 0


@pytest.mark.parametrize(
    "bad", [{"distance_km": 0.0}, {"perceived_effort": 11}, {"perceived_effort": -1}, {"source": "garmin"}]
)
def test_the_database_refuses_impossible_values(store: Any, bad: dict[str, Any]) -> None:
    patient_id = _patient(store)
    with pytest.raises(IntegrityError):
        store.running_log.add(_run(patient_id, **bad))
    assert _count(store) == 0


def test_a_change_over_a_stale_version_is_refused(store: Any) -> None:
    patient_id = _patient(store)
    read = store.running_log.add(_run(patient_id, km=10.0))
    changed = store.running_log.update(replace(read, distance_km=10.5, note="GPS drifted"))
    assert (changed.distance_km, changed.note, changed.version, changed.uid) == (10.5, "GPS drifted", 2, read.uid)
    with pytest.raises(ConflictError) as refused:
        store.running_log.update(replace(read, distance_km=11.0))
    assert refused.value.current_version == 2
    assert "Someone else changed this run" in refused.value.message
    assert store.running_log.for_patient(patient_id) == [changed]
    with pytest.raises(RecordNotFound):
        store.running_log.update(replace(read, id=(read.id or 0) + 1000))


def test_a_delete_names_the_version_it_read(store: Any) -> None:
    patient_id = _patient(store)
    read = store.running_log.add(_run(patient_id))
    changed = store.running_log.update(replace(read, shoes="Pegasus"))
    with pytest.raises(ConflictError):
        store.running_log.delete(read.id, read.version)
    assert store.running_log.for_patient(patient_id) == [changed]
    store.running_log.delete(changed.id, changed.version)
    assert store.running_log.for_patient(patient_id) == []
    with pytest.raises(RecordNotFound):
        store.running_log.delete(changed.id, changed.version)


def test_runs_come_oldest_first_then_in_the_order_they_were_logged(store: Any) -> None:
    patient_id = _patient(store)
    other_id = _patient(store, "Other")
    late = store.running_log.add(_run(patient_id, 20))
    early = store.running_log.add(_run(patient_id, 2))
    second_same_day = store.running_log.add(_run(patient_id, 20, km=3.0))
    store.running_log.add(_run(other_id, 1))
    assert [r.id for r in store.running_log.for_patient(patient_id)] == [early.id, late.id, second_same_day.id]


def test_a_restricted_record_gets_no_new_run_and_its_runs_stay(store: Any) -> None:
    patient_id = _patient(store)
    kept = store.running_log.add(_run(patient_id))
    SqlPrivacyStore(store).restrict(Restriction(patient_id, Grounds.ACCURACY_CONTESTED, NOW, 7))
    with pytest.raises(ProcessingRestricted):
        store.running_log.add(_run(patient_id, 2))
    with pytest.raises(ProcessingRestricted):
        store.running_log.update(replace(kept, distance_km=1.0))
    with pytest.raises(ProcessingRestricted):
        store.running_log.delete(kept.id, kept.version)
    assert store.running_log.for_patient(patient_id) == [kept]


def test_the_subject_access_export_and_erasure_take_the_running_log(store: Any) -> None:
    patient_id = _patient(store, "Asked")
    kept_id = _patient(store, "Kept")
    store.running_log.add_many([_run(patient_id, 1, note="Asked's note"), _run(patient_id, 2)])
    kept = store.running_log.add(_run(kept_id))

    tables = SqlPatientFile(store).read(patient_id)
    assert [row["note"] for row in tables["running_session"]] == ["Asked's note", ""]
    assert {row["patient_id"] for row in tables["running_session"]} == {patient_id}

    deleted = SqlPrivacyStore(store).erase(patient_id)
    assert deleted["running_session"] == 2
    assert store.running_log.for_patient(patient_id) == []
    assert store.running_log.for_patient(kept_id) == [kept]


def test_a_run_counts_as_an_entry_for_the_retention_period(store: Any) -> None:
    patient_id = _patient(store)
    store.running_log.add(RunRecord(patient_id, date(2031, 3, 1), 5.0))
    assert SqlPrivacyStore(store).retention_facts(patient_id).last_entry >= date(2031, 3, 1)
