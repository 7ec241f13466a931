"""A handout card says its dose once: the library's default note prints only where it adds to the dose and the
instructions, and a timed exercise reads as time spent doing it, not as a hold."""

from __future__ import annotations

import re

import pytest

from tests.workstation.letters.helpers import Course, detail, document, facts, section_of
from workstation.assessment.plan import PlanExercise
from workstation.clinical.country import Country
from workstation.clinical.exercises import EXERCISES, exercise
from workstation.letters.compose import compose_letter
from workstation.letters.document import ExerciseCard
from workstation.letters.doses import PlannedExercise, dose_words, short_dose
from workstation.letters.handout_notes import CARD_NOTES, card_note
from workstation.letters.locale import LetterLocale
from workstation.letters.records import LetterKind
from workstation.letters.records import SectionKey as S
from workstation.letters.sections import default_request

UK = LetterLocale.of(Country.UK)


def _planned(code: str, **changes: object) -> PlannedExercise:
    dose = exercise(code).dose
    entry = PlanExercise(code, dose.sets, dose.reps, dose.hold_seconds, dose.frequency, dose.note)
    values = {"sets": entry.sets, "reps": entry.reps, "hold_seconds": entry.hold_seconds,
              "frequency": entry.frequency, "notes": entry.notes, **changes}  # fmt: skip
    return PlannedExercise(exercise(code), **values)  # type: ignore[arg-type]


def _cards(pathway: str) -> dict[str, ExerciseCard]:
    course = Course()
    course.add(document(), detail(pathway))
    made = facts(course)
    letter = compose_letter(default_request(LetterKind.HANDOUT, made), made)
    return {b.code: b for b in section_of(letter, S.EXERCISES).blocks if isinstance(b, ExerciseCard)}


def test_a_stretch_card_says_its_hold_once() -> None:
    card = _cards("acute_strain")["wall_stretch_straight"]
    assert card.dose.startswith("3 sets, hold 30 seconds")
    assert card.notes == "" and "15-30" not in card.dose


def test_every_default_note_has_been_read_for_the_card() -> None:
    noted = {item.code for item in EXERCISES if item.dose.note}
    assert noted <= set(CARD_NOTES), sorted(noted - set(CARD_NOTES))
    assert set(CARD_NOTES) <= {item.code for item in EXERCISES}  # no entry for an exercise that is gone


@pytest.mark.parametrize("item", EXERCISES, ids=lambda item: item.code)
def test_no_card_note_repeats_or_contradicts_its_default_dose(item: object) -> None:
    planned = _planned(item.code)  # type: ignore[attr-defined]
    note, dose = card_note(planned.library, planned.notes), dose_words(planned, UK).lower()
    assert not note.lower().startswith(("hold", "seconds")), note  # the dose gives the hold and the time
    assert not ("as many as" in note.lower() and "as many as" in dose)
    ranges = re.findall(r"\d+-\d+ (?:seconds|slow|repetitions)|\d+-\d+ sets", note)
    assert not ranges, f"{item.code}: the note gives a range beside the dose: {ranges}"  # type: ignore[attr-defined]


def test_a_note_the_clinician_typed_is_printed_as_typed() -> None:
    planned = _planned("wall_stretch_straight", notes="Hold 15-30 seconds, then 45 once easy")
    assert card_note(planned.library, planned.notes) == "Hold 15-30 seconds, then 45 once easy"


def test_a_default_note_that_adds_something_keeps_it_in_the_patients_words() -> None:
    cards = _cards("acute_strain")
    assert cards["calf_raise_single_straight"].notes == "Build up to 3 sets of 25-30"
    assert cards["pain_free_cardio"].notes == "About 20 minutes at an easy effort to start"


def test_rolling_and_toe_walking_are_time_spent_not_a_hold() -> None:
    roller = _planned("foam_roller")
    assert dose_words(roller, UK) == "1 set, 60 seconds of rolling, after running, as wanted"
    assert card_note(roller.library, roller.notes) == "For each leg"
    assert short_dose(roller) == "1 × 60 s"
    assert dose_words(_planned("loaded_toe_walk"), UK).startswith("3 sets, 30 seconds of walking")
    assert short_dose(_planned("soleus_wall_sit")) == "3 × 30 s hold"  # a real hold stays one
