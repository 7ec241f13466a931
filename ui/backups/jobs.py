"""Backups of an open database as the window and the command line take them: into the practice's
folder, audited, then rotated; and the restore, carried out once no store is open on the database.

Qt-free: the command line uses it too. Only SQLite files are backed up here; a PostgreSQL server is
backed up with its own tools (pg_dump, or the server's backups: docs/backup.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from db.backup import BackupReport, backup_sqlite
from db.backup_folder import BackupFile, list_backups, new_backup_path, prune
from db.restore import BackupSummary, RestoreReport, inspect_backup, restore_sqlite
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.backups.settings import BackupSettings, default_backup_folder
from workstation.errors import BackupFailed, CalfDeskError, PermissionDenied
from workstation.ports import ClinicStore
from workstation.security.accounts import Actor
from workstation.security.permissions import Action, require

_log = logging.getLogger(__name__)
DAILY, EXIT, MANUAL, BEFORE_RESTORE = "daily", "exit", "manual", "before-restore"
POSTGRESQL_BACKUPS = (
    "CalfDesk backs up SQLite databases only: a PostgreSQL server is backed up with pg_dump or the "
    "server's own backups (see docs/backup.md)."
)


@dataclass(frozen=True, slots=True)
class BackupOutcome:
    report: BackupReport
    pruned: list[Path]


class BackupJobs:
    """The backups of one open database, taken for one workstation."""

    def __init__(self, store: ClinicStore, auditor: Auditor) -> None:
        self._store = store
        self._auditor = auditor
        self.settings = BackupSettings(store.settings, auditor)

    @property
    def available(self) -> bool:
        return database_path(self._store) is not None

    @property
    def database(self) -> Path:
        """Raises CalfDeskError: a PostgreSQL database (backed up by the server's tools)."""
        path = database_path(self._store)
        if path is None:
            raise CalfDeskError(POSTGRESQL_BACKUPS)
        return path

    @property
    def key(self) -> bytes | None:
        key: bytes | None = getattr(self._store, "sqlite_key", None)
        return key

    def folder(self) -> Path:
        try:
            return self.settings.folder(self.database)
        except CalfDeskError:
            # A damaged database may not even give its settings back: its backups are still beside it.
            _log.warning("the backup folder setting could not be read; using the default folder")
            return default_backup_folder(self.database)

    def backups(self) -> list[BackupFile]:
        """Raises CalfDeskError: the folder cannot be read."""
        try:
            return list_backups(self.folder())
        except OSError as error:
            raise CalfDeskError(f"The backup folder cannot be read ({error.strerror}).") from None

    def has_verified_backup_on(self, day: date) -> bool:
        """A verified backup taken on ``day`` (the computer's local date) is in the folder."""
        try:
            found = list_backups(self.folder())
        except OSError:
            return False
        return any(b.verified and b.taken_at.astimezone().date() == day for b in found)

    def back_up(self, reason: str, actor: Actor | None, destination: Path | None = None) -> BackupOutcome:
        """A verified backup into the practice's folder (then rotated), or to ``destination``: a folder,
        or a new file name (never rotated: it is somebody's own copy). A backup made by hand is an
        administrator's; automatic ones are made whoever is logged in. Success and failure are audited.

        Raises:
            PermissionDenied: a backup by hand by someone who may not manage backups.
            BackupFailed: the backup was not made (nothing is left of it).
        """
        if reason == MANUAL:
            self._require_manager(actor, AuditEvent.BACKUP_CREATED)
        path = self._destination(reason, destination)
        try:
            report = backup_sqlite(self.database, path, self.key)
        except BackupFailed as error:
            try:
                self._auditor.record(AuditEvent.BACKUP_CREATED, actor, outcome=Outcome.FAILURE, object_type="backup",
                                     object_id=path.name, detail=f"{reason}; {error.message}")  # fmt: skip
            except CalfDeskError:  # a database too damaged to back up may refuse the entry too: say why it failed
                _log.warning("a failed backup could not be audited (%s)", path.name)
            raise
        self._auditor.record(
            AuditEvent.BACKUP_CREATED, actor, object_type="backup", object_id=path.name,
            detail=f"{reason}; {report.bytes} bytes; {len(report.tables)} tables; verified",
        )  # fmt: skip
        pruned = self._rotate() if path.parent == self.folder() else []
        return BackupOutcome(report, pruned)

    def inspect(self, source: Path) -> BackupSummary:
        """Raises BackupRefused: the backup cannot be restored with this database's key."""
        return inspect_backup(source, self.key)

    def set_folder(self, admin: Actor, folder: Path) -> None:
        self.settings.set_folder(admin, folder)

    def restore_request(self, source: Path, actor: Actor, workstation: str) -> RestoreRequest:
        """The restore of ``source`` to carry out once no store is open on this database.

        Raises:
            PermissionDenied: the actor may not restore backups (audited).
        """
        self._require_manager(actor, AuditEvent.BACKUP_RESTORED)
        return RestoreRequest(source, self.database, self.key, self.folder(), actor, workstation)

    def _destination(self, reason: str, destination: Path | None) -> Path:
        if destination is None:
            return new_backup_path(self.folder(), reason)
        if destination.is_dir() or destination.suffix != ".sqlite3":  # a folder, perhaps not made yet
            return new_backup_path(destination, reason)
        return destination

    def _rotate(self) -> list[Path]:
        try:
            return prune(self.folder())
        except OSError as error:
            _log.warning("backup rotation failed: %s", error.strerror)
            return []

    def _require_manager(self, actor: Actor | None, event: AuditEvent) -> None:
        if actor is None:
            raise PermissionDenied("Only an administrator can do this.")
        try:
            require(actor, Action.MANAGE_BACKUPS)
        except PermissionDenied:
            self._auditor.record(event, actor, outcome=Outcome.DENIED, object_type="backup")
            raise


def database_path(store: object) -> Path | None:
    """The SQLite file of an open store; None for a server (or anything else)."""
    target = getattr(store, "target", None)
    path = getattr(target, "sqlite_path", None)
    return path if isinstance(path, Path) else None


def same_disk(folder: Path, database: Path) -> bool:
    """The folder is on the disk (file system) the database is on, so one failure can take both."""
    return _device(folder) == _device(database.parent)


def _device(path: Path) -> int | None:
    for candidate in (path, *path.parents):  # a folder not made yet will be made on its parent's disk
        try:
            return candidate.stat().st_dev
        except OSError:
            continue
    return None


@dataclass(frozen=True, slots=True)
class RestoreRequest:
    """A restore an administrator asked for, carried out after the store on ``live`` has closed."""

    source: Path
    live: Path
    key: bytes | None
    safety_folder: Path
    actor: Actor
    workstation: str


Opener = Callable[[Path, bytes | None], ClinicStore]


def carry_out_restore(request: RestoreRequest, open_database: Opener) -> RestoreReport:
    """Restore, then write the restore into the restored database's audit (opening it is also the first
    proof that it works). A failure is audited in the database that is still in place, if it opens.

    Raises:
        BackupRefused, BackupFailed: nothing was restored.
    """
    try:
        report = restore_sqlite(request.source, request.live, request.key, safety_folder=request.safety_folder)
    except CalfDeskError as error:
        _audit_in(open_database, request, Outcome.FAILURE, error.message)
        raise
    taken = report.summary.taken_at.isoformat() if report.summary.taken_at else "unknown time"
    kept = report.safety_copy or report.set_aside
    detail = f"backup of {taken}; {report.summary.patients} patients; previous kept as {kept.name if kept else '-'}"
    _audit_in(open_database, request, Outcome.SUCCESS, detail)
    return report


def _audit_in(open_database: Opener, request: RestoreRequest, outcome: Outcome, detail: str) -> None:
    try:
        store = open_database(request.live, request.key)
    except CalfDeskError:
        _log.warning("restore %s, not audited: the database does not open (%s)", outcome.value, request.source.name)
        return
    try:
        Auditor(store.audit, request.workstation).record(
            AuditEvent.BACKUP_RESTORED, request.actor, outcome=outcome, object_type="backup",
            object_id=request.source.name, detail=detail,
        )  # fmt: skip
    finally:
        store.close()


def open_restored(live: Path, key: bytes | None) -> ClinicStore:
    """The restored database, opened the way the app opens it (with its key file's slots)."""
    from db.vault import Vault

    return Vault(str(live)).open(key)


def today() -> date:
    return datetime.now().astimezone().date()
