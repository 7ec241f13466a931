"""Where the benchmarks run: the machine's details, paths, and a sandbox for every process they start."""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from db import cipher

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / ".cache"
RESULTS_DIR = BENCH_DIR / "results"
README = BENCH_DIR / "README.md"


def machine() -> dict[str, Any]:
    """What the numbers depend on, for the results log."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyside6": _version("PySide6-Essentials"),
        "sqlalchemy": _version("SQLAlchemy"),
        "sqlite": cipher.sqlite_version,  # SQLCipher's own SQLite, the only one CalfDesk loads
        "numpy": _version("numpy"),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


class Sandbox:
    """A temporary home for the processes a benchmark starts: never the user's data, settings or logs."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="calfdesk-bench-")
        self.path = Path(self._folder.name)

    def env(self) -> dict[str, str]:
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[name] = str(self.path / name.lower())
        env.pop("CALFDESK_DATABASE", None)
        # The benchmark database's owner: demo creates them, the start-up check logs in as them.
        env["CALFDESK_USER"] = BENCH_USER
        env["CALFDESK_PASSWORD"] = BENCH_PASSWORD
        return env

    def close(self) -> None:
        self._folder.cleanup()


BENCH_USER = "bench.owner"
BENCH_PASSWORD = "tidal moss lantern cobalt 100k"


def calfdesk_command() -> list[str]:
    """The installed ``calfdesk`` script beside this interpreter (what users run), else ``python -m ui``."""
    script = Path(sys.executable).with_name("calfdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ui"]


def run_probe(module: str, sandbox: Sandbox) -> dict[str, Any]:
    """Run ``python -m module`` in a fresh process (its own QApplication, cold caches) inside ``sandbox``;
    the probe prints one JSON object as its last line, which is returned."""
    import json
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", module], cwd=REPO, env=sandbox.env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} failed: {done.stderr[-800:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))
