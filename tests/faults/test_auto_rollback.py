"""After SQLITE_FULL, SQLite may already have rolled the whole transaction back (RELIABILITY.md B2, probe
§4.2): the code must look at ``in_transaction`` before rolling back, because a blind ROLLBACK then fails
with a second error that would hide the first and leave the user without the plain "disk is full".

Every statement SQLite runs is traced, so the tests see exactly what reached it after the failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from db import cipher
from tests import dbkit
from tests.faults.disk_full import page_cap
from tests.faults.samples import TODAY, bulky_patient
from workstation.errors import DiskFull
from workstation.services.patients import save_patient


class Trace:
    """Statements SQLite ran, and whether a transaction was open when each driver error surfaced."""

    def __init__(self, engine: Any) -> None:
        self.statements: list[str] = []
        self.open_at_error: list[bool] = []
        event.listen(engine, "checkout", lambda raw, _record, _proxy: raw.set_trace_callback(self.statements.append))
        event.listen(engine, "handle_error", self._on_error)

    def _on_error(self, context: Any) -> None:
        self.open_at_error.append(context.connection.connection.driver_connection.in_transaction)
        self.statements.append("<error>")

    def after_error(self) -> list[str]:
        return self.statements[self.statements.index("<error>") + 1 :]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    opened = dbkit.open_store(f"sqlite:///{tmp_path / 'calfdesk.sqlite3'}")
    yield opened
    opened.close()


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def _rollbacks(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("ROLLBACK")]


def test_when_sqlite_rolled_back_by_itself_no_rollback_follows_and_the_disk_full_message_stands(store: Any) -> None:
    limit = page_cap(store.engine)
    trace = Trace(store.engine)
    batch = [bulky_patient(n) for n in range(200)]
    limit(3)
    with pytest.raises(DiskFull) as raised:
        store.patients.add_many(batch)
    after_error = trace.after_error()
    limit(None)
    assert trace.open_at_error == [False]  # SQLite had already rolled back: in_transaction=False
    assert _rollbacks(after_error) == []  # so nothing was rolled back again
    assert not [e for e in _chain(raised.value) if "no transaction is active" in str(e)]
    assert raised.value.message == "The disk is full, so this could not be saved."
    assert store.patients.count() == 0
    assert store.patients.add_many(batch) == 200  # the same pooled connection carries on once there is room


def test_a_new_record_that_meets_a_full_disk_ends_its_whole_transaction_quietly(store: Any) -> None:
    """INSERT ... ON CONFLICT DO NOTHING (the idempotent add, B7) cannot fail on a constraint, so SQLite
    keeps no statement journal for it and a full disk rolls back the whole transaction."""
    save_patient(store.patients, bulky_patient(0), TODAY)  # fills the table's first page
    limit = page_cap(store.engine)
    trace = Trace(store.engine)
    limit(0)
    with pytest.raises(DiskFull):
        save_patient(store.patients, bulky_patient(1), TODAY)
    after_error = trace.after_error()
    limit(None)
    assert (trace.open_at_error, _rollbacks(after_error)) == ([False], [])
    assert store.patients.count() == 1


def test_when_the_transaction_is_still_open_it_is_rolled_back(store: Any) -> None:
    short = [save_patient(store.patients, bulky_patient(n).with_changes(address=""), TODAY) for n in range(8)]
    limit = page_cap(store.engine)
    trace = Trace(store.engine)
    limit(0)
    refused = None
    for patient in short:  # the first ones fit in their page's free space; then the disk is full
        try:
            save_patient(store.patients, patient.with_changes(address=bulky_patient(1).address), TODAY)
        except DiskFull:
            refused = patient
            break
    after_error = trace.after_error()
    limit(None)
    assert refused is not None
    assert trace.open_at_error == [True]  # an UPDATE: SQLite undid the statement, not the transaction
    assert _rollbacks(after_error) == ["ROLLBACK"]  # which the session then rolled back
    assert store.patients.get(refused.id or 0) == refused


def test_a_blind_rollback_after_sqlite_rolled_back_would_have_failed(tmp_path: Path) -> None:
    """The hazard the check avoids, shown on a bare driver connection in the state SQLite leaves."""
    with closing(dbkit.raw(tmp_path / "bare.sqlite3", isolation_level=None)) as raw:
        raw.execute("CREATE TABLE note (text TEXT)")
        raw.execute("BEGIN")
        raw.execute("INSERT INTO note VALUES ('x')")
        raw.execute("ROLLBACK")  # as SQLite does by itself after SQLITE_FULL
        assert not raw.in_transaction
        with pytest.raises(cipher.OperationalError, match="no transaction is active"):
            raw.execute("ROLLBACK")
        raw.rollback()  # the driver's rollback() checks first: nothing is sent, nothing raised
