"""The patient's home exercise programme: cards with doses in words, pauses, and the right emergency number."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.workstation.letters.helpers import Course, detail, document, facts, flag_record, section_of, section_text
from workstation.assessment.plan import plan_for
from workstation.clinical.country import Country
from workstation.clinical.exercises import exercise
from workstation.letters.compose import compose_letter
from workstation.letters.document import ExerciseCard, Letter
from workstation.letters.records import LetterFacts, LetterKind
from workstation.letters.records import SectionKey as S
from workstation.letters.sections import default_request
from workstation.letters.wording import CAUDA_EQUINA_CARD, EXERCISES_PAUSED


def _handout(made: LetterFacts) -> Letter:
    return compose_letter(default_request(LetterKind.HANDOUT, made), made)


def _course(extra: dict[str, Any], doc: dict[str, Any] | None = None, country: Country | None = Country.UK) -> Course:
    course = Course()
    course.add(doc or document(), extra, country=country)
    return course


def _cards(letter: Letter) -> list[ExerciseCard]:
    return [block for block in section_of(letter, S.EXERCISES).blocks if isinstance(block, ExerciseCard)]


def test_one_card_per_planned_exercise_with_library_words_and_the_dose_in_words() -> None:
    letter = _handout(facts(_course(detail("acute_strain"))))
    cards = _cards(letter)
    plan = plan_for("acute_strain")
    assert [card.code for card in cards] == [entry.code for entry in plan.exercises]
    by_code = {card.code: card for card in cards}
    double = by_code["calf_raise_double"]
    assert (double.name, double.instructions) == (exercise("calf_raise_double").name,
                                                  exercise("calf_raise_double").instructions)  # fmt: skip
    assert double.dose == "3 sets of 15 repetitions, daily"
    assert double.notes == ""  # the library's note says again what the instructions say
    assert by_code["wall_stretch_straight"].dose.startswith("3 sets, hold 30 seconds")
    assert by_code["pain_free_cardio"].dose == "Most days"
    assert by_code["calf_raise_single_straight"].dose.startswith("2 sets, as many as feel comfortable")


def test_the_clinicians_dose_and_frequency_are_printed_as_typed() -> None:
    extra = detail("overload")
    extra["plan"]["exercises"] = [{"code": "single_leg_glute_bridge", "sets": 1, "reps": 1, "hold_seconds": 5,
                                   "frequency": "Mon, Wed & Fri", "notes": "<i>slowly</i>"}]  # fmt: skip
    (card,) = _cards(_handout(facts(_course(extra))))
    assert card.dose == "1 set of 1 repetition, hold 5 seconds, Mon, Wed & Fri"
    assert card.notes == "<i>slowly</i>"


def test_stored_values_of_the_wrong_type_are_left_out_not_guessed() -> None:
    extra = detail("overload")
    extra["plan"]["exercises"] = [
        {"code": "calf_raise_double", "sets": "three", "reps": True, "hold_seconds": None, "frequency": 7},
        {"code": "not_in_the_library", "sets": 3},
        "not an entry",
    ]
    (card,) = _cards(_handout(facts(_course(extra))))
    assert card.dose == "As agreed with your physiotherapist"


def test_a_suspected_dvt_has_no_cards_and_says_exercise_is_paused() -> None:
    doc = document(dvt_suspected=True)
    letter = _handout(facts(_course(detail("dvt_referral", phase=None), doc)))
    assert _cards(letter) == []
    assert section_text(letter, S.EXERCISES).endswith(EXERCISES_PAUSED)
    assert "No running for now" in section_text(letter, S.RUNNING)


def test_an_unresolved_urgent_flag_pauses_an_exercise_plan_too() -> None:
    made = facts(_course(detail("overload")), red_flags=(flag_record("cellulitis", "urgent"),))
    letter = _handout(made)
    assert _cards(letter) == []
    running = section_text(letter, S.RUNNING)
    assert "Running stage" not in running and "A few days off running" not in running


def test_the_running_section_gives_the_walk_run_stage_and_its_rules_in_plain_words() -> None:
    running = section_text(_handout(facts(_course(detail("overload", phase=3)))), S.RUNNING)
    assert "Running stage 3: walk for 2 minutes, then run for 4 minutes" in running
    assert "about 2.4 km. " in running and "mile" not in running  # the clinic's unit only
    assert "Leave at least one rest day between runs." in running


@pytest.mark.parametrize(
    ("country", "number"), [(Country.UK, "call 999"), (Country.AU, "call 000"), (Country.US, "call 911")]
)
def test_when_to_get_help_names_the_clinics_emergency_number(country: Country, number: str) -> None:
    letter = _handout(facts(_course(detail(country=country), country=country), country=country))
    assert section_of(letter, S.SAFETY_NET).heading == "When to stop and get help"
    assert section_text(letter, S.SAFETY_NET).endswith(f"In an emergency, {number}.")


def test_a_cauda_equina_flag_prints_the_warning_card() -> None:
    made = facts(_course(detail("neural")), red_flags=(flag_record("cauda_equina", "emergency"),))
    assert CAUDA_EQUINA_CARD in section_text(_handout(made), S.SAFETY_NET)


def test_the_handout_is_large_type_for_the_patient_by_name_with_no_banner() -> None:
    made = facts(_course(detail()), country=Country.US)
    letter = _handout(made)
    assert letter.large_type and letter.banner is None and letter.recipient is None and letter.copy_to == ()
    assert letter.title == "Your home exercise program"
    assert letter.salutation == "Dear Zoë,"  # the first name only, never "Dear Zoë Ødegård-O'Brien,"
    assert letter.patient_lines == (("Name", f"{made.patient.given_name} {made.patient.family_name}"),
                                    ("Date of birth", "January 1, 1990"))  # fmt: skip
    uk = _handout(replace(made, clinic=replace(made.clinic, country=Country.UK)))
    assert uk.title == "Your home exercise programme"
