"""``workstation.ports.KeySlots`` for an open database: the key file's slots, or nothing to keep."""

from __future__ import annotations

from collections.abc import Callable

from db.keyring import Keyring, updating
from workstation.errors import CalfDeskError

_WRITE_FAILED = "The database's key file could not be written"


class KeyringSlots:
    """The slots of an encrypted SQLite database, whose key is held while it is open."""

    encrypted = True

    def __init__(self, keyring: Keyring, database_key: bytes) -> None:
        self._keyring = keyring
        self._key = database_key

    def has_slot(self, user_key: str) -> bool:
        try:
            return Keyring.load(self._keyring.path).has_user(user_key)  # another window may have changed it
        except (OSError, CalfDeskError):
            return self._keyring.has_user(user_key)

    def set_password(self, user_key: str, password: str) -> None:
        self._update(lambda keyring: keyring.set_user(user_key, password, self._key))

    def remove(self, user_key: str) -> None:
        self._update(lambda keyring: keyring.remove_user(user_key))

    def issue_recovery_key(self) -> str:
        codes: list[str] = []
        self._update(lambda keyring: codes.append(keyring.issue_recovery(self._key)))
        return codes[0]

    def _update(self, change: Callable[[Keyring], object]) -> None:
        """One change, made to the key file as it is on disk now (see ``db.keyring.updating``)."""
        try:
            with updating(self._keyring.path) as keyring:
                change(keyring)
            self._keyring = keyring
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
