"""The heel-raise metronome: up on one beat, down on the next (CLINICAL.md 2.1 step 3).

The beat is shown large, because the physio watches the patient and glances at the screen; the sound is
off unless asked for, since a clinic room often has other people in it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workstation.clinical.heel_raise_protocol import STANDARD_CADENCE_BPM

START_STOP_KEYS = "Ctrl+M"
_BEATS = ("Up", "Down")


class MetronomeWidget(QWidget):
    """A visible beat at a cadence in beats per minute; ``cadence`` None is self-paced (no metronome)."""

    beat_ticked = Signal(int)  # beats since the last start
    running_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metronomeWidget")
        self._cadence: int | None = STANDARD_CADENCE_BPM
        self._beats = 0
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # a drifting beat would change the count
        self.timer.timeout.connect(self._on_timer_timeout)
        self.beat_label = QLabel("Ready")
        self.beat_label.setObjectName("metronomeBeat")
        self.beat_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.beat_label.setAccessibleName("Metronome beat")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.5)
        font.setBold(True)
        self.beat_label.setFont(font)
        self.beat_label.setMinimumWidth(self.beat_label.fontMetrics().horizontalAdvance("Down") * 2)
        self.beat_label.setAutoFillBackground(True)
        self.beat_label.setMinimumHeight(self.beat_label.fontMetrics().height() * 2)
        self.beat_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.start_button = QPushButton()
        self.start_button.setObjectName("metronomeStart")
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.sound_box = QCheckBox("Beep on each beat")
        self.sound_box.setObjectName("metronomeSound")
        self.sound_box.setChecked(False)
        shortcut = QShortcut(QKeySequence(START_STOP_KEYS), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self._on_start_button_clicked)
        self.shortcut = shortcut
        controls = QVBoxLayout()
        controls.addWidget(self.start_button)
        controls.addWidget(self.sound_box)
        controls.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.beat_label, 1)
        layout.addLayout(controls)
        self._show_state()

    @property
    def beat_count(self) -> int:
        return self._beats

    @property
    def beat(self) -> str:
        """What the indicator says now: "Up", "Down", or "Ready" before the first beat."""
        return self.beat_label.text()

    @property
    def cadence(self) -> int | None:
        return self._cadence

    def is_running(self) -> bool:
        return self.timer.isActive()

    def set_cadence(self, bpm: int | None) -> None:
        """A new rate takes effect at once, even mid-test (the physio corrects a wrong setting)."""
        self._cadence = bpm if bpm else None
        if self._cadence is None:
            self.stop()
        else:
            self.timer.setInterval(round(60_000 / self._cadence))
        self._show_state()

    def start(self) -> None:
        if self._cadence is None or self.timer.isActive():
            return
        self._beats = 0
        self.timer.start(round(60_000 / self._cadence))
        self._show_state()
        self.running_changed.emit(True)

    def stop(self) -> None:
        if not self.timer.isActive():
            return
        self.timer.stop()
        self.beat_label.setText("Ready")
        self._show_state()
        self.running_changed.emit(False)

    @Slot()
    def _on_start_button_clicked(self) -> None:
        if self.timer.isActive():
            self.stop()
        else:
            self.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._beats += 1
        self.beat_label.setText(_BEATS[(self._beats - 1) % 2])
        # Swap foreground and background on "Down" so the beat reads from across the room.
        self._paint_beat(inverted=self._beats % 2 == 0)
        if self.sound_box.isChecked():
            QApplication.beep()
        self.beat_ticked.emit(self._beats)

    def _show_state(self) -> None:
        running = self.timer.isActive()
        if self._cadence is None:
            self.start_button.setText("Self-paced: no metronome")
            self.start_button.setEnabled(False)
        else:
            verb = "Stop" if running else "Start"
            self.start_button.setText(f"{verb} metronome, {self._cadence} bpm ({START_STOP_KEYS})")
            self.start_button.setEnabled(True)
        if not running:
            self._paint_beat(inverted=False)

    def _paint_beat(self, *, inverted: bool) -> None:
        text, base = QPalette.ColorRole.Text, QPalette.ColorRole.Base
        self.beat_label.setForegroundRole(base if inverted else text)
        self.beat_label.setBackgroundRole(text if inverted else base)
