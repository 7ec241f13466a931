"""The disk fills at every write index of a save (RELIABILITY.md B1), as in SQLite's own I/O-error loop.

A round saves ``ROUND_RECORDS`` records one after another (patients and episodes, a few KB each) with room
for only ``budget`` more units of disk: pages (``PRAGMA max_page_count``, SQLITE_FULL) or bytes of the
write-ahead log (``RLIMIT_FSIZE``, EFBIG). Budget 0, 1, 2, ... moves the point where the disk fills through
every page a round writes, until a round fits. After each round the room is given back, the round is
checked, and every refused save is made again, as the user would once space is freed.

Run as ``python -m tests.faults.disk_full URL`` it does the EFBIG rounds in a process of its own (a file
size limit binds the whole process) and prints one JSON line per round, then ``done``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import resource
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event

from tests import dbkit
from tests.faults.samples import TODAY, bulky_episode, bulky_patient
from workstation.errors import DatabaseUnavailable
from workstation.records import Episode, Patient
from workstation.services.patients import save_episode, save_patient

ROUND_RECORDS = 8
NO_LIMIT = None
_WAL_HEADER = 32
_WAL_FRAME = 24 + 4_096
_SQLITE_MAX_PAGES = 4_294_967_294


@dataclass
class Round:
    budget: int
    saved: list[str] = field(default_factory=list)  # uids whose save returned
    refused: list[str] = field(default_factory=list)  # uids whose save raised
    errors: list[str] = field(default_factory=list)  # the CalfDeskError class of each refusal
    # For each refusal: was SQLite still inside the transaction when the error surfaced (B2)?
    in_transaction_at_error: list[bool] = field(default_factory=list)


def rounds(store: Any, limit: Callable[[int | None], None]) -> Iterator[Round]:
    """Yield each round with the room given back but before its refusals are saved again."""
    owner = save_patient(store.patients, bulky_patient(0), TODAY)
    _save(store, owner, _record(owner, 0))  # the episode table's first page is used too, not just empty
    watch = _ErrorWatch(store.engine)
    for budget in itertools.count():
        round_ = Round(budget)
        records = [_record(owner, budget * ROUND_RECORDS + n) for n in range(ROUND_RECORDS)]
        limit(budget)
        try:
            for record in records:
                try:
                    round_.saved.append(_save(store, owner, record))
                except DatabaseUnavailable as error:  # anything else is a bug and ends the test
                    round_.refused.append(record.uid)
                    round_.errors.append(type(error).__name__)
                    round_.in_transaction_at_error.append(watch.last_in_transaction())
        finally:
            limit(NO_LIMIT)
        yield round_
        for record in records:
            if record.uid in round_.refused:
                _save(store, owner, record)
        if not round_.refused:
            return


def _record(owner: Patient, n: int) -> Patient | Episode:
    assert owner.id is not None
    return bulky_patient(n) if n % 2 else bulky_episode(owner.id, n)


def _save(store: Any, owner: Patient, record: Patient | Episode) -> str:
    if isinstance(record, Patient):
        return save_patient(store.patients, record, TODAY).uid
    return save_episode(store.episodes, record, owner.date_of_birth, TODAY).uid


class _ErrorWatch:
    """Notes whether SQLite still had the transaction open when each driver error surfaced."""

    def __init__(self, engine: Any) -> None:
        self._seen: list[bool] = []
        event.listen(engine, "handle_error", self._on_error)

    def _on_error(self, context: Any) -> None:
        connection = context.connection
        raw = connection.connection.driver_connection if connection is not None else None
        self._seen.append(bool(raw is not None and raw.in_transaction))

    def last_in_transaction(self) -> bool:
        return self._seen[-1] if self._seen else False


class Ledger:
    """What every round must leave true, seen past the app through a raw connection to the file."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._rows: dict[str, str] = {}  # uid: hash of the row as first seen

    def problems(self, round_: Round) -> dict[str, Any]:
        """Empty when the file is sound, every save that returned is stored, no refused save is, and
        every row stored at an earlier round is unchanged."""
        rows = _row_hashes(self._path)
        found = {
            "integrity_check": [] if _integrity(self._path) == ["ok"] else _integrity(self._path),
            "saved_but_missing": [uid for uid in round_.saved if uid not in rows],
            "refused_but_stored": [uid for uid in round_.refused if uid in rows],
            "earlier_rows_changed": [uid for uid, row in self._rows.items() if rows.get(uid) != row],
        }
        self._rows.update(rows)
        return {name: value for name, value in found.items() if value}

    @property
    def stored(self) -> int:
        return len(self._rows)


def _row_hashes(path: Path) -> dict[str, str]:
    with closing(dbkit.raw(path)) as raw:
        return {
            row[0]: hashlib.sha256(repr(tuple(row)).encode()).hexdigest()
            for table in ("patient", "episode")
            for row in raw.execute(f"SELECT uid, * FROM {table}")
        }


def _integrity(path: Path) -> list[str]:
    with closing(dbkit.raw(path)) as raw:
        return [verdict for (verdict,) in raw.execute("PRAGMA integrity_check")]


def page_cap(engine: Any) -> Callable[[int | None], None]:
    """``limit(budget)``: from now on the file may grow by ``budget`` pages in all (None: no cap again),
    set on every connection as the engine hands it out."""
    ceiling: list[int] = [_SQLITE_MAX_PAGES]

    @event.listens_for(engine, "checkout")
    def cap(raw: Any, _record: object, _proxy: object) -> None:
        raw.execute(f"PRAGMA max_page_count = {ceiling[0]}")

    def limit(budget: int | None) -> None:
        with engine.connect() as connection:
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
        ceiling[0] = _SQLITE_MAX_PAGES if budget is None else pages + budget

    return limit


def wal_limit(store: Any) -> Callable[[int | None], None]:
    """Room for ``budget`` more frames of the write-ahead log, and for odd budgets half a frame more, so
    that the limit falls on a frame boundary (the next write fails whole: EFBIG) or inside a frame (a write
    is cut short). The log is emptied first, so the limit counts from its start."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)

    def limit(budget: int | None) -> None:
        if budget is None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
            return
        with store.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        size = _WAL_HEADER + budget * _WAL_FRAME + (budget % 2) * (_WAL_FRAME // 2)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))

    return limit


def main(url: str) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # Python's default too: EFBIG instead of death
    store = dbkit.open_store(url)
    ledger = Ledger(dbkit.sqlite_path(url))
    try:
        for round_ in rounds(store, wal_limit(store)):
            print(json.dumps({**asdict(round_), "problems": ledger.problems(round_)}), flush=True)
    finally:
        store.close()
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
