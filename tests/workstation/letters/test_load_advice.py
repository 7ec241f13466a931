"""Load advice for the stage the patient is at: the chosen assessment's plan, without its first-days sentences
once the episode is past its first days (CLINICAL.md 8.1 PEACE then LOVE; 8.2 a few days off running)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.workstation.letters.helpers import ONSET, Course, detail, document, episode, facts, section_text
from workstation.assessment.plan import TEMPLATES
from workstation.clinical.country import Country
from workstation.letters.compose import compose_letter
from workstation.letters.load_advice import FIRST_DAYS, LATER_ADVICE
from workstation.letters.records import LetterFacts, LetterKind
from workstation.letters.records import SectionKey as S
from workstation.letters.sections import default_request

EARLY_WORDS = ("PEACE", "First 1-3 days", "No massage in the first days", "A few days off running first")
KINDS = (LetterKind.GP_REFERRAL, LetterKind.PROGRESS, LetterKind.DISCHARGE, LetterKind.CARE_PLAN_REPORT,
         LetterKind.HANDOUT)  # fmt: skip


def _advice(made: LetterFacts, kind: LetterKind) -> str:
    """The load advice as printed: the handout's first running paragraph, a letter's load-advice row."""
    letter = compose_letter(default_request(kind, made), made)
    if kind is LetterKind.HANDOUT:
        return section_text(letter, S.RUNNING).splitlines()[1]
    label = "Load advice given to the patient: "
    (row,) = [line for line in section_text(letter, S.PLAN).splitlines() if line.startswith(label)]
    return row.removeprefix(label)


def _visits(pathway: str, *days: date, country: Country = Country.UK) -> Course:
    course = Course()
    for day in days:
        course.add(document(day), detail(pathway, country=country), country=country)
    return course


@pytest.mark.parametrize("kind", KINDS)
def test_week_four_of_an_acute_strain_prints_the_love_advice_without_the_first_days(kind: LetterKind) -> None:
    made = facts(_visits("acute_strain", ONSET + timedelta(days=2), ONSET + timedelta(weeks=4)))
    advice = _advice(made, kind)
    assert LATER_ADVICE["acute_strain"].advice in advice
    assert not any(words in advice for words in EARLY_WORDS)
    assert "(LOVE)" in advice and "Discuss any pain medicine with your GP or pharmacist." in advice


@pytest.mark.parametrize("days", [0, 3, FIRST_DAYS])
def test_in_the_first_days_the_whole_default_prints(days: int) -> None:
    made = facts(_visits("acute_strain", ONSET + timedelta(days=days)))
    advice = _advice(made, LetterKind.HANDOUT)
    assert TEMPLATES["acute_strain"].load_advice in advice


def test_one_day_past_the_first_days_the_first_days_go() -> None:
    made = facts(_visits("acute_strain", ONSET + timedelta(days=FIRST_DAYS + 1)))
    assert "PEACE" not in _advice(made, LetterKind.HANDOUT)


def test_without_an_onset_date_the_first_assessment_bounds_the_days() -> None:
    course = _visits("acute_strain", ONSET + timedelta(days=1), ONSET + timedelta(days=20))
    undated = facts(course, episode=episode(onset_date=None))
    assert "PEACE" not in _advice(undated, LetterKind.PROGRESS)
    single = facts(_visits("acute_strain", ONSET + timedelta(days=20)), episode=episode(onset_date=None))
    assert "PEACE" in _advice(single, LetterKind.PROGRESS)  # nothing says the injury is older than today


def test_an_overload_counts_its_days_from_the_first_assessment() -> None:
    first = ONSET + timedelta(weeks=2)  # a gradual onset well before the days off running began
    assert "A few days off running first" in _advice(facts(_visits("overload", first)), LetterKind.GP_REFERRAL)
    later = facts(_visits("overload", first, first + timedelta(days=14)))
    advice = _advice(later, LetterKind.GP_REFERRAL)
    assert "A few days off running first" not in advice and LATER_ADVICE["overload"].advice in advice


def test_advice_the_clinician_edited_is_printed_as_written_at_any_stage() -> None:
    extra = detail("acute_strain")
    extra["plan"]["load_advice"] = "First 1-3 days (PEACE): my own words, kept on purpose."
    course = Course()
    course.add(document(ONSET + timedelta(weeks=4)), extra)
    assert "my own words, kept on purpose." in _advice(facts(course), LetterKind.PROGRESS)


def test_the_advice_is_the_chosen_assessments_not_the_first() -> None:
    first, later = detail("acute_strain"), detail("overload")
    first["plan"]["load_advice"], later["plan"]["load_advice"] = "Advice of the first visit.", "Advice of today."
    course = Course()
    course.add(document(ONSET + timedelta(days=2)), first)
    course.add(document(ONSET + timedelta(weeks=3)), later)
    advice = _advice(facts(course), LetterKind.PROGRESS)
    assert "Advice of today." in advice and "Advice of the first visit." not in advice
    chosen_first = replace(facts(course), assessment=course.records[0])
    assert "Advice of the first visit." in _advice(chosen_first, LetterKind.PROGRESS)


def test_the_later_advice_is_spelled_for_the_clinic() -> None:
    made = facts(_visits("overload", ONSET, ONSET + timedelta(weeks=3), country=Country.US), country=Country.US)
    assert "Keep up the strength exercises" in _advice(made, LetterKind.PROGRESS)
