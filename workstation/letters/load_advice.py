"""The load advice a letter or handout prints: the chosen assessment's plan, in the words for its stage.

A plan's default load advice is written for the day the plan starts. The acute-strain pathway's opens with
the first days after the injury (PEACE: protect for 1-3 days, no anti-inflammatories or routine ice, no
massage) before LOVE (load as symptoms allow), CLINICAL.md 8.1 [Dubois & Esculier 2020]; the overload
pathway's with "a few days off running first", 8.2 [S0; S4]. Quoted unchanged in a progress report at week
eight, that reads as if the injury were new. So when the stored advice is still the pathway's default and
the assessment is past the first days, the letter prints the same advice without its first-days sentences
(``LATER_ADVICE``). Advice the clinician edited is printed exactly as written: it is theirs to keep current.

The rule (CLINICAL.md 8.1, 8.2): "past the first days" is more than ``FIRST_DAYS`` (7) days, counted for an
acute strain from the injury (the episode's onset date, else its first assessment: the onset is no later)
and for an overload from the first assessment, when the days off running began. Seven days is the outer end
of "the first days": PEACE covers days 0-3 and LOVE starts "after ~day 3" (8.1), and seed 004's deload lasts
"a week" (8.1 disagreement, 8.2 [S4]). Until then the full default prints, LOVE sentence included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Literal

from workstation.assessment.plan import TEMPLATES
from workstation.clinical.country import Country
from workstation.letters.context import Context
from workstation.letters.locale import LetterLocale
from workstation.letters.stored import text

FIRST_DAYS = 7  # days: past this, the first-days advice is history (CLINICAL.md 8.1 PEACE 0-3 days; S4 a week)
Clock = Literal["onset", "first_assessment"]


@dataclass(frozen=True, slots=True)
class LaterAdvice:
    """A pathway's default load advice without its first-days sentences, and what its days count from."""

    clock: Clock
    advice: str


LATER_ADVICE: dict[str, LaterAdvice] = {
    "acute_strain": LaterAdvice(  # CLINICAL.md 8.1 LOVE; medication "discuss with GP/pharmacist"; 7.2 criteria
        "onset",
        "Past the first days (LOVE): load the calf as symptoms allow, keep fit with pain-free cycling or "
        "swimming, and keep up the strength exercises. Discuss any pain medicine with your GP or pharmacist. "
        "Running comes back by the return-to-run criteria, not by the calendar.",
    ),
    "overload": LaterAdvice(  # CLINICAL.md 8.2 step 2 (strength, then graded running) and 8.7 load modification
        "first_assessment",
        "Keep up the strength exercises on non-running days. For now keep a rest day, build your weekly "
        "distance back gradually, and leave out hills and speed work. Keep gym and hopping sessions off the "
        "day of and the day before key runs. Running comes back by the return-to-run criteria, not by the "
        "calendar.",
    ),
}


def load_advice_text(ctx: Context) -> str:
    """The load advice to print for ``ctx``'s chosen assessment ("" when its plan has none)."""
    if ctx.stored is None:
        return ""
    advice = text(ctx.stored.plan.get("load_advice"))
    later = LATER_ADVICE.get(ctx.stored.pathway)
    if later is None or advice not in _defaults(ctx.stored.pathway):
        return advice
    elapsed = days_into(ctx, later.clock)
    return ctx.spell(later.advice) if elapsed is not None and elapsed > FIRST_DAYS else advice


def days_into(ctx: Context, clock: Clock) -> int | None:
    """Days from the injury (``onset``) or from the episode's first assessment to the chosen assessment."""
    if ctx.stored is None:
        return None
    record = ctx.stored.record
    starts: list[date] = []
    first = ctx.facts.first_assessment
    if first is not None and first.episode_id == record.episode_id:
        starts.append(first.assessed_on)
    starts.append(record.assessed_on)
    episode = ctx.facts.episode
    if clock == "onset" and episode is not None and episode.id == record.episode_id and episode.onset_date:
        starts.append(episode.onset_date)
    return (record.assessed_on - min(starts)).days


@cache
def _defaults(pathway: str) -> frozenset[str]:
    """The pathway's default load advice as stored, and as each country spells it."""
    template = TEMPLATES.get(pathway)  # type: ignore[call-overload]
    if template is None:
        return frozenset()
    countries: tuple[Country | None, ...] = (None, *Country)
    return frozenset({template.load_advice, *(LetterLocale.of(c).spell(template.load_advice) for c in countries)})
