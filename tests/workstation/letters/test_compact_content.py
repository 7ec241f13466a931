"""A letter a GP can take in at a glance: yes/no answers as two lines, unremarkable findings as one line, a
short Wells line when nothing was asked, short plan rows, and what an urgent letter asks for first."""

from __future__ import annotations

from typing import Any

from tests.workstation.letters.helpers import (
    FIRST_DAY,
    Course,
    detail,
    document,
    facts,
    flag_record,
    section_of,
    section_text,
    weekly_runs,
)
from workstation.clinical.contract import WELLS_KEYS
from workstation.letters.compose import compose_letter
from workstation.letters.document import Fields, Letter, Table, Text
from workstation.letters.records import LetterFacts, LetterKind
from workstation.letters.records import SectionKey as S
from workstation.letters.sections import ORDER, default_request


def _one(doc: dict[str, Any] | None = None, extra: dict[str, Any] | None = None) -> Course:
    course = Course()
    course.add(doc or document(), extra)
    return course


def _letter(made: LetterFacts, kind: LetterKind = LetterKind.GP_REFERRAL) -> Letter:
    return compose_letter(default_request(kind, made), made)


def _lines(letter: Letter, key: S) -> list[str]:
    return [block.text for block in section_of(letter, key).blocks if isinstance(block, Text)]


def _fields(letter: Letter, key: S) -> dict[str, str]:
    return {label: value for block in section_of(letter, key).blocks if isinstance(block, Fields)
            for label, value in block.rows}  # fmt: skip


# --- presenting and relevant history -----------------------------------------------------------------------------


def test_history_keeps_key_facts_as_fields_and_the_yes_no_answers_as_two_lines() -> None:
    doc = document()
    doc["history"].update(pain_at_rest_or_night=True, bruising=False, settles_within_minutes_of_stopping=None,
                          foot_tingling_or_numbness="exercise_only", onset_activity="steady_run")  # fmt: skip
    letter = _letter(facts(_one(doc)))
    fields = _fields(letter, S.HISTORY)
    assert fields["Activity at onset"] == "Steady running"
    assert fields["Could keep running"] == "Yes"
    assert "Bruising" not in fields and "Pain at rest or at night" not in fields
    assert _lines(letter, S.HISTORY) == [
        "Also reported: pain builds predictably during runs; pain at rest or at night; "
        "foot tingling or numbness (only during exercise).",
        "Not reported when asked: bruising.",
    ]
    assert "settles within minutes" not in section_text(letter, S.HISTORY).lower()  # unanswered: not a "no"


def test_a_history_with_no_yes_no_answers_has_no_empty_lines() -> None:
    doc = document()
    del doc["history"]["pain_builds_predictably_in_run"]
    assert _lines(_letter(facts(_one(doc))), S.HISTORY) == []


def test_relevant_history_lists_reported_denied_and_unrecorded_items() -> None:
    doc = document()
    doc["history"].update(previous_calf_strain=True, bone_health_risk=None)
    doc["red_flags"]["dvt_risk_factors"] = ["long_travel"]
    letter = _letter(facts(_one(doc)))
    assert _fields(letter, S.RELEVANT_HISTORY)["DVT risk factors"] == "Long journey recently"
    assert _lines(letter, S.RELEVANT_HISTORY) == [
        "Reported: a previous calf strain.",
        "Not reported when asked: back, buttock or thigh symptoms.",
        "Not recorded: bone-health risk (RED-S signs, low BMI, past bone stress injury); cramping in previous "
        "races.",
    ]


# --- findings -----------------------------------------------------------------------------------------------------


def _findings(letter: Letter) -> Table:
    table = section_of(letter, S.FINDINGS).blocks[0]
    assert isinstance(table, Table)
    return table


def test_unremarkable_examination_findings_are_one_line_under_the_table() -> None:
    doc = document()
    doc["examination"].update(hop_pain=True, normal_at_rest=False, straight_knee_loading_worse_than_bent=False,
                              bent_knee_loading_worse_than_straight=False, focal_fibula_tenderness=None)  # fmt: skip
    letter = _letter(facts(_one(doc)))
    table = _findings(letter)
    labels = [row[0] for row in table.rows]
    assert labels[:4] == ["Heel raise, knee straight (reps)", "Knee to wall", "Slump", "Neurological deficit"]
    remarkable = {row[0]: row[-1] for row in table.rows[4:]}
    assert remarkable == {  # "normal at rest: No" is no row: it would read as "abnormal at rest"
        "Palpation: local muscle tenderness": "Yes",
        "Palpation: focal tenderness over the fibula": "–",  # unanswered: a row of its own, never a "no"
        "Hop test: pain on single-leg hopping": "Yes",
    }
    assert labels.index("Hop test: pain on single-leg hopping") in table.flagged
    line, untested = section_of(letter, S.FINDINGS).blocks[1:3]
    assert line == Text("Examination: no calf swelling, warmth or redness; loading no worse with the knee straight "
                        "or bent.")  # fmt: skip
    assert untested == Text("Not tested: straight-leg raise.")  # the document's SLR is "not_tested": no row of it


def test_a_normal_examination_at_rest_joins_the_line() -> None:
    doc = document()
    doc["examination"]["normal_at_rest"] = True
    line = section_of(_letter(facts(_one(doc))), S.FINDINGS).blocks[1]
    assert isinstance(line, Text) and line.text.endswith("; normal at rest.")


def test_an_unassessed_wells_screen_is_one_line_that_never_reassures() -> None:
    doc = document()
    doc["red_flags"]["wells"] = dict.fromkeys(WELLS_KEYS)
    letter = _letter(facts(_one(doc)))
    blocks = section_of(letter, S.FINDINGS).blocks
    assert not any(isinstance(block, Table) and block.header[0].startswith("Wells") for block in blocks)
    assert blocks[-1] == Text("Wells score not assessed – DVT cannot be ruled out: follow the local DVT pathway.",
                              "strong")  # fmt: skip


# --- an urgent letter: what the GP must act on comes first ---------------------------------------------------------


def _dvt_letter(kind: LetterKind = LetterKind.GP_REFERRAL) -> Letter:
    doc = document(dvt_suspected=True)
    doc["red_flags"]["wells"].update(deep_vein_tenderness=True, calf_swelling_3cm=True,
                                     alternative_diagnosis_as_likely=False)  # fmt: skip
    return _letter(facts(_one(doc, detail("dvt_referral", phase=None))), kind)


def test_an_urgent_letter_puts_the_red_flags_and_wells_right_after_the_request() -> None:
    letter = _dvt_letter()
    assert letter.banner is not None and letter.banner.tier == "urgent"
    assert [s.key for s in letter.sections][:3] == [S.REQUEST, S.RED_FLAGS, S.HISTORY]
    flags = section_of(letter, S.RED_FLAGS).blocks
    assert isinstance(flags[0], Table) and flags[0].rows[0][1] == "Suspected DVT"
    wells = flags[1]
    assert isinstance(wells, Table) and wells.rows[-1] == ("Total", "", "2")
    findings = section_of(letter, S.FINDINGS).blocks
    assert findings[-1] == Text("Wells items and total: with the red flags above.")
    assert sum(isinstance(b, Table) and b.header[0].startswith("Wells") for s in letter.sections
               for b in s.blocks) == 1  # fmt: skip


def test_an_urgent_flag_that_is_not_a_clot_keeps_wells_in_the_findings() -> None:
    made = facts(_one(), red_flags=(flag_record("progressive_neurological_deficit", "urgent"),))
    letter = _letter(made)
    assert [s.key for s in letter.sections][:2] == [S.REQUEST, S.RED_FLAGS]
    assert [b for b in section_of(letter, S.RED_FLAGS).blocks if isinstance(b, Table)][-1].header[0] == "Tier"
    assert any(isinstance(b, Table) and b.header[0].startswith("Wells") for b in section_of(letter, S.FINDINGS).blocks)


def test_a_routine_letter_keeps_the_clinical_order() -> None:
    letter = _letter(facts(_one()))
    keys = [s.key for s in letter.sections]
    assert keys == [key for key in ORDER[LetterKind.GP_REFERRAL] if key in keys]
    assert keys.index(S.RED_FLAGS) > keys.index(S.FINDINGS)


# --- plan, running and goals ----------------------------------------------------------------------------------------


def _programme(letter: Letter) -> Table:
    (table,) = [b for b in section_of(letter, S.PLAN).blocks if isinstance(b, Table)]
    return table


def test_the_programme_is_a_table_of_short_doses_with_the_clinicians_own_notes() -> None:
    extra = detail("overload")
    entries = {entry["code"]: entry for entry in extra["plan"]["exercises"]}
    entries["wall_stretch_straight"]["notes"] = "Left side only"
    letter = _letter(facts(_one(document(), extra)))
    table = _programme(letter)
    assert table.header == ("Home exercise programme", "Dose", "How often") and table.compact
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Calf stretch at a wall, back knee straight"] == ("3 × 30 s hold (Left side only)",
                                                                 "After running or strength work")  # fmt: skip
    assert rows["Calf stretch at a wall, back knee bent"] == ("3 × 30 s hold", "After running or strength work")
    assert rows["Single-leg glute bridge"] == ("3 × 10", "2-3 times a week, not on running days")
    assert rows["Single-leg calf raise, knee straight"][0] == "2 sets, as many as comfortable"


def test_a_progress_report_gives_the_running_stage_once_with_the_recent_weeks() -> None:
    course = Course()
    course.add(document(FIRST_DAY))
    course.add(document(FIRST_DAY.replace(day=24), left=22))
    letter = _letter(facts(course, runs=weekly_runs()), LetterKind.PROGRESS)
    assert "Return to running" not in _fields(letter, S.PLAN)
    running = _fields(letter, S.RUNNING)
    assert running["Return-to-run stage"].startswith("Walk-run phase 2")
    assert running["Running, last 4 weeks"] == (
        "week of 9 Nov 2026: 8.0 km; week of 16 Nov 2026: 8.0 km; week of 23 Nov 2026: 8.0 km; "
        "week of 30 Nov 2026: 8.0 km"
    )
    assert "Return to running" in _fields(_letter(facts(course)), S.PLAN)  # a referral has no running section


def test_a_few_goals_read_on_one_line() -> None:
    assert _lines(_letter(facts(_one())), S.GOALS) == [
        "Activities the patient wants back (PSFS: 0 = unable, 10 = as before the injury): Run 10 km (3 out of 10); "
        "Parkrun (4 out of 10)."
    ]
