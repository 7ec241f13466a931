"""The small model the exercise drawings are made of: a stick figure, props and motion arrows, as data.

A drawing is a ``Scene`` in scene units: the floor is y = 0, x grows to the right, y upwards, and a standing
figure is about 86 units tall (``drawings.SCENE_WIDTH`` × ``SCENE_HEIGHT`` holds every scene at one scale,
so people are the same size on every card). The figure always faces right. Angles are in degrees,
anticlockwise from "facing forward" (0 = right, 90 = up, -90 = down, 180 = behind).

A point in a prop or an arrow is an ``Anchor``: plain coordinates, or a joint of the scene's first figure
with an offset, so a towel follows the hand and an arrow sits beside the heel whatever the pose.
``reports.drawings`` solves and draws scenes; ``reports.drawing_poses`` holds one scene per exercise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Point = tuple[float, float]
Anchor = Point | tuple[str, float, float]  # (x, y), or (joint name, dx, dy): "near_toe", "hip", "head", ...


@dataclass(frozen=True, slots=True)
class Angles:
    """A limb given by the directions of its two segments (thigh then shin, upper arm then forearm)."""

    upper: float
    lower: float


@dataclass(frozen=True, slots=True)
class Reach:
    """A limb whose end (ankle or hand) is put at ``to``; the middle joint bends anticlockwise of the straight
    line for ``bend`` +1 (a knee forward when the leg points down), clockwise for -1. Too far: it points there."""

    to: Anchor
    bend: int = 1


Limb = Angles | Reach


@dataclass(frozen=True, slots=True)
class Figure:
    """A stick figure. ``near`` limbs are drawn black in front, ``far`` ones grey behind the body.

    ``place`` puts a joint of the figure at a point (``("near_toe", (60, 0))``: standing on the floor there);
    without it the hip is at ``hip``. Limbs given as ``Reach`` are solved after the figure is placed.
    """

    hip: Point = (0.0, 0.0)
    place: tuple[str, Point] | None = None
    torso: float = 90.0  # hip to neck
    neck: float | None = None  # neck to head; None: in line with the torso
    near_arm: Limb = Angles(-85.0, -80.0)
    far_arm: Limb = Angles(-95.0, -95.0)
    near_leg: Limb = Angles(-90.0, -90.0)
    far_leg: Limb = Angles(-92.0, -92.0)
    near_foot: float = 0.0  # ankle to toe; -50: up on the toes, +60: toes pulled up
    far_foot: float = 0.0
    gaze: float | None = None  # a short nose mark on the head pointing this way (looking up or down)
    round_back: float = 0.0  # the spine bowed backwards this far (a slumped sitting posture)
    ghost: bool = False  # the other end of the movement: drawn dashed and pale, behind everything


# --- props ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Floor:
    y: float = 0.0


@dataclass(frozen=True, slots=True)
class Wall:
    """A wall at ``x`` from ``bottom`` up to ``top``; ``facing`` +1 when the person stands to its left."""

    x: float
    facing: int = 1
    bottom: float = 0.0
    top: float = 92.0


@dataclass(frozen=True, slots=True)
class Block:
    """A solid box standing on the floor: a step, a bench."""

    left: float
    right: float
    height: float
    bottom: float = 0.0


@dataclass(frozen=True, slots=True)
class Chair:
    """A chair seen from the side, facing right: ``front`` is the front edge of the seat."""

    front: float
    seat: float = 24.0
    depth: float = 18.0


@dataclass(frozen=True, slots=True)
class Roller:
    """A round thing on the floor or under a limb: a foam roller, a ball (``radius`` small)."""

    centre: Anchor
    radius: float


@dataclass(frozen=True, slots=True)
class Strap:
    """A towel or band through ``points`` (a loop round the foot goes out and back)."""

    points: tuple[Anchor, ...]


@dataclass(frozen=True, slots=True)
class Dumbbell:
    at: Anchor  # the hand that holds it
    upright: bool = False  # the bar vertical (held at the side), else across


@dataclass(frozen=True, slots=True)
class Weight:
    """A weight plate resting on the body (on the knees, across the hips), drawn as a solid disc or slab."""

    at: Anchor
    width: float = 12.0
    height: float = 5.0
    disc: bool = False


@dataclass(frozen=True, slots=True)
class FloorTowel:
    """A towel lying on the floor (for scrunching with the toes), from ``left`` to ``right``."""

    left: float
    right: float


@dataclass(frozen=True, slots=True)
class Bicycle:
    """An exercise bike or bicycle seen from the side: wheels at ``rear`` and ``rear + wheelbase``."""

    rear: float = 30.0
    wheelbase: float = 60.0
    radius: float = 13.0
    crank: Point = (56.0, 14.0)
    saddle: Point = (49.0, 47.0)
    bars: Point = (86.0, 47.0)


@dataclass(frozen=True, slots=True)
class Cramp:
    """A zigzag on the calf that says "cramp", in the accent colour."""

    at: Anchor


@dataclass(frozen=True, slots=True)
class Shadow:
    """A flat shadow on the floor under someone in the air."""

    x: float
    width: float


Prop = Floor | Wall | Block | Chair | Roller | Strap | Dumbbell | Weight | FloorTowel | Bicycle | Cramp | Shadow


# --- motion ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Arrow:
    """A motion arrow from ``start`` to ``end``; ``bend`` bows it (a fraction of its length, + to its left);
    ``both`` puts a head at each end (up and down, back and forth)."""

    start: Anchor
    end: Anchor
    bend: float = 0.0
    both: bool = False


@dataclass(frozen=True, slots=True)
class Turn:
    """A circular arrow round ``centre``: from ``start`` degrees through ``sweep`` (+ anticlockwise)."""

    centre: Anchor
    radius: float
    start: float
    sweep: float
    both: bool = False


@dataclass(frozen=True, slots=True)
class Guide:
    """A dashed accent line: "keep this straight" for a hold with no movement."""

    start: Anchor
    end: Anchor


Motion = Arrow | Turn | Guide


@dataclass(frozen=True, slots=True)
class Scene:
    figures: tuple[Figure, ...]  # the person first (anchors refer to it), then any ghost
    props: tuple[Prop, ...] = (Floor(),)
    motion: tuple[Motion, ...] = field(default=())
