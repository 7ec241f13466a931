"""The line under a form field that says what is wrong with it (validation is inline, not modal)."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

from ui.theme import Tone, tone_colours
from workstation.problems import Problem, Severity


class FieldMessageLabel(QLabel):
    """Hidden while there is nothing to say; takes no space then."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._message = ""
        self._tone: Tone | None = None
        self.hide()

    @property
    def message(self) -> str:
        return self._message

    @property
    def is_problem(self) -> bool:
        return bool(self._message) and self._tone is not None

    def show_problem(self, problem: Problem) -> None:
        self._show(problem.message, Tone.ERROR if problem.severity is Severity.ERROR else Tone.WARNING)

    def show_hint(self, text: str) -> None:
        """A neutral note, such as how a typed date was read."""
        self._show(text, None)

    def clear_message(self) -> None:
        self._message = ""
        self.clear()
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self._message:
            self._render()  # the light/dark scheme changed: pick this tone's colour for the new one
        super().changeEvent(event)

    def _show(self, message: str, tone: Tone | None) -> None:
        self._message = message
        self._tone = tone
        self._render()
        self.show()

    def _render(self) -> None:
        # Colour through rich text rather than setPalette: a palette change here would re-enter changeEvent.
        if self._tone is None:
            colour = self.palette().color(QPalette.ColorRole.PlaceholderText)
        else:
            colour = tone_colours(self._tone, self.palette()).text
        self.setText(f'<span style="color:{colour.name()}">{html.escape(self._message)}</span>')
