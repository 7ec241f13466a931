"""reports.fonts: escaping, font fallback runs and right-to-left shaping of user text (RELIABILITY.md H3, H4)."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from reports.fonts import BOLD, FALLBACK, REGULAR, markup, missing_glyphs, register_fonts, visual_line
from tests.reports.corpus import NAMES


def test_markup_escapes_markup_characters_and_quotes() -> None:
    assert markup("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert markup("<b>bold</b>") == "&lt;b&gt;bold&lt;/b&gt;"
    assert markup("&amp;") == "&amp;amp;"
    assert markup("]]>") == "]]&gt;"
    assert markup("O'Brien \"Bob\"") == "O&#39;Brien &quot;Bob&quot;"


def test_markup_keeps_line_breaks_as_br() -> None:
    assert markup("Ann\nMarie") == "Ann<br/>Marie"
    assert markup("Ann\r\nMarie") == "Ann<br/>Marie"
    assert markup("Zoë\nØdegård") == "Zoë<br/>Ødegård"


def test_markup_makes_control_characters_spaces() -> None:
    assert markup("a\x00b\x0bc") == "a b c"
    assert markup("Zoë\x1b") == "Zoë "


def test_markup_leaves_text_the_regular_font_prints_alone() -> None:
    for name in ("Zoë", "Nguyễn Thị Minh", "Ødegård", "Dvořák", "Σωκράτης", "Иван"):
        assert markup(name) == name


def test_cjk_runs_are_wrapped_in_the_fallback_font_and_nothing_else_is() -> None:
    assert markup("李小龍") == f'<font name="{FALLBACK}">李小龍</font>'
    assert markup("Bruce 李小龍 <x>") == f'Bruce <font name="{FALLBACK}">李小龍</font> &lt;x&gt;'
    assert markup("李 & 龍") == f'<font name="{FALLBACK}">李</font> &amp; <font name="{FALLBACK}">龍</font>'


def test_arabic_is_shaped_and_reversed_into_drawing_order() -> None:
    shaped = markup("محمد")
    assert shaped != "محمد"
    assert all(0xFE70 <= ord(char) <= 0xFEFF for char in shaped)  # joined presentation forms
    assert unicodedata.normalize("NFKC", shaped[::-1]) == "محمد"  # drawn right to left


def test_hebrew_is_reversed_into_drawing_order() -> None:
    assert markup("שרה") == "הרש"


def test_right_to_left_order_is_per_line() -> None:
    assert markup("שרה\nAnn") == "הרש<br/>Ann"
    assert visual_line("Ann") == "Ann"


def test_a_character_no_font_has_is_kept_and_reported() -> None:
    assert markup("run 🏃") == "run 🏃"
    assert missing_glyphs("run 🏃") == {"🏃"}


def test_the_name_corpus_has_no_missing_glyphs() -> None:
    for name in NAMES:
        assert missing_glyphs(name) == set(), name


@pytest.mark.parametrize("name", NAMES)
def test_every_corpus_name_parses_as_a_paragraph(name: str) -> None:
    register_fonts()
    paragraph = Paragraph(markup(name), ParagraphStyle("t", fontName=REGULAR))
    printed = "".join(paragraph.getPlainText().split())
    assert printed == "".join("".join(visual_line(line).split()) for line in name.splitlines())


def test_fonts_are_registered_with_a_bold_family() -> None:
    register_fonts()
    register_fonts()
    assert {REGULAR, BOLD, FALLBACK} <= set(pdfmetrics.getRegisteredFontNames())
    from reportlab.lib.fonts import tt2ps

    assert tt2ps(REGULAR, 1, 0) == BOLD
    assert tt2ps(FALLBACK, 1, 0) == FALLBACK


def test_registration_from_many_threads_at_once_registers_once() -> None:
    script = """
import threading
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts
from reports import fonts

made = []
original = ttfonts.TTFont.__init__
def counting(self, *args, **kwargs):
    made.append(args[0])
    original(self, *args, **kwargs)
ttfonts.TTFont.__init__ = counting
barrier = threading.Barrier(8)
errors = []
def work():
    barrier.wait()
    try:
        fonts.register_fonts()
        assert fonts.markup("李") .startswith("<font")
    except Exception as error:
        errors.append(error)
threads = [threading.Thread(target=work) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(made), errors)
"""
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True, cwd=root
    )
    assert result.stdout.strip() == f"{sorted([BOLD, FALLBACK, REGULAR])} []"


def test_a_line_keeps_left_to_right_order_when_it_starts_with_a_right_to_left_name() -> None:
    line = visual_line("שרה · DOB 3 March 1980")
    assert line == "הרש · DOB 3 March 1980"


def test_a_character_only_the_regular_weight_has_is_reported() -> None:
    sans_serif_a = "\U0001d5a0"  # MATHEMATICAL SANS-SERIF CAPITAL A: in DejaVu Sans, not in DejaVu Sans Bold
    assert missing_glyphs(f"x{sans_serif_a}") == {sans_serif_a}
