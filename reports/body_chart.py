"""The body chart inside letters: the shipped drawing with the marked regions filled, as vector graphics.

The geometry is ``workstation.assessment.body_chart.load_chart()``, the one the wizard draws and hit-tests,
in the SVG's viewBox coordinates (y grows downwards; ReportLab's grows upwards, so y is flipped here). The
marked regions are filled in one strong colour that stays dark on a black-and-white copy, and they are
also named in words under or beside the drawing, so the chart never relies on colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.graphics.shapes import Drawing, Group, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.fonts import BOLD, REGULAR, register_fonts
from workstation.assessment.body_chart import BodyChart, load_chart, region, sort_codes
from workstation.letters.document import BodyChartFigure

MARKED_FILL = "#C62828"  # a deep red: clear on screen, a dark grey when printed in black and white
MARKED_STROKE = "#7F0000"
LEGEND_TEXT = "Marked: where it hurts"
NOTHING_MARKED = "Nothing marked on the body chart"
TEXT_SIZE = 8.0
_LINE = TEXT_SIZE * 1.3
_GAP = 8.0  # points between the drawing and the words
_INK = "#222222"


@dataclass(frozen=True, slots=True)
class _Layout:
    scale: float
    chart_x: float  # where the drawing's top-left corner goes (ReportLab coordinates)
    chart_top: float
    text_x: float
    text_top: float
    columns: int
    column_width: float


def draw_body_chart(figure: BodyChartFigure, width: float, height: float) -> Drawing:
    """Draw the body chart with ``figure.regions`` filled, scaled to fit ``width`` × ``height`` points.

    The drawing keeps its aspect ratio; the legend and the names of the marked regions go under it, or
    beside it when that leaves the drawing bigger. Codes the chart does not have are ignored (a letter of
    an older chart still prints).

    Args:
        figure: the marked region codes (``workstation.assessment.body_chart.REGIONS``).
        width: the drawing's width in points.
        height: the drawing's height in points.

    Returns:
        A ReportLab ``Drawing``.
    """
    register_fonts()
    chart = load_chart()
    marked = sort_codes(figure.regions)
    names = [region(code).label for code in marked]
    layout = _layout(chart, names, width, height)
    drawing = Drawing(width, height)
    drawing.add(_chart_group(chart, set(marked), layout))
    drawing.add(_words(names, layout))
    return drawing


def _layout(chart: BodyChart, names: list[str], width: float, height: float) -> _Layout:
    """The larger of two arrangements: the words in one or two columns under the drawing, or beside it."""
    widest = max((_width(text, REGULAR) for text in names), default=0.0)
    widest = max(widest, _width(LEGEND_TEXT, BOLD) + TEXT_SIZE * 1.6, _width(NOTHING_MARKED, REGULAR))
    columns = 2 if len(names) > 3 and 2 * widest + _GAP <= width else 1
    under_lines = 1 + math.ceil(len(names) / columns)
    under = min(width / chart.width, (height - under_lines * _LINE - _GAP) / chart.height)
    beside_lines = 1 + len(names)
    beside = min((width - widest - _GAP) / chart.width, height / chart.height)
    if beside_lines * _LINE > height:
        beside = 0.0
    if beside > under:
        return _Layout(beside, 0.0, height, beside * chart.width + _GAP, height, 1, widest)
    scale = max(under, 0.05)
    left = (width - scale * chart.width) / 2
    text_x = max(0.0, min(left, width - columns * (widest + _GAP)))  # under the drawing's left edge if it fits
    return _Layout(scale, left, height, text_x, height - scale * chart.height - _GAP, columns, widest + _GAP)


def _width(text: str, font: str) -> float:
    return float(stringWidth(text, font, TEXT_SIZE))


def _chart_group(chart: BodyChart, marked: set[str], layout: _Layout) -> Group:
    group = Group()
    for index, shape in enumerate(chart.shapes):
        group.add(_placed_shape(index, shape.region in marked, layout))
    for index in range(len(chart.labels)):
        group.add(_placed_label(index, layout))
    return group


# The outlines are the same in every letter of a batch (one layout, a few marked sets), and ReportLab checks
# every attribute of every new shape: placed shapes are made once and shared between drawings, which
# only read them.
@lru_cache(maxsize=2048)
def _placed_shape(index: int, marked: bool, layout: _Layout) -> Any:
    shape = load_chart().shapes[index]
    points = [coordinate for x, y in shape.points for coordinate in _place(layout, x, y)]
    stroke = MARKED_STROKE if marked else shape.stroke
    width = max(0.3, shape.stroke_width * layout.scale)
    ink = colors.HexColor(stroke) if stroke else None
    if not shape.closed:
        return PolyLine(points, strokeColor=ink, strokeWidth=width, strokeLineJoin=1, strokeLineCap=1)
    fill = MARKED_FILL if marked else shape.fill
    return Polygon(points, fillColor=colors.HexColor(fill) if fill else None, strokeColor=ink,
                   strokeWidth=width if ink else 0, strokeLineJoin=1)  # fmt: skip


@lru_cache(maxsize=256)
def _placed_label(index: int, layout: _Layout) -> String:
    label = load_chart().labels[index]
    x, y = _place(layout, label.x, label.y)
    return String(x, y, label.text, fontName=BOLD if label.bold else REGULAR,
                  fontSize=max(4.0, label.size * layout.scale), fillColor=colors.HexColor(label.colour),
                  textAnchor=label.anchor)  # fmt: skip


def _place(layout: _Layout, x: float, y: float) -> tuple[float, float]:
    """SVG coordinates (y down) to the drawing's (y up)."""
    return layout.chart_x + x * layout.scale, layout.chart_top - y * layout.scale


def _words(names: list[str], layout: _Layout) -> Group:
    """The legend swatch and text, then the marked regions' names in reading order down each column."""
    group = Group()
    x, top = layout.text_x, layout.text_top
    baseline = top - TEXT_SIZE
    if not names:
        group.add(_string(x, baseline, NOTHING_MARKED, REGULAR))
        return group
    swatch = TEXT_SIZE * 1.1
    group.add(Rect(x, baseline - 1, swatch, TEXT_SIZE, fillColor=colors.HexColor(MARKED_FILL),
                   strokeColor=colors.HexColor(MARKED_STROKE), strokeWidth=0.6))  # fmt: skip
    group.add(_string(x + swatch + 4, baseline, LEGEND_TEXT, BOLD))
    rows = math.ceil(len(names) / layout.columns)
    for index, name in enumerate(names):
        column, row = divmod(index, rows)
        group.add(_string(x + column * layout.column_width, baseline - (row + 1) * _LINE, name, REGULAR))
    return group


def _string(x: float, y: float, text: str, font: str) -> String:
    return String(x, y, text, fontName=font, fontSize=TEXT_SIZE, fillColor=colors.HexColor(_INK))
