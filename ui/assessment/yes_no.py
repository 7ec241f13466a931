"""A yes/no answer that starts unanswered, for the assessment pages (and the helpers their forms share).

The contract reads a missing answer as "not answered", never as "no", so the field has three states and
starts in the third. It takes the keyboard focus itself: Y answers yes, N no, Delete or Backspace clears;
the two radio buttons are only for the mouse and never take focus, so Tab moves from question to question.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QRadioButton, QWidget

# Letters the wizard's own buttons use ("< &Back", "&Next >", "&Finish", "&Commit", "&Help"): a page must
# not take them, or Alt+N would stop moving to the next page.
WIZARD_LETTERS = frozenset("bnfch")


class YesNoField(QFrame):
    """Three states: ``True``, ``False`` or ``None`` (unanswered, the default).

    ``changed`` is emitted for what the user does; :meth:`set_value` (loading a draft) stays silent.
    """

    changed = Signal(object)  # bool | None

    def __init__(self, question: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: bool | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(question)
        self.yes_button = QRadioButton("Yes")
        self.no_button = QRadioButton("No")
        self._state = QLabel()
        for button in (self.yes_button, self.no_button):
            button.setAutoExclusive(False)  # an exclusive pair cannot go back to "unanswered"
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.yes_button.clicked.connect(self._on_yes_clicked)
        self.no_button.clicked.connect(self._on_no_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.yes_button)
        layout.addWidget(self.no_button)
        layout.addWidget(self._state)
        layout.addStretch(1)
        self.setToolTip("Y for yes, N for no, Delete to clear")
        self._show()

    def value(self) -> bool | None:
        return self._value

    def set_value(self, value: bool | None) -> None:
        self._value = value
        self._show()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier):
            super().keyPressEvent(event)  # leave accelerators and shortcuts to the window
        elif key == Qt.Key.Key_Y:
            self._answer(True)
        elif key == Qt.Key.Key_N:
            self._answer(False)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._answer(None)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.setFrameShape(QFrame.Shape.Box)  # the radios never take focus, so show it on the frame
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.setFrameShape(QFrame.Shape.NoFrame)
        super().focusOutEvent(event)

    def _answer(self, value: bool | None) -> None:
        changed = value is not self._value
        self.set_value(value)
        if changed:
            self.changed.emit(value)

    def _show(self) -> None:
        self.yes_button.setChecked(self._value is True)
        self.no_button.setChecked(self._value is False)
        self._state.setText("" if self._value is not None else "Not answered")
        self.setAccessibleDescription({True: "Yes", False: "No", None: "Not answered"}[self._value])

    @Slot()
    def _on_yes_clicked(self) -> None:
        self._answer(True)
        self.setFocus()

    @Slot()
    def _on_no_clicked(self) -> None:
        self._answer(False)
        self.setFocus()


class Accelerators:
    """Hands out Alt+letter accelerators for one page's labels, each letter once, never the wizard's own."""

    def __init__(self) -> None:
        self._used: set[str] = set(WIZARD_LETTERS)

    def label(self, text: str) -> str:
        """``text`` with an ``&`` before its first free letter (word starts preferred); as it was if none is."""
        starts = [i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or not text[i - 1].isalpha())]
        others = [i for i, ch in enumerate(text) if ch.isalpha() and i not in starts]
        for index in starts + others:
            letter = text[index].lower()
            if letter not in self._used:
                self._used.add(letter)
                return text[:index] + "&" + text[index:]
        return text


def buddy_label(text: str, field: QWidget, accelerators: Accelerators) -> QLabel:
    """A row label whose accelerator puts the focus on ``field``."""
    label = QLabel(accelerators.label(text))
    label.setBuddy(field)
    # Not wrapped: a wrapped label in a form row is given one line's height and clipped (seen at 100 %).
    if not field.accessibleName():
        field.setAccessibleName(text)
    return label
