"""A large per-leg repetition counter for the heel-raise test, driven by the space bar or a click.

The physio's eyes are on the patient, so the counter takes whole-key presses: Space adds a raise to the
active leg, Backspace takes one off (a raise counted by mistake), the arrow keys or L and R change leg,
and Tab moves between the two big numbers (the one with focus is the active leg). The counts can also be
typed in the boxes underneath, for a test counted on paper.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from workstation.clinical.heel_raise_protocol import MAX_REPS
from workstation.progress.chart_data import LEFT_COLOUR, RIGHT_COLOUR

Leg = Literal["left", "right"]
LEGS: tuple[Leg, Leg] = ("left", "right")
NOT_COUNTED = -1  # the spin boxes' special value: no count yet, which is not 0 raises


class _Tally(QFrame):
    """One leg's big number: focusable, clickable; tells the counter about keys and clicks."""

    def __init__(self, counter: RepCounterWidget, leg: Leg) -> None:
        super().__init__(counter)
        self._counter = counter
        self.leg = leg
        self.setObjectName(f"tally_{leg}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(1)
        self.setAutoFillBackground(True)
        self.setAccessibleName(f"{leg.capitalize()} leg raises")
        # The leg's colour and shape as on every progress chart (blue circle left, vermillion square right).
        colour, glyph = (LEFT_COLOUR, "●") if leg == "left" else (RIGHT_COLOUR, "■")
        # On white, so it still shows on the highlighted (counting) leg's coloured background.
        self._mark = f'<span style="color:{colour}; background-color:#ffffff">&nbsp;{glyph}&nbsp;</span>'
        self.caption = QLabel(f"{self._mark} {leg.capitalize()}")
        self.caption.setTextFormat(Qt.TextFormat.RichText)  # fixed text of ours, never the user's
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number = QLabel("–")
        self.number.setObjectName(f"tallyNumber_{leg}")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 5)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setMinimumWidth(self.number.fontMetrics().horizontalAdvance("000") + 16)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.number)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._counter.handle_key(event.key()):
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._counter.set_active_leg(self.leg)
            self._counter.add_rep()
            event.accept()
        else:
            super().mousePressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._counter.set_active_leg(self.leg)
        super().focusInEvent(event)

    def event(self, event: QEvent) -> bool:
        # Space and Backspace are ours while the tally has focus, not a shortcut elsewhere in the window.
        ours = (Qt.Key.Key_Space, Qt.Key.Key_Backspace)
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and event.key() in ours:
            event.accept()
            return True
        return super().event(event)

    def show_active(self, active: bool) -> None:
        self.setLineWidth(4 if active else 1)
        self.setBackgroundRole(QPalette.ColorRole.Highlight if active else QPalette.ColorRole.Window)
        self.setForegroundRole(QPalette.ColorRole.HighlightedText if active else QPalette.ColorRole.WindowText)
        self.caption.setText(f"{self._mark} {self.leg.capitalize()}{'&nbsp;&nbsp;(counting)' if active else ''}")


class RepCounterWidget(QWidget):
    """Both legs' counts (None: not counted), the active leg, and the keys and clicks that change them."""

    count_changed = Signal(str, object)  # leg, count (int or None)
    active_leg_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("repCounterWidget")
        self._counts: dict[Leg, int | None] = {"left": None, "right": None}
        self._active: Leg = "left"
        self.tallies: dict[Leg, _Tally] = {}
        self.spins: dict[Leg, QSpinBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, leg in enumerate(LEGS):
            tally = _Tally(self, leg)
            spin = QSpinBox()
            spin.setObjectName(f"reps_{leg}")
            spin.setRange(NOT_COUNTED, MAX_REPS)
            spin.setSpecialValueText("Not counted")
            spin.setValue(NOT_COUNTED)
            spin.setAccessibleName(f"{leg.capitalize()} leg raises, typed")
            spin.valueChanged.connect(lambda value, leg=leg: self._on_spin_value_changed(leg, value))
            grid.addWidget(tally, 0, column)
            grid.addWidget(spin, 1, column)
            self.tallies[leg], self.spins[leg] = tally, spin
        hint = QLabel("Space: add a raise · Backspace: take one off · ← → or L R: change leg · click a number: add one")
        hint.setObjectName("repCounterHint")
        hint.setWordWrap(True)
        grid.addWidget(hint, 2, 0, 1, 2)
        self.setTabOrder(self.tallies["left"], self.tallies["right"])
        self.setTabOrder(self.tallies["right"], self.spins["left"])
        self.setTabOrder(self.spins["left"], self.spins["right"])
        self._show_active()

    @property
    def active_leg(self) -> Leg:
        return self._active

    def count(self, leg: Leg) -> int | None:
        return self._counts[leg]

    def set_active_leg(self, leg: Leg) -> None:
        if leg == self._active:
            return
        self._active = leg
        self._show_active()
        self.active_leg_changed.emit(leg)

    def set_count(self, leg: Leg, count: int | None) -> None:
        """Show a count (from the draft, or a key press); says so through count_changed when it changed."""
        if count is not None:
            count = max(0, min(MAX_REPS, count))
        if count == self._counts[leg]:
            return
        self._counts[leg] = count
        self.tallies[leg].number.setText("–" if count is None else str(count))
        spin = self.spins[leg]
        spin.blockSignals(True)
        spin.setValue(NOT_COUNTED if count is None else count)
        spin.blockSignals(False)
        self.count_changed.emit(leg, count)

    def add_rep(self) -> None:
        self.set_count(self._active, (self._counts[self._active] or 0) + 1)

    def remove_rep(self) -> None:
        current = self._counts[self._active]
        if current:  # never below 0; "not counted" stays as it is
            self.set_count(self._active, current - 1)

    def focus_active(self) -> None:
        self.tallies[self._active].setFocus(Qt.FocusReason.OtherFocusReason)

    def handle_key(self, key: int) -> bool:
        """A key pressed on a tally; True if it was one of the counter's."""
        if key == Qt.Key.Key_Space:
            self.add_rep()
        elif key == Qt.Key.Key_Backspace:
            self.remove_rep()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_L):
            self._switch_to("left")
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_R):
            self._switch_to("right")
        else:
            return False
        return True

    def _switch_to(self, leg: Leg) -> None:
        self.set_active_leg(leg)
        self.focus_active()

    def _show_active(self) -> None:
        for leg, tally in self.tallies.items():
            tally.show_active(leg == self._active)

    def _on_spin_value_changed(self, leg: Leg, value: int) -> None:
        self.set_count(leg, None if value == NOT_COUNTED else value)
