"""Worked cases of the differential ranking, scored by hand from the CLINICAL.md 6.2 weight table.

Each case is a runner's story a physio would recognise, fully answered (every finding F1-F32 has its
input, except where a comment says otherwise), so that the expected ranking depends only on the weights.
Condition order for ties (assessment-json.md): overload, gastrocnemius_strain, soleus_strain,
silent_soleus_strain, neural, cecs, dvt, fibular_stress_fracture, cramp, doms.
The arithmetic above each case lists every true finding with a non-zero weight for each condition.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.workstation.clinical.documents import (
    deep_merge,
    evaluate,
    flag_codes,
    minimal_document,
    negative_red_flags,
    wells,
)

# CLINICAL.md 6.0, without the markdown bold.
MANDATORY_NOTICE = (
    "This list ranks conditions that are consistent with the findings entered. It is not a diagnosis and has "
    "not been validated. Red-flag rules override the ranking. The treating clinician is responsible for the "
    "diagnosis and for onward referral."
)

# Every history input answered "no" (or its neutral value); each case says what it changes.
HISTORY_ALL_NO: dict[str, Any] = {
    "could_continue_running": False,
    "pain_builds_predictably_in_run": False,
    "settles_within_minutes_of_stopping": False,
    "tightness_lingers_after_runs": False,
    "delayed_soreness_after_unaccustomed_session": False,
    "involuntary_cramp_episode": False,
    "pain_walking_or_daily_activity": False,
    "pain_at_rest_or_night": False,
    "pain_location": "mid",  # neither F10 (upper medial) nor F11 (low above Achilles)
    "bruising": False,
    "back_buttock_or_thigh_symptoms": False,
    "foot_tingling_or_numbness": "none",
    "pressure_or_fullness_during_exercise": False,
    "recent_load_changes": [],
    "previous_calf_strain": False,
    "bone_health_risk": False,
    "previous_race_cramping": False,
}
EXAMINATION_ALL_NO: dict[str, Any] = {
    "calf_swelling_warmth_or_redness": False,
    "local_muscle_tenderness": False,
    "focal_fibula_tenderness": False,
    "hop_pain": False,
    "straight_knee_loading_worse_than_bent": False,
    "bent_knee_loading_worse_than_straight": False,
    "normal_at_rest": False,
}
# Slump and SLR both negative: F22 is true in every case unless the case says otherwise (NEU -2).
NEURAL_NEGATIVE: dict[str, Any] = {"slump": "negative", "straight_leg_raise": "negative", "neurological_deficit": False}
# A musculoskeletal story: Wells 0 + alternative diagnosis at least as likely = -2, unlikely; no flag.
RED_FLAGS_MSK = negative_red_flags(wells=wells(alternative_diagnosis_as_likely=True))


def _assessment(
    *,
    age: int,
    sex: str,
    side: str = "left",
    history: dict[str, Any],
    examination: dict[str, Any] | None = None,
    heel_raise: dict[str, Any] | None = None,
    neural: dict[str, Any] | None = None,
    red_flags: dict[str, Any] | None = None,
) -> dict[str, Any]:
    document = minimal_document(
        symptomatic_side=side,
        patient={"age_years": age, "sex": sex},
        history=deep_merge(HISTORY_ALL_NO, history),
        examination=deep_merge(EXAMINATION_ALL_NO, examination or {}),
        neural=deep_merge(NEURAL_NEGATIVE, neural or {}),
        red_flags=deep_merge(RED_FLAGS_MSK, red_flags or {}),
    )
    if heel_raise is not None:
        document["heel_raise"] = {"protocol": "incline_10deg_60bpm", "knee": "straight", **heel_raise}
    return document


def _entry(condition: str, score: int, supporting: list[str], opposing: list[str]) -> dict[str, Any]:
    return {"condition": condition, "score": score, "supporting": supporting, "opposing": opposing}


def _ranking(evaluation: dict[str, Any]) -> list[dict[str, Any]]:
    keys = ("condition", "score", "supporting", "opposing")
    return [{key: entry[key] for key in keys} for entry in evaluation["differential"]]


# 1. Overload. 38-year-old man in a marathon block: mileage up and hills added; calf pain comes on at the
# same point of every run and builds until he slows, tightness for a day afterwards; he can keep running.
# Involved heel raise 18 vs 31 (below 30, below the 30-39 male norm of 32, LSI 58%) without his pain.
# True findings: F2 F3 F5 F18 F19 F22 F28 F32.
#   overload:        F2 +2, F3 +2, F5 +2, F18 +2, F19 +1, F28 +2, F32 +1 = 12
#   silent_soleus:   F2 +2, F3 +1, F5 +1, F18 +1, F19 +1, F28 +1, F32 +1 = 8
#   cecs:            F2 +1, F3 +2 = 3
#   fibular_sf:      F2 +1, F28 +1 = 2
#   doms:            F3 -1, F5 +1, F19 +1, F28 +1 = 2
#   soleus:          F2 -1, F3 -1, F18 +1, F19 +1, F28 +1 = 1
#   neural:          F2 +1, F3 +1, F18 +1, F19 -1, F22 -2 = 0
#   cramp:           F2 -1, F28 +1 = 0
#   dvt:             F3 -1, F5 -1 = -2
#   gastrocnemius:   F2 -2, F3 -1, F19 +1, F28 +1, F32 -2 = -3
# Gap 12 - 8 = 4 -> not low confidence.
OVERLOAD = _assessment(
    age=38,
    sex="male",
    history={
        "onset": "gradual",
        "onset_activity": "steady_run",
        "onset_sensation": "tightening",
        "could_continue_running": True,
        "pain_builds_predictably_in_run": True,
        "tightness_lingers_after_runs": True,
        "recent_load_changes": ["mileage_increase", "hills"],
    },
    examination={"local_muscle_tenderness": True},
    heel_raise={"left_reps": 18, "right_reps": 31, "stopped_by_pain": "none", "reproduced_symptoms": False},
)
OVERLOAD_RANKING = [
    _entry("overload", 12, ["F2", "F3", "F5", "F18", "F19", "F28", "F32"], []),
    _entry("silent_soleus_strain", 8, ["F2", "F3", "F5", "F18", "F19", "F28", "F32"], []),
    _entry("cecs", 3, ["F2", "F3"], []),
    _entry("fibular_stress_fracture", 2, ["F2", "F28"], []),
    _entry("doms", 2, ["F5", "F19", "F28"], ["F3"]),
    _entry("soleus_strain", 1, ["F18", "F19", "F28"], ["F2", "F3"]),
    _entry("neural", 0, ["F2", "F3", "F18"], ["F19", "F22"]),
    _entry("cramp", 0, ["F28"], ["F2"]),
    _entry("dvt", -2, [], ["F3", "F5"]),
    _entry("gastrocnemius_strain", -3, ["F19", "F28"], ["F2", "F3", "F32"]),
]

# 2. Gastrocnemius strain ("tennis leg"). 45-year-old man, first sprint session of the season: a sudden pop
# in the upper inner calf while accelerating; bruised, limps on walking, could not go on. Straight-knee
# loading hurts more than bent; the heel raise stops on his pain (so no F18).
# True findings: F1 F8 F10 F13 F16 F19 F22 F28 F29 (age 45).
#   gastrocnemius:   F1 +2, F8 +1, F10 +2, F13 +2, F16 +2, F19 +1, F28 +1, F29 +1 = 12
#   soleus:          F1 +1, F8 +1, F10 -1, F13 +1, F16 -1, F19 +1, F28 +1, F29 +1 = 4
#   dvt:             F8 +1, F13 -1, F29 +1 = 1
#   fibular_sf:      F1 -1, F8 +1, F28 +1 = 1
#   cramp:           F1 +1, F8 -1, F28 +1 = 1
#   doms:            F1 -2, F8 +1, F19 +1, F28 +1 = 1
#   overload:        F1 -1, F8 -1, F13 -1, F19 +1, F28 +2 = 0
#   silent_soleus:   F1 -2, F10 -1, F13 -1, F16 -1, F19 +1, F28 +1, F29 +1 = -2
#   cecs:            F1 -1, F8 -2 = -3
#   neural:          F1 -1, F19 -1, F22 -2 = -4
# Gap 12 - 4 = 8 -> not low confidence.
GASTROCNEMIUS = _assessment(
    age=45,
    sex="male",
    history={
        "onset": "sudden",
        "onset_activity": "acceleration",
        "onset_sensation": "pop",
        "pain_walking_or_daily_activity": True,
        "pain_location": "upper_medial",
        "bruising": True,
        "recent_load_changes": ["speed_work"],
    },
    examination={"local_muscle_tenderness": True, "straight_knee_loading_worse_than_bent": True},
    heel_raise={"left_reps": 6, "right_reps": 28, "stopped_by_pain": "left", "reproduced_symptoms": True},
)
GASTROCNEMIUS_RANKING = [
    _entry("gastrocnemius_strain", 12, ["F1", "F8", "F10", "F13", "F16", "F19", "F28", "F29"], []),
    _entry("soleus_strain", 4, ["F1", "F8", "F13", "F19", "F28", "F29"], ["F10", "F16"]),
    _entry("dvt", 1, ["F8", "F29"], ["F13"]),
    _entry("fibular_stress_fracture", 1, ["F8", "F28"], ["F1"]),
    _entry("cramp", 1, ["F1", "F28"], ["F8"]),
    _entry("doms", 1, ["F8", "F19", "F28"], ["F1"]),
    _entry("overload", 0, ["F19", "F28"], ["F1", "F8", "F13"]),
    _entry("silent_soleus_strain", -2, ["F19", "F28", "F29"], ["F1", "F10", "F13", "F16"]),
    _entry("cecs", -3, [], ["F1", "F8"]),
    _entry("neural", -4, [], ["F1", "F19", "F22"]),
]

# 3. Acute soleus strain. 32-year-old woman, previous calf strain, mileage up: a sudden pull low in the calf
# at steady pace; she jogged home on a tight calf, now it hurts to walk; bent-knee loading hurts more than
# straight; the bent-knee raise reproduces her pain (no F18).
# True findings: F1 F8 F11 F17 F19 F22 F28 F29 (previous strain) F32.
#   soleus:          F1 +1, F8 +1, F11 +1, F17 +2, F19 +1, F28 +1, F29 +1 = 8
#   silent_soleus:   F1 -2, F11 +2, F17 +2, F19 +1, F28 +1, F29 +1, F32 +1 = 6
#   overload:        F1 -1, F8 -1, F19 +1, F28 +2, F32 +1 = 2
#   gastrocnemius:   F1 +2, F8 +1, F11 -1, F17 -1, F19 +1, F28 +1, F29 +1, F32 -2 = 2
#   dvt:             F8 +1, F29 +1 = 2
#   fibular_sf:      F1 -1, F8 +1, F28 +1 = 1
#   cramp:           F1 +1, F8 -1, F28 +1 = 1
#   doms:            F1 -2, F8 +1, F19 +1, F28 +1 = 1
#   cecs:            F1 -1, F8 -2 = -3
#   neural:          F1 -1, F19 -1, F22 -2 = -4
# Gap 8 - 6 = 2 -> low confidence (acute and silent soleus strain are hard to separate).
SOLEUS = _assessment(
    age=32,
    sex="female",
    history={
        "onset": "sudden",
        "onset_activity": "steady_run",
        "onset_sensation": "pull",
        "could_continue_running": True,
        "pain_walking_or_daily_activity": True,
        "pain_location": "low_above_achilles",
        "recent_load_changes": ["mileage_increase"],
        "previous_calf_strain": True,
    },
    examination={"local_muscle_tenderness": True, "bent_knee_loading_worse_than_straight": True},
    heel_raise={
        "left_reps": 10,
        "right_reps": 28,
        "knee": "bent",
        "stopped_by_pain": "left",
        "reproduced_symptoms": True,
    },
)
SOLEUS_RANKING = [
    _entry("soleus_strain", 8, ["F1", "F8", "F11", "F17", "F19", "F28", "F29"], []),
    _entry("silent_soleus_strain", 6, ["F11", "F17", "F19", "F28", "F29", "F32"], ["F1"]),
    _entry("overload", 2, ["F19", "F28", "F32"], ["F1", "F8"]),
    _entry("gastrocnemius_strain", 2, ["F1", "F8", "F19", "F28", "F29"], ["F11", "F17", "F32"]),
    _entry("dvt", 2, ["F8", "F29"], []),
    _entry("fibular_stress_fracture", 1, ["F8", "F28"], ["F1"]),
    _entry("cramp", 1, ["F1", "F28"], ["F8"]),
    _entry("doms", 1, ["F8", "F19", "F28"], ["F1"]),
    _entry("cecs", -3, [], ["F1", "F8"]),
    _entry("neural", -4, [], ["F1", "F19", "F22"]),
]

# 4. "Silent" soleus strain. 41-year-old man in a training block (more distance and hills): a week of low
# calf tightness with no incident, lingering after runs; he keeps running on it. Bent-knee loading hurts
# more; the bent-knee raise reproduces it (no F18).
# True findings: F2 F5 F11 F17 F19 F22 F28 F29 (age 41) F32.
#   silent_soleus:   F2 +2, F5 +1, F11 +2, F17 +2, F19 +1, F28 +1, F29 +1, F32 +1 = 11
#   overload:        F2 +2, F5 +2, F19 +1, F28 +2, F32 +1 = 8
#   soleus:          F2 -1, F11 +1, F17 +2, F19 +1, F28 +1, F29 +1 = 5
#   doms:            F5 +1, F19 +1, F28 +1 = 3
#   fibular_sf:      F2 +1, F28 +1 = 2
#   cecs:            F2 +1 = 1
#   dvt:             F5 -1, F29 +1 = 0
#   cramp:           F2 -1, F28 +1 = 0
#   neural:          F2 +1, F19 -1, F22 -2 = -2
#   gastrocnemius:   F2 -2, F11 -1, F17 -1, F19 +1, F28 +1, F29 +1, F32 -2 = -3
# Gap 11 - 8 = 3 -> not low confidence.
SILENT_SOLEUS = _assessment(
    age=41,
    sex="male",
    history={
        "onset": "gradual",
        "onset_activity": "late_long_run",
        "onset_sensation": "tightening",
        "could_continue_running": True,
        "tightness_lingers_after_runs": True,
        "pain_location": "low_above_achilles",
        "recent_load_changes": ["mileage_increase", "hills"],
    },
    examination={"local_muscle_tenderness": True, "bent_knee_loading_worse_than_straight": True},
    heel_raise={
        "left_reps": 22,
        "right_reps": 30,
        "knee": "bent",
        "stopped_by_pain": "left",
        "reproduced_symptoms": True,
    },
)
SILENT_SOLEUS_RANKING = [
    _entry("silent_soleus_strain", 11, ["F2", "F5", "F11", "F17", "F19", "F28", "F29", "F32"], []),
    _entry("overload", 8, ["F2", "F5", "F19", "F28", "F32"], []),
    _entry("soleus_strain", 5, ["F11", "F17", "F19", "F28", "F29"], ["F2"]),
    _entry("doms", 3, ["F5", "F19", "F28"], []),
    _entry("fibular_stress_fracture", 2, ["F2", "F28"], []),
    _entry("cecs", 1, ["F2"], []),
    _entry("dvt", 0, ["F29"], ["F5"]),
    _entry("cramp", 0, ["F28"], ["F2"]),
    _entry("neural", -2, ["F2"], ["F19", "F22"]),
    _entry("gastrocnemius_strain", -3, ["F19", "F28", "F29"], ["F2", "F11", "F17", "F32"]),
]

# 5. Neural tension / lumbar referral. 36-year-old man with a desk job: calf ache that came on gradually,
# comes and goes, with low back and buttock tightness and night ache; he can keep running. No calf
# tenderness; slump positive with structural differentiation (SLR negative, so no F22); reduced sensation
# on the lateral foot, not progressive. Heel raise 36 vs 37 (norm 32): no flag.
# True findings: F2 F9 F20 F21 F23 F32.
#   neural:          F2 +1, F9 +1, F20 +2, F21 +2, F23 +2 = 8
#   silent_soleus:   F2 +2, F9 -1, F32 +1 = 2
#   fibular_sf:      F2 +1, F9 +1 = 2
#   dvt:             F9 +1 = 1
#   cecs:            F2 +1, F9 -1 = 0
#   doms:            (none) = 0
#   overload:        F2 +2, F9 -2, F21 -1, F23 -1, F32 +1 = -1
#   soleus:          F2 -1 = -1
#   cramp:           F2 -1 = -1
#   gastrocnemius:   F2 -2, F32 -2 = -4
# Gap 8 - 2 = 6 -> not low confidence.
NEURAL = _assessment(
    age=36,
    sex="male",
    history={
        "onset": "gradual",
        "onset_activity": "steady_run",
        "could_continue_running": True,
        "pain_at_rest_or_night": True,
        "pain_location": "diffuse",
        "back_buttock_or_thigh_symptoms": True,
        "foot_tingling_or_numbness": "constant",
    },
    neural={"slump": "positive", "straight_leg_raise": "negative", "neurological_deficit": True},
    heel_raise={"left_reps": 36, "right_reps": 37, "stopped_by_pain": "none", "reproduced_symptoms": False},
)
NEURAL_RANKING = [
    _entry("neural", 8, ["F2", "F9", "F20", "F21", "F23"], []),
    _entry("silent_soleus_strain", 2, ["F2", "F32"], ["F9"]),
    _entry("fibular_stress_fracture", 2, ["F2", "F9"], []),
    _entry("dvt", 1, ["F9"], []),
    _entry("cecs", 0, ["F2"], ["F9"]),
    _entry("doms", 0, [], []),
    _entry("overload", -1, ["F2", "F32"], ["F9", "F21", "F23"]),
    _entry("soleus_strain", -1, [], ["F2"]),
    _entry("cramp", -1, [], ["F2"]),
    _entry("gastrocnemius_strain", -4, [], ["F2", "F32"]),
]

# 6. Chronic exertional compartment syndrome. 27-year-old woman, both calves: pressure and fullness that
# start at the same point of every run and force her to stop, with tingling in the soles during runs only,
# gone within minutes of stopping. Examination at rest normal, no tenderness; heel raise 32 and 33 (norm
# 30, side "both" so no LSI): no flag.
# True findings: F2 F3 F4 F22 F24 F25 F26 F27.
#   cecs:            F2 +1, F3 +2, F4 +2, F24 +2, F25 +2, F26 +1, F27 +2 = 12
#   overload:        F2 +2, F3 +2, F4 +1, F25 +1, F26 +1, F27 +1 = 8
#   silent_soleus:   F2 +2, F3 +1, F26 -1, F27 -1 = 1
#   neural:          F2 +1, F3 +1, F22 -2, F24 +1, F26 -1 = 0
#   cramp:           F2 -1, F4 +1 = 0
#   doms:            F3 -1, F4 -1, F26 +1 = -1
#   fibular_sf:      F2 +1, F4 -1, F26 -1, F27 -1 = -2
#   soleus:          F2 -1, F3 -1, F4 -1, F26 -1, F27 -1 = -5
#   dvt:             F3 -1, F4 -2, F26 -1, F27 -1 = -5
#   gastrocnemius:   F2 -2, F3 -1, F4 -1, F26 -1, F27 -2 = -7
# Gap 12 - 8 = 4 -> not low confidence.
CECS = _assessment(
    age=27,
    sex="female",
    side="both",
    history={
        "onset": "gradual",
        "onset_activity": "steady_run",
        "pain_builds_predictably_in_run": True,
        "settles_within_minutes_of_stopping": True,
        "pain_location": "diffuse",
        "foot_tingling_or_numbness": "exercise_only",
        "pressure_or_fullness_during_exercise": True,
    },
    examination={"normal_at_rest": True},
    heel_raise={"left_reps": 32, "right_reps": 33, "stopped_by_pain": "none", "reproduced_symptoms": False},
)
CECS_RANKING = [
    _entry("cecs", 12, ["F2", "F3", "F4", "F24", "F25", "F26", "F27"], []),
    _entry("overload", 8, ["F2", "F3", "F4", "F25", "F26", "F27"], []),
    _entry("silent_soleus_strain", 1, ["F2", "F3"], ["F26", "F27"]),
    _entry("neural", 0, ["F2", "F3", "F24"], ["F22", "F26"]),
    _entry("cramp", 0, ["F4"], ["F2"]),
    _entry("doms", -1, ["F26"], ["F3", "F4"]),
    _entry("fibular_stress_fracture", -2, ["F2"], ["F4", "F26", "F27"]),
    _entry("soleus_strain", -5, [], ["F2", "F3", "F4", "F26", "F27"]),
    _entry("dvt", -5, [], ["F3", "F4", "F26", "F27"]),
    _entry("gastrocnemius_strain", -7, [], ["F2", "F3", "F4", "F26", "F27"]),
]

# 7. DVT. 62-year-old woman, back from a long-haul flight to a race abroad: a calf ache that crept up
# (not while running), now swollen, warm and red, aching walking and at night. Deep-vein tenderness, calf
# 3 cm bigger, pitting oedema; no other diagnosis as likely: Wells 3 (likely, high) -> dvt flag -> dvt on
# top. The heel raise is not done (no provocative tests on a suspected DVT), so F18 is unanswered.
# True findings: F2 F8 F9 F14 F15 F22 F29 (age 62).
#   dvt:             F8 +1, F9 +1, F14 +2, F15 +2, F29 +1 = 7
#   fibular_sf:      F2 +1, F8 +1, F9 +1 = 3
#   soleus:          F2 -1, F8 +1, F14 +1, F29 +1 = 2
#   silent_soleus:   F2 +2, F9 -1, F29 +1 = 2
#   gastrocnemius:   F2 -2, F8 +1, F14 +1, F29 +1 = 1
#   neural:          F2 +1, F9 +1, F22 -2 = 0
#   doms:            F8 +1, F14 -1 = 0
#   cramp:           F2 -1, F8 -1 = -2
#   overload:        F2 +2, F8 -1, F9 -2, F14 -2 = -3
#   cecs:            F2 +1, F8 -2, F9 -1, F14 -1 = -3
# Gap 7 - 3 = 4 -> not low confidence.
DVT = _assessment(
    age=62,
    sex="female",
    history={
        "onset": "gradual",
        "onset_activity": "not_running",
        "pain_walking_or_daily_activity": True,
        "pain_at_rest_or_night": True,
        "pain_location": "diffuse",
    },
    examination={"calf_swelling_warmth_or_redness": True},
    red_flags={
        "wells": wells(deep_vein_tenderness=True, calf_swelling_3cm=True, pitting_oedema_symptomatic_leg=True),
        "dvt_risk_factors": ["long_travel", "age_over_60"],
    },
)
DVT_RANKING = [
    _entry("dvt", 7, ["F8", "F9", "F14", "F15", "F29"], []),
    _entry("fibular_stress_fracture", 3, ["F2", "F8", "F9"], []),
    _entry("soleus_strain", 2, ["F8", "F14", "F29"], ["F2"]),
    _entry("silent_soleus_strain", 2, ["F2", "F29"], ["F9"]),
    _entry("gastrocnemius_strain", 1, ["F8", "F14", "F29"], ["F2"]),
    _entry("neural", 0, ["F2", "F9"], ["F22"]),
    _entry("doms", 0, ["F8"], ["F14"]),
    _entry("cramp", -2, [], ["F2", "F8"]),
    _entry("overload", -3, ["F2"], ["F8", "F9", "F14"]),
    _entry("cecs", -3, ["F2"], ["F8", "F9", "F14"]),
]

# 8. Fibular stress fracture. 24-year-old woman with irregular periods, mileage up and a move to road:
# lateral leg pain that built up over weeks, now on walking and at night; focal tenderness over the distal
# fibula. Heel raise 31 vs 32 (norm 30, LSI 97%): no flag.
# True findings: F2 F8 F9 F12 F22 F28 F30.
#   fibular_sf:      F2 +1, F8 +1, F9 +1, F12 +2, F28 +1, F30 +2 = 8
#   dvt:             F8 +1, F9 +1 = 2
#   doms:            F8 +1, F28 +1 = 2
#   silent_soleus:   F2 +2, F9 -1, F12 -1, F28 +1 = 1
#   overload:        F2 +2, F8 -1, F9 -2, F12 -1, F28 +2 = 0
#   soleus:          F2 -1, F8 +1, F12 -1, F28 +1 = 0
#   neural:          F2 +1, F9 +1, F22 -2 = 0
#   gastrocnemius:   F2 -2, F8 +1, F12 -1, F28 +1 = -1
#   cramp:           F2 -1, F8 -1, F28 +1 = -1
#   cecs:            F2 +1, F8 -2, F9 -1 = -2
# Gap 8 - 2 = 6 -> not low confidence.
FIBULAR_STRESS_FRACTURE = _assessment(
    age=24,
    sex="female",
    history={
        "onset": "gradual",
        "onset_activity": "steady_run",
        "pain_walking_or_daily_activity": True,
        "pain_at_rest_or_night": True,
        "pain_location": "lateral_fibula",
        "recent_load_changes": ["mileage_increase", "surface_change"],
        "bone_health_risk": True,
    },
    examination={"focal_fibula_tenderness": True, "hop_pain": True},
    heel_raise={"left_reps": 31, "right_reps": 32, "stopped_by_pain": "none", "reproduced_symptoms": False},
)
FIBULAR_STRESS_FRACTURE_RANKING = [
    _entry("fibular_stress_fracture", 8, ["F2", "F8", "F9", "F12", "F28", "F30"], []),
    _entry("dvt", 2, ["F8", "F9"], []),
    _entry("doms", 2, ["F8", "F28"], []),
    _entry("silent_soleus_strain", 1, ["F2", "F28"], ["F9", "F12"]),
    _entry("overload", 0, ["F2", "F28"], ["F8", "F9", "F12"]),
    _entry("soleus_strain", 0, ["F8", "F28"], ["F2", "F12"]),
    _entry("neural", 0, ["F2", "F9"], ["F22"]),
    _entry("gastrocnemius_strain", -1, ["F8", "F28"], ["F2", "F12"]),
    _entry("cramp", -1, ["F28"], ["F2", "F8"]),
    _entry("cecs", -2, ["F2"], ["F8", "F9"]),
]

# 9. Exercise-associated cramp. 35-year-old man who has cramped in races before: at 35 km of a hot
# marathon his calf knotted suddenly; it eased within minutes of stopping and stretching, but he walked in.
# No tenderness today; heel raise 38 and 38 (norm 32): no flag.
# True findings: F1 F4 F7 F22 F31.
#   cramp:           F1 +1, F4 +1, F7 +2, F31 +2 = 6
#   cecs:            F1 -1, F4 +2 = 1
#   overload:        F1 -1, F4 +1 = 0
#   gastrocnemius:   F1 +2, F4 -1, F7 -1 = 0
#   soleus:          F1 +1, F4 -1 = 0
#   silent_soleus:   F1 -2 = -2
#   dvt:             F4 -2 = -2
#   fibular_sf:      F1 -1, F4 -1 = -2
#   neural:          F1 -1, F22 -2 = -3
#   doms:            F1 -2, F4 -1 = -3
# Gap 6 - 1 = 5 -> not low confidence.
CRAMP = _assessment(
    age=35,
    sex="male",
    history={
        "onset": "sudden",
        "onset_activity": "late_long_run",
        "onset_sensation": "cramp",
        "settles_within_minutes_of_stopping": True,
        "involuntary_cramp_episode": True,
        "previous_race_cramping": True,
    },
    heel_raise={"left_reps": 38, "right_reps": 38, "stopped_by_pain": "none", "reproduced_symptoms": False},
)
CRAMP_RANKING = [
    _entry("cramp", 6, ["F1", "F4", "F7", "F31"], []),
    _entry("cecs", 1, ["F4"], ["F1"]),
    _entry("overload", 0, ["F4"], ["F1"]),
    _entry("gastrocnemius_strain", 0, ["F1"], ["F4", "F7"]),
    _entry("soleus_strain", 0, ["F1"], ["F4"]),
    _entry("silent_soleus_strain", -2, [], ["F1"]),
    _entry("dvt", -2, [], ["F4"]),
    _entry("fibular_stress_fracture", -2, [], ["F1", "F4"]),
    _entry("neural", -3, [], ["F1", "F22"]),
    _entry("doms", -3, [], ["F1", "F4"]),
]

# 10. DOMS. 29-year-old woman, two days after her first downhill trail race: both calves sore and tender,
# stiff on stairs and walking, nothing at rest; no change in her usual training; "did it start suddenly or
# build up?" - unsure. "Could you keep running?" does not apply (left unanswered). Sore calves: no heel
# raise today, so F18 and F32 are unanswered.
# True findings: F6 F8 F19 F22 F26.
#   doms:            F6 +2, F8 +1, F19 +1, F26 +1 = 5
#   overload:        F6 +1, F8 -1, F19 +1, F26 +1 = 2
#   gastrocnemius:   F6 -1, F8 +1, F19 +1, F26 -1 = 0
#   soleus:          F6 -1, F8 +1, F19 +1, F26 -1 = 0
#   silent_soleus:   F19 +1, F26 -1 = 0
#   cecs:            F8 -2, F26 +1 = -1
#   dvt:             F6 -1, F8 +1, F26 -1 = -1
#   fibular_sf:      F6 -1, F8 +1, F26 -1 = -1
#   cramp:           F8 -1 = -1
#   neural:          F19 -1, F22 -2, F26 -1 = -4
# Gap 5 - 2 = 3 -> not low confidence.
DOMS = _assessment(
    age=29,
    sex="female",
    side="both",
    history={
        "onset": "unsure",
        "onset_activity": "not_running",
        "could_continue_running": None,
        "delayed_soreness_after_unaccustomed_session": True,
        "pain_walking_or_daily_activity": True,
        "pain_location": "diffuse",
    },
    examination={"local_muscle_tenderness": True},
)
DOMS_RANKING = [
    _entry("doms", 5, ["F6", "F8", "F19", "F26"], []),
    _entry("overload", 2, ["F6", "F19", "F26"], ["F8"]),
    _entry("gastrocnemius_strain", 0, ["F8", "F19"], ["F6", "F26"]),
    _entry("soleus_strain", 0, ["F8", "F19"], ["F6", "F26"]),
    _entry("silent_soleus_strain", 0, ["F19"], ["F26"]),
    _entry("cecs", -1, ["F26"], ["F8"]),
    _entry("dvt", -1, ["F8"], ["F6", "F26"]),
    _entry("fibular_stress_fracture", -1, ["F8"], ["F6", "F26"]),
    _entry("cramp", -1, [], ["F8"]),
    _entry("neural", -4, [], ["F19", "F22", "F26"]),
]

# (document, expected ranking, low confidence, expected red-flag codes)
WORKED_CASES = {
    "overload": (OVERLOAD, OVERLOAD_RANKING, False, []),
    "gastrocnemius_strain": (GASTROCNEMIUS, GASTROCNEMIUS_RANKING, False, []),
    "soleus_strain": (SOLEUS, SOLEUS_RANKING, True, []),
    "silent_soleus_strain": (SILENT_SOLEUS, SILENT_SOLEUS_RANKING, False, []),
    "neural": (NEURAL, NEURAL_RANKING, False, []),
    "cecs": (CECS, CECS_RANKING, False, []),
    "dvt": (DVT, DVT_RANKING, False, ["dvt"]),
    "fibular_stress_fracture": (
        FIBULAR_STRESS_FRACTURE,
        FIBULAR_STRESS_FRACTURE_RANKING,
        False,
        ["bone_stress_injury"],
    ),
    "cramp": (CRAMP, CRAMP_RANKING, False, []),
    "doms": (DOMS, DOMS_RANKING, False, []),
}


@pytest.mark.parametrize("condition", list(WORKED_CASES))
def test_worked_case_ranks_its_condition_first(condition: str) -> None:
    document, ranking, _, _ = WORKED_CASES[condition]

    evaluation = evaluate(document)

    assert evaluation["differential"][0]["condition"] == condition
    assert _ranking(evaluation) == ranking


@pytest.mark.parametrize("condition", list(WORKED_CASES))
def test_worked_case_confidence(condition: str) -> None:
    document, _, low_confidence, _ = WORKED_CASES[condition]

    assert evaluate(document)["low_confidence"] is low_confidence


@pytest.mark.parametrize("condition", list(WORKED_CASES))
def test_worked_case_red_flags(condition: str) -> None:
    document, _, _, codes = WORKED_CASES[condition]

    assert flag_codes(evaluate(document)) == codes


def test_the_dvt_case_is_a_likely_wells_screen() -> None:
    evaluation = evaluate(DVT)

    # deep-vein tenderness +1, calf 3 cm +1, pitting oedema +1 = 3.
    assert evaluation["wells"] == {"score": 3, "category": "likely", "three_level": "high"}
    assert evaluation["urgency"] == "urgent"


def test_the_dvt_flag_moves_dvt_to_the_top_whatever_its_score() -> None:
    suspected = deep_merge(OVERLOAD, {"red_flags": {"dvt_suspected": True}})

    evaluation = evaluate(suspected)

    # Scores are unchanged (dvt_suspected is not a finding); dvt (-2) is moved first, the rest keep order.
    dvt_entry = next(entry for entry in OVERLOAD_RANKING if entry["condition"] == "dvt")
    others = [entry for entry in OVERLOAD_RANKING if entry["condition"] != "dvt"]
    assert _ranking(evaluation) == [dvt_entry, *others]
    assert flag_codes(evaluation) == ["dvt"]


# Few answers. Only F3 (pain builds), F5 (tightness lingers), F28 (mileage up) are true, and F26 is
# always answered (symptomatic_side is required). No patient, heel raise, neural or red-flag section.
#   overload: F3 +2, F5 +2, F28 +2 = 6;  silent_soleus: F3 +1, F5 +1, F28 +1 = 3  -> gap 3.
# Answered: F3 F5 F28 F26 = 4, plus each "no" answer listed in the case.
FEW_ANSWERS_HISTORY = {
    "pain_builds_predictably_in_run": True,
    "tightness_lingers_after_runs": True,
    "recent_load_changes": ["mileage_increase"],
}


@pytest.mark.parametrize(
    ("extra_history", "low_confidence"),
    [
        ({}, True),  # 4 answered
        ({"settles_within_minutes_of_stopping": False}, True),  # 5 answered
        # null is not an answer: still 5
        ({"settles_within_minutes_of_stopping": False, "pain_walking_or_daily_activity": None}, True),
        # two "no" answers: 6 answered, and the gap of 3 is more than 2
        ({"settles_within_minutes_of_stopping": False, "pain_walking_or_daily_activity": False}, False),
    ],
    ids=["4_answered", "5_answered", "5_answered_and_one_null", "6_answered"],
)
def test_fewer_than_six_answered_findings_is_low_confidence(
    extra_history: dict[str, Any], low_confidence: bool
) -> None:
    document = minimal_document(history={**FEW_ANSWERS_HISTORY, **extra_history})

    evaluation = evaluate(document)

    assert [entry["score"] for entry in evaluation["differential"][:2]] == [6, 3]
    assert evaluation["low_confidence"] is low_confidence


@pytest.mark.parametrize("document", [OVERLOAD, DVT, minimal_document()], ids=["overload", "dvt", "minimal"])
def test_the_notice_is_the_mandatory_wording(document: dict[str, Any]) -> None:
    assert evaluate(document)["notice"] == MANDATORY_NOTICE
