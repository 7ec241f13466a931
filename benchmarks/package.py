"""The offline installer (issue 10): build it, weigh it, install it, and start the installed app.

- ``package_build_s``: ``packaging/build.py`` end to end, as ``make package`` runs it, with no network:
  the PyInstaller bundle (``package_bundle_s``) then the xz-compressed .deb (``package_deb_s``).
- ``package_mb``: the .deb (target at most 150 MB); ``package_installed_mb``: what it installs (the
  package's Installed-Size).
- ``installed_startup_ms``: the installed program's own ``startup_ms`` (from its start to the patient list
  painted, logged in, on the 100,000-patient database), median of alternating rounds beside the checkout's
  ``calfdesk`` on the same database; ``installed_startup_ratio`` is installed ÷ checkout wall time, so a
  loaded machine slows both alike. The installed copy is the package unpacked with ``dpkg -x``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import startup
from benchmarks.environment import REPO, Sandbox, calfdesk_command

ROUNDS = 7


def measure(database: Path, sandbox: Sandbox) -> dict[str, Any]:
    work = sandbox.path / "package"
    started = time.perf_counter()
    build = subprocess.run(
        [str(REPO / "scripts" / "offline.sh"), sys.executable, str(REPO / "packaging" / "build.py"),
         "--dist", str(work / "dist"), "--work", str(work / "work")],
        capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    build_s = time.perf_counter() - started
    if build.returncode != 0:
        raise SystemExit(f"packaging/build.py failed:\n{build.stdout}\n{build.stderr[-4000:]}")
    report = json.loads((work / "dist" / "package-report.json").read_text(encoding="utf-8"))
    root = work / "installed"
    subprocess.run(["dpkg-deb", "-x", str(report["deb"]), str(root)], check=True)
    installed = [str(root / "opt" / "calfdesk" / "calfdesk"), "--startup-check", "--database", str(database)]
    checkout = [*calfdesk_command(), "--startup-check", "--database", str(database)]
    # The installed program is run as a user would: without the checkout on PYTHONPATH.
    envs = {"installed": {k: v for k, v in sandbox.env().items() if k != "PYTHONPATH"}, "checkout": sandbox.env()}
    walls: dict[str, list[float]] = {"installed": [], "checkout": []}
    startup_ms: dict[str, list[int]] = {"installed": [], "checkout": []}
    for round_number in range(ROUNDS + 1):
        order = [("installed", installed), ("checkout", checkout)]
        for name, command in order if round_number % 2 else order[::-1]:
            wall, painted = startup._run_once(command, sandbox, envs[name])
            if round_number > 0:  # round 0 warms the file cache
                walls[name].append(wall)
                startup_ms[name].append(painted)
    return {
        "package_build_s": round(build_s, 1),
        "package_bundle_s": report["bundle_seconds"],
        "package_deb_s": report["deb_seconds"],
        "package_mb": round(int(report["deb_bytes"]) / 1e6, 1),
        "package_installed_mb": round(int(report["installed_kib"]) * 1024 / 1e6, 1),
        "installed_startup_ms": statistics.median(startup_ms["installed"]),
        "installed_checkout_startup_ms": statistics.median(startup_ms["checkout"]),
        "installed_startup_ratio": round(
            statistics.median(walls["installed"]) / statistics.median(walls["checkout"]), 2
        ),
    }
