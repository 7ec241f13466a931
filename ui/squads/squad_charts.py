"""The dashboard's three charts, each a widget named after what it shows; the series come from the core
(``Dashboard.charts``), the widgets only draw them. Every item is made once and given new data after.

- ``LsiDistributionChart``: how many athletes at each heel-raise limb symmetry index, with the 90 % target
  (CLINICAL.md 2.3).
- ``RepsAgainstNormChart``: each leg's heel-raise reps against that athlete's age-sex norm (CLINICAL.md 2.2):
  a point under the diagonal is below the norm.
- ``ScreeningChangeChart``: the change in heel-raise reps since the previous screening, each leg, with the
  band of measurement error (CLINICAL.md 2.3): a change inside it may be noise. A leg is coloured as a drop
  exactly when the screening flag ``heel_raise_drop`` fires for it (the flag's own function decides).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.charts.chart_canvas import ChartCanvas
from ui.charts.plot_style import translucent
from workstation.clinical.heel_raise import LSI_TARGET_PERCENT, MEASUREMENT_ERROR_REPS
from workstation.squads.screening_flags import heel_raise_dropped
from workstation.squads.views import ChangePoint, DashboardCharts, LsiBin, RepsPoint

CHART_HEIGHT = 220
# Okabe-Ito: blue for "meets it", vermillion for "below it"; shapes differ too, so colour is never alone.
_MEETS = "#0072B2"
_BELOW = "#D55E00"
_TARGET = "#1B7837"
_AXIS_PEN = "#444444"
_AXIS_TEXT = "#222222"
_HEEL_RAISE_KEYS = frozenset({"heel_raise_left", "heel_raise_right"})
_CHANGE_BIN_REPS = 2
# Reps are whole numbers (screening_rules): each bin holds two counts and is drawn half a rep either side
# of them, with the bins lined up so that a drop of the measurement error starts a bin of its own.
_CHANGE_BIN_OFFSET = (1 - MEASUREMENT_ERROR_REPS) % _CHANGE_BIN_REPS


class SquadChartWidget(QWidget):
    """A title, a plot with value axes on both sides of it, and a note shown when there is nothing to draw."""

    title_text = ""
    x_label = ""
    y_label = ""
    empty_note = "Nothing to show until a screening is completed."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(type(self).__name__)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.title = QLabel(self.title_text)
        self.title.setObjectName("chartTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; padding: 4px 0 0 8px;")
        layout.addWidget(self.title)
        self.plot = ChartCanvas(self, date_axis=False)
        self.plot.setMinimumHeight(CHART_HEIGHT)
        layout.addWidget(self.plot, 1)
        self.bottom_axis = pg.AxisItem("bottom")
        self.bottom_axis.linkToView(self.plot.view)
        self.bottom_axis.setPen(pg.mkPen(_AXIS_PEN))
        self.bottom_axis.setTextPen(pg.mkPen(_AXIS_TEXT))
        self.bottom_axis.setLabel(self.x_label)
        self.plot.grid_layout.addItem(self.bottom_axis, 2, 1)
        self.plot.left_axis.setLabel(self.y_label)
        self.plot.show_grid(True)
        self.plot.view.enableAutoRange(x=True, y=True)
        self.empty_text = pg.TextItem(color="#555555", anchor=(0.5, 0.5))
        self.empty_text.setParentItem(self.plot.view)
        self.empty_text.hide()
        self.plot.view.sigResized.connect(self._on_view_resized)
        self.plot.legend.setColumnCount(1)  # one entry a line: a row of long labels would widen the chart
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)

    @property
    def is_empty(self) -> bool:
        return bool(self.empty_text.isVisible())

    def _show_empty(self, empty: bool) -> None:
        self.empty_text.setText(self.empty_note)
        self.empty_text.setVisible(empty)
        self.plot.legend.setVisible(not empty)
        self._on_view_resized()

    def _on_view_resized(self) -> None:
        self.empty_text.setPos(self.plot.view.boundingRect().center())

    def _fill_legend(self, entries: Sequence[tuple[pg.GraphicsObject, str]]) -> None:
        self.plot.legend.clear()
        for item, label in entries:
            self.plot.legend.addItem(item, label)


class LsiDistributionChart(SquadChartWidget):
    title_text = "Heel-raise symmetry (LSI) across the squad"
    x_label = "Limb symmetry index (%)"
    y_label = "Athletes"
    empty_note = "No heel-raise LSI yet: it appears once a screening is completed."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars = pg.BarGraphItem(x0=[], width=[], height=[], brushes=[], pen=pg.mkPen("#FFFFFF"))
        self.plot.add(self.bars)
        self.target = pg.InfiniteLine(pos=LSI_TARGET_PERCENT, angle=90,
                                      pen=pg.mkPen(_TARGET, width=2, style=Qt.PenStyle.DashLine))  # fmt: skip
        self.plot.add(self.target, ignore_bounds=True)
        self._below = pg.BarGraphItem(x0=[0], width=[0], height=[0], brush=_BELOW)  # legend swatches only
        self._meets = pg.BarGraphItem(x0=[0], width=[0], height=[0], brush=_MEETS)
        self._target_swatch = pg.PlotDataItem(pen=pg.mkPen(_TARGET, width=2, style=Qt.PenStyle.DashLine))
        self._fill_legend([(self._below, f"Below the {LSI_TARGET_PERCENT:g} % target"),
                           (self._meets, "At or above it")])  # fmt: skip

    def set_bins(self, bins: Sequence[LsiBin]) -> None:
        shown = [b for b in bins if b.count > 0]
        below = [b.high <= LSI_TARGET_PERCENT for b in bins]
        self.bars.setOpts(
            x0=np.array([b.low for b in bins], dtype=np.float64),
            width=np.array([b.high - b.low for b in bins], dtype=np.float64),
            height=np.array([b.count for b in bins], dtype=np.float64),
            brushes=[_BELOW if low else _MEETS for low in below],
        )
        if bins:
            # From the lowest bar (at least 50 %, where the squad's values usually start) to 100 %.
            lowest = min((b.low for b in shown), default=50.0)
            self.plot.view.setXRange(min(lowest, 50.0), max(max(b.high for b in bins), 100.0), padding=0.02)
            self.plot.view.setYRange(0, max(1, max(b.count for b in bins)), padding=0.05)
        self._show_empty(not shown)

    def bar_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The bars' left edges and heights, as plotted."""
        return np.asarray(self.bars.opts["x0"], dtype=np.float64), np.asarray(self.bars.opts["height"], np.float64)


class RepsAgainstNormChart(SquadChartWidget):
    title_text = "Heel-raise reps against each athlete's age-sex norm (each leg)"
    x_label = "Age-sex norm (reps)"
    y_label = "Reps at the last screening"
    empty_note = "No heel-raise reps with a norm yet (the norm needs the athlete's age and sex)."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meets = pg.ScatterPlotItem(symbol="o", size=9, brush=_MEETS, pen=pg.mkPen(_MEETS))
        self.below = pg.ScatterPlotItem(symbol="t", size=10, brush=_BELOW, pen=pg.mkPen(_BELOW))  # "t": down
        self.norm_line = pg.PlotDataItem(pen=pg.mkPen(_TARGET, width=2, style=Qt.PenStyle.DashLine))
        self.norm_line.setZValue(-5)
        for item in (self.norm_line, self.meets, self.below):
            self.plot.add(item)
        self._fill_legend([(self.below, "Below the norm"), (self.meets, "At or above it")])

    def set_points(self, points: Sequence[RepsPoint]) -> None:
        normed = [p for p in points if p.norm is not None]
        low = [p for p in normed if p.reps < (p.norm or 0)]
        high = [p for p in normed if p.reps >= (p.norm or 0)]
        self.below.setData(x=[p.norm for p in low], y=[p.reps for p in low])
        self.meets.setData(x=[p.norm for p in high], y=[p.reps for p in high])
        if normed:
            top = max(max(p.reps for p in normed), max(p.norm or 0 for p in normed)) + 5
            self.norm_line.setData([0.0, top], [0.0, top])
            self.plot.view.setRange(xRange=(0, top), yRange=(0, top), padding=0.02)
        else:
            self.norm_line.setData([], [])
        self._show_empty(not normed)

    def point_data(self) -> tuple[int, int]:
        """(below the norm, at or above it): how many legs each series holds."""
        return len(self.below.data), len(self.meets.data)


class ScreeningChangeChart(SquadChartWidget):
    title_text = "Change in heel-raise reps since the previous screening (each leg)"
    x_label = "Change (reps)"
    y_label = "Legs"
    empty_note = "No change to show yet: it needs two completed screenings."
    drop_label = f"Down {MEASUREMENT_ERROR_REPS} reps or more: flagged"
    noise_label = f"Less than {MEASUREMENT_ERROR_REPS} either way: may be noise"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        edge = MEASUREMENT_ERROR_REPS - 0.5  # between the last count inside the error and the first beyond it
        self.noise_band = pg.LinearRegionItem(values=(-edge, edge), movable=False,
                                              brush=translucent("#999999", 50), pen=pg.mkPen(None))  # fmt: skip
        self.noise_band.setZValue(-10)
        self.plot.add(self.noise_band, ignore_bounds=True)
        pen = pg.mkPen("#FFFFFF")
        self.drops = pg.BarGraphItem(x0=[], width=[], height=[], brush=_BELOW, pen=pen)  # legs flagged
        self.bars = pg.BarGraphItem(x0=[], y0=[], width=[], height=[], brush=_MEETS, pen=pen)  # the others
        self.plot.add(self.drops)
        self.plot.add(self.bars)
        self._drop_swatch = pg.BarGraphItem(x0=[0], width=[0], height=[0], brush=_BELOW)  # legend swatches only
        self._band_swatch = pg.BarGraphItem(x0=[0], width=[0], height=[0], brush=translucent("#999999", 90))
        self._fill_legend([(self._drop_swatch, self.drop_label), (self._band_swatch, self.noise_label)])

    def set_changes(self, changes: Sequence[ChangePoint]) -> None:
        heel_raise = [c for c in changes if c.key in _HEEL_RAISE_KEYS]
        counts: dict[int, list[int]] = {}  # bin -> [legs flagged, other legs]
        for change in heel_raise:
            position = counts.setdefault(_change_bin(change.after - change.before), [0, 0])
            position[0 if heel_raise_dropped(change.before, change.after) else 1] += 1
        bins = sorted(counts)
        lefts = np.array([low - 0.5 for low in bins], dtype=np.float64)
        widths = np.full(len(bins), float(_CHANGE_BIN_REPS))
        flagged = np.array([counts[low][0] for low in bins], dtype=np.float64)
        others = np.array([counts[low][1] for low in bins], dtype=np.float64)
        self.drops.setOpts(x0=lefts, width=widths, height=flagged)
        self.bars.setOpts(x0=lefts, y0=flagged, width=widths, height=others)  # stacked on the flagged legs
        if bins:
            reach = max(abs(lefts[0]), abs(lefts[-1] + _CHANGE_BIN_REPS), MEASUREMENT_ERROR_REPS + 2)
            self.plot.view.setXRange(-reach, reach, padding=0.05)
            self.plot.view.setYRange(0, float((flagged + others).max()), padding=0.05)
        self._show_empty(not heel_raise)

    def bar_data(self) -> tuple[np.ndarray, np.ndarray]:
        """Each bin's left edge and how many legs it holds."""
        flagged = np.asarray(self.drops.opts["height"], np.float64)
        return np.asarray(self.bars.opts["x0"], np.float64), flagged + np.asarray(self.bars.opts["height"], np.float64)

    def flagged_data(self) -> np.ndarray:
        """How many legs of each bin (as in ``bar_data``) are coloured as a drop."""
        return np.asarray(self.drops.opts["height"], np.float64)


def _change_bin(change: float) -> int:
    """The lower of the two whole-rep changes a bin holds."""
    start = int(np.floor((change - _CHANGE_BIN_OFFSET) / _CHANGE_BIN_REPS))
    return start * _CHANGE_BIN_REPS + _CHANGE_BIN_OFFSET


class SquadChartsWidget(QWidget):
    """The three charts side by side, drawn from one ``DashboardCharts``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("squadCharts")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.lsi = LsiDistributionChart()
        self.reps = RepsAgainstNormChart()
        self.change = ScreeningChangeChart()
        for chart in (self.lsi, self.reps, self.change):
            layout.addWidget(chart, 1)

    def set_charts(self, charts: DashboardCharts) -> None:
        self.lsi.set_bins(charts.lsi_bins)
        self.reps.set_points(charts.reps_vs_norm)
        self.change.set_changes(charts.changes)
