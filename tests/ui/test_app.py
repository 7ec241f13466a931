"""The composition root, run as the entry point runs it: in a process of its own (an event loop that
has run to its end cannot be reused, so ``run_desktop`` is never called inside the test process)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests import dbkit
from tests.ui.conftest import SAMPLE_PATIENTS
from ui.app import EXIT_CANNOT_OPEN

PROJECT = Path(__file__).resolve().parents[2]
# Nothing the first paint does not need: NumPy (the search index) and Alembic (migrations) load later, and
# the clinical engine when an assessment is opened.
HEAVY = (
    "pandas", "openpyxl", "pyqtgraph", "reportlab", "pypdfium2", "pypdf", "numpy", "alembic", "cryptography",
    "workstation.clinical.contract",
)  # fmt: skip


def run_app(url: str, *, started: float | None = None) -> subprocess.CompletedProcess[str]:
    """``run_desktop(url, startup_check=True)`` in a new process; it then prints the heavy modules loaded."""
    script = (
        "import sys\n"
        "from ui.app import run_desktop\n"
        f"code = run_desktop({url!r}, startup_check=True)\n"
        f"print('heavy=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CALFDESK_T0": str(started or time.time())}
    return subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )


def startup_ms(result: subprocess.CompletedProcess[str]) -> int:
    first = result.stdout.splitlines()[0]
    assert first.startswith("startup_ms="), result.stdout + result.stderr
    return int(first.removeprefix("startup_ms="))


def test_startup_check_on_a_new_database_reports_the_first_run_paint(db_url: str) -> None:
    result = run_app(db_url)
    assert result.returncode == 0, result.stderr
    assert 0 < startup_ms(result) < 60_000
    # Nothing is created before the owner's set-up (the key comes with it), so nothing heavy loads either.
    assert result.stdout.splitlines()[1] == "heavy="


def test_startup_check_on_an_existing_database_loads_nothing_heavy(db_url: str) -> None:
    store = dbkit.open_store(db_url)  # created and migrated here
    store.patients.add_many(SAMPLE_PATIENTS)
    store.close()
    result = run_app(db_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "heavy="  # nor NumPy, nor Alembic: not before the first paint


def test_startup_check_counts_from_calfdesk_t0_until_rows_are_painted(db_url: str) -> None:
    store = dbkit.open_store(db_url)
    store.patients.add_many(SAMPLE_PATIENTS)
    store.close()
    result = run_app(db_url, started=time.time() - 5)  # the process "started" five seconds ago
    assert result.returncode == 0, result.stderr
    assert startup_ms(result) >= 5_000


def test_a_database_that_cannot_be_opened_is_explained_and_exits_2(tmp_path: Path) -> None:
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_bytes(b"these are not the records you are looking for" * 100)
    result = run_app(f"sqlite:///{not_a_database}")
    assert result.returncode == EXIT_CANNOT_OPEN
    assert result.stdout.splitlines() == ["heavy="]  # no startup_ms: nothing was shown
    assert "not a CalfDesk database" in result.stderr


def test_the_window_icon_draws(qapp: object) -> None:
    from PySide6.QtGui import QIcon

    import resources

    pixmap = QIcon(str(resources.path("calfdesk.svg"))).pixmap(64, 64)
    assert not pixmap.isNull()
    colour = pixmap.toImage().pixelColor(32, 4)  # the blue tile behind the drawing
    assert (colour.red(), colour.green(), colour.blue()) == (0x0F, 0x5C, 0x8C)
