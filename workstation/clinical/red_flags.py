"""Red flags: which apply, their action tier, and what the clinician must do now (CLINICAL.md 5).

The rules are one table, in the contract's order (``docs/assessment-contract.md``). Each rule reads only
answers that are ``True``: an unanswered item never raises a flag by itself, and never clears one. The
one flag that *is* raised by missing answers is ``dvt_screen_incomplete``: an unfinished Wells screen
is reported as unfinished, never as "unlikely".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from workstation.clinical.assessment import Assessment
from workstation.clinical.country import Country, emergency_call, same_day_dvt_route, same_day_route
from workstation.clinical.wells import DVT_LIKELY_FROM, WellsResult


class Tier(IntEnum):
    """Action tiers, in order of urgency (CLINICAL.md 5.1)."""

    ROUTINE = 0
    SOON = 1
    URGENT = 2
    EMERGENCY = 3

    @property
    def code(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules read: the assessment and its Wells reading."""

    assessment: Assessment
    wells: WellsResult


@dataclass(frozen=True, slots=True)
class RedFlagRule:
    code: str
    tier: Tier
    when: str  # the contract's condition, in words, for the docs and the safety file
    applies: Callable[[Facts], bool]
    action: Callable[[Country | None], str]  # what to do now, in the clinic's country's terms


@dataclass(frozen=True, slots=True)
class RedFlag:
    code: str
    tier: Tier
    message: str


def _dvt(facts: Facts) -> bool:
    """Suspicion, a "likely" score, or a score of 1 or more with a swollen, warm or red calf.

    An incomplete screen counts when the answered items already reach the threshold whatever the rest
    turn out to be (``lowest_possible``): otherwise three positive items and one unanswered one would
    read as less urgent than the same answers with the last item ticked "no" (docs/clinical-safety.md).
    """
    red, wells = facts.assessment.red_flags, facts.wells
    swollen = facts.assessment.examination.calf_swelling_warmth_or_redness is True
    if red.dvt_suspected is True:
        return True
    floor = wells.score if wells.score is not None else wells.lowest_possible
    if floor is None:
        return False
    return floor >= DVT_LIKELY_FROM or (floor >= 1 and swollen)


def _flag(name: str) -> Callable[[Facts], bool]:
    return lambda facts: getattr(facts.assessment.red_flags, name) is True


def _cellulitis_with(systemic: bool) -> Callable[[Facts], bool]:
    def applies(facts: Facts) -> bool:
        red = facts.assessment.red_flags
        return red.cellulitis_signs is True and (red.systemic_illness is True) is systemic

    return applies


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _wells_unfinished(facts: Facts) -> bool:
    return facts.wells.category in ("incomplete", "not_assessed") and not _dvt(facts)


RULES: tuple[RedFlagRule, ...] = (
    RedFlagRule(
        "pulmonary_embolism", Tier.EMERGENCY, "pulmonary_embolism_symptoms", _flag("pulmonary_embolism_symptoms"),
        lambda c: f"Possible pulmonary embolism. Stop the session and {emergency_call(c)} now for an ambulance; "
        "keep the patient resting and stay with them. A letter follows.",
    ),
    RedFlagRule(
        "cauda_equina", Tier.EMERGENCY, "cauda_equina_signs", _flag("cauda_equina_signs"),
        lambda c: "Possible cauda equina syndrome. Stop the session and send the patient to the Emergency "
        f"Department now for an emergency MRI; phone ahead, or {emergency_call(c)} if they cannot get there "
        "safely. Give the cauda equina warning card.",
    ),
    RedFlagRule(
        "acute_compartment_syndrome", Tier.EMERGENCY, "acute_compartment_signs", _flag("acute_compartment_signs"),
        lambda c: "Possible acute compartment syndrome, a surgical emergency. Stop the session; no loading, "
        f"stretching or massage. Send the patient to the Emergency Department now, or {emergency_call(c)}; "
        "phone ahead.",
    ),
    RedFlagRule(
        "acute_limb_ischaemia", Tier.EMERGENCY, "cold_pale_pulseless_foot", _flag("cold_pale_pulseless_foot"),
        lambda c: "Possible acute limb ischaemia (sudden cold, pale, pulseless foot). "
        f"{_sentence(emergency_call(c))} now; this cannot wait for a clinic or GP appointment.",
    ),
    RedFlagRule(
        "sepsis_or_necrotising_infection", Tier.EMERGENCY, "cellulitis_signs and systemic_illness",
        _cellulitis_with(systemic=True),
        lambda c: "Possible sepsis or necrotising infection (skin signs with systemic illness). Stop the session "
        f"and {emergency_call(c)} or send the patient to the Emergency Department now; phone ahead.",
    ),
    RedFlagRule(
        "dvt", Tier.URGENT,
        "dvt_suspected, or Wells category likely, or Wells score >= 1 with calf_swelling_warmth_or_redness",
        _dvt,
        lambda c: "Possible deep vein thrombosis: the Wells score cannot rule it out here. Stop calf loading now; "
        "do not massage and do not run provocative tests. Arrange medical assessment today "
        f"({same_day_dvt_route(c)}); phone, do not post, and record each Wells item in the letter. If breathless, "
        f"chest pain, fast heart rate, coughing blood or collapse: {emergency_call(c)}.",
    ),
    RedFlagRule(
        "cellulitis", Tier.URGENT, "cellulitis_signs without systemic_illness", _cellulitis_with(systemic=False),
        lambda c: "Possible cellulitis (a DVT can coexist). Medical assessment today "
        f"({same_day_route(c)}); no massage over the area. If fever, confusion, fast breathing or rapid "
        f"spread: {emergency_call(c)}.",
    ),
    RedFlagRule(
        "progressive_neurological_deficit", Tier.URGENT, "progressive_weakness", _flag("progressive_weakness"),
        lambda c: "Progressive neurological weakness. Urgent spinal or medical referral today "
        f"({same_day_route(c)}); stop neural loading. Ask about bladder, bowel and saddle sensation: any change "
        f"is an emergency ({emergency_call(c)}).",
    ),
    RedFlagRule(
        "suspected_rupture", Tier.URGENT, "suspected_rupture", _flag("suspected_rupture"),
        lambda c: "Suspected complete calf or Achilles rupture. Same-day medical review "
        f"({same_day_route(c)}); protect the leg, no loading or stretching meanwhile.",
    ),
    RedFlagRule(
        "severe_unexplained_pain", Tier.URGENT, "severe_unexplained_pain", _flag("severe_unexplained_pain"),
        lambda c: "Severe pain not explained by the mechanism. Check now for compartment syndrome, DVT and "
        f"fracture; arrange medical assessment today ({same_day_route(c)}), or {emergency_call(c)} if the pain "
        "is out of proportion and worsening.",
    ),
    RedFlagRule(
        "bone_stress_injury", Tier.SOON, "examination.focal_fibula_tenderness",
        lambda facts: facts.assessment.examination.focal_fibula_tenderness is True,
        lambda c: "Possible fibular bone stress injury. Stop running and impact now; pain-free cross-training "
        "only. Ask the GP or sports physician within days for imaging (MRI or bone scan: X-rays lag by weeks) "
        "and, with RED-S signs, a review of energy availability and bone health.",
    ),
    RedFlagRule(
        "popliteal_artery_entrapment", Tier.SOON, "exercise_claudication", _flag("exercise_claudication"),
        lambda c: "Exercise claudication: possible popliteal artery entrapment. Refer within days for vascular "
        "or sports-medicine review with dynamic duplex ultrasound. If the foot turns suddenly cold, pale and "
        f"pulseless: {emergency_call(c)}.",
    ),
    RedFlagRule(
        "serious_pathology_screen", Tier.SOON, "cancer_history_weight_loss_or_night_pain",
        _flag("cancer_history_weight_loss_or_night_pain"),
        lambda c: "Cancer history, unexplained weight loss, fever or unremitting night pain. Ask the GP to "
        "review within days (today if you judge it urgent) before treating the pain as mechanical.",
    ),
    RedFlagRule(
        "dvt_screen_incomplete", Tier.SOON, "Wells category incomplete or not_assessed (unless dvt is raised)",
        _wells_unfinished,
        lambda c: "DVT screen incomplete: not every Wells item has a yes or no. Answer every item before "
        "loading or massaging the calf; an unanswered item is not a no.",
    ),
)  # fmt: skip


def raise_red_flags(facts: Facts, country: Country | None = None) -> list[RedFlag]:
    """Every red flag that applies, most urgent first (rules of one tier keep the table's order)."""
    raised = [RedFlag(rule.code, rule.tier, rule.action(country)) for rule in RULES if rule.applies(facts)]
    return sorted(raised, key=lambda flag: -flag.tier)


def urgency(flags: Sequence[RedFlag]) -> Tier:
    """The highest tier among ``flags``; routine when there are none."""
    return max((flag.tier for flag in flags), default=Tier.ROUTINE)
