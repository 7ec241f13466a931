"""The thumbnail of a letter image (the clinic's logo, a clinician's signature), drawn on white paper with a
thin edge, as it prints, whatever the window's colours.

A transparent PNG is mostly see-through: shown on the window's own colour, the dark ink of a signature or
of a logo's lettering all but vanished in a dark scheme. The paper is drawn when painted, at the scale of
the screen the window is on then, so it stays sharp when the window moves to a screen of another scale.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QWidget

PAPER = QColor("#ffffff")  # the page the image is printed on
PAPER_EDGE = QColor("#9e9e9e")  # a thin grey edge: white paper still shows on a light window
PAPER_MARGIN = 4  # white around the image, in device-independent pixels


def on_paper(image: QImage, size: QSize, pixel_ratio: float) -> QPixmap:
    """``image`` fitted into ``size`` (device-independent pixels) on white paper with a one-pixel edge."""
    pixmap = QPixmap(size * pixel_ratio)
    pixmap.setDevicePixelRatio(pixel_ratio)
    pixmap.fill(PAPER_EDGE)
    paper = QRect(QPoint(0, 0), size)
    painter = QPainter(pixmap)
    painter.fillRect(paper.adjusted(1, 1, -1, -1), PAPER)
    room = paper.adjusted(PAPER_MARGIN, PAPER_MARGIN, -PAPER_MARGIN, -PAPER_MARGIN)
    scaled = image.scaled(room.size() * pixel_ratio, Qt.AspectRatioMode.KeepAspectRatio,
                          Qt.TransformationMode.SmoothTransformation)  # fmt: skip
    shown = QSizeF(scaled.size()) / pixel_ratio
    corner = QRectF(room).center() - QPointF(shown.width() / 2, shown.height() / 2)
    painter.drawImage(QRectF(corner, shown), scaled)
    painter.end()
    return pixmap


class PaperPreviewLabel(QLabel):
    """An image on paper (``show_image``), or a line of text in the palette's frame (``show_text``)."""

    def __init__(self, image_size: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFixedSize(image_size + QSize(2 * PAPER_MARGIN, 2 * PAPER_MARGIN))
        self._image = QImage()
        self._paper: QPixmap | None = None  # drawn for the scale it was last painted at

    @property
    def has_image(self) -> bool:
        return not self._image.isNull()

    def show_image(self, image: QImage) -> None:
        self._image, self._paper = image, None
        self.setFrameShape(QFrame.Shape.NoFrame)  # the paper has its own edge
        self.clear()
        self.update()

    def show_text(self, text: str) -> None:
        self._image, self._paper = QImage(), None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setText(text)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image.isNull():
            super().paintEvent(event)
            return
        ratio = self.devicePixelRatioF()
        if self._paper is None or self._paper.devicePixelRatio() != ratio:
            self._paper = on_paper(self._image, self.size(), ratio)
        painter = QPainter(self)
        painter.drawPixmap(QPoint(0, 0), self._paper)
        painter.end()
