"""Verified SQLite backups (RELIABILITY.md A4, C1, C2, C4).

A backup is taken with SQLite's online backup API, never by copying a live file, and only of a database
that passes a full ``PRAGMA integrity_check`` (and, encrypted, ``PRAGMA cipher_integrity_check``): a copy
of a damaged file would only copy the damage. The copy is encrypted with the database's own key and must
not be readable without it. It is fsynced, reopened, integrity-checked, and its per-table row counts and
content hashes must equal the source's as read in the same snapshot. A backup that fails any step is
deleted with everything written beside it, and reported as failed.

Beside a backup go, all written before the backup takes its final name (so a file under that name is
always a complete, verified backup):
- ``<backup>.audit-head.json``: the audit log's last (sequence, hash) in that snapshot, the anchor of
  RELIABILITY.md F2, which lets ``verify_chain`` notice entries later cut off the end of the log;
- ``<backup>.manifest.json``: the verified table digests, sealed with a MAC made from the database key,
  so a restore refuses a backup that was changed afterwards (``db.restore``);
- ``<backup>.keys``: a copy of the database's key file, so the backup can be opened with a password or
  the recovery key even when the live database and its key file are lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db import cipher
from db.keyring import Keyring, keyring_path, write_atomically
from workstation.audit.chain import GENESIS_HASH
from workstation.errors import BackupFailed, CalfDeskError

AUDIT_HEAD_SUFFIX = ".audit-head.json"
MANIFEST_SUFFIX = ".manifest.json"
PARTIAL_SUFFIX = ".partial"
MANIFEST_FORMAT = "calfdesk-backup-manifest"
MANIFEST_VERSION = 1
_HASH = re.compile(r"[0-9a-f]{64}")
_MAC_LABEL = b"calfdesk backup manifest v1"
DAMAGED_SOURCE = "The database failed its integrity check, so no backup was taken: a copy would only copy the damage."
DAMAGED_SOURCE_HINT = "Your earlier backups are kept. Restore the most recent one (Admin › Backups…), or ask for help."


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
    encrypted: bool = False


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


def integrity_problems(connection: Any, key: bytes | None) -> list[str]:
    """What a full integrity check finds (empty: none). An encrypted file's pages are also checked
    against their HMACs, which finds damage in pages SQLite's own check never reads."""
    result = [str(row[0]) for row in connection.execute("PRAGMA integrity_check").fetchall()]
    problems = [] if result == ["ok"] else result
    if key is not None:
        problems += [" ".join(str(v) for v in row) for row in connection.execute("PRAGMA cipher_integrity_check")]
    return problems


def backup_sqlite(source: Path, destination: Path, key: bytes | None = None) -> BackupReport:
    """Write a verified copy of ``source`` to ``destination`` (which must not exist yet), with its audit
    anchor, manifest and key file beside it. ``key`` is the database key: the copy is encrypted with it
    like the source (C4); None for a plain file (one from before encryption, backed up before it is
    converted).

    Raises:
        BackupFailed: the source is damaged, or any step failed; nothing is left behind.
    """
    if destination.exists():
        raise BackupFailed(f"A backup named {destination.name} already exists; nothing was written.")
    partial = destination.with_name(destination.name + PARTIAL_SUFFIX)
    beside = [audit_anchor_path(destination), manifest_path(destination), keyring_path(destination)]
    placed = False
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        _require_sound(source, key)
        expected, audit_head = _copy_snapshot(source, partial, key)
        fsync_path(partial)
        _require_unreadable_without_key(partial, key)
        actual = verified_digests(partial, key)
        if actual != expected:
            raise BackupFailed("The backup did not match the database it was taken from, so it was discarded.")
        if audit_head is not None:
            _write_audit_head(beside[0], audit_head)
        write_manifest(beside[1], actual, key, audit_head)
        _copy_keyring(keyring_path(source), beside[2])
        partial.replace(destination)
        placed = True
        fsync_path(destination.parent)
    except BaseException as error:
        for path in [partial, *beside, *([destination] if placed else [])]:
            with contextlib.suppress(OSError):  # a folder that is not one: nothing was written there
                path.unlink(missing_ok=True)
        failure = _as_backup_failure(error)
        if failure is error:
            raise
        raise failure from error
    return BackupReport(destination, actual, destination.stat().st_size, audit_head, key is not None)


def _as_backup_failure(error: BaseException) -> BaseException:
    if isinstance(error, BackupFailed) or not isinstance(error, Exception):
        return error
    if isinstance(error, OSError):
        reason = error.strerror or error.__class__.__name__
        return BackupFailed(f"The backup could not be written ({reason}).", hint="Check the backup folder's disk.")
    if isinstance(error, cipher.Error):
        return BackupFailed(f"The backup could not be written: {error.__class__.__name__}.")
    if isinstance(error, CalfDeskError):
        return BackupFailed(f"The backup could not be made: {error.message}", hint=error.hint)
    return error


def _require_sound(source: Path, key: bytes | None) -> None:
    """A4: a full integrity check before every backup."""
    try:
        connection = cipher.connect(source, key, read_only=True)
    except cipher.Error as error:
        raise BackupFailed(f"The database could not be read for a backup: {error.__class__.__name__}.") from None
    try:
        cipher.assert_opens(connection)
        problems = integrity_problems(connection, key)
    except cipher.DatabaseError:
        problems = ["malformed"]  # damage bad enough that the check itself gives up
    finally:
        connection.close()
    if problems:
        raise BackupFailed(DAMAGED_SOURCE, hint=DAMAGED_SOURCE_HINT)


def _require_unreadable_without_key(path: Path, key: bytes | None) -> None:
    """C4: an encrypted database's backup must be as unreadable as the database itself."""
    if key is None:
        return
    readable = cipher.is_plain_sqlite(path)
    if not readable:
        connection = cipher.connect(path, None, read_only=True)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            readable = True
        except cipher.DatabaseError:
            readable = False
        finally:
            connection.close()
    if readable:
        raise BackupFailed("The backup could be read without the database key, so it was discarded.")


def audit_anchor_path(backup: Path) -> Path:
    """Where the audit anchor of the backup file ``backup`` is kept."""
    return backup.with_name(backup.name + AUDIT_HEAD_SUFFIX)


def manifest_path(backup: Path) -> Path:
    """Where the verified digests of the backup file ``backup`` are kept."""
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def sidecar_paths(backup: Path) -> list[Path]:
    """Every file kept beside a backup, which goes when the backup goes."""
    return [audit_anchor_path(backup), manifest_path(backup), keyring_path(backup)]


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


def write_manifest(
    path: Path, tables: dict[str, TableDigest], key: bytes | None, audit_head: tuple[int, str] | None
) -> None:
    """The verified digests, durably; sealed with a MAC from ``key`` (a plain backup's is unsealed: it
    then catches accidents, not someone who rewrites the manifest too)."""
    body = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "encrypted": key is not None,
        "tables": {name: {"rows": d.rows, "sha256": d.sha256} for name, d in sorted(tables.items())},
        "audit_head": list(audit_head) if audit_head is not None else None,
    }
    body["mac"] = _manifest_mac(body, key)
    write_atomically(path, json.dumps(body, indent=2) + "\n")


def read_manifest(backup: Path, key: bytes | None) -> dict[str, TableDigest] | None:
    """The digests verified when ``backup`` was written; None for a backup from before manifests.

    Raises:
        CalfDeskError: the manifest is damaged, or its seal does not match (the backup or its manifest
            was changed after it was written, or it belongs to a database with another key).
    """
    try:
        content = json.loads(manifest_path(backup).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise CalfDeskError("The backup's manifest cannot be read: the file is damaged.") from None
    altered = CalfDeskError(
        "This backup was changed after it was written (its manifest does not match), so it is not used.",
        hint="Choose another backup.",
    )
    if not isinstance(content, dict) or content.get("format") != MANIFEST_FORMAT:
        raise altered
    mac = content.pop("mac", None)
    if not hmac.compare_digest(str(mac), str(_manifest_mac(content, key))):
        raise altered
    try:
        return {name: TableDigest(int(d["rows"]), str(d["sha256"])) for name, d in content["tables"].items()}
    except (KeyError, TypeError, ValueError, AttributeError):
        raise altered from None


def _manifest_mac(body: dict[str, Any], key: bytes | None) -> str | None:
    if key is None:
        return None
    mac_key = hmac.new(key, _MAC_LABEL, hashlib.sha256).digest()  # never the database key itself
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(mac_key, canonical, hashlib.sha256).hexdigest()


def _copy_keyring(source: Path, destination: Path) -> None:
    """The key file beside the backup (if the database has one): its slots, not its pending failures."""
    try:
        keyring = Keyring.load(source)
    except FileNotFoundError:
        return
    keyring.copy_to(destination).save()


def _write_audit_head(path: Path, head: tuple[int, str]) -> None:
    sequence, entry_hash = head
    written_at = datetime.now(UTC).isoformat(timespec="seconds")
    content = json.dumps({"sequence": sequence, "entry_hash": entry_hash, "written_at": written_at}, indent=2)
    write_atomically(path, content + "\n")


def _copy_snapshot(
    source: Path, partial: Path, key: bytes | None
) -> tuple[dict[str, TableDigest], tuple[int, str] | None]:
    """Hash the source, read its audit head and copy it inside one read transaction, so all three see
    the same snapshot."""
    partial.unlink(missing_ok=True)  # left by a backup that was cut off
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


def verified_digests(path: Path, key: bytes | None) -> dict[str, TableDigest]:
    """Reopen a written copy: it must open with ``key`` and pass the full integrity check (with the
    per-page HMAC check when encrypted); then its digests.

    Raises:
        BackupFailed: it failed the integrity check.
    """
    connection = cipher.connect(path, key, read_only=True)
    try:
        cipher.assert_opens(connection)
        if integrity_problems(connection, key):
            raise BackupFailed("The backup failed its integrity check, so it was discarded.")
        return table_digests(connection)
    finally:
        connection.close()


def fsync_path(path: Path) -> None:
    """fsync a file, or a folder (so a rename or a new name in it survives a power cut)."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def backup_file_name(reason: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"calfdesk-{reason}-{stamp}.sqlite3"
