"""Start-up: the real app against a floor, run alternately in the same session.

Each round starts, in a rotating order, ``calfdesk --startup-check`` on the 100,000-patient database,
the floor (``floor_window.py``: sqlalchemy.orm imported, a bare window with an empty table) and the
bare-window floor (the same without SQLAlchemy). Alternating spreads any drift in the machine (other
load, CPU frequency, file cache) over all three. Wall time runs from spawn to exit; medians are compared.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.environment import BENCH_DIR, Sandbox, calfdesk_command

TIMEOUT_S = 120
_STARTUP_MS = re.compile(r"^startup_ms=(\d+)$", re.MULTILINE)
# argon2id's deliberate tenth of a second is the login's, not start-up's (issue: login_ms apart).
_LOGIN_MS = re.compile(r"^login_ms=(\d+)$", re.MULTILINE)


@dataclass
class _Runs:
    wall_s: list[float] = field(default_factory=list)
    startup_ms: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class StartupResult:
    rounds: int
    app_wall_s: float
    floor_wall_s: float
    bare_window_wall_s: float
    app_startup_ms: float
    floor_startup_ms: float

    @property
    def ratio(self) -> float:
        return self.app_wall_s / self.floor_wall_s

    @property
    def ratio_to_bare_window(self) -> float:
        return self.app_wall_s / self.bare_window_wall_s


def measure(database: Path, sandbox: Sandbox, rounds: int) -> StartupResult:
    floor = [sys.executable, str(BENCH_DIR / "floor_window.py")]
    commands = {
        # Logged in as the database's owner ($CALFDESK_USER, $CALFDESK_PASSWORD): the password check
        # (login_ms) is left out of both startup_ms and the wall time compared with the floor.
        "app": [*calfdesk_command(), "--startup-check", "--database", str(database)],
        "floor": floor,
        "bare": [*floor, "--without-sqlalchemy"],
    }
    runs = {name: _Runs() for name in commands}
    names = list(commands)
    for round_number in range(rounds + 1):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            wall, startup_ms = _run_once(commands[name], sandbox)
            if round_number > 0:  # round 0 warms the file cache and is not counted
                runs[name].wall_s.append(wall)
                runs[name].startup_ms.append(startup_ms)
    return StartupResult(
        rounds=rounds,
        app_wall_s=statistics.median(runs["app"].wall_s),
        floor_wall_s=statistics.median(runs["floor"].wall_s),
        bare_window_wall_s=statistics.median(runs["bare"].wall_s),
        app_startup_ms=statistics.median(runs["app"].startup_ms),
        floor_startup_ms=statistics.median(runs["floor"].startup_ms),
    )


def _run_once(command: list[str], sandbox: Sandbox, env: dict[str, str] | None = None) -> tuple[float, int]:
    """(wall seconds without the password check, startup_ms) of one run (``env``: the sandbox's by default)."""
    started = time.perf_counter()
    env = sandbox.env() if env is None else env
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    wall = time.perf_counter() - started
    found = _STARTUP_MS.search(result.stdout)
    if result.returncode != 0 or not found:
        raise SystemExit(f"{command[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    login = _LOGIN_MS.search(result.stdout)
    return wall - (int(login.group(1)) / 1000 if login else 0.0), int(found.group(1))
