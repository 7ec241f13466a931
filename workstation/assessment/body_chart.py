"""The body chart: where it hurts, as regions of ``resources/body_chart.svg``, and what that means for the engine.

The drawing is read here with the standard library, not with Qt, so the wizard (Qt), the summary and the
letters (ReportLab) all draw and hit-test the same geometry in the SVG's own coordinate space (its viewBox;
y grows downwards). The SVG uses only ``polygon``, ``polyline`` and ``text`` so any reader can draw it.

Each clickable area is ``<polygon id="region-CODE">``. :data:`REGIONS` says what each code means; a test keeps
the table and the drawing in step. Marked regions are stored as their codes in the draft detail
``body_chart.regions`` and summarised for the contract's ``history.pain_location`` by :func:`pain_location_of`.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import resources

SVG_NAME = "body_chart.svg"
REGION_ID_PREFIX = "region-"
_SVG_NS = "{http://www.w3.org/2000/svg}"

Leg = Literal["left", "right"]
View = Literal["back", "side"]
Point = tuple[float, float]

# The contract's values for history.pain_location, with the words shown beside the chart.
PAIN_LOCATION_LABELS: Mapping[str, str] = {
    "upper_medial": "Upper inner calf",
    "mid": "Mid calf",
    "low_above_achilles": "Low calf above the Achilles",
    "lateral_fibula": "Outer leg over the fibula",
    "diffuse": "Diffuse, several areas",
}


@dataclass(frozen=True, slots=True)
class Region:
    """One area of the chart. ``area`` is the contract pain_location it implies, or None where the contract
    has no value for it (back of knee, Achilles tendon, heel, front of leg, outer ankle)."""

    code: str
    label: str
    leg: Leg
    view: View
    area: str | None


# The order is the keyboard order (Tab): the back view top to bottom, then the side view.
_PARTS: tuple[tuple[str, str, View, str | None], ...] = (
    ("knee", "back of knee", "back", None),
    ("upper-medial", "upper calf, inner side", "back", "upper_medial"),
    # The lateral gastrocnemius head: the contract has no "upper lateral" value, and this is calf belly.
    ("upper-lateral", "upper calf, outer side", "back", "mid"),
    ("mid", "mid calf", "back", "mid"),
    ("low", "lower calf above the Achilles", "back", "low_above_achilles"),
    ("achilles", "Achilles tendon", "back", None),
    ("heel", "heel", "back", None),
    ("front", "front of leg, outer side", "side", None),
    ("fibula-upper", "outer leg over the fibula, upper third", "side", "lateral_fibula"),
    ("fibula-mid", "outer leg over the fibula, middle third", "side", "lateral_fibula"),
    ("fibula-low", "outer leg over the fibula, lower third", "side", "lateral_fibula"),
    ("outer-ankle", "outer ankle", "side", None),
)

REGIONS: tuple[Region, ...] = tuple(
    Region(f"{leg}-{part}", f"{leg.capitalize()}: {label}", leg, view, area)
    for leg in ("left", "right")
    for part, label, view, area in _PARTS
)
_BY_CODE: Mapping[str, Region] = {region.code: region for region in REGIONS}


def region(code: str) -> Region:
    """The region with this code. Raises KeyError for a code the chart does not have."""
    return _BY_CODE[code]


def pain_location_of(codes: Iterable[str]) -> str | None:
    """The contract's ``history.pain_location`` implied by the marked regions.

    One area (on either or both legs) gives that area; regions in different areas give ``"diffuse"``;
    nothing marked, or only regions the contract has no value for, gives None (not answered). Unknown
    codes are ignored, so a draft saved with an older chart still opens.
    """
    areas = {_BY_CODE[code].area for code in codes if code in _BY_CODE} - {None}
    if not areas:
        return None
    if len(areas) > 1:
        return "diffuse"
    return next(iter(areas))


def sort_codes(codes: Iterable[str]) -> list[str]:
    """Known codes in chart order, each once: the stable form stored in the draft."""
    wanted = set(codes)
    return [r.code for r in REGIONS if r.code in wanted]


# --- Geometry -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shape:
    """A drawn line or area; colours as SVG writes them ("#4a5058", or None for none)."""

    points: tuple[Point, ...]
    closed: bool
    fill: str | None
    stroke: str | None
    stroke_width: float
    region: str | None  # the region code when this shape is a clickable region


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float  # the baseline
    text: str
    size: float
    bold: bool
    anchor: str  # "start" | "middle" | "end"
    colour: str


@dataclass(frozen=True, slots=True)
class BodyChart:
    """The whole drawing in paint order, and the region polygons by code."""

    width: float
    height: float
    shapes: tuple[Shape, ...]
    labels: tuple[Label, ...]
    regions: Mapping[str, tuple[Point, ...]]

    def region_at(self, x: float, y: float) -> str | None:
        """The code of the region under the point (SVG coordinates), or None outside every region."""
        for code, polygon in self.regions.items():
            if _inside(polygon, x, y):
                return code
        return None

    def centre(self, code: str) -> Point:
        """A point well inside the region (its area centroid), for focus order, labels and tests."""
        return _centroid(self.regions[code])

    def neighbour(self, code: str, dx: int, dy: int) -> str:
        """The nearest region in a direction (dx, dy each -1, 0 or 1), for arrow keys; ``code`` at the edge."""
        x0, y0 = self.centre(code)
        best, best_cost = code, math.inf
        for other in self.regions:
            if other == code:
                continue
            x, y = self.centre(other)
            along = (x - x0) * dx + (y - y0) * dy  # distance in the wanted direction
            across = abs((x - x0) * dy) + abs((y - y0) * dx)  # drift sideways
            if along <= 0.5:
                continue
            cost = along + 2.5 * across  # prefer staying in line over the closest region overall
            if cost < best_cost:
                best, best_cost = other, cost
        return best


def parse_chart(svg_text: str) -> BodyChart:
    """Read the drawing. Raises ValueError for an SVG this module cannot use (no viewBox, odd points)."""
    root = ET.fromstring(svg_text)
    view_box = [float(v) for v in root.get("viewBox", "").replace(",", " ").split()]
    if len(view_box) != 4:
        raise ValueError("body chart SVG needs a viewBox")
    shapes: list[Shape] = []
    labels: list[Label] = []
    _walk(root, {}, shapes, labels)
    regions = {s.region: s.points for s in shapes if s.region is not None}
    return BodyChart(view_box[2], view_box[3], tuple(shapes), tuple(labels), regions)


@cache
def load_chart() -> BodyChart:
    """The chart CalfDesk ships, read once per process."""
    return parse_chart(svg_path().read_text(encoding="utf-8"))


def svg_path() -> Path:
    return resources.path(SVG_NAME)


def region_at(x: float, y: float) -> str | None:
    """The region of the shipped chart under the point (SVG coordinates), or None."""
    return load_chart().region_at(x, y)


_INHERITED = ("fill", "stroke", "stroke-width", "font-size", "font-weight", "text-anchor")


def _walk(element: ET.Element, inherited: dict[str, str], shapes: list[Shape], labels: list[Label]) -> None:
    style = dict(inherited)
    style.update({key: element.attrib[key] for key in _INHERITED if key in element.attrib})
    tag = element.tag.removeprefix(_SVG_NS)
    if tag in ("polygon", "polyline"):
        element_id = element.get("id", "")
        code = element_id.removeprefix(REGION_ID_PREFIX) if element_id.startswith(REGION_ID_PREFIX) else None
        shapes.append(
            Shape(
                points=_points(element.get("points", "")),
                closed=tag == "polygon",
                fill=_colour(style.get("fill", "#000000")),
                stroke=_colour(style.get("stroke", "none")),
                stroke_width=float(style.get("stroke-width", "1")),
                region=code,
            )
        )
    elif tag == "text":
        labels.append(
            Label(
                x=float(element.get("x", "0")),
                y=float(element.get("y", "0")),
                text="".join(element.itertext()).strip(),
                size=float(style.get("font-size", "12")),
                bold=style.get("font-weight") == "bold",
                anchor=style.get("text-anchor", "start"),
                colour=_colour(style.get("fill", "#000000")) or "#000000",
            )
        )
    for child in element:
        _walk(child, style, shapes, labels)


def _colour(value: str) -> str | None:
    return None if value == "none" else value


def _points(text: str) -> tuple[Point, ...]:
    numbers = [float(v) for v in text.replace(",", " ").split()]
    if len(numbers) % 2 or len(numbers) < 4:
        raise ValueError(f"body chart SVG: bad points {text[:40]!r}")
    return tuple((numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2))


def _inside(polygon: tuple[Point, ...], x: float, y: float) -> bool:
    """Even-odd rule: count the edges a ray to the right crosses."""
    inside = False
    j = len(polygon) - 1
    for i, (xi, yi) in enumerate(polygon):
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < xi + (y - yi) * (xj - xi) / (yj - yi):
            inside = not inside
        j = i
    return inside


def _centroid(polygon: tuple[Point, ...]) -> Point:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        return (sum(p[0] for p in polygon) / len(polygon), sum(p[1] for p in polygon) / len(polygon))
    return (cx / (3 * area), cy / (3 * area))
