"""Exercise drawings (reports.drawings): one for every library exercise, each different, each printable."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group
from reportlab.lib import colors

from reports.drawing_model import Figure, Scene
from reports.drawing_poses import SCENES
from reports.drawing_style import ACCENT, BODY
from reports.drawings import HEAD_RADIUS, draw_exercise, exercise_codes, solve
from workstation.clinical.exercises import EXERCISES

CODES = tuple(exercise.code for exercise in EXERCISES)
SIDE = 136.0  # the handout's card drawing, about 48 mm


def shapes(node: Any) -> Iterator[Any]:
    for child in node.getContents() if isinstance(node, Group) else ():
        if isinstance(child, Group):
            yield from shapes(child)
        else:
            yield child


def signature(drawing: Drawing) -> tuple[tuple[Any, ...], ...]:
    """The geometry of a drawing, rounded to whole points: what it looks like, not how it was made."""
    found = []
    for shape in shapes(drawing):
        if isinstance(shape, Circle):
            found.append(("circle", round(shape.cx), round(shape.cy), round(shape.r)))
        else:
            found.append((type(shape).__name__, *(round(v) for v in shape.points)))
    return tuple(sorted(found))


def person(code: str) -> Figure:
    return SCENES[code].figures[0]


def joints(code: str) -> dict[str, tuple[float, float]]:
    return solve(person(code))


def angle_at(code: str, a: str, b: str, c: str) -> float:
    """The angle in degrees at joint ``b`` between ``a`` and ``c`` (180: straight)."""
    found = joints(code)
    (ax, ay), (bx, by), (cx, cy) = found[a], found[b], found[c]
    first, second = math.atan2(ay - by, ax - bx), math.atan2(cy - by, cx - bx)
    turn = abs(math.degrees(first - second)) % 360
    return 360 - turn if turn > 180 else turn


def test_every_library_exercise_has_a_drawing_and_no_drawing_lacks_an_exercise() -> None:
    assert len(CODES) == 31
    assert set(exercise_codes()) == set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_each_drawing_renders_to_pdf(code: str) -> None:
    drawing = draw_exercise(code, SIDE, SIDE)
    assert renderPDF.drawToString(drawing).startswith(b"%PDF")
    x0, y0, x1, y1 = drawing.getBounds()
    assert x0 >= -2 and y0 >= -2 and x1 <= SIDE + 2 and y1 <= SIDE + 2  # inside the box (line ends included)


def test_no_two_drawings_are_the_same() -> None:
    signatures = {code: signature(draw_exercise(code, SIDE, SIDE)) for code in CODES}
    assert len(set(signatures.values())) == len(CODES)


def test_every_two_scenes_differ_in_pose_props_or_movement_not_just_a_little() -> None:
    for first, second in itertools.combinations(CODES, 2):
        assert _differences(SCENES[first], SCENES[second]) or _pose_gap(first, second) > 4.0, (first, second)


def test_an_unknown_code_raises_a_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="no_such_exercise"):
        draw_exercise("no_such_exercise", SIDE, SIDE)


def test_one_line_weight_for_the_body_and_one_accent_colour() -> None:
    weights = set()
    for code in CODES:
        for shape in shapes(draw_exercise(code, SIDE, SIDE)):
            ink = getattr(shape, "strokeColor", None)
            if ink is not None and ink.hexval() == colors.HexColor(BODY).hexval() and shape.strokeDashArray is None:
                weights.add(round(shape.strokeWidth, 3))
            for paint in (ink, getattr(shape, "fillColor", None)):
                if paint is not None and not _grey(paint):
                    assert paint.hexval() == colors.HexColor(ACCENT).hexval(), code
    # The body line, and the thinner nose mark that shows where a head looks.
    assert len(weights) <= 2 and max(weights) >= 2.5


def test_every_drawing_shows_movement_in_the_accent_colour() -> None:
    for code in CODES:
        accent = [s for s in shapes(draw_exercise(code, SIDE, SIDE))
                  if getattr(s, "strokeColor", None) is not None and s.strokeColor.hexval() ==
                  colors.HexColor(ACCENT).hexval()]  # fmt: skip
        assert accent, code


def test_people_are_about_the_same_size_on_every_card() -> None:
    heads = set()
    for code in CODES:
        radii = [s.r for s in shapes(draw_exercise(code, SIDE, SIDE)) if isinstance(s, Circle)
                 and s.fillColor is not None and s.fillColor.hexval() == colors.white.hexval()]  # fmt: skip
        heads.add(round(radii[0], 1))
    assert max(heads) / min(heads) <= 1.35


# --- the poses say what the exercise is -----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["calf_raise_double", "calf_raise_single_straight", "calf_raise_single_bent",
                                  "seated_calf_raise", "soleus_wall_sit", "loaded_toe_walk"])  # fmt: skip
def test_calf_raises_stand_on_the_toes_with_the_heel_up(code: str) -> None:
    found = joints(code)
    assert found["near_toe"][1] == pytest.approx(0.0, abs=1.5)
    assert found["near_heel"][1] > found["near_toe"][1] + 5


def test_the_step_raise_drops_the_heel_below_the_step() -> None:
    found = joints("calf_raise_step")
    assert found["near_toe"][1] == pytest.approx(14.0)
    assert found["near_heel"][1] < 14.0 - 3


def test_single_leg_raises_lift_the_other_foot() -> None:
    for code in ("calf_raise_single_straight", "calf_raise_single_bent"):
        found = joints(code)
        assert found["far_toe"][1] > found["near_toe"][1] + 10, code
    assert abs(joints("calf_raise_double")["far_toe"][1] - joints("calf_raise_double")["near_toe"][1]) < 1.5


def test_knee_straight_and_knee_bent_variants_differ_at_the_knee() -> None:
    assert angle_at("calf_raise_single_straight", "hip", "near_knee", "near_ankle") > 170
    assert angle_at("calf_raise_single_bent", "hip", "near_knee", "near_ankle") < 150
    assert angle_at("wall_stretch_straight", "hip", "near_knee", "near_ankle") > 170
    assert angle_at("wall_stretch_bent", "hip", "near_knee", "near_ankle") < 150


def test_the_wall_stretches_keep_the_back_heel_down() -> None:
    for code in ("wall_stretch_straight", "wall_stretch_bent"):
        found = joints(code)
        assert found["near_heel"][1] == pytest.approx(0.0, abs=0.5)
        assert found["near_toe"][1] == pytest.approx(0.0, abs=0.5)


def test_slider_looks_up_and_tensioner_looks_down_with_the_toes_pulled_up() -> None:
    slider, tensioner = person("slump_slider"), person("slump_tensioner")
    assert slider.gaze is not None and slider.gaze > 0
    assert tensioner.gaze is not None and tensioner.gaze < 0
    assert tensioner.near_foot > slider.near_foot + 30
    assert slider.round_back > 0 and tensioner.round_back > 0


def test_hops_are_in_the_air() -> None:
    for code in ("pogo_hops", "hop_and_bound"):
        found = joints(code)
        assert min(y for name, (_, y) in found.items() if name.endswith(("toe", "heel"))) > 3, code


def test_lying_exercises_lie_on_the_floor() -> None:
    for code in ("dead_bug", "single_leg_glute_bridge"):
        assert joints(code)["head"][1] <= HEAD_RADIUS + 2.5, code  # head down, on its back
    assert joints("superman")["hip"][1] <= 5  # face down, chest and legs lifted


# --- helpers --------------------------------------------------------------------------------------------------


def _grey(paint: Any) -> bool:
    return bool(abs(paint.red - paint.green) < 0.02 and abs(paint.green - paint.blue) < 0.02)


def _differences(first: Scene, second: Scene) -> bool:
    """True when the two scenes use different props or different kinds of movement arrow."""
    kinds = [(sorted(type(p).__name__ for p in s.props), sorted(type(m).__name__ for m in s.motion))
             for s in (first, second)]  # fmt: skip
    return kinds[0] != kinds[1]


def _pose_gap(first: str, second: str) -> float:
    """The largest distance between the same joint in two poses, both moved so their hips meet."""
    a, b = joints(first), joints(second)
    (ax, ay), (bx, by) = a["hip"], b["hip"]
    return max(math.dist((a[n][0] - ax, a[n][1] - ay), (b[n][0] - bx, b[n][1] - by)) for n in a)
