"""Fixtures of the fault tests: the fault proxy in front of the test PostgreSQL server, a direct look at
that server past the app, and what the window tests need (isolated settings, a shown main window, and a
record of anything that reached the crash handler)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.faults.hooks import Server
from tests.faults.proxy import FaultProxy

# The offscreen platform plugin (every GUI test uses it) says this for each window shown; it is about the
# plugin, not about us (as in tests/ui/conftest.py).
_OFFSCREEN_PLUGIN_MESSAGE = r"^This plugin does not support propagateSizeHints\(\)$"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.qt_log_ignore(_OFFSCREEN_PLUGIN_MESSAGE))


@pytest.fixture
def proxy(pg_url: str) -> Iterator[FaultProxy]:
    with FaultProxy.in_front_of(pg_url) as started:
        yield started


@pytest.fixture
def server(pg_url: str) -> Iterator[Server]:
    """Run a query on the test server directly (never through the proxy, never as the app)."""
    import psycopg

    with psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True) as connection:
        yield lambda query: connection.execute(query).fetchall()


@pytest.fixture
def window_settings(tmp_path: Path) -> Path:
    """QSettings of this test live in its tmp_path, never the user's."""
    from PySide6.QtCore import QSettings

    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def window_on(qtbot: Any, window_settings: Path) -> Callable[[Any], Any]:
    """``window_on(store)``: a shown main window on ``store`` whose search index is ready."""
    from tests.faults.editing import TODAY
    from tests.ui.conftest import discard_dialogs
    from ui.main_window import MainWindow

    def make(store: Any) -> MainWindow:
        window = MainWindow(store, today=lambda: TODAY)
        qtbot.addWidget(window, before_close_func=discard_dialogs)
        window.show()
        qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
        return window

    return make


@pytest.fixture
def unexpected_errors(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> Iterator[list[object]]:
    """What reached the crash handler (``sys.excepthook``) or was logged as an error: must stay empty."""
    reached: list[object] = []
    monkeypatch.setattr(sys, "excepthook", lambda *info: reached.append(info))
    with caplog.at_level(logging.ERROR):
        yield reached
    reached.extend(record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR)
