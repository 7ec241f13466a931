"""The audit log on SQLite and PostgreSQL: numbering, the chain, queries, concurrency, append-only."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import exc, text

import db
import db.schema
from db import cipher
from tests import dbkit
from workstation.audit.chain import GENESIS_HASH, verify_chain
from workstation.audit.records import AuditEntry, AuditEvent, Outcome
from workstation.ports import AuditQuery

_T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
_REFUSAL = "audit entries are append-only"


def _entry(
    event: AuditEvent = AuditEvent.PATIENT_VIEWED,
    *,
    at: datetime = _T0,
    user_id: int | None = 1,
    patient_id: int | None = None,
    detail: str = "",
    workstation: str = "ROOM-1",
) -> AuditEntry:
    return AuditEntry(
        event=event,
        outcome=Outcome.SUCCESS,
        occurred_at=at,
        user_id=user_id,
        user_name=f"user{user_id}" if user_id else "",
        role="clinician" if user_id else "",
        workstation=workstation,
        patient_id=patient_id,
        object_type="patient" if patient_id else "",
        object_id=str(patient_id or ""),
        detail=detail,
    )


def _fill(store: db.Store, count: int) -> list[AuditEntry]:
    return [store.audit.append(_entry(at=_T0 + timedelta(minutes=i), patient_id=i % 3 + 1)) for i in range(count)]


def test_an_empty_log_has_the_genesis_head(store: db.Store) -> None:
    assert store.audit.head() == (0, GENESIS_HASH)
    assert list(store.audit.in_order()) == []
    assert verify_chain(store.audit.in_order()).ok


def test_append_numbers_1_2_3_and_links_a_chain_that_verifies(store: db.Store) -> None:
    first = store.audit.append(_entry(AuditEvent.LOGIN))
    second = store.audit.append(_entry(patient_id=7, at=_T0 + timedelta(seconds=1)))
    third = store.audit.append(_entry(AuditEvent.LOGOUT, at=_T0 + timedelta(seconds=2)))
    assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert (second.previous_hash, third.previous_hash) == (first.entry_hash, second.entry_hash)
    assert list(store.audit.in_order()) == [first, second, third]  # stored exactly as returned
    assert store.audit.head() == (3, third.entry_hash)
    report = verify_chain(store.audit.in_order(), anchor=store.audit.head())
    assert (report.ok, report.checked, report.head) == (True, 3, (3, third.entry_hash))


def test_times_in_any_zone_are_stored_in_utc_and_still_verify(store: db.Store) -> None:
    local = _T0.astimezone(timezone(timedelta(hours=-5))) + timedelta(microseconds=123_456)
    stored = store.audit.append(_entry(at=local))
    (read,) = store.audit.in_order()
    assert read.occurred_at == local and read.occurred_at.utcoffset() == timedelta(0)
    assert read == stored
    assert verify_chain([read]).ok


def test_text_too_long_for_its_column_is_shortened_before_sealing(store: db.Store) -> None:
    stored = store.audit.append(_entry(detail="x" * 2_000, workstation="W" * 300))
    assert len(stored.detail) == 500 and stored.detail.endswith("…")
    assert len(stored.workstation) == 255
    assert list(store.audit.in_order()) == [stored]
    assert verify_chain(store.audit.in_order()).ok


def test_query_filters_by_patient_user_event_and_dates_newest_first(store: db.Store) -> None:
    log = [
        store.audit.append(_entry(AuditEvent.LOGIN, at=_T0, user_id=1)),
        store.audit.append(_entry(at=_T0 + timedelta(hours=1), user_id=1, patient_id=10)),
        store.audit.append(_entry(at=_T0 + timedelta(hours=2), user_id=2, patient_id=10)),
        store.audit.append(_entry(AuditEvent.PATIENT_UPDATED, at=_T0 + timedelta(hours=3), user_id=2, patient_id=11)),
        store.audit.append(_entry(AuditEvent.LOGIN_FAILED, at=_T0 + timedelta(days=1), user_id=None)),
    ]

    def sequences(**filters: object) -> list[int | None]:
        return [e.sequence for e in store.audit.query(AuditQuery(**filters))]  # type: ignore[arg-type]

    assert sequences() == [5, 4, 3, 2, 1]
    assert sequences(patient_id=10) == [3, 2]
    assert sequences(user_id=2) == [4, 3]
    assert sequences(event=AuditEvent.PATIENT_VIEWED) == [3, 2]
    assert sequences(event=AuditEvent.LOGIN_FAILED) == [5]
    assert sequences(since=_T0 + timedelta(hours=1), until=_T0 + timedelta(hours=3)) == [3, 2]  # [since, until)
    assert sequences(since=(_T0 + timedelta(hours=3)).astimezone(timezone(timedelta(hours=10)))) == [5, 4]
    assert sequences(patient_id=10, user_id=1) == [2]
    assert sequences(limit=2) == [5, 4]
    assert sequences(patient_id=99) == []
    assert store.audit.query(AuditQuery(patient_id=11)) == [log[3]]


def test_in_order_streams_a_long_log(store: db.Store) -> None:
    entries = _fill(store, 120)
    stream = store.audit.in_order()
    assert next(stream) == entries[0]  # a generator: nothing is read before it is asked for
    assert [e.sequence for e in stream] == list(range(2, 121))


def test_two_workstations_appending_at_once_never_fork_the_chain(database_url: str) -> None:
    stores = [dbkit.open_store(database_url), dbkit.open_store(database_url)]
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def append_many(store: db.Store, station: str) -> None:
        try:
            start.wait()
            for i in range(200):
                store.audit.append(_entry(at=datetime.now(UTC), workstation=station, detail=str(i)))
        except BaseException as error:  # noqa: BLE001  (reported by the main thread)
            failures.append(error)

    threads = [threading.Thread(target=append_many, args=(s, f"ROOM-{n}")) for n, s in enumerate(stores)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert failures == []
        entries = list(stores[0].audit.in_order())
        assert [e.sequence for e in entries] == list(range(1, 401))
        assert {e.workstation for e in entries} == {"ROOM-0", "ROOM-1"}
        report = verify_chain(stores[1].audit.in_order(), anchor=stores[1].audit.head())
        assert (report.ok, report.checked) == (True, 400), report.reason
    finally:
        for store in stores:
            store.close()


# --- append-only (RELIABILITY.md F3) ------------------------------------------------------------------


def _sqlite_path(store: db.Store) -> Path:
    path = store.target.sqlite_path
    assert path is not None
    return path


def test_sqlite_refuses_every_update_and_delete(sqlite_url: str) -> None:
    store = dbkit.open_store(sqlite_url)
    entries = _fill(store, 10)
    raw = dbkit.raw(_sqlite_path(store), isolation_level=None)
    statements = [
        *(f"UPDATE audit_entry SET detail = 'x' WHERE sequence = {e.sequence}" for e in entries),
        *(f"DELETE FROM audit_entry WHERE sequence = {e.sequence}" for e in entries),
        "UPDATE audit_entry SET entry_hash = previous_hash",
        "DELETE FROM audit_entry",  # the triggers also turn off SQLite's quick emptying of a table
    ]
    try:
        refused = 0
        for statement in statements:
            with pytest.raises(cipher.IntegrityError, match=_REFUSAL):
                raw.execute(statement)
            refused += 1
        assert refused == len(statements)
    finally:
        raw.close()
    assert list(store.audit.in_order()) == entries
    store.close()


_PG_CHANGES = (
    "UPDATE audit_entry SET detail = 'x' WHERE sequence = 1",
    "UPDATE audit_entry SET detail = 'x' WHERE sequence = 9999",  # refused even when it matches nothing
    "DELETE FROM audit_entry WHERE sequence = 2",
    "DELETE FROM audit_entry",
    "TRUNCATE audit_entry",
)


def _refused(store: db.Store, statement: str) -> str:
    """Run ``statement`` as the application's role; return why PostgreSQL refused it."""
    with pytest.raises(exc.ProgrammingError) as raised, store.engine.begin() as connection:
        connection.execute(text(statement))
    assert getattr(raised.value.orig, "sqlstate", None) == "42501"  # insufficient_privilege, both ways
    return str(raised.value.orig)


def test_postgresql_refuses_every_change_as_the_application_role(pg_url: str) -> None:
    store = dbkit.open_store(pg_url)
    try:
        entries = _fill(store, 10)
        statements = [
            *(f"UPDATE audit_entry SET detail = 'x' WHERE sequence = {e.sequence}" for e in entries),
            *(f"DELETE FROM audit_entry WHERE sequence = {e.sequence}" for e in entries),
            *_PG_CHANGES,
        ]
        reasons = [_refused(store, statement) for statement in statements]
        assert len(reasons) == len(statements)
        assert all("permission denied for table audit_entry" in reason for reason in reasons)
        assert list(store.audit.in_order()) == entries
        with store.engine.connect() as connection:
            is_superuser = connection.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = CURRENT_USER"))
            assert is_superuser.scalar() is False  # or privileges would prove nothing
            held = set(
                connection.execute(
                    text(
                        "SELECT privilege_type FROM pg_class, aclexplode(relacl) WHERE relname = 'audit_entry' "
                        "AND grantee = (SELECT oid FROM pg_roles WHERE rolname = CURRENT_USER)"
                    )
                ).scalars()
            )
        assert {"INSERT", "SELECT"} <= held
        assert not held & {"UPDATE", "DELETE", "TRUNCATE"}
    finally:
        store.close()


def test_postgresql_triggers_refuse_even_when_the_privileges_are_given_back(pg_url: str) -> None:
    store = dbkit.open_store(pg_url)
    try:
        entries = _fill(store, 3)
        with store.engine.begin() as connection:
            # The owner may grant itself the privileges again: the triggers are the second wall.
            connection.execute(text("GRANT UPDATE, DELETE, TRUNCATE ON audit_entry TO CURRENT_USER"))
        reasons = [_refused(store, statement) for statement in _PG_CHANGES]
        assert all(_REFUSAL in reason for reason in reasons)
        assert list(store.audit.in_order()) == entries
        store.audit.append(_entry())  # appending still works
        assert verify_chain(store.audit.in_order()).ok
    finally:
        store.close()


def test_postgresql_privileges_refuse_even_with_the_triggers_disabled(pg_url: str) -> None:
    store = dbkit.open_store(pg_url)
    try:
        entries = _fill(store, 3)
        with store.engine.begin() as connection:
            connection.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))  # an owner may
        reasons = [_refused(store, statement) for statement in _PG_CHANGES]
        assert all("permission denied" in reason for reason in reasons)
        assert list(store.audit.in_order()) == entries
    finally:
        store.close()


# --- an attacker with direct access -------------------------------------------------------------------


def _tamper(store: db.Store, statement: str) -> None:
    """Change the table as someone with the file or a superuser login could: past the triggers."""
    if store.is_sqlite:
        raw = dbkit.raw(_sqlite_path(store), isolation_level=None)
        try:
            raw.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
            raw.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
            raw.execute(statement)
        finally:
            raw.close()
    else:  # the owner undoes both walls: privileges first, then the triggers
        with store.engine.begin() as connection:
            connection.execute(text("GRANT UPDATE, DELETE ON audit_entry TO CURRENT_USER"))
            connection.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
            connection.execute(text(statement))


def test_an_edited_row_is_found_at_its_sequence(store: db.Store) -> None:
    _fill(store, 8)
    _tamper(store, "UPDATE audit_entry SET patient_id = 99 WHERE sequence = 5")
    report = verify_chain(store.audit.in_order())
    assert (report.ok, report.first_broken, report.checked) == (False, 5, 4), report.reason


def test_an_unknown_event_written_into_a_row_is_reported_not_crashed_on(store: db.Store) -> None:
    _fill(store, 4)
    _tamper(store, "UPDATE audit_entry SET event = 'patient.teleported' WHERE sequence = 2")
    report = verify_chain(store.audit.in_order())
    assert (report.ok, report.first_broken) == (False, 2)


def test_a_deleted_row_is_found_and_a_cut_tail_is_found_against_the_anchor(store: db.Store) -> None:
    _fill(store, 8)
    anchor = store.audit.head()
    _tamper(store, "DELETE FROM audit_entry WHERE sequence = 3 OR sequence >= 7")
    assert verify_chain(store.audit.in_order()).first_broken == 3
    _tamper(store, "DELETE FROM audit_entry WHERE sequence > 2")
    assert verify_chain(store.audit.in_order()).ok  # a shortened log looks sound on its own
    report = verify_chain(store.audit.in_order(), anchor=anchor)
    assert (report.ok, report.first_broken) == (False, 3)


def test_the_migration_downgrades_to_exactly_what_was_there_before(store: db.Store) -> None:
    from alembic import command
    from sqlalchemy import inspect

    config = db.schema.alembic_config()
    _fill(store, 2)
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    tables = set(inspect(store.engine).get_table_names()) - {"alembic_version"}
    assert tables == {"patient", "episode", "observation"}
    if not store.is_sqlite:
        with store.engine.connect() as connection:
            functions = connection.execute(text("SELECT proname FROM pg_proc WHERE proname LIKE 'audit_entry%'"))
            assert functions.all() == []
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    _fill(store, 2)
    assert [e.sequence for e in store.audit.in_order()] == [1, 2]  # a new, empty log
    if store.is_sqlite:  # and the new table is protected again
        raw = dbkit.raw(_sqlite_path(store), isolation_level=None)
        with pytest.raises(cipher.IntegrityError, match=_REFUSAL):
            raw.execute("DELETE FROM audit_entry")
        raw.close()
    else:
        _refused(store, "DELETE FROM audit_entry")
