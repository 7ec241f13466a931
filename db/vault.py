"""Finding, creating, unlocking and converting an encrypted SQLite database (RELIABILITY.md E1-E3).

A CalfDesk SQLite database is a SQLCipher file with its key file beside it (``db.keyring``). Nothing in
it can be read before someone gives a password (or the recovery key) that opens a slot, so the order at
start-up is: unlock the key with the password, open the database with the key, then log in as usual
(which checks the account, its lockout and writes the audit).

A file from before encryption (plain SQLite) is opened as it is until the practice owner logs in; then it
is converted: an encrypted copy is written and verified against the plain file (the same tables, row
counts and content hashes: that copy is the verified backup), kept in the backups folder, then put in the
plain file's place, and the plain file and its journal are removed.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from db import cipher
from db.backup import TableDigest, backup_file_name, backup_sqlite, fsync_path, table_digests, verified_digests
from db.key_slots import KeyringSlots
from db.keyring import Keyring, keyring_path, new_database_key, updating
from db.store import Store, open_database
from db.urls import DatabaseTarget, resolve
from workstation.errors import AccountLocked, AuthenticationFailed, BackupFailed, CalfDeskError
from workstation.security.lockout import locked_until
from workstation.services.accounts import WRONG_CREDENTIALS, locked_message

log = logging.getLogger(__name__)


class State(enum.Enum):
    NEW = "new"  # no database yet: the owner's set-up creates it, encrypted
    ENCRYPTED = "encrypted"  # a database and its key file: unlock with a password or the recovery key
    PLAIN = "plain"  # a database from before encryption: converted at the owner's next login
    SERVER = "server"  # PostgreSQL: the server protects its own disks; nothing to unlock here


class MissingKeyFile(CalfDeskError):
    """An encrypted database without its key file: only the recovery key can open it."""


@dataclass(frozen=True, slots=True)
class Conversion:
    """What converting a plain database did: where the verified encrypted copy is kept, and the new
    recovery key to show the owner once."""

    backup: Path
    recovery_key: str


class Vault:
    """The key side of one database address."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self.target: DatabaseTarget = resolve(url)

    @property
    def path(self) -> Path:
        assert self.target.sqlite_path is not None
        return self.target.sqlite_path

    @property
    def keyring_path(self) -> Path:
        return keyring_path(self.path)

    def state(self) -> State:
        if self.target.sqlite_path is None:
            return State.SERVER
        if cipher.is_empty_or_missing(self.path):
            return State.NEW
        if cipher.is_plain_sqlite(self.path):
            return State.PLAIN
        return State.ENCRYPTED

    def keyring(self) -> Keyring:
        """The key file of an encrypted database.

        Raises:
            MissingKeyFile: it is not there (only the recovery key can help).
            KeyringDamaged: it cannot be read.
        """
        try:
            return Keyring.load(self.keyring_path)
        except FileNotFoundError:
            raise MissingKeyFile(
                f"This file is not a CalfDesk database, or its key file ({self.keyring_path.name}) is missing, "
                "so it cannot be opened.",
                hint="Nothing has been changed. If it is your database, put the key file back beside it from "
                "the backup folder (every backup keeps one).",
            ) from None

    # Unlocking ------------------------------------------------------------------------------------

    def unlock(self, user_key: str, password: str, now: datetime) -> bytes:
        """The database key, if ``password`` opens ``user_key``'s slot.

        Failures are counted in the key file (the database cannot be written yet) and moved into the
        database at the next login; the same 15-minute lock applies as once the database is open (D3).

        Raises:
            AccountLocked: too many recent failures for this name.
            AuthenticationFailed: the name has no slot or the password does not open it (one message).
        """
        keyring = self.keyring()
        if locked_until(keyring.failures(user_key), now) is not None:
            keyring.unlock("", password)  # the same cost as a real try
            self._record_failure(user_key, now, while_locked=True)  # audited later, not counted
            raise AccountLocked(locked_message())
        key = keyring.unlock(user_key, password)
        if key is None:
            failures = self._record_failure(user_key, now, while_locked=False) or keyring.failures(user_key)
            if locked_until(failures, now) is not None:
                raise AccountLocked(locked_message())
            raise AuthenticationFailed(WRONG_CREDENTIALS)
        return key

    def _record_failure(self, user_key: str, now: datetime, *, while_locked: bool) -> list[datetime]:
        """Count a refused login in the key file as it is on disk now; the name's counted failures after it.
        Bookkeeping must never turn a wrong password into a different error, so a write failure is logged."""
        try:
            with updating(self.keyring_path) as keyring:
                keyring.record_failure(user_key, now, while_locked=while_locked)
            return keyring.failures(user_key)
        except (OSError, CalfDeskError):
            log.warning("the key file could not record a failed login")
            return []

    def unlock_with_recovery(self, code: str) -> bytes:
        """Raises AuthenticationFailed: the code does not open this database."""
        key = self.keyring().unlock_with_recovery(code)
        if key is None:
            raise AuthenticationFailed(
                "That recovery key does not open this database.",
                hint="Check each group of four characters against the printed key.",
            )
        return key

    def take_early_failures(self) -> dict[str, list[tuple[datetime, bool]]]:
        """The failed logins counted in the key file, removed from it (the caller moves them into the
        database's lockout count and audit)."""
        if not self.keyring().pending_failures:
            return {}
        try:
            with updating(self.keyring_path) as keyring:
                failures = keyring.take_failures()
        except (OSError, CalfDeskError):
            log.warning("the key file could not hand over its failed logins")
            return {}
        return failures

    # Opening -------------------------------------------------------------------------------------

    def open(
        self,
        key: bytes | None = None,
        *,
        read_only: bool = False,
        backup_dir: Path | None = None,
        check_integrity: bool = True,
    ) -> Store:
        """The open store (a PostgreSQL server or a plain file need no key)."""
        store = open_database(
            self.url, key=key, read_only=read_only, backup_dir=backup_dir, check_integrity=check_integrity
        )
        if key is None:
            return store
        store.key_slots = KeyringSlots(self.keyring(), key)
        return store

    # Creating ------------------------------------------------------------------------------------

    def create(self, owner_user_key: str, password: str) -> tuple[bytes, str]:
        """A new key for a new database, with the owner's slot and a recovery key (returned once).

        The key file is written before the database exists: a database can then never be left behind
        that no key file opens. A key file without a database is set up again at the next start.
        """
        if self.state() is not State.NEW:
            raise CalfDeskError("This database already exists.", hint="Log in instead.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        key = new_database_key()
        keyring = Keyring(self.keyring_path)
        keyring.set_user(owner_user_key, password, key)
        recovery = keyring.issue_recovery(key)
        _save(keyring)
        return key, recovery

    # Converting a database from before encryption ------------------------------------------------

    def convert(self, user_key: str, password: str, backup_dir: Path | None = None) -> tuple[bytes, Conversion]:
        """Encrypt a plain database in place (no store may be open on it). Returns the new key.

        Raises:
            BackupFailed: the encrypted copy did not verify; the plain file is untouched.
        """
        if self.state() is not State.PLAIN:
            raise CalfDeskError("This database is already encrypted.")
        key = new_database_key()
        encrypted = self.path.with_name(self.path.name + ".encrypting")
        encrypted.unlink(missing_ok=True)
        try:
            expected = _export_encrypted(self.path, encrypted, key)
            fsync_path(encrypted)
            if verified_digests(encrypted, key) != expected:
                raise BackupFailed("The encrypted copy did not match the database, so nothing was changed.")
            folder = backup_dir or self.path.parent / "backups"
            report = backup_sqlite(encrypted, folder / backup_file_name("encrypted-from-plain"), key)
            keyring = Keyring(self.keyring_path)
            keyring.set_user(user_key, password, key)
            recovery = keyring.issue_recovery(key)
            _save(keyring)
            keyring.copy_to(keyring_path(report.path)).save()  # every backup has its key file beside it
            # The plain file's write-ahead log was folded in (checkpoint) before the export: removing it
            # first means a crash before the rename leaves the plain file whole, never a mix.
            for suffix in ("-wal", "-shm"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            encrypted.replace(self.path)
            fsync_path(self.path.parent)
        except cipher.Error as error:
            raise BackupFailed(f"The database could not be encrypted: {error.__class__.__name__}.") from None
        finally:
            encrypted.unlink(missing_ok=True)
        log.info("converted a plain database to an encrypted one")
        return key, Conversion(report.path, recovery)

    def forget_orphan_keyring(self) -> None:
        """A key file left by a set-up that stopped before the database was created protects nothing."""
        if self.state() is State.NEW:
            self.keyring_path.unlink(missing_ok=True)


def _export_encrypted(plain_path: Path, encrypted_path: Path, key: bytes) -> dict[str, TableDigest]:
    """Copy every table, index and trigger of the plain file into a new encrypted one (SQLCipher's own
    ``sqlcipher_export``); returns the plain file's digests, read in the same snapshot."""
    plain = cipher.connect(plain_path, None)
    plain.isolation_level = None
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute("BEGIN")
        expected = table_digests(plain)
        quoted = str(encrypted_path).replace("'", "''")
        plain.execute(f"ATTACH DATABASE '{quoted}' AS encrypted KEY \"x'{key.hex()}'\"")
        plain.execute("SELECT sqlcipher_export('encrypted')")
        plain.execute("COMMIT")
        plain.execute("DETACH DATABASE encrypted")
        return expected
    finally:
        plain.close()


def _save(keyring: Keyring) -> None:
    try:
        keyring.save()
    except OSError as error:
        raise CalfDeskError(
            f"The database's key file could not be written ({error.strerror or error.__class__.__name__}).",
            hint="Nothing was changed. Check the disk, then try again.",
        ) from None
