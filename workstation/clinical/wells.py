"""The Wells score for deep vein thrombosis, NICE NG158 two-level version (CLINICAL.md 5.2).

Both readings use the NICE item list: the two-level cut-off (NICE) and the three-level one (Wells 1997
Lancet), labelled as such wherever they are shown. An item nobody answered is never scored as "no":
with any item unanswered the score is withheld and the screen reads "incomplete".
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

from workstation.clinical.assessment import WellsAnswers

WellsCategory = Literal["likely", "unlikely", "incomplete", "not_assessed"]
ThreeLevel = Literal["high", "moderate", "low"]

DVT_LIKELY_FROM = 2  # NICE NG158: >= 2 likely, <= 1 unlikely
THREE_LEVEL_HIGH_FROM = 3  # Wells 1997: >= 3 high (about 53 % prevalence)
THREE_LEVEL_MODERATE_FROM = 1  # Wells 1997: 1-2 moderate (about 17 %); <= 0 low (about 5 %)


@dataclass(frozen=True, slots=True)
class WellsItem:
    key: str
    points: int
    wording: str  # our own wording of the NICE item, for the wizard and letters


WELLS_ITEMS: tuple[WellsItem, ...] = (
    WellsItem("active_cancer", 1, "Active cancer (treatment ongoing, within 6 months, or palliative)"),
    WellsItem("paralysis_paresis_or_plaster", 1, "Paralysis, paresis or recent plaster immobilisation of a leg"),
    WellsItem(
        "bedridden_3_days_or_major_surgery_12_weeks",
        1,
        "Bed-bound 3 days or more, or major surgery (general or regional anaesthetic) within 12 weeks",
    ),
    WellsItem("deep_vein_tenderness", 1, "Localised tenderness along the deep venous system"),
    WellsItem("whole_leg_swollen", 1, "Entire leg swollen"),
    WellsItem(
        "calf_swelling_3cm", 1, "Calf swelling 3 cm or more than the other leg (10 cm below the tibial tuberosity)"
    ),
    WellsItem("pitting_oedema_symptomatic_leg", 1, "Pitting oedema confined to the symptomatic leg"),
    WellsItem("collateral_superficial_veins", 1, "Collateral superficial veins (not varicose)"),
    WellsItem("previous_dvt", 1, "Previously documented DVT"),
    WellsItem("alternative_diagnosis_as_likely", -2, "An alternative diagnosis at least as likely as DVT"),
)
assert [item.key for item in WELLS_ITEMS] == [f.name for f in fields(WellsAnswers)], "items follow the contract"


@dataclass(frozen=True, slots=True)
class WellsResult:
    """The screen's reading. ``score`` and ``three_level`` are None unless all ten items were answered.

    ``lowest_possible`` is the score the answered items guarantee whatever the unanswered ones turn out
    to be (an unanswered -2 item is assumed present): the red-flag rules use it so that an incomplete
    screen whose answers already reach a threshold is not read more gently than a complete one.
    """

    category: WellsCategory
    score: int | None
    three_level: ThreeLevel | None
    answered: int
    lowest_possible: int | None
    contributions: tuple[tuple[str, int], ...]  # (item key, points it added) for each answered item


def score_wells(answers: WellsAnswers | None) -> WellsResult:
    """Score the ten items: "not_assessed" with none answered, "incomplete" with some, else the category."""
    given = [(item, getattr(answers, item.key)) for item in WELLS_ITEMS] if answers is not None else []
    answered = [(item, value) for item, value in given if value is not None]
    contributions = tuple((item.key, item.points if value else 0) for item, value in answered)
    if not answered:
        return WellsResult("not_assessed", None, None, 0, None, ())
    total = sum(points for _, points in contributions)
    if len(answered) < len(WELLS_ITEMS):
        unanswered_negative = sum(min(item.points, 0) for item in WELLS_ITEMS if getattr(answers, item.key) is None)
        return WellsResult("incomplete", None, None, len(answered), total + unanswered_negative, contributions)
    category: WellsCategory = "likely" if total >= DVT_LIKELY_FROM else "unlikely"
    return WellsResult(category, total, three_level_of(total), len(answered), total, contributions)


def three_level_of(score: int) -> ThreeLevel:
    """The original three-level reading of a complete score (Wells 1997)."""
    if score >= THREE_LEVEL_HIGH_FROM:
        return "high"
    if score >= THREE_LEVEL_MODERATE_FROM:
        return "moderate"
    return "low"
