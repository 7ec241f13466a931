"""One letter or handout from a request and the patient's facts: ``compose_letter`` (CLINICAL.md 9).

Only the sections the request ticks appear, plus the locked ones (a raised red flag), in the order
``included_keys`` gives (an urgent letter's red flags first); a section left out is absent entirely. The
text of each comes from the stored record (never by running the engine again) or the clinician's edits.
The letter's title, subject and author are also the PDF's metadata, so they never carry the patient's
name; the name is in the identifiers block and the page footer. Our own wording is spelled for the
clinic's country; what a person typed is printed as typed.
"""

from __future__ import annotations

from collections.abc import Callable

from workstation.assessment.body_chart import REGIONS
from workstation.letters.compose_findings import findings_blocks
from workstation.letters.compose_flags import red_flag_blocks, request_blocks, request_text
from workstation.letters.compose_handout import exercise_blocks, handout_running_blocks, handout_safety_blocks
from workstation.letters.compose_history import history_blocks, relevant_history_blocks
from workstation.letters.compose_outcomes import outcomes_blocks
from workstation.letters.compose_plan import (
    discharge_blocks,
    goals_blocks,
    impression_blocks,
    plan_blocks,
    running_blocks,
    safety_net_blocks,
)
from workstation.letters.context import Context
from workstation.letters.document import (
    Addressee,
    Block,
    BodyChartFigure,
    Letter,
    Letterhead,
    Section,
    Signature,
    Text,
)
from workstation.letters.included import included_keys
from workstation.letters.letter_charts import chart_figures
from workstation.letters.locale import NOT_RECORDED
from workstation.letters.records import LetterFacts, LetterKind, LetterRequest, Recipient, SectionKey
from workstation.letters.requests import banner
from workstation.letters.wording import (
    CARE_PLAN_VISITS,
    HANDOUT_OPENING_NO_ASSESSMENT,
    HEADINGS,
    HEADINGS_BY_KIND,
    LETTER_TITLES,
    NOTES_LETTER,
    OPENING_NO_ASSESSMENT,
    OPENINGS,
    closing,
    salutation,
)
from workstation.records import Sex

Builder = Callable[[Context], tuple[Block, ...]]
NO_CHARTS = "No heel-raise or limb symmetry results in this episode yet."


def _charts(ctx: Context) -> tuple[Block, ...]:
    return chart_figures(ctx.facts, ctx.locale) or (Text(ctx.spell(NO_CHARTS)),)


def _body_chart(ctx: Context) -> tuple[Block, ...]:
    labels = {region.code: region.label for region in REGIONS}
    regions = tuple(code for code in (ctx.stored.regions if ctx.stored else ()) if code in labels)
    caption = "Marked: " + "; ".join(labels[code] for code in regions) + "." if regions else ""
    return (BodyChartFigure(regions, ctx.spell(caption)),)


BUILDERS: dict[SectionKey, Builder] = {
    SectionKey.REQUEST: request_blocks,
    SectionKey.HISTORY: history_blocks,
    SectionKey.RELEVANT_HISTORY: relevant_history_blocks,
    SectionKey.FINDINGS: findings_blocks,
    SectionKey.BODY_CHART: _body_chart,
    SectionKey.CHARTS: _charts,
    SectionKey.RED_FLAGS: red_flag_blocks,
    SectionKey.IMPRESSION: impression_blocks,
    SectionKey.OUTCOMES: outcomes_blocks,
    SectionKey.PLAN: plan_blocks,
    SectionKey.RUNNING: running_blocks,
    SectionKey.SAFETY_NET: safety_net_blocks,
    SectionKey.GOALS: goals_blocks,
    SectionKey.EXERCISES: exercise_blocks,
    SectionKey.DISCHARGE: discharge_blocks,
}
HANDOUT_BUILDERS: dict[SectionKey, Builder] = {
    SectionKey.RUNNING: handout_running_blocks,
    SectionKey.SAFETY_NET: handout_safety_blocks,
}


def included_sections(request: LetterRequest, facts: LetterFacts) -> tuple[SectionKey, ...]:
    """The sections the letter will have: those ticked and offered, and every locked one, in print order."""
    return included_keys(Context.of(request, facts))


def compose_letter(request: LetterRequest, facts: LetterFacts) -> Letter:
    """The document ``request`` asks for, written from ``facts``.

    Args:
        request: the kind, recipient, ticked sections and the clinician's edits.
        facts: the patient, the chosen (or no) assessment, flags, progress, clinic and clinician.

    Returns:
        The letter as plain data for ``reports.letters.render_letter``.
    """
    ctx = Context.of(request, facts)
    handout = request.kind is LetterKind.HANDOUT
    sections = tuple(_section(ctx, key) for key in included_keys(ctx))
    recipient = None if handout or request.recipient.is_empty else _addressee(request.recipient)
    return Letter(
        kind=request.kind,
        title=ctx.spell(LETTER_TITLES[request.kind]),
        subject=_subject(ctx),
        author=facts.clinician.display_name,
        letterhead=_letterhead(ctx),
        date_lines=_date_lines(ctx),
        patient_lines=_patient_lines(ctx),
        sections=sections,
        signature=_signature(ctx),
        recipient=recipient,
        banner=None if handout else banner(request.kind, ctx.tier, ctx.flags, ctx.stored, ctx.locale),
        salutation=_salutation(ctx),
        opening=_opening(ctx),
        closing="Best wishes," if handout else closing(bool(request.recipient.name.strip()), ctx.locale),
        copy_to=("Patient",) if request.copy_to_patient and not handout else (),
        footer=_footer(ctx),
        reference=request.reference,
        large_type=handout,
        language=ctx.locale.language,
        notes=() if handout else (ctx.spell(NOTES_LETTER),),
        extra=request.edits.extra.strip(),
    )


def _section(ctx: Context, key: SectionKey) -> Section:
    heading = HEADINGS_BY_KIND.get((ctx.kind, key), HEADINGS[key])
    build = HANDOUT_BUILDERS.get(key, BUILDERS[key]) if ctx.kind is LetterKind.HANDOUT else BUILDERS[key]
    return Section(key, ctx.spell(heading), build(ctx))


def full_name(ctx: Context) -> str:
    patient = ctx.facts.patient
    return " ".join(part for part in (patient.given_name.strip(), patient.family_name.strip()) if part)


def _subject(ctx: Context) -> str:
    day = ctx.locale.long_date
    if ctx.kind is LetterKind.HANDOUT:
        return ctx.spell(f"Home exercise programme of {day(ctx.facts.today)}")
    if ctx.stored is None:
        return f"Calf pain: letter of {day(ctx.facts.today)}"
    return f"Calf assessment of {day(ctx.stored.record.assessed_on)}"


def _letterhead(ctx: Context) -> Letterhead:
    clinic = ctx.facts.clinic
    return Letterhead(clinic.name.strip(), _lines(clinic.address), clinic.phone.strip(), clinic.email.strip(),
                      clinic.logo)  # fmt: skip


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _addressee(recipient: Recipient) -> Addressee:
    return Addressee(recipient.name.strip(), recipient.practice.strip(), _lines(recipient.address))


def _date_lines(ctx: Context) -> tuple[tuple[str, str], ...]:
    day = ctx.locale.long_date
    if ctx.kind is LetterKind.HANDOUT:
        return (("Date", day(ctx.facts.today)),)
    lines = [("Date of letter", day(ctx.facts.today))]
    if ctx.stored is not None:
        lines.append(("Date seen", day(ctx.stored.record.assessed_on)))
    return tuple(lines)


def _patient_lines(ctx: Context) -> tuple[tuple[str, str], ...]:
    patient = ctx.facts.patient
    lines = [("Name", full_name(ctx)), ("Date of birth", ctx.locale.long_date(patient.date_of_birth))]
    if ctx.kind is LetterKind.HANDOUT:
        return tuple(lines)
    if patient.sex is not Sex.NOT_STATED:
        lines.append(("Sex", patient.sex.label))
    lines += ctx.locale.identifiers(patient)
    lines.append(("Address", "\n".join(_lines(patient.address)) or NOT_RECORDED))
    lines.append(("Phone", patient.phone.strip() or NOT_RECORDED))
    return tuple(lines)


def _signature(ctx: Context) -> Signature:
    """Profession and registration as recorded: "HCPC registration PH123456"; nothing when none is."""
    clinician = ctx.facts.clinician
    body, number = clinician.registration_body.strip(), clinician.registration_number.strip()
    registration = f"{body} registration {number}" if body and number else f"Registration {number}" if number else ""
    contact = " · ".join(part for part in (clinician.phone.strip(), clinician.email.strip()) if part)
    return Signature(clinician.display_name, clinician.profession, registration, contact, clinician.signature)


def _salutation(ctx: Context) -> str:
    if ctx.kind is LetterKind.HANDOUT:
        return f"Dear {first_name(ctx)},"
    return salutation(ctx.request.recipient.name)


def first_name(ctx: Context) -> str:
    """The name a handout greets the patient by: the preferred name, else the given name ("Zoë"); the
    family name only for someone recorded with no other."""
    patient = ctx.facts.patient
    return patient.preferred_name.strip() or patient.given_name.strip() or full_name(ctx)


def _opening(ctx: Context) -> str:
    """The line under the salutation: our template spelled first, then the names and dates put in."""
    name = full_name(ctx)
    if ctx.stored is None:
        template = HANDOUT_OPENING_NO_ASSESSMENT if ctx.kind is LetterKind.HANDOUT else OPENING_NO_ASSESSMENT
        return ctx.spell(template).format(name=name)
    day = ctx.locale.long_date
    first = ctx.baseline.record.assessed_on if ctx.baseline is not None else ctx.stored.record.assessed_on
    return ctx.spell(OPENINGS[ctx.kind]).format(
        name=name,
        seen=day(ctx.stored.record.assessed_on),
        since=day(first),
        visit=ctx.spell(CARE_PLAN_VISITS[ctx.request.edits.care_plan_visit]),
    )


def _footer(ctx: Context) -> str:
    """Every page: "Name · born 1 Jan 1990 · NHS 943 476 5919 · Ref CD-1A2B3C4D"."""
    patient = ctx.facts.patient
    parts = [full_name(ctx), f"born {ctx.locale.short_date(patient.date_of_birth)}"]
    parts.append(ctx.locale.footer_identifier(patient))
    parts.append(f"Ref {ctx.request.reference}")
    return " · ".join(part for part in parts if part)


def default_request_text(kind: LetterKind, facts: LetterFacts) -> str:
    """The request the letter prints when the clinician leaves it unedited (the dialog's prefilled text)."""
    return request_text(Context.of(_bare_request(kind, facts), facts))


def _bare_request(kind: LetterKind, facts: LetterFacts) -> LetterRequest:
    return LetterRequest(kind, facts.patient.id or 0, None, Recipient(), frozenset())


def default_impression_text(facts: LetterFacts) -> str:
    """The working impression as stored, for the dialog's impression box ("" with no assessment)."""
    ctx = Context.of(_bare_request(LetterKind.GP_REFERRAL, facts), facts)
    if ctx.stored is None:
        return ""
    return "\n".join(block.text for block in impression_blocks(ctx) if isinstance(block, Text))
