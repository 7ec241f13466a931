"""What every page of a letter carries: the footer with "Page N of M" and the reference, and on later pages
a running header with the urgency mark (CLINICAL.md 9.1: an urgent letter stays visibly urgent when page 2
is read on its own).

The total page count is known only when the document is finished, so ``NumberedCanvas`` holds each page
back and writes all the page numbers at the end: one pass through the layout instead of two.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from reports.fonts import BOLD, REGULAR, markup
from reports.styles import MUTED, RULE, TIER_LOOKS, LetterStyles
from workstation.letters.document import Letter

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = RIGHT_MARGIN = 20 * mm
TOP_MARGIN = 16 * mm
BOTTOM_MARGIN = 22 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN

_FOOTER_TOP = BOTTOM_MARGIN - 6 * mm  # the rule above the footer
_FOOTER_TEXT_TOP = _FOOTER_TOP - 2 * mm
_HEADER_BASELINE = PAGE_HEIGHT - 10 * mm
_PAGE_NUMBER_WIDTH = 28 * mm


class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab has no type hints
    """A canvas that writes "Page N of M" on every page once M is known (when the document is saved)."""

    def __init__(self, *args: Any, page_number_size: float = 8, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self._page_number_size = page_number_size

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, page_state in enumerate(self._held_pages, start=1):
            self.__dict__.update(page_state)
            self._draw_page_number(number, total)
            super().showPage()
        super().save()

    def _draw_page_number(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(REGULAR, self._page_number_size)
        self.setFillColor(MUTED)
        baseline = _FOOTER_TEXT_TOP - self._page_number_size  # level with the footer's first line
        self.drawRightString(PAGE_WIDTH - RIGHT_MARGIN, baseline, f"Page {number} of {total}")
        self.restoreState()


@dataclass(frozen=True, slots=True)
class PageDecoration:
    """The footer and running header of one letter, as paragraphs built once and drawn on every page."""

    footer: Paragraph | None
    running_header: Paragraph | None
    tier: str | None  # the tier whose mark repeats on later pages, None for none
    footer_size: float

    def first_page(self, canvas: Canvas, _doc: object) -> None:
        self._draw_footer(canvas)

    def later_pages(self, canvas: Canvas, _doc: object) -> None:
        self._draw_footer(canvas)
        self._draw_running_header(canvas)

    def _draw_footer(self, canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(LEFT_MARGIN, _FOOTER_TOP, PAGE_WIDTH - RIGHT_MARGIN, _FOOTER_TOP)
        if self.footer is not None:
            _, height = self.footer.wrap(FRAME_WIDTH - _PAGE_NUMBER_WIDTH, _FOOTER_TOP)
            self.footer.drawOn(canvas, LEFT_MARGIN, _FOOTER_TEXT_TOP - height)
        canvas.restoreState()

    def _draw_running_header(self, canvas: Canvas) -> None:
        mark_width = 0.0
        if self.tier is not None:
            mark_width = _draw_tier_mark(canvas, self.tier)
        if self.running_header is not None:
            width = FRAME_WIDTH - mark_width - 4 * mm
            _, height = self.running_header.wrap(width, 12 * mm)
            self.running_header.drawOn(canvas, LEFT_MARGIN, _HEADER_BASELINE - height + 3)


def _draw_tier_mark(canvas: Canvas, tier: str) -> float:
    """A small box in the tier's colours at the top right; returns its width."""
    look = TIER_LOOKS[tier]
    font_size = 8
    width: float = canvas.stringWidth(look.label, BOLD, font_size) + 4 * mm
    height = 5 * mm
    x = PAGE_WIDTH - RIGHT_MARGIN - width
    y = _HEADER_BASELINE - 1.5 * mm
    canvas.saveState()
    canvas.setFillColor(look.background)
    canvas.setStrokeColor(look.border)
    canvas.rect(x, y, width, height, stroke=1, fill=1)
    canvas.setFillColor(look.text)
    canvas.setFont(BOLD, font_size)
    canvas.drawCentredString(x + width / 2, y + 1.6 * mm, look.label)
    canvas.restoreState()
    return width


def page_decoration(letter: Letter, styles: LetterStyles) -> PageDecoration:
    """The footer (``letter.footer`` and the reference) and later pages' header for ``letter``."""
    footer_text = letter.footer
    if letter.reference and letter.reference not in footer_text:
        footer_text = f"{footer_text} · Ref {letter.reference}" if footer_text else f"Ref {letter.reference}"
    header_parts = [part for part in (letter.letterhead.clinic_name, letter.title) if part]
    tier = letter.banner.tier if letter.banner is not None else None
    return PageDecoration(
        footer=Paragraph(markup(footer_text), styles.footer) if footer_text else None,
        running_header=Paragraph(markup(" · ".join(header_parts)), styles.running_header) if header_parts else None,
        tier=tier if tier is not None and TIER_LOOKS[tier].repeat_on_later_pages else None,
        footer_size=float(styles.footer.fontSize),
    )


def letter_template(output: BinaryIO, letter: Letter, decoration: PageDecoration, creator: str) -> BaseDocTemplate:
    """An A4 document for ``letter``: the first page's template, then the later pages' (running header).

    The frames have no inner padding, so tables drawn ``FRAME_WIDTH`` wide line up with the text and the
    footer rule.
    """
    frame = Frame(LEFT_MARGIN, BOTTOM_MARGIN, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0, id="body")
    first = PageTemplate("first", [frame], onPage=decoration.first_page, autoNextPageTemplate="later")
    later = PageTemplate("later", [frame], onPage=decoration.later_pages)
    return BaseDocTemplate(
        output,
        pagesize=A4,
        pageTemplates=[first, later],
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=letter.title,
        author=letter.author,
        subject=letter.subject,
        creator=creator,
        lang=letter.language or None,
        displayDocTitle=True,
    )


def canvas_maker(decoration: PageDecoration) -> partial[NumberedCanvas]:
    """The canvas for ``build(canvasmaker=...)``, numbering pages in the footer's type size."""
    return partial(NumberedCanvas, page_number_size=decoration.footer_size)
