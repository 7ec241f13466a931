"""Progress charts inside letters, drawn as vector graphics with ``reportlab.graphics`` (no Qt).

``draw_chart`` draws a ``ChartFigure``: the same ``Chart`` the app's pyqtgraph charts draw (built by
``workstation.progress.series.build_progress``), cut to the figure's days. Legs keep their colours and
symbols (left blue circles, right vermillion squares: never colour alone), reference lines are named at
their right end, error bands and episode markers are drawn as in the app, and a chart with nothing to show
says so in words, with no axes through them. The caller gives the title; the drawing carries none.

All text here is plain text drawn with ``String`` in the bundled Unicode font; it is never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from reportlab.graphics.shapes import Drawing, Group, Path, PolyLine, Rect, String

from reports.chart_legend import Entry, draw_legend, legend_entries, legend_rows
from reports.chart_scale import ValueScale, date_ticks, tick_text, value_scale
from reports.chart_style import (
    AXIS_COLOUR,
    BAND_OPACITY,
    GRID_COLOUR,
    MARKER_LOOKS,
    MUTED_COLOUR,
    REFERENCE_LOOKS,
    LineLook,
    colour,
    segment,
    series_look,
    string_at,
    symbol,
    text_width,
)
from reports.fonts import register_fonts
from workstation.letters.document import ChartFigure
from workstation.progress.chart_data import Chart, ErrorBand, Marker, Reference, Series
from workstation.progress.window import error_bands, spanning
from workstation.records import Side

BAND_LEAD = timedelta(days=28)  # as the app: a band starts this long before the value it surrounds
MIN_SPAN = timedelta(days=14)  # a shorter date range (one visit) is widened around its middle
HEADROOM = 1.08  # the highest value stays clear of the top of the plot


@dataclass(frozen=True, slots=True)
class _Type:
    size: float  # font size, points
    line: float  # series line width
    radius: float  # point symbol radius


_NORMAL = _Type(7.5, 1.4, 2.5)
_LARGE = _Type(10.0, 1.9, 3.4)


@dataclass(frozen=True, slots=True)
class _Visible:
    """What the figure's days show: lines with points (and their looks), references, bands, markers."""

    series: tuple[tuple[Series, LineLook], ...]
    references: tuple[Reference, ...]
    bands: tuple[ErrorBand, ...]
    markers: tuple[Marker, ...]


@dataclass(frozen=True, slots=True)
class _Frame:
    """The plot rectangle and the mapping of days and values onto it."""

    left: float
    bottom: float
    right: float
    top: float
    first: date
    last: date
    scale: ValueScale

    @property
    def pad(self) -> float:  # points at the ends stay off the axes
        return min(8.0, (self.right - self.left) * 0.03)

    def x(self, day: date) -> float:
        span = (self.last - self.first).days
        return self.left + self.pad + (day - self.first).days / span * (self.right - self.left - 2 * self.pad)

    def y(self, value: float) -> float:
        low, high = self.scale.low, self.scale.high
        return self.bottom + (value - low) / (high - low) * (self.top - self.bottom)


def draw_chart(figure: ChartFigure, width: float, height: float, *, large_type: bool = False) -> Drawing:
    """Draw one progress chart as a vector drawing ``width`` × ``height`` points.

    Args:
        figure: the chart, its episode markers and the days to show (points outside them are left out).
        width: the drawing's width in points.
        height: the drawing's height in points.
        large_type: the patient handout's bigger type and thicker lines.

    Returns:
        A ReportLab ``Drawing`` (a flowable: a letter adds it to its story).
    """
    register_fonts()
    kind = _LARGE if large_type else _NORMAL
    drawing = Drawing(width, height)
    visible = _visible(figure)
    if not visible.series:
        drawing.add(_empty_note(figure.chart.empty_text, width, height, kind.size * 1.1))
        return drawing
    frame = _frame(figure, visible, width, height, kind.size)
    drawing.add(_grid_and_axes(frame, figure.chart.y_label, kind.size))
    drawing.add(_bands(visible.bands, frame))
    drawing.add(_references(visible.references, frame, width, kind.size))
    drawing.add(_markers(visible.markers, frame, width, kind.size))
    drawing.add(_series(visible.series, frame, kind))
    legend = legend_rows(_legend_entries(visible), frame.right - frame.left, kind.size)
    drawing.add(draw_legend(legend, frame.left, frame.bottom - 4 - kind.size * 2.6, kind.size, kind.line, kind.radius))
    return drawing


# --- what shows -----------------------------------------------------------------------------------------------


def _visible(figure: ChartFigure) -> _Visible:
    first, last = figure.first_day, figure.last_day

    def inside(day: date) -> bool:
        return first <= day <= last

    chart = figure.chart
    kept = tuple(replace(line, points=tuple(p for p in line.points if inside(p.on))) for line in chart.series)
    looks = _looks(kept)
    series = tuple((line, look) for line, look in zip(kept, looks, strict=True) if line.points)
    if not series:
        return _Visible((), (), (), ())
    references = tuple(r for r in (spanning(ref, first, last) for ref in chart.references) if r.points)
    bands = error_bands(kept) if chart.bands else ()  # around the latest value shown, as the app does
    markers = tuple(sorted((m for m in figure.markers if inside(m.on)), key=lambda m: m.on))
    return _Visible(series, _within_scale(references, chart), bands, markers)


def _looks(lines: tuple[Series, ...]) -> list[LineLook]:
    """Each line's look; a line with no side is styled by its place among such lines (as in the app)."""
    looks, unsided = [], 0
    for line in lines:
        looks.append(series_look(line.side, unsided))
        unsided += line.side is Side.NONE
    return looks


def _within_scale(references: tuple[Reference, ...], chart: Chart) -> tuple[Reference, ...]:
    """On a fixed scale, a reference off the scale would be drawn at the edge and mislead: leave it out."""
    if chart.y_range is None:
        return references
    low, high = chart.y_range
    return tuple(r for r in references if all(low <= value <= high for _, value in r.points))


def _value_range(visible: _Visible, chart: Chart) -> ValueScale:
    if chart.y_range is not None:
        return value_scale(*chart.y_range, fixed=True)
    values = [p.value for line, _ in visible.series for p in line.points]
    values.extend(value for ref in visible.references for _, value in ref.points)
    values.extend(edge for band in visible.bands for edge in (band.low, band.high))
    low, high = min(values), max(values)
    low = min(0.0, low)  # every measure charted is a count or a size: its axis starts at 0
    return value_scale(low, high * HEADROOM if high > 0 else high + 1.0)


# --- layout ---------------------------------------------------------------------------------------------------


def _frame(figure: ChartFigure, visible: _Visible, width: float, height: float, size: float) -> _Frame:
    scale = _value_range(visible, figure.chart)
    left = max(text_width(tick_text(t), size) for t in scale.ticks) + 7 + (size * 1.3 if figure.chart.y_label else 0)
    labels = [_reference_label(r) for r in visible.references]
    column = min(max((text_width(text, size) for text in labels), default=0.0), max(64.0, width * 0.22))
    right = width - (column + 6 if labels else 8)
    rows = len(legend_rows(_legend_entries(visible), width - left, size))
    bottom = 4 + size * (1.3 + (1.6 + 1.45 * (rows - 1) if rows else 0))  # date labels, then the legend
    first, last = _axis_days(figure.first_day, figure.last_day)
    frame = _Frame(left, bottom, right, max(height - size * 1.5, bottom + size), first, last, scale)
    if any(row for row, _, _ in _marker_labels(visible.markers, frame, width, size)):
        # a second row of event labels: the plot gives up one line of height for it
        frame = replace(frame, top=max(frame.top - size * 1.25, bottom + size))
    return frame


def _axis_days(first: date, last: date) -> tuple[date, date]:
    if last - first >= MIN_SPAN:
        return first, last
    middle = first + (last - first) / 2
    return middle - MIN_SPAN / 2, middle + MIN_SPAN / 2


def _empty_note(text: str, width: float, height: float, size: float) -> String:
    while size > 5 and text_width(text, size) > width - 4:
        size -= 0.5  # a narrow chart: smaller type rather than words past the edge
    return string_at(width / 2, height / 2 - size / 3, text, size, MUTED_COLOUR, "middle")


# --- drawing --------------------------------------------------------------------------------------------------


def _grid_and_axes(frame: _Frame, y_label: str, size: float) -> Group:
    # The grid and the axes with their ticks are two paths, not a line each: a batch of letters draws many.
    grid, axes = _path(GRID_COLOUR, 0.5), _path(AXIS_COLOUR, 0.7)
    group = Group(grid, axes)
    for tick in frame.scale.ticks:
        y = frame.y(tick)
        if tick != frame.scale.low:
            _stroke(grid, (frame.left, y), (frame.right, y))
        _stroke(axes, (frame.left - 3, y), (frame.left, y))
        group.add(string_at(frame.left - 5, y - size * 0.35, tick_text(tick), size, anchor="end"))
    _stroke(axes, (frame.left, frame.top), (frame.left, frame.bottom), (frame.right, frame.bottom))
    room = frame.right - frame.left - 2 * frame.pad
    for day_tick in date_ticks(frame.first, frame.last, room=room, measure=lambda text: text_width(text, size)):
        x = frame.x(day_tick.day)
        _stroke(axes, (x, frame.bottom), (x, frame.bottom - 3))
        group.add(string_at(x, frame.bottom - 4 - size, day_tick.label, size, anchor="middle"))
    if y_label:  # the unit, up the left edge as in the app
        unit = Group(string_at(0, 0, y_label, size, MUTED_COLOUR, "middle"))
        unit.transform = (0, 1, -1, 0, size * 0.9, (frame.bottom + frame.top) / 2)
        group.add(unit)
    return group


def _path(ink: str, width: float) -> Path:
    return Path(strokeColor=colour(ink), strokeWidth=width, fillColor=None, strokeLineCap=0)


def _stroke(path: Path, *points: tuple[float, float]) -> None:
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)


def _bands(bands: tuple[ErrorBand, ...], frame: _Frame) -> Group:
    group = Group()
    for band in bands:
        ink = series_look(band.side, 0).colour
        start = frame.x(max(frame.first, band.on - BAND_LEAD))
        end, low, high = frame.x(frame.last), frame.y(band.low), frame.y(min(band.high, frame.scale.high))
        group.add(Rect(start, low, end - start, high - low, fillColor=colour(ink), fillOpacity=BAND_OPACITY,
                       strokeColor=None, strokeWidth=0))  # fmt: skip
        for edge in (low, high):
            group.add(segment(start, edge, end, edge, ink, 0.4))
    return group


def _references(references: tuple[Reference, ...], frame: _Frame, width: float, size: float) -> Group:
    group = Group()
    blocks = []
    for reference in references:
        ink, dash = REFERENCE_LOOKS[reference.kind]
        points = [coordinate for day, value in reference.points for coordinate in (frame.x(day), frame.y(value))]
        group.add(PolyLine(points, strokeColor=colour(ink), strokeWidth=1.2, strokeDashArray=dash))
        lines = _wrapped(_reference_label(reference), width - frame.right - 6, size)
        blocks.append((points[-1], lines, ink))
    line_height = size * 1.15
    floor = frame.top + size  # each label block sits below the one above it
    for y, lines, ink in sorted(blocks, key=lambda block: -block[0]):
        top = min(y + len(lines) * line_height / 2, floor)
        for index, text in enumerate(lines):
            group.add(string_at(frame.right + 5, top - size * 0.8 - index * line_height, text, size, ink))
        floor = top - len(lines) * line_height - 1
    return group


def _reference_label(reference: Reference) -> str:
    if reference.kind == "aspirational" and "aspirational" not in reference.label.lower():
        return f"{reference.label} (aspirational)"
    return reference.label


def _wrapped(text: str, room: float, size: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``room`` (a single long word keeps its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]


def _markers(markers: tuple[Marker, ...], frame: _Frame, width: float, size: float) -> Group:
    """Each event as a vertical line with its short label above the plot (in one of two rows)."""
    group = Group()
    for marker in markers:
        ink, dash = MARKER_LOOKS[marker.kind]
        x = frame.x(marker.on)
        group.add(segment(x, frame.bottom, x, frame.top + size * 0.3, ink, 1.2, dash))
    for row, (text, start), marker in _marker_labels(markers, frame, width, size):
        ink, _ = MARKER_LOOKS[marker.kind]
        group.add(string_at(start, frame.top + size * (0.5 + 1.25 * row), text, size, ink))
    return group


def _marker_labels(
    markers: tuple[Marker, ...], frame: _Frame, width: float, size: float
) -> list[tuple[int, tuple[str, float], Marker]]:
    """(row, (text, start x), marker) for each event label that fits, the first row preferred, clear of the
    labels already placed; a label too long for either row is shortened with an ellipsis."""
    taken: list[list[tuple[float, float]]] = [[], []]
    placed = []
    for marker in markers:
        found = _free_row(marker.label, frame.x(marker.on), width, size, taken)
        if found is not None:
            row, (text, start) = found
            taken[row].append((start, start + text_width(text, size)))
            placed.append((row, (text, start), marker))
    return placed


def _free_row(
    label: str, x: float, width: float, size: float, taken: list[list[tuple[float, float]]]
) -> tuple[int, tuple[str, float]] | None:
    for shorten in (False, True):
        for row, used in enumerate(taken):
            fit = _fitted(label, x, width, size, used, shorten=shorten)
            if fit is not None:
                return row, fit
    return None


def _fitted(
    label: str, x: float, width: float, size: float, taken: list[tuple[float, float]], *, shorten: bool = False
) -> tuple[str, float] | None:
    """The label and where it starts: right of its line, or left of it, inside the drawing and clear of
    ``taken``. With ``shorten``, cut with an ellipsis until it fits. None when nothing fits."""
    text = label
    while len(text) >= 3:
        room = text_width(text, size)
        for start in (x + 2, x - 2 - room):
            if start >= 0 and start + room <= width and all(start > b + 3 or start + room < a - 3 for a, b in taken):
                return text, start
        if not shorten:
            return None
        text = text[: max(0, len(text.rstrip("…")) - 2)].rstrip() + "…"
    return None


def _series(series: tuple[tuple[Series, LineLook], ...], frame: _Frame, kind: _Type) -> Group:
    group = Group()
    for line, look in series:
        points = [(frame.x(p.on), frame.y(p.value)) for p in line.points]
        if len(points) > 1:
            flat = [coordinate for point in points for coordinate in point]
            group.add(PolyLine(flat, strokeColor=colour(look.colour), strokeWidth=kind.line,
                               strokeDashArray=look.dash, strokeLineJoin=1))  # fmt: skip
        for x, y in points:
            group.add(symbol(look.symbol, x, y, kind.radius, look.colour))
        if len(points) == 1:  # a lone point is a measurement, not a stray dot: say its value
            (x, y), value = points[0], tick_text(line.points[0].value)
            right = x + kind.radius + 2 + text_width(value, kind.size) <= frame.right
            start = x + kind.radius + 2 if right else x - kind.radius - 2
            group.add(string_at(start, y + kind.radius, value, kind.size, look.colour, "start" if right else "end"))
    return group


def _legend_entries(visible: _Visible) -> list[Entry]:
    return legend_entries(visible.series, visible.bands)
