"""A finalised assessment in words, read from what was stored (never by running the engine again)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.finalize import assessment_record_of
from workstation.assessment.plan import plan_for
from workstation.assessment.records import AssessmentRecord
from workstation.assessment.summary_lines import header_lines, summarise
from workstation.clinical.contract import WELLS_KEYS, parse_assessment
from workstation.clinical.differential import NOTICE
from workstation.clinical.evaluate import evaluate
from workstation.dates import DateOrder

NO_RED_FLAGS = dict.fromkeys(
    ("dvt_suspected", "pulmonary_embolism_symptoms", "cauda_equina_signs", "progressive_weakness",
     "acute_compartment_signs", "cellulitis_signs", "suspected_rupture", "cold_pale_pulseless_foot",
     "exercise_claudication", "cancer_history_weight_loss_or_night_pain", "severe_unexplained_pain"),
    False,
)  # fmt: skip


def document(**red_flags: Any) -> dict[str, Any]:
    wells = {**dict.fromkeys(WELLS_KEYS, False), "alternative_diagnosis_as_likely": True}
    return {
        "schema": "calfdesk.assessment/1",
        "assessed_on": "2026-03-10",
        "patient": {"age_years": 38, "sex": "male"},
        "symptomatic_side": "left",
        "history": {"onset": "gradual", "nprs_now": 2, "nprs_worst_24h": 5},
        "examination": {"focal_fibula_tenderness": False},
        "heel_raise": {"left_reps": 18, "right_reps": 31, "protocol": "incline_10deg_60bpm"},
        "knee_to_wall": {"left_cm": 9.0, "right_cm": 11.5},
        "neural": {"slump": "negative", "straight_leg_raise": "not_tested"},
        "red_flags": {"wells": wells, **NO_RED_FLAGS, **red_flags},
        "outcomes": {"psfs": [{"activity": "Run 10 km", "score": 4}, {"activity": "Stairs", "score": 7}],
                     "lefs_total": 61},
    }  # fmt: skip


def record_of(doc: dict[str, Any], detail: dict[str, Any] | None = None, **changes: Any) -> AssessmentRecord:
    draft = AssessmentDraft(1, 2, doc, detail or {})
    evaluation = evaluate(parse_assessment(doc, today=date(2026, 3, 10)))
    return replace(assessment_record_of(draft, evaluation, recorded_by=7), id=11, **changes)


def test_the_findings_read_the_stored_values_and_the_engine_reading_with_their_flags() -> None:
    detail = {"heel_raise": {"bent_left_reps": 12, "bent_right_reps": 20}}
    lines = summarise(record_of(document(), detail)).findings.lines
    assert lines[0] == "Symptomatic side: Left"
    assert lines[1] == (
        "Heel raise, straight knee (reps): left 18, right 31, LSI 58.1 %, age and sex norm 32. "
        "Flags: Under 30 reps; Below the age and sex norm; LSI under 90 %"
    )
    assert lines[2] == "Heel raise, bent knee (reps): left 12, right 20, LSI 60.0 %. Flags: LSI under 90 %"
    assert lines[3] == (
        "Knee to wall: left 9 cm (32.4°), right 11.5 cm (41.4°), difference 2.5 cm. Flags: Likely meaningful"
    )
    assert "Slump: Negative" in lines and "Straight-leg raise: Not tested" in lines
    assert "Wells (DVT) score -2: DVT unlikely (three-level: low)" in lines
    assert "Pain (NPRS 0-10): now 2, worst 24 h 5, in a run –" in lines
    assert "PSFS (0-10): Run 10 km 4, Stairs 7; mean 5.5" in lines
    assert "LEFS total: 61 of 80" in lines


def test_the_stored_evaluation_is_shown_even_where_the_engine_would_now_read_it_differently() -> None:
    record = record_of(document())
    stored = json.loads(record.evaluation)
    stored["heel_raise"]["lsi_percent"] = 42.0
    stored["differential"][0]["condition"] = "cramp"
    summary = summarise(replace(record, evaluation=json.dumps(stored)))
    assert "LSI 42 %" in summary.findings.lines[1]
    assert summary.differential.lines[0].startswith("1. Exercise-associated muscle cramp (score ")


def test_red_flags_come_with_their_tier_message_and_recorded_action() -> None:
    detail = {"red_flag_actions": {"dvt": "Phoned GP 11:20, sent to ED", "bone_stress_injury": "X-ray requested"}}
    doc = document(dvt_suspected=True)
    doc["examination"]["focal_fibula_tenderness"] = True
    summary = summarise(record_of(doc, detail))
    assert summary.urgency == "urgent" and summary.urgency_words == "Urgent – same day"
    assert [(f.code, f.tier, f.action) for f in summary.flags] == [
        ("dvt", "urgent", "Phoned GP 11:20, sent to ED"),
        ("bone_stress_injury", "soon", "X-ray requested"),
    ]
    assert all(flag.message for flag in summary.flags)


def test_the_differential_lists_the_top_three_with_the_findings_for_and_against() -> None:
    summary = summarise(record_of(document()))
    places = [line for line in summary.differential.lines if line[:2] in ("1.", "2.", "3.", "4.")]
    assert [line[:2] for line in places] == ["1.", "2.", "3."]
    assert summary.differential.lines[1].startswith("For: ")
    assert summary.differential.lines[2].startswith("Against: ")
    assert summary.notice == NOTICE


def test_impression_and_plan_are_the_clinicians_own_words() -> None:
    plan = plan_for("overload").as_detail()
    detail = {"impression": {"condition": "other", "text": "<b>x</b>\nsecond line"}, "plan": plan}
    summary = summarise(record_of(document(), detail))
    assert summary.impression.lines == ("Other", "<b>x</b>", "second line")
    assert summary.plan.lines[0].startswith("Pathway: ")
    assert any(line.startswith("• ") for line in summary.plan.lines)
    assert f"Load advice: {plan['load_advice']}" in summary.plan.lines


def test_missing_sections_say_so_rather_than_guess() -> None:
    summary = summarise(replace(record_of(document()), detail="{}", evaluation="not json"))
    assert summary.impression.lines == ("Not recorded.",)
    assert summary.plan.lines == ("No plan recorded.",)
    assert summary.differential.lines == ("No ranking was stored.",)
    assert summary.unreadable == ("the evaluation",)
    assert summary.urgency == "routine"  # from the record's own column


def test_the_header_names_the_date_episode_finaliser_and_a_correction_with_its_reason() -> None:
    at = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    record = record_of(document(), finalised_at=at, amends_id=4, amendment_reason="Left count was 19")
    lines = header_lines(record, DateOrder.DAY_MONTH_YEAR, episode_title="Calf pain", finalised_by="Sam Okafor")
    local = at.astimezone()
    assert lines == (
        "Assessed on 10/03/2026",
        "Episode: Calf pain",
        f"Finalised by Sam Okafor on {local:%d/%m/%Y} at {local:%H:%M}",
        "Correction of an earlier version (assessment 4). Reason: Left count was 19",
    )
    first = header_lines(replace(record, amends_id=None, episode_id=None), DateOrder.MONTH_DAY_YEAR)
    assert first[0] == "Assessed on 03/10/2026"
    assert first[1] == "Not linked to an episode"
    assert first[2].startswith("Finalised by user 7 on ")
    assert len(first) == 3
