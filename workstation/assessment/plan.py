"""Management plans: the pathways of CLINICAL.md section 8, and the default plan of each for the clinician to edit.

The clinician picks the pathway from their own working impression; nothing here reads the differential
ranking (CLINICAL.md 8: "choose the pathway from the clinician-confirmed impression, not the ranking").
Medication is outside physiotherapy prescribing, so any mention of it says to discuss it with a GP or
pharmacist. A suspected DVT stops calf loading: its plan has no exercises, and no soft-tissue work may be
added to any plan while a DVT is suspected.

A plan is stored in the draft's ``detail["plan"]`` (see ``draft.py``); each exercise entry also carries
``hold_seconds`` for holds, beside the documented ``sets``, ``reps``, ``frequency`` and ``notes``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workstation.clinical.country import Country, emergency_call
from workstation.clinical.exercises import PATHWAYS, Pathway, exercise, is_exercise
from workstation.clinical.walk_run import WALK_RUN_PHASES
from workstation.problems import Problem

MAX_SETS = 20
MAX_REPS = 500
MAX_HOLD_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class PathwayTemplate:
    code: Pathway
    name: str
    exercises: tuple[str, ...]  # the default exercise codes, in the order they go on the handout
    load_advice: str
    return_to_run_phase: int | None  # walk-run phase to start from (CLINICAL.md 7.2); None: not running now
    referral: str = ""  # who the patient is sent to, and how soon
    urgent: bool = False  # a same-day referral: the plan is the referral, not exercise
    loading_stopped: bool = False  # no calf loading, no exercise prescription


@dataclass(frozen=True, slots=True)
class PlanExercise:
    code: str
    sets: int | None
    reps: int | None
    hold_seconds: int | None
    frequency: str
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Plan:
    pathway: str
    exercises: tuple[PlanExercise, ...]
    load_advice: str
    return_to_run_phase: int | None
    safety_net: str

    def as_detail(self) -> dict[str, Any]:
        """The plan as the draft's ``detail["plan"]`` JSON object."""
        return {
            "pathway": self.pathway,
            "exercises": [
                {"code": e.code, "sets": e.sets, "reps": e.reps, "hold_seconds": e.hold_seconds,
                 "frequency": e.frequency, "notes": e.notes}
                for e in self.exercises
            ],
            "load_advice": self.load_advice,
            "return_to_run_phase": self.return_to_run_phase,
            "safety_net": self.safety_net,
        }  # fmt: skip

    @classmethod
    def from_detail(cls, data: Mapping[str, Any]) -> Plan:
        """Read ``detail["plan"]`` as typed; values of the wrong type are kept as they are for ``plan_problems``."""
        entries = data.get("exercises") or []
        return cls(
            pathway=str(data.get("pathway") or ""),
            exercises=tuple(
                PlanExercise(
                    code=entry.get("code", ""),
                    sets=entry.get("sets"),
                    reps=entry.get("reps"),
                    hold_seconds=entry.get("hold_seconds"),
                    frequency=entry.get("frequency") or "",
                    notes=entry.get("notes") or "",
                )
                for entry in entries
                if isinstance(entry, dict)
            ),
            load_advice=str(data.get("load_advice") or ""),
            return_to_run_phase=data.get("return_to_run_phase"),
            safety_net=str(data.get("safety_net") or ""),
        )


_MEDICATION = "Discuss any pain medicine with your GP or pharmacist."
_GRADED_RUNNING = "Running comes back by the return-to-run criteria, not by the calendar."

TEMPLATES: dict[Pathway, PathwayTemplate] = {
    template.code: template
    for template in (
        PathwayTemplate(
            "acute_strain", "Acute calf strain (PEACE, then LOVE)",
            ("pain_free_cardio", "calf_raise_double", "calf_raise_single_straight", "calf_raise_single_bent",
             "wall_stretch_straight", "wall_stretch_bent"),
            "First 1-3 days (PEACE): protect the calf and keep rest short; raise the leg when you sit; a "
            "compression sleeve can help swelling. Avoid anti-inflammatory medicines and routine ice for now. "
            f"{_MEDICATION} No massage in the first days. After about day 3 (LOVE): load the calf as symptoms "
            f"allow, keep fit with pain-free cycling or swimming, and start the strength exercises. {_GRADED_RUNNING}",
            1,
        ),
        PathwayTemplate(
            "overload", "Calf overload or silent strain",
            ("wall_stretch_straight", "wall_stretch_bent", "foam_roller", "calf_raise_single_straight",
             "calf_raise_single_bent", "single_leg_glute_bridge"),
            "A few days off running first, with gentle stretching and foam rolling: strength work on an "
            "already tired calf can make it worse. Then start the strength exercises on non-running days. "
            "For now add a rest day, cut your weekly distance, and leave out hills and speed work. Keep gym "
            f"and hopping sessions off the day of and the day before key runs. {_GRADED_RUNNING}",
            1,
        ),
        PathwayTemplate(
            "neural", "Neural tension or referral from the back",
            ("slump_slider", "slump_tensioner", "single_leg_glute_bridge", "bird_dog", "calf_raise_single_straight"),
            "Start with the nerve sliders while symptoms are easily stirred up, and add the tensioners as they "
            "settle. Keep your back and hips moving, strengthen your hips, back and hamstrings, and build calf "
            "work and running up gradually.",
            None,
        ),
        PathwayTemplate(
            "cecs_referral", "Chronic exertional compartment syndrome: referral",
            ("pain_free_cardio", "foot_strength", "side_plank"),
            "We are asking a sports medicine or orthopaedic specialist to assess you, which may include "
            "pressure testing. Meanwhile cut back the running that brings the symptoms on and stop a run when "
            "the pressure or tingling starts. Changing how your foot lands may help: we will work on it with you.",
            None,
            referral="Letter to sports medicine or orthopaedics for compartment pressure testing (within days to "
            "2 weeks)",
        ),
        PathwayTemplate(
            "dvt_referral", "Suspected DVT: urgent medical referral",
            (),
            "Medical assessment today. No exercises for now: calf loading is stopped until a doctor has ruled "
            "out a clot. No massage, foam rolling or stretching of the calf.",
            None,
            referral="Same-day medical assessment: phone, do not post; include each Wells item",
            urgent=True,
            loading_stopped=True,
        ),
        PathwayTemplate(
            "bone_stress_referral", "Possible bone stress injury: referral",
            ("pain_free_cardio", "single_leg_glute_bridge", "side_plank", "dead_bug", "bird_dog"),
            "Stop running, hopping and other impact now. Keep fit with pain-free cycling or swimming. We are "
            "asking your GP or a sports physician for a scan within days (MRI or bone scan: X-rays show it "
            "late), and, if there are signs of low energy intake, a check of bone health.",
            None,
            referral="GP or sports physician within days for MRI or bone scan",
        ),
        PathwayTemplate(
            "cramp", "Exercise-associated cramp",
            ("cramp_stretch", "calf_raise_single_straight", "calf_raise_single_bent", "wall_stretch_straight"),
            "Tired, overloaded muscles are the main thing you can change: build calf strength and endurance "
            "and pace long runs and races. On runs over an hour, drink to thirst and do not over-drink. When a "
            "cramp starts, stop and stretch the calf gently until it lets go.",
            None,
        ),
        PathwayTemplate(
            "doms", "Delayed-onset muscle soreness",
            ("pain_free_cardio", "wall_stretch_straight", "wall_stretch_bent", "foam_roller"),
            "Soreness after new, hard or downhill sessions is normal: it peaks at 1-3 days and settles within "
            "about a week. Keep moving with easy, comfortable activity, and build new sessions and hills up "
            "gradually.",
            None,
        ),
    )
}  # fmt: skip
assert tuple(TEMPLATES) == PATHWAYS, "every pathway has a template, in the library's order"


def template(pathway: str) -> PathwayTemplate:
    """Raises ValueError naming the accepted pathway codes."""
    if pathway not in TEMPLATES:
        raise ValueError(f"unknown pathway {pathway!r}: use one of {', '.join(PATHWAYS)}")
    return TEMPLATES[pathway]


def safety_net(country: Country | None = None) -> str:
    """What the patient should watch for, in the clinic's country's terms (CLINICAL.md 5.7)."""
    return (
        "Get medical help the same day if your calf becomes swollen, hot or red, or the pain gets quickly "
        f"worse. If you become breathless, have chest pain or cough blood, {emergency_call(country)} now."
    )


def plan_for(pathway: str, *, country: Country | None = None) -> Plan:
    """The default plan of ``pathway`` (chosen by the clinician), with each exercise at its library dose.

    Raises:
        ValueError: for an unknown pathway.
    """
    chosen = template(pathway)
    return Plan(
        pathway=chosen.code,
        exercises=tuple(_default_entry(code) for code in chosen.exercises),
        load_advice=chosen.load_advice,
        return_to_run_phase=chosen.return_to_run_phase,
        safety_net=safety_net(country),
    )


def _default_entry(code: str) -> PlanExercise:
    dose = exercise(code).dose
    return PlanExercise(code, dose.sets, dose.reps, dose.hold_seconds, dose.frequency, dose.note)


def plan_problems(plan: Plan, *, raised_flags: Iterable[str] = (), where: str = "detail.plan") -> list[Problem]:
    """What is wrong with a plan as edited, each named by its path under ``where``.

    ``raised_flags`` are red-flag codes of the assessment: with ``dvt`` among them no soft-tissue work is
    allowed, whatever the pathway.
    """
    problems: list[Problem] = []
    if plan.pathway not in TEMPLATES:
        problems.append(Problem(f"{where}.pathway", "Choose a pathway"))
    dvt = plan.pathway == "dvt_referral" or "dvt" in set(raised_flags)
    if plan.pathway == "dvt_referral" and plan.exercises:
        problems.append(Problem(f"{where}.exercises", "No exercises for a suspected DVT: calf loading is stopped"))
    for index, entry in enumerate(plan.exercises):
        at = f"{where}.exercises[{index}]"
        if not is_exercise(entry.code):
            problems.append(Problem(f"{at}.code", "Choose an exercise from the library"))
            continue
        if dvt and exercise(entry.code).soft_tissue:
            problems.append(Problem(f"{at}.code", "No massage or rolling of the calf while a DVT is suspected"))
        for name, value, highest in (
            ("sets", entry.sets, MAX_SETS),
            ("reps", entry.reps, MAX_REPS),
            ("hold_seconds", entry.hold_seconds, MAX_HOLD_SECONDS),
        ):
            if value is not None and not _whole_number(value, 1, highest):
                problems.append(Problem(f"{at}.{name}", f"Enter a whole number from 1 to {highest}, or leave it empty"))
    phase = plan.return_to_run_phase
    if phase is not None and not _whole_number(phase, 1, len(WALK_RUN_PHASES)):
        problems.append(
            Problem(f"{where}.return_to_run_phase", f"Choose a phase from 1 to {len(WALK_RUN_PHASES)}, or none")
        )
    return problems


def _whole_number(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
