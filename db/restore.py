"""Restoring a backup, and checking a database (RELIABILITY.md A4, C2, C3).

A restore never starts from a backup it has not checked: it must open with the key, pass the full
integrity check, carry a CalfDesk schema this version knows, and match the manifest written beside it
when it was taken. The database it replaces is kept first: as a verified ``before-restore`` backup, or,
when it is too damaged to back up, moved aside under a new name with its journal, never deleted. The swap
itself is atomic: the backup is written into a temporary file in the live folder through the backup
API, fsynced and checked, then renamed over the live file (a crash leaves the old database or the new
one, never a mix), after the old database's write-ahead log is removed, so that it can never be replayed
onto the restored file. No store may be open on the live database meanwhile.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import EllipsisType
from typing import Any

from db import cipher
from db.backup import (
    TableDigest,
    backup_sqlite,
    fsync_path,
    integrity_problems,
    read_manifest,
    table_digests,
)
from db.backup_folder import new_backup_path, parse_backup_name
from db.keyring import Keyring, keyring_path
from db.schema import HEAD_REVISION
from workstation.errors import BackupFailed, CalfDeskError

_log = logging.getLogger(__name__)
RESTORING_SUFFIX = ".restoring"
_JOURNALS = ("-wal", "-shm", "-journal")


class BackupRefused(CalfDeskError):
    """This file cannot be restored: damaged, not a CalfDesk backup, from a newer version, or altered."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a checked backup holds, for the confirmation before a restore."""

    path: Path
    taken_at: datetime | None  # from its name; None for a file named otherwise
    patients: int
    revision: str
    tables: dict[str, TableDigest]
    sealed: bool  # a manifest was beside it and matched


@dataclass(frozen=True, slots=True)
class RestoreReport:
    summary: BackupSummary
    live: Path
    safety_copy: Path | None  # the verified before-restore backup of the database replaced
    set_aside: Path | None  # or, for a database too damaged to back up, where it was moved


@dataclass(frozen=True, slots=True)
class DatabaseCheck:
    path: Path
    problems: list[str]  # from the integrity checks; empty: none
    revision: str | None  # the schema revision stamped in it; None: not a CalfDesk database
    head: str = HEAD_REVISION

    @property
    def sound(self) -> bool:
        return not self.problems

    @property
    def current(self) -> bool:
        return self.revision == self.head

    @property
    def ok(self) -> bool:
        return self.sound and self.current


def inspect_backup(source: Path, key: bytes | None) -> BackupSummary:
    """Check that ``source`` can be restored, and say what it holds.

    Raises:
        BackupRefused: it cannot be restored (the message says why).
    """
    if not source.is_file():
        raise BackupRefused(f"There is no backup file at {source}.")
    try:
        connection = cipher.connect(source, key, read_only=True)
    except cipher.Error:
        raise BackupRefused("The backup file cannot be read.") from None
    try:
        cipher.assert_opens(connection)
        if integrity_problems(connection, key):
            raise BackupRefused("The backup is damaged (it failed its integrity check), so it cannot be restored.",
                                hint="Choose another backup.")  # fmt: skip
        revision = _revision(connection)
        tables = table_digests(connection)
        patients = int(connection.execute("SELECT count(*) FROM patient").fetchone()[0])
    except cipher.WrongKey:
        raise BackupRefused(
            "This backup cannot be opened with this database's key: it belongs to another database, or is not "
            "a CalfDesk backup.",
            hint="Nothing has been changed.",
        ) from None
    except cipher.DatabaseError:
        raise BackupRefused("The backup is damaged, so it cannot be restored.", hint="Choose another backup.") from None
    finally:
        connection.close()
    _require_known(revision)
    sealed = _matches_manifest(source, key, tables)
    parsed = parse_backup_name(source.name)
    return BackupSummary(source, parsed[1] if parsed else None, patients, revision, tables, sealed)


def restore_sqlite(
    source: Path,
    live: Path,
    key: bytes | None,
    *,
    live_key: bytes | EllipsisType | None = ...,
    safety_folder: Path | None = None,
) -> RestoreReport:
    """Put the backup ``source`` (encrypted with ``key``) in the place of the database ``live``.

    ``live_key`` is the key of the database replaced (default: the same key); ``safety_folder`` where its
    safety copy goes (default: ``backups`` beside it). A missing live database is simply created.

    Raises:
        BackupRefused: the backup cannot be restored; nothing was changed.
        BackupFailed: the live database could not be kept safe first, or the copy failed; nothing was changed.
    """
    summary = inspect_backup(source, key)
    current_key = key if isinstance(live_key, EllipsisType) else live_key
    safety_copy, set_aside = _keep_current(live, current_key, safety_folder or live.parent / "backups")
    temporary = live.with_name(live.name + RESTORING_SUFFIX)
    try:
        live.parent.mkdir(parents=True, exist_ok=True)  # a fresh profile has no data folder yet
        _copy_into(source, temporary, key, summary.tables)
        for journal in _JOURNALS:
            live.with_name(live.name + journal).unlink(missing_ok=True)
        temporary.replace(live)
        fsync_path(live.parent)
        if not keyring_path(live).exists() and keyring_path(source).exists():
            Keyring.load(keyring_path(source)).copy_to(keyring_path(live)).save()
    except (OSError, cipher.Error) as error:
        raise BackupFailed(
            f"The backup could not be restored ({getattr(error, 'strerror', None) or error.__class__.__name__}).",
            hint=_kept_hint(safety_copy, set_aside),
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    _log.info("restored a backup over the database (%d patients)", summary.patients)
    return RestoreReport(summary, live, safety_copy, set_aside)


def verify_database(path: Path, key: bytes | None) -> DatabaseCheck:
    """The full integrity check (and the HMAC of every page of an encrypted file) and the schema version.

    Raises:
        CalfDeskError: there is no such file, or the key does not open it.
    """
    if not path.is_file():
        raise CalfDeskError(f"There is no database file at {path}.")
    connection = cipher.connect(path, key, read_only=True)
    try:
        cipher.assert_opens(connection)
        try:
            problems = integrity_problems(connection, key)
        except cipher.DatabaseError as error:
            problems = [f"the check could not finish: {error}"]
        try:
            revision: str | None = _revision(connection)
        except (BackupRefused, cipher.DatabaseError):
            revision = None
    finally:
        connection.close()
    return DatabaseCheck(path, problems, revision)


def is_sound(path: Path, key: bytes | None) -> bool:
    try:
        return verify_database(path, key).sound
    except (CalfDeskError, cipher.Error):
        return False


def _keep_current(live: Path, key: bytes | None, folder: Path) -> tuple[Path | None, Path | None]:
    if cipher.is_empty_or_missing(live):
        return None, None
    if is_sound(live, key):
        report = backup_sqlite(live, new_backup_path(folder, "before-restore"), key)
        return report.path, None
    # Too damaged to back up: kept whole, under a name of its own, for whoever tries to rescue it.
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = live.with_name(f"{live.name}.damaged-{stamp}")
    try:
        for journal in _JOURNALS:
            journal_file = live.with_name(live.name + journal)
            if journal_file.exists():
                journal_file.replace(aside.with_name(aside.name + journal))
        live.replace(aside)
        fsync_path(live.parent)
    except OSError as error:
        raise BackupFailed(
            f"The damaged database could not be moved aside ({error.strerror}), so nothing was restored."
        ) from None
    _log.warning("a damaged database was moved aside before a restore")
    return None, aside


def _copy_into(source: Path, temporary: Path, key: bytes | None, expected: dict[str, TableDigest]) -> None:
    temporary.unlink(missing_ok=True)
    src = cipher.connect(source, key, read_only=True)
    try:
        dst = cipher.connect(temporary, key)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    fsync_path(temporary)
    check = cipher.connect(temporary, key, read_only=True)
    try:
        if integrity_problems(check, key) or table_digests(check) != expected:
            raise BackupFailed("The restored copy did not match the backup, so nothing was changed.")
    finally:
        check.close()


def _revision(connection: Any) -> str:
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except cipher.OperationalError:
        rows = []
    if len(rows) != 1:
        raise BackupRefused("This file is a database, but not a CalfDesk one, so it cannot be restored.")
    return str(rows[0][0])


def _require_known(revision: str) -> None:
    from alembic.script import ScriptDirectory

    from db.schema import alembic_config

    known = {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision not in known:
        raise BackupRefused(
            "This backup was written by a newer version of CalfDesk.",
            hint="Install that version to restore it; nothing has been changed.",
        )


def _matches_manifest(source: Path, key: bytes | None, tables: dict[str, TableDigest]) -> bool:
    try:
        recorded = read_manifest(source, key)
    except CalfDeskError as error:
        raise BackupRefused(error.message, hint=error.hint) from None
    if recorded is None:
        return False  # a backup from before manifests: the integrity check is all there is
    if recorded != tables:
        raise BackupRefused(
            "This backup was changed after it was written (it no longer matches its manifest), so it is not used.",
            hint="Choose another backup.",
        )
    return True


def _kept_hint(safety_copy: Path | None, set_aside: Path | None) -> str:
    if safety_copy is not None:
        return f"The database as it was is kept in {safety_copy}."
    if set_aside is not None:
        return f"The damaged database is kept as {set_aside}."
    return ""
