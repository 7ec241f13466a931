"""The look of the exercise drawings, and the two primitives (strokes and discs) they are made of.

Greys for everything but the motion arrows, so a black-and-white copy loses nothing: the body black, the
far-side limbs mid grey, props light. One accent colour, a strong blue, marks movement only. Weights are
multiples of the body's line weight, which ``reports.drawings`` sets from the drawing's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors

from reports.drawing_model import Point

BODY = "#111111"
FAR = "#8C8C8C"  # the limbs on the far side of the body
GHOST = "#B5B5B5"  # the other end of a movement, dashed
HEAD_FILL = "#FFFFFF"
PROP = "#5A5A5A"  # outlines of walls, steps, chairs, the floor
PROP_FILL = "#E2E2E2"
WEIGHT = "#3A3A3A"  # weights are dark: they read as heavy
STRAP = "#6E6E6E"
ACCENT = "#1565C0"  # motion arrows, and nothing else

PROP_WEIGHT = 0.5
ARROW_WEIGHT = 0.6


@dataclass(frozen=True, slots=True)
class Stroke:
    """A line through ``points`` (a closed, optionally filled outline when ``closed``), in scene units."""

    points: tuple[Point, ...]
    ink: str
    weight: float  # times the body's line weight
    dash: bool = False
    closed: bool = False
    fill: str | None = None


@dataclass(frozen=True, slots=True)
class Disc:
    """A circle: the head, a wheel, a roller. ``fill`` None leaves it open."""

    centre: Point
    radius: float
    ink: str
    weight: float
    fill: str | None = None
    dash: bool = False


def colour(hex_colour: str) -> Any:
    return colors.HexColor(hex_colour)
