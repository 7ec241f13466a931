"""The letter dialog's amber strip of what the letter would print without (``workstation.letters.gaps``).

One line a gap, with the menu that fixes it, under the urgency strip; the same lines in the confirmation
before finalising. A gap never blocks a letter (a clinic may genuinely have no country set), so the strip
says so, once, after the lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.letters.gaps import Gap, letter_gaps
from workstation.letters.records import LetterFacts, LetterKind, Recipient

NOT_BLOCKING = "You can still finalise: the letter prints without what is not set."
CONFIRMATION_HEADING = "Not set, so the letter prints without it:"


def current_gaps(kind: LetterKind, facts: LetterFacts | None, recipient: Recipient) -> tuple[Gap, ...]:
    """The gaps of the letter as the form stands (none before the record is read)."""
    return () if facts is None else letter_gaps(kind, facts, recipient)


def notice_text(gaps: Sequence[Gap]) -> str:
    """The strip's text: a line a gap, then (when anything is missing) that finalising is not blocked."""
    lines = [gap.line for gap in gaps]
    if any(gap.missing for gap in gaps):
        lines.append(NOT_BLOCKING)
    return "\n".join(lines)


def show_gaps(strip: BannerWidget, gaps: Sequence[Gap]) -> None:
    """Amber, not dismissable (it goes when the gap is filled in); hidden when there is none."""
    if gaps:
        strip.show_message(notice_text(gaps), Tone.WARNING, dismissable=False)
    else:
        strip.clear()


def confirmation_lines(gaps: Sequence[Gap]) -> str:
    """For the confirmation box: "Not set, so the letter prints without it:" and a bullet a gap."""
    missing = [gap for gap in gaps if gap.missing]
    notes = [gap for gap in gaps if not gap.missing]
    parts = []
    if missing:
        parts.append("\n".join([CONFIRMATION_HEADING, *(f"• {gap.what} ({gap.where_to_fix})" for gap in missing)]))
    parts += [f"Note: {gap.what}." for gap in notes]
    return "\n\n".join(parts)
