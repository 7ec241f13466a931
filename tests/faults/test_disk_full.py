"""A full disk at every write index (RELIABILITY.md B1) and the automatic rollback that may come with it (B2).

SQLITE_FULL comes from ``PRAGMA max_page_count``, set on each connection as the engine hands it out; EFBIG
from ``RLIMIT_FSIZE`` in a process of its own (``tests/faults/disk_full.py``). Either way: no exception but
the plain-worded one, nothing reported saved that is not stored, nothing refused that is, every earlier
row unchanged, ``integrity_check`` ok, and the same save succeeds once there is room again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from tests import dbkit
from tests.faults import disk_full
from tests.faults.samples import bulky_patient
from workstation.errors import DiskFull

_REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A new database without free pages (migrations leave some), so every new row needs new pages."""
    path = tmp_path / "calfdesk.sqlite3"
    dbkit.open_store(f"sqlite:///{path}").close()
    with closing(dbkit.raw(path)) as raw:
        raw.execute("VACUUM")
        assert raw.execute("PRAGMA freelist_count").fetchone() == (0,)
    return path


def test_sqlite_full_at_every_page_of_a_round_of_saves(path: Path) -> None:
    store = dbkit.open_store(f"sqlite:///{path}")
    ledger = disk_full.Ledger(path)
    outcomes: Counter[str] = Counter()
    first_refusals: set[int] = set()
    try:
        for round_ in disk_full.rounds(store, disk_full.page_cap(store.engine)):
            assert ledger.problems(round_) == {}, f"budget {round_.budget} pages"
            assert set(round_.errors) <= {"DiskFull"}
            outcomes.update(saved=len(round_.saved), refused=len(round_.refused), rounds=1)
            if round_.refused:
                first_refusals.add(len(round_.saved) + 1)
    finally:
        store.close()
    print(f"\nB1 SQLITE_FULL: {dict(outcomes)}, {ledger.stored} rows, first refusal at {sorted(first_refusals)}")
    assert first_refusals == set(range(1, disk_full.ROUND_RECORDS + 1))  # the disk filled at every index


def test_a_batch_that_meets_a_full_disk_is_stored_whole_or_not_at_all(path: Path) -> None:
    store = dbkit.open_store(f"sqlite:///{path}")
    limit = disk_full.page_cap(store.engine)
    try:
        for budget in range(0, 200, 3):
            batch = [bulky_patient(n) for n in range(budget, budget + 12)]
            before = store.patients.count()
            limit(budget)
            try:
                store.patients.add_many(batch)
                stored_whole = True
            except DiskFull:
                stored_whole = False
            limit(None)
            uids = _uids(path)
            assert {p.uid for p in batch} <= uids if stored_whole else not {p.uid for p in batch} & uids
            assert store.patients.count() == before + (len(batch) if stored_whole else 0)
            assert _integrity(path) == ["ok"]
            if stored_whole:
                return
    finally:
        store.close()
    pytest.fail("a batch of 12 never fitted")


def test_efbig_at_every_frame_of_a_round_of_saves(path: Path) -> None:
    url = f"sqlite:///{path}"
    child = subprocess.run(
        [sys.executable, "-m", "tests.faults.disk_full", url],
        cwd=_REPOSITORY, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert child.returncode == 0, child.stderr[-3_000:]
    *lines, done = child.stdout.splitlines()
    assert done == "done"
    rounds = [json.loads(line) for line in lines]
    for round_ in rounds:
        assert round_["problems"] == {}, f"budget {round_['budget']} frames"
        # SQLite retries a short write, so a limit mid-frame also ends in EFBIG: SQLITE_IOERR_WRITE.
        assert set(round_["errors"]) <= {"DatabaseUnavailable"}
    first_refusals = {len(round_["saved"]) + 1 for round_ in rounds if round_["refused"]}
    assert first_refusals == set(range(1, disk_full.ROUND_RECORDS + 1))  # the disk filled at every index
    errors = Counter(error for round_ in rounds for error in round_["errors"])
    rolled_back = sum(not seen for round_ in rounds for seen in round_["in_transaction_at_error"])
    print(f"\nB1 EFBIG: {len(rounds)} rounds, {dict(errors)}, {rolled_back} refusals SQLite had rolled back itself")
    assert rolled_back, "no refusal came after SQLite's own rollback (B2 was not exercised)"
    saved = [uid for round_ in rounds for uid in round_["saved"] + round_["refused"]]  # refused ones re-saved
    stored = Counter(_uid_list(path))
    assert all(stored[uid] == 1 for uid in saved)
    assert _integrity(path) == ["ok"]


def _uid_list(path: Path) -> list[str]:
    with closing(dbkit.raw(path)) as raw:
        return [uid for (uid,) in raw.execute("SELECT uid FROM patient UNION ALL SELECT uid FROM episode")]


def _uids(path: Path) -> set[str]:
    return set(_uid_list(path))


def _integrity(path: Path) -> list[str]:
    with closing(dbkit.raw(path)) as raw:
        return [verdict for (verdict,) in raw.execute("PRAGMA integrity_check")]
