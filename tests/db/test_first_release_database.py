"""A database from the first release (schema 0001: patients, no accounts, not encrypted) upgraded by today's
app: its owner is set up on it as on a new database, nothing it held is lost, and a verified backup of the
0001 file is taken before the schema changes. (Found by the installer's upgrade test: before, neither the
owner's set-up nor a login could get into such a database.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from db import cipher
from db.vault import State, Vault
from tests import dbkit
from ui.unlock import Entry
from workstation.audit.records import AuditEvent
from workstation.errors import CalfDeskError

OWNER, PASSWORD = "owner", "tidal moss lantern cobalt"


PATIENT = ("6f1c1d3a-0000-4000-8000-000000000001", "Aroha", "Ngata", "1988-04-02", "9434765919")


def test_a_first_release_database_gets_its_owner_and_keeps_its_patients(tmp_path: Path) -> None:
    path = tmp_path / "calfdesk.sqlite3"
    dbkit.first_release_database(path, (PATIENT,))
    url = f"sqlite:///{path}"
    entry = Entry(url, workstation="room-1", backup_dir=tmp_path / "backups")
    assert Vault(url).state() is State.PLAIN
    assert entry.needs_owner()

    opened = entry.create_owner(OWNER, "Olive Owner", PASSWORD)
    try:
        assert opened.recovery_key and opened.conversion is not None
        assert [p.family_name for p in opened.store.patients.summaries()] == ["Ngata"]
        events = [e.event for e in opened.store.audit.in_order()]
        assert AuditEvent.DATABASE_ENCRYPTED in events and AuditEvent.RECOVERY_KEY_ISSUED in events
    finally:
        opened.store.close()
    assert not cipher.is_plain_sqlite(path)

    # The 0001 file was copied and verified before the schema changed, and the copy is still 0001.
    before = sorted((tmp_path / "backups").glob("calfdesk-before-upgrade-from-0001-*.sqlite3"))
    assert len(before) == 1
    copy = dbkit.raw(before[0], read_only=True)
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert copy.execute("SELECT family_name, nhs_number FROM patient").fetchall() == [("Ngata", "9434765919")]
    finally:
        copy.close()

    # From now on it is an ordinary encrypted database: the owner logs in, nobody is set up twice.
    again = Entry(url, workstation="room-1")
    assert not again.needs_owner()
    dbkit.open_as(url, OWNER, PASSWORD).store.close()
    with pytest.raises(CalfDeskError, match="already"):
        again.create_owner("someone", "Some One", "copper willow harbour frost")


def test_a_plain_database_that_has_accounts_is_not_offered_a_second_owner(tmp_path: Path) -> None:
    path = tmp_path / "calfdesk.sqlite3"
    store = dbkit.open_store(f"sqlite:///{path}", key=None)  # plain, at today's schema
    try:
        Entry(f"sqlite:///{path}", workstation="room-1")._accounts(store).create_owner(OWNER, "Olive Owner", PASSWORD)
    finally:
        store.close()
    entry = Entry(f"sqlite:///{path}", workstation="room-1")
    assert Vault(f"sqlite:///{path}").state() is State.PLAIN
    assert not entry.needs_owner()
    with pytest.raises(CalfDeskError, match="already has its owner"):
        entry.create_owner("someone", "Some One", "copper willow harbour frost")
    assert cipher.is_plain_sqlite(path)  # refused before anything was converted
