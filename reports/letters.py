"""Lay out a ``workstation.letters.document.Letter`` as A4 PDF pages: plain data in, PDF bytes out.

The order follows CLINICAL.md 9.1: letterhead, addressee and dates, the title, the patient's identifiers,
the urgency banner, the greeting, the sections with their headings, then the signature block, copies and
small print. Every page has a footer with "Page N of M" and the reference; later pages of an emergency or
urgent letter repeat a small tier mark. The PDF's metadata is the letter's title, author and subject,
which by contract never carry the patient's name.
"""

from __future__ import annotations

import io
from functools import cache

from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from reports.fonts import markup
from reports.kept_together import KeptTogether
from reports.letter_blocks import blocks_flowables
from reports.letter_pages import FRAME_WIDTH, canvas_maker, letter_template, page_decoration
from reports.letter_parts import addressee_and_dates, banner, greeting, letterhead, patient_block, sign_off, title
from reports.styles import LetterStyles, letter_styles
from reports.table_block import TableBlock
from workstation.letters import document as doc
from workstation.letters.document import Letter, RenderedLetter, Section


def render_letter(letter: Letter) -> RenderedLetter:
    """Render ``letter`` as an A4 PDF.

    Args:
        letter: the whole document as plain data; user text in it is printed literally.

    Returns:
        The PDF bytes and the number of pages.
    """
    styles = letter_styles(letter.large_type)
    buffer = io.BytesIO()
    decoration = page_decoration(letter, styles)
    template = letter_template(buffer, letter, decoration, creator())
    template.build(story(letter, styles), canvasmaker=canvas_maker(decoration))
    return RenderedLetter(pdf=buffer.getvalue(), pages=template.page)


def story(letter: Letter, styles: LetterStyles) -> list[Flowable]:
    """Every flowable of ``letter`` in reading order."""
    width = FRAME_WIDTH
    flowables: list[Flowable] = [
        *letterhead(letter.letterhead, styles, width),
        *addressee_and_dates(letter, styles, width),
        *title(letter, styles),
        *patient_block(letter, styles, width),
        *banner(letter.banner, styles, width),
        *greeting(letter, styles),
    ]
    for section in letter.sections:
        flowables += _section(section, styles, width)
    last_words: list[Flowable] = []
    if letter.extra:  # the clinician's "anything else", after the sections and before the closing
        flowables += [Spacer(1, styles.block_space), Paragraph(markup(letter.extra), styles.body)]
    elif letter.sections and letter.sections[-1].blocks and isinstance(letter.sections[-1].blocks[-1], doc.Text):
        # A signature never has a page to itself: the last paragraph goes over with it (with its heading
        # when it is the section's only one), as a business letter carries text onto the signature's page.
        keep = 2 if len(letter.sections[-1].blocks) == 1 and letter.sections[-1].heading else 1
        flowables, last_words = flowables[:-keep], flowables[-keep:]
    flowables += sign_off(letter, styles, width, lead=last_words)
    return flowables


def _section(section: Section, styles: LetterStyles, width: float) -> list[Flowable]:
    # CondPageBreak rather than keepWithNext: as safe against a heading alone at a page's foot, and it does
    # not lay the next block out twice (keepWithNext costs about a tenth of a letter's time).
    flowables = blocks_flowables(section.blocks, styles, width)
    if section.heading:
        heading = Paragraph(markup(section.heading), styles.heading)
        if flowables and isinstance(flowables[0], KeptTogether | TableBlock):  # the heading goes with it
            flowables[0] = flowables[0].led_by(heading)
        else:
            flowables.insert(0, heading)
    return [CondPageBreak(styles.heading_room), *flowables]


@cache
def creator() -> str:
    """"CalfDesk <version>" for the PDF's Creator field, "CalfDesk" when the package is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"CalfDesk {version('calfdesk')}"
    except PackageNotFoundError:
        return "CalfDesk"
