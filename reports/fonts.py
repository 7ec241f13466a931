"""The bundled fonts, and the one way user text becomes ReportLab Paragraph markup.

Text given to a ReportLab ``Paragraph`` is markup: an unescaped ``<`` makes the letter fail and ``<b>`` or
``<font>`` in a name would be obeyed (RELIABILITY.md H3). The base-14 Helvetica drops letters outside
Latin-1 (H4), so every document uses DejaVu Sans (Latin, Vietnamese, Greek, Cyrillic, Arabic, Hebrew) with
Droid Sans Fallback for the characters DejaVu lacks (CJK). Both ship in ``resources/fonts`` with their
licences. ``markup`` escapes, picks the font per run of characters and puts right-to-left text (Arabic,
Hebrew) into the shaped, visual order a PDF needs; nothing else in ``reports`` builds markup from user text.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "DroidSansFallback"

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", FALLBACK: "DroidSansFallbackFull.ttf"}

# Quotes too, so a string is safe even if it ever lands inside an attribute (it never should).
_ENTITIES = {'"': "&quot;", "'": "&#39;"}
_RTL_CLASSES = frozenset({"R", "AL"})
_FALLBACK_OPEN = f'<font name="{FALLBACK}">'
# Control characters print as a box or not at all; a stray one pasted into a name becomes a space.
_CONTROLS = {code: " " for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in "\t\n\r"}

_lock = threading.Lock()
_coverage: tuple[frozenset[int], frozenset[int]] | None = None


def register_fonts() -> None:
    """Register the bundled fonts with ReportLab, once per process (thread-safe; later calls cost nothing).

    Also registers the font families, so ``<b>`` inside a paragraph in ``REGULAR`` switches to ``BOLD``.
    """
    global _coverage
    if _coverage is not None:
        return
    with _lock:
        if _coverage is not None:
            return
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        fonts = {name: TTFont(name, str(FONT_DIR / file)) for name, file in _FILES.items()}
        for font in fonts.values():
            pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FALLBACK, bold, italic, FALLBACK)  # no bold CJK face: bold CJK prints regular
        # A character counts as ours only if both weights have it: a name prints bold in the address.
        _coverage = (_glyph_set(fonts[REGULAR]) & _glyph_set(fonts[BOLD]), _glyph_set(fonts[FALLBACK]))


def _glyph_set(font: object) -> frozenset[int]:
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


def _fonts_coverage() -> tuple[frozenset[int], frozenset[int]]:
    register_fonts()
    assert _coverage is not None
    return _coverage


def markup(text: str) -> str:
    """Turn plain user text into safe Paragraph markup that prints exactly that text.

    Escapes ``&``, ``<``, ``>`` and quotes; keeps line breaks as ``<br/>``; wraps runs of characters that
    only the fallback font has (CJK) in a ``<font>`` tag naming our fallback font; shapes and reorders
    right-to-left runs (Arabic, Hebrew) line by line. Characters neither font has are kept as they are
    (``missing_glyphs`` reports them).

    Args:
        text: plain text exactly as it should print, from any source.

    Returns:
        Markup for ``reportlab.platypus.Paragraph``.
    """
    text = text.translate(_CONTROLS)
    if text.isascii():
        return _escape(text).replace("\r\n", "\n").replace("\n", "<br/>")
    return _markup_unicode(text)


@lru_cache(maxsize=8192)
def _markup_unicode(text: str) -> str:
    regular, fallback = _fonts_coverage()
    return "<br/>".join(_line_markup(line, regular, fallback) for line in _lines(text))


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` that the bundled fonts cannot print, regular and bold (after Arabic shaping)."""
    regular, fallback = _fonts_coverage()
    missing: set[str] = set()
    for line in _lines(text.translate(_CONTROLS)):
        for char in visual_line(line):
            code = ord(char)
            if code not in regular and code not in fallback and not _is_invisible(char):
                missing.add(char)
    return missing


def visual_line(line: str) -> str:
    """One line in the order a PDF draws it: right-to-left runs shaped (Arabic) and reversed for display.

    The line's base direction is left to right whatever its first letter: our letters are English, so
    "محمد · DOB 3 March 1980" keeps the name first, as it was typed, rather than becoming a right-to-left line.
    """
    if not any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in line):
        return line
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(line), base_dir="L"))


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _line_markup(line: str, regular: frozenset[int], fallback: frozenset[int]) -> str:
    parts: list[str] = []
    run: list[str] = []
    in_fallback = False
    for char in visual_line(line):
        code = ord(char)
        wants_fallback = code not in regular and code in fallback
        if wants_fallback != in_fallback and run:
            parts.append(_wrap(_escape("".join(run)), in_fallback))
            run = []
        in_fallback = wants_fallback
        run.append(char)
    if run:
        parts.append(_wrap(_escape("".join(run)), in_fallback))
    return "".join(parts)


def _wrap(escaped: str, in_fallback: bool) -> str:
    return f"{_FALLBACK_OPEN}{escaped}</font>" if in_fallback else escaped


def _escape(text: str) -> str:
    return escape(text, _ENTITIES)


def _is_invisible(char: str) -> bool:
    """Whitespace and format characters (zero-width joiners, direction marks) print no glyph of their own."""
    return char.isspace() or unicodedata.category(char) in {"Cc", "Cf"}
