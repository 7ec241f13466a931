"""Tamper evidence for the audit log (RELIABILITY.md F2): every entry's hash covers the one before it.

``h_n = SHA-256(h_{n-1} || canonical(entry_n))`` with ``h_0 = GENESIS_HASH``. Changing, removing,
inserting or reordering any entry breaks the chain at that point and at every later one. Cutting entries
off the end leaves a shorter chain that is still internally sound, so that is caught only against an
*anchor*: a (sequence, hash) pair kept outside the database, such as the one written beside each backup.

Pure Python: no database, no clock. Verification reads one entry at a time and keeps a few hashes, so a
log of any length is checked in constant memory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC

from workstation.audit.records import AuditEntry

GENESIS_HASH = "0" * 64  # what the first entry links to

# One encoder reused for every entry: json.dumps() with options builds a new encoder on each call,
# which is a measurable share of verifying a million entries.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(entry: AuditEntry) -> bytes:
    """The bytes an entry's hash covers: every field but the two hashes, as compact sorted-key JSON.

    ``occurred_at`` is written in UTC with microseconds, so the same moment gives the same bytes
    whichever time zone it was recorded or read back in.

    Raises:
        ValueError: ``occurred_at`` has no time zone (its moment would be ambiguous).
    """
    moment = entry.occurred_at
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an audit entry's occurred_at must be timezone-aware")
    fields = {
        "detail": entry.detail,
        "event": str(entry.event),
        "object_id": entry.object_id,
        "object_type": entry.object_type,
        "occurred_at": moment.astimezone(UTC).isoformat(timespec="microseconds"),
        "outcome": str(entry.outcome),
        "patient_id": entry.patient_id,
        "role": entry.role,
        "sequence": entry.sequence,
        "user_id": entry.user_id,
        "user_name": entry.user_name,
        "workstation": entry.workstation,
    }
    return _ENCODER.encode(fields).encode("utf-8")


def chain_hash(previous_hash: str, entry: AuditEntry) -> str:
    """Hex SHA-256 of the previous entry's hash (as ASCII) followed by ``canonical(entry)``."""
    digest = hashlib.sha256(previous_hash.encode("ascii"))
    digest.update(canonical(entry))
    return digest.hexdigest()


def sealed(entry: AuditEntry, sequence: int, previous_hash: str) -> AuditEntry:
    """``entry`` numbered ``sequence`` and linked after ``previous_hash``, with its own hash set.

    ``occurred_at`` comes back in UTC, as the log stores and returns it.
    """
    if sequence < 1:
        raise ValueError("audit sequence numbers start at 1")
    staged = replace(
        entry,
        occurred_at=entry.occurred_at.astimezone(UTC) if entry.occurred_at.tzinfo else entry.occurred_at,
        sequence=sequence,
        previous_hash=previous_hash,
        entry_hash="",
    )
    return replace(staged, entry_hash=chain_hash(previous_hash, staged))


@dataclass(frozen=True)
class ChainReport:
    """What verifying a log found.

    Attributes:
        ok: True when every entry checked out (and matched the anchor, if one was given).
        checked: entries that verified before the first problem (all of them when ``ok``).
        first_broken: the sequence number of the first bad entry, or the position where one is
            missing; None when ``ok``.
        reason: the problem in plain words ("" when ``ok``).
        head: (sequence, hash) of the last entry that verified; (0, GENESIS_HASH) if none did.
    """

    ok: bool
    checked: int
    first_broken: int | None
    reason: str
    head: tuple[int, str]


def verify_chain(entries: Iterable[AuditEntry], anchor: tuple[int, str] | None = None) -> ChainReport:
    """Check that ``entries``, in the order given, are the log exactly as it was written.

    Sequence numbers must run 1, 2, 3... without a gap, each entry must link to the hash of the one
    before it, and each stored hash must recompute. With ``anchor`` (a sequence and the hash that entry
    had when the anchor was taken), the log must also still reach that entry, with that hash: this is
    what catches entries cut off the end, or an end rewritten with fresh, self-consistent hashes.
    Verification stops at the first problem.

    Args:
        entries: the log in sequence order (a stream is fine: it is read once).
        anchor: (sequence, entry hash) recorded earlier outside the database, or None.

    Returns:
        A ``ChainReport``; ``first_broken`` says where to look.

    Raises:
        ValueError: the anchor itself is malformed (a negative sequence, or 0 without the genesis hash).
    """
    if anchor is not None:
        _check_anchor(anchor)
    previous: str = GENESIS_HASH
    before_previous: str | None = None  # the hash two entries back; none before the second entry
    head = (0, GENESIS_HASH)
    anchor_seen = anchor is None or anchor[0] == 0
    for expected, entry in enumerate(entries, start=1):
        problem = _entry_problem(entry, expected, previous, before_previous)
        if problem is not None:
            where, reason = problem
            return ChainReport(False, expected - 1, where, reason, head)
        if anchor is not None and expected == anchor[0]:
            if entry.entry_hash != anchor[1]:
                return ChainReport(
                    False,
                    expected - 1,
                    expected,
                    f"Entry {expected} is not the one recorded in the anchor: the log up to it was rewritten.",
                    head,
                )
            anchor_seen = True
        before_previous, previous = previous, entry.entry_hash
        head = (expected, entry.entry_hash)
    if not anchor_seen:
        assert anchor is not None
        return ChainReport(
            False,
            head[0],
            head[0] + 1,
            f"The log ends at entry {head[0]}, but the anchor shows it reached entry {anchor[0]}: "
            "entries were removed from the end.",
            head,
        )
    return ChainReport(True, head[0], None, "", head)


def _entry_problem(
    entry: AuditEntry, expected: int, previous: str, before_previous: str | None
) -> tuple[int, str] | None:
    """(where, why) if the entry at position ``expected`` is not the one that belongs there."""
    sequence = entry.sequence
    if sequence != expected:
        if sequence == expected - 1 and _continues(entry, before_previous):
            # A genuine entry whose number was already used: the one before it is the intruder.
            return expected - 1, f"Entry {expected - 1} appears twice: the first of the two was slipped in."
        found = "an unnumbered entry" if sequence is None else f"entry {sequence}"
        return expected, f"Entry {expected} is not where it belongs: {found} is in its place."
    if entry.previous_hash != previous:
        if _continues(replace(entry, sequence=expected - 1), before_previous):
            # The real entry expected - 1, renumbered to make room for something slipped in before it.
            return expected - 1, f"Entry {expected - 1} was inserted: the entries after it were renumbered."
        return expected, f"Entry {expected} does not link to the entry before it."
    if chain_hash(previous, entry) != entry.entry_hash:
        return expected, f"Entry {expected} has been changed since it was written."
    return None


def _continues(entry: AuditEntry, linked_to: str | None) -> bool:
    """The entry links to ``linked_to`` and its own hash recomputes: it is sound where it claims to be."""
    return (
        linked_to is not None
        and entry.previous_hash == linked_to
        and chain_hash(linked_to, entry) == entry.entry_hash
    )


def _check_anchor(anchor: tuple[int, str]) -> None:
    sequence, entry_hash = anchor
    if sequence < 0:
        raise ValueError("an anchor's sequence cannot be negative")
    if sequence == 0 and entry_hash != GENESIS_HASH:
        raise ValueError("an anchor at sequence 0 must carry the genesis hash")
