"""One calf assessment, as the clinical engine reads it (``calfdesk.assessment/1``).

The field names are the JSON keys of the contract (``docs/assessment-contract.md``), so a validated
document maps onto these records one to one. ``None`` always means "not answered": the engine never
reads it as "no" (a screen with unanswered items is incomplete, not negative).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Side = Literal["left", "right", "both"]
Sex = Literal["male", "female", "other", "unknown"]
TestResult = Literal["positive", "negative", "inconclusive", "not_tested"]

SCHEMA = "calfdesk.assessment/1"


@dataclass(frozen=True, slots=True)
class PatientFacts:
    """What the engine needs about the person: age on the day (completed years) and sex."""

    age_years: int | None = None
    sex: Sex | None = None


@dataclass(frozen=True, slots=True)
class History:
    onset: Literal["sudden", "gradual", "unsure"] | None = None
    onset_activity: str | None = None
    onset_sensation: str | None = None
    could_continue_running: bool | None = None
    pain_builds_predictably_in_run: bool | None = None
    settles_within_minutes_of_stopping: bool | None = None
    tightness_lingers_after_runs: bool | None = None
    delayed_soreness_after_unaccustomed_session: bool | None = None
    involuntary_cramp_episode: bool | None = None
    pain_walking_or_daily_activity: bool | None = None
    pain_at_rest_or_night: bool | None = None
    pain_location: str | None = None
    bruising: bool | None = None
    back_buttock_or_thigh_symptoms: bool | None = None
    foot_tingling_or_numbness: Literal["none", "exercise_only", "constant"] | None = None
    pressure_or_fullness_during_exercise: bool | None = None
    recent_load_changes: tuple[str, ...] | None = None
    previous_calf_strain: bool | None = None
    bone_health_risk: bool | None = None
    previous_race_cramping: bool | None = None
    nprs_now: int | None = None
    nprs_worst_24h: int | None = None
    nprs_during_run: int | None = None


@dataclass(frozen=True, slots=True)
class Examination:
    calf_swelling_warmth_or_redness: bool | None = None
    local_muscle_tenderness: bool | None = None
    focal_fibula_tenderness: bool | None = None
    hop_pain: bool | None = None
    straight_knee_loading_worse_than_bent: bool | None = None
    bent_knee_loading_worse_than_straight: bool | None = None
    normal_at_rest: bool | None = None


@dataclass(frozen=True, slots=True)
class HeelRaiseTest:
    """One single-leg heel-raise test, with the protocol it was done by (CLINICAL.md 2.1)."""

    left_reps: int | None = None
    right_reps: int | None = None
    protocol: Literal["incline_10deg_60bpm", "flat_floor", "step", "other"] | None = None
    knee: Literal["straight", "bent"] | None = None
    stopped_by_pain: Literal["none", "left", "right", "both"] | None = None
    reproduced_symptoms: bool | None = None


@dataclass(frozen=True, slots=True)
class KneeToWallTest:
    left_cm: float | None = None
    right_cm: float | None = None


@dataclass(frozen=True, slots=True)
class NeuralTests:
    slump: TestResult | None = None
    straight_leg_raise: TestResult | None = None
    neurological_deficit: bool | None = None


@dataclass(frozen=True, slots=True)
class WellsAnswers:
    """The ten NICE two-level Wells items; ``None`` is an item nobody answered."""

    active_cancer: bool | None = None
    paralysis_paresis_or_plaster: bool | None = None
    bedridden_3_days_or_major_surgery_12_weeks: bool | None = None
    deep_vein_tenderness: bool | None = None
    whole_leg_swollen: bool | None = None
    calf_swelling_3cm: bool | None = None
    pitting_oedema_symptomatic_leg: bool | None = None
    collateral_superficial_veins: bool | None = None
    previous_dvt: bool | None = None
    alternative_diagnosis_as_likely: bool | None = None


@dataclass(frozen=True, slots=True)
class RedFlagAnswers:
    wells: WellsAnswers | None = None  # None: the Wells screen was not done at all
    dvt_suspected: bool | None = None
    dvt_risk_factors: tuple[str, ...] | None = None
    pulmonary_embolism_symptoms: bool | None = None
    cauda_equina_signs: bool | None = None
    progressive_weakness: bool | None = None
    acute_compartment_signs: bool | None = None
    cellulitis_signs: bool | None = None
    systemic_illness: bool | None = None
    suspected_rupture: bool | None = None
    cold_pale_pulseless_foot: bool | None = None
    exercise_claudication: bool | None = None
    cancer_history_weight_loss_or_night_pain: bool | None = None
    severe_unexplained_pain: bool | None = None


@dataclass(frozen=True, slots=True)
class PsfsActivity:
    activity: str
    score: int | None = None


@dataclass(frozen=True, slots=True)
class Outcomes:
    psfs: tuple[PsfsActivity, ...] | None = None
    lefs_total: int | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    """A whole assessment. Sections nobody filled in are empty records (every answer ``None``)."""

    assessed_on_iso: str
    symptomatic_side: Side
    patient: PatientFacts = field(default_factory=PatientFacts)
    history: History = field(default_factory=History)
    examination: Examination = field(default_factory=Examination)
    heel_raise: HeelRaiseTest = field(default_factory=HeelRaiseTest)
    knee_to_wall: KneeToWallTest = field(default_factory=KneeToWallTest)
    neural: NeuralTests = field(default_factory=NeuralTests)
    red_flags: RedFlagAnswers = field(default_factory=RedFlagAnswers)
    outcomes: Outcomes = field(default_factory=Outcomes)
