"""The subject-access summary as an A4 PDF, for the patient to read (RELIABILITY.md G1).

The wording is ``workstation.privacy.subject_access.summary``, the same sections and lines as the text
file beside it; this module only lays them out, in the letter fonts and styles, with every string passed
through ``markup`` (a name such as ``<b>x</b>`` prints as typed, H3; Vietnamese, CJK and right-to-left
names print correctly, H4). Each page's footer names the export by the patient's id and time with "Page N
of M"; the PDF's metadata names the patient by id only, never by name.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, PageTemplate, Paragraph

from reports import letter_pages as pages
from reports.fonts import markup
from reports.letter_pages import PageDecoration, canvas_maker
from reports.letters import creator
from reports.styles import LetterStyles, letter_styles
from workstation.privacy.subject_access import NO_ROWS, PatientFile, Summary, instant_text, summary

SUBJECT = "Subject access export: everything held about one patient (GDPR Art 15, APP 12)"
_HANGING_INDENT = 12  # points: a line that wraps is indented under its first words


def render_summary_pdf(file: PatientFile, json_name: str) -> bytes:
    """The summary of ``file`` as a PDF, the same content as ``summary_text``.

    Args:
        file: everything held about the patient.
        json_name: the name of the JSON file beside it, which the summary cites for every value.

    Returns:
        The PDF bytes.
    """
    content = summary(file, json_name)
    styles = letter_styles()
    footer = f"Subject access export · patient {file.patient_id} · exported {instant_text(file.exported_at)}"
    decoration = PageDecoration(
        footer=Paragraph(markup(footer), styles.footer), running_header=None, tier=None,
        footer_size=float(styles.footer.fontSize),
    )  # fmt: skip
    buffer = io.BytesIO()
    _template(buffer, content, decoration, author=file.exported_by).build(
        story(content, styles), canvasmaker=canvas_maker(decoration)
    )
    return buffer.getvalue()


def story(content: Summary, styles: LetterStyles) -> list[Flowable]:
    """The title, the lines on the export, then each section's heading and lines, in reading order."""
    line = _line_style(styles)
    flowables: list[Flowable] = [Paragraph(markup(content.title), styles.title)]
    flowables += [Paragraph(markup(text), styles.body) for text in content.introduction]
    for section in content.sections:
        # CondPageBreak: a heading never sits alone at the foot of a page (as in the letters).
        flowables += [CondPageBreak(styles.heading_room), Paragraph(markup(section.heading), styles.heading)]
        flowables += [Paragraph(markup(text), line) for text in section.lines]
        if not section.lines:
            flowables.append(Paragraph(markup(NO_ROWS), styles.muted))
    return flowables


def _line_style(styles: LetterStyles) -> ParagraphStyle:
    return ParagraphStyle(
        "subject_access_line", parent=styles.plain, leftIndent=_HANGING_INDENT, firstLineIndent=-_HANGING_INDENT,
        spaceAfter=styles.block_space / 2,
    )  # fmt: skip


def _template(output: io.BytesIO, content: Summary, decoration: PageDecoration, *, author: str) -> BaseDocTemplate:
    # The letters' page: the same margins, and a frame with no inner padding, level with the footer rule.
    frame = Frame(pages.LEFT_MARGIN, pages.BOTTOM_MARGIN, pages.FRAME_WIDTH, pages.FRAME_HEIGHT, 0, 0, 0, 0, id="body")
    page = PageTemplate("page", [frame], onPage=decoration.first_page)
    return BaseDocTemplate(
        output,
        pagesize=A4,
        pageTemplates=[page],
        leftMargin=pages.LEFT_MARGIN,
        rightMargin=pages.RIGHT_MARGIN,
        topMargin=pages.TOP_MARGIN,
        bottomMargin=pages.BOTTOM_MARGIN,
        title=content.title,  # "... about patient 12": an id, never a name
        author=author,  # the administrator's user name
        subject=SUBJECT,
        creator=creator(),
        lang="en-GB",
        displayDocTitle=True,
    )
