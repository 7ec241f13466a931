"""Walk-run distances in the clinic's unit only: km in UK, Australian and EU letters unless the clinic runs in
miles, miles in the US (the walk-run template itself is written in miles, CLINICAL.md 7.2)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.workstation.letters.helpers import Course, detail, document, facts, section_text
from workstation.clinical.country import Country
from workstation.clinical.walk_run import WALK_RUN_PHASES
from workstation.letters.compose import compose_letter
from workstation.letters.records import LetterFacts, LetterKind
from workstation.letters.records import SectionKey as S
from workstation.letters.running_words import distance_words
from workstation.letters.sections import default_request


def _text(made: LetterFacts, kind: LetterKind) -> str:
    request = default_request(kind, made)
    letter = compose_letter(request, made)
    key = S.RUNNING if S.RUNNING in request.sections else S.PLAN
    return section_text(letter, key)


def _course(country: Country | None) -> Course:
    course = Course()
    course.add(document(), detail(phase=6, country=country), country=country)
    return course


@pytest.mark.parametrize("country", [Country.AU, Country.UK, Country.EU, None])
@pytest.mark.parametrize("kind", [LetterKind.CARE_PLAN_REPORT, LetterKind.GP_REFERRAL, LetterKind.HANDOUT])
def test_outside_the_us_a_letter_gives_km_only(country: Country | None, kind: LetterKind) -> None:
    text = _text(facts(_course(country), country=country, progress=False), kind)
    assert "3.2 km" in text and "mile" not in text


def test_a_us_letter_gives_miles_only() -> None:
    text = _text(facts(_course(Country.US), country=Country.US, progress=False), LetterKind.GP_REFERRAL)
    assert "2 miles" in text and "km" not in text


def test_the_clinics_distance_setting_decides_over_the_country() -> None:
    made = facts(_course(Country.UK))
    assert made.progress is not None
    in_miles = replace(made, progress=replace(made.progress, unit="mi"))
    text = _text(in_miles, LetterKind.GP_REFERRAL)
    assert "Walk-run phase 6: continuous running, 2 miles, effort 5/10." in text and "3.2 km" not in text


def test_one_mile_is_singular() -> None:
    assert distance_words(WALK_RUN_PHASES[0], "mi") == "1 mile"
    assert distance_words(WALK_RUN_PHASES[0], "km") == f"{WALK_RUN_PHASES[0].total_km:.1f} km"
