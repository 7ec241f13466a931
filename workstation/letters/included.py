"""Which sections a letter prints, in print order: those ticked and offered, and every locked one.

The order is ``sections_for``'s (CLINICAL.md 9.1), except that an emergency or urgent letter moves the red
flags and the action taken up to follow the request at once: what the GP must act on today is on page 1,
ahead of the history (CLINICAL.md 9.1 "Urgent tiers").
"""

from __future__ import annotations

from workstation.letters.context import Context
from workstation.letters.records import SectionKey
from workstation.letters.sections import choices_for

ACT_NOW_TIERS = frozenset({"emergency", "urgent"})  # CLINICAL.md 5.1 tiers E and U: medical care today


def included_keys(ctx: Context) -> tuple[SectionKey, ...]:
    """The keys of the sections ``ctx``'s letter prints, in print order."""
    choices = choices_for(ctx.kind, ctx.facts, ctx.stored)
    keys = tuple(choice.key for choice in choices if choice.locked or choice.key in ctx.request.sections)
    if ctx.tier not in ACT_NOW_TIERS or SectionKey.RED_FLAGS not in keys:
        return keys
    rest = [key for key in keys if key is not SectionKey.RED_FLAGS]
    after = rest.index(SectionKey.REQUEST) + 1 if SectionKey.REQUEST in rest else 0
    return (*rest[:after], SectionKey.RED_FLAGS, *rest[after:])
