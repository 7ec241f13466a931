"""PostgreSQL faults through the fault proxy (RELIABILITY.md B5-B8).

B5: a reset mid-transaction surfaces at once as ServerUnreachable, leaves no row, and the next call works.
B6: a black hole (ACKs, never answers) fails the call at the app-level deadline, wherever it strikes.
B7: drops at random byte offsets in either direction, then reconcile: no duplicate, no loss.
B8: the server's timeouts are set, and no connection of the app stays inside a transaction between calls.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import insert

from db import deadline
from db.errors import translated
from db.mapping import patient_values
from db.models import PatientRow
from tests import dbkit
from tests.faults.hooks import Server, once, rows_with_uid
from tests.faults.proxy import TO_CLIENT, TO_SERVER, FaultProxy
from tests.faults.samples import TODAY, bulky_patient
from workstation.errors import ServerUnreachable
from workstation.records import Patient
from workstation.services.patients import normalised, save_patient

pytestmark = pytest.mark.postgres

DEADLINE_S = 1.5  # the app's is 10 s; short here so the tests stay quick
DROP_POINTS = int(os.environ.get("CALFDESK_DROP_POINTS", "200"))


@pytest.fixture
def store(proxy: FaultProxy, pg_url: str) -> Iterator[Any]:
    opened = dbkit.open_store(proxy.url(pg_url))
    deadline.of(opened.engine).seconds = DEADLINE_S
    yield opened
    opened.close()


def timed_failure(call: Callable[[], object]) -> tuple[ServerUnreachable, float]:
    started = time.monotonic()
    with pytest.raises(ServerUnreachable) as raised:
        call()
    return raised.value, time.monotonic() - started


# B5 -----------------------------------------------------------------------------------------------------


def test_a_reset_between_insert_and_commit_fails_at_once_and_persists_nothing(
    store: Any, proxy: FaultProxy, server: Server
) -> None:
    earlier = save_patient(store.patients, bulky_patient(0), TODAY)
    draft = bulky_patient(1)
    once(store.engine, "after_cursor_execute", proxy.reset_all, "INSERT INTO patient")
    error, seconds = timed_failure(lambda: save_patient(store.patients, draft, TODAY))
    print(f"\nB5: reset surfaced after {seconds * 1000:.0f} ms")
    assert seconds <= 1.0
    assert error.message == "The database server is not answering."
    assert isinstance(error.__cause__, sa_exc.DBAPIError) and error.__cause__.connection_invalidated
    assert rows_with_uid(server, draft.uid) == 0
    assert store.patients.get(earlier.id or 0) == earlier  # the next call simply works
    assert save_patient(store.patients, draft, TODAY).uid == draft.uid  # and so does the retry, once
    assert rows_with_uid(server, draft.uid) == 1


def test_connections_reset_while_idle_are_replaced_unnoticed(store: Any, proxy: FaultProxy) -> None:
    save_patient(store.patients, bulky_patient(0), TODAY)
    proxy.reset_all()  # the pooled connection is dead; pool_pre_ping must notice before using it
    started = time.monotonic()
    assert store.patients.count() == 1
    assert time.monotonic() - started < 1.0
    assert proxy.connections >= 1


# B6 -----------------------------------------------------------------------------------------------------


def _after_black_hole(proxy: FaultProxy) -> None:
    proxy.black_hole(False)
    time.sleep(0.6)  # past the moment right after a cut in which reconnecting fails at once


@pytest.mark.parametrize(
    ("event_name", "statement"),
    [("after_cursor_execute", "INSERT INTO patient"), ("commit", "")],
    ids=["after-insert", "at-commit"],
)
def test_a_black_hole_mid_save_fails_at_the_deadline_and_persists_nothing(
    store: Any, proxy: FaultProxy, server: Server, event_name: str, statement: str
) -> None:
    draft = bulky_patient(1)
    once(store.engine, event_name, lambda: proxy.black_hole(True), statement)
    error, seconds = timed_failure(lambda: save_patient(store.patients, draft, TODAY))
    print(f"\nB6 ({event_name}): failed after {seconds:.2f} s (deadline {DEADLINE_S} s)")
    assert DEADLINE_S - 0.05 <= seconds <= DEADLINE_S + 2
    assert error.message == "The database server is not answering."
    assert deadline.of(store.engine).cuts == 1
    _after_black_hole(proxy)  # the swallowed connection is reset: its transaction ends on the server
    assert rows_with_uid(server, draft.uid) == 0  # COMMIT never reached the server
    assert save_patient(store.patients, draft, TODAY).uid == draft.uid
    assert rows_with_uid(server, draft.uid) == 1


def test_a_black_hole_between_calls_fails_the_next_one_at_the_deadline(store: Any, proxy: FaultProxy) -> None:
    save_patient(store.patients, bulky_patient(0), TODAY)
    proxy.black_hole(True)  # the pooled connection's next word (the pre-ping) is swallowed
    _error, seconds = timed_failure(lambda: save_patient(store.patients, bulky_patient(1), TODAY))
    print(f"\nB6 (idle): failed after {seconds:.2f} s (deadline {DEADLINE_S} s)")
    assert DEADLINE_S - 0.05 <= seconds <= DEADLINE_S + 2
    _error, seconds = timed_failure(store.patients.count)  # new connections are swallowed too
    assert seconds <= deadline.of(store.engine).connect_timeout() + 1
    _after_black_hole(proxy)
    assert store.patients.count() == 1


def test_the_deadline_passes_an_answer_in_time_and_cuts_one_that_is_not(store: Any) -> None:
    """On a live server too: a slow answer within the deadline is waited for, a slower one is not."""
    with store.engine.connect() as connection:
        connection.exec_driver_sql(f"SELECT pg_sleep({DEADLINE_S - 1})")
    assert deadline.of(store.engine).cuts == 0
    _error, seconds = timed_failure(lambda: _sleep_on_the_server(store, DEADLINE_S + 3))
    assert DEADLINE_S - 0.05 <= seconds <= DEADLINE_S + 1
    assert deadline.of(store.engine).cuts == 1
    time.sleep(0.6)
    assert store.patients.count() == 0  # the cut connection was discarded; a new one works


def _sleep_on_the_server(store: Any, seconds: float) -> None:
    with translated(), store.engine.connect() as connection:
        connection.exec_driver_sql(f"SELECT pg_sleep({seconds})")


def test_the_watchdog_thread_ends_when_nothing_waits(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deadline, "_IDLE_EXIT_S", 0.2)
    _until(lambda: not _watchdogs(), "a watchdog from before this test is still running")
    store.patients.count()
    assert _watchdogs()  # started by the call
    _until(lambda: not _watchdogs(), "the watchdog thread outlived the calls it watched")


def _watchdogs() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "calfdesk-pg-deadline"]


# B7 -----------------------------------------------------------------------------------------------------


def _bytes_of_one_save(store: Any, proxy: FaultProxy) -> tuple[dict[str, int], dict[str, int]]:
    """Bytes a save sends each way on a pooled connection: in all, and before its COMMIT."""
    save_patient(store.patients, bulky_patient(0), TODAY)  # warm: the pool holds a connection
    before = dict(proxy.forwarded)
    at_commit: dict[str, int] = {}
    once(store.engine, "commit", lambda: at_commit.update({d: proxy.forwarded[d] - before[d] for d in before}))  # type: ignore[index]
    save_patient(store.patients, bulky_patient(1), TODAY)
    return {d: proxy.forwarded[d] - before[d] for d in before}, at_commit  # type: ignore[index]


def test_drops_at_random_points_of_a_save_never_duplicate_or_lose_a_record(
    store: Any, proxy: FaultProxy, server: Server
) -> None:
    seed = int(os.environ.get("CALFDESK_DROP_SEED", str(time.time_ns())))
    rng = random.Random(seed)
    size, before_commit = _bytes_of_one_save(store, proxy)
    acknowledged: list[str] = []
    unknown = {"stored before the retry": 0, "absent before the retry": 0}
    started = time.monotonic()
    for trial in range(DROP_POINTS):
        patient = bulky_patient(trial)
        direction = rng.choice([TO_SERVER, TO_CLIENT])
        # Half the drops anywhere in the save, half in its COMMIT exchange, where the outcome is in doubt.
        start = before_commit[direction] if trial % 2 else 0
        proxy.cut_after(rng.randrange(start, size[direction] + 1), direction)
        try:
            acknowledged.append(save_patient(store.patients, patient, TODAY).uid)
        except ServerUnreachable:
            proxy.disarm()
            stored = rows_with_uid(server, patient.uid)  # reconcile by uid, as after any unknown outcome
            unknown["stored before the retry" if stored else "absent before the retry"] += 1
            assert save_patient(store.patients, patient, TODAY).uid == patient.uid  # the user's retry
            acknowledged.append(patient.uid)
        finally:
            proxy.disarm()
    seconds = time.monotonic() - started
    counts = dict(server("SELECT uid, count(*) FROM patient GROUP BY uid"))
    duplicates = sum(1 for count in counts.values() if count > 1)
    lost = sum(1 for uid in acknowledged if uid not in counts)
    print(
        f"\nB7: {DROP_POINTS} drop points ({proxy.cuts} cut a save; bytes per save {size}, before COMMIT "
        f"{before_commit}), outcome unknown "
        f"{sum(unknown.values())} ({unknown}), {duplicates} duplicates, {lost} lost, {seconds:.1f} s (seed {seed})"
    )
    assert (duplicates, lost) == (0, 0), f"seed {seed}"
    assert unknown["stored before the retry"] and unknown["absent before the retry"], "both outcomes occur"


def test_a_retry_racing_the_first_attempts_late_commit_finds_that_row(pg_url: str, server: Server) -> None:
    """The first attempt's COMMIT is still under way when the retry runs: the retry waits for it on the
    uid's unique index and returns the first row, instead of failing or adding a second."""
    store = dbkit.open_store(pg_url)
    patient = normalised(bulky_patient(1))
    outcome: list[Patient | BaseException] = []
    try:
        with store.engine.connect() as first:
            transaction = first.begin()
            now = datetime.now(UTC)
            first.execute(
                insert(PatientRow).values(**patient_values(patient), version=1, created_at=now, updated_at=now)
            )
            retry = threading.Thread(target=lambda: outcome.append(_save_or_error(store, patient)))
            retry.start()
            _until(lambda: _waiting_on_a_lock(server), "the retry never waited for the first attempt")
            transaction.commit()
            retry.join(timeout=10)
        first_id = server(f"SELECT id FROM patient WHERE uid = '{patient.uid}'")
        assert len(first_id) == 1
        assert isinstance(outcome[0], Patient) and outcome[0].id == first_id[0][0]
    finally:
        store.close()


def _save_or_error(store: Any, patient: Patient) -> Patient | BaseException:
    try:
        return save_patient(store.patients, patient, TODAY)
    except BaseException as error:  # noqa: BLE001 - handed back to the test thread to assert on
        return error


def _waiting_on_a_lock(server: Server) -> bool:
    query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'CalfDesk' AND wait_event_type = 'Lock'"
    return bool(server(query)[0][0])


def _until(condition: Callable[[], bool], failure: str, seconds: float = 5) -> None:
    deadline_at = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline_at, failure
        time.sleep(0.01)


# B8 -----------------------------------------------------------------------------------------------------

_UNIT_MS = {"ms": 1, "s": 1_000, "min": 60_000, "h": 3_600_000, "d": 86_400_000}


def _milliseconds(shown: str) -> int:
    """``SHOW``'s "5min", "10s", "0" as milliseconds."""
    digits = shown.rstrip("abcdefghijklmnopqrstuvwxyz")
    return int(digits) * _UNIT_MS.get(shown[len(digits) :], 1)


def test_the_server_ends_forgotten_transactions_and_slow_statements(store: Any) -> None:
    with store.engine.connect() as connection:
        idle = connection.exec_driver_sql("SHOW idle_in_transaction_session_timeout").scalar_one()
        statement = connection.exec_driver_sql("SHOW statement_timeout").scalar_one()
    print(f"\nB8: idle_in_transaction_session_timeout={idle}, statement_timeout={statement}")
    assert 0 < _milliseconds(idle) <= 5 * 60_000
    assert _milliseconds(statement) > 0


def test_no_connection_of_the_app_stays_in_a_transaction_between_calls(store: Any, server: Server) -> None:
    saved = save_patient(store.patients, bulky_patient(0), TODAY)
    store.patients.get(saved.id or 0)
    store.patients.count()
    list(store.patients.summaries())
    partial = store.patients.summaries()
    next(partial)
    del partial  # a list that stops streaming part-way (the window closed) gives its connection back
    states = server(
        "SELECT state FROM pg_stat_activity WHERE application_name = 'CalfDesk' AND datname = current_database()"
    )
    assert states and {state for (state,) in states} == {"idle"}
