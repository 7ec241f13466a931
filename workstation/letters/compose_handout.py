"""The patient's home exercise programme: plain words, large type, one card per exercise.

Each card takes its name and instructions from the library (our own patient-facing wording, CLINICAL.md 8),
its dose from the plan in words, and the clinician's note as typed. While a referral stops loading (a
suspected DVT) or an urgent or emergency red flag is raised, the handout has no exercise cards: it says the
exercises are paused until a doctor has seen the patient. "When to stop and get help" always names the
clinic's emergency number (every number when the country is not set).
"""

from __future__ import annotations

from workstation.assessment.plan import TEMPLATES
from workstation.letters.context import Context
from workstation.letters.document import Block, Bullets, ExerciseCard, Text
from workstation.letters.doses import dose_words, planned_exercises
from workstation.letters.handout_notes import card_note
from workstation.letters.load_advice import load_advice_text
from workstation.letters.running_words import NOT_RUNNING_PLAIN, WALK_RUN_RULES, phase_of, plain_phase_line
from workstation.letters.safety_net import safety_net_text
from workstation.letters.wording import CAUDA_EQUINA_CARD, EMERGENCY_LINE, EXERCISES_PAUSED, HANDOUT_NOT_READY

NO_EXERCISES = "No exercises for now."
_PAUSING_TIERS = frozenset({"urgent", "emergency"})


def _pathway_stops_loading(ctx: Context) -> bool:
    template = TEMPLATES.get(ctx.stored.pathway) if ctx.stored is not None else None  # type: ignore[call-overload]
    return template is not None and (template.loading_stopped or template.urgent)


def exercises_paused(ctx: Context) -> bool:
    """No loading now: the pathway stops it, or an urgent or emergency flag waits for a doctor."""
    return _pathway_stops_loading(ctx) or ctx.tier in _PAUSING_TIERS


def exercise_blocks(ctx: Context) -> tuple[Block, ...]:
    if exercises_paused(ctx):
        return (Text(ctx.spell(EXERCISES_PAUSED), "strong"),)
    if ctx.stored is None:
        return (Text(ctx.spell(HANDOUT_NOT_READY)),)
    cards = tuple(
        ExerciseCard(
            code=planned.library.code,
            name=ctx.spell(planned.library.name),
            instructions=ctx.spell(planned.library.instructions),
            dose=dose_words(planned, ctx.locale),
            notes=card_note(planned.library, planned.notes),
        )
        for planned in planned_exercises(ctx.stored.plan)
    )
    return cards or (Text(ctx.spell(NO_EXERCISES)),)


def handout_running_blocks(ctx: Context) -> tuple[Block, ...]:
    paused = exercises_paused(ctx)
    if ctx.stored is None:
        return (Text(ctx.spell(NOT_RUNNING_PLAIN if paused else HANDOUT_NOT_READY), "strong"),)
    blocks: list[Block] = []
    advice = load_advice_text(ctx)
    if advice and (not paused or _pathway_stops_loading(ctx)):  # advice to load never beside "paused"
        blocks.append(Text(advice))
    phase = None if paused else phase_of(ctx.stored.plan)
    blocks.append(Text(ctx.spell(plain_phase_line(phase, ctx.unit)), "strong"))
    if phase is not None and not isinstance(phase, str):
        blocks.append(Bullets(tuple(ctx.spell(rule) for rule in WALK_RUN_RULES)))
    return tuple(blocks)


def handout_safety_blocks(ctx: Context) -> tuple[Block, ...]:
    blocks: list[Block] = [Text(safety_net_text(ctx))]
    if any(flag.code == "cauda_equina" for flag in ctx.flags):
        blocks.append(Text(ctx.spell(CAUDA_EQUINA_CARD), "strong"))
    call = ctx.locale.emergency_call
    blocks.append(Text(ctx.spell(EMERGENCY_LINE.format(call=call)), "strong"))
    return tuple(blocks)
