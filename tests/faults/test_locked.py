"""Locked by another program (RELIABILITY.md B3): a real second process holds ``BEGIN EXCLUSIVE``.

A save waits the busy timeout (5 s), then says "in use by another program" in plain words; nothing saved
before is lost, records can still be read meanwhile (write-ahead log), and the same save succeeds, once,
when retried after the other program lets go.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from db.engine import BUSY_TIMEOUT_MS
from tests import dbkit
from tests.faults.samples import TODAY, bulky_patient
from workstation.errors import DatabaseLocked
from workstation.services.patients import save_patient

_REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    url = f"sqlite:///{tmp_path / 'calfdesk.sqlite3'}"
    dbkit.open_store(url).close()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.lock_holder", url],
        cwd=_REPOSITORY, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    yield url, process
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=10)


def test_a_lock_held_by_another_process_gives_a_plain_refusal_after_the_busy_timeout(
    holder: tuple[str, Any],
) -> None:
    url, process = holder
    store = dbkit.open_store(url)
    earlier = [save_patient(store.patients, bulky_patient(n), TODAY) for n in range(3)]
    try:
        assert process.stdout.readline().strip() == "locked"
        assert store.patients.count() == 3  # reading goes on while the other program writes
        waiting = bulky_patient(10)
        started = time.monotonic()
        with pytest.raises(DatabaseLocked) as raised:
            save_patient(store.patients, waiting, TODAY)
        waited = time.monotonic() - started
        print(f"\nB3: refused after {waited:.2f} s")
        assert BUSY_TIMEOUT_MS / 1000 - 0.25 <= waited <= BUSY_TIMEOUT_MS / 1000 + 2
        assert raised.value.message == "The database is in use by another program."
        assert raised.value.hint.startswith("Nothing was lost.")
        assert "Nguyễn" not in str(raised.value)  # never a name in a message
        process.stdin.write("release\n")
        process.stdin.flush()
        assert process.stdout.readline().strip() == "released"
        retried = save_patient(store.patients, waiting, TODAY)  # the same record, as the user retries
        again = save_patient(store.patients, waiting, TODAY)  # and once more: still one record
        assert again.id == retried.id
        assert store.patients.count() == 4
        assert [store.patients.get(p.id or 0) for p in earlier] == earlier
    finally:
        store.close()
    with closing(dbkit.raw(dbkit.sqlite_path(url))) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
