"""Bugs: write them to the log and show a crash dialog whose details can be copied.

Logs and crash reports carry record ids, never patient details. We never log widget text or record
values, and a report keeps an exception's message only when Python wrote it about code (an attribute
that does not exist, a wrong argument count); any other message may quote data, so it is withheld.
Local variables are never captured.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

import PySide6
from PySide6.QtCore import QObject, Qt, Signal, Slot, qVersion
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import workstation
from workstation.errors import CalfDeskError

LOG_FILE_NAME = "calfdesk.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3

# Messages Python writes about the code itself; they name attributes, types and modules, not values.
_CODE_MESSAGE_TYPES = (AttributeError, NameError, ImportError, TypeError, IndexError, ZeroDivisionError)
EXIT_CODE_BUG = 1
WITHHELD = "(message withheld: it may contain patient details)"

_CAUSE_LINE = "\nThe above exception was the direct cause of the following exception:\n"
_CONTEXT_LINE = "\nDuring handling of the above exception, another exception occurred:\n"

_log = logging.getLogger(__name__)


def open_log_file(log_dir: Path) -> RotatingFileHandler:
    """A rotating log file in ``log_dir`` (created if missing)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        log_dir / LOG_FILE_NAME, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    return handler


def safe_message(error: BaseException) -> str:
    if isinstance(error, CalfDeskError):
        return error.message  # written for clinicians, and never naming a patient (workstation.errors)
    if isinstance(error, _CODE_MESSAGE_TYPES):
        return str(error)
    return WITHHELD


def crash_report(error: BaseException, thread_name: str) -> str:
    """The text of a crash report: versions, thread, and the traceback with messages scrubbed."""
    lines = [
        f"CalfDesk {workstation.__version__} crash report",
        f"When (UTC): {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {PySide6.__version__}",
        f"System: {platform.platform()}",
        f"Thread: {thread_name}",
        "",
    ]
    chain = list(_exception_chain(error))
    for position, link in enumerate(reversed(chain)):
        if position:
            caused = link.__cause__ is chain[len(chain) - position]
            lines.append(_CAUSE_LINE if caused else _CONTEXT_LINE)
        lines.append("Traceback (most recent call last):")
        lines.extend(traceback.StackSummary.extract(traceback.walk_tb(link.__traceback__)).format())
        lines.append(f"{type(link).__module__}.{type(link).__qualname__}: {safe_message(link)}")
    return "\n".join(line.rstrip("\n") for line in lines)


def _exception_chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)


class CrashReporter(QObject):
    """Installs the excepthooks; a bug on any thread is logged there and shown on the GUI thread."""

    crash_reported = Signal(str)

    def __init__(self, log_dir: Path, parent: QObject | None = None, *, interactive: bool = True) -> None:
        super().__init__(parent)
        # Not interactive (start-up check, smoke test): the report goes to stderr and the event loop ends
        # with exit code 1, so that a bug fails the check instead of waiting for someone to close a dialog.
        self._interactive = interactive
        self._handler = open_log_file(log_dir)
        self.log_path = Path(self._handler.baseFilename)
        self._dialog: CrashDialog | None = None
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        self._previous_levels = (logging.getLogger().level, logging.getLogger("sqlalchemy").level)
        self.crash_reported.connect(self._on_crash_reported, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        """Hook both excepthooks and send INFO and above to the log file."""
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._on_main_exception
        threading.excepthook = self._on_thread_exception
        root = logging.getLogger()
        self._previous_levels = (root.level, logging.getLogger("sqlalchemy").level)
        root.addHandler(self._handler)
        root.setLevel(logging.INFO)
        # SQLAlchemy logs statements with their parameters (names, dates of birth) at INFO: never let it.
        logging.getLogger("sqlalchemy").setLevel(logging.WARNING)

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous_hooks
        root = logging.getLogger()
        root.removeHandler(self._handler)
        root.setLevel(self._previous_levels[0])
        logging.getLogger("sqlalchemy").setLevel(self._previous_levels[1])
        self._handler.close()

    def report(self, error: BaseException, thread_name: str = "MainThread") -> str:
        text = crash_report(error, thread_name)
        _log.error("Unexpected error\n%s", text)
        self.crash_reported.emit(text)
        return text

    def _on_main_exception(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        self.report(error.with_traceback(tb), threading.current_thread().name)

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        thread_name = args.thread.name if args.thread is not None else "unknown thread"
        self.report(args.exc_value.with_traceback(args.exc_traceback), thread_name)

    @Slot(str)
    def _on_crash_reported(self, text: str) -> None:
        if not self._interactive:
            sys.stderr.write(text + "\n")
            QApplication.exit(EXIT_CODE_BUG)
            return
        if self._dialog is not None and self._dialog.isVisible():
            self._dialog.add_report(text)  # a cascade of errors: one dialog, every report in it
            return
        self._dialog = CrashDialog(text, self.log_path, QApplication.activeWindow())
        self._dialog.show()


class CrashDialog(QDialog):
    """Says something went wrong in plain words, and offers the details for a bug report."""

    def __init__(self, report: str, log_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("CalfDesk: something went wrong")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        explanation = QLabel(
            "CalfDesk ran into a problem it did not expect. Everything you saved before this is safe. "
            "You can carry on working; if something looks wrong, close and reopen CalfDesk.\n\n"
            "To help fix it, copy the details below into your report. They contain no patient "
            f"details. A copy is in the log file:\n{log_path}"
        )
        explanation.setWordWrap(True)
        explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._details = QPlainTextEdit(report)
        self._details.setObjectName("crashDetails")
        self._details.setReadOnly(True)
        self._details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setObjectName("copyDetails")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self._details, 1)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 100, self.fontMetrics().height() * 30)

    @property
    def details(self) -> str:
        return self._details.toPlainText()

    def add_report(self, report: str) -> None:
        self._details.appendPlainText("\n" + "=" * 40 + "\n" + report)

    @Slot()
    def _on_copy_clicked(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.details)
