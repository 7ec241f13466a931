"""The safety-net advice (CLINICAL.md 9.1 item 9 "information and safety-net advice given"; 5.7 wording).

The plan stores the advice as said to the patient ("If you become breathless ..."), and the handout prints
it so. A letter to the GP reports it: read there, "you" would be the doctor. So a letter prints the default
advice in the third person ("The patient was advised to ..."), in the clinic's country's terms, and advice
the clinician wrote themselves after "The patient was advised:", in quotation marks and exactly as written
(their words are not rewritten). The cauda equina warning card, printed for the patient whenever that flag
is raised (CLINICAL.md 5.5), is likewise reported in the letter as the warning given.
"""

from __future__ import annotations

from functools import cache

from workstation.assessment.plan import safety_net
from workstation.clinical.country import Country, emergency_call
from workstation.letters.context import Context
from workstation.letters.document import Block, Text
from workstation.letters.locale import LetterLocale
from workstation.letters.stored import text

# CLINICAL.md 5.7 patient-facing messages (``plan.safety_net``), as reported to the GP. {call}: "call 999".
ADVISED_DEFAULT = (
    "The patient was advised to get medical help the same day if the calf becomes swollen, hot or red, or the "
    "pain gets quickly worse, and to {call} at once if they become breathless, have chest pain or cough blood."
)
ADVISED_OWN = "The patient was advised: “{advice}”"
# CLINICAL.md 5.5: the warning card's content (``wording.CAUDA_EQUINA_CARD``) as given to the patient.
CAUDA_EQUINA_ADVISED = (
    "The patient was given the cauda equina warning: to go to the Emergency Department straight away with any "
    "new difficulty passing urine or controlling the bladder or bowels, numbness between the legs or around "
    "the bottom or genitals, a change in sexual function, or new weakness or numbness in both legs."
)


def safety_net_text(ctx: Context) -> str:
    """The plan's stored safety-net advice as written, unless it is a default wording: then the default in
    the clinic's country's terms. A plan finalised before the country was chosen stored the every-number
    wording ("999 UK, 000 Australia, ..."), and a UK clinic's letter should say "call 999"."""
    stored = text(ctx.stored.plan.get("safety_net")) if ctx.stored is not None else ""
    if stored and not is_default(stored):
        return stored
    return ctx.spell(safety_net(ctx.locale.country))


def is_default(advice: str) -> bool:
    """Whether ``advice`` is a default safety-net wording (of any country, as stored or as spelled)."""
    return advice in _default_safety_nets()


def advised_blocks(ctx: Context) -> tuple[Block, ...]:
    """The letter's safety-net section: the advice as given to the patient, reported in the third person."""
    advice = safety_net_text(ctx)
    if is_default(advice):
        reported = ctx.spell(ADVISED_DEFAULT.format(call=emergency_call(ctx.locale.country)))
    else:
        reported = ctx.spell(ADVISED_OWN).format(advice=advice)  # our frame spelled, their words as written
    blocks: list[Block] = [Text(reported)]
    if any(flag.code == "cauda_equina" for flag in ctx.flags):
        blocks.append(Text(ctx.spell(CAUDA_EQUINA_ADVISED), "strong"))
    return tuple(blocks)


@cache
def _default_safety_nets() -> frozenset[str]:
    """Every default safety-net wording, for no country and each country, as stored and as spelled."""
    countries: tuple[Country | None, ...] = (None, *Country)
    return frozenset(
        wording
        for country in countries
        for wording in (safety_net(country), LetterLocale.of(country).spell(safety_net(country)))
    )
