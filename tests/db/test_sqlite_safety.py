"""SQLite settings, faults and refusals (RELIABILITY.md A1, A4, B1-B4, H6)."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import db
from tests import dbkit
from workstation.errors import CalfDeskError, DamagedDatabase, DatabaseLocked, DiskFull, ReadOnlyDatabase
from workstation.records import Patient
from workstation.services.patients import save_patient

TODAY = date(2026, 11, 22)


def _patient(n: int) -> Patient:
    return Patient(f"Runner{'a' * (n % 7)}", "Okafor", date(1990, 1, 1 + n % 28), address="x" * 300)


def test_every_connection_has_the_safety_pragmas(sqlite_url: str) -> None:
    store = dbkit.open_store(sqlite_url)
    try:
        with store.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            values = {name: raw.execute(f"PRAGMA {name}").fetchone()[0] for name in
                      ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "secure_delete")}  # fmt: skip
        assert values == {
            "journal_mode": "wal",
            "synchronous": 2,
            "foreign_keys": 1,
            "busy_timeout": 5000,
            "secure_delete": 1,
        }
    finally:
        store.close()


def test_the_default_database_lives_in_the_user_data_folder() -> None:
    url = db.default_database_url()
    assert url.startswith("sqlite:///")
    assert "CalfDesk" in url and url.endswith("calfdesk.sqlite3")


def test_a_second_program_holding_the_lock_gives_a_clear_message_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "calfdesk.sqlite3"
    store = dbkit.open_store(f"sqlite:///{path}")
    saved = save_patient(store.patients, _patient(1), TODAY)
    blocker = dbkit.raw(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked) as raised:
            save_patient(store.patients, _patient(2), TODAY)
        assert "in use by another program" in raised.value.message
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    save_patient(store.patients, _patient(2), TODAY)  # the same action succeeds when retried
    assert store.patients.count() == 2
    assert store.patients.get(saved.id or 0) == saved
    store.close()


def test_disk_full_refuses_the_save_and_keeps_what_was_committed(tmp_path: Path) -> None:
    path = tmp_path / "calfdesk.sqlite3"
    store = dbkit.open_store(f"sqlite:///{path}")
    committed = [save_patient(store.patients, _patient(i), TODAY) for i in range(5)]

    @_on_every_connection(store)
    def cap(raw: Any) -> None:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
        raw.execute(f"PRAGMA max_page_count={pages}")

    with pytest.raises(DiskFull):
        store.patients.add_many(_patient(i) for i in range(10, 2_000))
    store.close()
    reopened = dbkit.open_store(f"sqlite:///{path}")
    assert reopened.patients.count() == 5
    assert [reopened.patients.get(p.id or 0) for p in committed] == committed
    with reopened.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    reopened.close()


def _on_every_connection(store: db.Store):  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    def register(function):  # type: ignore[no-untyped-def]
        store.engine.dispose()
        event.listen(store.engine, "connect", lambda raw, _record: function(raw))
        return function

    return register


def test_read_only_open_allows_reading_and_refuses_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'calfdesk.sqlite3'}"
    writer = dbkit.open_store(url)
    saved = save_patient(writer.patients, _patient(1), TODAY)
    writer.close()
    reader = dbkit.open_store(url, read_only=True)
    try:
        assert reader.read_only
        assert reader.patients.get(saved.id or 0) == saved
        with pytest.raises(ReadOnlyDatabase):
            save_patient(reader.patients, saved.with_changes(phone="0131 555 0100"), TODAY)
    finally:
        reader.close()


def test_a_file_that_is_not_a_database_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "letter.sqlite3"
    path.write_bytes(b"Dear Dr Rahman, please see this runner" * 100)
    with pytest.raises(CalfDeskError) as raised:
        dbkit.open_store(f"sqlite:///{path}")
    assert "not a CalfDesk database" in raised.value.message


def test_another_programs_database_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with dbkit.raw(path) as other:
        other.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    with pytest.raises(CalfDeskError) as raised:
        dbkit.open_store(f"sqlite:///{path}")
    assert "not a CalfDesk one" in raised.value.message
    with dbkit.raw(path) as other:
        tables = [r[0] for r in other.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["invoices"]


def test_a_database_from_a_newer_calfdesk_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    dbkit.open_store(sqlite_url).close()
    with dbkit.raw(tmp_path / "calfdesk.sqlite3") as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(CalfDeskError) as raised:
        dbkit.open_store(sqlite_url)
    assert "newer version of CalfDesk" in raised.value.message


@pytest.mark.parametrize("url", ["mysql://clinic/db", "sqlite://", "sqlite:///:memory:", "not a url://"])
def test_unsupported_addresses_are_refused_in_plain_words(url: str) -> None:
    with pytest.raises(CalfDeskError):
        dbkit.open_store(url)


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(CalfDeskError) as raised:
        dbkit.open_store(str(tmp_path))
    assert "is a folder" in raised.value.message


def test_a_postgresql_password_never_appears_in_the_description() -> None:
    target = db.resolve("postgresql://clinic:s3cret@db.local:5433/calfdesk")
    assert "s3cret" not in target.description
    assert target.description == "PostgreSQL clinic@db.local:5433/calfdesk"


def test_an_unreachable_server_fails_fast_in_plain_words() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CalfDeskError) as raised:
        dbkit.open_store(f"postgresql+psycopg://calfdesk@127.0.0.1:{port}/nothing")
    assert raised.value.message == "The database server is not answering."


def _damaged_copy(tmp_path: Path, offset_in_page: int) -> Path:
    """A CalfDesk file with 16 bytes of one table page overwritten, as a failing disk might leave it."""
    path = tmp_path / "damaged.sqlite3"
    store = dbkit.open_store(f"sqlite:///{path}")
    store.patients.add_many(_patient(n) for n in range(400))
    store.close()
    damage_patient_table(path, offset_in_page)
    return path


def damage_patient_table(path: Path, offset_in_page: int) -> None:
    """Overwrite 16 bytes of the patient table's root page (an interior page once it holds 400 rows)."""
    with dbkit.raw(path) as raw:
        page_size = int(raw.execute("PRAGMA page_size").fetchone()[0])
        root = int(raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'patient'").fetchone()[0])
    with path.open("r+b") as file:
        file.seek(page_size * (root - 1) + offset_in_page)
        file.write(b"\xff" * 16)


# 8: cell pointers out of range (quick_check lists them); 0: a page header so broken the check gives up.
@pytest.mark.parametrize("offset_in_page", [8, 0])
def test_a_damaged_file_is_refused_by_the_command_line_open(tmp_path: Path, offset_in_page: int) -> None:
    path = _damaged_copy(tmp_path, offset_in_page)
    before = path.read_bytes()
    with pytest.raises(DamagedDatabase, match="damaged"):
        dbkit.open_store(f"sqlite:///{path}")
    assert path.read_bytes() == before


@pytest.mark.parametrize("offset_in_page", [8, 0])
def test_a_deferred_check_of_a_damaged_file_turns_the_store_read_only(tmp_path: Path, offset_in_page: int) -> None:
    path = _damaged_copy(tmp_path, offset_in_page)
    store = dbkit.open_store(f"sqlite:///{path}", check_integrity=False)
    try:
        assert not store.read_only
        with pytest.raises(DamagedDatabase):
            store.check_integrity()
        assert store.read_only
        with pytest.raises(ReadOnlyDatabase):
            save_patient(store.patients, _patient(1), TODAY)
    finally:
        store.close()


def test_a_quick_check_cancelled_from_another_thread_stops_and_concludes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "big.sqlite3"
    store = dbkit.open_store(f"sqlite:///{path}")
    store.patients.add_many(_patient(n) for n in range(60_000))  # about 25 MB: a check of some 0.1 s
    assert store.check_integrity() is True  # sound, and checked to the end
    outcome: list[object] = []
    checker = threading.Thread(target=lambda: outcome.append(store.check_integrity()))
    checker.start()
    while store._checking is None and checker.is_alive():  # the check is under way on the other thread
        time.sleep(0.0005)
    store.cancel_integrity_check()
    checker.join(timeout=10)
    assert outcome == [False]  # stopped part-way, and quietly: neither "damaged" nor an error
    assert not store.read_only
    assert store.check_integrity() is False  # after a cancel nothing more is checked (the window is closing)
    store.close()
