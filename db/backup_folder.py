"""A folder of backups: what is in it, a new name for the next one, and rotation (RELIABILITY.md C4).

Only files named the way ``db.backup.backup_file_name`` names them are ever listed or deleted, so a folder
the practice also uses for other things (a USB drive, say) loses nothing else.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.backup import PARTIAL_SUFFIX, backup_file_name, manifest_path, sidecar_paths
from db.keyring import KEYRING_SUFFIX
from workstation.backups.rotation import DEFAULT_POLICY, Backup, RetentionPolicy, backups_to_delete

_log = logging.getLogger(__name__)
_NAME = re.compile(r"calfdesk-(?P<reason>[a-z0-9-]+?)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?\.sqlite3")
# Leftovers of a backup that was cut off (a crash, a pulled drive) are removed once surely not in progress.
STALE_AFTER = timedelta(days=1)
_SIDECAR_ENDINGS = (".audit-head.json", ".manifest.json", KEYRING_SUFFIX)


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: Path
    taken_at: datetime  # UTC, from the name
    reason: str
    bytes: int
    verified: bool  # its manifest is beside it: it passed every check when written

    def rotation_entry(self) -> Backup:
        return Backup(self.taken_at, self.reason, self.path.name)


def parse_backup_name(name: str) -> tuple[str, datetime] | None:
    """(reason, time taken) of a backup file's name; None for any other file."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    try:
        taken_at = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return match["reason"], taken_at


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in ``folder``, newest first (an absent folder has none)."""
    found = []
    for path in _files(folder):
        parsed = parse_backup_name(path.name)
        if parsed is None:
            continue
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            continue  # pruned by another workstation meanwhile
        found.append(BackupFile(path, parsed[1], parsed[0], size, manifest_path(path).exists()))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def latest_verified(folder: Path) -> BackupFile | None:
    return next((b for b in list_backups(folder) if b.verified), None)


def new_backup_path(folder: Path, reason: str, now: datetime | None = None) -> Path:
    """A name in ``folder`` that no backup (finished or under way) has; names have one-second steps,
    so two backups in the same second get a counter."""
    name = backup_file_name(reason, now)
    candidate = folder / name
    counter = 1
    while candidate.exists() or candidate.with_name(candidate.name + PARTIAL_SUFFIX).exists():
        counter += 1
        candidate = folder / name.replace(".sqlite3", f"-{counter}.sqlite3")
    return candidate


def prune(folder: Path, keep: RetentionPolicy = DEFAULT_POLICY, now: datetime | None = None) -> list[Path]:
    """Delete the backups rotation drops, each with the files beside it, and leftovers of cut-off
    backups; return the backups deleted. A file that cannot be deleted is logged and kept.
    """
    moment = now or datetime.now().astimezone()
    backups = {b.path.name: b for b in list_backups(folder)}
    deleted = []
    for entry in backups_to_delete((b.rotation_entry() for b in backups.values()), moment, keep):
        path = backups[entry.name].path
        # The backup first: stopped half-way, this leaves a stray key file, never a backup without one.
        if _remove(path):
            deleted.append(path)
            for sidecar in sidecar_paths(path):
                _remove(sidecar)
    _remove_leftovers(folder, moment)
    return deleted


def _remove_leftovers(folder: Path, now: datetime) -> None:
    for path in _files(folder):
        stale = _older_than(path, now - STALE_AFTER)
        if path.name.endswith(PARTIAL_SUFFIX) and path.name.startswith("calfdesk-") and stale:
            _remove(path)
            continue
        for ending in _SIDECAR_ENDINGS:
            owner = path.name.removesuffix(ending)
            if owner != path.name and parse_backup_name(owner) and not (folder / owner).exists() and stale:
                _remove(path)


def _older_than(path: Path, moment: datetime) -> bool:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC) < moment
    except FileNotFoundError:
        return False


def _files(folder: Path) -> Iterator[Path]:
    try:
        yield from (path for path in folder.iterdir() if path.is_file())
    except (FileNotFoundError, NotADirectoryError):
        return


def _remove(path: Path) -> bool:
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        _log.warning("a backup file could not be deleted in rotation: %s (%s)", path.name, error.strerror)
        return False
    return True
