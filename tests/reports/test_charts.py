"""PDF progress charts (reports.charts): what the Drawing holds, read from its shapes, not from pixels."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.chart_scale import LABEL_GAP, date_ticks, value_scale
from reports.chart_style import MARKER_LOOKS, REFERENCE_LOOKS
from reports.charts import draw_chart
from reports.fonts import REGULAR, register_fonts
from tests.reports.pdf_text import all_text
from tests.workstation.progress.helpers import assessment, inputs, observation, patient
from workstation.letters.document import ChartFigure
from workstation.progress.chart_data import (
    LEFT_COLOUR,
    RIGHT_COLOUR,
    Chart,
    ChartPoint,
    ErrorBand,
    Marker,
    Reference,
    Series,
)
from workstation.progress.series import build_progress
from workstation.records import Sex, Side

FIRST, LAST = date(2026, 1, 1), date(2026, 6, 30)
WIDTH, HEIGHT = 420.0, 180.0


def shapes(node: Any) -> Iterator[Any]:
    """Every leaf shape of a drawing, groups opened."""
    for child in node.getContents() if isinstance(node, Group) else ():
        if isinstance(child, Group):
            yield from shapes(child)
        else:
            yield child


def strings(drawing: Drawing) -> list[String]:
    return [shape for shape in shapes(drawing) if isinstance(shape, String)]


def texts(drawing: Drawing) -> list[str]:
    return [shape.text for shape in strings(drawing)]


def same_colour(shape: Any, hex_colour: str, attribute: str = "fillColor") -> bool:
    found = getattr(shape, attribute, None)
    return found is not None and found.hexval() == colors.HexColor(hex_colour).hexval()


def points(values: list[tuple[date, float]]) -> tuple[ChartPoint, ...]:
    return tuple(ChartPoint(on, value, None, "") for on, value in values)


def chart(
    series: tuple[Series, ...] = (),
    references: tuple[Reference, ...] = (),
    bands: tuple[ErrorBand, ...] = (),
    y_range: tuple[float, float] | None = None,
    y_label: str = "reps",
) -> Chart:
    empty = "No heel-raise test yet"
    return Chart("heel_raise", "Heel raise (reps)", y_label, series, references, bands, y_range, empty)


def figure(made: Chart, markers: tuple[Marker, ...] = (), first: date = FIRST, last: date = LAST) -> ChartFigure:
    return ChartFigure(made, markers, first, last)


LEFT = Series("left", "Left", Side.LEFT,
              points([(date(2026, 1, 10), 12), (date(2026, 3, 10), 18), (date(2026, 5, 10), 24)]))  # fmt: skip
RIGHT = Series("right", "Right", Side.RIGHT, points([(date(2026, 1, 10), 30), (date(2026, 3, 10), 31)]))
TARGET = Reference("target_30", "Runner target 30", "target", ((date.min, 30.0),))
ASPIRATIONAL = Reference("aspirational_40", "Aspirational 40", "aspirational", ((date.min, 40.0),))
NORM = Reference("age_sex_norm", "Norm for age and sex", "norm", ((FIRST, 28.0), (LAST, 28.0)))


def test_left_leg_is_blue_circles_and_right_leg_vermillion_squares() -> None:
    drawing = draw_chart(figure(chart((LEFT, RIGHT))), WIDTH, HEIGHT)
    found = list(shapes(drawing))
    left_circles = [s for s in found if isinstance(s, Circle) and same_colour(s, LEFT_COLOUR)]
    right_squares = [s for s in found if isinstance(s, Rect) and same_colour(s, RIGHT_COLOUR)]
    assert len(left_circles) == 3 + 1  # each point, and the legend's sample
    assert len(right_squares) == 2 + 1
    assert not [s for s in found if isinstance(s, Circle) and same_colour(s, RIGHT_COLOUR)]
    assert not [s for s in found if isinstance(s, Rect) and same_colour(s, LEFT_COLOUR)]
    lines = [s for s in found if isinstance(s, PolyLine) and not isinstance(s, Polygon)]
    assert any(same_colour(s, LEFT_COLOUR, "strokeColor") and len(s.points) == 6 for s in lines)
    assert any(same_colour(s, RIGHT_COLOUR, "strokeColor") and len(s.points) == 4 for s in lines)
    assert {"Left", "Right"} <= set(texts(drawing))


def test_points_rise_with_their_values_and_move_right_with_their_dates() -> None:
    drawing = draw_chart(figure(chart((LEFT,))), WIDTH, HEIGHT)
    circles = sorted((s for s in shapes(drawing) if isinstance(s, Circle)), key=lambda c: c.cx)[1:]  # legend first
    assert [c.cx for c in circles] == sorted(c.cx for c in circles)
    assert circles[0].cy < circles[1].cy < circles[2].cy


def test_reference_lines_are_drawn_in_their_own_dashes_and_named_at_the_right_end() -> None:
    drawing = draw_chart(figure(chart((LEFT, RIGHT), (NORM, TARGET, ASPIRATIONAL))), WIDTH, HEIGHT)
    lines = [s for s in shapes(drawing) if isinstance(s, PolyLine) and not isinstance(s, Polygon)]
    for reference in (NORM, TARGET, ASPIRATIONAL):
        ink, dash = REFERENCE_LOOKS[reference.kind]
        drawn = [s for s in lines if same_colour(s, ink, "strokeColor") and _dash(s) == dash]
        assert drawn, reference.key
        label = next(s for s in strings(drawing) if s.text == reference.label)
        assert label.x > max(drawn[0].points[0::2])  # right of the line's end
    dashes = {_dash(s) for s in lines if any(same_colour(s, REFERENCE_LOOKS[k][0], "strokeColor") for k in
                                                  ("norm", "target"))}  # fmt: skip
    assert len(dashes) == 3  # norm, target and aspirational each look different


def test_reference_labels_close_together_do_not_overlap() -> None:
    near = Reference("other", "Another line at 29", "threshold", ((date.min, 29.0),))
    drawing = draw_chart(figure(chart((LEFT,), (NORM, TARGET, near))), WIDTH, HEIGHT)
    labels = sorted((s for s in strings(drawing) if s.x > WIDTH * 0.6), key=lambda s: -s.y)
    assert len(labels) >= 3
    for upper, lower in itertools.pairwise(labels):
        assert upper.y - lower.y >= lower.fontSize


def test_a_long_reference_label_wraps_inside_the_drawing() -> None:
    long = Reference("mcid", "First LEFS + 9 points (smallest important change)", "threshold", ((date.min, 20.0),))
    drawing = draw_chart(figure(chart((LEFT,), (long,))), WIDTH, HEIGHT)
    label_lines = [s for s in strings(drawing) if s.text and s.text in long.label and s.x > WIDTH / 2]
    assert len(label_lines) >= 2
    assert " ".join(s.text for s in sorted(label_lines, key=lambda s: -s.y)) == long.label
    for line in label_lines:
        assert line.x + stringWidth(line.text, REGULAR, line.fontSize) <= WIDTH + 0.5


def test_an_empty_chart_shows_only_its_words() -> None:
    drawing = draw_chart(figure(chart((Series("left", "Left", Side.LEFT, ()),), (TARGET,))), WIDTH, HEIGHT)
    found = list(shapes(drawing))
    assert [type(s) for s in found] == [String]
    assert found[0].text == "No heel-raise test yet"
    assert found[0].textAnchor == "middle" and found[0].x == pytest.approx(WIDTH / 2)


def test_points_outside_the_days_shown_are_left_out() -> None:
    outside = Series("left", "Left", Side.LEFT, points([
        (FIRST - timedelta(days=1), 5), (date(2026, 2, 1), 10), (date(2026, 4, 1), 15), (LAST + timedelta(days=1), 50),
    ]))  # fmt: skip
    drawing = draw_chart(figure(chart((outside,))), WIDTH, HEIGHT)
    circles = [s for s in shapes(drawing) if isinstance(s, Circle)]
    assert len(circles) == 2 + 1  # two points inside, and the legend
    # The 50 outside the range does not stretch the scale either.
    assert max(_y_ticks(drawing)) == 20


def test_only_points_outside_the_days_shown_make_an_empty_chart() -> None:
    before = Series("left", "Left", Side.LEFT, points([(FIRST - timedelta(days=30), 5)]))
    drawing = draw_chart(figure(chart((before,))), WIDTH, HEIGHT)
    assert texts(drawing) == ["No heel-raise test yet"]


def test_y_ticks_are_round_and_start_at_zero() -> None:
    drawing = draw_chart(figure(chart((LEFT, RIGHT), (ASPIRATIONAL,))), WIDTH, HEIGHT)
    ticks = _y_ticks(drawing)
    assert ticks == [0, 10, 20, 30, 40, 50]  # 40 plus headroom, in steps of ten


def test_a_fixed_scale_is_kept_with_round_ticks_inside_it() -> None:
    pain = Series("nprs_now", "Pain now", Side.NONE, points([(date(2026, 2, 1), 3), (date(2026, 3, 1), 2)]))
    drawing = draw_chart(figure(chart((pain,), y_range=(0.0, 10.0), y_label="0-10")), WIDTH, HEIGHT)
    assert _y_ticks(drawing) == [0, 2, 4, 6, 8, 10]


def test_a_single_point_says_its_value() -> None:
    lone = Series("lefs", "LEFS", Side.NONE, points([(date(2026, 3, 3), 52)]))
    drawing = draw_chart(figure(chart((lone,), y_label="points")), WIDTH, HEIGHT)
    value = [s for s in strings(drawing) if s.text == "52"]
    assert len(value) == 1
    symbol = next(s for s in shapes(drawing) if isinstance(s, Polygon) and s.points[0] > 60)  # not the legend's
    assert abs(value[0].x - symbol.points[0]) < 15


def test_markers_are_vertical_lines_with_their_labels_and_those_outside_are_left_out() -> None:
    markers = (
        Marker(date(2026, 1, 5), "onset", "Onset", ""),
        Marker(date(2026, 2, 20), "red_flag", "Red flag: suspected DVT", ""),
        Marker(LAST + timedelta(days=3), "discharge", "Discharged", ""),
    )
    drawing = draw_chart(figure(chart((LEFT,)), markers), WIDTH, HEIGHT)
    assert "Onset" in texts(drawing) and "Red flag: suspected DVT" in texts(drawing)
    assert "Discharged" not in texts(drawing)
    red = [s for s in shapes(drawing) if isinstance(s, Line) and same_colour(s, MARKER_LOOKS["red_flag"][0],
                                                                                "strokeColor")]  # fmt: skip
    assert len(red) == 1 and red[0].x1 == red[0].x2 and red[0].y2 > red[0].y1


def test_marker_labels_side_by_side_never_overlap() -> None:
    markers = tuple(Marker(date(2026, 3, 1) + timedelta(days=d), "onset", f"Event number {d}", "") for d in (0, 2, 4))
    drawing = draw_chart(figure(chart((LEFT,)), markers), WIDTH, HEIGHT)
    labels = [s for s in strings(drawing) if s.text.startswith("Event")]
    assert labels
    boxes = [(s.x, s.x + stringWidth(s.text, REGULAR, s.fontSize), round(s.y)) for s in labels]
    for i, (a0, a1, ay) in enumerate(boxes):
        for b0, b1, by in boxes[i + 1 :]:
            assert ay != by or a1 < b0 or b1 < a0


def test_error_bands_are_drawn_round_the_latest_values_and_share_one_legend_entry() -> None:
    series = _heel_series()
    made = series.chart("heel_raise")
    drawing = draw_chart(figure(made, first=series.first_day, last=series.last_day), WIDTH, HEIGHT)
    bands = [s for s in shapes(drawing) if isinstance(s, Rect) and s.fillOpacity is not None and s.fillOpacity < 0.2]
    assert len(bands) == 2
    assert texts(drawing).count("±6 reps: measurement error") == 1
    assert "Norm for age and sex" in texts(drawing)


def test_every_text_is_in_the_bundled_unicode_font_and_the_pdf_carries_it() -> None:
    series = _heel_series()
    made = figure(series.chart("heel_raise"), first=series.first_day, last=series.last_day)
    drawing = draw_chart(made, WIDTH, HEIGHT)
    assert {s.fontName for s in strings(drawing)} == {REGULAR}
    text = all_text(renderPDF.drawToString(drawing))
    assert "±6 reps: measurement error" in text and "Runner target 30" in text


@pytest.mark.parametrize("large", [False, True])
def test_charts_render_to_pdf_in_both_type_sizes(large: bool) -> None:
    drawing = draw_chart(figure(chart((LEFT, RIGHT), (TARGET,))), WIDTH, HEIGHT, large_type=large)
    assert renderPDF.drawToString(drawing).startswith(b"%PDF")
    sizes = {s.fontSize for s in strings(drawing)}
    assert sizes == ({10.0} if large else {7.5})


def test_everything_stays_inside_the_drawing() -> None:
    markers = (Marker(LAST, "discharge", "Discharged after a long time", ""),)
    for width in (220.0, WIDTH):
        drawing = draw_chart(figure(chart((LEFT, RIGHT), (NORM, TARGET, ASPIRATIONAL)), markers), width, HEIGHT)
        for label in strings(drawing):
            start = label.x - {"start": 0, "middle": 0.5, "end": 1}[label.textAnchor] * stringWidth(
                label.text, REGULAR, label.fontSize)  # fmt: skip
            if label.x or label.y:  # the rotated unit label sits at its own origin
                assert start >= -0.5 and start + stringWidth(label.text, REGULAR, label.fontSize) <= width + 0.5
                assert 0 <= label.y <= HEIGHT


# --- the scales ---------------------------------------------------------------------------------------------


def _measure(size: float = 7.5) -> Any:
    register_fonts()
    return lambda text: stringWidth(text, REGULAR, size)


@pytest.mark.parametrize(
    ("first", "last", "room"),
    [
        (date(2026, 1, 5), date(2026, 3, 20), 300.0),
        (date(2025, 11, 5), date(2026, 9, 20), 300.0),
        (date(2025, 11, 5), date(2026, 9, 20), 120.0),
        (date(2018, 3, 1), date(2026, 9, 20), 300.0),
        (date(2026, 1, 5), date(2026, 1, 25), 300.0),
    ],
)
def test_date_ticks_never_crowd_and_say_the_year(first: date, last: date, room: float) -> None:
    ticks = date_ticks(first, last, room=room, measure=_measure())
    assert ticks
    assert ticks[0].label.endswith(str(ticks[0].day.year))  # the first label carries the year
    span = (last - first).days
    edges = []
    for tick in ticks:
        centre = (tick.day - first).days / span * room
        width = _measure()(tick.label)
        edges.append((centre - width / 2, centre + width / 2))
        assert first <= tick.day <= last
    assert edges[0][0] >= 0 and edges[-1][1] <= room
    for (_, right), (left, _) in itertools.pairwise(edges):
        assert left - right >= LABEL_GAP
    for before, tick in itertools.pairwise(ticks):
        if tick.day.year != before.day.year:  # a new year is always written out
            assert tick.label.endswith(str(tick.day.year))


def test_month_ticks_label_january_with_its_year() -> None:
    ticks = date_ticks(date(2025, 10, 15), date(2026, 4, 15), room=400.0, measure=_measure())
    assert [t.label for t in ticks] == ["Nov 2025", "Dec", "Jan 2026", "Feb", "Mar", "Apr"]


@pytest.mark.parametrize(
    ("low", "high", "fixed", "expected"),
    [
        (0.0, 43.2, False, (0, 10, 20, 30, 40, 50)),
        (0.0, 1.7, False, (0, 0.5, 1, 1.5, 2)),
        (0.0, 10.0, True, (0, 2, 4, 6, 8, 10)),
        (0.0, 80.0, True, (0, 20, 40, 60, 80)),
        (0.0, 97.0, False, (0, 20, 40, 60, 80, 100)),
    ],
)
def test_value_ticks_are_round(low: float, high: float, fixed: bool, expected: tuple[float, ...]) -> None:
    assert value_scale(low, high, fixed=fixed).ticks == expected


# --- helpers ------------------------------------------------------------------------------------------------


def _dash(shape: Any) -> tuple[float, ...] | None:
    dash = shape.strokeDashArray
    return tuple(dash) if dash else None


def _y_ticks(drawing: Drawing) -> list[float]:
    """The value-axis labels: right-aligned numbers at the left of the plot."""
    return sorted(float(s.text) for s in strings(drawing) if s.textAnchor == "end" and _number(s.text))


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _heel_series() -> Any:
    days = (date(2026, 1, 12), date(2026, 2, 9), date(2026, 3, 16))
    observed = []
    for visit, (day, left, right) in enumerate(zip(days, (10, 16, 22), (30, 31, 31), strict=True), start=1):
        observed.append(observation("heel_raise_reps", day, left, Side.LEFT, visit))
        observed.append(observation("heel_raise_reps", day, right, Side.RIGHT, visit))
    made = inputs(observations=tuple(observed), assessments=tuple(assessment(i, d) for i, d in enumerate(days, 1)),
                  who=patient(date(1986, 6, 15), Sex.FEMALE))  # fmt: skip
    return build_progress(made, today=date(2026, 3, 20), unit="km")
