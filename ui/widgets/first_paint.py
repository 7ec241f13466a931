"""Tell when a window first shows something worth looking at, not merely an empty frame."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class FirstPaintProbe(QObject):
    """Emits ``painted`` once, after the first paint of a watched widget whose condition holds then.

    Each widget is watched with a condition (say, "the table has rows"), so a paint of the empty
    frame that comes before the data does not count.
    """

    painted = Signal()

    def __init__(self, watched: Sequence[tuple[QWidget, Callable[[], bool]]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._conditions = {widget: shows_content for widget, shows_content in watched}
        self.done = False
        for widget in self._conditions:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            shows_content = self._conditions.get(watched)  # type: ignore[call-overload]
            if shows_content is not None and shows_content():
                self.done = True
                for widget in self._conditions:
                    widget.removeEventFilter(self)
                QTimer.singleShot(0, self.painted.emit)  # after this paint has finished
        return super().eventFilter(watched, event)
