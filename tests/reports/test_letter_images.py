"""reports.letter_images: a user's logo or signature image is decoded once, scaled, and never fails a letter."""

from __future__ import annotations

import io
import logging
import struct
import zlib

import pytest
from PIL import Image

from reports.letter_images import image_box, image_reader
from tests.reports.samples import png_bytes


def _encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P", "LA", "CMYK", "1"])
def test_png_and_jpeg_in_any_mode_are_read(mode: str) -> None:
    image = Image.new(mode, (40, 20))
    fmt = "JPEG" if mode in ("CMYK", "L") else "PNG"
    reader = image_reader(_encoded(image, fmt))
    assert reader is not None
    assert reader.getSize() == (40, 20)


def test_other_formats_are_left_out(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert image_reader(_encoded(Image.new("RGB", (10, 10)), "GIF")) is None
        assert image_reader(_encoded(Image.new("RGB", (10, 10)), "BMP")) is None
    assert "left out" in caplog.text


def test_a_huge_image_is_scaled_down_to_print_resolution() -> None:
    reader = image_reader(png_bytes(4000, 1000))
    assert reader is not None
    assert reader.getSize() == (800, 200)


def test_a_decompression_bomb_is_left_out() -> None:
    tiny = png_bytes(1, 1)
    # The header of a 1x1 PNG rewritten to claim 30000 x 30000 pixels (with a valid checksum).
    header = b"IHDR" + struct.pack(">II", 30000, 30000) + tiny[24:29]
    bomb = tiny[:12] + header + struct.pack(">I", zlib.crc32(header)) + tiny[33:]
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb))
    assert image_reader(bomb) is None


def test_the_box_keeps_proportions_within_its_limits() -> None:
    box = image_box(png_bytes(300, 100), max_width=60, max_height=40)
    assert box is not None
    assert box.wrap(500, 500) == pytest.approx((60, 20))
    tall = image_box(png_bytes(100, 300), max_width=60, max_height=30)
    assert tall is not None
    assert tall.wrap(500, 500) == pytest.approx((10, 30))


def test_no_bytes_or_bad_bytes_give_no_box() -> None:
    assert image_box(None, 10, 10) is None
    assert image_box(b"", 10, 10) is None
    assert image_box(b"\x89PNG\r\n\x1a\n truncated", 10, 10) is None
