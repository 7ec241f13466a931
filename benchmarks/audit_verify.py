"""Verifying the audit chain (RELIABILITY.md F4: a million entries in under 60 s).

``python -m benchmarks.audit_verify [--entries N]`` builds a SQLite database holding N audit entries and
times ``verify_chain(store.audit.in_order())``: reading every row through the real log and recomputing
every hash. The entries are sealed one after another with ``workstation.audit.chain.sealed``, exactly as
``SqlAuditLog.append`` seals them; only the insert is batched (one transaction per 10,000 rows instead of
one per entry), which changes nothing that verification reads.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

from sqlalchemy import insert

import db
from db.mapping import audit_values
from db.models import AuditEntryRow
from workstation.audit.chain import GENESIS_HASH, sealed, verify_chain
from workstation.audit.records import AuditEntry, AuditEvent, Outcome

DEFAULT_ENTRIES = 1_000_000
_BATCH = 10_000
_BENCH_KEY = bytes(32)  # encrypted like every CalfDesk file; the key itself does not matter here
_EVENTS = list(AuditEvent)
_START = datetime(2020, 1, 1, tzinfo=UTC)


def _entry(n: int) -> AuditEntry:
    """A plausible mix: mostly record views by a dozen staff on four computers over some years."""
    patient = n * 7919 % 100_000 + 1
    event = AuditEvent.PATIENT_VIEWED if n % 4 else _EVENTS[n % len(_EVENTS)]
    return AuditEntry(
        event=event,
        outcome=Outcome.SUCCESS if n % 50 else Outcome.DENIED,
        occurred_at=_START + timedelta(seconds=90 * n, microseconds=n % 1_000_000),
        user_id=n % 12 + 1,
        user_name=f"clinician.{n % 12 + 1}",
        role="clinician",
        workstation=f"ROOM-{n % 4 + 1}",
        patient_id=patient,
        object_type="patient",
        object_id=str(patient),
        detail="" if n % 9 else f"fields=phone,email;count={n % 7}",
    )


def _sealed_log(count: int) -> Iterator[AuditEntry]:
    previous = GENESIS_HASH
    for sequence in range(1, count + 1):
        entry = sealed(_entry(sequence), sequence, previous)
        previous = entry.entry_hash
        yield entry


def build(path: Path, count: int) -> None:
    """Write a database at ``path`` (which must not exist) holding a sound chain of ``count`` entries."""
    store = db.open_database(f"sqlite:///{path}", key=_BENCH_KEY)
    try:
        entries = _sealed_log(count)
        while batch := list(islice(entries, _BATCH)):
            with store.engine.begin() as connection:
                connection.execute(insert(AuditEntryRow), [audit_values(entry) for entry in batch])
        assert store.audit.head()[0] == count
    finally:
        store.close()


def measure(count: int = DEFAULT_ENTRIES, folder: Path | None = None) -> float:
    """Seconds to verify a freshly built log of ``count`` entries (the build itself is not timed)."""
    with tempfile.TemporaryDirectory(prefix="calfdesk-audit-", dir=folder) as scratch:
        path = Path(scratch) / "audit.sqlite3"
        started = time.perf_counter()
        build(path, count)
        _say(f"built {count:,} sealed entries in {time.perf_counter() - started:.1f} s; verifying")
        store = db.open_database(f"sqlite:///{path}", key=_BENCH_KEY)
        try:
            started = time.perf_counter()
            report = verify_chain(store.audit.in_order())
            seconds = time.perf_counter() - started
        finally:
            store.close()
    if not (report.ok and report.checked == count):
        raise RuntimeError(f"the benchmark's own log did not verify: {report.reason}")
    return seconds


def _say(message: str) -> None:
    print(f"audit_verify: {message}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.audit_verify", description=__doc__)
    parser.add_argument("--entries", type=int, default=DEFAULT_ENTRIES, help="entries in the log (default 1,000,000)")
    args = parser.parse_args()
    seconds = measure(args.entries)
    print(f"audit_verify_1m_s={seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
