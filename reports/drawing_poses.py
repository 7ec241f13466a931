"""One scene per library exercise: the pose, the props and the movement arrow (see ``drawing_model``).

Scene units: floor at y = 0, the figure faces right, a standing person is about 86 tall. Each scene shows
the position a physio would show a patient, with the arrow for the way it moves. Scenes that share a
set-up (a wall, a chair) differ in what matters: knee straight or bent, heel up or toes up, a weight.
A test keeps this table and ``workstation.clinical.exercises.EXERCISES`` in step.
"""

from __future__ import annotations

from reports.drawing_model import (
    Angles,
    Arrow,
    Bicycle,
    Block,
    Chair,
    Cramp,
    Dumbbell,
    Figure,
    Floor,
    FloorTowel,
    Guide,
    Reach,
    Roller,
    Scene,
    Shadow,
    Strap,
    Turn,
    Wall,
    Weight,
)

ON_TOES = -58.0  # foot angle standing up on the toes
TOES_UP = 70.0  # foot angle with the toes pulled up towards the shin
LEG_BENT_BEHIND = Angles(-100.0, -165.0)  # the other foot lifted behind: standing on one leg
_FLOOR = (Floor(),)


def _calf_raise(near_leg: Angles, far_leg: Angles, far_foot: float) -> Scene:
    """Up on the toes of a straight or bent standing leg, fingertips on a wall ahead, arrow up at the heel."""
    person = Figure(
        place=("near_toe", (62.0, 0.0)), near_leg=near_leg, far_leg=far_leg, near_foot=ON_TOES, far_foot=far_foot,
        near_arm=Reach((79.0, 64.0), -1), far_arm=Reach((79.0, 60.0), -1),
    )  # fmt: skip
    return Scene((person,), (Floor(), Wall(80.0)), (Arrow(("near_heel", -6.0, -4.0), ("near_heel", -6.0, 16.0)),))


def _wall_stretch(hip: tuple[float, float], back_ankle: float, *, bent: bool) -> Scene:
    """Hands on a wall, front knee bent, back heel down; the back knee straight (gastrocnemius) or bent."""
    person = Figure(
        hip=hip, torso=62.0, near_leg=Reach((back_ankle, 0.0), 1), far_leg=Reach((82.0, 0.0), 1),
        near_arm=Reach((99.0, 62.0), -1), far_arm=Reach((99.0, 58.0), -1),
    )  # fmt: skip
    motion = (Arrow(("near_knee", 0.0, 15.0), ("near_knee", 0.0, 4.0)),) if bent else (
        Arrow(("hip", -20.0, 6.0), ("hip", -6.0, 6.0)),)  # fmt: skip
    return Scene((person,), (Floor(), Wall(100.0)), motion)


def _slump(*, gaze: float, neck: float, knee: Angles, foot: float, head_arrow: float) -> Scene:
    """Sitting slumped on the edge of a chair, one knee straightening; arrows at the head and the foot."""
    person = Figure(
        hip=(40.0, 26.0), torso=82.0, round_back=4.0, neck=neck, gaze=gaze, near_leg=knee, near_foot=foot,
        far_leg=Reach((60.0, 0.0), 1), near_arm=Reach(("near_knee", -8.0, 4.0), -1),
        far_arm=Reach(("near_knee", -10.0, 3.0), -1),
    )  # fmt: skip
    motion = (
        Turn(("neck", 0.0, 0.0), 20.0, 75.0 - head_arrow / 2, head_arrow),
        Turn(("near_knee", 0.0, 0.0), 27.0, -60.0, 40.0),
    )
    return Scene((person,), (Floor(), Chair(front=50.0, seat=24.0)), motion)


def _seated(near_leg: Angles | Reach, near_foot: float, *, seat: float, **more: object) -> Figure:
    return Figure(hip=(36.0, seat + 2.0), torso=92.0, near_leg=near_leg, near_foot=near_foot, **more)  # type: ignore[arg-type]


SCENES: dict[str, Scene] = {
    # --- 8.1: keep fit without the calf complaining ---
    "pain_free_cardio": Scene(
        (Figure(hip=(49.0, 50.0), torso=42.0, neck=35.0, near_arm=Reach((86.0, 48.0), -1),
                far_arm=Reach((85.0, 47.0), -1), near_leg=Reach((62.0, 10.0), 1), far_leg=Reach((49.0, 21.0), 1),
                near_foot=-15.0, far_foot=-5.0),),
        (Floor(), Bicycle()),
        (Turn((56.0, 14.0), 10.0, 120.0, -300.0),),
    ),
    # --- 8.3: calf strength ---
    "calf_raise_double": _calf_raise(Angles(-90.0, -90.0), Angles(-93.0, -93.0), ON_TOES),
    "calf_raise_single_straight": _calf_raise(Angles(-90.0, -90.0), LEG_BENT_BEHIND, -110.0),
    "calf_raise_single_bent": _calf_raise(Angles(-63.0, -113.0), Angles(-105.0, -170.0), -115.0),
    "calf_raise_step": Scene(
        (Figure(place=("near_toe", (54.0, 14.0)), near_foot=35.0, far_leg=LEG_BENT_BEHIND, far_foot=-110.0,
                near_arm=Reach((79.0, 76.0), -1), far_arm=Reach((79.0, 72.0), -1)),),
        (Floor(), Block(50.0, 100.0, 14.0), Wall(80.0, bottom=14.0, top=104.0)),
        (Arrow((37.0, 2.0), (37.0, 28.0), both=True),),
    ),
    "seated_calf_raise": Scene(
        (_seated(Angles(3.0, -90.0), ON_TOES, seat=25.0, near_arm=Reach(("near_knee", -4.0, 5.0), -1),
                 far_arm=Reach(("near_knee", -6.0, 5.0), -1), far_leg=Angles(1.0, -92.0), far_foot=ON_TOES),),
        (Floor(), Chair(front=44.0, seat=25.0), Weight(("near_knee", -4.0, 4.0))),
        (Arrow(("near_toe", 7.0, 2.0), ("near_toe", 7.0, 20.0)),),
    ),
    "soleus_wall_sit": Scene(
        (Figure(hip=(28.0, 33.0), near_leg=Reach((51.0, 7.0), 1), far_leg=Reach((49.0, 7.0), 1), near_foot=ON_TOES,
                far_foot=ON_TOES, near_arm=Reach(("near_knee", -6.0, 3.0), -1),
                far_arm=Reach(("near_knee", -8.0, 3.0), -1)),),
        (Floor(), Wall(20.0, facing=-1)),
        (Arrow(("near_heel", -5.0, -6.0), ("near_heel", -5.0, 10.0)),),
    ),
    "loaded_toe_walk": Scene(
        (Figure(place=("near_toe", (70.0, 0.0)), near_leg=Angles(-75.0, -95.0), far_leg=Angles(-105.0, -110.0),
                near_foot=-55.0, far_foot=-65.0, near_arm=Angles(-82.0, -86.0), far_arm=Angles(-100.0, -96.0)),),
        (Floor(), Dumbbell(("far_hand", 0.0, -1.0)), Dumbbell(("near_hand", 0.0, -1.0))),
        (Arrow((80.0, 10.0), (102.0, 10.0)),),
    ),
    "heel_drops": Scene(
        (_seated(Angles(0.0, -90.0), 30.0, seat=20.0, far_leg=Angles(-2.0, -92.0), far_foot=30.0,
                 near_arm=Reach(("near_knee", -8.0, 3.0), -1), far_arm=Reach(("near_knee", -10.0, 3.0), -1)),),
        (Floor(), Chair(front=44.0, seat=20.0)),
        (Arrow(("near_toe", 6.0, -4.0), ("near_toe", 6.0, 10.0), both=True),),
    ),
    "pogo_hops": Scene(
        (Figure(hip=(60.0, 60.0), near_leg=Angles(-80.0, -98.0), far_leg=Angles(-84.0, -101.0), near_foot=-65.0,
                far_foot=-70.0, near_arm=Angles(-105.0, -15.0), far_arm=Angles(-110.0, -20.0)),),
        (Floor(), Shadow(62.0, 16.0)),
        (Arrow((40.0, 4.0), (40.0, 30.0), both=True), Arrow((80.0, 4.0), (80.0, 30.0), both=True)),
    ),
    "hop_and_bound": Scene(
        (Figure(hip=(62.0, 44.0), torso=78.0, near_leg=Angles(-15.0, -100.0), far_leg=Angles(-130.0, -160.0),
                near_foot=-25.0, far_foot=-120.0, near_arm=Angles(-150.0, -100.0), far_arm=Angles(-30.0, 20.0)),),
        (Floor(), Shadow(62.0, 22.0)),
        (Arrow((22.0, 3.0), (108.0, 3.0), bend=0.12),),
    ),
    "foot_strength": Scene(
        (_seated(Angles(0.0, -90.0), 0.0, seat=19.0, far_leg=Angles(-2.0, -92.0),
                 near_arm=Reach(("near_knee", -8.0, 3.0), -1), far_arm=Reach(("near_knee", -10.0, 3.0), -1)),),
        (Floor(), Chair(front=44.0, seat=19.0), FloorTowel(52.0, 78.0)),
        (Arrow(("near_toe", 4.0, 8.0), ("near_heel", 2.0, 9.0), bend=-0.25),),
    ),
    # --- 8.4: flexibility and soft tissue ---
    "dynamic_warm_up": Scene(
        (Figure(place=("far_toe", (58.0, 0.0)), far_leg=Angles(-90.0, -90.0), near_leg=Angles(-45.0, -50.0),
                near_foot=-20.0, near_arm=Angles(-40.0, -10.0), far_arm=Angles(-140.0, -160.0)),
         Figure(place=("far_toe", (58.0, 0.0)), far_leg=Angles(-90.0, -90.0), near_leg=Angles(-128.0, -120.0),
                near_foot=-100.0, near_arm=Angles(-40.0, -10.0), far_arm=Angles(-140.0, -160.0), ghost=True)),
        _FLOOR,
        (Turn(("hip", 0.0, 0.0), 47.0, -128.0, 80.0, both=True),),
    ),
    "wall_stretch_straight": _wall_stretch((61.0, 37.0), 39.1, bent=False),
    "wall_stretch_bent": _wall_stretch((60.0, 31.0), 46.0, bent=True),
    "towel_stretch": Scene(
        (Figure(hip=(32.0, 3.5), torso=96.0, near_leg=Angles(0.0, 0.0), near_foot=TOES_UP, far_leg=Angles(1.0, -1.0),
                far_foot=TOES_UP, near_arm=Reach((50.0, 20.0), -1), far_arm=Reach((49.0, 19.0), -1)),),
        (Floor(), Strap((("near_hand", 0.0, 0.0), ("near_toe", 2.0, 1.5), ("near_toe", 1.0, -3.0),
                         ("near_hand", 0.0, -1.5)))),
        (Turn(("near_ankle", 0.0, 0.0), 15.0, 65.0, 45.0),),
    ),
    "ankle_rolls": Scene(
        (_seated(Angles(2.0, -15.0), 10.0, seat=24.0, far_leg=Angles(-2.0, -92.0),
                 near_arm=Reach(("near_knee", -14.0, 2.0), -1), far_arm=Reach(("near_knee", -16.0, 2.0), -1)),),
        (Floor(), Chair(front=44.0, seat=24.0)),
        (Turn(("near_toe", -1.0, 0.0), 8.0, 100.0, 300.0),),
    ),
    "foam_roller": Scene(
        (Figure(hip=(40.0, 12.0), torso=122.0, near_leg=Angles(-2.0, -4.0), near_foot=TOES_UP,
                far_leg=Reach((58.0, 0.0), 1), near_arm=Reach((17.0, 0.0), 1), far_arm=Reach((19.0, 0.0), 1)),),
        (Floor(), Roller((72.0, 5.0), 5.0)),
        (Arrow(("near_knee", -2.0, 8.0), ("near_knee", 18.0, 7.0), both=True),),
    ),
    "ball_release": Scene(
        (Figure(hip=(32.0, 5.5), torso=75.0, near_leg=Angles(4.0, -1.0), near_foot=40.0,
                far_leg=Reach((52.0, 0.0), 1), near_arm=Reach(("near_knee", 2.0, 3.0), -1),
                far_arm=Reach(("near_knee", 0.0, 3.0), -1)),),
        (Floor(), Roller((67.0, 3.4), 3.4)),
        (Arrow(("near_knee", 14.0, 16.0), ("near_knee", 14.0, 5.0)),),
    ),
    "cramp_stretch": Scene(
        (Figure(hip=(30.0, 3.5), torso=55.0, neck=40.0, near_leg=Angles(0.0, 0.0), near_foot=80.0,
                far_leg=Angles(-1.0, 1.0), far_foot=75.0, near_arm=Reach(("near_toe", -1.0, 1.0), -1),
                far_arm=Reach(("near_toe", -2.0, 0.0), -1)),),
        (Floor(), Cramp(("near_knee", 10.0, 4.5))),
        (Turn(("near_ankle", 0.0, 0.0), 14.0, 60.0, 50.0),),
    ),
    # --- 8.5: neural tension ---
    "slump_slider": _slump(gaze=60.0, neck=110.0, knee=Angles(-5.0, -25.0), foot=5.0, head_arrow=40.0),
    "slump_tensioner": _slump(gaze=-70.0, neck=30.0, knee=Angles(-5.0, -8.0), foot=TOES_UP, head_arrow=-40.0),
    # --- 8.6: core and hip ---
    "bird_dog": Scene(
        (Figure(hip=(45.0, 22.0), torso=15.0, neck=35.0, far_leg=Angles(-90.0, 180.0), far_foot=185.0,
                near_arm=Reach((70.0, 0.0), 1), near_leg=Angles(180.0, 180.0), near_foot=175.0,
                far_arm=Angles(2.0, 4.0)),),
        _FLOOR,
        (Arrow(("far_hand", 3.0, 4.0), ("far_hand", 13.0, 4.0)), Arrow(("near_ankle", -2.0, 6.0),
                                                                    ("near_ankle", -12.0, 6.0))),
    ),
    "dead_bug": Scene(
        (Figure(hip=(62.0, 6.5), torso=180.0, far_arm=Angles(88.0, 88.0), near_arm=Angles(150.0, 156.0),
                near_leg=Angles(90.0, 0.0), near_foot=75.0, far_leg=Angles(14.0, 8.0), far_foot=20.0),),
        _FLOOR,
        (Turn(("neck", 0.0, 0.0), 34.0, 96.0, 50.0), Turn(("hip", 0.0, 0.0), 49.0, 62.0, -42.0)),
    ),
    "side_plank": Scene(
        (Figure(place=("near_ankle", (104.0, 1.0)), torso=168.0, neck=168.0, near_leg=Angles(-12.0, -12.0),
                far_leg=Angles(-11.0, -11.0), near_foot=-85.0, far_foot=-80.0, near_arm=Angles(-90.0, 180.0),
                far_arm=Angles(90.0, 90.0)),),
        _FLOOR,
        (Arrow(("hip", 0.0, 5.0), ("hip", 0.0, 19.0)),),
    ),
    "front_plank": Scene(
        (Figure(place=("near_toe", (106.0, 0.0)), torso=169.0, neck=172.0, gaze=-100.0,
                near_leg=Angles(-11.0, -11.0), far_leg=Angles(-12.0, -12.0), near_foot=-75.0, far_foot=-75.0,
                near_arm=Angles(-90.0, 180.0), far_arm=Angles(-92.0, 182.0)),),
        _FLOOR,
        (Guide(("near_ankle", 0.0, 7.0), ("neck", 0.0, 8.0)),),
    ),
    "single_leg_glute_bridge": Scene(
        (Figure(hip=(55.0, 20.0), torso=207.5, neck=180.0, near_leg=Reach((72.0, 0.0), 1),
                far_leg=Angles(22.0, 22.0), far_foot=40.0, near_arm=Reach((55.0, 1.0), -1),
                far_arm=Reach((53.0, 1.0), -1)),),
        _FLOOR,
        (Arrow(("hip", -3.0, 4.0), ("hip", -3.0, 18.0)),),
    ),
    "single_leg_rdl": Scene(
        (Figure(place=("near_toe", (64.0, 0.0)), torso=8.0, neck=15.0, near_leg=Angles(-82.0, -96.0),
                far_leg=Angles(178.0, 178.0), far_foot=-95.0, near_arm=Angles(-88.0, -88.0),
                far_arm=Angles(-92.0, -92.0)),),
        _FLOOR,
        (Turn(("hip", 0.0, 0.0), 32.0, 70.0, -48.0),),
    ),
    "split_squat": Scene(
        (Figure(hip=(55.0, 24.0), near_leg=Angles(-8.0, -90.0), far_leg=Angles(-110.0, 170.0), far_foot=-45.0,
                near_arm=Angles(-90.0, -90.0), far_arm=Angles(-92.0, -92.0)),),
        _FLOOR,
        (Arrow(("hip", -20.0, 26.0), ("hip", -20.0, 6.0), both=True),),
    ),
    "hip_thrust": Scene(
        (Figure(hip=(54.0, 23.0), torso=180.0, neck=175.0, near_leg=Reach((77.0, 0.0), 1),
                far_leg=Reach((75.0, 0.0), 1), near_arm=Reach(("hip", -1.0, 8.0), 1),
                far_arm=Reach(("hip", -3.0, 8.0), 1)),),
        (Floor(), Block(4.0, 30.0, 20.0), Weight(("hip", 0.0, 8.0), width=14.0, disc=True)),
        (Arrow(("hip", 0.0, -20.0), ("hip", 0.0, -6.0)),),
    ),
    "superman": Scene(
        (Figure(hip=(55.0, 4.0), torso=14.0, neck=2.0, gaze=-40.0, near_arm=Angles(34.0, 34.0),
                far_arm=Angles(31.0, 31.0), near_leg=Angles(162.0, 162.0), far_leg=Angles(164.0, 164.0),
                near_foot=160.0, far_foot=162.0),),
        _FLOOR,
        (Arrow(("near_hand", -3.0, 4.0), ("near_hand", -3.0, 15.0)),
         Arrow(("near_ankle", 4.0, 4.0), ("near_ankle", 4.0, 15.0))),
    ),
}
