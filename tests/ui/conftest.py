"""Fixtures for the desktop tests: real SQLite databases in tmp_path, isolated settings, a main window.

Settings (QSettings) and logs go to this test's own temporary folder, never the user's. A window's
background threads are shut down when the window closes, and every test checks that none is left.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from tests import dbkit
from ui.main_window import MainWindow
from ui.tasks import THREAD_NAME_PREFIX
from workstation.ports import ClinicStore
from workstation.records import Consent, GeneralPractitioner, Patient, Sex

TODAY = date(2025, 6, 15)

# The offscreen platform plugin (used for every GUI test) cannot pass size hints to a window system it
# does not have, and says so for every window shown. The message is about the plugin, not about us.
_OFFSCREEN_PLUGIN_MESSAGE = r"^This plugin does not support propagateSizeHints\(\)$"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.qt_log_ignore(_OFFSCREEN_PLUGIN_MESSAGE))


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    """QSettings of this test live in its tmp_path; no thread outlives the test."""
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    threads_before = set(threading.enumerate())
    yield folder
    QThreadPool.globalInstance().waitForDone(5_000)
    leaked = [t for t in threading.enumerate() if t not in threads_before and not _is_foreign(t)]
    assert not leaked, f"Python threads left running: {leaked}"
    assert _settles(lambda: _qt_pool_threads() == 0), "a TaskRunner was not shut down (its threads still run)"


def _settles(condition: Callable[[], bool], seconds: float = 2.0) -> bool:
    """A thread that waitForDone() has released may take a moment to leave the process."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _is_foreign(thread: threading.Thread) -> bool:
    # threading.current_thread() on a Qt thread registers a "dummy" entry that is never removed.
    return type(thread).__name__ == "_DummyThread"


def _qt_pool_threads() -> int:
    """Threads of our task runners alive in this process (Qt's own pools are named differently)."""
    tasks = Path("/proc/self/task")
    if not tasks.exists():
        return 0
    return sum(1 for comm in tasks.glob("*/comm") if _read(comm).startswith(THREAD_NAME_PREFIX))


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:  # the thread ended while we looked
        return ""


@pytest.fixture
def today() -> Callable[[], date]:
    return lambda: TODAY


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'clinic.sqlite3'}"


@pytest.fixture
def open_store(db_url: str) -> Iterator[Callable[..., ClinicStore]]:
    """Opens stores on this test's database file (several may be open at once); closes them afterwards."""
    opened: list[ClinicStore] = []

    def opener(*, read_only: bool = False) -> ClinicStore:
        store = dbkit.open_store(db_url, read_only=read_only)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()


@pytest.fixture
def clinic(open_store: Callable[..., ClinicStore]) -> ClinicStore:
    """A database with a few patients whose names and numbers exercise search."""
    store = open_store()
    store.patients.add_many(SAMPLE_PATIENTS)
    return store


@pytest.fixture
def empty_clinic(open_store: Callable[..., ClinicStore]) -> ClinicStore:
    return open_store()


@pytest.fixture
def make_window(
    qtbot: QtBot, isolated_settings: Path, today: Callable[[], date]
) -> Callable[[ClinicStore], MainWindow]:
    """A shown main window on ``store`` whose search index is ready."""

    def make(store: ClinicStore) -> MainWindow:
        window = MainWindow(store, today=today)
        qtbot.addWidget(window, before_close_func=discard_dialogs)
        window.show()
        qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
        return window

    return make


def discard_dialogs(widget: QWidget) -> None:
    """Test teardown: close open editors without the "discard your typing?" question a person would get."""
    dialogs = [widget] if isinstance(widget, QDialog) else widget.findChildren(QDialog)
    for dialog in dialogs:
        if dialog.isVisible():
            dialog.done(QDialog.DialogCode.Rejected)


def patient(given: str, family: str, born: date, **changes: object) -> Patient:
    return Patient(given_name=given, family_name=family, date_of_birth=born).with_changes(**changes)


SAMPLE_PATIENTS = [
    patient("Zoë", "Clarke", date(1990, 4, 2), sex=Sex.FEMALE, nhs_number="9434765919"),
    patient("Thị Minh", "Nguyễn", date(1985, 11, 23), preferred_name="Minh", sex=Sex.FEMALE),
    patient("Magnus", "Ødegård", date(1979, 1, 30), medicare_number="2123456701", medicare_irn="1"),
    patient("Siobhán", "O'Brien", date(2001, 7, 9), phone="07700 900123"),
    patient(
        "Oliver",
        "Smith-Jones",
        date(1968, 3, 14),
        gp=GeneralPractitioner(name="Dr Amara Singh", practice="Riverside Surgery"),
        gp_consent=Consent(given=True, recorded_on=date(2024, 5, 1)),
    ),
    patient("Wei", "Zhang", date(1990, 2, 4), preferred_name="David"),
]
