"""Verified SQLite backups (RELIABILITY.md C1-C2).

A backup is taken with SQLite's online backup API, never by copying a live file; it is fsynced with its
folder, reopened, integrity-checked, and its per-table row counts and content hash must equal the source's
as read in the same snapshot. A backup that fails any step is deleted and reported as failed.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from workstation.errors import BackupFailed


@dataclass(frozen=True, slots=True)
class TableDigest:
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class BackupReport:
    path: Path
    tables: dict[str, TableDigest]
    bytes: int


def table_digests(connection: sqlite3.Connection) -> dict[str, TableDigest]:
    """Row count and a hash of every row of every table, in rowid order."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    digests = {}
    for name in names:
        digest = hashlib.sha256()
        count = 0
        for row in connection.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):  # noqa: S608  (names from sqlite_master)
            digest.update(repr(row).encode())
            count += 1
        digests[name] = TableDigest(count, digest.hexdigest())
    return digests


def backup_sqlite(source: Path, destination: Path) -> BackupReport:
    """Write a verified copy of ``source`` to ``destination`` (which must not exist yet)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    try:
        expected = _copy_snapshot(source, partial)
        _fsync(partial)
        partial.replace(destination)
        _fsync(destination.parent)
        actual = _verify(destination)
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"The backup could not be written: {error.__class__.__name__}.") from error
    if actual != expected:
        destination.unlink(missing_ok=True)
        raise BackupFailed("The backup did not match the database it was taken from, so it was discarded.")
    return BackupReport(destination, actual, destination.stat().st_size)


def _copy_snapshot(source: Path, partial: Path) -> dict[str, TableDigest]:
    """Hash the source and copy it inside one read transaction, so both see the same snapshot."""
    src = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True, isolation_level=None)
    dst = sqlite3.connect(partial)
    try:
        src.execute("BEGIN")
        expected = table_digests(src)
        src.backup(dst)
        src.execute("COMMIT")
        # The copy keeps the WAL setting in its header; a backup is a single self-contained file.
        dst.execute("PRAGMA journal_mode=DELETE")
        return expected
    finally:
        dst.close()
        src.close()


def _verify(path: Path) -> dict[str, TableDigest]:
    connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise BackupFailed("The backup failed its integrity check, so it was discarded.")
        return table_digests(connection)
    finally:
        connection.close()


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def backup_file_name(reason: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"calfdesk-{reason}-{stamp}.sqlite3"
