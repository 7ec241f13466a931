"""Recorded measurements are never changed or deleted; a correction is a new version linked to the one it
replaces, and audited (RELIABILITY.md I2), on SQLite and PostgreSQL.

The refusal is the database's (migration 0004's triggers), so it holds for every way in: the ORM, Core
statements, SQL text, and the driver itself past CalfDesk. Erasure after the retention period deletes a
patient's observations through a permit that cannot outlive its transaction.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, delete, event, select, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from db import cipher
from db.engine import WRITE
from db.models import ObservationRow
from tests import dbkit
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import ConflictError, PermissionDenied, RecordNotFound, ValidationFailed
from workstation.ports import AuditQuery
from workstation.records import Observation, Patient, Side
from workstation.security.accounts import Actor, Role
from workstation.services.corrections import correct_observation
from workstation.services.session import ClinicSession

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
_REFUSALS = ("observations are never changed or deleted", "permission denied")


def _patient_with_observations(store: Any, count: int = 3) -> tuple[int, list[Observation]]:
    patient = store.patients.add(Patient("Aroha", "Ngata", date(1998, 3, 4)))
    recorded = [
        store.observations.add(Observation(patient.id, date(2026, 11, 1 + n), "heel_raise_reps", 20 + n, "reps",
                                           Side.LEFT))
        for n in range(count)
    ]  # fmt: skip
    return patient.id, recorded


def _rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(ObservationRow.__table__).order_by("id"))]


# ----------------------------------------------------------------------------------------------- refusals


def _orm(change: Callable[[Session, ObservationRow], None]) -> Callable[[Any, int], None]:
    def attempt(store: Any, observation_id: int) -> None:
        with Session(store.engine.execution_options(**WRITE)) as session, session.begin():
            row = session.get(ObservationRow, observation_id)
            assert row is not None
            change(session, row)

    return attempt


def _core(statement: Callable[[int], Any]) -> Callable[[Any, int], None]:
    def attempt(store: Any, observation_id: int) -> None:
        with store.engine.execution_options(**WRITE).begin() as connection:
            connection.execute(statement(observation_id))

    return attempt


def _driver(sql: str) -> Callable[[Any, int], None]:
    """The same statement past SQLAlchemy and CalfDesk: the SQLite library or psycopg, directly."""

    def attempt(store: Any, observation_id: int) -> None:
        if store.is_sqlite:
            with dbkit.raw(store.target.sqlite_path) as connection:
                connection.execute(sql, {"id": observation_id})
                connection.commit()
        else:
            import psycopg

            with psycopg.connect(_psycopg_url(store)) as connection:
                connection.execute(sql.replace(":id", "%(id)s"), {"id": observation_id})

    return attempt


def _set_value(_session: Session, row: ObservationRow) -> None:
    row.value = row.value + 1


def _set_reason(_session: Session, row: ObservationRow) -> None:
    row.correction_reason = "quietly rewritten"


def _delete_row(session: Session, row: ObservationRow) -> None:
    session.delete(row)


_ATTEMPTS: dict[str, Callable[[Any, int], None]] = {
    "ORM: change a loaded observation": _orm(_set_value),
    "ORM: change its correction reason": _orm(_set_reason),
    "ORM: delete a loaded observation": _orm(_delete_row),
    "Core update()": _core(lambda i: update(ObservationRow).where(ObservationRow.id == i).values(value=0)),
    "Core update() of every row": _core(lambda _i: update(ObservationRow).values(unit="cm")),
    "Core delete()": _core(lambda i: delete(ObservationRow).where(ObservationRow.id == i)),
    "SQL text UPDATE": _core(lambda i: text("UPDATE observation SET value = 1 WHERE id = :id").bindparams(id=i)),
    "SQL text DELETE": _core(lambda i: text("DELETE FROM observation WHERE id = :id").bindparams(id=i)),
    "driver UPDATE": _driver("UPDATE observation SET corrects_id = NULL, value = -1 WHERE id = :id"),
    "driver DELETE": _driver("DELETE FROM observation WHERE id = :id"),
}  # fmt: skip
_POSTGRESQL_ATTEMPTS: dict[str, Callable[[Any, int], None]] = {
    "TRUNCATE": _core(lambda _i: text("TRUNCATE observation CASCADE")),
    "driver TRUNCATE": _driver("TRUNCATE observation CASCADE"),
    "UPDATE that matches no row": _core(lambda _i: text("UPDATE observation SET value = 0 WHERE id < 0")),
}


def test_every_update_and_delete_of_an_observation_is_refused(store: Any) -> None:
    patient_id, recorded = _patient_with_observations(store, count=4)
    corrected = correct_observation(store.observations, recorded[0], "Counted a half repetition", value=19)
    twice = correct_observation(store.observations, corrected, "Recounted from the video", value=18)
    before = _rows(store.engine)
    attempts = {**_ATTEMPTS, **({} if store.is_sqlite else _POSTGRESQL_ATTEMPTS)}
    tried, refused = 0, []
    for observation in [*recorded, corrected, twice]:
        assert observation.id is not None
        for name, attempt in attempts.items():
            tried += 1
            try:
                attempt(store, observation.id)
            except (sa_exc.DBAPIError, cipher.Error, _psycopg_error()) as error:
                if any(reason in str(error) for reason in _REFUSALS):
                    refused.append(name)
    assert len(refused) == tried == 6 * len(attempts)  # 100 %
    assert _rows(store.engine) == before
    assert store.observations.history(recorded[0].id or 0) == [recorded[0], corrected, twice]
    assert len(store.observations.for_patient(patient_id)) == 4


# ------------------------------------------------------------------------------------------- corrections


def test_a_correction_of_a_correction_keeps_the_whole_chain(store: Any) -> None:
    patient_id, (first, second, third) = _patient_with_observations(store)
    other = store.observations.add(Observation(patient_id, date(2026, 11, 2), "knee_to_wall_cm", 9.5, "cm", Side.RIGHT))
    corrected = correct_observation(store.observations, second, "Typed 12 for 21", value=12)
    again = correct_observation(
        store.observations, corrected, "It was the right calf", side=Side.RIGHT, observed_on=date(2026, 11, 5)
    )
    assert (corrected.corrects_id, again.corrects_id) == (second.id, corrected.id)
    assert (again.value, again.side, again.observed_on, again.unit) == (12, Side.RIGHT, date(2026, 11, 5), "reps")
    assert (again.correction_reason, again.is_correction, second.is_correction) == (
        "It was the right calf", True, False,
    )  # fmt: skip
    chain = [second, corrected, again]
    for version in chain:
        assert store.observations.history(version.id) == chain  # the original is kept, exactly as recorded
    assert store.observations.history(first.id) == [first]
    # Current values: one per measurement, the newest version, in the order they were observed.
    assert store.observations.for_patient(patient_id) == [first, other, third, again]
    assert store.observations.for_patient(patient_id, "heel_raise_reps") == [first, third, again]
    assert store.observations.for_patient(patient_id, "knee_to_wall_cm") == [other]


def test_a_version_already_corrected_cannot_be_corrected_again(store: Any) -> None:
    _patient_id, (original, *_rest) = _patient_with_observations(store)
    correct_observation(store.observations, original, "Typo", value=30)
    rows = _rows(store.engine)
    with pytest.raises(ConflictError, match="Someone else corrected this measurement"):
        correct_observation(store.observations, original, "Typo, by someone else", value=31)
    assert _rows(store.engine) == rows


def test_a_retried_correction_is_stored_once(store: Any) -> None:
    _patient_id, (original, *_rest) = _patient_with_observations(store)
    corrected = correct_observation(store.observations, original, "Typo", value=30)
    assert store.observations.correct(corrected) == corrected  # the same uid: the commit was lost, say
    assert len(store.observations.history(original.id)) == 2


def test_a_correction_needs_a_reason_a_change_and_a_number(store: Any) -> None:
    _patient_id, (original, *_rest) = _patient_with_observations(store)
    rows = _rows(store.engine)
    refusals = {
        "no reason": lambda: correct_observation(store.observations, original, "   ", value=30),
        "no change": lambda: correct_observation(store.observations, original, "Checked again", value=original.value),
        "not a number": lambda: correct_observation(store.observations, original, "Typo", value=math.nan),
        "a reason too long": lambda: correct_observation(store.observations, original, "x" * 501, value=30),
    }
    fields = {}
    for name, attempt in refusals.items():
        with pytest.raises(ValidationFailed) as refused:
            attempt()
        fields[name] = {problem.field for problem in refused.value.problems}
    assert fields == {
        "no reason": {"correction_reason"},
        "no change": {"value"},
        "not a number": {"value"},
        "a reason too long": {"correction_reason"},
    }
    assert _rows(store.engine) == rows
    with pytest.raises(RecordNotFound):
        store.observations.history(10_000)


def test_two_corrections_of_one_version_at_once_store_one_and_refuse_the_other(pg_url: str) -> None:
    """PostgreSQL: the other workstation's correction commits after this one checked that nobody had
    corrected the version yet, so only the unique corrects_id can refuse this one. (SQLite queues the two
    write transactions, so the check itself sees the first: the test above.)"""
    here, there = dbkit.open_store(pg_url), dbkit.open_store(pg_url)
    try:
        _patient_id, (original, *_rest) = _patient_with_observations(here)
        theirs: list[Observation] = []

        def they_correct() -> None:
            theirs.append(correct_observation(there.observations, original, "Typo, theirs", value=30))

        with (
            _after_next(here.engine, "WHERE observation.corrects_id", they_correct),
            pytest.raises(ConflictError, match="Someone else corrected"),
        ):
            correct_observation(here.observations, original, "Typo, mine", value=31)
        assert here.observations.history(original.id) == [original, *theirs]
    finally:
        here.close()
        there.close()


@contextmanager
def _after_next(engine: Engine, fragment: str, action: Callable[[], None]) -> Iterator[None]:
    fired: list[bool] = []

    def after_cursor_execute(*args: Any) -> None:
        if not fired and fragment in str(args[2]):
            fired.append(True)
            action()

    event.listen(engine, "after_cursor_execute", after_cursor_execute)
    try:
        yield
    finally:
        event.remove(engine, "after_cursor_execute", after_cursor_execute)
    assert fired


# ------------------------------------------------------------------------------------------------ audit


def _session(store: Any, role: Role, user_id: int) -> ClinicSession:
    return ClinicSession(store, Actor(user_id, "user", role, "room-2"), Auditor(store.audit, "room-2", lambda: NOW))


def test_a_correction_is_audited_and_names_who_recorded_each_version(store: Any) -> None:
    clinician, colleague = _session(store, Role.CLINICIAN, 7), _session(store, Role.CLINICIAN, 8)
    patient = store.patients.add(Patient("Liam", "Walsh", date(1990, 6, 1)))
    recorded = clinician.observations.add(Observation(patient.id, date(2026, 12, 1), "nprs", 6, "/10"))
    corrected = correct_observation(colleague.observations, recorded, "Patient said 4, not 6", value=4)
    assert (recorded.recorded_by, corrected.recorded_by) == (7, 8)
    (entry,) = store.audit.query(AuditQuery(event=AuditEvent.OBSERVATION_CORRECTED))
    assert (entry.user_id, entry.patient_id, entry.object_type, entry.object_id, entry.outcome) == (
        8, patient.id, "observation", str(corrected.id), Outcome.SUCCESS,
    )  # fmt: skip
    assert entry.detail == f"corrects observation {recorded.id}"  # ids only: never the values or the reason
    assert colleague.observations.history(corrected.id or 0) == [recorded, corrected]
    assert colleague.observations.for_patient(patient.id) == [corrected]


def test_reception_cannot_correct_a_measurement_and_the_refusal_is_audited(store: Any) -> None:
    patient = store.patients.add(Patient("Mei", "Chen", date(2001, 2, 3)))
    recorded = store.observations.add(Observation(patient.id, date(2026, 12, 1), "nprs", 6, "/10"))
    with pytest.raises(PermissionDenied):
        correct_observation(_session(store, Role.RECEPTION, 9).observations, recorded, "Typo", value=5)
    (entry,) = store.audit.query(AuditQuery(user_id=9))
    assert (entry.event, entry.outcome, entry.patient_id) == (AuditEvent.OBSERVATION_CORRECTED, Outcome.DENIED,
                                                              patient.id)  # fmt: skip
    assert store.observations.history(recorded.id) == [recorded]


# ---------------------------------------------------------------------------------------------- erasure


def test_erasure_deletes_one_patients_observations_within_its_transaction_only(store: Any) -> None:
    erased_id, (original, *_rest) = _patient_with_observations(store)
    correct_observation(store.observations, original, "Typo", value=30)
    kept_id, kept = _patient_with_observations(store)
    with store.engine.execution_options(**WRITE).begin() as connection:
        connection.execute(text("INSERT INTO erasure_permit (patient_id) VALUES (:id)"), {"id": erased_id})
        connection.execute(text("DELETE FROM observation WHERE patient_id = :id"), {"id": erased_id})
        with pytest.raises(sa_exc.DBAPIError, match="never changed or deleted"), connection.begin_nested():
            connection.execute(text("DELETE FROM observation WHERE patient_id = :id"), {"id": kept_id})
        connection.execute(text("DELETE FROM erasure_permit WHERE patient_id = :id"), {"id": erased_id})
    assert store.observations.for_patient(erased_id) == []
    assert store.observations.for_patient(kept_id) == kept


def test_a_permit_left_behind_makes_the_commit_fail_and_nothing_is_deleted(store: Any) -> None:
    patient_id, recorded = _patient_with_observations(store)
    with pytest.raises(sa_exc.IntegrityError), store.engine.execution_options(**WRITE).begin() as connection:
        connection.execute(text("INSERT INTO erasure_permit (patient_id) VALUES (:id)"), {"id": patient_id})
        connection.execute(text("DELETE FROM observation WHERE patient_id = :id"), {"id": patient_id})
    assert store.observations.for_patient(patient_id) == recorded
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM erasure_permit")).scalar() == 0


# ------------------------------------------------------------------------------------------- migration


def test_upgrading_keeps_the_observations_recorded_before_0004(database_url: str) -> None:
    """A database at 0003 with observations: 0004 keeps every value, and from then on refuses changes."""
    engine = dbkit.migration_engine(database_url)
    try:
        with engine.execution_options(**WRITE).begin() as connection:
            dbkit.migrate(connection, "upgrade", "0003")
            patient_id = connection.execute(text(
                "INSERT INTO patient (uid, version, given_name, family_name, preferred_name, date_of_birth, sex, "
                "phone, email, address, nhs_number, medicare_number, medicare_irn, gp_name, gp_practice, gp_address, "
                "gp_phone, gp_secure_email, emergency_name, emergency_relationship, emergency_phone, gp_consent, "
                "club_consent, sort_key, created_at, updated_at) VALUES ('p-1', 1, 'Ana', 'Silva', '', '1990-01-01', "
                "'female', '', '', '', '', '', '', '', '', '', '', '', '', '', '', false, false, 'silva', :now, :now) "
                "RETURNING id"
            ), {"now": NOW}).scalar_one()  # fmt: skip
            observation_id = connection.execute(
                text("INSERT INTO observation (uid, patient_id, observed_on, code, side, value, unit, protocol, "
                     "recorded_at) VALUES ('o-1', :patient, '2026-11-01', 'heel_raise_reps', 'left', 22, 'reps', "
                     "'CLINICAL.md 2.2', :now) RETURNING id"),
                {"patient": patient_id, "now": NOW},
            ).scalar_one()  # fmt: skip
    finally:
        engine.dispose()
    store = dbkit.open_store(database_url)
    try:
        (kept,) = store.observations.for_patient(patient_id)
        assert (kept.id, kept.uid, kept.value, kept.side, kept.protocol) == (
            observation_id, "o-1", 22, Side.LEFT, "CLINICAL.md 2.2",
        )  # fmt: skip
        assert (kept.corrects_id, kept.correction_reason, kept.recorded_by) == (None, "", None)
        with pytest.raises(sa_exc.DBAPIError, match="never changed or deleted"):
            _core(lambda i: text("UPDATE observation SET value = 0 WHERE id = :id").bindparams(id=i))(
                store, observation_id
            )
        corrected = correct_observation(store.observations, kept, "Typo", value=23)
        assert store.observations.history(observation_id) == [kept, corrected]
    finally:
        store.close()


def test_downgrading_0004_lifts_the_protection_and_upgrading_restores_it(database_url: str) -> None:
    dbkit.open_store(database_url).close()  # created at head
    engine = dbkit.migration_engine(database_url)
    try:
        with engine.execution_options(**WRITE).begin() as connection:
            dbkit.migrate(connection, "downgrade", "0003")
            assert "corrects_id" not in _observation_columns(connection)
        store = dbkit.open_store(database_url)  # upgrades again
        _patient_id, (recorded, *_rest) = _patient_with_observations(store)
        with pytest.raises(sa_exc.DBAPIError, match="never changed or deleted"):
            _core(lambda i: text("DELETE FROM observation WHERE id = :id").bindparams(id=i))(store, recorded.id)
        store.close()
    finally:
        engine.dispose()


def _observation_columns(connection: Connection) -> set[str]:
    from sqlalchemy import inspect

    return {column["name"] for column in inspect(connection).get_columns("observation")}


def _psycopg_url(store: Any) -> str:
    return str(store.engine.url.render_as_string(hide_password=False)).replace("postgresql+psycopg://", "postgresql://")


def _psycopg_error() -> type[BaseException]:
    import psycopg

    return psycopg.Error


def test_a_measurement_saved_again_after_an_unknown_commit_is_stored_once(store: Any) -> None:
    """B7: the retry of an add whose acknowledgement was lost carries the same uid and finds the first row."""
    patient_id, (first, *_) = _patient_with_observations(store, count=1)
    retry = Observation(patient_id, first.observed_on, first.code, first.value, first.unit, first.side, uid=first.uid)
    again = store.observations.add(retry)
    assert again.id == first.id
    with store.engine.connect() as connection:
        rows = connection.execute(select(ObservationRow.id).where(ObservationRow.uid == first.uid)).all()
    assert len(rows) == 1
