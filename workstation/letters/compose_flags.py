"""The request and the red flags of a letter (CLINICAL.md 9.1 items 2 and 6).

The request is the clinician's own words when they edited it, else the default by red flag, pathway and
kind (``requests``). The red-flag section lists every flag the letter carries with its tier, the advice the
engine gave and the action recorded ("No action recorded yet" until there is one), then the phone call.
"""

from __future__ import annotations

from workstation.letters.compose_wells import wells_block, wells_with_flags
from workstation.letters.context import Context
from workstation.letters.document import Block, Table, Text
from workstation.letters.flags import NO_ACTION_YET
from workstation.letters.requests import request_text_for
from workstation.letters.wording import FLAG_NAMES, TIER_WORDS, phone_call_sentence

FLAG_HEADER = ("Tier", "Red flag", "Advice at the time", "Action taken")
NO_FLAGS = "No red flags were raised at this assessment."
NO_FLAGS_WITHOUT_ASSESSMENT = "No red flags are recorded."


def request_text(ctx: Context) -> str:
    """What the letter asks: the edited request, or the default."""
    edited = ctx.request.edits.request
    if edited is not None:
        return edited
    return request_text_for(ctx.kind, ctx.flags, ctx.stored, ctx.locale)


def request_blocks(ctx: Context) -> tuple[Block, ...]:
    # A care-plan report's visit ("after the first service") is in its opening line, so it is not repeated.
    request = request_text(ctx).strip()
    return (Text(request, "strong"),) if request else ()


def red_flag_blocks(ctx: Context) -> tuple[Block, ...]:
    blocks: list[Block] = []
    if ctx.flags:
        rows = tuple(
            (
                ctx.spell(TIER_WORDS.get(flag.tier, flag.tier)),
                ctx.spell(_sentence(FLAG_NAMES.get(flag.code, flag.code.replace("_", " ")))),
                flag.message,
                flag.action or ctx.spell(NO_ACTION_YET),
            )
            for flag in ctx.flags
        )
        unresolved = tuple(index for index, flag in enumerate(ctx.flags) if not flag.action)
        blocks.append(Table(tuple(ctx.spell(cell) for cell in FLAG_HEADER), rows, flagged=unresolved))
    else:
        blocks.append(Text(ctx.spell(NO_FLAGS if ctx.stored is not None else NO_FLAGS_WITHOUT_ASSESSMENT)))
    if ctx.stored is not None and wells_with_flags(ctx):  # an urgent clot letter: the Wells score beside its flag
        blocks.append(wells_block(ctx, ctx.stored))
    if ctx.facts.phone_call is not None:
        blocks.append(Text(phone_call_sentence(ctx.facts.phone_call, ctx.locale)))
    return tuple(blocks)


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]
