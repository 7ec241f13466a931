"""Tests of the assessment wizard's pure core. The builders below make one complete, finalisable draft.

The draft is the contract's own example (assessment-json.md): a 36-year-old woman, left calf, heel raise
18 left / 31 right on the 10° incline at 60 bpm, every Wells item answered (score -2), no red flag.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from workstation.assessment.draft import AssessmentDraft
from workstation.clinical.contract import parse_assessment
from workstation.clinical.evaluate import Evaluation, evaluate

TODAY = date(2026, 12, 1)
WELLS_KEYS = (
    "active_cancer", "paralysis_paresis_or_plaster", "bedridden_3_days_or_major_surgery_12_weeks",
    "deep_vein_tenderness", "whole_leg_swollen", "calf_swelling_3cm", "pitting_oedema_symptomatic_leg",
    "collateral_superficial_veins", "previous_dvt", "alternative_diagnosis_as_likely",
)  # fmt: skip
RED_FLAG_NO = (
    "dvt_suspected", "pulmonary_embolism_symptoms", "cauda_equina_signs", "progressive_weakness",
    "acute_compartment_signs", "cellulitis_signs", "suspected_rupture", "cold_pale_pulseless_foot",
    "exercise_claudication", "cancer_history_weight_loss_or_night_pain", "severe_unexplained_pain",
)  # fmt: skip

DOCUMENT: dict[str, Any] = {
    "schema": "calfdesk.assessment/1",
    "assessed_on": "2026-11-20",
    "patient": {"date_of_birth": "1990-04-02", "sex": "female"},
    "symptomatic_side": "left",
    "history": {
        "onset": "gradual", "onset_activity": "steady_run", "onset_sensation": "tightening",
        "could_continue_running": True, "pain_builds_predictably_in_run": True,
        "tightness_lingers_after_runs": True, "pain_location": "mid",
        "recent_load_changes": ["mileage_increase", "hills"], "previous_calf_strain": True,
        "bone_health_risk": False, "previous_race_cramping": False,
        "nprs_now": 2, "nprs_worst_24h": 5, "nprs_during_run": 6,
    },
    "examination": {"local_muscle_tenderness": True, "calf_swelling_warmth_or_redness": False},
    "heel_raise": {"left_reps": 18, "right_reps": 31, "protocol": "incline_10deg_60bpm", "knee": "straight",
                   "stopped_by_pain": "none", "reproduced_symptoms": False},
    "knee_to_wall": {"left_cm": 9.0, "right_cm": 11.5},
    "neural": {"slump": "negative", "straight_leg_raise": "not_tested", "neurological_deficit": False},
    "red_flags": {
        "wells": {**dict.fromkeys(WELLS_KEYS, False), "alternative_diagnosis_as_likely": True},
        **dict.fromkeys(RED_FLAG_NO, False),
        "dvt_risk_factors": ["long_travel"],
    },
    "outcomes": {"psfs": [{"activity": "Run 10 km", "score": 4}, {"activity": "Hills", "score": 3},
                          {"activity": "Stairs", "score": 8}], "lefs_total": 61},
}  # fmt: skip

DETAIL: dict[str, Any] = {
    "history": {"mechanism": "Tightened at 8 km of a steady run", "onset_date": "2026-11-01", "notes": "x"},
    "heel_raise": {"incline_deg": 10, "cadence_bpm": 60, "knee_angle_deg": 0, "termination_left": "pain",
                   "termination_right": "fatigue", "first_leg": "right", "footwear": "barefoot",
                   "bent_left_reps": 14, "bent_right_reps": 27},
    "knee_to_wall": {"straight_knee_deg_left": 31.5, "straight_knee_deg_right": 36.0, "shod": False},
    "body_chart": {"regions": ["left_calf_mid"]},
    "impression": {"condition": "overload", "text": ""},
}  # fmt: skip


def complete_draft() -> AssessmentDraft:
    """A fresh copy of the finalisable draft."""
    return AssessmentDraft(7, 3, copy.deepcopy(DOCUMENT), copy.deepcopy(DETAIL))


def evaluation_of(draft: AssessmentDraft) -> Evaluation:
    return evaluate(parse_assessment(draft.document, today=TODAY))
