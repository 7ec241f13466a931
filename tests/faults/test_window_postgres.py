"""The window against a PostgreSQL server that fails (RELIABILITY.md B5, B6): the event loop keeps
running while a save waits on a black hole, the editor keeps every typed character whatever happened to
the connection, and the user's retry stores the patient once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from db import deadline
from tests import dbkit
from tests.faults.editing import TYPED, type_new_patient, typed, uid_of
from tests.faults.hooks import Server, once, rows_with_uid
from tests.faults.proxy import FaultProxy
from ui.main_window import MainWindow

pytestmark = pytest.mark.postgres

DEADLINE_S = 2.0
TICK_MS = 50
MAX_EVENT_LOOP_LATENCY_S = 0.250  # B6 (proposal)


@pytest.fixture
def store(proxy: FaultProxy, pg_url: str) -> Iterator[Any]:
    opened = dbkit.open_store(proxy.url(pg_url))
    deadline.of(opened.engine).seconds = DEADLINE_S
    yield opened
    opened.close()


class LoopWatch:
    """A 50 ms timer on the GUI thread; the longest gap between its ticks is how long the window froze."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.monotonic()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def __enter__(self) -> LoopWatch:
        self._last = time.monotonic()
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self._last)
        self._last = now


def test_the_window_stays_responsive_while_a_save_waits_on_a_black_hole(
    qtbot: QtBot, store: Any, proxy: FaultProxy, server: Server,
    window_on: Callable[[Any], MainWindow], unexpected_errors: list[object],
) -> None:  # fmt: skip
    window = window_on(store)
    editor = type_new_patient(qtbot, window)
    uid = uid_of(editor)
    proxy.black_hole(True)
    started = time.monotonic()
    with LoopWatch() as watch:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(editor.banner.isVisible, timeout=int((DEADLINE_S + 5) * 1000))
    failed_after = time.monotonic() - started
    print(f"\nB6 GUI: save failed after {failed_after:.2f} s; longest event-loop gap {watch.longest * 1000:.0f} ms")
    assert watch.longest < MAX_EVENT_LOOP_LATENCY_S
    assert failed_after <= DEADLINE_S + 2
    assert editor.banner.text.startswith("The database server is not answering.")
    assert editor.isVisible() and typed(editor) == TYPED
    proxy.black_hole(False)
    qtbot.wait(600)  # past the moment right after a cut in which reconnecting fails at once
    with qtbot.waitSignal(editor.patient_saved, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert rows_with_uid(server, uid) == 1
    assert unexpected_errors == []


def test_a_reset_during_the_save_keeps_the_typing_and_the_retry_stores_it_once(
    qtbot: QtBot, store: Any, proxy: FaultProxy, server: Server,
    window_on: Callable[[Any], MainWindow], unexpected_errors: list[object],
) -> None:  # fmt: skip
    window = window_on(store)
    editor = type_new_patient(qtbot, window)
    uid = uid_of(editor)
    once(store.engine, "after_cursor_execute", proxy.reset_all, "INSERT INTO patient")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.banner.isVisible, timeout=5_000)
    assert editor.banner.text.startswith("The database server is not answering.")
    assert typed(editor) == TYPED and editor.save_button.isEnabled()
    assert rows_with_uid(server, uid) == 0 and window.directory.total == 0
    with qtbot.waitSignal(editor.patient_saved, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert rows_with_uid(server, uid) == 1 and window.directory.total == 1
    assert unexpected_errors == []
