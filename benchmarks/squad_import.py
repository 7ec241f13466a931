"""Squad import (issue 9): a club's 10,000-athlete CSV into a new squad, in a fresh process
(``python -m benchmarks.squad_import``).

- ``squad_import_10k_s``: wall time of the whole import as ``calfdesk squad import`` and the import dialog
  run it, through ``AthleteImportService`` on a new encrypted SQLite database (the owner's account made
  first, untimed): ``read`` (encoding and separator detection, the rows as text), ``suggest_mapping`` and
  ``preview`` (every row checked, matched against the patients held), then ``commit`` (10,000 new patients
  and their memberships, the squad made, in one transaction, with its audit entry). Target at most 3 s.
  ``squad_import_10k_read_s``, ``_preview_s`` (mapping included) and ``_commit_s`` are its parts.
- ``squad_import_10k_into_100k_s``: the same file into a copy of the 100,000-patient benchmark database,
  where every row is matched against 100,000 patients held (reported; measured only when the cached
  database exists, as it does under ``make bench``).

The file is ``workstation.demo_squads.athlete_csv(10_000, seed)``: synthetic athletes with valid NHS
numbers, UTF-8, comma-separated. Prints one JSON object as its last line.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.environment import BENCH_PASSWORD, BENCH_USER, Sandbox, run_probe

ROWS = 10_000
SEED = 9
PASSWORD = "quiet harbour pencil gale"
SQUAD = "Benchmark harriers"
_SIDE_FILES = ("", ".keys")  # a closed database is its file and its key file


def measure(sandbox: Sandbox) -> dict[str, Any]:
    return run_probe("benchmarks.squad_import", sandbox)


def measure_import(
    session: Any, rows: int = ROWS, *, prefix: str = "squad_import_10k", leave_out_rejected: bool = False
) -> dict[str, Any]:
    """Time one import of ``rows`` synthetic athletes through ``session.squad_import``; the seconds by part.

    ``leave_out_rejected``: import the valid rows and leave out the rest (into the 100,000 demo patients,
    a few athletes may share a name and date of birth with a held patient of another NHS number).

    Raises:
        RuntimeError: the file did not import (a benchmark of a refused import would mean nothing).
    """
    from ui.clock import local_today
    from workstation.demo_squads import athlete_csv

    data = athlete_csv(rows, SEED)
    service = session.squad_import
    today = local_today()
    started = time.perf_counter()
    table = service.read(data, "athletes.csv")
    read = time.perf_counter()
    preview = service.preview(table, service.suggest_mapping(table), today=today)
    previewed = time.perf_counter()
    rejected = len(preview.rejected)
    if rejected and not leave_out_rejected:
        raise RuntimeError(f"the benchmark file does not import: {rejected} rows rejected")
    outcome = service.commit(preview, SQUAD, decisions={}, joined_on=today, leave_out_rejected=leave_out_rejected)
    committed = time.perf_counter()
    if outcome.joined + outcome.already_members != rows - rejected:
        raise RuntimeError(f"{outcome.joined} of {rows} athletes joined the squad")
    return {
        f"{prefix}_s": committed - started,
        f"{prefix}_read_s": read - started,
        f"{prefix}_preview_s": previewed - read,
        f"{prefix}_commit_s": committed - previewed,
        f"{prefix}_created": outcome.created,
        f"{prefix}_merged": outcome.merged,
        f"{prefix}_rejected": rejected,
        f"{prefix}_file_mb": round(len(data) / 1_000_000, 2),
    }


def _new_clinic(folder: Path) -> tuple[Any, Any]:
    """A new encrypted store with its owner, and the owner's session on it."""
    import db
    from workstation.audit.auditor import Auditor
    from workstation.services.accounts import Accounts
    from workstation.services.session import ClinicSession

    store = db.open_database(f"sqlite:///{folder / 'squads.db'}", key=bytes(range(32)))
    auditor = Auditor(store.audit, "bench")
    owner = Accounts(store.users, auditor).create_owner("bench.owner", "Sam Okafor", PASSWORD)
    return store, ClinicSession(store, owner.actor, auditor)


def _copy_of_100k(folder: Path) -> tuple[Any, Any] | None:
    """The benchmark owner's session on a copy of the cached 100,000-patient database; None if not built."""
    from benchmarks.database import cached_path
    from ui.unlock import Entry
    from workstation.audit.auditor import Auditor
    from workstation.services.session import ClinicSession

    cached = cached_path()
    if not (cached.exists() and Path(f"{cached}.keys").exists()):
        return None
    copy = folder / "patients-100k.sqlite3"
    for suffix in _SIDE_FILES:
        shutil.copyfile(f"{cached}{suffix}", f"{copy}{suffix}")
    opened = Entry(str(copy), workstation="bench").log_in(BENCH_USER, BENCH_PASSWORD)
    return opened.store, ClinicSession(opened.store, opened.login.actor, Auditor(opened.store.audit, "bench"))


def run(folder: Path) -> dict[str, Any]:
    store, session = _new_clinic(folder)
    try:
        results = measure_import(session)
    finally:
        store.close()
    big = _copy_of_100k(folder)
    if big is not None:
        store, session = big
        try:
            results |= measure_import(session, prefix="squad_import_10k_into_100k", leave_out_rejected=True)
        finally:
            store.close()
    return results


def main() -> int:
    folder = tempfile.TemporaryDirectory(prefix="calfdesk-squads-")
    try:
        results = run(Path(folder.name))
    finally:
        folder.cleanup()
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
