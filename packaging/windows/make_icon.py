"""Make packaging/windows/calfdesk.ico from resources/calfdesk.svg: one PNG image per size Windows asks for.

Run from anywhere (it finds the repository from its own place):

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/windows/make_icon.py

The .ico is kept in the repository, so a Windows build needs neither Qt's SVG renderer nor this script;
run it again only when the SVG changes. Windows picks the nearest size for the Start menu (16-48 px),
Explorer views (up to 256 px) and the taskbar, and draws a PNG payload at any of them (Vista and later),
so every size is PNG: far smaller than uncompressed bitmaps, the 256 px image above all.

The ICO container is written here with ``struct`` because Qt's own ICO writer stores bitmaps, not PNG,
and the format is only a 6-byte header and one 16-byte directory entry per image.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256)
REPOSITORY = Path(__file__).resolve().parents[2]
SOURCE = REPOSITORY / "resources" / "calfdesk.svg"
TARGET = Path(__file__).resolve().with_name("calfdesk.ico")

_ICONDIR = struct.Struct("<HHH")  # reserved (0), type (1 = icon), number of images
_ICONDIRENTRY = struct.Struct("<BBBBHHII")  # width, height, colours, reserved, planes, bits, size, offset


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The SVG drawn into a transparent ``size`` x ``size`` square, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise RuntimeError(f"Qt could not write the {size} px image as PNG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file holding each PNG of ``images`` (size in pixels -> PNG bytes), smallest first."""
    sizes = sorted(images)
    offset = _ICONDIR.size + _ICONDIRENTRY.size * len(sizes)
    directory = [_ICONDIR.pack(0, 1, len(sizes))]
    payloads = []
    for size in sizes:
        payload = images[size]
        # A width or height of 256 does not fit in a byte: the format writes it as 0.
        side = 0 if size == 256 else size
        directory.append(_ICONDIRENTRY.pack(side, side, 0, 0, 1, 32, len(payload), offset))
        payloads.append(payload)
        offset += len(payload)
    return b"".join(directory + payloads)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        sys.stderr.write(f"make_icon: Qt could not read {SOURCE} as SVG.\n")
        return 1
    images = {size: render_png(renderer, size) for size in SIZES}
    TARGET.write_bytes(ico_bytes(images))
    sys.stdout.write(f"make_icon: wrote {TARGET} ({len(SIZES)} sizes, {TARGET.stat().st_size} bytes)\n")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
