"""The rest between the two legs of the heel-raise test: 2 minutes (CLINICAL.md 2.1 step 6)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

REST_SECONDS = 120
START_KEYS = "Ctrl+R"
SKIP_KEYS = "Ctrl+K"


def mm_ss(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


class RestTimerWidget(QWidget):
    """Counts down once a second; can be started again (a fresh 2 minutes) or skipped."""

    rest_started = Signal()
    rest_finished = Signal(bool)  # True when skipped rather than run to the end

    def __init__(self, seconds: int = REST_SECONDS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restTimerWidget")
        self._seconds = seconds
        self._remaining = seconds
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.time_label = QLabel(mm_ss(seconds))
        self.time_label.setObjectName("restTime")
        self.time_label.setAccessibleName("Rest time left")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.time_label.setFont(font)
        self.status_label = QLabel("Rest 2 minutes between legs.")
        self.status_label.setObjectName("restStatus")
        self.status_label.setWordWrap(True)
        self.start_button = QPushButton(f"Start rest ({START_KEYS})")
        self.start_button.setObjectName("restStart")
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.skip_button = QPushButton(f"Skip rest ({SKIP_KEYS})")
        self.skip_button.setObjectName("restSkip")
        self.skip_button.clicked.connect(self._on_skip_button_clicked)
        self.shortcuts = []
        for keys, slot in ((START_KEYS, self._on_start_button_clicked), (SKIP_KEYS, self._on_skip_button_clicked)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
            self.shortcuts.append(shortcut)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.skip_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.time_label, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self._show_state()

    @property
    def remaining(self) -> int:
        return self._remaining

    def is_running(self) -> bool:
        return self.timer.isActive()

    def start(self) -> None:
        self._remaining = self._seconds
        self.timer.start()
        self.status_label.setText("Resting. The other leg next.")
        self._show_state()
        self.rest_started.emit()

    def skip(self) -> None:
        if self.timer.isActive():
            self._finish("Rest skipped. Test the other leg.", skipped=True)

    def stop(self) -> None:
        """Stop without finishing (the page was left): the next start gives a full rest again."""
        self.timer.stop()
        self._remaining = self._seconds
        self._show_state()

    @Slot()
    def _on_start_button_clicked(self) -> None:
        self.start()

    @Slot()
    def _on_skip_button_clicked(self) -> None:
        self.skip()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._remaining = max(0, self._remaining - 1)
        if self._remaining == 0:
            self._finish("Rest over. Test the other leg.", skipped=False)
        else:
            self._show_state()

    def _finish(self, message: str, *, skipped: bool) -> None:
        self.timer.stop()
        self._remaining = 0
        self.status_label.setText(message)
        self._show_state()
        self.rest_finished.emit(skipped)

    def _show_state(self) -> None:
        self.time_label.setText(mm_ss(self._remaining))
        running = self.timer.isActive()
        self.start_button.setText(f"{'Restart' if running else 'Start'} rest ({START_KEYS})")
        self.skip_button.setEnabled(running)
