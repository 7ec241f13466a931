"""Drafts: one per (author, form, record), replaced on every save, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

import db
from workstation.errors import RecordNotFound
from workstation.ports import Draft
from workstation.security.accounts import Role, User

_T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _author(store: db.Store, name: str) -> int:
    user = store.users.add(User(name, name.title(), Role.CLINICIAN, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"))
    assert user.id is not None
    return user.id


def test_save_inserts_then_replaces_the_same_form_of_the_same_record(store: db.Store) -> None:
    sam = _author(store, "sam")
    first = store.drafts.save(Draft(sam, "patient", "new", '{"given_name": "Zoë"}', _T0))
    assert first.id is not None
    later = _T0.astimezone(timezone(timedelta(hours=1))) + timedelta(minutes=2)
    again = store.drafts.save(Draft(sam, "patient", "new", '{"given_name": "Zoë", "family_name": "Ng"}', later))
    assert again.id == first.id
    assert store.drafts.for_user(sam) == [again]
    assert again.payload == '{"given_name": "Zoë", "family_name": "Ng"}'
    assert again.saved_at == later and again.saved_at.utcoffset() == timedelta(0)


def test_drafts_are_kept_apart_by_author_kind_and_record_newest_first(store: db.Store) -> None:
    sam, kim = _author(store, "sam"), _author(store, "kim")
    a = store.drafts.save(Draft(sam, "patient", "12", "{}", _T0))
    b = store.drafts.save(Draft(sam, "episode", "12", "{}", _T0 + timedelta(minutes=1)))
    c = store.drafts.save(Draft(sam, "patient", "new", "{}", _T0 + timedelta(minutes=2)))
    d = store.drafts.save(Draft(kim, "patient", "12", "{}", _T0))
    assert len({a.id, b.id, c.id, d.id}) == 4
    assert store.drafts.for_user(sam) == [c, b, a]
    assert store.drafts.for_user(kim) == [d]


def test_discard_removes_one_draft_and_is_harmless_twice(store: db.Store) -> None:
    sam = _author(store, "sam")
    kept = store.drafts.save(Draft(sam, "patient", "1", "{}", _T0))
    gone = store.drafts.save(Draft(sam, "patient", "2", "{}", _T0))
    store.drafts.discard(gone.id or 0)
    store.drafts.discard(gone.id or 0)
    assert store.drafts.for_user(sam) == [kept]


def test_a_draft_for_an_unknown_account_is_refused(store: db.Store) -> None:
    with pytest.raises(RecordNotFound):
        store.drafts.save(Draft(404, "patient", "new", "{}", _T0))
    assert store.drafts.for_user(404) == []


def test_a_large_payload_round_trips(store: db.Store) -> None:
    sam = _author(store, "sam")
    payload = '{"notes": "' + "Nguyễn Thị Minh, 李小龍. " * 20_000 + '"}'
    store.drafts.save(Draft(sam, "episode", "3", payload, _T0))
    assert store.drafts.for_user(sam)[0].payload == payload
