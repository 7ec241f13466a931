"""Synthetic assessment histories for the demo: an initial assessment, then follow-ups over weeks to months.

Pure: it builds :class:`AssessmentDraft` objects, ready to finalise, from saved demo episodes; storing
them is the caller's job. Each course follows one episode's complaint (a gastrocnemius strain is assessed
as one, "? DVT" as a suspected DVT), so the ten conditions of the differential all appear. Most runners
improve (heel-raise reps climbing towards 30 and more, the limb symmetry gap closing, pain falling); about
one course in five relapses after a load spike and recovers again. A suspected DVT is assessed as the engine
asks (calf loading stopped, no provocative tests): its heel raise, hop and other loading tests are left
unrecorded, never "no". Every Wells item is answered, every raised red flag has its recorded action, and
every document is checked against the contract and evaluated with the engine here, so finalising cannot
refuse one.

One ``random.Random(seed)`` draws everything: equal seeds and inputs give equal histories.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from typing import Any, TypeVar

from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.plan import plan_for
from workstation.clinical.assessment import SCHEMA
from workstation.clinical.contract import WELLS_KEYS, completed_years, parse_assessment
from workstation.clinical.evaluate import evaluate
from workstation.clinical.heel_raise import age_sex_norm_reps
from workstation.clinical.walk_run import WALK_RUN_PHASES
from workstation.records import Episode

_T = TypeVar("_T")

DEFAULT_SHARE = 0.1  # of the episodes that get an assessment history
# Each assessment is its own transaction (finalising is, by design), about 10 ms on an encrypted file: the
# cap keeps a 100,000-patient demo within its minute. Demos of up to about 3,000 patients get the full share.
MAX_COURSES = 300
DVT_ACTION = "Phoned GP practice 11:20; patient sent to ED for a scan"
# What a clinician records for each flag the demo raises (CLINICAL.md section 5 tiers).
RED_FLAG_ACTIONS: dict[str, str] = {
    "dvt": DVT_ACTION,
    "popliteal_artery_entrapment": "Letter to GP the same day asking for a vascular referral; no running until seen",
    "bone_stress_injury": "Phoned GP practice 15:40 to ask for an MRI of the fibula; no running or hopping meanwhile",
}
FOLLOW_UPS = (1, 2, 2, 3, 3, 3, 4, 4, 5)  # drawn evenly: most courses have two to four follow-ups
_RELAPSE_SHARE = 0.2
_REFERRED = ("dvt", "other")
_RED_FLAG_WEIGHT = 2.0  # same-day referrals are 1 in 70 demo episodes; assessed twice as often as the rest
_NO_FLAGS = {
    "dvt_suspected": False, "dvt_risk_factors": [], "pulmonary_embolism_symptoms": False,
    "cauda_equina_signs": False, "progressive_weakness": False, "acute_compartment_signs": False,
    "cellulitis_signs": False, "systemic_illness": False, "suspected_rupture": False,
    "cold_pale_pulseless_foot": False, "exercise_claudication": False,
    "cancer_history_weight_loss_or_night_pain": False, "severe_unexplained_pain": False,
}  # fmt: skip
_PSFS_ACTIVITIES = (
    "Run 10 km", "Parkrun at race pace", "Hill repeats", "Long run of 90 minutes", "Track intervals",
    "Walk the dog for an hour", "Stairs at work", "Five-a-side football", "Run to work and back",
)  # fmt: skip
_SPIKES = (
    ("mileage_increase", "speed_work"),
    ("hills", "intensity"),
    ("back_after_break", "mileage_increase"),
    ("new_acceleration_sport",),
)
SPIKE_NOTES = (
    "Flared up after jumping from 30 to 55 km in a week before a race.",
    "Sore again after a hilly trail race two weekends running.",
    "Relapse after a fortnight off work, then straight back to full training.",
    "Flared playing five-a-side football for the first time in years.",
)


@dataclass(frozen=True, slots=True)
class DemoEpisode:
    """What a course needs about one saved episode and its patient (contract spellings for sex and side)."""

    patient_id: int
    episode_id: int
    date_of_birth: date
    sex: str  # "male" | "female" | "other" | "unknown"
    side: str  # "left" | "right" | "both"
    complaint: str
    onset_date: date | None
    end_date: date | None  # the discharge date, if discharged


@dataclass(frozen=True, slots=True)
class DemoAssessment:
    """One assessment of a course, ready for ``AssessmentService.finalise(draft, ..., at=at)``."""

    draft: AssessmentDraft
    at: datetime  # when it was finalised: the day of the assessment, in clinic hours (UTC)


@dataclass(frozen=True, slots=True)
class _Profile:
    """How a condition presents (history and examination answers that differ from "no"), and its plan."""

    condition: str  # the working impression: one of the ten, or "other"
    pathway: str  # a plan pathway (workstation.assessment.plan)
    impression: str
    history: dict[str, Any]
    examination: dict[str, Any]
    flags: dict[str, Any] | None = None  # red-flag answers that differ from "no"
    referred: bool = False  # seen once and sent on the same day: no follow-ups
    loading_stopped: bool = False  # a suspected DVT: no heel raise, hop or other provocative test is run
    load_advice: str = ""  # instead of the pathway's own


# fmt: off
_PROFILES: dict[str, _Profile] = {profile.condition: profile for profile in (
    _Profile("overload", "overload", "Calf overload after a quick rise in mileage",
             {"onset": "gradual", "onset_activity": "steady_run", "onset_sensation": "tightening",
              "could_continue_running": True, "pain_builds_predictably_in_run": True,
              "tightness_lingers_after_runs": True, "pain_location": "mid",
              "recent_load_changes": ["mileage_increase", "hills"]},
             {}),
    _Profile("gastrocnemius_strain", "acute_strain", "Medial gastrocnemius strain",
             {"onset": "sudden", "onset_activity": "acceleration", "onset_sensation": "pop",
              "could_continue_running": False, "pain_walking_or_daily_activity": True,
              "pain_location": "upper_medial", "bruising": True, "recent_load_changes": ["speed_work"]},
             {"straight_knee_loading_worse_than_bent": True}),
    _Profile("soleus_strain", "acute_strain", "Acute soleus strain",
             {"onset": "sudden", "onset_activity": "hill", "onset_sensation": "pull",
              "could_continue_running": False, "pain_walking_or_daily_activity": True,
              "pain_location": "low_above_achilles", "recent_load_changes": ["hills"]},
             {"bent_knee_loading_worse_than_straight": True}),
    _Profile("silent_soleus_strain", "overload", "Low-grade soleus strain, gradual onset",
             {"onset": "gradual", "onset_activity": "late_long_run", "onset_sensation": "tightening",
              "could_continue_running": True, "tightness_lingers_after_runs": True,
              "pain_location": "low_above_achilles", "recent_load_changes": ["lower_drop_shoes"]},
             {"bent_knee_loading_worse_than_straight": True}),
    _Profile("neural", "neural", "Calf pain referred from the lower back, with neural sensitivity",
             {"onset": "gradual", "onset_activity": "steady_run", "onset_sensation": "shot",
              "could_continue_running": True, "back_buttock_or_thigh_symptoms": True,
              "pain_at_rest_or_night": True, "foot_tingling_or_numbness": "exercise_only",
              "pain_location": "diffuse"},
             {"local_muscle_tenderness": False}),
    _Profile("cecs", "cecs_referral", "Possible chronic exertional compartment syndrome",
             {"onset": "gradual", "onset_activity": "steady_run", "onset_sensation": "tightening",
              "could_continue_running": True, "pain_builds_predictably_in_run": True,
              "settles_within_minutes_of_stopping": True, "pressure_or_fullness_during_exercise": True,
              "foot_tingling_or_numbness": "exercise_only", "pain_location": "diffuse"},
             {"normal_at_rest": True, "local_muscle_tenderness": False, "hop_pain": False}),
    _Profile("dvt", "dvt_referral", "Suspected deep vein thrombosis",
             {"onset": "unsure", "onset_activity": "not_running", "onset_sensation": "tightening",
              "could_continue_running": False, "pain_walking_or_daily_activity": True,
              "pain_at_rest_or_night": True, "pain_location": "diffuse"},
             {"calf_swelling_warmth_or_redness": True, "local_muscle_tenderness": True},
             flags={"dvt_suspected": True, "dvt_risk_factors": ["long_travel"]}, referred=True,
             loading_stopped=True),
    _Profile("fibular_stress_fracture", "bone_stress_referral", "Suspected fibular bone stress injury",
             {"onset": "gradual", "onset_activity": "steady_run", "onset_sensation": "sharp",
              "could_continue_running": True, "pain_walking_or_daily_activity": True,
              "pain_location": "lateral_fibula", "recent_load_changes": ["surface_change", "mileage_increase"]},
             {"focal_fibula_tenderness": True, "local_muscle_tenderness": False}),
    _Profile("cramp", "cramp", "Exercise-associated calf cramp late in a long run",
             {"onset": "sudden", "onset_activity": "late_long_run", "onset_sensation": "cramp",
              "could_continue_running": True, "involuntary_cramp_episode": True, "previous_race_cramping": True,
              "pain_location": "mid", "recent_load_changes": ["mileage_increase"]},
             {"local_muscle_tenderness": False}),
    _Profile("doms", "doms", "Delayed-onset soreness after a steep downhill session",
             {"onset": "gradual", "onset_activity": "hill", "onset_sensation": "tightening",
              "could_continue_running": True, "delayed_soreness_after_unaccustomed_session": True,
              "tightness_lingers_after_runs": True, "pain_location": "diffuse", "recent_load_changes": ["hills"]},
             {}),
    _Profile("other", "cecs_referral", "Exertional calf pain with a cold foot, ? popliteal artery entrapment",
             {"onset": "gradual", "onset_activity": "steady_run", "onset_sensation": "tightening",
              "could_continue_running": False, "pain_builds_predictably_in_run": True,
              "settles_within_minutes_of_stopping": True, "pain_location": "diffuse"},
             {"normal_at_rest": True, "local_muscle_tenderness": False, "hop_pain": False},
             flags={"exercise_claudication": True}, referred=True,
             load_advice="No running until a vascular surgeon has seen you; walking and cycling are fine."),
)}
# fmt: on
_HISTORY_NO = {
    key: False
    for key in (
        "could_continue_running",
        "pain_builds_predictably_in_run",
        "settles_within_minutes_of_stopping",
        "tightness_lingers_after_runs",
        "delayed_soreness_after_unaccustomed_session",
        "involuntary_cramp_episode",
        "pain_walking_or_daily_activity",
        "pain_at_rest_or_night",
        "bruising",
        "back_buttock_or_thigh_symptoms",
        "pressure_or_fullness_during_exercise",
        "previous_race_cramping",
    )
}  # fmt: skip
_EXAMINATION_NO = {
    "calf_swelling_warmth_or_redness": False, "local_muscle_tenderness": True, "focal_fibula_tenderness": False,
    "hop_pain": True, "straight_knee_loading_worse_than_bent": False, "bent_knee_loading_worse_than_straight": False,
    "normal_at_rest": False,
}  # fmt: skip


def condition_for(complaint: str) -> str:
    """The working impression a demo episode's complaint text stands for (a code of the ten, or "other")."""
    text = complaint.casefold()
    for words, condition in (
        ("dvt", "dvt"), ("compartment", "cecs"), ("l5/s1", "neural"), ("popliteal", "other"),
        ("achilles-soleus", "silent_soleus_strain"), ("cramping", "cramp"),
    ):  # fmt: skip
        if words in text:
            return condition
    gradual = any(words in text for words in ("gradual", "mileage", "minimal shoes", "recurrent", "cambered"))
    if "soleus" in text:
        return "silent_soleus_strain" if gradual else "soleus_strain"
    if "strain" in text or "tear" in text:
        return "overload" if gradual else "gastrocnemius_strain"
    if "at 32 km" in text:
        return "cramp"
    if "trail descent" in text:
        return "doms"
    return "fibular_stress_fracture" if gradual else "overload"  # deep posterior calf pain


def pick_episodes(
    episodes: Sequence[Episode], seed: int, share: float = DEFAULT_SHARE, *, limit: int = MAX_COURSES
) -> list[Episode]:
    """About ``share`` of the demo's episodes, at most ``limit``, to be given an assessment history.

    Spread over the whole list (a big demo takes a smaller share rather than only its first patients).
    The same-day referrals (a suspected DVT, a vascular cause) are picked more often, so that about one
    course in 40 starts with a red flag and even a small demo shows one.
    """
    rng = Random(seed)
    share = min(share, limit / max(1, len(episodes)))
    picked = []
    for episode in episodes:
        chance = min(1.0, share * _RED_FLAG_WEIGHT) if condition_for(episode.complaint) in _REFERRED else share
        if rng.random() < chance:
            picked.append(episode)
    return picked[:limit]


def generate_assessment_courses(
    episodes: Iterable[DemoEpisode], seed: int, today: date
) -> Iterator[list[DemoAssessment]]:
    """An assessment history for each of ``episodes`` (none for one whose dates leave no room for a visit).

    Args:
        episodes: saved demo episodes with their patients' facts.
        seed: equal seeds and inputs give equal courses.
        today: no assessment lies after it, nor after the episode's discharge, nor before its onset.
    """
    maker = _CourseMaker(Random(seed), today)
    for episode in episodes:
        course = maker.course(episode, condition_for(episode.complaint))
        if course:
            yield course


class _CourseMaker:
    def __init__(self, rng: Random, today: date) -> None:
        self.rng = rng
        self.today = today

    def pick(self, options: Sequence[_T]) -> _T:
        return options[int(self.rng.random() * len(options))]

    def course(self, episode: DemoEpisode, condition: str) -> list[DemoAssessment]:
        profile = _PROFILES[condition]
        days = self._visit_days(episode, profile)
        if not days:
            return []
        rng = self.rng
        people = _Baseline.draw(rng, episode, days[0], profile)
        relapse_at = rng.randrange(2, len(days)) if len(days) > 2 and rng.random() < _RELAPSE_SHARE else None
        course: list[DemoAssessment] = []
        recovery = 0.0
        for index, day in enumerate(days):
            spike = index == relapse_at
            if spike:
                recovery *= 0.35  # the load spike undoes most of the progress so far
            elif index:
                progress = index / (len(days) - 1)
                recovery = min(1.0, max(0.0, 1 - (1 - progress) ** 1.4 + rng.uniform(-0.05, 0.05)))
            draft = self._draft(episode, profile, people, day, recovery, index, spike)
            course.append(DemoAssessment(draft, self._clinic_time(day)))
        return course

    def _visit_days(self, episode: DemoEpisode, profile: _Profile) -> list[date]:
        rng = self.rng
        end = min(episode.end_date or self.today, self.today)
        if episode.onset_date is not None:
            first = episode.onset_date + timedelta(days=0 if profile.referred else rng.randrange(1, 11))
        else:
            first = self.today - timedelta(days=rng.randrange(30, 300))
        first = max(first, episode.date_of_birth + timedelta(days=1))
        if first > end:
            return []
        days = [first]
        if profile.referred:
            return days
        wanted = self.pick(FOLLOW_UPS)
        gap = rng.randrange(7, 15)
        while len(days) <= wanted:
            day = days[-1] + timedelta(days=gap)
            if day > end:
                break
            days.append(day)
            gap = min(int(gap * rng.uniform(1.2, 1.8)), 60)  # weekly at first, monthly later
        return days

    def _clinic_time(self, day: date) -> datetime:
        minutes = self.rng.randrange(8 * 60, 18 * 60)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=UTC)

    def _draft(
        self, episode: DemoEpisode, profile: _Profile, base: _Baseline, day: date, recovery: float, index: int,
        spike: bool,
    ) -> AssessmentDraft:  # fmt: skip
        rng = self.rng
        fall = 1 - recovery  # how much of the first day's trouble is left
        strong = base.uninvolved_reps + round(4 * recovery)  # the rehab trains the other calf too
        lsi = base.lsi_start + (base.lsi_end - base.lsi_start) * recovery
        left, right = episode.side in ("left", "both"), episode.side in ("right", "both")
        # Each side tested on its own: the two legs never give quite the same figures.
        reps = [max(0, round(strong * lsi) + rng.randrange(-2, 3)) if hurt else strong for hurt in (left, right)]
        reach = [
            round(base.uninvolved_cm - base.cm_gap * fall + (rng.uniform(-0.5, 0.5) if hurt else 0), 1)
            if hurt else base.uninvolved_cm
            for hurt in (left, right)
        ]  # fmt: skip
        history: dict[str, Any] = {
            **_HISTORY_NO, "foot_tingling_or_numbness": "none", "recent_load_changes": [], **profile.history,
            "previous_calf_strain": base.previous_strain, "bone_health_risk": base.bone_risk,
            "nprs_now": round(base.pain_now * fall), "nprs_worst_24h": round(base.pain_worst * fall),
            "nprs_during_run": round(base.pain_run * fall),
        }  # fmt: skip
        history["pain_walking_or_daily_activity"] = history["pain_walking_or_daily_activity"] and fall > 0.5
        history["pain_at_rest_or_night"] = history["pain_at_rest_or_night"] and fall > 0.6
        examination = {**_EXAMINATION_NO, **profile.examination}
        examination["local_muscle_tenderness"] = examination["local_muscle_tenderness"] and fall > 0.3
        examination["hop_pain"] = examination["hop_pain"] and fall > 0.4
        if index:
            # The first day's story is told once; the fibula was scanned; loading pain fades as it heals.
            history["bruising"] = False
            history["recent_load_changes"] = list(self.pick(_SPIKES)) if spike else []
            examination["focal_fibula_tenderness"] = False
            for key in ("straight_knee_loading_worse_than_bent", "bent_knee_loading_worse_than_straight"):
                examination[key] = examination[key] and fall > 0.4
        strain = profile.condition.endswith("strain")
        document: dict[str, Any] = {
            "schema": SCHEMA,
            "assessed_on": day.isoformat(),
            "patient": {"date_of_birth": episode.date_of_birth.isoformat(), "sex": episode.sex},
            "symptomatic_side": episode.side,
            "history": history,
            "examination": examination,
            "heel_raise": {
                "left_reps": reps[0], "right_reps": reps[1],
                "protocol": base.protocol, "knee": "straight",
                "stopped_by_pain": episode.side if strain and fall > 0.6 else "none",
                "reproduced_symptoms": strain and fall > 0.5,
            },
            "knee_to_wall": {"left_cm": max(0.0, reach[0]), "right_cm": max(0.0, reach[1])},
            "neural": self._neural(profile, fall),
            "red_flags": {**_NO_FLAGS, **(profile.flags or {}), "wells": self._wells(profile)},
            "outcomes": {
                "psfs": [
                    {"activity": activity, "score": min(10, round(start + (10 - start) * recovery))}
                    for activity, start in base.psfs
                ],
                "lefs_total": min(80, round(base.lefs + (78 - base.lefs) * recovery)),
            },
        }  # fmt: skip
        draft = AssessmentDraft(episode.patient_id, episode.episode_id, document)
        draft.detail = self._detail(profile, base, episode, recovery, spike, index)
        if profile.loading_stopped:
            _leave_out_provocative_tests(draft)
        self._add_actions(draft)
        return draft

    @staticmethod
    def _wells(profile: _Profile) -> dict[str, bool]:
        wells = dict.fromkeys(WELLS_KEYS, False)
        if profile.condition == "dvt":
            wells.update(deep_vein_tenderness=True, calf_swelling_3cm=True, pitting_oedema_symptomatic_leg=True)
        else:
            wells["alternative_diagnosis_as_likely"] = True
        return wells

    @staticmethod
    def _neural(profile: _Profile, fall: float) -> dict[str, Any]:
        result = "positive" if profile.condition == "neural" and fall > 0.3 else "negative"
        return {"slump": result, "straight_leg_raise": result, "neurological_deficit": False}

    def _detail(
        self, profile: _Profile, base: _Baseline, episode: DemoEpisode, recovery: float, spike: bool, index: int
    ) -> dict[str, Any]:
        plan = plan_for(profile.pathway).as_detail()
        if profile.load_advice:
            plan["exercises"], plan["load_advice"] = [], profile.load_advice
        if profile.referred or plan["return_to_run_phase"] is None:
            plan["return_to_run_phase"] = None
        elif recovery >= 0.3:
            plan["return_to_run_phase"] = min(len(WALK_RUN_PHASES), 1 + int(recovery * len(WALK_RUN_PHASES)))
        notes = self.pick(SPIKE_NOTES) if spike else "Initial assessment." if index == 0 else "Review."
        flat = base.protocol == "flat_floor"
        return {
            "history": {"notes": notes},
            "heel_raise": {
                "incline_deg": 0 if flat else 10, "cadence_bpm": 60, "knee_angle_deg": 0,
                "termination_left": "fatigue", "termination_right": "fatigue",
                "first_leg": "right" if episode.side == "left" else "left", "footwear": "barefoot",
            },
            "impression": {"condition": profile.condition, "text": profile.impression},
            "plan": plan,
        }  # fmt: skip

    def _add_actions(self, draft: AssessmentDraft) -> None:
        """Evaluate as finalising will, and record the action for every flag the engine raises."""
        evaluation = evaluate(parse_assessment(draft.document, today=self.today))
        actions = {flag.code: RED_FLAG_ACTIONS[flag.code] for flag in evaluation.red_flags}
        if actions:
            draft.detail["red_flag_actions"] = actions


# CLINICAL.md 5.2: on a positive DVT screen the clinician stops calf loading and runs no provocative tests, so
# the record leaves them unanswered (null: not done), never "no". Palpation stays: the Wells score needs it.
_PROVOCATIVE_TESTS: dict[str, dict[str, Any]] = {
    "heel_raise": {"left_reps": None, "right_reps": None},
    "knee_to_wall": {"left_cm": None, "right_cm": None},
    "neural": {"slump": "not_tested", "straight_leg_raise": "not_tested"},
    "examination": {"hop_pain": None, "straight_knee_loading_worse_than_bent": None,
                    "bent_knee_loading_worse_than_straight": None},
}  # fmt: skip


def _leave_out_provocative_tests(draft: AssessmentDraft) -> None:
    """Clear the loading and provocative tests of ``draft`` (drawn as for anyone, so the seed's draws stay)."""
    document = draft.document
    document["heel_raise"] = dict(_PROVOCATIVE_TESTS["heel_raise"])
    document["knee_to_wall"] = dict(_PROVOCATIVE_TESTS["knee_to_wall"])
    for part in ("neural", "examination"):
        document[part] = {**document[part], **_PROVOCATIVE_TESTS[part]}
    draft.detail.pop("heel_raise", None)  # no protocol, cadence or reason for stopping: the test was not run


@dataclass(frozen=True, slots=True)
class _Baseline:
    """One runner's starting point and where the course heads."""

    uninvolved_reps: int
    lsi_start: float
    lsi_end: float
    uninvolved_cm: float
    cm_gap: float
    pain_now: int
    pain_worst: int
    pain_run: int
    lefs: int
    psfs: tuple[tuple[str, int], ...]
    protocol: str
    previous_strain: bool
    bone_risk: bool

    @classmethod
    def draw(cls, rng: Random, episode: DemoEpisode, first_day: date, profile: _Profile) -> _Baseline:
        age = completed_years(episode.date_of_birth, first_day)
        sex = episode.sex if episode.sex in ("male", "female") else "female"
        norm = age_sex_norm_reps(age, sex) or 25  # type: ignore[arg-type]
        acute = profile.condition in ("gastrocnemius_strain", "soleus_strain", "fibular_stress_fracture", "dvt")
        activities = rng.sample(_PSFS_ACTIVITIES, rng.randrange(1, 4))
        return cls(
            uninvolved_reps=max(8, min(60, round(norm * rng.uniform(1.0, 1.5)))),
            lsi_start=rng.uniform(0.3, 0.55) if acute else rng.uniform(0.55, 0.85),
            lsi_end=rng.uniform(0.93, 1.04),
            uninvolved_cm=round(rng.uniform(8.0, 14.0), 1),
            cm_gap=round(rng.uniform(1.0, 4.0), 1),
            pain_now=rng.randrange(2, 6) if acute else rng.randrange(0, 3),
            pain_worst=rng.randrange(5, 9) if acute else rng.randrange(3, 7),
            pain_run=rng.randrange(6, 10) if acute else rng.randrange(4, 8),
            lefs=rng.randrange(30, 50) if acute else rng.randrange(48, 66),
            psfs=tuple((activity, rng.randrange(1, 5) if acute else rng.randrange(3, 7)) for activity in activities),
            protocol="flat_floor" if rng.random() < 0.15 else "incline_10deg_60bpm",
            previous_strain=rng.random() < 0.25,
            bone_risk=profile.condition == "fibular_stress_fracture" and rng.random() < 0.5,
        )
