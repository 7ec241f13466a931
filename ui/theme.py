"""Colours that carry meaning (errors, warnings, notices).

Everything else comes from the palette, so the window follows the system's light or dark scheme. These
few colours are chosen per scheme, from the palette's window colour at paint time, so that each stays
legible (WCAG AA against its background) in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtGui import QColor, QPalette

_DARK_BELOW_LIGHTNESS = 128


class Tone(Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"  # read-only mode and other facts the user should keep in mind


@dataclass(frozen=True, slots=True)
class ToneColours:
    text: QColor  # for a message on the window's own background
    banner_text: QColor
    banner_background: QColor


_LIGHT = {
    Tone.ERROR: ToneColours(QColor("#b3261e"), QColor("#410e0b"), QColor("#f9dedc")),
    Tone.WARNING: ToneColours(QColor("#7a4f00"), QColor("#3d2800"), QColor("#ffe6a8")),
    Tone.NOTICE: ToneColours(QColor("#0b57a0"), QColor("#04213d"), QColor("#d6e8fb")),
}
_DARK = {
    Tone.ERROR: ToneColours(QColor("#ffb4ab"), QColor("#ffdad6"), QColor("#5c1410")),
    Tone.WARNING: ToneColours(QColor("#f5c26b"), QColor("#ffe9bf"), QColor("#4a3500")),
    Tone.NOTICE: ToneColours(QColor("#a8c8ff"), QColor("#d6e3ff"), QColor("#163a63")),
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < _DARK_BELOW_LIGHTNESS


def tone_colours(tone: Tone, palette: QPalette) -> ToneColours:
    return (_DARK if is_dark(palette) else _LIGHT)[tone]
