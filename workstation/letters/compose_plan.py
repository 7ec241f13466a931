"""Impression, plan, running, safety net, goals and discharge (CLINICAL.md 9.1 items 7-10; 9.2 services).

The working impression and plan are the clinician's, chosen in the wizard (``detail["impression"]`` and
``detail["plan"]``), never the differential's ranking; the letter quotes them and labels the impression a
physiotherapist's working impression. Stored texts (load advice, safety net) are printed as stored.
"""

from __future__ import annotations

from typing import Any

from workstation.assessment.plan import TEMPLATES, PathwayTemplate
from workstation.clinical.differential_weights import CONDITION_NAMES
from workstation.letters.context import Context
from workstation.letters.document import Block, Bullets, Fields, Table, Text
from workstation.letters.doses import planned_exercises, short_line
from workstation.letters.included import included_keys
from workstation.letters.load_advice import load_advice_text
from workstation.letters.record_words import RECURRENCE_ADVICE
from workstation.letters.records import LetterKind, SectionKey
from workstation.letters.running_words import phase_line, phase_of, recent_spikes, recent_weeks
from workstation.letters.safety_net import advised_blocks
from workstation.letters.stored import as_dict, as_list, is_number, number, text
from workstation.letters.wording import NO_ASSESSMENT, NOT_DONE, SERVICES_LINE
from workstation.records import EpisodeStatus

NOT_RECORDED = "Not recorded."
RECENT_RUNNING_LABEL = "Running, last 4 weeks"
EXERCISE_HEADER = ("Home exercise programme", "Dose", "How often")
INLINE_GOALS = 3  # up to this many activities print on one line, more as a list


def _no_assessment(ctx: Context) -> tuple[Block, ...]:
    return (Text(ctx.spell(NO_ASSESSMENT)),)


def impression_blocks(ctx: Context) -> tuple[Block, ...]:
    edited = ctx.request.edits.impression
    if edited is not None:
        return (Text(edited.strip() or ctx.spell(NOT_RECORDED)),)
    if ctx.stored is None:
        return _no_assessment(ctx)
    impression = ctx.stored.section("detail", "impression")
    blocks: list[Block] = []
    condition = impression.get("condition")
    if isinstance(condition, str) and condition in CONDITION_NAMES:
        blocks.append(Text(ctx.spell(CONDITION_NAMES[condition]), "strong"))
    if text(impression.get("text")):
        blocks.append(Text(text(impression.get("text"))))
    return tuple(blocks) or (Text(ctx.spell(NOT_RECORDED)),)


def _template(ctx: Context) -> PathwayTemplate | None:
    return TEMPLATES.get(ctx.stored.pathway) if ctx.stored is not None else None  # type: ignore[call-overload]


def plan_blocks(ctx: Context) -> tuple[Block, ...]:
    """Treatment so far and the pathway, the home exercise programme as a compact table, then load advice
    and the running stage (left to the letter's own running section when it has one)."""
    treatment = ctx.request.edits.treatment
    if ctx.stored is None:
        return _no_assessment(ctx) + ((Fields(ctx.rows(("Treatment so far", treatment))),) if treatment else ())
    plan, template = ctx.stored.plan, _template(ctx)
    if not plan:
        return (Text(ctx.spell("No plan recorded.")),)
    exercises = planned_exercises(plan)
    if treatment is None:
        treatment = ctx.spell(_default_treatment(template, bool(exercises)))
    rows = [("Treatment so far", treatment),
            ("Pathway", ctx.spell(template.name) if template else ctx.stored.pathway or NOT_DONE)]  # fmt: skip
    if template is not None and template.referral:
        rows.append(("Referral", ctx.spell(template.referral)))
    if not exercises:  # one block of fields, lined up
        stopped = template is not None and template.loading_stopped
        none = "None for now: calf loading is stopped." if stopped else "None for now."
        return (Fields(ctx.rows(*rows, ("Home exercise programme", ctx.spell(none)), *_after(ctx, plan))),)
    lines = tuple(short_line(planned, ctx.locale) for planned in exercises)  # the header names the programme
    programme = Table(tuple(ctx.spell(cell) for cell in EXERCISE_HEADER), lines, compact=True)
    return (Fields(ctx.rows(*rows)), programme, Fields(ctx.rows(*_after(ctx, plan))))


def _after(ctx: Context, plan: dict[str, Any]) -> list[tuple[str, str]]:
    """The rows after the programme: load advice, the running stage, and a care-plan report's services."""
    advice = load_advice_text(ctx)  # the chosen assessment's, in the words for its stage
    rows = [("Load advice given to the patient", advice)] if advice else []  # in their words: "your GP"
    if not _running_section_follows(ctx):
        rows.append(("Return to running", ctx.spell(phase_line(phase_of(plan), ctx.unit))))
    if ctx.kind is LetterKind.CARE_PLAN_REPORT:
        rows.append(("Services", ctx.spell(SERVICES_LINE.format(count=_services(ctx)))))
    return rows


def _running_section_follows(ctx: Context) -> bool:
    """Whether the letter has its own return-to-running section (then the plan does not repeat the stage)."""
    return SectionKey.RUNNING in included_keys(ctx)


def _default_treatment(template: PathwayTemplate | None, exercises: bool) -> str:
    if template is not None and template.loading_stopped:
        return "Assessment and advice; calf loading stopped until medical assessment."
    return "Assessment and advice, with a home exercise programme." if exercises else "Assessment and advice."


def _services(ctx: Context) -> int:
    """Assessments recorded this calendar year up to the chosen one (a report's count of services)."""
    chosen = ctx.stored.record.assessed_on if ctx.stored is not None else ctx.facts.today
    return sum(1 for record in ctx.facts.assessments if record.assessed_on.year == chosen.year
               and record.assessed_on <= chosen)  # fmt: skip


def running_blocks(ctx: Context) -> tuple[Block, ...]:
    stage = ctx.spell(phase_line(phase_of(ctx.stored.plan), ctx.unit)) if ctx.stored else ctx.spell(NO_ASSESSMENT)
    blocks: list[Block] = [Fields(ctx.rows(("Return-to-run stage", stage)))]
    series = ctx.facts.progress
    if series is None:
        return (*blocks, Text(ctx.spell("No running log is available for this letter.")))
    weeks = recent_weeks(series, ctx.facts.today, ctx.locale)
    if weeks:
        blocks = [Fields(ctx.rows(("Return-to-run stage", stage), (RECENT_RUNNING_LABEL, "; ".join(weeks))))]
    else:
        blocks.append(Text(ctx.spell("No runs logged in the last 4 weeks.")))
    spikes = recent_spikes(series, ctx.facts.today, ctx.locale)
    if spikes:
        blocks += [Text(ctx.spell("Load spikes in the last 30 days:"), "strong"), Bullets(spikes)]
    return tuple(blocks)


def safety_net_blocks(ctx: Context) -> tuple[Block, ...]:
    """The advice given to the patient, reported to the GP in the third person (``safety_net``)."""
    return advised_blocks(ctx)


def goals_blocks(ctx: Context) -> tuple[Block, ...]:
    edited = ctx.request.edits.goals
    if edited is not None:
        return (Text(edited.strip() or ctx.spell(NOT_RECORDED)),)
    if ctx.stored is None:
        return _no_assessment(ctx)
    activities = [as_dict(entry) for entry in as_list(ctx.stored.section("document", "outcomes").get("psfs"))]
    lines = tuple(
        f"{text(entry.get('activity')) or NOT_DONE} "
        + (f"({number(entry.get('score'))} out of 10)" if is_number(entry.get("score")) else f"({NOT_DONE})")
        for entry in activities
        if entry
    )
    if not lines:
        return (Text(ctx.spell(NOT_RECORDED)),)
    intro = ctx.spell("Activities the patient wants back (PSFS: 0 = unable, 10 = as before the injury):")
    if len(lines) <= INLINE_GOALS:  # the PSFS names up to 3 to 5 activities: a few read on one line
        return (Text(f"{intro} {'; '.join(lines)}."),)
    return (Text(intro), Bullets(lines))


def discharge_blocks(ctx: Context) -> tuple[Block, ...]:
    episode = ctx.facts.episode
    rows: list[tuple[str, str]] = []
    if episode is None:
        rows.append(("Status", ctx.spell("No episode of care is recorded.")))
    else:
        rows.append(("Complaint", episode.complaint or NOT_DONE))
        if episode.status is EpisodeStatus.DISCHARGED:
            day = episode.discharge_date
            rows.append(("Discharged", ctx.locale.long_date(day) if day is not None else NOT_DONE))
            reason = episode.discharge_reason
            rows.append(("Reason", ctx.spell(reason.label) if reason is not None else NOT_DONE))
        else:
            rows.append(("Status", ctx.spell("Not yet discharged in the record: the episode is still open.")))
    blocks: list[Block] = [Fields(ctx.rows(*rows))]
    note = ctx.request.edits.discharge_note.strip()
    if note:
        blocks.append(Text(note))
    blocks.append(Text(ctx.spell(RECURRENCE_ADVICE)))
    return tuple(blocks)
