"""The real pages of a letter, as images of the PDF, one under the other and as wide as the view.

The images come from ``pdf_pages.page_images`` (made off the GUI thread); this widget only scales and
shows them, so a resize or a new preview never waits for PDFium. Page Up and Page Down move a page at a time.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeyEvent, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

PAGE_GAP_PX = 12
A4_WIDTH_INCHES = 8.27
MIN_DPI, MAX_DPI = 96, 200  # readable when small; at most ~1,650 px across a page (12 MB an image)
_PAGE_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class LetterPagesWidget(QScrollArea):
    """Shows page images scaled to the width; ``note`` text (status or error) instead when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterPages")
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Letter preview")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._images: list[QImage] = []
        self._labels: list[QLabel] = []
        inner = QWidget()
        inner.setBackgroundRole(QPalette.ColorRole.Mid)  # pages stand out as paper on a darker desk
        inner.setAutoFillBackground(True)
        self._column = QVBoxLayout(inner)
        self._column.setSpacing(PAGE_GAP_PX)
        self._column.setContentsMargins(PAGE_GAP_PX, PAGE_GAP_PX, PAGE_GAP_PX, PAGE_GAP_PX)
        self.note = QLabel()
        self.note.setObjectName("previewNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setForegroundRole(QPalette.ColorRole.Light)
        self._column.addWidget(self.note)
        self._column.addStretch(1)
        self.setWidget(inner)

    @property
    def page_count(self) -> int:
        return len(self._images)

    @property
    def images(self) -> list[QImage]:
        return list(self._images)

    def wanted_dpi(self) -> float:
        """The resolution that fills the view's width in physical pixels (crisp at 200 %), within bounds."""
        pixels = max(self.viewport().width() - 2 * PAGE_GAP_PX, 1) * self.devicePixelRatioF()
        return max(MIN_DPI, min(MAX_DPI, pixels / A4_WIDTH_INCHES))

    def show_note(self, text: str) -> None:
        """A message where the pages go (no pages yet, or the preview failed); the pages, if any, stay."""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def set_pages(self, images: list[QImage]) -> None:
        """Show ``images``, keeping the reader's place as far as the new pages allow."""
        position = self.verticalScrollBar().value()
        self._images = list(images)
        while len(self._labels) < len(images):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setFrameShape(QFrame.Shape.Box)
            label.setObjectName(f"previewPage{len(self._labels) + 1}")
            self._column.insertWidget(self._column.count() - 1, label)
            self._labels.append(label)
        for index, label in enumerate(self._labels):
            label.setVisible(index < len(images))
            label.setAccessibleName(f"Page {index + 1} of {len(images)}")
        self._scale_pages()
        self.verticalScrollBar().setValue(position)

    def clear_pages(self) -> None:
        self.set_pages([])

    def page_top(self, index: int) -> int:
        """Where page ``index`` starts in the scrolled content, in pixels."""
        return self._labels[index].y() - PAGE_GAP_PX if 0 <= index < len(self._labels) else 0

    def current_page(self) -> int:
        """The page whose top is nearest above the top of the view."""
        position = self.verticalScrollBar().value()
        shown = [i for i in range(len(self._images)) if self.page_top(i) <= position + PAGE_GAP_PX]
        return shown[-1] if shown else 0

    def show_page(self, index: int) -> None:
        if self._images:
            index = max(0, min(index, len(self._images) - 1))
            self.verticalScrollBar().setValue(self.page_top(index))

    def page_step(self, step: int) -> None:
        """One page down (``step`` 1) or up (-1)."""
        self.show_page(self.current_page() + step)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _PAGE_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.page_step(1 if event.key() == Qt.Key.Key_PageDown else -1)
            event.accept()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale_pages()

    def _scale_pages(self) -> None:
        ratio = self.devicePixelRatioF()
        width = max(self.viewport().width() - 2 * PAGE_GAP_PX - 2, 50)  # 2: the page's frame
        for image, label in zip(self._images, self._labels, strict=False):
            scaled = image.scaledToWidth(int(width * ratio), Qt.TransformationMode.SmoothTransformation)
            pixmap = QPixmap.fromImage(scaled)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
