"""Log in, lock and unlock, and look after accounts (RELIABILITY.md D1-D6).

Every attempt is audited, the good and the bad. A wrong password and an unknown or deactivated user
name give the same words and take about the same time (the unknown name is checked against a dummy
hash), so the login screen never tells anyone which names exist.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import (
    AccountLocked,
    AuthenticationFailed,
    CalfDeskError,
    PermissionDenied,
    ReadOnlyDatabase,
    ValidationFailed,
)
from workstation.ports import KeySlots, UserRepository
from workstation.problems import Problem, blocking
from workstation.security.accounts import Actor, Role, User, user_key
from workstation.security.lockout import FAILURE_WINDOW, LOCK_DURATION, locked_until
from workstation.security.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from workstation.security.permissions import Action, require

WRONG_CREDENTIALS = "The user name or password is wrong."
# NIST SP 800-63B 5.2.2 (RELIABILITY.md D3): the 15-minute locks slow guessing down; this bounds it.
MAX_CONSECUTIVE_FAILURES = 100
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
USER_NAME_MAX_CHARS = 100
DISPLAY_NAME_MAX_CHARS = 200


@dataclass(frozen=True, slots=True)
class Login:
    """A successful login: who, as which account, and when (for the 12-hour re-authentication)."""

    actor: Actor
    user: User
    logged_in_at: datetime

    @property
    def must_change_password(self) -> bool:
        return self.user.must_change_password


def account_problems(user_name: str, display_name: str) -> list[Problem]:
    problems: list[Problem] = []
    name = user_name.strip()
    if not name:
        problems.append(Problem("user_name", "Choose a user name (for example: sam.okafor)."))
    elif len(name) > USER_NAME_MAX_CHARS or any(not ch.isprintable() for ch in name):
        problems.append(Problem("user_name", f"Use up to {USER_NAME_MAX_CHARS} letters, digits or punctuation."))
    if not display_name.strip():
        problems.append(Problem("display_name", "Give the person's full name, as letters will sign it."))
    elif len(display_name.strip()) > DISPLAY_NAME_MAX_CHARS:
        problems.append(Problem("display_name", f"Limited to {DISPLAY_NAME_MAX_CHARS} characters."))
    return problems


class Accounts:
    """Account use cases for one workstation."""

    def __init__(self, users: UserRepository, auditor: Auditor, key_slots: KeySlots | None = None) -> None:
        self._users = users
        self._auditor = auditor
        # An encrypted database: every password that may open it wraps its key (E3), kept in step here.
        self._keys = key_slots

    @property
    def _now(self) -> Callable[[], datetime]:
        return self._auditor.now

    def needs_owner(self) -> bool:
        """A new database: nobody can log in until the practice owner's account exists."""
        return self._users.count() == 0

    def create_owner(self, user_name: str, display_name: str, password: str) -> Login:
        """The first account, an administrator; the owner is logged in at once.

        Raises:
            ValidationFailed: a blank name or a password that breaks the policy (D2).
            CalfDeskError: the database already has accounts.
        """
        if not self.needs_owner():
            raise CalfDeskError("This database already has its owner's account.", hint="Log in instead.")
        self._check_new_account(user_name, display_name, password)
        owner = self._users.add(
            User(user_name.strip(), display_name.strip(), Role.ADMIN, hash_password(password), is_owner=True)
        )
        if self._keys is not None and self._keys.encrypted and not self._keys.has_slot(user_key(user_name)):
            self._keys.set_password(user_key(user_name), password)
        login = self._login(owner)
        self._auditor.record(AuditEvent.USER_CREATED, login.actor, object_type="user", object_id=owner.id,
                             detail="practice owner")  # fmt: skip
        self._auditor.record(AuditEvent.LOGIN, login.actor, object_type="user", object_id=owner.id)
        return login

    def log_in(self, user_name: str, password: str) -> Login:
        """Raises AuthenticationFailed (wrong name or password) or AccountLocked (D3)."""
        user = self._users.find_by_name(user_name)
        if user is None or not user.active or user.id is None:
            verify_password(dummy_hash(), password)  # the same cost as a real check
            self._failed(None, user_name, "unknown or deactivated user name")
            raise AuthenticationFailed(WRONG_CREDENTIALS)
        self._check_password(user, password, "login")
        if self._keys is not None and self._keys.encrypted and not self._keys.has_slot(user_key(user.user_name)):
            # Someone without a slot logged in where the database was already open (a lock-screen
            # switch after a conversion): from now on their password opens it at start-up too.
            with contextlib.suppress(CalfDeskError):
                self._keys.set_password(user_key(user.user_name), password)
        if needs_rehash(user.password_hash):  # the parameters have risen since this hash was made (D1)
            renewed = user.with_changes(password_hash=hash_password(password))
            with contextlib.suppress(ReadOnlyDatabase):  # else renewed at a login on a writable database
                user = self._users.update(renewed)
        login = self._login(user)
        self._auditor.record(AuditEvent.LOGIN, login.actor, object_type="user", object_id=user.id)
        return login

    def reauthenticate(self, actor: Actor, password: str, *, event: AuditEvent = AuditEvent.REAUTHENTICATED) -> None:
        """Confirm the logged-in person's password before a sensitive action, or to unlock (D5, D6)."""
        user = self._users.get(actor.user_id)
        if not user.active:
            self._failed(user, user.user_name, "deactivated")
            raise AuthenticationFailed(WRONG_CREDENTIALS)
        self._check_password(user, password, event.value)
        self._auditor.record(event, actor, object_type="user", object_id=actor.user_id)

    def unlock_session(self, actor: Actor, password: str) -> None:
        self.reauthenticate(actor, password, event=AuditEvent.SESSION_UNLOCKED)

    def lock_session(self, actor: Actor, *, idle: bool) -> None:
        self._auditor.record(AuditEvent.SESSION_LOCKED, actor, object_type="user", object_id=actor.user_id,
                             detail="idle" if idle else "by hand")  # fmt: skip

    def log_out(self, actor: Actor) -> None:
        self._auditor.record(AuditEvent.LOGOUT, actor, object_type="user", object_id=actor.user_id)

    def change_password(self, actor: Actor, current: str, new: str) -> User:
        """Raises AuthenticationFailed (current password wrong) or ValidationFailed (new one refused)."""
        user = self._users.get(actor.user_id)
        self._check_password(user, current, "password change")
        problems = blocking(password_problems(new, user_name=user.user_name, display_name=user.display_name))
        if unicodedata.normalize("NFC", new) == unicodedata.normalize("NFC", current):
            problems.append(Problem("password", "Choose a password different from the current one."))
        if problems:
            raise ValidationFailed(problems)
        saved = self._with_slot(
            user, new, current,
            lambda: self._users.update(user.with_changes(password_hash=hash_password(new), must_change_password=False)),
        )  # fmt: skip
        self._auditor.record(AuditEvent.PASSWORD_CHANGED, actor, object_type="user", object_id=user.id)
        return saved

    # Administration (MANAGE_USERS) ---------------------------------------------------------------

    def users(self, admin: Actor) -> list[User]:
        self._require_admin(admin, AuditEvent.USER_CREATED)
        return self._users.all()

    def create_user(self, admin: Actor, user_name: str, display_name: str, role: Role, temporary_password: str) -> User:
        """A new account whose holder must choose their own password at first login."""
        self._require_admin(admin, AuditEvent.USER_CREATED)
        self._check_new_account(user_name, display_name, temporary_password)
        user = self._users.add(
            User(user_name.strip(), display_name.strip(), role, hash_password(temporary_password),
                 must_change_password=True)
        )  # fmt: skip
        if self._keys is not None:
            self._keys.set_password(user_key(user.user_name), temporary_password)
        self._auditor.record(AuditEvent.USER_CREATED, admin, object_type="user", object_id=user.id, detail=role.value)
        return user

    def reset_password(self, admin: Actor, user_id: int, temporary_password: str) -> User:
        self._require_admin(admin, AuditEvent.PASSWORD_RESET)
        user = self._users.get(user_id)
        problems = blocking(password_problems(temporary_password, user_name=user.user_name,
                                              display_name=user.display_name))  # fmt: skip
        if problems:
            raise ValidationFailed(problems)
        saved = self._with_slot(
            user, temporary_password, None,
            lambda: self._users.update(
                user.with_changes(password_hash=hash_password(temporary_password), must_change_password=True)
            ),
        )  # fmt: skip
        self._users.clear_failed_logins(user_id)
        self._auditor.record(AuditEvent.PASSWORD_RESET, admin, object_type="user", object_id=user_id)
        return saved

    def set_role(self, admin: Actor, user_id: int, role: Role) -> User:
        self._require_admin(admin, AuditEvent.USER_ROLE_CHANGED)
        user = self._users.get(user_id)
        if user.is_owner and role is not Role.ADMIN:
            raise CalfDeskError("The practice owner stays an administrator.")
        saved = self._users.update(user.with_changes(role=role))
        self._auditor.record(AuditEvent.USER_ROLE_CHANGED, admin, object_type="user", object_id=user_id,
                             detail=f"{user.role.value} -> {role.value}")  # fmt: skip
        return saved

    def deactivate(self, admin: Actor, user_id: int) -> User:
        """Leavers are deactivated, never deleted: the audit keeps pointing at their account (D4)."""
        self._require_admin(admin, AuditEvent.USER_DEACTIVATED)
        user = self._users.get(user_id)
        if user.is_owner:
            raise CalfDeskError("The practice owner's account cannot be deactivated.")
        if user_id == admin.user_id:
            raise CalfDeskError("You cannot deactivate your own account.", hint="Ask another administrator.")
        saved = self._users.update(user.with_changes(active=False))
        if self._keys is not None:
            self._keys.remove(user_key(user.user_name))  # a leaver's password no longer opens the database file
        self._auditor.record(AuditEvent.USER_DEACTIVATED, admin, object_type="user", object_id=user_id)
        return saved

    def reactivate(self, admin: Actor, user_id: int) -> User:
        self._require_admin(admin, AuditEvent.USER_REACTIVATED)
        saved = self._users.update(self._users.get(user_id).with_changes(active=True))
        self._auditor.record(AuditEvent.USER_REACTIVATED, admin, object_type="user", object_id=user_id)
        return saved

    def unlock(self, admin: Actor, user_id: int) -> None:
        """Lift a lockout before its 15 minutes are up."""
        self._require_admin(admin, AuditEvent.USER_UNLOCKED)
        self._users.get(user_id)
        self._users.clear_failed_logins(user_id)
        self._auditor.record(AuditEvent.USER_UNLOCKED, admin, object_type="user", object_id=user_id)

    def recover_owner(self, new_password: str) -> Login:
        """The recovery key opened the database: the practice owner gets ``new_password`` and is logged in
        (their lockout is lifted, since every password was lost).

        Raises:
            ValidationFailed: the new password breaks the policy.
        """
        owner = next((u for u in self._users.all() if u.is_owner), None)
        if owner is None or owner.id is None:
            raise CalfDeskError("This database has no practice owner's account to recover.")
        problems = blocking(password_problems(new_password, user_name=owner.user_name,
                                              display_name=owner.display_name))  # fmt: skip
        if problems:
            raise ValidationFailed(problems)
        saved = self._with_slot(
            owner, new_password, None,
            lambda: self._users.update(
                owner.with_changes(password_hash=hash_password(new_password), must_change_password=False, active=True)
            ),
        )  # fmt: skip
        self._users.clear_failed_logins(owner.id)
        login = self._login(saved)
        self._auditor.record(AuditEvent.PASSWORD_RESET, login.actor, object_type="user", object_id=owner.id,
                             detail="with the recovery key")  # fmt: skip
        self._auditor.record(AuditEvent.LOGIN, login.actor, object_type="user", object_id=owner.id)
        return login

    def issue_recovery_key(self, owner: Actor, password: str) -> str:
        """A new recovery key for the encrypted database, after the owner's password (D6); the earlier
        key stops working. Shown once: it is never stored.

        Raises:
            AuthenticationFailed: the password is wrong. PermissionDenied: not the practice owner.
            CalfDeskError: the database is not one CalfDesk encrypts.
        """
        user = self._users.get(owner.user_id)
        if not user.is_owner:
            self._auditor.record(AuditEvent.RECOVERY_KEY_ISSUED, owner, outcome=Outcome.DENIED, object_type="database")
            raise PermissionDenied("Only the practice owner can make a new recovery key.")
        self._check_password(user, password, "new recovery key")
        if self._keys is None or not self._keys.encrypted:
            raise CalfDeskError("This database has no recovery key: CalfDesk does not encrypt it itself.")
        code = self._keys.issue_recovery_key()
        self._auditor.record(AuditEvent.RECOVERY_KEY_ISSUED, owner, object_type="database", detail="replaced")
        return code

    def needs_password_to_open(self, user: User) -> bool:
        """An active account whose password cannot open the encrypted database at start-up yet (after a
        conversion, or a reactivation): an administrator sets them a temporary password."""
        return (
            self._keys is not None
            and self._keys.encrypted
            and user.active
            and not self._keys.has_slot(user_key(user.user_name))
        )

    # Internals -------------------------------------------------------------------------------------

    def _with_slot(self, user: User, password: str, previous: str | None, save: Callable[[], User]) -> User:
        """Re-wrap the user's key slot for ``password``, then ``save`` the new hash; if the save fails,
        the slot goes back to ``previous`` (or away), so the file and the database never disagree."""
        if self._keys is None or not self._keys.encrypted:
            return save()
        self._keys.set_password(user_key(user.user_name), password)
        try:
            return save()
        except BaseException:
            with contextlib.suppress(CalfDeskError):
                if previous is not None:
                    self._keys.set_password(user_key(user.user_name), previous)
                else:
                    self._keys.remove(user_key(user.user_name))
            raise

    def _check_new_account(self, user_name: str, display_name: str, password: str) -> None:
        problems = account_problems(user_name, display_name)
        problems += blocking(password_problems(password, user_name=user_name, display_name=display_name))
        if not problems and self._users.find_by_name(user_name) is not None:
            problems.append(Problem("user_name", "That user name is taken: choose another."))
        if problems:
            raise ValidationFailed(problems)

    def _check_password(self, user: User, password: str, context: str) -> None:
        """Raise AccountLocked or AuthenticationFailed, counting and auditing a failure (D3)."""
        assert user.id is not None
        user_id = user.id
        now = self._now()
        if len(self._users.failed_logins_since(user.id, _EPOCH)) >= MAX_CONSECUTIVE_FAILURES:
            verify_password(dummy_hash(), password)
            self._failed(user, user.user_name, f"{context}: account locked until an administrator unlocks it")
            raise AccountLocked(
                "This account is locked after too many wrong passwords. An administrator can unlock it."
            )
        horizon = now - FAILURE_WINDOW - LOCK_DURATION
        until = locked_until(self._users.failed_logins_since(user.id, horizon), now)
        if until is not None:
            verify_password(dummy_hash(), password)
            self._failed(user, user.user_name, f"{context}: account locked")
            raise AccountLocked(locked_message())
        if verify_password(user.password_hash, password):
            _unless_read_only(lambda: self._users.clear_failed_logins(user_id))
            return
        _unless_read_only(lambda: self._users.record_failed_login(user_id, now))
        self._failed(user, user.user_name, context)
        if locked_until(self._users.failed_logins_since(user.id, horizon), now) is not None:
            self._auditor.record(AuditEvent.ACCOUNT_LOCKED_OUT, None, outcome=Outcome.FAILURE,
                                 user_name=user.user_name, object_type="user", object_id=user.id)  # fmt: skip
            raise AccountLocked(locked_message())
        raise AuthenticationFailed(WRONG_CREDENTIALS)

    def _failed(self, user: User | None, typed_name: str, detail: str) -> None:
        self._auditor.record(
            AuditEvent.LOGIN_FAILED, None, outcome=Outcome.FAILURE, user_name=typed_name,
            object_type="user", object_id=user.id if user else "", detail=detail,
        )  # fmt: skip

    def _login(self, user: User) -> Login:
        assert user.id is not None
        actor = Actor(user.id, user.user_name, user.role, self._auditor.workstation)
        return Login(actor, user, self._now())

    def _require_admin(self, admin: Actor, event: AuditEvent) -> None:
        try:
            require(admin, Action.MANAGE_USERS)
        except PermissionDenied:
            self._auditor.record(event, admin, outcome=Outcome.DENIED, object_type="user")
            raise


def _unless_read_only(write: Callable[[], None]) -> None:
    """Lockout bookkeeping that a read-only database cannot take: the login itself still counts."""
    with contextlib.suppress(ReadOnlyDatabase):  # no count can grow, but nor can anything else change
        write()


def locked_message() -> str:
    """What a locked account is told (also before an encrypted database is open, db.vault)."""
    minutes = int(LOCK_DURATION.total_seconds() // 60)
    return (
        f"Too many wrong passwords: this account is locked for {minutes} minutes. "
        "An administrator can unlock it sooner."
    )
