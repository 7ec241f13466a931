"""The record's own wording of the four texts a clinician may rewrite: the request, the impression, the
treatment so far and the goals. Read back from the letter composed with no edits, so the dialog shows
exactly what the letter would print, spelling and all; an unchanged text is then sent as "no edit".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from workstation.letters.document import Block, Bullets, Fields, Section, Text
from workstation.letters.records import LetterEdits, LetterFacts, LetterKind, SectionKey
from workstation.letters.sections import default_request

if TYPE_CHECKING:
    from workstation.services.letters import LetterService

TREATMENT_ROW = "Treatment so far"
_WORDED = {SectionKey.REQUEST: "request", SectionKey.IMPRESSION: "impression", SectionKey.PLAN: "treatment",
           SectionKey.GOALS: "goals"}  # fmt: skip


def record_wording(service: LetterService, kind: LetterKind, facts: LetterFacts) -> Mapping[str, str]:
    """``{"request": ..., "impression": ..., "treatment": ..., "goals": ...}`` as the letter prints them."""
    request = replace(default_request(kind, facts), sections=frozenset(_WORDED), edits=LetterEdits())
    letter = service.compose(request, facts)
    return {_WORDED[section.key]: _wording(section) for section in letter.sections if section.key in _WORDED}


def _wording(section: Section) -> str:
    if section.key is SectionKey.REQUEST:
        strong = [block.text for block in section.blocks if isinstance(block, Text) and block.emphasis == "strong"]
        return "\n".join(strong)
    if section.key is SectionKey.PLAN:
        rows = [value for block in section.blocks if isinstance(block, Fields) for label, value in block.rows
                if label == TREATMENT_ROW]  # fmt: skip
        return rows[0] if rows else ""
    return "\n".join(line for block in section.blocks for line in _lines(block))


def _lines(block: Block) -> list[str]:
    if isinstance(block, Text):
        return [block.text]
    if isinstance(block, Bullets):
        return [f"• {item}" for item in block.items]
    return []
