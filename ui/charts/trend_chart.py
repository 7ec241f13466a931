"""One progress measure over time: its lines, reference lines, error bands and episode markers.

Every item is made once and then only given new data (``setData``), so a new assessment redraws in place.
A subclass names the measure and the lines it expects; a line the data brings that was not expected is
made the first time it is seen and reused after that.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.charts.chart_canvas import ChartCanvas
from ui.charts.episode_markers import EpisodeMarkers
from ui.charts.plot_style import (
    PLOT_HEIGHT,
    day_x,
    days_x,
    reference_pen,
    side_style,
    translucent,
)
from workstation.progress.chart_data import Chart, ChartKey, ChartPoint, ErrorBand, Marker, Reference, Series
from workstation.records import Side

_T = TypeVar("_T")

EMPTY_BRUSH = QColor(0, 0, 0, 0)
_BAND_ALPHA = 45
BAND_LEAD = timedelta(days=28)  # an error band starts this long before the latest value it surrounds
_SYMBOL_SIZE = 8


class TrendChartWidget(QWidget):
    """A chart of one measure (a ``Chart`` of the progress series) on the page's shared date axis."""

    point_clicked = Signal(int)  # the assessment id of the clicked point

    chart_key: ChartKey
    # The lines this measure always has, made up front so the first drawing only sets data.
    expected_series: tuple[tuple[str, Side], ...] = ()
    expected_references: tuple[str, ...] = ()
    expected_bands: tuple[tuple[str, Side], ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{self.chart_key}Chart")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.title = QLabel()
        self.title.setObjectName("chartTitle")
        self.title.setStyleSheet("font-weight: bold; padding: 4px 0 0 8px;")
        layout.addWidget(self.title)
        self.plot = ChartCanvas(self)
        self.plot.setMinimumHeight(PLOT_HEIGHT)
        layout.addWidget(self.plot)
        self.plot.show_grid(True)
        self.legend = self.plot.legend
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.references: dict[str, pg.PlotDataItem] = {}
        self.bands: dict[str, pg.PlotDataItem] = {}
        self.value_labels: dict[str, pg.TextItem] = {}
        self._legend_items: list[pg.GraphicsObject] = []
        self.markers = EpisodeMarkers(self.plot)
        self.empty_text = self._make_empty_text()
        self._empty_shown = False
        for index, (key, side) in _unsided_indexed(self.expected_series):
            self._curve(key, side, index)
        for key in self.expected_references:
            self._reference(key)
        for key, side in self.expected_bands:
            self._band(key, side)

    # -- public ---------------------------------------------------------------------------------------

    def set_chart(self, chart: Chart, markers: tuple[Marker, ...], window: tuple[date, date]) -> None:
        """Draw ``chart`` (already cut to the window) with the episode ``markers``; ``window`` is the x range
        the page shows, over which reference lines and error bands are drawn."""
        self.title.setText(chart.title)
        self.plot.left_axis.setLabel(chart.y_label)
        shown: list[tuple[pg.GraphicsObject, str]] = []
        empty = self._is_empty(chart)
        self._draw_series(chart.series, shown)
        # Nothing measured: no target lines or bands through the note, no value scale for nothing.
        self._draw_references(() if empty else chart.references, window, shown)
        self._draw_bands(() if empty else chart.bands, window, shown)
        self.markers.set_markers(markers)
        self._set_y_range(chart)
        shown.extend(self._extra_legend())
        self._show_empty(chart.empty_text if empty else None)
        self._fill_legend(shown)

    # -- hooks for charts that draw more than lines ---------------------------------------------------

    def _is_empty(self, chart: Chart) -> bool:
        return chart.is_empty

    def _extra_legend(self) -> list[tuple[pg.GraphicsObject, str]]:
        return []

    # -- items, made once -----------------------------------------------------------------------------

    def _curve(self, key: str, side: Side, index: int) -> pg.PlotDataItem:
        if key in self.curves:
            return self.curves[key]
        colour, symbol = side_style(side, index)
        curve = pg.PlotDataItem(
            pen=pg.mkPen(colour, width=2),
            symbol=symbol,
            symbolSize=_SYMBOL_SIZE,
            symbolBrush=colour,
            symbolPen=pg.mkPen(colour),
            antialias=False,
        )
        # Hovering a point shows its text; clicking it opens its assessment.
        curve.scatter.opts.update(hoverable=True, tip=_hover_text)
        curve.sigPointsClicked.connect(self._on_points_clicked)
        self.plot.add(curve)
        label = pg.TextItem(color=colour, anchor=(0.5, 1.6))
        label.hide()
        self.plot.add(label)
        self.curves[key] = curve
        self.value_labels[key] = label
        return curve

    def _reference(self, key: str) -> pg.PlotDataItem:
        if key not in self.references:
            line = pg.PlotDataItem(antialias=False)
            line.setZValue(-5)
            self.plot.add(line)
            self.references[key] = line
        return self.references[key]

    def _band(self, key: str, side: Side) -> pg.PlotDataItem:
        if key not in self.bands:
            colour, _ = side_style(side, 0)
            band = pg.PlotDataItem(
                pen=pg.mkPen(translucent(colour, 90), width=1),
                fillBrush=translucent(colour, _BAND_ALPHA),
                fillLevel=0.0,
                antialias=False,
            )
            band.setZValue(-10)
            self.plot.add(band)
            self.bands[key] = band
        return self.bands[key]

    def _make_empty_text(self) -> pg.TextItem:
        # Lives in the view box's own (pixel) coordinates, so it stays centred whatever the axes show.
        view = self.plot.view
        text = pg.TextItem(color="#555555", anchor=(0.5, 0.5))
        text.setParentItem(view)
        text.hide()
        view.sigResized.connect(self._on_view_resized)
        return text

    # -- drawing --------------------------------------------------------------------------------------

    def _draw_series(self, series: tuple[Series, ...], shown: list[tuple[pg.GraphicsObject, str]]) -> None:
        present = set()
        for index, (line, _side) in _unsided_indexed([(line, line.side) for line in series]):
            curve = self._curve(line.key, line.side, index)
            present.add(line.key)
            curve.setData(days_x(p.on for p in line.points), _values(line.points), data=list(line.points))
            self._label_single_point(line)
            if line.points:
                shown.append((curve, line.label))
        for key, curve in self.curves.items():
            if key not in present:
                curve.setData([], [])
                self.value_labels[key].hide()

    def _label_single_point(self, line: Series) -> None:
        """A lone point gets its value written beside it, so it reads as a measurement, not a stray dot."""
        label = self.value_labels[line.key]
        if len(line.points) != 1:
            label.hide()
            return
        point = line.points[0]
        label.setText(f"{point.value:g}")
        label.setPos(day_x(point.on), point.value)
        label.show()

    def _draw_references(
        self, references: tuple[Reference, ...], window: tuple[date, date], shown: list[tuple[pg.GraphicsObject, str]]
    ) -> None:
        present = set()
        for reference in references:
            line = self._reference(reference.key)
            present.add(reference.key)
            points = _spread_single(reference.points, window)
            line.setPen(reference_pen(reference.kind))
            line.setData(days_x(d for d, _ in points), np.array([v for _, v in points], dtype=np.float64))
            if points:
                shown.append((line, _reference_label(reference)))
        for key, line in self.references.items():
            if key not in present:
                line.setData([], [])

    def _draw_bands(
        self, bands: tuple[ErrorBand, ...], window: tuple[date, date], shown: list[tuple[pg.GraphicsObject, str]]
    ) -> None:
        present = set()
        labels: set[str] = set()
        for band in bands:
            item = self._band(band.key, band.side)
            present.add(band.key)
            item.setFillLevel(band.low)
            # From a month before the latest value to the edge: the next value lands in it or it does not.
            start = max(window[0], band.on - BAND_LEAD)
            item.setData(days_x((start, window[1])), np.array([band.high, band.high], dtype=np.float64))
            if band.label not in labels:  # left and right bands share one legend entry
                labels.add(band.label)
                shown.append((item, band.label))
        for key, item in self.bands.items():
            if key not in present:
                item.setData([], [])

    def _set_y_range(self, chart: Chart) -> None:
        view = self.plot.view
        if chart.y_range is not None:
            view.setYRange(*chart.y_range, padding=0.04)
        else:
            view.enableAutoRange(y=True)

    def _show_empty(self, text: str | None) -> None:
        self.plot.show_grid(text is None)
        self.legend.setVisible(text is None)
        if self._empty_shown != (text is not None):
            self._empty_shown = text is not None
            self.plot.left_axis.setStyle(showValues=text is None)
        if text is None:
            self.empty_text.hide()
            return
        self.empty_text.setText(text)
        self.empty_text.show()
        self._on_view_resized()

    def _fill_legend(self, shown: list[tuple[pg.GraphicsObject, str]]) -> None:
        if [item for item, _ in shown] == self._legend_items:
            return  # the same entries as before: keep them rather than rebuild them
        self.legend.clear()
        for item, label in shown:
            self.legend.addItem(item, label)
        self._legend_items = [item for item, _ in shown]

    # -- slots ----------------------------------------------------------------------------------------

    def _on_view_resized(self) -> None:
        rect = self.plot.view.boundingRect()
        self.empty_text.setPos(rect.center())

    def _on_points_clicked(self, _item: object, points: list[pg.SpotItem], _event: object) -> None:
        for point in points:
            data = point.data()
            if isinstance(data, ChartPoint) and data.assessment_id is not None:
                self.point_clicked.emit(data.assessment_id)
                return


def _hover_text(x: float, y: float, data: object) -> str:
    return data.hover if isinstance(data, ChartPoint) else f"{y:g}"


def _values(points: tuple[ChartPoint, ...]) -> np.ndarray:
    return np.fromiter((p.value for p in points), dtype=np.float64, count=len(points))


def _spread_single(points: tuple[tuple[date, float], ...], window: tuple[date, date]) -> tuple[tuple[date, float], ...]:
    """A reference given at one date only is a level: draw it across the window."""
    if len(points) != 1:
        return points
    value = points[0][1]
    start, end = window
    return ((start, value), (max(end, start + timedelta(days=1)), value))


def _reference_label(reference: Reference) -> str:
    if reference.kind == "aspirational" and "aspirational" not in reference.label.lower():
        return f"{reference.label} (aspirational)"
    return reference.label


def _unsided_indexed(lines: Sequence[tuple[_T, Side]]) -> list[tuple[int, tuple[_T, Side]]]:
    """Each line with its place among the lines that belong to neither leg, which sets their colours: a
    third line beside left and right then never takes the colour nearest to either."""
    placed, unsided = [], 0
    for item in lines:
        placed.append((unsided, item))
        unsided += item[1] is Side.NONE
    return placed
