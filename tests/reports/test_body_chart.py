"""The body chart in letters (reports.body_chart): marked regions filled and named, from the shared geometry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, Polygon, PolyLine, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.body_chart import LEGEND_TEXT, MARKED_FILL, NOTHING_MARKED, draw_body_chart
from tests.reports.pdf_text import all_text
from workstation.assessment.body_chart import REGIONS, load_chart, region
from workstation.letters.document import BodyChartFigure

WIDTH, HEIGHT = 480.0, 230.0


def shapes(node: Any) -> Iterator[Any]:
    for child in node.getContents() if isinstance(node, Group) else ():
        if isinstance(child, Group):
            yield from shapes(child)
        else:
            yield child


def polygons(drawing: Drawing) -> list[Polygon]:
    return [s for s in shapes(drawing) if isinstance(s, Polygon)]


def marked(drawing: Drawing) -> list[Polygon]:
    highlight = colors.HexColor(MARKED_FILL).hexval()
    return [p for p in polygons(drawing) if p.fillColor is not None and p.fillColor.hexval() == highlight]


def texts(drawing: Drawing) -> list[str]:
    return [s.text for s in shapes(drawing) if isinstance(s, String)]


def test_every_shape_of_the_chart_is_drawn() -> None:
    chart = load_chart()
    drawing = draw_body_chart(BodyChartFigure(()), WIDTH, HEIGHT)
    drawn = [s for s in shapes(drawing) if isinstance(s, PolyLine | Polygon)]
    assert len(drawn) == len(chart.shapes)
    assert [len(s.points) // 2 for s in drawn] == [len(shape.points) for shape in chart.shapes]
    assert {label.text for label in chart.labels} <= set(texts(drawing))


def test_marked_regions_are_filled_in_the_highlight_and_the_others_are_not() -> None:
    codes = ("left-mid", "left-low", "right-fibula-mid")
    drawing = draw_body_chart(BodyChartFigure(codes), WIDTH, HEIGHT)
    filled = marked(drawing)
    chart = load_chart()
    assert sorted(len(p.points) // 2 for p in filled) == sorted(len(chart.regions[code]) for code in codes)
    unmarked = [p for p in polygons(drawing) if p not in filled]
    assert all(p.fillColor is None or p.fillColor.hexval() != colors.HexColor(MARKED_FILL).hexval() for p in unmarked)
    assert len(unmarked) == len([s for s in chart.shapes if s.closed]) - len(codes)


def test_the_filled_shape_is_the_region_itself() -> None:
    drawing = draw_body_chart(BodyChartFigure(("right-heel",)), WIDTH, HEIGHT)
    (filled,) = marked(drawing)
    chart = load_chart()
    heel = chart.regions["right-heel"]
    xs, ys = filled.points[0::2], filled.points[1::2]
    # Same shape, scaled and flipped: the SVG's lowest point (largest y) is the drawing's lowest.
    lowest = max(range(len(heel)), key=lambda i: heel[i][1])
    assert ys[lowest] == min(ys)
    assert (max(xs) - min(xs)) / (max(ys) - min(ys)) == pytest.approx(
        (max(x for x, _ in heel) - min(x for x, _ in heel)) / (max(y for _, y in heel) - min(y for _, y in heel))
    )


def test_the_marked_regions_are_named_beside_the_legend() -> None:
    codes = ("left-knee", "right-achilles")
    drawing = draw_body_chart(BodyChartFigure(codes), WIDTH, HEIGHT)
    found = texts(drawing)
    assert LEGEND_TEXT in found
    assert [text for text in found if text in {r.label for r in REGIONS}] == [region(c).label for c in codes]
    assert NOTHING_MARKED not in found


def test_nothing_marked_says_so_and_fills_nothing() -> None:
    drawing = draw_body_chart(BodyChartFigure(()), WIDTH, HEIGHT)
    assert not marked(drawing)
    assert NOTHING_MARKED in texts(drawing) and LEGEND_TEXT not in texts(drawing)


def test_an_unknown_code_is_ignored() -> None:
    drawing = draw_body_chart(BodyChartFigure(("left-mid", "left-elbow")), WIDTH, HEIGHT)
    assert len(marked(drawing)) == 1


@pytest.mark.parametrize(("width", "height"), [(480.0, 230.0), (480.0, 330.0), (300.0, 160.0), (200.0, 400.0)])
def test_the_drawing_fits_its_box_and_keeps_its_aspect(width: float, height: float) -> None:
    every = tuple(r.code for r in REGIONS[:8])
    drawing = draw_body_chart(BodyChartFigure(every), width, height)
    x0, y0, x1, y1 = drawing.getBounds()
    assert x0 >= -1 and y0 >= -1 and x1 <= width + 1 and y1 <= height + 1
    for label in (s for s in shapes(drawing) if isinstance(s, String) and s.textAnchor == "start"):
        assert label.x + stringWidth(label.text, label.fontName, label.fontSize) <= width + 1
    outline = [s for s in shapes(drawing) if isinstance(s, PolyLine | Polygon)]
    xs = [x for s in outline for x in s.points[0::2]]
    ys = [y for s in outline for y in s.points[1::2]]
    chart = load_chart()
    svg_xs = [x for s in chart.shapes for x, _ in s.points]
    svg_ys = [y for s in chart.shapes for _, y in s.points]
    assert (max(xs) - min(xs)) / (max(ys) - min(ys)) == pytest.approx(
        (max(svg_xs) - min(svg_xs)) / (max(svg_ys) - min(svg_ys)), rel=1e-6
    )


def test_the_body_chart_renders_to_pdf_with_its_words() -> None:
    drawing = draw_body_chart(BodyChartFigure(("left-mid",)), WIDTH, HEIGHT)
    text = all_text(renderPDF.drawToString(drawing))
    assert LEGEND_TEXT in text and "Left: mid calf" in text and "From behind" in text
