"""Building the real .deb once, installing it into throwaway roots with dpkg, and running the installed copy.

A throwaway root is a folder with an empty dpkg database of its own: ``dpkg --root`` installs, upgrades and
removes the package there exactly as on a machine, without touching this one. The package has no
maintainer scripts and its dependencies belong to the host, so ``--force-depends`` is the only licence taken.
Everything the installed program runs goes through ``scripts/offline.sh``: a network namespace with no
network at all, so a download would fail the test instead of quietly succeeding.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OFFLINE = REPO / "scripts" / "offline.sh"
BUILD = REPO / "packaging" / "build.py"
INSTALLED_PROGRAM = Path("opt") / "calfdesk" / "calfdesk"
PASSWORD = "amber kettle violin 42"
OWNER = "owner"
# A machine's PATH, without the checkout's .venv: the installed copy must need nothing from it.
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True, slots=True)
class Built:
    deb: Path
    bundle: Path
    report: dict[str, object]


def build_package(dist: Path, work: Path, *extra: str) -> Built:
    """``packaging/build.py`` with no network, as ``make package`` runs it."""
    result = subprocess.run(
        [str(OFFLINE), sys.executable, str(BUILD), "--dist", str(dist), "--work", str(work), *extra],
        capture_output=True, text=True, check=False, cwd=REPO, env={**os.environ, "CALFDESK_REQUIRE_OFFLINE": "1"},
    )  # fmt: skip
    assert result.returncode == 0, f"the package did not build:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    report = json.loads((dist / "package-report.json").read_text(encoding="utf-8"))
    return Built(Path(str(report["deb"])), work / "bundle" / "calfdesk", report)


class DpkgRoot:
    """A throwaway root with its own dpkg database."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.admindir = root / "var" / "lib" / "dpkg"
        for folder in (self.admindir / "info", self.admindir / "updates", self.admindir / "triggers"):
            folder.mkdir(parents=True, exist_ok=True)
        (self.admindir / "status").touch()

    def dpkg(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = ["dpkg", f"--root={self.root}", f"--admindir={self.admindir}", "--force-depends", *args]
        if os.geteuid() != 0:
            command.insert(1, "--force-not-root")
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=_env(None))
        assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def install(self, deb: Path) -> subprocess.CompletedProcess[str]:
        return self.dpkg("--install", str(deb))

    def installed_version(self) -> str | None:
        result = subprocess.run(
            ["dpkg-query", f"--admindir={self.admindir}", "-W", "-f=${Version} ${db:Status-Status}", "calfdesk"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            return None
        version, _, status = result.stdout.partition(" ")
        return version if status == "installed" else None

    @property
    def program(self) -> Path:
        return self.root / INSTALLED_PROGRAM

    def run(
        self, home: Path, *args: str, stdin: str | None = None, timeout: float = 240
    ) -> subprocess.CompletedProcess[str]:
        """The installed ``calfdesk`` with ``args``, offline, as a user whose home is ``home``."""
        return subprocess.run(
            [str(OFFLINE), str(self.program), *args], input=stdin, capture_output=True, text=True,
            check=False, env=_env(home), cwd=home, timeout=timeout,
        )  # fmt: skip

    def ok(self, home: Path, *args: str, stdin: str | None = None) -> str:
        result = self.run(home, *args, stdin=stdin)
        assert result.returncode == 0, (
            f"calfdesk {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
        return result.stdout


def _env(home: Path | None) -> dict[str, str]:
    """A plain user's environment: no PYTHONPATH, no venv, no display, and nothing of the test run's own."""
    env = {"PATH": SYSTEM_PATH, "LANG": "C.UTF-8", "CALFDESK_REQUIRE_OFFLINE": "1"}
    if home is not None:
        env |= {"HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "CALFDESK_PASSWORD": PASSWORD}
    return env


def data_folder(home: Path) -> Path:
    """Where the installed app keeps the default database and its backups (platformdirs on Linux)."""
    return home / ".local" / "share" / "CalfDesk"


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and its SHA-256, to show that something left it exactly as it was."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
