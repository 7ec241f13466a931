"""Getting into a database: the owner's set-up, a login, or the recovery key (no Qt: the command line
uses it too).

An encrypted SQLite database cannot be read before its key is unlocked, so a login here first unlocks
the key with the password (``db.vault``), then opens the database with it, then logs in through the
account services as everywhere else (the account's state, lockout and audit). Failed logins counted by
the key file before the database was open move into the database's count and audit at the next login.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from db.store import Store
from db.vault import Conversion, State, Vault
from workstation.audit.auditor import Auditor, utc_now
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import AuthenticationFailed, CalfDeskError, ValidationFailed
from workstation.problems import blocking
from workstation.security.accounts import user_key
from workstation.security.passwords import password_problems
from workstation.services.accounts import Accounts, Login, account_problems

_log = logging.getLogger(__name__)


@dataclass(slots=True)
class Opened:
    """A logged-in person and the database they opened."""

    store: Store
    login: Login
    recovery_key: str | None = None  # to show the owner once: a new database, or one just encrypted
    conversion: Conversion | None = None
    accounts_without_key: list[str] = field(default_factory=list)  # user names needing a new password


class Entry:
    """The way into the database at ``url`` (None: the default file), for one workstation."""

    def __init__(
        self,
        url: str | None,
        *,
        workstation: str,
        now: Callable[[], datetime] = utc_now,
        backup_dir: Path | None = None,
        check_integrity: bool = False,
    ) -> None:
        self.vault = Vault(url)
        self.workstation = workstation
        self._now = now
        self._backup_dir = backup_dir
        self._check_integrity = check_integrity
        self._server_store: Store | None = None
        if self.vault.target.sqlite_path is not None:
            self.vault.forget_orphan_keyring()

    @property
    def description(self) -> str:
        return self.vault.target.description

    def needs_owner(self) -> bool:
        """Nobody can log in yet: the practice owner's set-up comes first."""
        state = self.vault.state()
        if state is State.NEW:
            return True
        if state is State.SERVER:
            return self._accounts(self._server()).needs_owner()
        if state is State.PLAIN:
            return self._plain_without_accounts()
        if state is State.ENCRYPTED:
            self.vault.keyring()  # no key file (or not a CalfDesk file): say so now, not after a password
        return False

    # The three ways in ---------------------------------------------------------------------------

    def create_owner(self, user_name: str, display_name: str, password: str) -> Opened:
        """A new database with its owner, logged in; an encrypted file gets its recovery key (shown once).

        Raises:
            ValidationFailed: a blank name or a password the policy refuses (nothing is created).
        """
        state = self.vault.state()
        if state is State.SERVER:
            store = self._server()
            return Opened(store, self._accounts(store).create_owner(user_name, display_name, password))
        problems = account_problems(user_name, display_name)
        problems += blocking(password_problems(password, user_name=user_name, display_name=display_name))
        if problems:
            raise ValidationFailed(problems)
        if state is State.PLAIN:
            return self._create_owner_on_plain(user_name, display_name, password)
        key, recovery = self.vault.create(user_key(user_name), password)
        store = self._open(key)
        try:
            accounts = self._accounts(store)
            login = accounts.create_owner(user_name, display_name, password)
            self._auditor(store).record(AuditEvent.RECOVERY_KEY_ISSUED, login.actor, object_type="database")
        except BaseException:
            store.close()
            raise
        return Opened(store, login, recovery_key=recovery)

    def log_in(self, user_name: str, password: str) -> Opened:
        """Raises AuthenticationFailed or AccountLocked (one message whatever was wrong, D3)."""
        state = self.vault.state()
        if state is State.SERVER:
            store = self._server()
            return Opened(store, self._accounts(store).log_in(user_name, password))
        if state is State.NEW:
            raise AuthenticationFailed("There is no database here yet.", hint="Set up the practice owner first.")
        if state is State.PLAIN:
            return self._log_in_plain(user_name, password)
        key = self.vault.unlock(user_key(user_name), password, self._now())
        store = self._open(key)
        try:
            self._absorb_early_failures(store)
            login = self._accounts(store).log_in(user_name, password)
        except BaseException:
            store.close()
            raise
        return Opened(store, login)

    def recover(self, recovery_key: str, new_password: str) -> Opened:
        """Every password is lost: the recovery key opens the database and the owner chooses a new password.

        Raises:
            AuthenticationFailed: the recovery key does not open this database.
            ValidationFailed: the new password breaks the policy (nothing is changed).
        """
        key = self.vault.unlock_with_recovery(recovery_key)
        store = self._open(key)
        try:
            login = self._accounts(store).recover_owner(new_password)
            self._auditor(store).record(AuditEvent.RECOVERY_KEY_USED, login.actor, object_type="database")
        except BaseException:
            store.close()
            raise
        return Opened(store, login)

    # Internals -------------------------------------------------------------------------------------

    def _log_in_plain(self, user_name: str, password: str) -> Opened:
        """A database from before encryption: log in on it as it is; the owner's login encrypts it."""
        store = self.vault.open(check_integrity=self._check_integrity)
        try:
            login = self._accounts(store).log_in(user_name, password)
        except BaseException:
            store.close()
            raise
        if not login.user.is_owner or store.read_only:
            store.warnings.append(
                "This database is not encrypted yet: it will be encrypted when the practice owner next logs in."
            )
            return Opened(store, login)
        store.close()
        key, conversion = self.vault.convert(user_key(user_name), password, self._backup_dir)
        store = self._open(key)
        try:
            accounts = self._accounts(store)
            login = accounts.log_in(user_name, password)
            auditor = self._auditor(store)
            auditor.record(AuditEvent.DATABASE_ENCRYPTED, login.actor, object_type="database")
            auditor.record(AuditEvent.RECOVERY_KEY_ISSUED, login.actor, object_type="database")
            waiting = [u.user_name for u in store.users.all() if accounts.needs_password_to_open(u)]
        except BaseException:
            store.close()
            raise
        _log.info("database encrypted at the owner's login (%d accounts need a new password)", len(waiting))
        return Opened(store, login, conversion.recovery_key, conversion, waiting)

    def _plain_without_accounts(self) -> bool:
        """A database from the first release (schema 0001, before accounts existed) holds patients but
        nobody who can log in: its owner is set up on it, as on a new database. Opening it brings the
        schema up to date, after a verified backup of the old file."""
        store = self.vault.open(backup_dir=self._backup_dir, check_integrity=self._check_integrity)
        try:
            return not store.read_only and self._accounts(store).needs_owner()
        finally:
            store.close()

    def _create_owner_on_plain(self, user_name: str, display_name: str, password: str) -> Opened:
        """The owner of a database from before accounts: encrypt it with the owner's key, then add the
        owner, as the owner's first login on a plain database does (its records are kept, not replaced)."""
        if not self._plain_without_accounts():
            raise CalfDeskError("This database already has its owner's account.", hint="Log in instead.")
        key, conversion = self.vault.convert(user_key(user_name), password, self._backup_dir)
        store = self._open(key)
        try:
            login = self._accounts(store).create_owner(user_name, display_name, password)
            auditor = self._auditor(store)
            auditor.record(AuditEvent.DATABASE_ENCRYPTED, login.actor, object_type="database")
            auditor.record(AuditEvent.RECOVERY_KEY_ISSUED, login.actor, object_type="database")
        except BaseException:
            store.close()
            raise
        _log.info("owner set up on a database from before accounts; the database is now encrypted")
        return Opened(store, login, conversion.recovery_key, conversion)

    def _absorb_early_failures(self, store: Store) -> None:
        """Failed logins typed before the database could be opened join its lockout count and audit."""
        failures = self.vault.take_early_failures()
        if not failures:
            return
        auditor = self._auditor(store)
        for key, times in failures.items():
            user = next((u for u in store.users.all() if user_key(u.user_name) == key), None)
            for at, while_locked in times:
                if user is not None and user.id is not None and not while_locked:
                    store.users.record_failed_login(user.id, at)
                why = "refused while the account was locked" if while_locked else "wrong password"
                when = at.isoformat()
                auditor.record(
                    AuditEvent.LOGIN_FAILED, None, outcome=Outcome.FAILURE,
                    user_name=user.user_name if user else "(unknown name)", object_type="user",
                    object_id=user.id if user else "", detail=f"{why}, before the database was opened, at {when}",
                )  # fmt: skip

    def _open(self, key: bytes) -> Store:
        return self.vault.open(key, backup_dir=self._backup_dir, check_integrity=self._check_integrity)

    def _server(self) -> Store:
        if self._server_store is None:
            self._server_store = self.vault.open()
        return self._server_store

    def _auditor(self, store: Store) -> Auditor:
        return Auditor(store.audit, self.workstation, self._now)

    def _accounts(self, store: Store) -> Accounts:
        return Accounts(store.users, self._auditor(store), store.key_slots)

    def close_unused(self) -> None:
        """Close a server connection opened only to ask whether an owner exists."""
        if self._server_store is not None:
            self._server_store.close()
            self._server_store = None
