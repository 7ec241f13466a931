"""The charts as a picture: a PNG file for the notes or an e-mail, or an image on the clipboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from ui.atomic_file import write_bytes_atomically
from workstation.errors import CalfDeskError


def charts_image(widget: QWidget) -> QImage:
    """The whole of ``widget`` as drawn, including any part scrolled out of sight."""
    return widget.grab().toImage()


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise CalfDeskError("The charts could not be turned into a PNG image.", hint="Nothing was written.")
    buffer.close()
    return bytes(data.data())


def export_png(widget: QWidget, path: Path) -> None:
    """Write the charts to ``path`` whole or not at all.

    Raises:
        CalfDeskError: the image or the file could not be written; nothing was left behind.
    """
    write_bytes_atomically(path, png_bytes(charts_image(widget)))


def copy_to_clipboard(widget: QWidget) -> None:
    QGuiApplication.clipboard().setImage(charts_image(widget))
