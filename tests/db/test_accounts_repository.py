"""Accounts and failed logins on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

import db
from tests import dbkit
from workstation.errors import CalfDeskError, ConflictError, RecordNotFound
from workstation.security.accounts import Role, User

_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
_T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _user(name: str = "SamO", role: Role = Role.CLINICIAN, **changes: object) -> User:
    return User(name, f"{name} (display)", role, _HASH).with_changes(**changes)


def test_an_account_round_trips_and_is_found_whatever_the_case(store: db.Store) -> None:
    saved = store.users.add(_user("Zoë.Ødegård", Role.ADMIN, is_owner=True, must_change_password=True))
    assert saved.id is not None and saved.version == 1
    assert saved.created_at is not None and saved.created_at.tzinfo is not None
    assert store.users.get(saved.id) == saved
    assert (saved.user_name, saved.role, saved.is_owner, saved.must_change_password, saved.active) == (
        "Zoë.Ødegård",
        Role.ADMIN,
        True,
        True,
        True,
    )
    assert store.users.find_by_name("zoë.ødegård") == saved
    assert store.users.find_by_name("  ZOE.ODEGARD ") == saved  # trimmed, case- and accent-folded
    assert store.users.find_by_name("zoe") is None
    assert store.users.count() == 1


def test_a_taken_name_is_refused_in_any_case(store: db.Store) -> None:
    store.users.add(_user("SamO"))
    with pytest.raises(CalfDeskError) as raised:
        store.users.add(_user("samo", Role.RECEPTION))
    assert raised.value.message == "That user name is taken."
    assert raised.value.hint
    assert store.users.count() == 1


def test_renaming_onto_another_account_is_refused(store: db.Store) -> None:
    store.users.add(_user("SamO"))
    kim = store.users.add(_user("Kim"))
    with pytest.raises(CalfDeskError, match="taken"):
        store.users.update(kim.with_changes(user_name="SAMO"))
    renamed = store.users.update(kim.with_changes(user_name="KimB"))
    assert store.users.find_by_name("kimb") == renamed
    assert store.users.find_by_name("kim") is None


def test_update_raises_the_version_and_refuses_a_stale_one(store: db.Store) -> None:
    saved = store.users.add(_user())
    promoted = store.users.update(saved.with_changes(role=Role.ADMIN))
    assert (promoted.version, promoted.role) == (2, Role.ADMIN)
    with pytest.raises(ConflictError) as raised:
        store.users.update(saved.with_changes(display_name="Sam O'Neill"))
    assert raised.value.current_version == 2
    assert store.users.get(saved.id or 0) == promoted  # nothing overwritten


def test_deactivating_keeps_the_row_and_lists_active_accounts_first(store: db.Store) -> None:
    for name in ("bea", "Adam", "Cleo"):
        store.users.add(_user(name))
    adam = store.users.find_by_name("adam")
    assert adam is not None
    gone = store.users.update(adam.with_changes(active=False))
    assert store.users.count() == 3
    assert store.users.get(adam.id or 0) == gone and not gone.active
    assert [u.user_name for u in store.users.all()] == ["bea", "Cleo", "Adam"]


def test_missing_accounts_are_a_clear_error(store: db.Store) -> None:
    with pytest.raises(RecordNotFound):
        store.users.get(999)
    with pytest.raises(RecordNotFound):
        store.users.update(_user(id=999, version=1))
    with pytest.raises(RecordNotFound):
        store.users.record_failed_login(999, _T0)


def test_failed_logins_are_recorded_counted_since_a_time_and_cleared(store: db.Store) -> None:
    sam = store.users.add(_user("SamO"))
    kim = store.users.add(_user("Kim"))
    sydney = timezone(timedelta(hours=11))
    moments = [_T0 + timedelta(minutes=m) for m in (0, 5, 10, 14)]
    for moment in reversed(moments):
        store.users.record_failed_login(sam.id or 0, moment.astimezone(sydney))  # any zone, stored as UTC
    store.users.record_failed_login(kim.id or 0, _T0)
    assert store.users.failed_logins_since(sam.id or 0, _T0) == moments  # oldest first, inclusive
    assert store.users.failed_logins_since(sam.id or 0, moments[1] + timedelta(microseconds=1)) == moments[2:]
    assert all(m.tzinfo is not None and m.utcoffset() == timedelta(0) for m in moments)
    store.users.clear_failed_logins(sam.id or 0)
    assert store.users.failed_logins_since(sam.id or 0, _T0 - timedelta(days=1)) == []
    assert store.users.failed_logins_since(kim.id or 0, _T0) == [_T0]  # another account's are untouched


def test_two_workstations_share_one_failure_count(database_url: str) -> None:
    first, second = dbkit.open_store(database_url), dbkit.open_store(database_url)
    try:
        sam = first.users.add(_user())
        first.users.record_failed_login(sam.id or 0, _T0)
        second.users.record_failed_login(sam.id or 0, _T0 + timedelta(seconds=1))
        assert len(first.users.failed_logins_since(sam.id or 0, _T0)) == 2
    finally:
        first.close()
        second.close()
