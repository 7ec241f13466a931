"""Yes/no answers as two short lines instead of a row each: "Also reported: …" and "Not reported when asked: …".

A GP reads page 1 and skims the rest, so a dozen yes/no rows cost a page for two lines' worth of news. Only
an answered item is listed: an explicit "no" goes on the "not reported" line, and an unanswered item is never
read as a no (RELIABILITY.md J3). Where an unanswered item is one the letter must account for (CLINICAL.md
9.1 item 4), the caller asks for a "Not recorded" line too.
"""

from __future__ import annotations

from collections.abc import Sequence

from workstation.letters.context import Context
from workstation.letters.document import Block, Text

REPORTED = "Also reported"
NOT_REPORTED = "Not reported when asked"
NOT_RECORDED = "Not recorded"

Answer = tuple[str, object]  # (what was asked about, in words that read after "reported:"; the stored answer)


def answer_lines(ctx: Context, answers: Sequence[Answer], *, unanswered: bool = False,
                 reported: str = REPORTED) -> tuple[Block, ...]:  # fmt: skip
    """One line of the items answered yes, one of those answered no, and (with ``unanswered``) one of the rest.

    Args:
        ctx: the letter being composed (for the spelling of our own words).
        answers: each item's words and its stored answer (True, False, or anything else for unanswered).
        unanswered: also list the items with no yes/no answer, as "Not recorded".
        reported: the lead of the "yes" line ("Also reported" after key facts, "Reported" on its own).
    """
    groups = (
        (reported, [words for words, value in answers if value is True]),
        (NOT_REPORTED, [words for words, value in answers if value is False]),
        (NOT_RECORDED, [words for words, value in answers if not isinstance(value, bool)] if unanswered else []),
    )
    return tuple(Text(ctx.spell(f"{lead}: {listed(items)}.")) for lead, items in groups if items)


def listed(items: Sequence[str]) -> str:
    """Items joined by semicolons: several of them carry commas of their own ("back, buttock or thigh")."""
    return "; ".join(items)
