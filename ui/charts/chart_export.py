"""The charts as a picture: a PNG file for the notes or an e-mail, or an image on the clipboard."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

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


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Like ui.atomic_file.write_text_atomically, for bytes: beside ``path``, fsync, then rename over it."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise CalfDeskError(f"Cannot write {path}: {error.strerror or error}.", hint="Nothing was written.") from None
