"""The 100,000-patient database, built with ``calfdesk demo`` (which is itself one of the measures).

The database is cached in ``benchmarks/.cache/`` under a key made from the code that shapes its
contents (the demo generator, the list key, the schema), so a change there rebuilds it and nothing else
does.
"""

from __future__ import annotations

import hashlib
import subprocess
import time
from pathlib import Path

from benchmarks.environment import CACHE_DIR, REPO, Sandbox, calfdesk_command

DEMO_PATIENTS = 100_000
DEMO_SEED = 1
_SHAPING_FILES = (
    "workstation/demo.py",
    "workstation/demo_data.py",
    "workstation/list_order.py",
    "db/mapping.py",
    "db/models.py",
    "db/migrations/versions/*.py",
)
_SQLITE_SIDE_FILES = ("-wal", "-shm", ".keys")  # .keys: the key file, without which it cannot open


def cache_key() -> str:
    digest = hashlib.sha256(f"{DEMO_PATIENTS}:{DEMO_SEED}".encode())
    for pattern in _SHAPING_FILES:
        for path in sorted(REPO.glob(pattern)):
            digest.update(path.relative_to(REPO).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cached_path() -> Path:
    return CACHE_DIR / f"patients-{DEMO_PATIENTS}-seed-{DEMO_SEED}-{cache_key()}.sqlite3"


def prepare(sandbox: Sandbox, *, measure_demo: bool) -> tuple[Path, float | None]:
    """The cached database (built if missing) and, if measured, the seconds ``calfdesk demo`` took."""
    target = cached_path()
    if not measure_demo and target.exists() and Path(f"{target}.keys").exists():
        return target, None
    fresh, seconds = run_demo(sandbox)
    if target.exists() and Path(f"{target}.keys").exists():
        _remove(fresh)
    else:
        for stale in CACHE_DIR.glob("patients-*.sqlite3"):
            _remove(stale)
        for suffix in ("", *_SQLITE_SIDE_FILES):
            side = Path(f"{fresh}{suffix}")
            if side.exists():
                side.replace(f"{target}{suffix}")
    return target, seconds


def run_demo(sandbox: Sandbox) -> tuple[Path, float]:
    """``calfdesk demo`` into a new file; the wall time from spawn to exit."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    fresh = CACHE_DIR / f"building-{time.time_ns()}.sqlite3"
    command = [*calfdesk_command(), "demo", "--patients", str(DEMO_PATIENTS), "--seed", str(DEMO_SEED)]
    started = time.perf_counter()
    result = subprocess.run(
        [*command, "--database", str(fresh)], env=sandbox.env(), capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        _remove(fresh)
        raise SystemExit(f"calfdesk demo failed ({result.returncode}):\n{result.stderr}")
    return fresh, seconds


def _remove(database: Path) -> None:
    for suffix in ("", *_SQLITE_SIDE_FILES):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
