"""Type into the real main window, one key at a time, and time each keystroke; run in its own process.

    python -m benchmarks.window_probe --database URL --queries N --output FILE [--sql]

Opens ``ui.main_window.MainWindow`` on the database, as the app does, and waits for the search index
(``window.directory.ready``). Then, for each query, it clears the field and types the query into the
QLineEdit named ``patientSearch``. A keystroke is timed from sending the key event until the table's
model has been reset with the new result (the list applies queries on a zero-time timer) and the
QTableView named ``patientTable`` has repainted. ``--sql`` also times the bare-SQL equivalent of every
keystroke's text. The process's peak RSS is read last. Results go to FILE as JSON (stdout carries Qt's
chatter).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView

import db
from benchmarks.environment import BENCH_PASSWORD, BENCH_USER
from benchmarks.queries import keystrokes, realistic_queries
from db import cipher
from ui.main_window import MainWindow
from ui.unlock import Entry
from workstation.audit.auditor import Auditor
from workstation.services.session import ClinicSession
from workstation.text import fold

INDEX_TIMEOUT_S = 300
KEYSTROKE_TIMEOUT_S = 10
_SQL_PREFIX_QUERY = "SELECT id FROM patient WHERE sort_key LIKE ? ESCAPE '\\' ORDER BY sort_key, id"


class _Typist:
    """Types into the search field and times each key until the list has repainted."""

    def __init__(self, window: MainWindow) -> None:
        search = window.findChild(QLineEdit, "patientSearch")
        table = window.findChild(QTableView, "patientTable")
        if search is None or table is None:
            raise SystemExit("the main window has no QLineEdit 'patientSearch' or QTableView 'patientTable'")
        self._search, self._table = search, table
        self._resets = 0
        table.model().modelReset.connect(self._on_model_reset)
        search.setFocus()

    def _on_model_reset(self) -> None:
        self._resets += 1

    def clear(self) -> None:
        if self._search.text():
            self._until_applied(self._search.clear)
        _drain_events()

    def type(self, query: str) -> list[float]:
        """Milliseconds for each keystroke of ``query``."""
        return [self._timed_key(ch) for ch in query]

    def _timed_key(self, ch: str) -> float:
        started = time.perf_counter()
        self._until_applied(lambda: _press(self._search, ch))
        self._table.viewport().repaint()
        elapsed = (time.perf_counter() - started) * 1000
        _drain_events()
        return elapsed

    def _until_applied(self, action: Callable[[], None]) -> None:
        before = self._resets
        action()
        deadline = time.perf_counter() + KEYSTROKE_TIMEOUT_S
        # A harness may spin the event loop: the app itself never does (ARCHITECTURE.md 3.2).
        while self._resets == before:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            if time.perf_counter() > deadline:
                raise SystemExit(f"the list did not update within {KEYSTROKE_TIMEOUT_S} s of a keystroke")


def _drain_events() -> None:
    """Deliver what a keystroke left queued (the field's and the label's repaints) outside the timed span,
    so that no keystroke is charged for the one before it."""
    for _ in range(2):  # events posted while the first pass runs are delivered by the second
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


def _press(field: QLineEdit, ch: str) -> None:
    if ch.isascii():
        QTest.keyClick(field, ch)  # type: ignore[call-overload]  # the char overload is missing from the stubs
    else:
        # QTest.keyClick maps only ASCII to key codes; a real keyboard sends other letters as text.
        QTest.sendKeyEvent(QTest.KeyAction.Click, field, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def _wait_for_index(window: MainWindow) -> float:
    """Seconds until the search index was ready."""
    started = time.perf_counter()
    if not window.directory.ready:
        loop = QEventLoop()
        window.directory.index_built.connect(loop.quit)
        QTimer.singleShot(INDEX_TIMEOUT_S * 1000, loop.quit)
        loop.exec()
    if not window.directory.ready:
        raise SystemExit(f"the search index was not ready after {INDEX_TIMEOUT_S} s")
    return time.perf_counter() - started


def _sql_like(path: str, key: bytes | None, texts: list[str]) -> list[float]:
    """Milliseconds for the bare-SQL equivalent of each text: a LIKE prefix on the indexed list key.

    The key is the folded "family<US>given<US>birth date", so "okafor chi" becomes ``okafor\x1fchi%``.
    This is the quickest answer SQLite can give (an index range scan), and it answers less than the
    window does (no given-name-first, date or identifier matches): a floor, not a rival.
    """
    connection = cipher.connect(Path(path), key, read_only=True)  # encrypted, as the window's is
    # LIKE may use the BINARY index on sort_key only when it is case-sensitive; the key is folded anyway.
    connection.execute("PRAGMA case_sensitive_like = ON")
    timings = []
    try:
        for text in texts:
            pattern = _like_prefix("\x1f".join(fold(text).split()))
            started = time.perf_counter()
            connection.execute(_SQL_PREFIX_QUERY, (pattern,)).fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return timings


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _logged_in(database: str) -> tuple[db.Store, ClinicSession]:
    """The records as the app gives them to the window: the password unlocks the key, then the owner's
    session (checked, audited)."""
    opened = Entry(database, workstation="benchmark").log_in(BENCH_USER, BENCH_PASSWORD)
    auditor = Auditor(opened.store.audit, "benchmark")
    return opened.store, ClinicSession(opened.store, opened.login.actor, auditor)


def probe(database: str, query_count: int, with_sql: bool) -> dict[str, Any]:
    app = QApplication.instance() or QApplication(sys.argv)
    store, session = _logged_in(database)
    window = MainWindow(session, can=session.can)
    window.show()
    try:
        index_ready_s = _wait_for_index(window)
        queries = realistic_queries(list(window.directory.summaries.values()), query_count)
        typist = _Typist(window)
        texts: list[str] = []
        timings: list[float] = []
        for query in queries:
            typist.clear()
            timings += typist.type(query)
            texts += keystrokes(query)
        result: dict[str, Any] = {
            "patients": window.directory.total,
            "index_ready_s": index_ready_s,
            "queries": len(queries),
            "keystroke_ms": timings,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # Linux reports KiB
        }
    finally:
        window.close()
        app.processEvents()
        store.close()
    if with_sql:
        sqlite_path = getattr(store, "target").sqlite_path  # noqa: B009 - Store, not the ClinicStore protocol
        result["sql_ms"] = _sql_like(str(sqlite_path), store.sqlite_key, texts)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.window_probe")
    parser.add_argument("--database", required=True)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--sql", action="store_true", help="also time the bare-SQL equivalent")
    args = parser.parse_args()
    result = probe(args.database, args.queries, args.sql)
    args.output.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
