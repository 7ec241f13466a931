"""Verified SQLite backups (RELIABILITY.md C1-C2).

A backup is taken with SQLite's online backup API, never by copying a live file; it is fsynced with its
folder, reopened, integrity-checked, and its per-table row counts and content hash must equal the source's
as read in the same snapshot. A backup that fails any step is deleted and reported as failed.

Beside a backup of a database with an audit log goes ``<backup>.audit-head.json``: the log's last
(sequence, hash) in that snapshot. It is the anchor of RELIABILITY.md F2: kept outside the live database,
it lets ``verify_chain`` notice entries later cut off the end of the log, or an end rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db import cipher
from workstation.audit.chain import GENESIS_HASH
from workstation.errors import BackupFailed, CalfDeskError

AUDIT_HEAD_SUFFIX = ".audit-head.json"
_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class TableDigest:
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class BackupReport:
    path: Path
    tables: dict[str, TableDigest]
    bytes: int
    audit_head: tuple[int, str] | None = None  # the anchor written beside it; None: no audit log (0001)


def table_digests(connection: Any) -> dict[str, TableDigest]:
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


def backup_sqlite(source: Path, destination: Path, key: bytes | None = None) -> BackupReport:
    """Write a verified copy of ``source`` to ``destination`` (which must not exist yet), and the audit
    log's head beside it. ``key`` is the database key: the copy is encrypted with it like the source (C4);
    None for a plain file (one from before encryption, backed up before it is converted).

    Raises:
        BackupFailed: any step failed; neither the copy nor its anchor is left behind.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    try:
        expected, audit_head = _copy_snapshot(source, partial, key)
        _fsync(partial)
        partial.replace(destination)
        _fsync(destination.parent)
        actual = _verify(destination, key)
    except (OSError, cipher.Error) as error:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"The backup could not be written: {error.__class__.__name__}.") from error
    if actual != expected:
        destination.unlink(missing_ok=True)
        raise BackupFailed("The backup did not match the database it was taken from, so it was discarded.")
    if audit_head is not None:
        try:
            _write_audit_head(audit_anchor_path(destination), audit_head)
        except OSError as error:
            # A backup without its anchor cannot prove the log was not shortened later: not a good one.
            destination.unlink(missing_ok=True)
            raise BackupFailed(
                f"The backup's audit anchor could not be written: {error.__class__.__name__}."
            ) from error
    return BackupReport(destination, actual, destination.stat().st_size, audit_head)


def audit_anchor_path(backup: Path) -> Path:
    """Where the audit anchor of the backup file ``backup`` is kept."""
    return backup.with_name(backup.name + AUDIT_HEAD_SUFFIX)


def read_audit_anchor(path: Path) -> tuple[int, str]:
    """The (sequence, entry hash) anchor kept with a backup, for ``verify_chain(..., anchor=...)``.

    Args:
        path: the backup file, or its ``.audit-head.json`` beside it.

    Raises:
        CalfDeskError: there is no anchor (a backup made before the audit log existed) or it is damaged.
    """
    anchor = path if path.name.endswith(AUDIT_HEAD_SUFFIX) else audit_anchor_path(path)
    try:
        content = json.loads(anchor.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CalfDeskError(
            "This backup has no audit anchor beside it.",
            hint="Backups made before the audit log existed have none; the log can still be checked alone.",
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise CalfDeskError("The backup's audit anchor cannot be read: the file is damaged.") from None
    sequence = content.get("sequence") if isinstance(content, dict) else None
    entry_hash = content.get("entry_hash") if isinstance(content, dict) else None
    valid_sequence = isinstance(sequence, int) and not isinstance(sequence, bool) and sequence >= 0
    if not valid_sequence or not isinstance(entry_hash, str) or not _HASH.fullmatch(entry_hash):
        raise CalfDeskError("The backup's audit anchor cannot be read: its content is not valid.")
    assert isinstance(sequence, int)
    return sequence, entry_hash


def _write_audit_head(path: Path, head: tuple[int, str]) -> None:
    """Write the anchor durably: a temporary file, fsynced, renamed into place, folder fsynced."""
    sequence, entry_hash = head
    written_at = datetime.now(UTC).isoformat(timespec="seconds")
    content = json.dumps({"sequence": sequence, "entry_hash": entry_hash, "written_at": written_at}, indent=2)
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as file:
            file.write(content + "\n")
            file.flush()
            os.fsync(file.fileno())
        partial.replace(path)
        _fsync(path.parent)
    except OSError:
        partial.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        raise


def _copy_snapshot(
    source: Path, partial: Path, key: bytes | None
) -> tuple[dict[str, TableDigest], tuple[int, str] | None]:
    """Hash the source, read its audit head and copy it inside one read transaction, so all three see
    the same snapshot."""
    src = cipher.connect(source, key, read_only=True)
    src.isolation_level = None
    try:
        dst = cipher.connect(partial, key)
    except BaseException:
        src.close()
        raise
    try:
        src.execute("BEGIN")
        expected = table_digests(src)
        audit_head = _audit_head(src) if "audit_entry" in expected else None
        src.backup(dst)
        src.execute("COMMIT")
        # The copy keeps the WAL setting in its header; a backup is a single self-contained file.
        dst.execute("PRAGMA journal_mode=DELETE")
        return expected, audit_head
    finally:
        dst.close()
        src.close()


def _audit_head(connection: Any) -> tuple[int, str]:
    """The last entry's (sequence, hash), or (0, the genesis hash) for an empty log."""
    row = connection.execute("SELECT sequence, entry_hash FROM audit_entry ORDER BY sequence DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row is not None else (0, GENESIS_HASH)


def _verify(path: Path, key: bytes | None) -> dict[str, TableDigest]:
    connection = cipher.connect(path, key, read_only=True)
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
