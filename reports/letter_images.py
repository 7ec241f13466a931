"""The clinic logo and the clinician's signature: user-supplied image bytes that must never fail a letter.

An image that is not a readable PNG or JPEG is left out of the letter (and logged, without patient data):
a letter without its logo is still a letter, a letter that fails to render helps nobody. Decoded images
are cached by their bytes, since every letter of a batch carries the same logo.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

logger = logging.getLogger(__name__)

_FORMATS = frozenset({"PNG", "JPEG"})
# A logo 25 mm high needs about 300 px at print resolution; a 4000 px photo would bloat every PDF.
_MAX_PIXELS_ON_LONG_SIDE = 800


@lru_cache(maxsize=16)
def image_reader(data: bytes) -> ImageReader | None:
    """The image in ``data`` ready to draw, or None when it is not a readable PNG or JPEG."""
    try:
        return ImageReader(_decoded(data))
    except Exception as error:  # noqa: BLE001 - a broken user image (PIL raises many kinds): leave it out
        logger.warning("An image for a letter could not be read (%s); it is left out", type(error).__name__)
        return None


def _decoded(data: bytes) -> Image.Image:
    image: Image.Image = Image.open(io.BytesIO(data))
    if image.format not in _FORMATS:
        raise ValueError(f"unsupported image format {image.format}")
    image.load()  # decode now: a truncated file fails here, not half-way through building the PDF
    if image.mode not in ("RGB", "RGBA", "L"):
        has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((_MAX_PIXELS_ON_LONG_SIDE, _MAX_PIXELS_ON_LONG_SIDE))
    if image.width < 1 or image.height < 1:
        raise ValueError("empty image")
    return image


class ImageBox(Flowable):  # type: ignore[misc]  # ReportLab has no type hints
    """An image scaled to fit ``max_width`` x ``max_height`` (keeping its proportions), as a flowable."""

    def __init__(self, reader: ImageReader, max_width: float, max_height: float) -> None:
        super().__init__()
        pixel_width, pixel_height = reader.getSize()
        scale = min(max_width / pixel_width, max_height / pixel_height)
        self.reader = reader
        self.image_width = pixel_width * scale
        self.image_height = pixel_height * scale

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.image_width, self.image_height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.image_width, self.image_height, mask="auto")


def image_box(data: bytes | None, max_width: float, max_height: float) -> ImageBox | None:
    """A flowable for ``data``, or None when there is no image or it cannot be read."""
    if not data:
        return None
    reader = image_reader(data)
    return None if reader is None else ImageBox(reader, max_width, max_height)
