"""The fixed parts of a letter around its sections: letterhead, addressee and dates, the patient's
identifiers, the urgency banner, and the signature block with copies and small print (CLINICAL.md 9.1).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from reports.fonts import markup
from reports.letter_blocks import CELL_PADDING, fields_table, label_width
from reports.letter_images import image_box
from reports.styles import ACCENT, FIELDS_BACKGROUND, GRID, TIER_LOOKS, LetterStyles
from workstation.letters.document import Addressee, Banner, Letter, Letterhead, Signature

LOGO_MAX_HEIGHT = 25 * mm
_LOGO_MAX_WIDTH = 60 * mm
_SIGNATURE_MAX_HEIGHT = 16 * mm
_SIGNATURE_MAX_WIDTH = 55 * mm
SEPARATOR = " · "  # between the items of a letterhead or signature line
_NO_PADDING = [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]


def letterhead(head: Letterhead, styles: LetterStyles, width: float) -> list[Flowable]:
    """The logo at the left (when there is a readable one), the clinic's name and contacts at the right."""
    lines = [Paragraph(markup(head.clinic_name), styles.clinic_name)] if head.clinic_name else []
    logo = image_box(head.logo, _LOGO_MAX_WIDTH, LOGO_MAX_HEIGHT)
    logo_width = logo.image_width + 4 * mm if logo is not None else 0
    # The address on one line and the phone and email on the next: a letterhead two lines deep, not five.
    # Where a line is too long (the handout's large type), it breaks between items, never after a separator.
    room, style = width - logo_width, styles.letterhead_line
    reach = [item for item in (f"Tel {head.phone}" if head.phone else "", head.email) if item]
    contact = [*packed(head.address_lines, ", ", style, room), *packed(reach, SEPARATOR, style, room)]
    if contact:  # one paragraph of lines: a tenth of the cost of a paragraph each
        lines.append(Paragraph(_joined(contact), style))
    table = Table([[logo or "", lines]], colWidths=(logo_width, width - logo_width))
    table.setStyle(TableStyle([*_NO_PADDING, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    rule = HRFlowable(width="100%", thickness=1.2, color=ACCENT, spaceBefore=2 * mm, spaceAfter=4 * mm)
    return [table, rule]


def addressee_and_dates(letter: Letter, styles: LetterStyles, width: float) -> list[Flowable]:
    """The recipient's address at the left (a window envelope's place), the dates at the right."""
    date_text = "<br/>".join(f"<b>{markup(label)}:</b> {markup(value)}" for label, value in letter.date_lines)
    dates = [Paragraph(date_text, styles.right)] if date_text else []
    if letter.recipient is None:
        return [*dates, Spacer(1, styles.block_space)] if dates else []
    address = _address(letter.recipient, styles)
    table = Table([[address, dates]], colWidths=(width * 0.55, width * 0.45))
    table.setStyle(TableStyle([*_NO_PADDING, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [table, Spacer(1, styles.section_space)]


def _address(recipient: Addressee, styles: LetterStyles) -> list[Paragraph]:
    name = f"<b>{markup(recipient.name)}</b>" if recipient.name else ""
    lines = [recipient.practice, *recipient.address_lines]
    text = "<br/>".join(part for part in (name, _joined(lines)) if part)
    return [Paragraph(text, styles.plain)] if text else []


def packed(items: Sequence[str], separator: str, style: ParagraphStyle, width: float) -> list[str]:
    """``items`` joined by ``separator`` on as few lines as fit ``width`` points: a line breaks only between
    two items (so never just after a separator); an item too long for a line of its own wraps as text does."""
    lines: list[str] = []
    for item in (item for item in items if item):
        joined = f"{lines[-1]}{separator}{item}" if lines else item
        if lines and stringWidth(joined, style.fontName, style.fontSize) <= width:
            lines[-1] = joined
        else:
            lines.append(item)
    return lines


def _joined(lines: list[str]) -> str:
    """Plain lines as one paragraph's markup, a line break between them, empty lines left out."""
    return "<br/>".join(markup(line) for line in lines if line)


def patient_block(letter: Letter, styles: LetterStyles, width: float) -> list[Flowable]:
    """The identifiers (name, date of birth, NHS number, address, ...) in a shaded box, labels bold."""
    if not letter.patient_lines:
        return []
    rows = letter.patient_lines
    labels = label_width([label for label, _ in rows], styles, width * 0.2)
    if styles.large_type or len(rows) < 4 or not _values_fit(rows, styles, width / 2 - labels):
        table = fields_table(rows, styles, width, shaded=True)
    else:
        table = _two_column_fields(rows, styles, width, labels)
    return [table, Spacer(1, styles.block_space * 1.5)]


def _values_fit(rows: tuple[tuple[str, str], ...], styles: LetterStyles, value_width: float) -> bool:
    """Whether every value fits its half of a two-column block on one line (a long name gets the full width)."""
    room = value_width - 2 * CELL_PADDING
    font, size = styles.cell.fontName, styles.cell.fontSize
    return all(stringWidth(line, font, size) <= room for _, value in rows for line in value.splitlines())


def _two_column_fields(rows: tuple[tuple[str, str], ...], styles: LetterStyles, width: float, labels: float) -> Table:
    """Label, value, label, value: five identifiers take three lines instead of five."""
    half = (len(rows) + 1) // 2
    cells: list[list[object]] = []
    for index in range(half):
        line: list[object] = []
        for label, value in (rows[index], rows[index + half] if index + half < len(rows) else ("", "")):
            line += [Paragraph(markup(label), styles.cell_bold), Paragraph(markup(value), styles.cell)]
        cells.append(line)
    table = Table(cells, colWidths=(labels, width / 2 - labels) * 2, splitInRow=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), FIELDS_BACKGROUND),
        ("BOX", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]))  # fmt: skip
    return table


def title(letter: Letter, styles: LetterStyles) -> list[Flowable]:
    return [Paragraph(markup(letter.title), styles.title)] if letter.title else []


def banner(letter_banner: Banner | None, styles: LetterStyles, width: float) -> list[Flowable]:
    """The urgency banner: a box in the tier's fixed colours with its title and the one-line reason."""
    if letter_banner is None:
        return []
    look = TIER_LOOKS[letter_banner.tier]
    title_style, text_style = styles.banner[letter_banner.tier]
    content = [Paragraph(markup(letter_banner.title), title_style)]
    if letter_banner.text:
        content.append(Paragraph(markup(letter_banner.text), text_style))
    table = Table([[content]], colWidths=(width,))
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), look.background),
        ("BOX", (0, 0), (-1, -1), 1.2, look.border),
        ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
    ]))  # fmt: skip
    return [table, Spacer(1, styles.section_space)]


def greeting(letter: Letter, styles: LetterStyles) -> list[Flowable]:
    return [Paragraph(markup(text), styles.body) for text in (letter.salutation, letter.opening) if text]


def sign_off(letter: Letter, styles: LetterStyles, width: float, *, lead: Sequence[Flowable] = ()) -> list[Flowable]:
    """The closing and the signature block kept together, with ``lead`` (the letter's last words) above them,
    so a signature never starts a page without the "Yours sincerely" it belongs to; then the copies ("cc:")
    and the small print, which flow: kept with the signature they made the block so tall that it left most
    of a page empty to start a new one."""
    block: list[Flowable] = [*lead, Spacer(1, styles.block_space)]
    if letter.closing:  # no space after it of its own: the room to sign (or a line's gap) follows
        block.append(Paragraph(markup(letter.closing), styles.plain))
    if letter.signature is not None:
        block += _signature(letter.signature, styles, width)
    flowables: list[Flowable] = [KeepTogether(block)]
    if letter.copy_to:
        flowables += [Spacer(1, styles.block_space), Paragraph(f"cc: {_joined(list(letter.copy_to))}", styles.copies)]
    if letter.notes:
        flowables.append(Spacer(1, styles.section_space))
        flowables += [Paragraph(markup(note), styles.small) for note in letter.notes]
    return flowables


def _signature(signature: Signature, styles: LetterStyles, width: float) -> list[Flowable]:
    image = image_box(signature.image, _SIGNATURE_MAX_WIDTH, _SIGNATURE_MAX_HEIGHT)
    # Room to sign a letter by hand; a handout is given in person, and needs the name to call, not a signature.
    room = Spacer(1, 10 * mm if not styles.large_type else styles.block_space)
    parts: list[Flowable] = [image if image is not None else room]
    name = f"<b>{markup(signature.name)}</b>" if signature.name else ""
    # Profession and registration share a line ("Physiotherapist · HCPC registration PH123456").
    credentials = packed((signature.profession, signature.registration), SEPARATOR, styles.plain, width)
    contact = packed(signature.contact.split(SEPARATOR), SEPARATOR, styles.plain, width)  # "phone · email"
    lines = _joined([*credentials, *contact])
    parts.append(Paragraph("<br/>".join(part for part in (name, lines) if part), styles.plain))
    return parts
