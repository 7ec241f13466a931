"""Logins, lockout, password changes and account administration, on real databases (both backends),
with a clock the test moves. Every use case is checked for the audit entry it must leave (F1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import argon2
import pytest

from tests.clock import Clock
from workstation.audit.auditor import Auditor
from workstation.audit.chain import verify_chain
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import AccountLocked, AuthenticationFailed, CalfDeskError, PermissionDenied, ValidationFailed
from workstation.ports import AuditQuery, ClinicStore
from workstation.security.accounts import Role
from workstation.services.accounts import WRONG_CREDENTIALS, Accounts, Login

OWNER_PASSWORD = "kettle orbit saffron lane"
TEMPORARY = "violet harbour pencil drum"
OWN_CHOICE = "seven quiet otters in a row"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(store: ClinicStore, clock: Clock) -> Accounts:
    return Accounts(store.users, Auditor(store.audit, "room-2", clock))


@pytest.fixture
def owner(accounts: Accounts) -> Login:
    return accounts.create_owner("sam.okafor", "Sam Okafor", OWNER_PASSWORD)


def _events(store: ClinicStore) -> list[tuple[AuditEvent, Outcome]]:
    return [(e.event, e.outcome) for e in reversed(store.audit.query(AuditQuery()))]


def test_a_new_database_asks_for_its_owner_who_is_an_administrator(
    accounts: Accounts, store: ClinicStore
) -> None:
    assert accounts.needs_owner()
    login = accounts.create_owner("  sam.okafor ", "Sam Okafor", OWNER_PASSWORD)
    assert (login.user.user_name, login.user.role, login.user.is_owner) == ("sam.okafor", Role.ADMIN, True)
    assert login.actor.workstation == "room-2"
    assert not accounts.needs_owner()
    assert _events(store) == [(AuditEvent.USER_CREATED, Outcome.SUCCESS), (AuditEvent.LOGIN, Outcome.SUCCESS)]
    with pytest.raises(CalfDeskError, match="already has"):
        accounts.create_owner("someone.else", "Someone Else", OWNER_PASSWORD)


def test_the_password_policy_applies_to_the_owner(accounts: Accounts) -> None:
    with pytest.raises(ValidationFailed) as refused:
        accounts.create_owner("sam.okafor", "Sam Okafor", "short one")
    assert {p.field for p in refused.value.problems} == {"password"}
    assert accounts.needs_owner()  # nothing was created


def test_the_hash_is_argon2id_never_the_password(owner: Login, store: ClinicStore) -> None:
    stored = store.users.get(owner.actor.user_id).password_hash
    assert stored.startswith("$argon2id$") and OWNER_PASSWORD not in stored
    parameters = argon2.extract_parameters(stored)
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (65536, 3, 4)


def test_wrong_password_and_unknown_name_read_the_same_and_are_audited(
    accounts: Accounts, owner: Login, store: ClinicStore
) -> None:
    for name, password in (("sam.okafor", "not the password at all"), ("nobody.here", OWNER_PASSWORD)):
        with pytest.raises(AuthenticationFailed) as refused:
            accounts.log_in(name, password)
        assert str(refused.value) == WRONG_CREDENTIALS
    failures = store.audit.query(AuditQuery(event=AuditEvent.LOGIN_FAILED))
    assert [(e.user_name, e.outcome) for e in reversed(failures)] == [
        ("sam.okafor", Outcome.FAILURE),
        ("nobody.here", Outcome.FAILURE),
    ]


def test_user_names_are_found_whatever_their_case(accounts: Accounts, owner: Login) -> None:
    assert accounts.log_in("SAM.Okafor", OWNER_PASSWORD).actor.user_id == owner.actor.user_id


def test_five_failures_in_fifteen_minutes_lock_the_account_for_fifteen_minutes(
    accounts: Accounts, owner: Login, clock: Clock, store: ClinicStore
) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed) as refused:
            accounts.log_in("sam.okafor", "wrong wrong wrong wrong")
        assert not isinstance(refused.value, AccountLocked)
        clock.advance(minutes=2)
    with pytest.raises(AccountLocked):
        accounts.log_in("sam.okafor", "wrong wrong wrong wrong")
    assert store.audit.query(AuditQuery(event=AuditEvent.ACCOUNT_LOCKED_OUT))
    clock.advance(minutes=14)
    with pytest.raises(AccountLocked):
        accounts.log_in("sam.okafor", OWNER_PASSWORD)  # the right password does not open a locked account
    clock.advance(minutes=1, seconds=1)
    assert accounts.log_in("sam.okafor", OWNER_PASSWORD).actor.user_id == owner.actor.user_id


def test_failures_spread_over_more_than_fifteen_minutes_never_lock(
    accounts: Accounts, owner: Login, clock: Clock
) -> None:
    for _ in range(6):
        with pytest.raises(AuthenticationFailed) as refused:
            accounts.log_in("sam.okafor", "wrong wrong wrong wrong")
        assert not isinstance(refused.value, AccountLocked)
        clock.advance(minutes=4)


def test_an_administrator_unlocks_an_account_sooner(accounts: Accounts, owner: Login, clock: Clock) -> None:
    colleague = accounts.create_user(owner.actor, "ana.lima", "Ana Lima", Role.CLINICIAN, TEMPORARY)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            accounts.log_in("ana.lima", "wrong wrong wrong wrong")
    with pytest.raises(AccountLocked):
        accounts.log_in("ana.lima", TEMPORARY)
    assert colleague.id is not None
    accounts.unlock(owner.actor, colleague.id)
    assert accounts.log_in("ana.lima", TEMPORARY).must_change_password


def test_a_new_user_must_choose_their_own_password(accounts: Accounts, owner: Login, store: ClinicStore) -> None:
    accounts.create_user(owner.actor, "ana.lima", "Ana Lima", Role.RECEPTION, TEMPORARY)
    first = accounts.log_in("ana.lima", TEMPORARY)
    assert first.must_change_password and first.actor.role is Role.RECEPTION
    with pytest.raises(ValidationFailed):
        accounts.change_password(first.actor, TEMPORARY, TEMPORARY)  # the same one again
    with pytest.raises(AuthenticationFailed):
        accounts.change_password(first.actor, "not the temporary one", OWN_CHOICE)
    accounts.change_password(first.actor, TEMPORARY, OWN_CHOICE)
    assert not accounts.log_in("ana.lima", OWN_CHOICE).must_change_password
    with pytest.raises(AuthenticationFailed):
        accounts.log_in("ana.lima", TEMPORARY)


def test_a_reset_password_must_be_changed_at_the_next_login(accounts: Accounts, owner: Login) -> None:
    user = accounts.create_user(owner.actor, "ana.lima", "Ana Lima", Role.CLINICIAN, TEMPORARY)
    accounts.change_password(accounts.log_in("ana.lima", TEMPORARY).actor, TEMPORARY, OWN_CHOICE)
    assert user.id is not None
    accounts.reset_password(owner.actor, user.id, "marble window fern seventeen")
    assert accounts.log_in("ana.lima", "marble window fern seventeen").must_change_password


def test_leavers_are_deactivated_never_deleted(accounts: Accounts, owner: Login, store: ClinicStore) -> None:
    user = accounts.create_user(owner.actor, "ana.lima", "Ana Lima", Role.CLINICIAN, TEMPORARY)
    assert user.id is not None
    accounts.deactivate(owner.actor, user.id)
    with pytest.raises(AuthenticationFailed) as refused:
        accounts.log_in("ana.lima", TEMPORARY)
    assert str(refused.value) == WRONG_CREDENTIALS
    assert not store.users.get(user.id).active  # still there, for the audit trail
    accounts.reactivate(owner.actor, user.id)
    assert accounts.log_in("ana.lima", TEMPORARY).actor.user_id == user.id
    assert owner.actor.user_id is not None
    with pytest.raises(CalfDeskError, match="owner"):
        accounts.deactivate(owner.actor, owner.actor.user_id)


def test_only_administrators_manage_accounts(accounts: Accounts, owner: Login, store: ClinicStore) -> None:
    accounts.create_user(owner.actor, "ana.lima", "Ana Lima", Role.CLINICIAN, TEMPORARY)
    clinician = accounts.log_in("ana.lima", TEMPORARY).actor
    with pytest.raises(PermissionDenied):
        accounts.create_user(clinician, "rex.tan", "Rex Tan", Role.ADMIN, TEMPORARY)
    with pytest.raises(PermissionDenied):
        accounts.users(clinician)
    denied = store.audit.query(AuditQuery(user_id=clinician.user_id, event=AuditEvent.USER_CREATED))
    assert denied and all(e.outcome is Outcome.DENIED for e in denied)
    assert store.users.find_by_name("rex.tan") is None


def test_roles_change_and_the_owner_stays_an_administrator(accounts: Accounts, owner: Login) -> None:
    user = accounts.create_user(owner.actor, "ana.lima", "Ana Lima", Role.CLINICIAN, TEMPORARY)
    assert user.id is not None and owner.actor.user_id is not None
    assert accounts.set_role(owner.actor, user.id, Role.CLUB).role is Role.CLUB
    assert accounts.log_in("ana.lima", TEMPORARY).actor.role is Role.CLUB
    with pytest.raises(CalfDeskError, match="stays an administrator"):
        accounts.set_role(owner.actor, owner.actor.user_id, Role.RECEPTION)


def test_a_hash_made_with_weaker_parameters_is_renewed_at_login(
    accounts: Accounts, owner: Login, store: ClinicStore
) -> None:
    weak = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(OWNER_PASSWORD)
    user = store.users.get(owner.actor.user_id)
    store.users.update(user.with_changes(password_hash=weak))
    accounts.log_in("sam.okafor", OWNER_PASSWORD)
    renewed = store.users.get(owner.actor.user_id).password_hash
    assert renewed != weak and argon2.extract_parameters(renewed).memory_cost == 65536


def test_reauthentication_and_the_session_lock_are_audited(
    accounts: Accounts, owner: Login, store: ClinicStore
) -> None:
    accounts.lock_session(owner.actor, idle=True)
    with pytest.raises(AuthenticationFailed):
        accounts.unlock_session(owner.actor, "wrong wrong wrong wrong")
    accounts.unlock_session(owner.actor, OWNER_PASSWORD)
    accounts.reauthenticate(owner.actor, OWNER_PASSWORD)
    accounts.log_out(owner.actor)
    assert _events(store)[2:] == [
        (AuditEvent.SESSION_LOCKED, Outcome.SUCCESS),
        (AuditEvent.LOGIN_FAILED, Outcome.FAILURE),
        (AuditEvent.SESSION_UNLOCKED, Outcome.SUCCESS),
        (AuditEvent.REAUTHENTICATED, Outcome.SUCCESS),
        (AuditEvent.LOGOUT, Outcome.SUCCESS),
    ]


def test_every_entry_names_who_where_and_when_and_the_chain_holds(
    accounts: Accounts, owner: Login, store: ClinicStore, clock: Clock
) -> None:
    with pytest.raises(AuthenticationFailed):
        accounts.log_in("sam.okafor", "wrong wrong wrong wrong")
    entries = list(store.audit.in_order())
    assert all(e.workstation == "room-2" and e.occurred_at == clock.now for e in entries)
    assert all(e.user_name == "sam.okafor" for e in entries)
    assert verify_chain(iter(entries)).ok


@pytest.fixture
def many_failures(store: ClinicStore, owner: Login, clock: Clock) -> Iterator[None]:
    """99 earlier failures on record, each an hour apart (so no 15-minute lock is in force)."""
    for hour in range(99):
        store.users.record_failed_login(owner.actor.user_id, clock.now - timedelta(hours=100 - hour))
    yield


def test_one_hundred_failures_in_a_row_lock_until_an_administrator_unlocks(
    accounts: Accounts, owner: Login, many_failures: None
) -> None:
    with pytest.raises(AuthenticationFailed) as hundredth:
        accounts.log_in("sam.okafor", "wrong wrong wrong wrong")
    assert not isinstance(hundredth.value, AccountLocked)
    with pytest.raises(AccountLocked, match="administrator"):
        accounts.log_in("sam.okafor", OWNER_PASSWORD)


def test_only_an_administrator_changes_the_idle_lock_and_it_is_audited(
    accounts: Accounts, owner: Login, store: ClinicStore, clock: Clock
) -> None:
    from workstation.services.settings import SecuritySettings

    settings = SecuritySettings(store.settings, Auditor(store.audit, "room-2", clock))
    assert settings.idle_lock_minutes() == 10  # the default (D5)
    settings.set_idle_lock_minutes(owner.actor, 5)
    assert settings.idle_lock_minutes() == 5
    for minutes in (0, 31):
        with pytest.raises(ValidationFailed):
            settings.set_idle_lock_minutes(owner.actor, minutes)
    accounts.create_user(owner.actor, "ana.lima", "Ana Lima", Role.CLINICIAN, TEMPORARY)
    clinician = accounts.log_in("ana.lima", TEMPORARY).actor
    with pytest.raises(PermissionDenied):
        settings.set_idle_lock_minutes(clinician, 30)
    assert settings.idle_lock_minutes() == 5
    changes = store.audit.query(AuditQuery(event=AuditEvent.SETTING_CHANGED))
    assert [(e.outcome, e.detail) for e in reversed(changes)] == [
        (Outcome.SUCCESS, "10 -> 5 minutes"),
        (Outcome.DENIED, ""),
    ]
