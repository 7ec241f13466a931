"""Change since the first visit against each measure's threshold; stored JSON read defensively."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from tests.workstation.letters.helpers import (
    FIRST_DAY,
    Course,
    demo_course,
    document,
    facts,
    letter_text,
    section_of,
    section_text,
)
from workstation.letters.compose import compose_letter
from workstation.letters.document import Letter, Table
from workstation.letters.records import LetterFacts, LetterKind
from workstation.letters.records import SectionKey as S
from workstation.letters.sections import default_request

LATER = date(2026, 11, 24)


def _progress(made: LetterFacts, kind: LetterKind = LetterKind.PROGRESS) -> Letter:
    return compose_letter(replace(default_request(kind, made), sections=frozenset(S)), made)


def _rows(letter: Letter) -> dict[str, tuple[str, ...]]:
    table = section_of(letter, S.OUTCOMES).blocks[0]
    assert isinstance(table, Table)
    return {row[0]: row[1:] for row in table.rows}


def _two(first: dict[str, Any], latest: dict[str, Any]) -> Course:
    course = Course()
    course.add(first)
    course.add(latest)
    return course


def test_outcomes_compare_first_and_latest_against_their_own_thresholds() -> None:
    better = document(LATER, left=25, right=31)
    better["history"].update(nprs_now=1, nprs_during_run=6, nprs_worst_24h=7)
    better["outcomes"] = {"psfs": [{"activity": "Run 10 km", "score": 7}, {"activity": "parkrun", "score": 6}],
                          "lefs_total": 62}  # fmt: skip
    letter = _progress(facts(_two(document(), better)))
    rows = _rows(letter)
    assert rows["Pain now (NPRS)"] == ("4", "1", "-3", "Important improvement")
    assert rows["Pain during running (NPRS)"] == ("7", "6", "-1", "No important change")
    assert rows["Worst pain in 24 hours (NPRS)"] == ("6", "7", "+1", "No important change")
    assert rows["PSFS mean (0-10)"] == ("3.5", "6.5", "+3", "Important improvement")  # "parkrun" matches "Parkrun"
    assert rows["LEFS total (0-80)"] == ("55", "62", "+7", "No important change")
    assert rows["Heel raise, left (involved) reps"] == ("14", "25", "+11", "More, beyond measurement error")
    assert rows["Heel-raise LSI (%)"][:3] == ("45.2", "80.6", "+35.4")
    table = section_of(letter, S.OUTCOMES).blocks[0]
    assert isinstance(table, Table) and table.flagged == ()
    assert letter.opening.endswith("since 3 November 2026.")


def test_a_worsening_is_flagged_and_a_change_within_error_is_not_overread() -> None:
    worse = document(LATER, left=10, right=31)
    worse["history"].update(nprs_now=7)
    worse["outcomes"]["lefs_total"] = 40
    letter = _progress(facts(_two(document(), worse)))
    rows = _rows(letter)
    assert rows["Pain now (NPRS)"][-1] == "Important worsening"
    assert rows["LEFS total (0-80)"][-1] == "Important worsening"
    assert rows["Heel raise, left (involved) reps"] == ("14", "10", "-4", "Within measurement error")
    table = section_of(letter, S.OUTCOMES).blocks[0]
    assert isinstance(table, Table)
    flagged = {table.rows[index][0] for index in table.flagged}
    assert flagged == {"Pain now (NPRS)", "LEFS total (0-80)"}


def test_a_measure_missing_at_either_visit_is_not_compared() -> None:
    latest = document(LATER)
    del latest["history"]["nprs_now"]
    del latest["outcomes"]
    rows = _rows(_progress(facts(_two(document(), latest))))
    assert rows["Pain now (NPRS)"] == ("4", "–", "–", "Not measured at both")
    assert rows["PSFS mean (0-10)"][-1] == "Not measured at both"
    assert rows["LEFS total (0-80)"] == ("55", "–", "–", "Not measured at both")


def test_with_one_assessment_the_outcomes_say_change_needs_a_second() -> None:
    course = Course()
    course.add(document(FIRST_DAY))
    text = section_text(_progress(facts(course)), S.OUTCOMES)
    assert text.endswith("Only one assessment so far: change is measured from the next one.")


@pytest.mark.parametrize("broken", ["", "not json", "[1, 2]", '{"heel_raise": "lots"}', "null"])
def test_unreadable_stored_json_prints_dashes_never_a_guess(broken: str) -> None:
    course = Course()
    course.add(document(FIRST_DAY))
    record = replace(course.records[0], document=broken, evaluation=broken, detail=broken)
    made = replace(facts(course), assessment=record, first_assessment=record, assessments=(record,))
    for kind in LetterKind:
        letter = _progress(made, kind)
        assert letter.sections
    findings = section_text(_progress(made, LetterKind.GP_REFERRAL), S.FINDINGS)
    assert "Heel raise, knee straight (reps) | – | – | – | LSI –" in findings
    assert "Wells score not assessed – DVT cannot be ruled out" in findings
    plan = section_text(_progress(made, LetterKind.GP_REFERRAL), S.PLAN)
    assert plan.endswith("No plan recorded.")


def test_values_of_the_wrong_type_read_as_dashes() -> None:
    course = Course()
    course.add(document(FIRST_DAY))
    record = course.records[0]
    stored, extras = json.loads(record.document), json.loads(record.detail)
    stored["heel_raise"]["left_reps"] = "14"
    stored["history"]["nprs_now"] = True
    stored["red_flags"]["dvt_risk_factors"] = "long_travel"
    extras["heel_raise"].update(bent_left_reps="ten", cadence_bpm=[60])
    extras["plan"]["return_to_run_phase"] = 9
    changed = replace(record, document=json.dumps(stored), detail=json.dumps(extras))
    letter = _progress(replace(facts(course), assessment=changed), LetterKind.GP_REFERRAL)
    findings = section_text(letter, S.FINDINGS)
    assert "Heel raise, knee straight (reps) | – | 31 | –" in findings
    assert "Heel raise, knee bent (reps) | – | – | – | LSI –" in findings
    assert "cadence" not in findings
    assert "now –" in section_text(letter, S.HISTORY)
    assert "DVT risk factors: –" in section_text(letter, S.RELEVANT_HISTORY)
    assert "Return to running: –" in section_text(letter, S.PLAN)


@pytest.mark.parametrize(
    "complaint",
    ["? DVT", "Gastrocnemius strain", "Compartment syndrome?", "popliteal", "L5/S1 referral",
     "Calf strain after mileage increase", "Soleus strain", "cramping at 32 km", "Deep posterior calf pain, gradual"],
)  # fmt: skip
def test_every_document_composes_from_a_realistic_course_and_keeps_its_flags(complaint: str) -> None:
    course = demo_course(complaint)
    made = facts(course)
    for kind in LetterKind:
        letter = compose_letter(replace(default_request(kind, made), sections=frozenset()), made)
        if kind is LetterKind.HANDOUT:
            continue
        raised = [record for record in course.records[-1:] if record.urgency != "routine"]
        if raised:
            assert S.RED_FLAGS in {s.key for s in letter.sections}
            assert letter.banner is not None and letter.banner.tier != "routine"
    full = compose_letter(replace(default_request(LetterKind.GP_REFERRAL, made), sections=frozenset(S)), made)
    assert "Incomplete" not in letter_text(full)  # the demo answers every Wells item
