"""A letter's PDF as page images (the preview) and as printed pages, drawn by PDFium (pypdfium2).

QtPdf exists only in the 439 MB Addons wheel (TOOLCHAIN.md), so the app draws PDF pages with pypdfium2.
PDFium is not thread-safe: every call into it holds ``_PDFIUM``, so at most one thread draws at a time
whichever lane the work runs on. The app calls these from the task runner's COMPUTE lane only; the lock
keeps that true even if a caller forgets. pypdfium2 is imported here, on first use, never at start-up.

Images are made with QImage, which may be created and painted in any thread (QPixmap may not); painting
onto a QPrinter in a worker thread is supported by Qt as well ("Thread-Support in Qt Modules").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from workstation.errors import CalfDeskError

_PDFIUM = threading.Lock()
POINTS_PER_INCH = 72.0
PREVIEW_DPI = 120  # sharp enough to read at the width of half a screen; ~1,000 px across an A4 page
PRINT_DPI_CAP = 300  # a laser printer's own resolution; 1,200 dpi would take 550 MB per A4 page
_WHITE = (255, 255, 255, 255)


class UnreadablePdf(CalfDeskError):
    """The PDF bytes could not be opened (they were checked against their SHA-256 before, so: a bug)."""


def page_images(pdf: bytes, *, dpi: float = PREVIEW_DPI) -> list[QImage]:
    """Every page of ``pdf`` as an opaque image at ``dpi``."""
    with _PDFIUM, _open(pdf) as document:
        return [_render(document[index], dpi) for index in range(len(document))]


def page_count(pdf: bytes) -> int:
    with _PDFIUM, _open(pdf) as document:
        return len(document)


def print_pdf(pdf: bytes, printer: QPrinter, *, cancelled: Callable[[], bool] = lambda: False) -> int:
    """Print every page of ``pdf`` on ``printer`` at its own size, centred (shrunk only if the paper is
    smaller), rendered at the printer's resolution up to ``PRINT_DPI_CAP``. Returns the pages printed.

    Raises:
        CalfDeskError: the printer could not be started (no printer, or its output file cannot be written).
    """
    dpi = min(printer.resolution(), PRINT_DPI_CAP)
    printer.setFullPage(True)  # the letter brings its own margins; the printer's would shrink it twice
    painter = QPainter()
    with _PDFIUM, _open(pdf) as document:
        if not painter.begin(printer):
            raise CalfDeskError("The printer could not be started.", hint="Check the printer, then try again.")
        try:
            printed = 0
            for index in range(len(document)):
                if cancelled():
                    break
                if index:
                    printer.newPage()
                page = document[index]
                width, height = page.get_size()
                image = _render(page, dpi)
                painter.drawImage(_target(printer, painter, QSizeF(width, height)), image)
                printed += 1
        finally:
            painter.end()
    return printed


def _target(printer: QPrinter, painter: QPainter, points: QSizeF) -> QRectF:
    """Where a page of ``points`` goes on the paper: actual size, or shrunk to fit, and centred."""
    scale = printer.resolution() / POINTS_PER_INCH
    wanted = QSizeF(points.width() * scale, points.height() * scale)
    paper = QSizeF(painter.viewport().size())
    fit = min(1.0, paper.width() / wanted.width(), paper.height() / wanted.height())
    size = wanted * fit
    return QRectF((paper.width() - size.width()) / 2, (paper.height() - size.height()) / 2, size.width(), size.height())


@contextmanager
def _open(pdf: bytes) -> Iterator[Any]:
    """A pypdfium2 document that is closed on leaving, even when drawing fails."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise UnreadablePdf("The letter's PDF could not be opened.", hint=str(error)) from None
    try:
        yield document
    finally:
        document.close()


def _render(page: Any, dpi: float) -> QImage:
    """One page as an image that owns its pixels (pypdfium2's buffer goes when the bitmap is closed)."""
    import pypdfium2.raw as pdfium_c

    bitmap = page.render(
        scale=dpi / POINTS_PER_INCH, force_bitmap_format=pdfium_c.FPDFBitmap_BGRx, fill_color=_WHITE
    )
    try:
        # BGRx bytes are a little-endian 0xffRRGGBB word: QImage's RGB32.
        return QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32).copy()
    finally:
        bitmap.close()
        page.close()
