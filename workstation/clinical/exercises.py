"""The exercise library for management plans, in our own words from CLINICAL.md section 8 (8.1-8.7).

Each entry carries its plain-language instructions (they go on the patient handout as written), a default
dose the clinician edits, the stage of rehab it suits, the source key it comes from (CLINICAL.md 10) and
the pathways it belongs to. Doses are defaults, not prescriptions: where the spec gives a range, the
default is its cautious end and the range is in the note.

``soft_tissue`` marks rolling and pressure work: never for a suspected DVT (CLINICAL.md 8.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Pathway = Literal[
    "acute_strain", "overload", "neural", "cecs_referral", "dvt_referral", "bone_stress_referral", "cramp", "doms"
]
PATHWAYS: tuple[Pathway, ...] = (
    "acute_strain", "overload", "neural", "cecs_referral", "dvt_referral", "bone_stress_referral", "cramp", "doms",
)  # fmt: skip

Stage = Literal["early", "middle", "late", "any"]
STAGE_LABELS: dict[Stage, str] = {
    "early": "Early: first days of loading",
    "middle": "Middle: building strength",
    "late": "Late: back to running and hopping",
    "any": "Any stage",
}


@dataclass(frozen=True, slots=True)
class Dose:
    """A default dose. ``reps`` None with ``hold_seconds`` set is a hold; both None is "as many as comfortable"."""

    sets: int | None
    reps: int | None
    hold_seconds: int | None
    frequency: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Exercise:
    code: str
    name: str
    instructions: str  # patient-facing, plain words
    dose: Dose
    stage: Stage
    source: str  # a key of CLINICAL.md section 10
    pathways: tuple[Pathway, ...]
    soft_tissue: bool = False


_STRAIN_AND_OVERLOAD: tuple[Pathway, ...] = ("acute_strain", "overload")
_CALF_STRENGTH: tuple[Pathway, ...] = ("acute_strain", "overload", "neural", "cramp")
_HIP_AND_TRUNK: tuple[Pathway, ...] = ("acute_strain", "overload", "neural", "cecs_referral", "bone_stress_referral")
_NON_RUNNING_DAYS = "2-3 days a week, on days you do not run"

EXERCISES: tuple[Exercise, ...] = (
    # --- 8.1 LOVE: keep fit without the calf complaining ---
    Exercise(
        "pain_free_cardio", "Pain-free cycling or swimming",
        "Keep your fitness up with cycling or swimming at an easy effort. It should not bring on your calf "
        "pain; if it does, ease off or stop.",
        Dose(None, None, None, "Most days", "About 20 minutes at an easy effort to start"),
        "early", "Dubois & Esculier 2020; S3",
        ("acute_strain", "overload", "neural", "cecs_referral", "bone_stress_referral", "doms"),
    ),
    # --- 8.3 Calf strength progression ---
    Exercise(
        "calf_raise_double", "Double-leg calf raise",
        "Stand with both feet flat and your fingertips on a wall. Rise up onto your toes as high as you can, "
        "then lower slowly. Mild pain up to 3 out of 10 is fine; stop if it goes higher. As it gets easy, "
        "put more of your weight through the sore leg.",
        Dose(3, 15, None, "Daily", "Shift weight onto the injured side as it gets easier"),
        "early", "arc-running phase 2", _CALF_STRENGTH,
    ),
    Exercise(
        "calf_raise_single_straight", "Single-leg calf raise, knee straight",
        "Stand on one leg with the knee straight and your fingertips on a wall for balance. Rise as high as "
        "you can, then lower slowly. Do as many as feel comfortable, rest 1-2 minutes, and repeat.",
        Dose(2, None, None, _NON_RUNNING_DAYS, "As many as comfortable; build up to 3 sets of 25-30"),
        "middle", "S0", _CALF_STRENGTH,
    ),
    Exercise(
        "calf_raise_single_bent", "Single-leg calf raise, knee bent",
        "As the straight-knee raise, but keep the knee slightly bent all the way up and down. This works the "
        "deeper calf muscle (soleus). Go right to the top and right to the bottom each time.",
        Dose(2, None, None, _NON_RUNNING_DAYS, "As many as comfortable; aim for 30"),
        "middle", "S0 comments; healthhp end-range", _CALF_STRENGTH,
    ),
    Exercise(
        "calf_raise_step", "Calf raise off a step",
        "Stand on one leg on the edge of a step with your heel hanging off. Lower the heel below the step, "
        "then rise as high as you can. Do it with the knee straight and with the knee bent.",
        Dose(3, 25, None, _NON_RUNNING_DAYS, "Progression for more range once 3 x 25 on the floor is easy"),
        "middle", "S0", _STRAIN_AND_OVERLOAD,
    ),
    Exercise(
        "seated_calf_raise", "Seated calf raise",
        "Sit with your feet flat and a weight resting on your knees. Lift your heels as high as you can and "
        "lower slowly. Add weight over the weeks.",
        Dose(3, 12, None, _NON_RUNNING_DAYS, "Heavy soleus work; runners aim for about 1.7-2 x body weight"),
        "middle", "healthhp end-range; SportsMAP", _STRAIN_AND_OVERLOAD,
    ),
    Exercise(
        "soleus_wall_sit", "Soleus wall sit",
        "Lean your back on a wall with your knees bent, as if sitting. Lift both heels and hold them up.",
        Dose(3, None, 30, _NON_RUNNING_DAYS, "Hold in seconds"),
        "middle", "healthhp end-range", _STRAIN_AND_OVERLOAD,
    ),
    Exercise(
        "loaded_toe_walk", "Toe walking with weights",
        "Hold a weight in each hand, rise onto your toes and walk tall on them for the distance set.",
        Dose(3, None, 30, _NON_RUNNING_DAYS, "Hold in seconds of walking"),
        "late", "healthhp end-range", _STRAIN_AND_OVERLOAD,
    ),
    Exercise(
        "heel_drops", "Toe taps and heel drops",
        "Sitting or standing, tap your toes quickly on the floor, then lower your heels slowly from tiptoe.",
        Dose(2, 15, None, "Daily"),
        "early", "S1", _STRAIN_AND_OVERLOAD,
    ),
    Exercise(
        "pogo_hops", "Pogo hops",
        "Bounce on the spot on both feet with stiff ankles and small, quick hops. Only start when hopping "
        "does not hurt; stop if it brings on your pain.",
        Dose(3, 20, None, "2 days a week, after a run, never before", "Only once hopping is pain-free"),
        "late", "healthhp RTR; runcalcs", _STRAIN_AND_OVERLOAD,
    ),
    Exercise(
        "hop_and_bound", "Hopping and bounding",
        "Hop on one leg on the spot, then in a line, then bound forwards from leg to leg. Build up only as "
        "long as it stays pain-free.",
        Dose(3, 10, None, "2 days a week, after a run, never before", "Only once pogo hops are pain-free"),
        "late", "healthhp RTR; runcalcs", _STRAIN_AND_OVERLOAD,
    ),
    Exercise(
        "foot_strength", "Foot and ankle strengthening",
        "Sit with your foot flat. Shorten the foot by drawing the ball of the foot towards the heel without "
        "curling the toes, hold, and relax. Then spread and lift the toes one by one.",
        Dose(3, 10, 5, "Daily", "Hold in seconds; an 8-week programme cut running injuries"),
        "any", "S3", ("overload", "cecs_referral", "cramp"),
    ),
    # --- 8.4 Flexibility and soft tissue ---
    Exercise(
        "dynamic_warm_up", "Dynamic warm-up before running",
        "Before you run: mini squats, walking lunges, pushing against a wall with bouncing heels, and leg "
        "swings. Keep it comfortable.",
        Dose(1, 10, None, "Before every run", "10 of each movement"),
        "any", "S0; S3", ("overload", "cramp", "doms"),
    ),
    Exercise(
        "wall_stretch_straight", "Calf stretch at a wall, back knee straight",
        "Face a wall with your hands on it, one foot back. Keep the back knee straight and the heel down and "
        "lean in until you feel a gentle stretch in the calf. Hold, then relax. After running or exercise.",
        Dose(3, None, 30, "After running or strength work", "Hold 15-30 seconds, gently"),
        "any", "S0; S1; S3", ("acute_strain", "overload", "cramp", "doms"),
    ),
    Exercise(
        "wall_stretch_bent", "Calf stretch at a wall, back knee bent",
        "As the straight-knee stretch, but bend the back knee while keeping the heel down. You should feel "
        "it lower in the calf.",
        Dose(3, None, 30, "After running or strength work", "Hold 15-30 seconds, gently"),
        "any", "S0; S1; S3", ("acute_strain", "overload", "cramp", "doms"),
    ),
    Exercise(
        "towel_stretch", "Seated towel stretch",
        "Sit with your leg straight out, loop a towel round the ball of your foot and gently pull your toes "
        "towards you. Hold, then relax.",
        Dose(3, None, 30, "After running or strength work", "Hold 15-30 seconds, gently"),
        "any", "S1; S3", ("acute_strain", "overload", "doms"),
    ),
    Exercise(
        "ankle_rolls", "Ankle circles",
        "Lift your foot and draw slow circles with it, one way and then the other.",
        Dose(2, 10, None, "Daily"),
        "any", "S0; S3", ("acute_strain", "overload", "doms"),
    ),
    Exercise(
        "foam_roller", "Foam roller for the calf",
        "Sit with the calf on a foam roller and roll slowly from knee to ankle, pausing on tight spots. It "
        "should feel firm, not painful.",
        Dose(1, None, 60, "After running, as wanted", "Seconds of rolling per leg"),
        "any", "S0; S3", ("overload", "doms"), soft_tissue=True,
    ),
    Exercise(
        "ball_release", "Ball release for the calf",
        "Roll a lacrosse or tennis ball under the calf, or kneel gently on it, to ease tight spots.",
        Dose(1, None, 60, "After running, as wanted", "Seconds per leg"),
        "any", "S0; S3", ("overload",), soft_tissue=True,
    ),
    Exercise(
        "cramp_stretch", "Gentle stretch during a cramp",
        "When the calf cramps, stop, straighten the knee and gently pull your toes up towards you (or use the "
        "wall stretch). Hold until it lets go.",
        Dose(1, None, 30, "When a cramp starts", "Hold in seconds, longer if needed"),
        "any", "Miller 2021", ("cramp",),
    ),
    # --- 8.5 Neural tension ---
    Exercise(
        "slump_slider", "Nerve slider, sitting",
        "Sit on the edge of a chair, slumped a little. Straighten the knee while you look up to the ceiling, "
        "then bend the knee while you bring your chin down. Move slowly and smoothly; it should not hurt.",
        Dose(2, 10, None, "Daily", "10-15 slow, pain-free repetitions, 1-3 sets"),
        "early", "Coppieters & Butler 2008; Ellis 2012", ("neural",),
    ),
    Exercise(
        "slump_tensioner", "Nerve tensioner, sitting",
        "Sit slumped on the edge of a chair with your chin down, then straighten the knee and pull your toes "
        "up at the same time, and relax. Only when the slider is easy; a gentle stretch is fine, pain is not.",
        Dose(2, 10, None, "Daily", "10-15 slow, pain-free repetitions, 1-3 sets, once symptoms have settled"),
        "middle", "Coppieters & Butler 2008; Alshami", ("neural",),
    ),
    # --- 8.6 Core and hip ---
    Exercise(
        "bird_dog", "Bird dog",
        "On hands and knees, reach one arm forwards and the opposite leg back, keeping your back still. "
        "Hold, return, and swap sides.",
        Dose(3, 8, 5, _NON_RUNNING_DAYS, "Hold in seconds, each side"),
        "any", "S2", _HIP_AND_TRUNK,
    ),
    Exercise(
        "dead_bug", "Dead bug",
        "Lie on your back with your arms up and knees bent over your hips. Lower one arm and the opposite leg "
        "towards the floor, keeping your lower back down, then swap.",
        Dose(3, 8, None, _NON_RUNNING_DAYS, "Each side"),
        "any", "S2", _HIP_AND_TRUNK,
    ),
    Exercise(
        "side_plank", "Side plank",
        "Lie on your side, up on your elbow, and lift your hips so you are straight from head to feet. Hold. "
        "Lift the top leg to make it harder.",
        Dose(3, None, 30, _NON_RUNNING_DAYS, "Hold in seconds; 90 seconds is a good benchmark"),
        "any", "arc-running", _HIP_AND_TRUNK,
    ),
    Exercise(
        "front_plank", "Front plank",
        "Up on your elbows and toes, body straight from head to heels. Hold without letting your hips sag.",
        Dose(3, None, 30, _NON_RUNNING_DAYS, "Hold in seconds"),
        "any", "arc-running", _HIP_AND_TRUNK,
    ),
    Exercise(
        "single_leg_glute_bridge", "Single-leg glute bridge",
        "Lie on your back with one knee bent and the other leg straight. Push through the heel to lift your "
        "hips, hold, and lower slowly.",
        Dose(3, 10, None, _NON_RUNNING_DAYS, "Each side"),
        "any", "arc-running", _HIP_AND_TRUNK,
    ),
    Exercise(
        "single_leg_rdl", "Single-leg Romanian deadlift",
        "Stand on one leg with a soft knee. Hinge at the hips, reaching your hands towards the floor as the "
        "other leg goes back, then stand tall again.",
        Dose(3, 8, None, _NON_RUNNING_DAYS, "Each side"),
        "middle", "arc-running", _HIP_AND_TRUNK,
    ),
    Exercise(
        "split_squat", "Split squat",
        "Stand with one foot forward and one back. Lower the back knee towards the floor and push back up "
        "through the front foot.",
        Dose(3, 10, None, _NON_RUNNING_DAYS, "Each side"),
        "middle", "arc-running", _HIP_AND_TRUNK,
    ),
    Exercise(
        "hip_thrust", "Hip thrust",
        "Sit with your upper back against a bench and a weight across your hips. Push through your heels to "
        "lift the hips level with your knees, then lower.",
        Dose(3, 10, None, _NON_RUNNING_DAYS),
        "middle", "S2", _HIP_AND_TRUNK,
    ),
    Exercise(
        "superman", "Superman",
        "Lie face down and lift your arms, chest and legs a little off the floor. Hold, then relax.",
        Dose(3, 8, 5, _NON_RUNNING_DAYS, "Hold in seconds"),
        "any", "S2", _HIP_AND_TRUNK,
    ),
)  # fmt: skip

_BY_CODE = {exercise.code: exercise for exercise in EXERCISES}
assert len(_BY_CODE) == len(EXERCISES), "exercise codes are unique"


def exercise(code: str) -> Exercise:
    """The library entry for ``code``. Raises KeyError naming the code."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"no exercise {code!r} in the library") from None


def is_exercise(code: object) -> bool:
    return isinstance(code, str) and code in _BY_CODE


def exercises_for(pathway: Pathway) -> tuple[Exercise, ...]:
    """Every library entry that belongs to ``pathway``, in library order (what the plan builder offers)."""
    return tuple(entry for entry in EXERCISES if pathway in entry.pathways)
