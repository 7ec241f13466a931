"""The handout's exercise cards: the drawing at the left, name, instructions and dose at the right, in a box.

The handout is read at home in large type (at least 14 pt, CLINICAL.md 8), so the cards are kept compact
in every other way: little padding, a drawing a little narrower than the text, and the dose and the
clinician's note on one line when both are short enough to share it. Two cards fit under page 1's
heading and three on each later page.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from reports.drawings import draw_exercise, exercise_codes
from reports.fonts import BOLD, markup
from reports.kept_together import KeptTogether
from reports.styles import CARD_BORDER, LetterStyles
from workstation.letters import document as doc

CARD_PADDING = 2.5 * mm
_DRAWING_GAP = 4 * mm  # between the drawing and the text
DOSE_LABEL, NOTE_LABEL = "How much:", "Note:"
_JOIN = " · "


def exercise_card(block: doc.ExerciseCard, styles: LetterStyles, width: float) -> list[Flowable]:
    """One card ``width`` points wide, kept on one page.

    A code with no drawing (an exercise since retired from the library) prints the card without one: the
    instructions matter more than the picture.
    """
    side = styles.exercise_drawing
    drawn = block.code in exercise_codes()
    drawing_width = side + _DRAWING_GAP if drawn else 0.0
    text_width = width - drawing_width - 2 * CARD_PADDING
    text = _text(block, styles, text_width)
    row: list[object] = [draw_exercise(block.code, side, side), text] if drawn else [text]
    widths = (drawing_width, width - drawing_width) if drawn else (width,)
    # splitInRow: a card taller than a page (pages of instructions) splits instead of failing the letter;
    # KeepTogether moves any shorter card whole to the next page.
    card = Table([row], colWidths=widths, splitInRow=1)
    card.setStyle(_CARD_STYLE)
    return [KeptTogether([card]), Spacer(1, styles.block_space * 0.75)]


def _text(block: doc.ExerciseCard, styles: LetterStyles, width: float) -> list[Flowable]:
    text: list[Flowable] = [Paragraph(markup(block.name), styles.card_title)]
    if block.instructions:
        text.append(Paragraph(markup(block.instructions), styles.card_body))
    dose = f"<b>{DOSE_LABEL}</b> {markup(block.dose)}" if block.dose else ""
    note = f"<b>{NOTE_LABEL}</b> {markup(block.notes)}" if block.notes else ""
    if dose and note and _fits_one_line(f"{DOSE_LABEL} {block.dose}{_JOIN}{NOTE_LABEL} {block.notes}", styles, width):
        text.append(Paragraph(dose + markup(_JOIN) + note, styles.card_body))
    else:
        text += [Paragraph(part, styles.card_body) for part in (dose, note) if part]
    return text


def _fits_one_line(text: str, styles: LetterStyles, width: float) -> bool:
    # Measured all in bold (only the labels are), so it errs towards two lines, never towards a wrap.
    return float(stringWidth(text, BOLD, styles.card_body.fontSize)) <= width


_CARD_STYLE = TableStyle([
    ("BOX", (0, 0), (-1, -1), 0.8, CARD_BORDER),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
    ("LEFTPADDING", (0, 0), (-1, -1), CARD_PADDING),
    ("RIGHTPADDING", (0, 0), (-1, -1), CARD_PADDING),
])  # fmt: skip
