"""Where the practice's backups go: one setting, chosen by an administrator, every change audited.

The default is a ``backups`` folder beside the database. That protects against a damaged file or a
mistaken restore, not against a failed disk, so the dialog and docs/backup.md advise a second copy on a
removable drive as well (RELIABILITY.md C4).
"""

from __future__ import annotations

from pathlib import Path

from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import CalfDeskError, PermissionDenied
from workstation.ports import SettingsStore
from workstation.security.accounts import Actor
from workstation.security.permissions import Action, require

BACKUP_FOLDER_KEY = "backup.folder"
DEFAULT_FOLDER_NAME = "backups"


def default_backup_folder(database: Path) -> Path:
    return database.parent / DEFAULT_FOLDER_NAME


class BackupSettings:
    def __init__(self, store: SettingsStore, auditor: Auditor) -> None:
        self._store = store
        self._auditor = auditor

    def folder(self, database: Path) -> Path:
        """The chosen folder, or ``backups`` beside ``database``; a stored value that is not an absolute
        path (edited by hand) falls back to the default rather than to a folder relative to anywhere."""
        stored = self._store.get(BACKUP_FOLDER_KEY)
        if stored and Path(stored).is_absolute():
            return Path(stored)
        return default_backup_folder(database)

    def set_folder(self, admin: Actor, folder: Path) -> None:
        """The caller has re-authenticated the admin first (D6).

        Raises:
            PermissionDenied: not allowed to manage backups (audited as a denial).
            CalfDeskError: not an absolute path.
        """
        try:
            require(admin, Action.MANAGE_BACKUPS)
        except PermissionDenied:
            self._auditor.record(AuditEvent.SETTING_CHANGED, admin, outcome=Outcome.DENIED, object_type="setting",
                                 object_id=BACKUP_FOLDER_KEY)  # fmt: skip
            raise
        if not folder.is_absolute():
            raise CalfDeskError("Choose the backup folder by its full path.")
        self._store.put(BACKUP_FOLDER_KEY, str(folder), at=self._auditor.now(), by=admin.user_id)
        # The path is a place on this computer, not a record value: safe in the audit's detail.
        self._auditor.record(AuditEvent.SETTING_CHANGED, admin, object_type="setting", object_id=BACKUP_FOLDER_KEY,
                             detail=str(folder))  # fmt: skip
