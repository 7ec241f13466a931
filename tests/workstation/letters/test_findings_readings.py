"""The findings a GP reads: the heel-raise reading as one phrase, "normal at rest" only as the pointer it is,
tests not done on one line, and the Wells score in full only where DVT is in question."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from tests.workstation.letters.helpers import Course, detail, document, facts, flag_record, section_of, section_text
from workstation.clinical.contract import WELLS_KEYS
from workstation.letters.compose import compose_letter
from workstation.letters.document import Letter, Table, Text
from workstation.letters.heel_raise_reading import bent_knee_reading, heel_raise_reading
from workstation.letters.records import LetterFacts, LetterKind
from workstation.letters.records import SectionKey as S
from workstation.letters.sections import default_request

SECOND_DAY = date(2026, 11, 24)


def _course(*docs: dict[str, Any], extra: dict[str, Any] | None = None) -> Course:
    course = Course()
    for doc in docs or (document(),):
        course.add(doc, extra)
    return course


def _letter(made: LetterFacts, kind: LetterKind = LetterKind.GP_REFERRAL) -> Letter:
    return compose_letter(default_request(kind, made), made)


def _findings_table(letter: Letter) -> Table:
    table = section_of(letter, S.FINDINGS).blocks[0]
    assert isinstance(table, Table)
    return table


def _reading(letter: Letter, label: str) -> str:
    return next(row[-1] for row in _findings_table(letter).rows if row[0].endswith(label))


# --- 1. the heel-raise reading --------------------------------------------------------------------------------------


def test_a_heel_raise_under_every_target_reads_as_one_phrase_naming_the_norm_once() -> None:
    letter = _letter(facts(_course(document(left=9, right=36))))  # woman of 36: decade norm 27 (CLINICAL.md 2.2)
    reading = _reading(letter, "knee straight (reps)")
    assert reading == "LSI 25 % (target ≥ 90 %); below the runner target of 30 and the age-sex norm of 27"
    assert reading.count("27") == 1 and "Under 30" not in reading and "; B" not in reading


@pytest.mark.parametrize(
    ("flags", "norm", "expected"),
    [
        ([], 27, "LSI 110.3 %; at or above the runner target of 30 and the age-sex norm of 27"),
        (["below_30_reps"], 27, "LSI 110.3 %; below the runner target of 30; at or above the age-sex norm of 27"),
        (["below_age_sex_norm"], 37, "LSI 110.3 %; below the age-sex norm of 37; at or above the runner target "
                                     "of 30"),
        (["below_30_reps"], None, "LSI 110.3 %; below the runner target of 30; no age-sex norm"),
        (["lsi_below_90", "a_new_flag"], 27, "LSI 110.3 % (target ≥ 90 %); at or above the runner target of 30 "
                                             "and the age-sex norm of 27; a_new_flag"),
    ],
)  # fmt: skip
def test_each_target_is_said_met_or_missed_once(flags: list[str], norm: int | None, expected: str) -> None:
    result = {"lsi_percent": 110.3, "age_sex_norm_reps": norm, "flags": flags}
    assert heel_raise_reading(result, involved_recorded=True) == expected


def test_a_target_is_never_said_met_without_the_involved_sides_count() -> None:
    result = {"lsi_percent": None, "age_sex_norm_reps": 27, "flags": []}
    assert heel_raise_reading(result, involved_recorded=False) == "LSI –"


def test_the_bent_knee_reading_gives_the_target_only_when_missed() -> None:
    assert bent_knee_reading(80.0) == "LSI 80 % (target ≥ 90 %)"
    assert bent_knee_reading(95.24) == "LSI 95.2 %"
    assert bent_knee_reading(None) == "LSI –"


# --- 2. "examination normal at rest" ----------------------------------------------------------------------------


def test_normal_at_rest_false_prints_nothing_that_could_read_as_abnormal_at_rest() -> None:
    doc = document()
    doc["examination"]["normal_at_rest"] = False
    findings = section_text(_letter(facts(_course(doc))), S.FINDINGS)
    assert "at rest" not in findings


def test_normal_at_rest_unanswered_prints_nothing_either() -> None:
    doc = document()
    doc["examination"]["normal_at_rest"] = None
    assert "at rest" not in section_text(_letter(facts(_course(doc))), S.FINDINGS)


@pytest.mark.parametrize(
    ("pain_at_rest", "ending"),
    [(False, "; normal at rest (symptoms only with exercise)."), (True, "; normal at rest."),
     (None, "; normal at rest.")],
)  # fmt: skip
def test_normal_at_rest_true_is_the_pointer_in_the_examination_line(pain_at_rest: bool | None, ending: str) -> None:
    doc = document()
    doc["examination"]["normal_at_rest"] = True
    doc["history"]["pain_at_rest_or_night"] = pain_at_rest
    blocks = section_of(_letter(facts(_course(doc))), S.FINDINGS).blocks
    line = blocks[1]
    assert isinstance(line, Text) and line.text.startswith("Examination: ") and line.text.endswith(ending)
    assert not any("at rest" in row[0] for row in _findings_table(_letter(facts(_course(doc)))).rows)


# --- tests not done -------------------------------------------------------------------------------------------------


def _untested(doc: dict[str, Any]) -> None:
    doc["heel_raise"] = {"left_reps": None, "right_reps": None}
    doc["knee_to_wall"] = {"left_cm": None, "right_cm": None}
    doc["neural"].update(slump="not_tested", straight_leg_raise="not_tested")
    doc["examination"].update(hop_pain=None, straight_knee_loading_worse_than_bent=None,
                              bent_knee_loading_worse_than_straight=None)  # fmt: skip


def test_tests_not_done_are_one_line_not_rows_of_dashes() -> None:
    doc = document()
    _untested(doc)
    letter = _letter(facts(_course(doc)))
    table = _findings_table(letter)
    assert [row[0] for row in table.rows] == ["Neurological deficit", "Palpation: local muscle tenderness"]
    assert table.header == ("Test", "Reading")  # nothing measured side by side: no empty columns
    assert "Heel-raise protocol" not in table.caption
    assert Text("Not tested: heel raise; knee to wall; slump; straight-leg raise; hop test; loading with the knee "
                "straight and bent.") in section_of(letter, S.FINDINGS).blocks  # fmt: skip


def test_with_a_dvt_suspected_the_line_gives_the_reason() -> None:
    doc = document(dvt_suspected=True)
    _untested(doc)
    findings = section_text(_letter(facts(_course(doc, extra=detail("dvt_referral", phase=None)))), S.FINDINGS)
    assert ("Not tested, as a DVT is suspected (no calf loading or provocative tests): heel raise; knee to wall; "
            "slump; straight-leg raise; hop test; loading with the knee straight and bent.") in findings


def test_a_test_answered_no_is_a_finding_not_a_test_left_undone() -> None:
    findings = section_text(_letter(facts(_course())), S.FINDINGS)
    assert "Not tested: straight-leg raise." in findings  # the document's SLR is "not_tested"
    assert "hop test" not in findings and "no pain hopping" in findings


# --- 6. the Wells score -------------------------------------------------------------------------------------------


def _two_visits(*, wells: dict[str, Any] | None = None) -> Course:
    later = document(SECOND_DAY, left=27, right=31)
    if wells is not None:
        later["red_flags"]["wells"] = wells
    return _course(document(), later)


def _wells_tables(letter: Letter) -> list[Table]:
    return [b for s in letter.sections for b in s.blocks if isinstance(b, Table) and b.header[0].startswith("Wells")]


@pytest.mark.parametrize("kind", [LetterKind.PROGRESS, LetterKind.DISCHARGE, LetterKind.CARE_PLAN_REPORT])
def test_a_letter_with_no_dvt_question_gives_the_wells_score_in_one_line(kind: LetterKind) -> None:
    letter = _letter(facts(_two_visits()), kind)
    assert _wells_tables(letter) == []
    line = section_of(letter, S.FINDINGS).blocks[-1]
    assert line == Text("Wells score -2 (DVT unlikely) on 24 November 2026; all ten items answered; scoring: an "
                        "alternative diagnosis at least as likely as DVT (-2). A Wells score cannot rule out DVT "
                        "in a physiotherapy setting: follow the local DVT pathway.")  # fmt: skip


def test_a_line_with_no_item_scoring_says_so() -> None:
    letter = _letter(facts(_two_visits(wells=dict.fromkeys(WELLS_KEYS, False))), LetterKind.PROGRESS)
    line = section_of(letter, S.FINDINGS).blocks[-1]
    assert isinstance(line, Text) and line.text.startswith("Wells score 0 (DVT unlikely) on 24 November 2026; all "
                                                           "ten items answered; none scoring.")  # fmt: skip


def test_a_gp_referral_keeps_every_item_answer_points_and_total() -> None:
    (table,) = _wells_tables(_letter(facts(_two_visits())))
    assert len(table.rows) == len(WELLS_KEYS) + 1 and table.rows[-1] == ("Total", "", "-2")


@pytest.mark.parametrize("code", ["dvt", "dvt_screen_incomplete", "pulmonary_embolism", "cellulitis"])
def test_a_clot_related_flag_brings_the_full_table_to_any_letter(code: str) -> None:
    made = facts(_two_visits(), red_flags=(flag_record(code, "soon", action="Seen by GP"),))
    for kind in (LetterKind.PROGRESS, LetterKind.DISCHARGE, LetterKind.CARE_PLAN_REPORT):
        letter = _letter(made, kind)
        tables = _wells_tables(letter)
        in_findings = any(isinstance(b, Text) and "with the red flags" in b.text
                          for b in section_of(letter, S.FINDINGS).blocks)  # fmt: skip
        assert len(tables) == 1 or in_findings, (kind, code)


def test_an_incomplete_screen_in_one_line_never_reads_unlikely() -> None:
    wells = {**dict.fromkeys(WELLS_KEYS, False), "previous_dvt": None, "active_cancer": None}
    course = _two_visits(wells=wells)
    record = course.records[-1]
    evaluation = json.loads(record.evaluation)
    evaluation["red_flags"] = []  # a record whose flag is not carried: the line alone must still warn
    made = replace(facts(course), assessment=replace(record, evaluation=json.dumps(evaluation)))
    line = section_of(_letter(made, LetterKind.PROGRESS), S.FINDINGS).blocks[-1]
    assert isinstance(line, Text) and line.emphasis == "strong"
    assert line.text.startswith("Wells screen on 24 November 2026: Incomplete – DVT cannot be ruled out (two of the "
                                "ten items not answered).")  # fmt: skip
    assert "unlikely" not in line.text
