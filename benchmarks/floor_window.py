"""The floor for CalfDesk's start-up: the least any Qt window over SQLAlchemy can do.

Imports ``sqlalchemy.orm`` (any app with a database pays that), shows a bare QMainWindow holding an
empty QTableView, and quits once the table has painted, printing ``startup_ms=<int>`` like the app's
``--startup-check``. With ``--without-sqlalchemy`` it is the bare-window floor.

Run as a script (``python benchmarks/floor_window.py``), never imported: the imports are the measurement.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import sys  # noqa: E402 - after the clock starts, as in the app's entry point

if "--without-sqlalchemy" not in sys.argv:
    import sqlalchemy.orm  # noqa: F401 - imported for its cost

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView  # noqa: E402


class _FirstPaint(QObject):
    """Quits once the table's viewport has painted (the same moment the app's start-up check waits for)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, _finish)
        return super().eventFilter(watched, event)


def _finish() -> None:
    sys.stdout.write(f"startup_ms={round((time.perf_counter() - STARTED) * 1000)}\n")
    sys.stdout.flush()
    QApplication.exit(0)


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    table = QTableView()
    window.setCentralWidget(table)
    probe = _FirstPaint()
    table.viewport().installEventFilter(probe)
    window.resize(1200, 800)
    window.show()
    status = app.exec()
    window.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
