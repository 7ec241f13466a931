"""The plan library: pathways, their default plans, and the exercise library (issue 6, item 6)."""

from __future__ import annotations

import inspect
import re

import pytest

from workstation.assessment.plan import TEMPLATES, Plan, PlanExercise, plan_for, plan_problems
from workstation.clinical.country import Country
from workstation.clinical.exercises import EXERCISES, PATHWAYS, STAGE_LABELS, exercise, exercises_for
from workstation.problems import Problem


def test_the_library_covers_clinical_section_8():
    codes = {entry.code for entry in EXERCISES}
    assert {
        "calf_raise_double", "calf_raise_single_straight", "calf_raise_single_bent", "calf_raise_step",
        "seated_calf_raise", "soleus_wall_sit", "pogo_hops", "wall_stretch_straight", "wall_stretch_bent",
        "towel_stretch", "foam_roller", "slump_slider", "slump_tensioner", "bird_dog", "dead_bug", "side_plank",
        "single_leg_glute_bridge", "split_squat",
    } <= codes  # fmt: skip
    assert len(codes) == len(EXERCISES)
    for entry in EXERCISES:
        assert entry.name and entry.source and entry.pathways, entry.code
        assert len(entry.instructions.split()) >= 10, f"{entry.code}: instructions a patient can follow"
        assert entry.stage in STAGE_LABELS
        assert set(entry.pathways) <= set(PATHWAYS)
        assert entry.dose.frequency


def test_library_doses_follow_the_spec():
    # CLINICAL.md 8.5: nerve sliders 10-15 slow pain-free reps, 1-3 sets, daily; 8.4: stretches held 15-30 s.
    slider = exercise("slump_slider").dose
    assert (slider.sets, slider.reps, slider.frequency) == (2, 10, "Daily")
    assert exercise("wall_stretch_bent").dose.hold_seconds == 30
    # 8.3: single-leg raises start at "as many as comfortable" and build to 3 x 25-30 on non-running days.
    single = exercise("calf_raise_single_straight").dose
    assert single.reps is None and "25-30" in single.note and "do not run" in single.frequency
    assert exercise("pogo_hops").stage == "late"
    with pytest.raises(KeyError, match="no exercise 'massage'"):
        exercise("massage")


def test_every_pathway_has_a_default_plan_of_its_own_exercises():
    assert tuple(TEMPLATES) == PATHWAYS
    for pathway in PATHWAYS:
        plan = plan_for(pathway)
        assert plan.pathway == pathway and plan.load_advice and plan.safety_net
        for entry in plan.exercises:
            library = exercise(entry.code)
            assert pathway in library.pathways, f"{entry.code} is not in the {pathway} library"
            assert (entry.sets, entry.reps, entry.hold_seconds, entry.frequency, entry.notes) == (
                library.dose.sets, library.dose.reps, library.dose.hold_seconds, library.dose.frequency,
                library.dose.note,
            )  # fmt: skip
        assert plan_problems(plan) == []


def test_acute_strain_starts_with_peace_and_sends_medication_to_the_gp_or_pharmacist():
    plan = plan_for("acute_strain")
    assert "PEACE" in plan.load_advice and "LOVE" in plan.load_advice
    assert "Discuss any pain medicine with your GP or pharmacist." in plan.load_advice
    assert plan.return_to_run_phase == 1
    assert [e.code for e in plan.exercises][:2] == ["pain_free_cardio", "calf_raise_double"]


def test_medicines_are_only_ever_mentioned_with_the_gp_or_pharmacist():
    mentions = [t for t in TEMPLATES.values() if re.search(r"medicines?\b|medication|ibuprofen|paracetamol",
                                                             t.load_advice.replace("sports medicine", ""))]  # fmt: skip
    assert [t.code for t in mentions] == ["acute_strain"]
    for template in mentions:
        assert "Discuss any pain medicine with your GP or pharmacist." in template.load_advice


def test_a_suspected_dvt_stops_loading_with_no_exercise_and_no_massage():
    template = TEMPLATES["dvt_referral"]
    assert template.urgent and template.loading_stopped
    plan = plan_for("dvt_referral", country=Country.UK)
    assert plan.exercises == () and plan.return_to_run_phase is None
    assert "No massage" in plan.load_advice
    assert exercises_for("dvt_referral") == ()
    assert "call 999" in plan.safety_net
    with_exercise = Plan("dvt_referral", (PlanExercise("ankle_rolls", 2, 10, None, "Daily"),), "", None, "")
    assert plan_problems(with_exercise) == [
        Problem("detail.plan.exercises", "No exercises for a suspected DVT: calf loading is stopped")
    ]


def test_referral_pathways_stop_running_or_refer():
    assert TEMPLATES["bone_stress_referral"].return_to_run_phase is None
    assert "Stop running" in TEMPLATES["bone_stress_referral"].load_advice
    assert "pogo_hops" not in TEMPLATES["bone_stress_referral"].exercises
    assert "pressure testing" in TEMPLATES["cecs_referral"].referral


def test_the_plan_is_picked_by_the_clinician_not_from_the_ranking():
    assert list(inspect.signature(plan_for).parameters) == ["pathway", "country"]
    with pytest.raises(ValueError, match="unknown pathway 'gastrocnemius_strain'"):
        plan_for("gastrocnemius_strain")


def test_a_plan_survives_the_draft_detail_as_edited():
    plan = plan_for("neural")
    detail = plan.as_detail()
    assert detail["pathway"] == "neural" and detail["exercises"][0] == {
        "code": "slump_slider", "sets": 2, "reps": 10, "hold_seconds": None, "frequency": "Daily",
        "notes": "10-15 slow, pain-free repetitions, 1-3 sets",
    }  # fmt: skip
    assert Plan.from_detail(detail) == plan


def test_edited_doses_are_checked():
    detail = plan_for("overload").as_detail()
    detail["exercises"][0]["sets"] = 0
    detail["exercises"][1]["hold_seconds"] = "30"
    detail["exercises"].append({"code": "jumping_jacks"})
    detail["return_to_run_phase"] = 7
    problems = plan_problems(Plan.from_detail(detail))
    assert [(p.field, p.message) for p in problems] == [
        ("detail.plan.exercises[0].sets", "Enter a whole number from 1 to 20, or leave it empty"),
        ("detail.plan.exercises[1].hold_seconds", "Enter a whole number from 1 to 3600, or leave it empty"),
        ("detail.plan.exercises[6].code", "Choose an exercise from the library"),
        ("detail.plan.return_to_run_phase", "Choose a phase from 1 to 6, or none"),
    ]
