"""The presenting and relevant history of a letter (CLINICAL.md 9.1 items 3 and 4), from the stored record.

Core lines always print (onset, pain, load changes: "–" when not recorded); other key facts print when they
were answered, so a gradual-onset story is not padded with the sudden-onset questions nobody asked. The
yes/no items follow as one line of those reported and one of those denied (``answer_lines``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from workstation.letters.answer_lines import Answer, answer_lines
from workstation.letters.context import Context
from workstation.letters.document import Block, Fields, Text
from workstation.letters.record_words import (
    DVT_RISK_WORDS,
    HISTORY_FEATURES,
    LOAD_CHANGE_WORDS,
    NONE_REPORTED,
    ONSET_ACTIVITY_WORDS,
    ONSET_WORDS,
    PAIN_LOCATION_WORDS,
    PAST_HISTORY,
    SENSATION_WORDS,
    TINGLING_WORDS,
    lower_first,
    yes_no,
)
from workstation.letters.stored import number, text, words
from workstation.letters.wording import NO_ASSESSMENT, NOT_DONE

MEDICATION_LABEL = "Medication, allergies (as reported)"
_PAIN = (("now", "nprs_now"), ("during running", "nprs_during_run"), ("worst in 24 hours", "nprs_worst_24h"))


def history_blocks(ctx: Context) -> tuple[Block, ...]:
    """The key facts as fields, then the yes/no answers as one line of those reported and one of those not."""
    extra = (Text(ctx.request.edits.history.strip()),) if ctx.request.edits.history.strip() else ()
    if ctx.stored is None:
        return (Text(ctx.spell(NO_ASSESSMENT)), *extra)
    history = ctx.stored.section("document", "history")
    extras = ctx.stored.section("detail", "history")
    rows = [("Onset", _onset(ctx, history, extras))]
    rows += _key_facts(ctx, history, extras)
    rows.append(("Pain (NPRS 0-10)", ", ".join(f"{name} {number(history.get(key))}" for name, key in _PAIN)))
    rows.append(("Recent load changes", _listed(ctx, LOAD_CHANGE_WORDS, history.get("recent_load_changes"))))
    notes = text(extras.get("notes"))
    if notes:
        rows.append(("Notes", notes))
    return (Fields(ctx.rows(*rows)), *answer_lines(ctx, _features(history)), *extra)


def _onset(ctx: Context, history: dict[str, Any], extras: dict[str, Any]) -> str:
    onset = ctx.spell(words(ONSET_WORDS, history.get("onset")))
    day = _iso_day(extras.get("onset_date"))
    if day is None and ctx.facts.episode is not None:
        day = ctx.facts.episode.onset_date
    return f"{onset}, {ctx.locale.long_date(day)}" if day is not None else onset


def _iso_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _key_facts(ctx: Context, history: dict[str, Any], extras: dict[str, Any]) -> list[tuple[str, str]]:
    """The story's key facts that were answered, each in words; user text as typed."""
    rows: list[tuple[str, str]] = []
    for label, table, key in (
        ("Activity at onset", ONSET_ACTIVITY_WORDS, "onset_activity"),
        ("What they felt", SENSATION_WORDS, "onset_sensation"),
        ("Where", PAIN_LOCATION_WORDS, "pain_location"),
    ):
        if key in history:
            rows.append((label, ctx.spell(words(table, history.get(key)))))
    for label, key in (("Mechanism", "mechanism"), ("When in the run it starts", "pain_timing_in_run"),
                       ("Next day", "next_day")):  # fmt: skip
        if text(extras.get(key)):
            rows.append((label, text(extras.get(key))))
    if "could_continue_running" in history:
        rows.append(("Could keep running", yes_no(history.get("could_continue_running"))))
    if "could_rise_on_toes" in extras:
        rows.append(("Could rise onto the toes afterwards", yes_no(extras.get("could_rise_on_toes"))))
    return rows


def _features(history: dict[str, Any]) -> list[Answer]:
    """The yes/no history items as (words, answer); foot tingling counts as reported unless it was "none"."""
    answers: list[Answer] = [(lower_first(label), history.get(key)) for key, label in HISTORY_FEATURES]
    tingling = history.get("foot_tingling_or_numbness")
    if tingling == "none":
        answers.append(("foot tingling or numbness", False))
    elif isinstance(tingling, str) and tingling:
        answers.append((f"foot tingling or numbness ({lower_first(words(TINGLING_WORDS, tingling))})", True))
    return answers


def _listed(ctx: Context, table: dict[str, str], value: Any) -> str:
    """A stored multi-choice in words: "None reported" for an empty list, "–" when not recorded."""
    if not isinstance(value, list):
        return NOT_DONE
    if not value:
        return ctx.spell(NONE_REPORTED)
    named = [ctx.spell(words(table, code)) for code in value]
    joined = ", ".join(named)
    return joined[:1].upper() + joined[1:]


def relevant_history_blocks(ctx: Context) -> tuple[Block, ...]:
    """DVT risk factors and medication as fields; previous strain, back, bone health and cramping as lines,
    an unanswered one as "Not recorded" (CLINICAL.md 9.1 item 4 names them, so none is silently dropped)."""
    medication = ctx.request.edits.medication.strip() or "not recorded"
    if ctx.stored is None:
        return (Text(ctx.spell(NO_ASSESSMENT)), Fields(ctx.rows((MEDICATION_LABEL, medication))))
    history = ctx.stored.section("document", "history")
    flags = ctx.stored.section("document", "red_flags")
    rows = Fields(ctx.rows(
        ("DVT risk factors", _listed(ctx, DVT_RISK_WORDS, flags.get("dvt_risk_factors"))),
        (MEDICATION_LABEL, medication),
    ))  # fmt: skip
    answers = [(label, history.get(key)) for key, label in PAST_HISTORY]
    return (rows, *answer_lines(ctx, answers, unanswered=True, reported="Reported"))
