"""Exercise drawings for the home exercise handout: simple line drawings we make ourselves, as vector graphics.

Every exercise of ``workstation.clinical.exercises.EXERCISES`` has a scene in ``reports.drawing_poses``: a
stick figure in the pose, the props it needs (wall, step, chair, roller, towel, weights, bike) and an arrow
for the movement. Here a scene is solved (joint positions from angles and reach targets) and drawn: one
thick line weight for the body that prints well in black and white, the far-side limbs in grey behind it,
props in light greys, and one accent colour, for the motion arrows only. Every scene is drawn at one scale
(smaller only where it would not fit), so a person is much the same size on every card.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Polygon, PolyLine

from reports.drawing_model import Anchor, Angles, Figure, Limb, Point, Reach, Scene
from reports.drawing_poses import SCENES
from reports.drawing_props import floor_line, motion_strokes, prop_strokes
from reports.drawing_style import BODY, FAR, GHOST, HEAD_FILL, Disc, Stroke, colour

# The scene units a drawing's box stands for: a standing person (about 86 tall) with a little room fills its
# height. Every scene is drawn at that one scale, and only a scene too big for the box is drawn smaller.
SCENE_WIDTH = 96.0
SCENE_HEIGHT = 96.0
_MARGIN = 3.0  # scene units of white round the content

TORSO, NECK, HEAD_RADIUS = 26.0, 10.0, 6.5
SHOULDER_DROP = 4.0  # the arms hang from a little below the neck
UPPER_ARM, FOREARM = 15.0, 14.0
THIGH, SHIN, FOOT, HEEL = 22.0, 21.0, 9.0, 3.0

Joints = dict[str, Point]


def exercise_codes() -> tuple[str, ...]:
    """Every code that has a drawing."""
    return tuple(SCENES)


def draw_exercise(code: str, width: float, height: float) -> Drawing:
    """The line drawing of one library exercise, ``width`` × ``height`` points.

    Args:
        code: a ``workstation.clinical.exercises`` code.
        width: the drawing's width in points.
        height: the drawing's height in points.

    Returns:
        A ReportLab ``Drawing``.

    Raises:
        KeyError: ``code`` has no drawing (the message names it).
    """
    if code not in SCENES:
        raise KeyError(f"no drawing for exercise {code!r}")
    drawing = Drawing(width, height)
    for shape in _exercise_shapes(code, width, height):
        drawing.add(shape)
    return drawing


# A handout batch draws the same few exercises at one size again and again, and ReportLab checks every
# attribute of every new shape: the shapes are made once and shared between drawings, which only read them.
@lru_cache(maxsize=256)
def _exercise_shapes(code: str, width: float, height: float) -> tuple[Any, ...]:
    return tuple(render(SCENES[code], width, height).getContents())


def render(scene: Scene, width: float, height: float) -> Drawing:
    """Draw a scene centred in ``width`` × ``height`` at the common scale, so people are the same size on every
    card; a scene too big for that is drawn smaller, to fit."""
    floors, strokes = scene_strokes(scene)
    left, bottom, right, top = _bounds(strokes, floors)
    common = min(width / SCENE_WIDTH, height / SCENE_HEIGHT)
    scale = min(common, width / (right - left), height / (top - bottom))
    x0 = (width - (right - left) * scale) / 2 - left * scale
    y0 = (height - (top - bottom) * scale) / 2 - bottom * scale
    line = max(1.2, min(4.0, 2.6 * common))  # the body's line weight: the same on every drawing of this size
    # The floor runs right across the drawing, whatever the scene's width.
    strokes[:0] = [floor_line(y, -x0 / scale, (width - x0) / scale) for y in floors]
    drawing = Drawing(width, height)
    for stroke in strokes:
        drawing.add(_shape(stroke, lambda p: (x0 + p[0] * scale, y0 + p[1] * scale), scale, line))
    return drawing


def scene_strokes(scene: Scene) -> tuple[list[float], list[Stroke | Disc]]:
    """The floor heights, and everything else a scene draws in scene units and paint order: ghosts, far
    limbs, props behind, the body, props in front, arrows."""
    person, *others = scene.figures
    joints = solve(person)

    def at(anchor: Anchor) -> Point:
        return resolve(anchor, joints)

    floors, back, front = prop_strokes(scene.props, at)
    strokes: list[Stroke | Disc] = []
    for ghost in others:
        strokes.extend(_figure_strokes(ghost, solve(ghost), GHOST, GHOST, dash=True))
    strokes.extend(_limb_strokes(joints, "far", FAR))
    strokes.extend(back)
    strokes.extend(_figure_strokes(person, joints, BODY, None))
    strokes.extend(front)
    strokes.extend(motion_strokes(scene.motion, at))
    return floors, strokes


# --- solving a figure ---------------------------------------------------------------------------------------


def towards(point: Point, angle: float, length: float) -> Point:
    radians = math.radians(angle)
    return point[0] + length * math.cos(radians), point[1] + length * math.sin(radians)


def resolve(anchor: Anchor, joints: Joints) -> Point:
    if len(anchor) == 3:
        name, dx, dy = anchor
        x, y = joints[name]
        return x + dx, y + dy
    return float(anchor[0]), float(anchor[1])


def solve(figure: Figure) -> Joints:
    """Every joint of the figure: hip, neck, head (centre), elbows, hands, knees, ankles, heels, toes."""
    joints: Joints = {"hip": (0.0, 0.0)}
    joints["neck"] = towards(joints["hip"], figure.torso, TORSO)
    joints["head"] = towards(joints["neck"], figure.torso if figure.neck is None else figure.neck, NECK)
    joints["shoulder"] = _on_spine(figure, joints, (TORSO - SHOULDER_DROP) / TORSO)
    limbs = _limbs(figure)
    for name, (root, limb, lengths) in limbs.items():
        if isinstance(limb, Angles):
            _bend(joints, name, joints[root], limb, lengths)
    _feet(joints, figure)
    joints = _placed(joints, figure)
    for name, (root, limb, lengths) in limbs.items():
        if isinstance(limb, Reach):
            _reach(joints, name, joints[root], resolve(limb.to, joints), limb.bend, lengths)
            _feet(joints, figure)  # a hand reached for next may hold the toes
    return joints


_LIMB_JOINTS = {"arm": ("elbow", "hand"), "leg": ("knee", "ankle")}


def _limbs(figure: Figure) -> dict[str, tuple[str, Limb, tuple[float, float]]]:
    # Legs first: a hand may reach for a knee or a toe.
    return {
        "near_leg": ("hip", figure.near_leg, (THIGH, SHIN)),
        "far_leg": ("hip", figure.far_leg, (THIGH, SHIN)),
        "near_arm": ("shoulder", figure.near_arm, (UPPER_ARM, FOREARM)),
        "far_arm": ("shoulder", figure.far_arm, (UPPER_ARM, FOREARM)),
    }


def _bend(joints: Joints, name: str, root: Point, limb: Angles, lengths: tuple[float, float]) -> None:
    side, kind = name.split("_")
    middle, end = _LIMB_JOINTS[kind]
    joints[f"{side}_{middle}"] = towards(root, limb.upper, lengths[0])
    joints[f"{side}_{end}"] = towards(joints[f"{side}_{middle}"], limb.lower, lengths[1])


def _reach(joints: Joints, name: str, root: Point, target: Point, bend: int, lengths: tuple[float, float]) -> None:
    """Two segments from ``root`` ending at ``target`` (law of cosines); pointing at it when out of reach."""
    upper, lower = lengths
    dx, dy = target[0] - root[0], target[1] - root[1]
    distance = min(max(math.hypot(dx, dy), abs(upper - lower) + 1e-6), upper + lower - 1e-6)
    cosine = (upper**2 + distance**2 - lower**2) / (2 * upper * distance)
    angle = math.degrees(math.atan2(dy, dx)) + bend * math.degrees(math.acos(max(-1.0, min(1.0, cosine))))
    middle = towards(root, angle, upper)
    onward = math.degrees(math.atan2(target[1] - middle[1], target[0] - middle[0]))
    _bend(joints, name, root, Angles(angle, onward), lengths)


def _feet(joints: Joints, figure: Figure) -> None:
    for side, angle in (("near", figure.near_foot), ("far", figure.far_foot)):
        ankle = joints.get(f"{side}_ankle")
        if ankle is not None:
            joints[f"{side}_toe"] = towards(ankle, angle, FOOT)
            joints[f"{side}_heel"] = towards(ankle, angle + 180.0, HEEL)


def _placed(joints: Joints, figure: Figure) -> Joints:
    if figure.place is None:
        dx, dy = figure.hip
    else:
        name, (x, y) = figure.place
        if name not in joints:
            raise ValueError(f"a figure is placed by {name!r}, which must not be a reached limb")
        dx, dy = x - joints[name][0], y - joints[name][1]
    return {name: (x + dx, y + dy) for name, (x, y) in joints.items()}


# --- drawing a figure ---------------------------------------------------------------------------------------


def _limb_strokes(joints: Joints, side: str, ink: str, *, dash: bool = False) -> Iterable[Stroke]:
    yield Stroke((joints["shoulder"], joints[f"{side}_elbow"], joints[f"{side}_hand"]), ink, 1.0, dash)
    yield Stroke((joints["hip"], joints[f"{side}_knee"], joints[f"{side}_ankle"]), ink, 1.0, dash)
    yield Stroke((joints[f"{side}_heel"], joints[f"{side}_toe"]), ink, 1.0, dash)


def _figure_strokes(
    figure: Figure, joints: Joints, ink: str, far_ink: str | None, *, dash: bool = False
) -> list[Stroke | Disc]:
    """The torso, head and near limbs (and the far limbs too when ``far_ink`` is given: a ghost)."""
    strokes: list[Stroke | Disc] = []
    if far_ink is not None:
        strokes.extend(_limb_strokes(joints, "far", far_ink, dash=dash))
    strokes.append(Stroke(_spine(figure, joints), ink, 1.0, dash))
    strokes.extend(_limb_strokes(joints, "near", ink, dash=dash))
    head = joints["head"]
    strokes.append(Disc(head, HEAD_RADIUS, ink, 1.0, None if dash else HEAD_FILL, dash))
    if figure.gaze is not None and not dash:
        nose = (towards(head, figure.gaze, HEAD_RADIUS), towards(head, figure.gaze, HEAD_RADIUS + 3.0))
        strokes.append(Stroke(nose, ink, 0.8))
    return strokes


def _spine(figure: Figure, joints: Joints) -> tuple[Point, ...]:
    if not figure.round_back:
        return joints["hip"], joints["neck"]
    return tuple(_on_spine(figure, joints, step / 8) for step in range(9))


def _on_spine(figure: Figure, joints: Joints, share: float) -> Point:
    """The point ``share`` of the way up the spine, which bows backwards by ``round_back`` at its middle."""
    hip, neck = joints["hip"], joints["neck"]
    middle = ((hip[0] + neck[0]) / 2, (hip[1] + neck[1]) / 2)
    # The back is to the left of "up the spine"; a quadratic curve's middle lies half-way to its control point.
    control = towards(middle, figure.torso + 90.0, 2 * figure.round_back)
    return quadratic(hip, control, neck, share)


def quadratic(a: Point, control: Point, b: Point, t: float) -> Point:
    """The point at ``t`` (0-1) along the quadratic Bézier curve from ``a`` to ``b``."""
    u = 1 - t
    return (u * u * a[0] + 2 * u * t * control[0] + t * t * b[0], u * u * a[1] + 2 * u * t * control[1] + t * t * b[1])


# --- to ReportLab -------------------------------------------------------------------------------------------


def _bounds(strokes: list[Stroke | Disc], floors: list[float]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = list(floors)
    for stroke in strokes:
        if isinstance(stroke, Disc):
            (x, y), r = stroke.centre, stroke.radius
            xs.extend((x - r, x + r))
            ys.extend((y - r, y + r))
        else:
            xs.extend(x for x, _ in stroke.points)
            ys.extend(y for _, y in stroke.points)
    return min(xs) - _MARGIN, min(ys) - _MARGIN, max(xs) + _MARGIN, max(ys) + _MARGIN


@dataclass(frozen=True, slots=True)
class _Pen:
    width: float
    dash: list[float] | None


def _pen(weight: float, dash: bool, line: float) -> _Pen:
    width = weight * line
    return _Pen(width, [width * 1.2, width * 1.3] if dash else None)


def _shape(stroke: Stroke | Disc, to: Callable[[Point], Point], scale: float, line: float) -> Any:
    pen = _pen(stroke.weight, stroke.dash, line)
    fill = colour(stroke.fill) if stroke.fill else None
    if isinstance(stroke, Disc):
        x, y = to(stroke.centre)
        return Circle(x, y, stroke.radius * scale, strokeColor=colour(stroke.ink), strokeWidth=pen.width,
                      fillColor=fill, strokeDashArray=pen.dash)  # fmt: skip
    points = [coordinate for point in stroke.points for coordinate in to(point)]
    style = {"strokeColor": colour(stroke.ink), "strokeWidth": pen.width, "strokeDashArray": pen.dash,
             "strokeLineCap": 1, "strokeLineJoin": 1}  # fmt: skip
    if stroke.closed:
        return Polygon(points, fillColor=fill, **style)
    return PolyLine(points, **style)
