"""Props and motion arrows of the exercise drawings, turned into strokes in scene units.

``prop_strokes`` returns two layers: what stands behind the person (floor, wall, step, chair, bike, roller)
and what lies on top (a towel in the hands, weights). ``motion_strokes`` draws the arrows in the accent
colour, with filled heads.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from reports.drawing_model import (
    Anchor,
    Bicycle,
    Block,
    Chair,
    Cramp,
    Dumbbell,
    Floor,
    FloorTowel,
    Guide,
    Motion,
    Point,
    Prop,
    Roller,
    Shadow,
    Strap,
    Turn,
    Wall,
    Weight,
)
from reports.drawing_style import (
    ACCENT,
    ARROW_WEIGHT,
    PROP,
    PROP_FILL,
    PROP_WEIGHT,
    STRAP,
    WEIGHT,
    Disc,
    Stroke,
)

Resolve = Callable[[Anchor], Point]
Shape = Stroke | Disc
_HEAD_LENGTH, _HEAD_WIDTH = 5.0, 4.2  # an arrowhead, scene units
_FRONT = (Strap, Dumbbell, Weight, Cramp)


def prop_strokes(props: Iterable[Prop], at: Resolve) -> tuple[list[float], list[Shape], list[Shape]]:
    """(the floor heights, what stands behind the person, what lies in front). The floor is drawn by the
    caller across the whole drawing, so it sets no width of its own."""
    back: list[Shape] = []
    front: list[Shape] = []
    floors = []
    for prop in props:
        if isinstance(prop, Floor):
            floors.append(prop.y)
        else:
            (front if isinstance(prop, _FRONT) else back).extend(_prop(prop, at))
    return floors, back, front


def floor_line(y: float, left: float, right: float) -> Stroke:
    return Stroke(((left, y), (right, y)), PROP, PROP_WEIGHT * 1.2)


def _prop(prop: Prop, at: Resolve) -> list[Shape]:
    if isinstance(prop, Wall):
        return _wall(prop)
    if isinstance(prop, Block):
        box = ((prop.left, prop.bottom), (prop.right, prop.bottom), (prop.right, prop.height), (prop.left, prop.height))
        return [Stroke(box, PROP, PROP_WEIGHT, closed=True, fill=PROP_FILL)]
    if isinstance(prop, Chair):
        return _chair(prop)
    if isinstance(prop, Roller):
        return [Disc(at(prop.centre), prop.radius, PROP, PROP_WEIGHT, PROP_FILL)]
    if isinstance(prop, Strap):
        return [Stroke(tuple(at(point) for point in prop.points), STRAP, 0.7)]
    if isinstance(prop, Dumbbell):
        return _dumbbell(at(prop.at), prop.upright)
    if isinstance(prop, Weight):
        return _weight(prop, at(prop.at))
    if isinstance(prop, FloorTowel):
        return [_towel(prop)]
    if isinstance(prop, Bicycle):
        return _bicycle(prop)
    if isinstance(prop, Shadow):
        return [_shadow(prop)]
    if isinstance(prop, Cramp):
        return [_zigzag(at(prop.at))]
    raise TypeError(f"not a prop: {prop!r}")


def _wall(wall: Wall) -> list[Shape]:
    """The wall face, and short hatching on the side away from the person."""
    shapes: list[Shape] = [Stroke(((wall.x, wall.bottom), (wall.x, wall.top)), PROP, PROP_WEIGHT * 1.4)]
    y = wall.bottom + 4.0
    while y < wall.top:
        shapes.append(Stroke(((wall.x, y), (wall.x + wall.facing * 4.0, y + 4.0)), PROP, PROP_WEIGHT * 0.7))
        y += 7.0
    return shapes


def _chair(chair: Chair) -> list[Shape]:
    back_edge = chair.front - chair.depth
    seat = ((back_edge, chair.seat - 2.5), (chair.front, chair.seat - 2.5), (chair.front, chair.seat),
            (back_edge, chair.seat))  # fmt: skip
    return [
        Stroke(((chair.front - 1.0, chair.seat - 2.5), (chair.front - 1.0, 0.0)), PROP, PROP_WEIGHT),
        Stroke(((back_edge + 1.0, chair.seat - 2.5), (back_edge + 1.0, 0.0)), PROP, PROP_WEIGHT),
        Stroke(((back_edge, chair.seat), (back_edge - 3.0, chair.seat + 27.0)), PROP, PROP_WEIGHT * 1.4),
        Stroke(seat, PROP, PROP_WEIGHT, closed=True, fill=PROP_FILL),
    ]


def _dumbbell(hand: Point, upright: bool) -> list[Shape]:
    x, y = hand
    if upright:
        bar = ((x, y - 5.0), (x, y + 5.0))
        plates = [(x - 2.5, y - 6.5, 5.0, 2.5), (x - 2.5, y + 4.0, 5.0, 2.5)]
    else:
        bar = ((x - 5.0, y), (x + 5.0, y))
        plates = [(x - 6.5, y - 2.5, 2.5, 5.0), (x + 4.0, y - 2.5, 2.5, 5.0)]
    shapes: list[Shape] = [Stroke(bar, WEIGHT, 0.5)]
    for left, bottom, w, h in plates:
        box = ((left, bottom), (left + w, bottom), (left + w, bottom + h), (left, bottom + h))
        shapes.append(Stroke(box, WEIGHT, 0.3, closed=True, fill=WEIGHT))
    return shapes


def _weight(weight: Weight, centre: Point) -> list[Shape]:
    x, y = centre
    if weight.disc:
        return [Disc(centre, weight.width / 2, WEIGHT, 0.3, WEIGHT), Disc(centre, 1.2, "#FFFFFF", 0.2, "#FFFFFF")]
    w, h = weight.width / 2, weight.height / 2
    box = ((x - w, y - h), (x + w, y - h), (x + w, y + h), (x - w, y + h))
    return [Stroke(box, WEIGHT, 0.3, closed=True, fill=WEIGHT)]


def _towel(towel: FloorTowel) -> Stroke:
    """A towel on the floor, rucked up in small waves (the toes gather it)."""
    steps = 16
    points = tuple(
        (towel.left + (towel.right - towel.left) * i / steps, 1.3 + 1.3 * math.sin(i * math.pi / 2))
        for i in range(steps + 1)
    )
    return Stroke(points, STRAP, 0.6)


def _bicycle(bike: Bicycle) -> list[Shape]:
    rear, front = (bike.rear, bike.radius), (bike.rear + bike.wheelbase, bike.radius)
    head = (bike.bars[0] - 4.0, bike.bars[1] - 6.0)
    seat_top = (bike.saddle[0] + 1.0, bike.saddle[1] - 2.0)
    frame = (rear, bike.crank, seat_top, rear)
    return [
        Disc(rear, bike.radius, PROP, PROP_WEIGHT * 1.3),
        Disc(front, bike.radius, PROP, PROP_WEIGHT * 1.3),
        Stroke(frame, PROP, PROP_WEIGHT * 1.4),
        Stroke((bike.crank, head, seat_top), PROP, PROP_WEIGHT * 1.4),
        Stroke((front, head, bike.bars), PROP, PROP_WEIGHT * 1.4),
        Stroke(((bike.saddle[0] - 5.0, bike.saddle[1]), (bike.saddle[0] + 5.0, bike.saddle[1])), PROP, 0.9),
        Disc(bike.crank, 2.0, PROP, PROP_WEIGHT, PROP_FILL),
    ]


def _shadow(shadow: Shadow) -> Stroke:
    half = shadow.width / 2
    angles = (step / 12 * math.pi for step in range(24))
    points = tuple((shadow.x + half * math.cos(a), 1.6 + 1.1 * math.sin(a)) for a in angles)
    return Stroke(points, "#A0A0A0", 0.2, closed=True, fill="#A0A0A0")


def _zigzag(centre: Point) -> Stroke:
    x, y = centre
    points = ((x - 5.0, y + 3.0), (x - 2.5, y - 2.0), (x, y + 3.0), (x + 2.5, y - 2.0), (x + 5.0, y + 3.0))
    return Stroke(points, ACCENT, 0.45)


# --- motion -------------------------------------------------------------------------------------------------


def motion_strokes(motion: Iterable[Motion], at: Resolve) -> list[Shape]:
    shapes: list[Shape] = []
    for item in motion:
        if isinstance(item, Guide):
            shapes.append(Stroke((at(item.start), at(item.end)), ACCENT, ARROW_WEIGHT * 0.8, dash=True))
            continue
        points = _arc(item, at) if isinstance(item, Turn) else _bowed(at(item.start), at(item.end), item.bend)
        shaft = _trimmed(points, _HEAD_LENGTH * 0.7)
        if item.both:
            shaft = _trimmed(shaft[::-1], _HEAD_LENGTH * 0.7)[::-1]
            shapes.append(_head(points[1], points[0]))
        shapes.append(Stroke(shaft, ACCENT, ARROW_WEIGHT))
        shapes.append(_head(points[-2], points[-1]))
    return shapes


def _trimmed(points: tuple[Point, ...], length: float) -> tuple[Point, ...]:
    """``points`` with ``length`` cut off the end, so a round line end stays hidden under the arrowhead."""
    kept = list(points)
    while len(kept) > 2:
        (x0, y0), (x1, y1) = kept[-2], kept[-1]
        step = math.hypot(x1 - x0, y1 - y0)
        if step > length:
            share = (step - length) / step
            kept[-1] = (x0 + (x1 - x0) * share, y0 + (y1 - y0) * share)
            return tuple(kept)
        length -= step
        kept.pop()
    (x0, y0), (x1, y1) = kept
    step = math.hypot(x1 - x0, y1 - y0)
    share = max(0.0, (step - length) / step) if step else 0.0
    return (kept[0], (x0 + (x1 - x0) * share, y0 + (y1 - y0) * share))


def _bowed(start: Point, end: Point, bend: float) -> tuple[Point, ...]:
    if not bend:
        return start, end
    dx, dy = end[0] - start[0], end[1] - start[1]
    middle = ((start[0] + end[0]) / 2 - dy * bend * 2, (start[1] + end[1]) / 2 + dx * bend * 2)
    return tuple(_quadratic(start, middle, end, step / 16) for step in range(17))


def _quadratic(a: Point, control: Point, b: Point, t: float) -> Point:
    u = 1 - t
    return (u * u * a[0] + 2 * u * t * control[0] + t * t * b[0], u * u * a[1] + 2 * u * t * control[1] + t * t * b[1])


def _arc(turn: Turn, at: Resolve) -> tuple[Point, ...]:
    cx, cy = at(turn.centre)
    steps = max(8, int(abs(turn.sweep) / 8))
    angles = (math.radians(turn.start + turn.sweep * i / steps) for i in range(steps + 1))
    return tuple((cx + turn.radius * math.cos(a), cy + turn.radius * math.sin(a)) for a in angles)


def _head(before: Point, tip: Point) -> Stroke:
    """A filled arrowhead at ``tip``, pointing the way the line arrives from ``before``."""
    angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
    back = (tip[0] - _HEAD_LENGTH * math.cos(angle), tip[1] - _HEAD_LENGTH * math.sin(angle))
    across = (-math.sin(angle) * _HEAD_WIDTH / 2, math.cos(angle) * _HEAD_WIDTH / 2)
    corners = (tip, (back[0] + across[0], back[1] + across[1]), (back[0] - across[0], back[1] - across[1]))
    return Stroke(corners, ACCENT, 0.2, closed=True, fill=ACCENT)
