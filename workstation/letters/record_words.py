"""Words for the stored answers a letter quotes: history choices, risk factors, test responses, outcomes.

The choices are the contract's (shared/clinical/assessment-json.md) and the wizard's extras (``draft.py``);
the words say the same as the wizard's pages, written for a reader who was not in the room. A code with no
entry here is printed as the stored code, so a new contract value is visible rather than silently dropped.
"""

from __future__ import annotations

from workstation.clinical.wells import WELLS_ITEMS

YES, NO = "Yes", "No"
NONE_REPORTED = "None reported"

ONSET_WORDS = {"sudden": "Sudden, at an identifiable moment", "gradual": "Gradual, no single incident",
               "unsure": "Unsure"}  # fmt: skip
ONSET_ACTIVITY_WORDS = {
    "acceleration": "Accelerating", "sprint": "Sprinting", "hill": "Running uphill", "jump": "Jumping or landing",
    "steady_run": "Steady running", "late_long_run": "Late in a long run", "not_running": "Not running at the time",
    "unknown": "Not known",
}  # fmt: skip
SENSATION_WORDS = {
    "pop": "A pop", "pull": "A pull", "sharp": "Sharp pain", "cramp": "Cramp", "tightening": "Gradual tightening",
    "shot": "As if kicked or shot in the calf",
}  # fmt: skip
TINGLING_WORDS = {"none": "None", "exercise_only": "Only during exercise", "constant": "Constant or at rest"}
PAIN_LOCATION_WORDS = {
    "upper_medial": "Upper inner calf", "mid": "Mid calf", "low_above_achilles": "Low calf above the Achilles",
    "lateral_fibula": "Outer leg over the fibula", "diffuse": "Diffuse, several areas",
}  # fmt: skip
LOAD_CHANGE_WORDS = {
    "mileage_increase": "more distance", "hills": "more hills", "speed_work": "speed work",
    "intensity": "harder sessions", "back_after_break": "back after a break",
    "barefoot_or_minimal_shoes": "barefoot or minimal shoes", "lower_drop_shoes": "lower-drop shoes",
    "new_or_worn_shoes": "new or worn-out shoes", "forefoot_strike": "changed to forefoot striking",
    "surface_change": "a new surface", "gym_same_or_previous_day": "gym work the same or previous day",
    "new_acceleration_sport": "a new sport with sprints or jumps",
}  # fmt: skip
DVT_RISK_WORDS = {
    "long_travel": "long journey recently", "hospital_stay": "hospital stay", "recent_surgery": "recent surgery",
    "immobilisation": "immobilisation", "active_cancer": "active cancer", "previous_dvt_pe": "previous DVT or PE",
    "family_history": "family history of clots", "oestrogen_therapy": "oestrogen (pill or HRT)",
    "pregnancy_postpartum": "pregnant or recently given birth", "smoker": "smoker", "overweight": "overweight",
    "age_over_60": "over 60",
}  # fmt: skip
# History answers worth a line when answered (yes or no), in the wizard's order.
HISTORY_FEATURES: tuple[tuple[str, str], ...] = (
    ("pain_builds_predictably_in_run", "Pain builds predictably during runs"),
    ("settles_within_minutes_of_stopping", "Settles within minutes of stopping"),
    ("tightness_lingers_after_runs", "Tightness lingers 1-2 days after runs"),
    ("delayed_soreness_after_unaccustomed_session", "Delayed soreness after an unaccustomed session"),
    ("involuntary_cramp_episode", "Involuntary cramp"),
    ("pain_walking_or_daily_activity", "Pain walking or in daily activity"),
    ("pain_at_rest_or_night", "Pain at rest or at night"),
    ("bruising", "Bruising"),
    ("pressure_or_fullness_during_exercise", "Pressure or fullness during exercise"),
)
EXAMINATION_FINDINGS: tuple[tuple[str, str], ...] = (  # (key, words): palpation, hop test, the calf itself
    ("local_muscle_tenderness", "Palpation: local muscle tenderness"),
    ("focal_fibula_tenderness", "Palpation: focal tenderness over the fibula"),
    ("hop_pain", "Hop test: pain on single-leg hopping"),
    ("calf_swelling_warmth_or_redness", "Calf swelling, warmth or redness (one side)"),
    ("straight_knee_loading_worse_than_bent", "Loading worse with the knee straight than bent"),
    ("bent_knee_loading_worse_than_straight", "Loading worse with the knee bent than straight"),
)
FLAGGED_WHEN_YES = frozenset({"focal_fibula_tenderness", "hop_pain", "calf_swelling_warmth_or_redness"})
# Examination answers that are tests the clinician may leave undone (a suspected DVT: no provocative tests,
# CLINICAL.md 5.2): unanswered, they go on the "Not tested" line rather than a row of "–".
EXAMINATION_TESTS = frozenset({"hop_pain", "straight_knee_loading_worse_than_bent",
                               "bent_knee_loading_worse_than_straight"})  # fmt: skip
# An unremarkable examination finding, as it reads in the one "Examination: …" line under the findings table
# (a remarkable one keeps its own row). Every finding is unremarkable when "No".
EXAMINATION_UNREMARKABLE: dict[str, tuple[bool, str]] = {
    "local_muscle_tenderness": (False, "no local muscle tenderness"),
    "focal_fibula_tenderness": (False, "no focal fibula tenderness"),
    "hop_pain": (False, "no pain hopping"),
    "calf_swelling_warmth_or_redness": (False, "no calf swelling, warmth or redness"),
    "straight_knee_loading_worse_than_bent": (False, "loading no worse with the knee straight"),
    "bent_knee_loading_worse_than_straight": (False, "loading no worse with the knee bent"),
}
# "Examination normal at rest" is a pointer to exertional compartment syndrome (CLINICAL.md 5.3: "examination
# at rest often normal"; 6.2 F27), not a verdict on the examination: printed only when true, in the line under
# the table, so a "No" can never read as "abnormal at rest". A "no" or no answer says nothing the rows of the
# findings do not: it is left out. The bracket is added only when the history says there is no pain at rest.
NORMAL_AT_REST = "normal at rest"
NORMAL_AT_REST_EXERCISE_ONLY = "normal at rest (symptoms only with exercise)"
# The tests a letter lists as "Not tested" when they were not done, in the findings table's order.
NOT_TESTED_WORDS: dict[str, str] = {
    "heel_raise": "heel raise",
    "knee_to_wall": "knee to wall",
    "slump": "slump",
    "straight_leg_raise": "straight-leg raise",
    "hop_pain": "hop test",
    "straight_knee_loading_worse_than_bent": "loading with the knee straight and bent",
    "bent_knee_loading_worse_than_straight": "loading with the knee straight and bent",
}
NOT_TESTED = "Not tested: {tests}."
# CLINICAL.md 5.2: on a positive DVT screen the clinician stops calf loading and runs no provocative tests.
NOT_TESTED_FOR_DVT = "Not tested, as a DVT is suspected (no calf loading or provocative tests): {tests}."
# Both loading comparisons unremarkable read as one.
LOADING_SAME = "loading no worse with the knee straight or bent"
# Relevant history (CLINICAL.md 9.1 item 4) asked as yes/no: (key, words that read after "reported:").
PAST_HISTORY: tuple[tuple[str, str], ...] = (
    ("previous_calf_strain", "a previous calf strain"),
    ("back_buttock_or_thigh_symptoms", "back, buttock or thigh symptoms"),
    ("bone_health_risk", "bone-health risk (RED-S signs, low BMI, past bone stress injury)"),
    ("previous_race_cramping", "cramping in previous races"),
)
RESPONSE_WORDS = {
    "familiar": "reproduced the familiar symptoms", "stretch_only": "stretch only",
    "abnormal_other": "other abnormal response", "none": "no response",
}  # fmt: skip
DIFFERENTIATION_WORDS = {
    "eased": "eased by structural differentiation", "worse": "worse with structural differentiation",
    "no_change": "unchanged by structural differentiation", "not_done": "no structural differentiation",
}  # fmt: skip
HEEL_RAISE_STOPPED = {
    "height": "could not keep full height", "cadence": "could not keep the pace",
    "alignment": "knee or trunk position lost", "support": "needed more than fingertip support",
    "pain": "stopped by pain", "fatigue": "stopped by fatigue",
}  # fmt: skip
WELLS_WORDING = {item.key: item.wording for item in WELLS_ITEMS}
WELLS_INCOMPLETE = "Incomplete – DVT cannot be ruled out"  # RELIABILITY.md J3: never "unlikely"
WELLS_NOT_ASSESSED_LINE = "Wells score not assessed – DVT cannot be ruled out: follow the local DVT pathway."
WELLS_CATEGORY = {"likely": "DVT likely", "unlikely": "DVT unlikely"}
WELLS_FOLLOW = "A Wells score cannot rule out DVT in a physiotherapy setting: follow the local DVT pathway."
VERDICT_WORDS = {
    "improved": "Important improvement",
    "worse": "Important worsening",
    "no_important_change": "No important change",
}
RECURRENCE_ADVICE = (
    "To reduce the chance of it coming back: keep the calves strong, stay conditioned, and build back up "
    "gradually after any break from running."
)  # CLINICAL.md 8.7 [S4]


def yes_no(value: object) -> str:
    """ "Yes" / "No" for a stored answer, "–" when it was not answered (never read as a no)."""
    if value is True:
        return YES
    if value is False:
        return NO
    return "–"


def lower_first(words: str) -> str:
    """ "Pain at rest" -> "pain at rest", for a label that reads inside a sentence or a list."""
    return words[:1].lower() + words[1:]
