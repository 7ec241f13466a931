"""The colours that carry meaning on the squad screens: availability, flag levels and import row status.

Colour is never the only sign: every coloured cell also says in words what it means. Each colour is
picked for the palette's light or dark scheme at paint time (as ``ui.theme`` does), so that text on a
tinted cell stays legible in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from ui.theme import Tone, is_dark, tone_colours
from workstation.squads.records import Availability
from workstation.squads.views import FlagLevel


@dataclass(frozen=True, slots=True)
class Tint:
    """A cell's background and the text colour that reads on it."""

    background: QColor
    text: QColor


# "Available" is good news; the theme's tones are all for trouble, so its green is defined here.
_GOOD_LIGHT = Tint(QColor("#d8f0dc"), QColor("#0d3b18"))
_GOOD_DARK = Tint(QColor("#163d22"), QColor("#c8f0d0"))
_AVAILABILITY_TONES = {Availability.UNAVAILABLE: Tone.ERROR, Availability.MODIFIED: Tone.WARNING}
_FLAG_TONES = {FlagLevel.ALERT: Tone.ERROR, FlagLevel.CAUTION: Tone.WARNING, FlagLevel.INFO: Tone.NOTICE}
FLAG_LEVEL_WORDS = {FlagLevel.ALERT: "Alert", FlagLevel.CAUTION: "Caution", FlagLevel.INFO: "Note"}


def palette() -> QPalette:
    return QGuiApplication.palette()


def tone_tint(tone: Tone, scheme: QPalette | None = None) -> Tint:
    colours = tone_colours(tone, scheme or palette())
    return Tint(colours.banner_background, colours.banner_text)


def good_tint(scheme: QPalette | None = None) -> Tint:
    return _GOOD_DARK if is_dark(scheme or palette()) else _GOOD_LIGHT


def availability_tint(availability: Availability, scheme: QPalette | None = None) -> Tint:
    tone = _AVAILABILITY_TONES.get(availability)
    return good_tint(scheme) if tone is None else tone_tint(tone, scheme)


TINTED_LEVELS = frozenset({FlagLevel.ALERT, FlagLevel.CAUTION})  # a note is worth reading, not a colour


def flag_tint(level: FlagLevel, scheme: QPalette | None = None) -> Tint:
    return tone_tint(_FLAG_TONES[level], scheme)


def worst_tint(levels: Iterable[FlagLevel], scheme: QPalette | None = None) -> Tint | None:
    """The tint of the most pressing level among ``levels``; None when none of them is tinted."""
    tinted = [level for level in levels if level in TINTED_LEVELS]
    return flag_tint(min(tinted, key=lambda level: level.rank), scheme) if tinted else None


def flag_text_colour(level: FlagLevel, scheme: QPalette | None = None) -> QColor:
    """For a flag's words on the window's own background."""
    return tone_colours(_FLAG_TONES[level], scheme or palette()).text


def error_tint(scheme: QPalette | None = None) -> Tint:
    return tone_tint(Tone.ERROR, scheme)


def muted_text(scheme: QPalette | None = None) -> QColor:
    """Greyed text for what is set aside (an archived squad), still legible: 62 % of the way from the
    background to the text colour keeps a contrast above 4.5:1 on the light and the dark palette."""
    colours = scheme or palette()
    text, base = colours.color(QPalette.ColorRole.Text), colours.color(QPalette.ColorRole.Base)
    share = 0.62
    return QColor.fromRgbF(
        share * text.redF() + (1 - share) * base.redF(),
        share * text.greenF() + (1 - share) * base.greenF(),
        share * text.blueF() + (1 - share) * base.blueF(),
    )

