"""The squad screening report as A4 landscape PDF pages: plain data in (``SquadReport``), PDF bytes out.

The first page heads with the clinic's name, the squad and the day, then the counts by availability and
the heel-raise LSI histogram (``squad_histogram``); the athletes' table follows (its header repeats on each
page): athlete, availability with its reason, last screened, heel raise L/R, LSI, knee to wall L/R, pain
and flags. An athlete with an alert or an unresolved red flag has a "▲" before their name, bold text and
a tinted row: never colour alone. Every page's footer names the squad and the day, with "Page N of M".
Every string from the records goes through ``markup`` (H3, H4). The PDF's metadata names the squad and
the day, never an athlete.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from reports.column_widths import column_widths
from reports.fonts import BOLD, REGULAR, markup
from reports.letters import creator
from reports.squad_histogram import lsi_histogram
from reports.styles import FLAGGED_ROW, GRID, MUTED, RULE, TABLE_HEADER, LetterStyles, letter_styles
from workstation.squads.records import Availability
from workstation.squads.report_data import ReportRow, SquadReport

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 14 * mm
BOTTOM_MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN - BOTTOM_MARGIN
TITLE = "Squad screening report"
ALERT_MARK = "▲"
# Two-line headings, so a column is as wide as its values rather than its heading.
HEADINGS = (
    "Athlete", "Availability", "Last\nscreened", "Heel raise\nL / R (reps)", "LSI", "Knee to wall\nL / R (cm)",
    "Pain", "Flags",
)  # fmt: skip
_CELL_PADDING = 6  # points, ReportLab's default left and right padding of a table cell
_AVAILABILITY_COLOURS = {
    Availability.UNAVAILABLE: colors.HexColor("#B33A00"),
    Availability.MODIFIED: colors.HexColor("#C99700"),
    Availability.AVAILABLE: colors.HexColor("#2E7D32"),
}
_FOOTER_Y = BOTTOM_MARGIN - 9 * mm
_PAGE_NUMBER_WIDTH = 30 * mm


def render_squad_report(report: SquadReport) -> bytes:
    """``report`` as a PDF.

    Args:
        report: the squad, the day and every athlete's row; user text in it is printed literally.

    Returns:
        The PDF bytes.
    """
    styles = letter_styles()
    buffer = io.BytesIO()
    footer = Paragraph(markup(f"{TITLE} · {report.squad_title} · {report.date_text}"), styles.footer)
    template = _template(buffer, report)
    template.build(story(report, styles), canvasmaker=_canvas_maker(footer))
    return buffer.getvalue()


def story(report: SquadReport, styles: LetterStyles) -> list[Flowable]:
    """The heading, the counts, the histogram and the athletes' table, in reading order."""
    flowables: list[Flowable] = []
    if report.clinic_name.strip():
        flowables.append(Paragraph(markup(report.clinic_name), styles.clinic_name))
    flowables += [
        Paragraph(markup(TITLE), styles.title),
        Paragraph(markup(f"{report.squad_title} · {report.date_text}"), styles.strong),
        _counts_table(report, styles),
        Spacer(1, styles.block_space * 2),
        Paragraph(markup("Heel-raise symmetry (LSI) at each athlete's last screening"), styles.figure_title),
        lsi_histogram(report.lsi_bins, FRAME_WIDTH * 0.6, 42 * mm),
        Paragraph(
            markup(
                "LSI = lower side ÷ higher side × 100; the usual target is 90 % or more (CLINICAL.md 2.3). "
                f"{ALERT_MARK} marks an athlete with an alert or an unresolved red flag: assess before training."
            ),
            styles.caption,
        ),
        _athletes_table(report.rows, styles),
    ]
    if not report.rows:
        flowables.append(Paragraph(markup("No athletes are in this squad on this day."), styles.muted))
    return flowables


def _counts_table(report: SquadReport, styles: LetterStyles) -> Table:
    total = sum(count for _, count in report.counts)
    cells = [
        Paragraph(markup(f"{availability.label}: {count}"), styles.cell_bold) for availability, count in report.counts
    ]
    cells.append(Paragraph(markup(f"{total} athletes, {report.athletes_screened} screened"), styles.cell))
    table = Table([cells], colWidths=[40 * mm] * len(report.counts) + [60 * mm], hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 6)]
    for column, (availability, _) in enumerate(report.counts):
        # A coloured bar at the left of each count: the words carry the meaning, the colour only helps.
        commands.append(("LINEBEFORE", (column, 0), (column, 0), 4, _AVAILABILITY_COLOURS[availability]))
    table.setStyle(TableStyle(commands))
    return table


def _athletes_table(rows: tuple[ReportRow, ...], styles: LetterStyles) -> Table:
    cell = ParagraphStyle("squad_cell", parent=styles.cell, fontSize=8, leading=9.8)
    bold = ParagraphStyle("squad_cell_bold", parent=cell, fontName=BOLD)
    texts = [_row_texts(row) for row in rows]
    header = [Paragraph(markup(text), bold) for text in HEADINGS]
    body = [[Paragraph(markup(text), bold if row.alert else cell) for text in row_texts]
            for row, row_texts in zip(rows, texts, strict=True)]  # fmt: skip
    # Widths from the text itself (as the letters' tables): a long surname keeps its column, the flags share the rest.
    widths = column_widths([HEADINGS, *texts], len(HEADINGS), FRAME_WIDTH, _measure(bold), 2 * _CELL_PADDING)
    table = Table([header, *body], colWidths=widths, repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), TABLE_HEADER),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for number, row in enumerate(rows, start=1):
        if row.alert:
            commands.append(("BACKGROUND", (0, number), (-1, number), FLAGGED_ROW))
        commands.append(("LINEBEFORE", (1, number), (1, number), 3, _AVAILABILITY_COLOURS[row.availability]))
    table.setStyle(TableStyle(commands))
    return table


def _row_texts(row: ReportRow) -> tuple[str, ...]:
    athlete = f"{ALERT_MARK} {row.athlete}" if row.alert else row.athlete
    return (
        athlete, f"{row.availability.label}: {row.reason}", row.last_screened, row.heel_raise, row.lsi,
        row.knee_to_wall, row.pain, "\n".join(row.flags) or "—",
    )  # fmt: skip


def _measure(style: ParagraphStyle) -> Callable[[str], float]:
    def width(text: str) -> float:  # bold, the wider face: a flagged row prints bold
        return float(stringWidth(text, style.fontName, style.fontSize))

    return width


def _template(output: io.BytesIO, report: SquadReport) -> BaseDocTemplate:
    frame = Frame(MARGIN, BOTTOM_MARGIN, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0, id="body")
    return BaseDocTemplate(
        output,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageTemplates=[PageTemplate("page", [frame])],
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=f"{TITLE}: {report.squad_title}, {report.date_text}",  # the squad and day, never an athlete
        author=report.clinic_name,
        subject="Squad screening: availability, heel-raise and knee-to-wall results, flags",
        creator=creator(),
        lang="en-GB",
        displayDocTitle=True,
    )


class _FooterCanvas(Canvas):  # type: ignore[misc]  # ReportLab has no type hints
    """Holds each page back until the end, then writes the footer with "Page N of M" on every one."""

    def __init__(self, *args: Any, footer: Paragraph, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self._footer = footer

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, _FOOTER_Y + 10, PAGE_WIDTH - MARGIN, _FOOTER_Y + 10)
        _, height = self._footer.wrap(FRAME_WIDTH - _PAGE_NUMBER_WIDTH, 10 * mm)
        self._footer.drawOn(self, MARGIN, _FOOTER_Y + 8 - height)
        self.setFillColor(MUTED)
        self.setFont(REGULAR, 8)
        self.drawRightString(PAGE_WIDTH - MARGIN, _FOOTER_Y, f"Page {number} of {total}")
        self.restoreState()


def _canvas_maker(footer: Paragraph) -> Any:
    def make(*args: Any, **kwargs: Any) -> _FooterCanvas:
        return _FooterCanvas(*args, footer=footer, **kwargs)

    return make
