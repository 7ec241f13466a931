"""Verified, encrypted backups, rotation and restore on real SQLCipher files (RELIABILITY.md A4, C1, C2, C4).

Every database here is encrypted with the test key (``tests.dbkit``) unless a test makes a plain one.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import db.backup
from db import cipher
from db.backup import (
    DAMAGED_SOURCE,
    audit_anchor_path,
    backup_file_name,
    backup_sqlite,
    manifest_path,
    read_audit_anchor,
    read_manifest,
    table_digests,
)
from db.backup_folder import list_backups, new_backup_path, parse_backup_name, prune
from db.keyring import Keyring, keyring_path
from db.restore import BackupRefused, inspect_backup, restore_sqlite, verify_database
from db.schema import HEAD_REVISION
from tests import dbkit
from workstation.audit.records import AuditEntry, AuditEvent, Outcome
from workstation.demo import generate_patients
from workstation.errors import BackupFailed

PATIENTS = 60
OWNER = "owner"
PASSWORD = "tidal moss lantern cobalt"
_T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _make_clinic(path: Path, *, key: Any = dbkit.TEST_KEY, patients: int = PATIENTS, keyring: bool = False) -> Path:
    options = {} if key is dbkit.TEST_KEY else {"key": key}
    store = dbkit.open_store(f"sqlite:///{path}", **options)
    try:
        store.patients.add_many(generate_patients(patients, 7, date(2026, 3, 1)))
        for i in range(5):
            entry = AuditEntry(AuditEvent.PATIENT_VIEWED, Outcome.SUCCESS, _T0 + timedelta(minutes=i), 1, "sam",
                               "clinician", "ROOM-1", i + 1)  # fmt: skip
            store.audit.append(entry)
    finally:
        store.close()
    if keyring:
        ring = Keyring(keyring_path(path))
        ring.set_user(OWNER, PASSWORD, dbkit.TEST_KEY)
        ring.save()
    return path


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    return _make_clinic(tmp_path / "live" / "calfdesk.sqlite3", keyring=True)


def _digests(path: Path, key: bytes | None = dbkit.TEST_KEY) -> dict[str, Any]:
    connection = cipher.connect(path, key, read_only=True)
    try:
        return table_digests(connection)
    finally:
        connection.close()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# Taking a backup (C2, C4) -------------------------------------------------------------------------------


def test_a_backup_is_encrypted_verified_anchored_sealed_and_keeps_the_key_file(clinic: Path, tmp_path: Path) -> None:
    destination = tmp_path / "backups" / backup_file_name("manual", _T0)
    report = backup_sqlite(clinic, destination, dbkit.TEST_KEY)

    assert report.encrypted and report.bytes == destination.stat().st_size > 0
    assert not cipher.is_plain_sqlite(destination)
    plain = cipher.connect(destination, None, read_only=True)
    with pytest.raises(cipher.DatabaseError, match="not a database"):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()
    assert report.tables == _digests(destination) == _digests(clinic)
    assert report.tables["patient"].rows == PATIENTS
    assert verify_database(destination, dbkit.TEST_KEY).ok
    assert read_manifest(destination, dbkit.TEST_KEY) == report.tables
    assert read_audit_anchor(destination) == report.audit_head and report.audit_head is not None
    assert report.audit_head[0] == 5
    # The key file beside it opens the backup with the owner's password, as the live one does.
    assert Keyring.load(keyring_path(destination)).unlock(OWNER, PASSWORD) == dbkit.TEST_KEY
    assert _files(destination.parent) == sorted(
        [destination.name, audit_anchor_path(destination).name, manifest_path(destination).name,
         keyring_path(destination).name]
    )  # fmt: skip
    [listed] = list_backups(destination.parent)
    assert (listed.path, listed.reason, listed.taken_at, listed.verified) == (destination, "manual", _T0, True)


def test_the_copy_and_its_folder_are_fsynced_before_the_backup_takes_its_name(
    clinic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[tuple[str, bool]] = []
    real = db.backup.fsync_path

    def recording(path: Path) -> None:
        synced.append((path.name, path.with_name(path.name.removesuffix(".partial")).exists()))
        real(path)

    monkeypatch.setattr(db.backup, "fsync_path", recording)
    destination = tmp_path / "backups" / "calfdesk-manual-20260302T090000Z.sqlite3"
    backup_sqlite(clinic, destination, dbkit.TEST_KEY)
    # The partial file is synced while the final name does not exist yet; the folder after the rename.
    assert synced == [(destination.name + ".partial", False), ("backups", True)]


def test_a_plain_database_gets_a_plain_backup_with_an_unsealed_manifest(tmp_path: Path) -> None:
    source = _make_clinic(tmp_path / "plain.sqlite3", key=None)
    report = backup_sqlite(source, tmp_path / "copy.sqlite3", None)
    assert not report.encrypted and cipher.is_plain_sqlite(report.path)
    assert json.loads(manifest_path(report.path).read_text())["mac"] is None
    assert read_manifest(report.path, None) == report.tables == _digests(source, None)
    assert not keyring_path(report.path).exists()  # the plain database had no key file


def test_a_backup_never_overwrites_one_of_the_same_name(clinic: Path, tmp_path: Path) -> None:
    destination = tmp_path / "calfdesk-manual-20260302T090000Z.sqlite3"
    destination.write_bytes(b"an earlier backup")
    with pytest.raises(BackupFailed, match="already exists"):
        backup_sqlite(clinic, destination, dbkit.TEST_KEY)
    assert destination.read_bytes() == b"an earlier backup"
    assert new_backup_path(tmp_path, "manual", _T0).name == "calfdesk-manual-20260302T090000Z-2.sqlite3"


def test_a_disk_that_fills_during_the_backup_leaves_nothing_behind(clinic: Path, tmp_path: Path) -> None:
    folder = tmp_path / "full"
    limit = clinic.stat().st_size // 3
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG, as on a full disk (B1).
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        with pytest.raises(BackupFailed, match="could not be written"):
            backup_sqlite(clinic, folder / "calfdesk-daily-20260302T090000Z.sqlite3", dbkit.TEST_KEY)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert _files(folder) == []


def _corrupt(path: Path, offset: int) -> None:
    with path.open("r+b") as file:
        file.seek(offset)
        original = file.read(8)
        file.seek(offset)
        file.write(bytes(b ^ 0x5A for b in original))


def test_a_byte_corrupted_database_is_never_backed_up(clinic: Path, tmp_path: Path) -> None:
    """A4: every flip in every page after the first is found, and refused in plain words."""
    pages = clinic.stat().st_size // 4096
    assert pages > 20
    folder = tmp_path / "backups"
    for page in range(1, pages, max(1, pages // 20)):
        damaged = tmp_path / f"damaged-{page}.sqlite3"
        shutil.copyfile(clinic, damaged)
        _corrupt(damaged, page * 4096 + 1000)
        with pytest.raises(BackupFailed) as refused:
            backup_sqlite(damaged, folder / f"calfdesk-daily-20260302T0900{page % 60:02d}Z.sqlite3", dbkit.TEST_KEY)
        assert refused.value.message == DAMAGED_SOURCE
        assert "Restore the most recent one" in str(refused.value)
    assert _files(folder) == []


def test_a_damaged_plain_database_is_refused_too(tmp_path: Path) -> None:
    """A plain file has no page checksums: damage is found where SQLite's own check reads (a table's pages)."""
    source = _make_clinic(tmp_path / "plain.sqlite3", key=None)
    connection = dbkit.raw(source, read_only=True)
    root = int(connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'patient'").fetchone()[0])
    connection.close()
    _corrupt(source, (root - 1) * 4096)  # the page header of the patient table
    with pytest.raises(BackupFailed, match="integrity check"):
        backup_sqlite(source, tmp_path / "copy.sqlite3", None)
    assert not (tmp_path / "copy.sqlite3").exists()


# C1: the backup API against a plain file copy, while another connection writes ------------------------


@pytest.fixture
def busy_writer(clinic: Path) -> Iterator[tuple[threading.Event, list[int]]]:
    """A second connection committing notes as fast as it can; ``acknowledged[0]`` counts the commits
    that have returned. Its WAL is never checkpointed, as between SQLite's automatic checkpoints."""
    setup = dbkit.raw(clinic, isolation_level=None)
    setup.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    setup.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    setup.close()
    writer = dbkit.raw(clinic, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("PRAGMA busy_timeout=5000")
    stop, acknowledged = threading.Event(), [0]

    def write() -> None:
        while not stop.is_set():
            writer.execute("INSERT INTO note (body) VALUES (?)", ("x" * 200,))
            acknowledged[0] += 1

    thread = threading.Thread(target=write, name="note-writer")
    thread.start()
    yield stop, acknowledged
    stop.set()
    thread.join()
    writer.close()


def test_the_backup_api_copy_always_verifies_where_a_file_copy_loses_commits(
    clinic: Path, tmp_path: Path, busy_writer: tuple[threading.Event, list[int]]
) -> None:
    _stop, acknowledged = busy_writer
    file_copies_missing_commits = 0
    for round_ in range(20):
        while acknowledged[0] <= round_:  # at least one commit since the last round
            threading.Event().wait(0.001)
        before = acknowledged[0]
        file_copy = tmp_path / f"copied-{round_}.sqlite3"
        shutil.copyfile(clinic, file_copy)  # what C1 forbids: the negative control
        report = backup_sqlite(clinic, tmp_path / "api" / f"calfdesk-daily-20260302T0900{round_:02d}Z.sqlite3",
                               dbkit.TEST_KEY)  # fmt: skip
        assert verify_database(report.path, dbkit.TEST_KEY).sound
        assert report.tables == _digests(report.path)
        assert report.tables["note"].rows >= before
        file_copies_missing_commits += _committed_notes_in(file_copy) < before
    # Committed rows still in the write-ahead log are not in the database file: every file copy lost them.
    assert file_copies_missing_commits == 20


def _committed_notes_in(path: Path) -> int:
    connection = dbkit.raw(path, read_only=True)
    try:
        return int(connection.execute("SELECT count(*) FROM note").fetchone()[0])
    except cipher.DatabaseError:
        return -1  # torn or unreadable: worse still
    finally:
        connection.close()


# Restore -------------------------------------------------------------------------------------------------


@pytest.fixture
def backup(clinic: Path, tmp_path: Path) -> Path:
    return backup_sqlite(clinic, tmp_path / "backups" / backup_file_name("daily", _T0), dbkit.TEST_KEY).path


def test_a_restore_into_a_fresh_profile_brings_the_database_and_its_key_file(backup: Path, tmp_path: Path) -> None:
    live = tmp_path / "fresh-profile" / "data" / "calfdesk.sqlite3"
    report = restore_sqlite(backup, live, dbkit.TEST_KEY)
    assert (report.safety_copy, report.set_aside) == (None, None)
    assert report.summary.patients == PATIENTS and report.summary.sealed and report.summary.taken_at == _T0
    assert _digests(live) == _digests(backup)
    assert Keyring.load(keyring_path(live)).unlock(OWNER, PASSWORD) == dbkit.TEST_KEY
    assert not live.with_name(live.name + ".restoring").exists()
    store = dbkit.open_store(f"sqlite:///{live}")
    assert store.patients.count() == PATIENTS
    store.close()


def test_a_restore_keeps_the_database_it_replaces_as_a_verified_backup(
    clinic: Path, backup: Path, tmp_path: Path
) -> None:
    store = dbkit.open_store(f"sqlite:///{clinic}")
    store.patients.add_many(generate_patients(5, 99, date(2026, 3, 3)))  # typed after the backup
    before = _digests(clinic)
    store.close()
    keyring_before = keyring_path(clinic).read_bytes()
    stale_wal = clinic.with_name(clinic.name + "-wal")
    stale_wal.write_bytes(b"a write-ahead log of the database being replaced")

    report = restore_sqlite(backup, clinic, dbkit.TEST_KEY, safety_folder=tmp_path / "safety")

    assert report.safety_copy is not None and report.safety_copy.parent == tmp_path / "safety"
    assert parse_backup_name(report.safety_copy.name)[0] == "before-restore"  # type: ignore[index]
    assert _digests(report.safety_copy) == before  # the 5 new patients are kept there
    assert _digests(clinic) == _digests(backup)
    assert not stale_wal.exists()
    assert keyring_path(clinic).read_bytes() == keyring_before  # the live key file has the newest passwords


def test_a_database_too_damaged_to_back_up_is_moved_aside_not_lost(clinic: Path, backup: Path, tmp_path: Path) -> None:
    _corrupt(clinic, 5 * 4096 + 300)
    damaged_bytes = clinic.read_bytes()
    report = restore_sqlite(backup, clinic, dbkit.TEST_KEY, safety_folder=tmp_path / "safety")
    assert report.safety_copy is None and report.set_aside is not None
    assert report.set_aside.read_bytes() == damaged_bytes
    assert verify_database(clinic, dbkit.TEST_KEY).ok


def test_a_backup_changed_after_it_was_written_is_refused(clinic: Path, backup: Path) -> None:
    """The change keeps the file sound (made with the key), so only the manifest can tell."""
    connection = dbkit.raw(backup, isolation_level=None)
    connection.execute("UPDATE patient SET family_name = 'Tampered' WHERE id = 3")
    connection.close()
    assert verify_database(backup, dbkit.TEST_KEY).ok
    live_before = clinic.read_bytes()
    with pytest.raises(BackupRefused, match="changed after it was written"):
        restore_sqlite(backup, clinic, dbkit.TEST_KEY)
    assert clinic.read_bytes() == live_before
    assert _files(clinic.parent / "backups") == []  # not even a safety copy: nothing was started


def test_a_manifest_rewritten_to_match_is_refused_without_the_key(backup: Path) -> None:
    manifest = json.loads(manifest_path(backup).read_text())
    manifest["tables"]["patient"]["rows"] = 1
    manifest_path(backup).write_text(json.dumps(manifest))
    with pytest.raises(BackupRefused, match="changed after it was written"):
        inspect_backup(backup, dbkit.TEST_KEY)


def test_a_byte_flipped_backup_is_refused(clinic: Path, backup: Path) -> None:
    _corrupt(backup, 4 * 4096 + 123)
    with pytest.raises(BackupRefused, match="damaged"):
        restore_sqlite(backup, clinic, dbkit.TEST_KEY)
    assert verify_database(clinic, dbkit.TEST_KEY).ok


def test_a_backup_of_another_database_is_refused(clinic: Path, backup: Path) -> None:
    with pytest.raises(BackupRefused, match="another database"):
        restore_sqlite(backup, clinic, bytes(32))


def test_a_backup_from_a_newer_calfdesk_is_refused(tmp_path: Path) -> None:
    source = _make_clinic(tmp_path / "newer.sqlite3", patients=3)
    connection = dbkit.raw(source, isolation_level=None)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    with pytest.raises(BackupRefused, match="newer version"):
        inspect_backup(source, dbkit.TEST_KEY)


def test_a_database_that_is_not_calfdesk_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    connection = dbkit.raw(other, key=dbkit.TEST_KEY, isolation_level=None)
    connection.execute("CREATE TABLE recipe (name TEXT)")
    connection.close()
    with pytest.raises(BackupRefused, match="not a CalfDesk one"):
        inspect_backup(other, dbkit.TEST_KEY)


def test_verify_names_damage_and_an_old_schema(clinic: Path, tmp_path: Path) -> None:
    check = verify_database(clinic, dbkit.TEST_KEY)
    assert (check.ok, check.revision, check.head) == (True, HEAD_REVISION, HEAD_REVISION)
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copyfile(clinic, damaged)
    _corrupt(damaged, 6 * 4096 + 10)
    assert not verify_database(damaged, dbkit.TEST_KEY).sound
    old = tmp_path / "old.sqlite3"
    shutil.copyfile(clinic, old)
    connection = dbkit.raw(old, isolation_level=None)
    connection.execute("UPDATE alembic_version SET version_num = '0002'")
    connection.close()
    assert (verify_database(old, dbkit.TEST_KEY).sound, verify_database(old, dbkit.TEST_KEY).current) == (True, False)


# Rotation of a folder ------------------------------------------------------------------------------------


def _fake_backup(folder: Path, reason: str, taken_at: datetime) -> Path:
    path = folder / backup_file_name(reason, taken_at)
    path.write_bytes(b"backup")
    for sidecar in (audit_anchor_path(path), manifest_path(path), keyring_path(path)):
        sidecar.write_text("{}")
    return path


def test_prune_deletes_what_rotation_drops_with_the_files_beside_it_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime(2026, 3, 18, 18, 0, tzinfo=UTC)
    paths = [_fake_backup(folder, "daily", now - timedelta(days=n, hours=2)) for n in range(40)]
    extra_same_day = _fake_backup(folder, "exit", now - timedelta(days=10, hours=5))
    foreign = folder / "holiday-photos.jpg"
    foreign.write_bytes(b"not ours")
    cut_off = folder / (backup_file_name("daily", now - timedelta(days=3)) + ".partial")
    cut_off.write_bytes(b"half a backup")
    in_progress = folder / (backup_file_name("exit", now) + ".partial")
    in_progress.write_bytes(b"being written now")
    old = (now - timedelta(days=3)).timestamp()
    os.utime(cut_off, (old, old))

    deleted = prune(folder, now=now)

    kept = {b.path for b in list_backups(folder)}
    assert set(deleted) | kept == {*paths, extra_same_day}
    assert len(kept) < len(paths)
    assert extra_same_day in deleted and paths[0] in kept
    for path in deleted:
        assert not any(p.name.startswith(path.name) for p in folder.iterdir())
    for path in kept:
        assert keyring_path(path).exists() and manifest_path(path).exists()
    assert foreign.exists() and in_progress.exists() and not cut_off.exists()
    assert prune(folder, now=now) == []


# PostgreSQL ------------------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_a_postgresql_database_is_left_to_the_servers_own_backups(pg_url: str) -> None:
    from ui.backups.jobs import DAILY, BackupJobs
    from workstation.audit.auditor import Auditor
    from workstation.errors import CalfDeskError

    store = dbkit.open_store(pg_url)
    try:
        jobs = BackupJobs(store, Auditor(store.audit, "room-2"))
        assert not jobs.available
        with pytest.raises(CalfDeskError, match="pg_dump"):
            jobs.back_up(DAILY, None)
    finally:
        store.close()
