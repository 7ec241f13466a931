"""How a PDF progress chart looks: the colour, symbol and dash of each line, as the app draws them.

The legs keep ``LEFT_COLOUR``/``RIGHT_COLOUR`` and circle/square from ``workstation.progress.chart_data``, so
a letter's chart reads like the app's. Lines with no side take the app's Okabe-Ito colours in order
(``ui/charts/plot_style.py``); on paper they also get their own dash, since a black-and-white copy loses
the colour. Reference and marker lines use the app's pens. Symbols are ReportLab shapes centred on a point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Circle, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.fonts import REGULAR
from workstation.progress.chart_data import (
    LEFT_COLOUR,
    LEFT_SYMBOL,
    RIGHT_COLOUR,
    RIGHT_SYMBOL,
    MarkerKind,
    ReferenceKind,
)
from workstation.records import Side

Dash = tuple[float, ...] | None


@dataclass(frozen=True, slots=True)
class LineLook:
    colour: str
    symbol: str  # pyqtgraph's symbol names: "o" circle, "s" square, "t" triangle, "d" diamond, ...
    dash: Dash


# The app's colours for lines without a side, black first (ui/charts/plot_style.py _OTHER_STYLES).
_OTHER_LOOKS: tuple[LineLook, ...] = (
    LineLook("#000000", "t", None),
    LineLook("#CC79A7", "d", (4.0, 2.0)),
    LineLook("#E69F00", "t1", (1.0, 2.0)),
    LineLook("#56B4E9", "p", (5.0, 2.0, 1.0, 2.0)),
    LineLook("#009E73", "h", (8.0, 3.0)),
)
REFERENCE_LOOKS: dict[ReferenceKind, tuple[str, Dash]] = {
    "norm": ("#555555", (6.0, 2.0, 1.5, 2.0)),  # dash-dot
    "target": ("#1B7837", None),
    "aspirational": ("#1B7837", (5.0, 3.0)),
    "threshold": ("#333333", (1.5, 2.0)),  # dotted
}
MARKER_LOOKS: dict[MarkerKind, tuple[str, Dash]] = {
    "onset": ("#444444", (4.0, 3.0)),
    "red_flag": ("#B2182B", None),
    "discharge": ("#1B7837", (4.0, 3.0)),
}
BAND_OPACITY = 0.16
GRID_COLOUR = "#E3E6EA"
AXIS_COLOUR = "#444444"
TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#555555"


def series_look(side: Side, index: int) -> LineLook:
    """A line's look: left and right the same everywhere; others by their place among the lines with no side."""
    if side is Side.LEFT:
        return LineLook(LEFT_COLOUR, LEFT_SYMBOL, None)
    if side is Side.RIGHT:
        return LineLook(RIGHT_COLOUR, RIGHT_SYMBOL, None)
    return _OTHER_LOOKS[index % len(_OTHER_LOOKS)]


def colour(hex_colour: str) -> Any:
    return colors.HexColor(hex_colour)


def text_width(text: str, size: float) -> float:
    """The width of plain ``text`` in the charts' font (registered by the caller)."""
    return float(stringWidth(text, REGULAR, size))


def string_at(x: float, y: float, text: str, size: float, ink: str = TEXT_COLOUR, anchor: str = "start") -> String:
    """Plain text (never markup) in the bundled Unicode font, its baseline at ``y``."""
    return String(x, y, text, fontName=REGULAR, fontSize=size, fillColor=colour(ink), textAnchor=anchor)


def segment(x1: float, y1: float, x2: float, y2: float, ink: str, width: float, dash: Dash = None) -> Line:
    return Line(x1, y1, x2, y2, strokeColor=colour(ink), strokeWidth=width,
                strokeDashArray=list(dash) if dash else None)  # fmt: skip


_POLYGONS: dict[str, tuple[int, float]] = {  # symbol: (corners, angle of the first corner in degrees)
    "t": (3, 90.0),
    "t1": (3, -90.0),
    "d": (4, 90.0),
    "p": (5, 90.0),
    "h": (6, 90.0),
}


def symbol(name: str, x: float, y: float, radius: float, fill: str) -> Any:
    """The point symbol ``name`` centred on (x, y), filled and outlined in ``fill``."""
    ink = colour(fill)
    if name == "o":
        return Circle(x, y, radius, fillColor=ink, strokeColor=ink, strokeWidth=0.5)
    if name == "s":
        side = radius * 1.8  # a square looks as big as a circle when a little smaller across
        return Rect(x - side / 2, y - side / 2, side, side, fillColor=ink, strokeColor=ink, strokeWidth=0.5)
    corners, start = _POLYGONS[name]
    grow = 1.25  # a triangle's area is smaller than its circle's: grow it so the symbols weigh the same
    points: list[float] = []
    for corner in range(corners):
        angle = math.radians(start + 360.0 * corner / corners)
        points.extend((x + radius * grow * math.cos(angle), y + radius * grow * math.sin(angle)))
    return Polygon(points, fillColor=ink, strokeColor=ink, strokeWidth=0.5)
