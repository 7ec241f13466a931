"""``workstation.ports.KeySlots`` for an open database: the key file's slots, or nothing to keep."""

from __future__ import annotations

from db.keyring import Keyring
from workstation.errors import CalfDeskError

_WRITE_FAILED = "The database's key file could not be written"


class KeyringSlots:
    """The slots of an encrypted SQLite database, whose key is held while it is open."""

    encrypted = True

    def __init__(self, keyring: Keyring, database_key: bytes) -> None:
        self._keyring = keyring
        self._key = database_key

    def has_slot(self, user_key: str) -> bool:
        return self._keyring.has_user(user_key)

    def set_password(self, user_key: str, password: str) -> None:
        self._keyring.set_user(user_key, password, self._key)
        self._save()

    def remove(self, user_key: str) -> None:
        self._keyring.remove_user(user_key)
        self._save()

    def issue_recovery_key(self) -> str:
        code = self._keyring.issue_recovery(self._key)
        self._save()
        return code

    def _save(self) -> None:
        try:
            self._keyring.save()
        except OSError as error:
            raise CalfDeskError(
                f"{_WRITE_FAILED} ({error.strerror or error.__class__.__name__}).",
                hint="Nothing was changed in the records. Check the disk, then try again.",
            ) from None


class NoKeySlots:
    """A database CalfDesk does not encrypt itself (PostgreSQL; a file from before encryption)."""

    encrypted = False

    def has_slot(self, user_key: str) -> bool:
        return False

    def set_password(self, user_key: str, password: str) -> None:
        return None

    def remove(self, user_key: str) -> None:
        return None

    def issue_recovery_key(self) -> str:
        raise CalfDeskError(
            "This database has no recovery key: CalfDesk does not encrypt it itself.",
            hint="A PostgreSQL server is protected by its own disk encryption (docs/postgresql.md).",
        )
