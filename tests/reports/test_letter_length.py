"""Letters a GP can read: real letters composed from a demo course of care and rendered, page by page.

A GP reads page 1 and skims the rest: a routine referral after a 4-visit course fits on 2 pages (3 with the
progress charts), and an urgent one has the banner, the request, the red flags with the action taken and
the Wells total on page 1.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from reports.letters import render_letter
from tests.reports.pdf_text import page_texts
from tests.workstation.letters.helpers import demo_course, facts, flag_record, weekly_runs
from workstation.letters.compose import compose_letter
from workstation.letters.records import LetterFacts, LetterKind
from workstation.letters.records import SectionKey as S
from workstation.letters.sections import default_request


@pytest.fixture(scope="module")
def four_visits() -> LetterFacts:
    made = facts(demo_course("overload"), runs=weekly_runs())
    assert len(made.assessments) == 4
    return made


@pytest.mark.parametrize("kind", [LetterKind.GP_REFERRAL, LetterKind.PROGRESS, LetterKind.DISCHARGE])
def test_a_routine_letter_after_four_visits_is_two_pages_or_three_with_the_charts(
    four_visits: LetterFacts, kind: LetterKind
) -> None:
    request = default_request(kind, four_visits)
    assert S.CHARTS in request.sections
    assert render_letter(compose_letter(request, four_visits)).pages <= 3
    without = replace(request, sections=request.sections - {S.CHARTS})
    assert render_letter(compose_letter(without, four_visits)).pages == 2


def test_an_urgent_referral_has_everything_to_act_on_on_page_one() -> None:
    made = facts(demo_course("DVT"), runs=weekly_runs(), red_flags=(flag_record("dvt", "urgent"),))
    letter = compose_letter(default_request(LetterKind.GP_REFERRAL, made), made)
    first = page_texts(render_letter(letter).pdf)[0]
    for words in ("URGENT – SAME DAY: please see today", "Please assess today for suspected DVT (Wells 3 = likely).",
                  "Red flags found and action taken", "Phoned GP practice 11:20", "No action recorded yet",
                  "Wells item (NICE two-level)", "Score 3: DVT likely."):  # fmt: skip
        assert words in first, words
    assert first.index("Red flags found and action taken") < first.index("Wells item")


def test_a_handout_of_a_six_exercise_plan_is_three_pages_at_most() -> None:
    made = facts(demo_course("Left calf strain"), runs=weekly_runs())
    rendered = render_letter(compose_letter(default_request(LetterKind.HANDOUT, made), made))
    assert rendered.pages <= 3
