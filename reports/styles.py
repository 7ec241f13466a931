"""Paragraph styles, colours and sizes for letters: a normal letter and the large-type patient handout.

Styles are built once per process per size (``letter_styles`` is cached): building ParagraphStyles is
cheap, but a batch of 500 letters should not do it 500 times. Colours are fixed here and never come from
user data (RELIABILITY.md H3: no user data in markup attributes).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from reports.fonts import BOLD, REGULAR, register_fonts

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
ACCENT = colors.HexColor("#1F4E79")  # headings and the letterhead rule: a calm navy
RULE = colors.HexColor("#9FB3C8")
GRID = colors.HexColor("#B8C2CC")
TABLE_HEADER = colors.HexColor("#DCE6F0")
FIELDS_BACKGROUND = colors.HexColor("#F3F5F7")
FLAGGED_ROW = colors.HexColor("#FDEBD0")  # with a "▲" and bold text, so a flag is never colour alone
CARD_BORDER = colors.HexColor("#8EA3B8")


@dataclass(frozen=True, slots=True)
class TierLook:
    """How an urgency tier looks: the banner colours and the short label repeated on later pages."""

    background: colors.Color
    text: colors.Color
    border: colors.Color
    label: str  # CLINICAL.md 5.1 app labels
    repeat_on_later_pages: bool


TIER_LOOKS: dict[str, TierLook] = {
    "emergency": TierLook(colors.HexColor("#8B0000"), colors.white, colors.HexColor("#5C0000"), "EMERGENCY", True),
    "urgent": TierLook(
        colors.HexColor("#B33A00"), colors.white, colors.HexColor("#7A2800"), "URGENT – SAME DAY", True
    ),
    "soon": TierLook(colors.HexColor("#FFE08A"), INK, colors.HexColor("#C99700"), "SOON", False),
    "routine": TierLook(colors.HexColor("#ECEFF1"), INK, colors.HexColor("#B0BEC5"), "ROUTINE", False),
}


@dataclass(frozen=True, slots=True)
class LetterStyles:
    """Every style one letter uses, at one type size."""

    large_type: bool
    body: ParagraphStyle
    strong: ParagraphStyle
    plain: ParagraphStyle  # body size with no space after: address and signature lines
    plain_bold: ParagraphStyle
    copies: ParagraphStyle  # "cc:" with the names under each other, hanging
    small: ParagraphStyle
    muted: ParagraphStyle
    bullet: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    compact_cell: ParagraphStyle  # a compact table's cells (the Wells items): smaller, tighter
    compact_cell_bold: ParagraphStyle
    caption: ParagraphStyle
    figure_title: ParagraphStyle
    clinic_name: ParagraphStyle
    letterhead_line: ParagraphStyle
    right: ParagraphStyle
    banner: dict[str, tuple[ParagraphStyle, ParagraphStyle]]  # tier -> (title, text), in the tier's text colour
    card_title: ParagraphStyle
    card_body: ParagraphStyle  # body size, less space after: a card's instructions, dose and note
    footer: ParagraphStyle
    running_header: ParagraphStyle
    section_space: float  # points before a section heading
    heading_room: float  # a heading starts a new page unless this much room is left: never a heading alone
    block_space: float  # points between blocks
    exercise_drawing: float  # side of the square drawing on an exercise card, points


@dataclass(frozen=True, slots=True)
class _Size:
    body: float
    small: float
    heading: float
    title: float
    leading: float  # leading / size
    section_space: float
    block_space: float
    exercise_drawing: float


# A GP reads page 1 and skims the rest: a compact letter, tight spacing and 9 pt table cells, at a readable
# body size (DejaVu Sans at 10 pt reads as large as Arial at 11 pt).
_NORMAL = _Size(10, 8, 11.5, 15, 1.22, 5, 4, 38 * mm)
# The handout is read by patients at home, many of them older: at least 14 pt and plenty of space.
_LARGE = _Size(14, 11.5, 18, 22, 1.4, 12, 6, 36 * mm)


@lru_cache(maxsize=2)
def letter_styles(large_type: bool = False) -> LetterStyles:
    """The styles for a normal letter (10.5 pt body) or the large-type patient handout (14 pt body)."""
    register_fonts()
    size = _LARGE if large_type else _NORMAL

    def style(name: str, font_size: float, **extra: object) -> ParagraphStyle:
        options: dict[str, object] = {"fontName": REGULAR, "textColor": INK, "alignment": TA_LEFT,
                                      "leading": font_size * size.leading}  # fmt: skip
        options.update(extra)
        return ParagraphStyle(f"{name}-{size.body}", fontSize=font_size, **options)

    cell_size = size.body - 1 if not large_type else size.body
    return LetterStyles(
        large_type=large_type,
        body=style("body", size.body, spaceAfter=size.block_space),
        strong=style("strong", size.body, fontName=BOLD, spaceAfter=size.block_space),
        plain=style("plain", size.body),
        plain_bold=style("plain_bold", size.body, fontName=BOLD),
        copies=style("copies", size.body, leftIndent=size.body * 2.2, firstLineIndent=-size.body * 2.2),
        small=style("small", size.small, spaceAfter=size.block_space / 2),
        muted=style("muted", size.body, textColor=MUTED, spaceAfter=size.block_space),
        bullet=style("bullet", size.body, leftIndent=size.body * 1.4, bulletIndent=size.body * 0.3,
                     bulletFontName=REGULAR, spaceAfter=size.block_space / 2),
        title=style("title", size.title, fontName=BOLD, textColor=ACCENT, spaceBefore=4, spaceAfter=size.block_space),
        heading=style("heading", size.heading, fontName=BOLD, textColor=ACCENT, spaceBefore=size.section_space,
                      spaceAfter=size.block_space / 1.5),
        cell=style("cell", cell_size),
        cell_bold=style("cell_bold", cell_size, fontName=BOLD),
        compact_cell=style("compact_cell", cell_size - 0.5, leading=(cell_size - 0.5) * 1.15),
        compact_cell_bold=style("compact_cell_bold", cell_size - 0.5, fontName=BOLD, leading=(cell_size - 0.5) * 1.15),
        figure_title=style("figure_title", size.body, fontName=BOLD, spaceAfter=3),
        caption=style("caption", size.small, textColor=MUTED, spaceBefore=2, spaceAfter=size.block_space),
        clinic_name=style("clinic_name", size.heading + 2, fontName=BOLD, textColor=ACCENT, alignment=TA_RIGHT),
        letterhead_line=style("letterhead_line", size.small + 0.5, textColor=MUTED, alignment=TA_RIGHT),
        right=style("right", size.body, alignment=TA_RIGHT),
        banner={
            tier: (
                style(f"banner_title_{tier}", size.heading, fontName=BOLD, textColor=look.text),
                style(f"banner_text_{tier}", size.body, textColor=look.text, spaceBefore=2),
            )
            for tier, look in TIER_LOOKS.items()
        },
        card_title=style("card_title", size.body + 2, fontName=BOLD, spaceAfter=size.block_space / 4),
        card_body=style("card_body", size.body, leading=size.body * 1.3, spaceAfter=size.block_space / 2),
        footer=style("footer", 8 if not large_type else 10, textColor=MUTED),
        running_header=style("running_header", 8 if not large_type else 10, textColor=MUTED),
        section_space=size.section_space,
        heading_room=size.section_space + size.heading * size.leading + 3 * size.body * size.leading,
        block_space=size.block_space,
        exercise_drawing=size.exercise_drawing,
    )

