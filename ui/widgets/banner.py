"""A strip across the top of a window for something the user should know now, without a modal box."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from ui.theme import Tone, tone_colours

_ICONS = {
    Tone.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Tone.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Tone.NOTICE: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


class BannerWidget(QWidget):
    """Hidden until ``show_message``; a dismissable banner has a close button."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tone = Tone.ERROR
        self._icon = QLabel()
        self._label = QLabel()
        self._label.setObjectName("bannerText")
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("Dismiss")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self._on_close_clicked)
        layout = QHBoxLayout(self)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    @property
    def text(self) -> str:
        return self._label.text()

    @property
    def tone(self) -> Tone:
        return self._tone

    def show_message(self, text: str, tone: Tone = Tone.ERROR, *, dismissable: bool = True) -> None:
        self._tone = tone
        self._label.setText(text)
        self.setAccessibleName(text)
        self.close_button.setVisible(dismissable)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self._icon.setPixmap(self.style().standardIcon(_ICONS[tone]).pixmap(size, size))
        self._apply_text_colour()
        self.show()
        self.update()

    def clear(self) -> None:
        self._label.clear()
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_text_colour()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), tone_colours(self._tone, self.palette()).banner_background)

    def _apply_text_colour(self) -> None:
        # Only the label's palette is set, never the banner's, so this cannot re-trigger itself.
        palette = self._label.palette()
        colours = tone_colours(self._tone, self.palette())
        palette.setColor(QPalette.ColorRole.WindowText, colours.banner_text)
        palette.setColor(QPalette.ColorRole.ButtonText, colours.banner_text)
        self._label.setPalette(palette)
        self.close_button.setPalette(palette)

    @Slot()
    def _on_close_clicked(self) -> None:
        self.clear()
        self.dismissed.emit()
