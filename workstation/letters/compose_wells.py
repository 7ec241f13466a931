"""The Wells score in a letter (CLINICAL.md 5.2, 9.1 item 5): the full table where DVT is in question, one
line where it is not.

CLINICAL.md 9.1 lists "Wells items and total" among a referral's findings, and 5.2 asks for the score and
each item in any letter about a suspected DVT: so a GP referral, and any letter carrying a clot-related red
flag (a suspected DVT or PE, an incomplete DVT screen, cellulitis, with which a DVT can coexist), print every
item with its answer and points and the total. A progress report, discharge summary or care-plan report with
no such flag prints one line instead: the score, the category, the date, that every item was answered, and
each item that scored (RELIABILITY.md J3: the score, each contributing item, the category and "follow the
local DVT pathway"). An unanswered item makes the screen "Incomplete – DVT cannot be ruled out", never
"unlikely", in the table and in the line alike.
"""

from __future__ import annotations

from typing import Any

from workstation.clinical.wells import WELLS_ITEMS
from workstation.letters.context import Context
from workstation.letters.document import Block, Table, Text
from workstation.letters.included import ACT_NOW_TIERS, included_keys
from workstation.letters.record_words import (
    WELLS_CATEGORY,
    WELLS_FOLLOW,
    WELLS_INCOMPLETE,
    WELLS_NOT_ASSESSED_LINE,
    lower_first,
)
from workstation.letters.records import LetterKind, SectionKey
from workstation.letters.stored import Stored, is_number, number
from workstation.letters.wording import NOT_DONE

WELLS_HEADER = ("Wells item (NICE two-level)", "Answer", "Points")
WELLS_WITH_FLAGS = "Wells items and total: with the red flags above."
CLOT_FLAGS = frozenset({"dvt", "dvt_screen_incomplete", "pulmonary_embolism", "cellulitis"})  # Wells matters
# The one-line summary (a letter with no DVT question). {score}, {category}, {day}, {items}, {missing}.
WELLS_LINE = "Wells score {score} ({category}) on {day}; all {items} items answered; {scoring}."
WELLS_LINE_INCOMPLETE = "Wells screen on {day}: {incomplete} ({missing} of the {items} items not answered)."
SCORING = "scoring: {items}"
NONE_SCORING = "none scoring"
_COUNT_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
                10: "ten"}  # fmt: skip


def wells_with_flags(ctx: Context) -> bool:
    """Whether the Wells items print with the red flags rather than the findings: in an emergency or urgent
    letter about a possible clot, so that all the GP must act on is together near the top."""
    return (
        ctx.stored is not None
        and ctx.tier in ACT_NOW_TIERS
        and dvt_in_question(ctx)
        and SectionKey.RED_FLAGS in included_keys(ctx)
    )


def dvt_in_question(ctx: Context) -> bool:
    """Whether the letter carries a clot-related red flag (raised by this assessment or still unresolved)."""
    return any(flag.code in CLOT_FLAGS for flag in ctx.flags)


def findings_wells(ctx: Context, stored: Stored) -> Block:
    """The Wells block of the findings: a pointer to the red flags, the full table, or the one line."""
    if wells_with_flags(ctx):
        return Text(ctx.spell(WELLS_WITH_FLAGS))
    if ctx.kind is LetterKind.GP_REFERRAL or dvt_in_question(ctx):
        return wells_block(ctx, stored)
    return wells_line(ctx, stored)


def _answers(stored: Stored) -> dict[str, Any]:
    answers = stored.section("document", "red_flags").get("wells")
    return answers if isinstance(answers, dict) else {}


def _not_assessed(stored: Stored, answers: dict[str, Any]) -> bool:
    category = stored.section("evaluation", "wells").get("category")
    return category == "not_assessed" or not any(isinstance(answers.get(item.key), bool) for item in WELLS_ITEMS)


def _complete_reading(stored: Stored, answers: dict[str, Any]) -> tuple[str, str] | None:
    """(score, category words) when every item is answered and the stored result reads; else None."""
    wells = stored.section("evaluation", "wells")
    category, score = wells.get("category"), wells.get("score")
    complete = all(isinstance(answers.get(item.key), bool) for item in WELLS_ITEMS)
    if not complete or category not in WELLS_CATEGORY or not is_number(score):
        return None
    return number(score), WELLS_CATEGORY[str(category)]


def wells_block(ctx: Context, stored: Stored) -> Block:
    """Each Wells item with its answer and points, the total and the category (CLINICAL.md 5.2; J3); one line
    when no item was answered at all."""
    answers = _answers(stored)
    if _not_assessed(stored, answers):
        return Text(ctx.spell(WELLS_NOT_ASSESSED_LINE), "strong")
    rows = []
    for item in WELLS_ITEMS:
        answer = answers.get(item.key)
        points = f"{item.points:+d}" if answer is True else "0" if answer is False else NOT_DONE
        rows.append((ctx.spell(item.wording), "Yes" if answer is True else "No" if answer is False else
                     "Not answered", points))  # fmt: skip
    reading = _complete_reading(stored, answers)
    complete = all(isinstance(answers.get(item.key), bool) for item in WELLS_ITEMS)
    score = stored.section("evaluation", "wells").get("score")
    rows.append(("Total", "", number(score) if complete else NOT_DONE))
    caption = f"Score {reading[0]}: {reading[1]}" if reading is not None else WELLS_INCOMPLETE
    safe = reading is not None and stored.section("evaluation", "wells").get("category") == "unlikely"
    return Table(
        header=tuple(ctx.spell(cell) for cell in WELLS_HEADER),
        rows=tuple(rows),
        caption=ctx.spell(f"{caption}. {WELLS_FOLLOW}"),
        flagged=() if safe else (len(rows) - 1,),
        compact=True,
    )


def wells_line(ctx: Context, stored: Stored) -> Block:
    """The Wells score in one line, with each item that scored and the local-pathway reminder."""
    answers = _answers(stored)
    if _not_assessed(stored, answers):
        return Text(ctx.spell(WELLS_NOT_ASSESSED_LINE), "strong")
    day, items = ctx.locale.long_date(stored.record.assessed_on), _count(len(WELLS_ITEMS))
    reading = _complete_reading(stored, answers)
    if reading is None:
        missing = sum(not isinstance(answers.get(item.key), bool) for item in WELLS_ITEMS)
        line = WELLS_LINE_INCOMPLETE.format(day=day, incomplete=WELLS_INCOMPLETE, missing=_count(missing), items=items)
        return Text(ctx.spell(f"{line} {WELLS_FOLLOW}"), "strong")
    scored = [f"{lower_first(item.wording)} ({item.points:+d})" for item in WELLS_ITEMS
              if answers.get(item.key) is True]  # fmt: skip
    scoring = SCORING.format(items="; ".join(scored)) if scored else NONE_SCORING
    line = WELLS_LINE.format(score=reading[0], category=reading[1], day=day, items=items, scoring=scoring)
    return Text(ctx.spell(f"{line} {WELLS_FOLLOW}"))


def _count(count: int) -> str:
    return _COUNT_WORDS.get(count, str(count))
