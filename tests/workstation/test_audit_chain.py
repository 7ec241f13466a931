"""The audit hash chain (RELIABILITY.md F2): every kind of tampering is found, and found in the right place.

Chains are prefixes of one 10,000-entry chain built once (a prefix of a sound chain is itself sound), so
each example costs only its tampering and its verification.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.audit.chain import GENESIS_HASH, canonical, chain_hash, sealed, verify_chain
from workstation.audit.records import AuditEntry, AuditEvent, Outcome

MAX_ENTRIES = 10_000
_START = datetime(2026, 11, 22, 8, 30, tzinfo=UTC)
_EVENTS = list(AuditEvent)
_OUTCOMES = list(Outcome)
_FIELDS = [field.name for field in dataclasses.fields(AuditEntry)]
_chains = settings(max_examples=60, deadline=None)


def _entry(n: int) -> AuditEntry:
    """The n-th entry of the test log: varied, and never equal to another (its time and ids differ)."""
    return AuditEntry(
        event=_EVENTS[n % len(_EVENTS)],
        outcome=_OUTCOMES[n % len(_OUTCOMES)],
        occurred_at=_START + timedelta(seconds=7 * n, microseconds=n % 997),
        user_id=None if n % 11 == 0 else n % 5 + 1,
        user_name="" if n % 11 == 0 else f"clinician{n % 5}",
        role=["admin", "clinician", "club", "reception", ""][n % 5],
        workstation=f"ROOM-{n % 3}",
        patient_id=None if n % 4 == 0 else n % 613,
        object_type="patient" if n % 4 else "",
        object_id=str(n % 613) if n % 4 else "",
        detail="" if n % 6 else f"count={n}",
    )


def _seal_all(entries: Iterator[AuditEntry], previous: str = GENESIS_HASH, first: int = 1) -> Iterator[AuditEntry]:
    for sequence, entry in enumerate(entries, start=first):
        stored = sealed(entry, sequence, previous)
        previous = stored.entry_hash
        yield stored


@cache
def _full_chain() -> tuple[AuditEntry, ...]:
    return tuple(_seal_all(_entry(n) for n in range(1, MAX_ENTRIES + 1)))


def _chain(n: int) -> list[AuditEntry]:
    return list(_full_chain()[:n])


def _head(chain: list[AuditEntry]) -> tuple[int, str]:
    last = chain[-1]
    assert last.sequence is not None
    return last.sequence, last.entry_hash


_sizes = st.integers(min_value=1, max_value=MAX_ENTRIES)
_at_least_two = st.integers(min_value=2, max_value=MAX_ENTRIES)


# --- untouched logs -----------------------------------------------------------------------------------


@_chains
@given(n=_sizes, data=st.data())
def test_an_untouched_chain_always_verifies(n: int, data: st.DataObject) -> None:
    chain = _chain(n)
    report = verify_chain(chain)
    assert (report.ok, report.checked, report.first_broken, report.reason) == (True, n, None, "")
    assert report.head == _head(chain)
    anchored_at = data.draw(st.integers(min_value=0, max_value=n), label="anchor")
    anchor = (0, GENESIS_HASH) if anchored_at == 0 else _head(chain[:anchored_at])
    assert verify_chain(iter(chain), anchor=anchor).ok  # any earlier anchor of the same log agrees


def test_an_empty_log_verifies_and_its_head_is_the_genesis_hash() -> None:
    report = verify_chain([])
    assert (report.ok, report.checked, report.head) == (True, 0, (0, GENESIS_HASH))
    assert verify_chain([], anchor=(0, GENESIS_HASH)).ok


def test_the_same_moment_in_another_time_zone_is_not_a_change() -> None:
    entry = _chain(1)[0]
    elsewhere = entry.occurred_at.astimezone(timezone(timedelta(hours=10)))
    assert verify_chain([dataclasses.replace(entry, occurred_at=elsewhere)]).ok


# --- edits --------------------------------------------------------------------------------------------


def _different(field: str, current: Any, data: st.DataObject) -> Any:
    """A value for ``field`` that is not ``current``."""
    if field == "event":
        # Including text no CalfDesk writes: the log reader passes such a value on as it is.
        return data.draw(st.sampled_from([*_EVENTS, cast(AuditEvent, "patient.moved")]).filter(lambda v: v != current))
    if field == "outcome":
        return data.draw(st.sampled_from(_OUTCOMES).filter(lambda v: v != current))
    if field == "occurred_at":
        shift = data.draw(st.integers(min_value=1, max_value=10**12) | st.integers(-(10**12), -1))
        return current + timedelta(microseconds=shift)
    if field in ("user_id", "patient_id", "sequence"):
        numbers = st.none() | st.integers(min_value=-3, max_value=MAX_ENTRIES + 3)
        return data.draw(numbers.filter(lambda v: v != current))
    hexes = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
    return data.draw((st.text(max_size=30) | hexes).filter(lambda v: v != current))


@_chains
@given(n=_sizes, data=st.data())
def test_an_edit_to_any_field_is_found_at_that_entry(n: int, data: st.DataObject) -> None:
    chain = _chain(n)
    k = data.draw(st.integers(min_value=1, max_value=n), label="edited entry")
    field = data.draw(st.sampled_from(_FIELDS), label="field")
    original = chain[k - 1]
    chain[k - 1] = dataclasses.replace(original, **{field: _different(field, getattr(original, field), data)})
    report = verify_chain(chain)
    assert not report.ok
    assert report.first_broken == k, report.reason
    assert report.checked == k - 1
    assert report.head == ((0, GENESIS_HASH) if k == 1 else _head(chain[: k - 1]))


# --- deletions ----------------------------------------------------------------------------------------


def _renumbered(entries: list[AuditEntry], by: int) -> list[AuditEntry]:
    """The entries with their sequence moved by ``by`` and their stored hashes left as they were."""
    return [dataclasses.replace(e, sequence=(e.sequence or 0) + by) for e in entries]


@_chains
@given(n=_sizes, renumber=st.booleans(), data=st.data())
def test_a_deleted_entry_is_found_where_it_was(n: int, renumber: bool, data: st.DataObject) -> None:
    chain = _chain(n)
    anchor = _head(chain)
    k = data.draw(st.integers(min_value=1, max_value=n), label="deleted entry")
    rest = chain[k:]
    tampered = chain[: k - 1] + (_renumbered(rest, -1) if renumber else rest)
    report = verify_chain(tampered, anchor=anchor)
    assert not report.ok
    assert report.first_broken == k, report.reason
    if k < n:  # inside the log, the chain alone shows it
        assert verify_chain(tampered).first_broken == k


# --- insertions ---------------------------------------------------------------------------------------


@_chains
@given(n=_sizes, kind=st.sampled_from(["sealed", "sealed, rest renumbered", "made up"]), data=st.data())
def test_a_forged_entry_inserted_mid_chain_is_found(n: int, kind: str, data: st.DataObject) -> None:
    chain = _chain(n)
    k = data.draw(st.integers(min_value=1, max_value=n), label="forged position")
    previous = GENESIS_HASH if k == 1 else chain[k - 2].entry_hash
    fake = dataclasses.replace(_entry(MAX_ENTRIES + 1), detail="forged")
    if kind == "made up":
        digits = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
        forged = dataclasses.replace(
            fake, sequence=k, previous_hash=data.draw(digits), entry_hash=data.draw(digits)
        )
    else:  # correctly hashed onto the entry before it: only the entry after it can tell
        forged = sealed(fake, k, previous)
    rest = chain[k - 1 :]
    tampered = [*chain[: k - 1], forged, *(_renumbered(rest, +1) if "renumbered" in kind else rest)]
    report = verify_chain(tampered)
    assert not report.ok
    assert report.first_broken == k, report.reason


# --- reordering ---------------------------------------------------------------------------------------


@_chains
@given(n=_at_least_two, keep_numbers=st.booleans(), data=st.data())
def test_two_swapped_entries_are_found_at_the_first_of_them(n: int, keep_numbers: bool, data: st.DataObject) -> None:
    chain = _chain(n)
    i = data.draw(st.integers(min_value=1, max_value=n - 1), label="first")
    j = data.draw(st.integers(min_value=i + 1, max_value=n), label="second")
    first, second = chain[i - 1], chain[j - 1]
    if keep_numbers:  # the contents move, the sequence numbers stay in place
        first, second = (dataclasses.replace(first, sequence=j), dataclasses.replace(second, sequence=i))
    chain[i - 1], chain[j - 1] = second, first
    report = verify_chain(chain)
    assert not report.ok
    assert report.first_broken == i, report.reason


# --- the end of the log, against an anchor ------------------------------------------------------------


@_chains
@given(n=_sizes, data=st.data())
def test_truncation_is_found_against_the_anchor(n: int, data: st.DataObject) -> None:
    chain = _chain(n)
    anchored_at = data.draw(st.integers(min_value=1, max_value=n), label="anchor")
    kept = data.draw(st.integers(min_value=0, max_value=anchored_at - 1), label="kept")
    anchor = _head(chain[:anchored_at])
    assert verify_chain(chain[:kept]).ok  # alone, a shortened log looks sound: hence the anchor
    report = verify_chain(chain[:kept], anchor=anchor)
    assert not report.ok
    assert report.first_broken == kept + 1, report.reason
    assert report.checked == kept


@_chains
@given(n=_sizes, data=st.data())
def test_a_rewritten_tail_is_found_at_the_anchored_entry(n: int, data: st.DataObject) -> None:
    chain = _chain(n)
    anchored_at = data.draw(st.integers(min_value=1, max_value=n), label="anchor")
    kept = data.draw(st.integers(min_value=0, max_value=anchored_at - 1), label="kept")
    longer = data.draw(st.integers(min_value=0, max_value=20), label="extra")
    previous = GENESIS_HASH if kept == 0 else chain[kept - 1].entry_hash
    replacements = (dataclasses.replace(_entry(n), detail="rewritten") for n in range(anchored_at - kept + longer))
    tampered = chain[:kept] + list(_seal_all(replacements, previous, first=kept + 1))
    assert verify_chain(tampered).ok  # self-consistent: only the anchor can tell
    report = verify_chain(tampered, anchor=_head(chain[:anchored_at]))
    assert not report.ok
    assert report.first_broken == anchored_at, report.reason


def test_an_anchor_that_cannot_belong_to_any_log_is_refused() -> None:
    with pytest.raises(ValueError):
        verify_chain([], anchor=(0, "f" * 64))
    with pytest.raises(ValueError):
        verify_chain([], anchor=(-1, GENESIS_HASH))


# --- the hash itself ----------------------------------------------------------------------------------


def test_canonical_form_is_sorted_compact_utf8_json_of_every_field_but_the_hashes() -> None:
    entry = dataclasses.replace(
        _entry(3),
        user_name="Zoë Ødegård",
        occurred_at=datetime(2026, 11, 22, 19, 5, 1, 42, tzinfo=timezone(timedelta(hours=11))),
        sequence=12,
        previous_hash="a" * 64,
        entry_hash="b" * 64,
    )
    text = canonical(entry).decode("utf-8")
    fields = json.loads(text)
    assert list(fields) == sorted(fields)
    assert set(fields) == set(_FIELDS) - {"previous_hash", "entry_hash"}
    assert " " not in text.replace("Zoë Ødegård", "")
    assert "Zoë Ødegård" in text  # not \\u-escaped
    assert fields["occurred_at"] == "2026-11-22T08:05:01.000042+00:00"
    assert fields["sequence"] == 12
    assert chain_hash("a" * 64, entry) == hashlib.sha256(("a" * 64).encode() + canonical(entry)).hexdigest()


def test_the_hash_of_a_known_entry_never_changes() -> None:
    # A change to the canonical form would make every log ever written fail to verify: pin it.
    entry = AuditEntry(
        event=AuditEvent.PATIENT_VIEWED,
        outcome=Outcome.SUCCESS,
        occurred_at=datetime(2026, 11, 22, 8, 30, 0, 123456, tzinfo=UTC),
        user_id=7,
        user_name="Zoë",
        role="clinician",
        workstation="ROOM-1",
        patient_id=42,
        object_type="patient",
        object_id="42",
    )
    stored = sealed(entry, 1, GENESIS_HASH)
    assert canonical(stored) == (
        '{"detail":"","event":"patient.viewed","object_id":"42","object_type":"patient",'
        '"occurred_at":"2026-11-22T08:30:00.123456+00:00","outcome":"success","patient_id":42,'
        '"role":"clinician","sequence":1,"user_id":7,"user_name":"Zoë","workstation":"ROOM-1"}'
    ).encode()
    assert stored.entry_hash == "57bc9bf2a7883c102aced806cd3b56a59da5a6108e70103f54a9255b5970c907"


def test_a_naive_time_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError):
        sealed(dataclasses.replace(_entry(1), occurred_at=datetime(2026, 1, 1)), 1, GENESIS_HASH)


def test_verification_streams_in_constant_memory() -> None:
    def lazily(count: int) -> Iterator[AuditEntry]:
        return _seal_all(_entry(n) for n in range(1, count + 1))

    tracemalloc.start()
    try:
        verify_chain(lazily(1_000))
        _, small = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        report = verify_chain(lazily(10_000))
        _, large = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok and report.checked == 10_000
    assert large < small + 64 * 1024  # ten times the entries, no more memory
