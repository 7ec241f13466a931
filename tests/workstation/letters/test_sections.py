"""Which sections each document offers, their order, defaults and locks, and the dialog's first request."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.workstation.letters.helpers import (
    FIRST_DAY,
    Course,
    detail,
    document,
    facts,
    flag_record,
    patient,
)
from workstation.letters.records import LetterKind, SectionKey
from workstation.letters.sections import default_request, sections_for
from workstation.letters.wording import LOCKED_HANDOUT, LOCKED_RAISED, LOCKED_UNRESOLVED

S = SectionKey
SECOND_DAY = date(2026, 11, 24)


def _course(*, visits: int = 2, **extra: object) -> Course:
    course = Course()
    course.add(document(FIRST_DAY), detail(**extra))  # type: ignore[arg-type]
    if visits > 1:
        course.add(document(SECOND_DAY, left=22, right=32), detail(**extra))  # type: ignore[arg-type]
    return course


def _keys(kind: LetterKind, made: object) -> list[SectionKey]:
    return [choice.key for choice in sections_for(kind, made)]  # type: ignore[arg-type]


def test_each_kind_offers_its_sections_in_print_order() -> None:
    made = facts(_course(body_chart={"regions": ["left-mid"]}))
    assert _keys(LetterKind.GP_REFERRAL, made) == [
        S.REQUEST, S.HISTORY, S.RELEVANT_HISTORY, S.FINDINGS, S.BODY_CHART, S.CHARTS, S.RED_FLAGS, S.IMPRESSION,
        S.PLAN, S.SAFETY_NET, S.GOALS,
    ]  # fmt: skip
    assert _keys(LetterKind.PROGRESS, made) == [
        S.REQUEST, S.OUTCOMES, S.FINDINGS, S.CHARTS, S.RED_FLAGS, S.IMPRESSION, S.PLAN, S.RUNNING, S.GOALS,
    ]  # fmt: skip
    assert _keys(LetterKind.DISCHARGE, made) == [
        S.DISCHARGE, S.OUTCOMES, S.FINDINGS, S.CHARTS, S.RED_FLAGS, S.PLAN, S.RUNNING, S.SAFETY_NET,
    ]  # fmt: skip
    assert _keys(LetterKind.CARE_PLAN_REPORT, made) == [
        S.REQUEST, S.FINDINGS, S.OUTCOMES, S.IMPRESSION, S.PLAN, S.RED_FLAGS, S.GOALS,
    ]  # fmt: skip
    assert _keys(LetterKind.HANDOUT, made) == [S.EXERCISES, S.RUNNING, S.SAFETY_NET]


def test_the_body_chart_is_offered_only_when_regions_were_marked() -> None:
    assert S.BODY_CHART not in _keys(LetterKind.GP_REFERRAL, facts(_course()))
    assert S.BODY_CHART not in _keys(LetterKind.GP_REFERRAL, facts(_course(body_chart={"regions": []})))
    assert S.BODY_CHART in _keys(LetterKind.GP_REFERRAL, facts(_course(body_chart={"regions": ["left-low"]})))


def test_charts_are_offered_only_with_two_heel_raise_tests_in_the_episode() -> None:
    assert S.CHARTS in _keys(LetterKind.PROGRESS, facts(_course(visits=2)))
    assert S.CHARTS not in _keys(LetterKind.PROGRESS, facts(_course(visits=1)))
    assert S.CHARTS not in _keys(LetterKind.PROGRESS, facts(_course(visits=2), progress=False))


def test_an_unresolved_red_flag_locks_the_section_on() -> None:
    made = facts(_course(), red_flags=(flag_record("dvt", "urgent"),))
    choice = next(c for c in sections_for(LetterKind.PROGRESS, made) if c.key is S.RED_FLAGS)
    assert choice.locked == LOCKED_UNRESOLVED and choice.default_on
    others = [c for c in sections_for(LetterKind.PROGRESS, made) if c.key is not S.RED_FLAGS]
    assert not any(c.locked for c in others)


def test_a_flag_of_the_assessment_keeps_the_section_locked_after_its_action() -> None:
    course = Course()
    course.add(document(FIRST_DAY, dvt_suspected=True), detail("dvt_referral", phase=None,
                                                              red_flag_actions={"dvt": "Sent to ED"}))  # fmt: skip
    resolved = flag_record("dvt", "urgent", action="Sent to ED", assessment_id=course.records[0].id)
    for red_flags in ((), (resolved,)):
        choice = next(c for c in sections_for(LetterKind.GP_REFERRAL, facts(course, red_flags=red_flags))
                      if c.key is S.RED_FLAGS)  # fmt: skip
        assert choice.locked == LOCKED_RAISED


def test_with_no_flag_nothing_is_locked() -> None:
    for kind in LetterKind:
        assert not any(choice.locked for choice in sections_for(kind, facts(_course())))


def test_a_handout_keeps_its_safety_net_while_a_flag_is_raised() -> None:
    made = facts(_course(), red_flags=(flag_record("bone_stress_injury", "soon"),))
    choice = next(c for c in sections_for(LetterKind.HANDOUT, made) if c.key is S.SAFETY_NET)
    assert choice.locked == LOCKED_HANDOUT


def test_outcomes_are_ticked_only_with_an_earlier_assessment_to_compare() -> None:
    def ticked(made: object) -> bool:
        return next(c for c in sections_for(LetterKind.PROGRESS, made) if c.key is S.OUTCOMES).default_on  # type: ignore[arg-type]

    assert ticked(facts(_course(visits=2)))
    assert not ticked(facts(_course(visits=1)))


def test_without_an_assessment_the_record_sections_are_offered_but_not_ticked() -> None:
    made = facts(None)
    ticked = {c.key for c in sections_for(LetterKind.GP_REFERRAL, made) if c.default_on}
    assert ticked == {S.REQUEST, S.RED_FLAGS, S.SAFETY_NET}
    assert all(c.default_on for c in sections_for(LetterKind.HANDOUT, made))


def test_the_first_request_is_addressed_to_the_patients_gp_with_the_default_sections() -> None:
    made = facts(_course(), red_flags=(flag_record("dvt", "urgent"),))
    request = default_request(LetterKind.GP_REFERRAL, made)
    assert (request.recipient.name, request.recipient.practice) == ("Dr A Patel", "Riverside Surgery")
    assert request.recipient.address == "1 River Road\nLeeds LS1 1AA"
    assert request.assessment_id == made.assessment.id  # type: ignore[union-attr]
    assert request.patient_id == made.patient.id
    assert request.sections == {c.key for c in sections_for(LetterKind.GP_REFERRAL, made) if c.default_on}
    assert request.copy_to_patient and request.edits.request is None
    assert request.reference.startswith("CD-") and len(request.reference) == 11


def test_a_handout_goes_to_nobody_but_the_patient() -> None:
    request = default_request(LetterKind.HANDOUT, facts(_course()))
    assert request.recipient.is_empty and not request.copy_to_patient


def test_no_assessment_gives_no_assessment_id_and_an_unsaved_patient_no_letter() -> None:
    assert default_request(LetterKind.PROGRESS, facts(None)).assessment_id is None
    with pytest.raises(ValueError, match="unsaved"):
        default_request(LetterKind.PROGRESS, facts(None, who=replace(patient(), id=None)))
