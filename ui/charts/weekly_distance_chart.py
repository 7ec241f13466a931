"""Weekly running distance as bars, spike runs marked on them, and the return-to-run stage as a band below."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from ui.charts.chart_canvas import ChartCanvas
from ui.charts.plot_style import DAY_SECONDS, day_x, days_x
from ui.charts.trend_chart import EMPTY_BRUSH, TrendChartWidget
from workstation.progress.chart_data import Chart, ChartKey, ProgressSeries, SpikeMark, StageSpan, WeekBar

BAR_COLOUR = "#7F8C99"  # a neutral grey-blue: not a leg colour, so the bars never read as left or right
SPIKE_COLOUR = "#E69F00"
SPIKE_SYMBOL = "star"  # a shape no leg uses
SPIKE_LABEL = "Spike: run over 110 % of the longest run in the previous 30 days"
_BAR_WIDTH = 6 * DAY_SECONDS  # Monday to Saturday's end: a gap between weeks
_STAGE_HEIGHT = 44
_NOT_RUNNING = "#E3E3E3"
# Walk-run phases 1-6 from pale to deep green: further along reads darker.
_PHASE_COLOURS = ("#EDF8E9", "#D1EDCB", "#B2E0AB", "#8FD087", "#6CBF66", "#4CAF50")


@dataclass(frozen=True, slots=True)
class StageRun:
    """Consecutive stages with the same label, drawn as one stretch of the band."""

    start: date
    end: date
    phase: int | None
    label: str


class WeeklyDistanceChart(TrendChartWidget):
    """Weekly distance bars with spike markers and the return-to-run stage band."""

    chart_key: ChartKey = "weekly_distance"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars = pg.BarGraphItem(x0=[], width=_BAR_WIDTH, height=[], brush=BAR_COLOUR, pen=pg.mkPen(BAR_COLOUR))
        self.bars.setZValue(-8)
        self.plot.add(self.bars)
        # Bars have no hover of their own: an invisible point on top of each bar carries its text.
        self.bar_tops = pg.ScatterPlotItem(
            size=16, pen=pg.mkPen(EMPTY_BRUSH), brush=EMPTY_BRUSH, hoverable=True, tip=_hover_text
        )
        self.plot.add(self.bar_tops)
        self.spikes = pg.ScatterPlotItem(
            symbol=SPIKE_SYMBOL, size=15, brush=SPIKE_COLOUR, pen=pg.mkPen("#000000"), hoverable=True, tip=_hover_text
        )
        self.plot.add(self.spikes)
        self.stage_plot = ChartCanvas(self, date_axis=False, legend=False)
        self.stage_plot.setFixedHeight(_STAGE_HEIGHT)
        self.layout().addWidget(self.stage_plot)
        self.stage_plot.left_axis.setStyle(showValues=False, tickLength=0)
        self.stage_plot.left_axis.setLabel("Stage")
        self.stage_plot.link_x(self.plot)
        self.stage_plot.view.setYRange(0, 1, padding=0)
        self.stage_band = pg.BarGraphItem(x0=[], x1=[], y0=0, height=1, pen=pg.mkPen("#FFFFFF"))
        self.stage_plot.add(self.stage_band)
        self.stage_labels: list[pg.TextItem] = []
        self.stage_runs: list[StageRun] = []
        self._unit = "km"
        self.stage_plot.view.sigXRangeChanged.connect(self._fit_stage_labels)
        self.stage_plot.view.sigResized.connect(self._fit_stage_labels)

    def set_running(self, series: ProgressSeries, window: tuple[date, date]) -> None:
        """Draw the weeks, spikes and stages of ``series`` (already cut to the window)."""
        self._unit = series.unit
        self._draw_weeks(series.weeks)
        self._draw_spikes(series.spikes)
        self._draw_stages(series.stages)
        self.set_chart(series.chart("weekly_distance"), series.markers, window)
        self.plot.left_axis.setLabel(series.unit)

    def bar_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The bars' x (week starts) and heights, as plotted."""
        return np.asarray(self.bars.opts["x0"], dtype=np.float64), np.asarray(self.bars.opts["height"], np.float64)

    def _is_empty(self, chart: Chart) -> bool:
        return len(self.bar_tops.data) == 0

    def _extra_legend(self) -> list[tuple[pg.GraphicsObject, str]]:
        entries: list[tuple[pg.GraphicsObject, str]] = []
        if len(self.bar_tops.data):
            entries.append((self.bars, f"Weekly distance ({self._unit})"))
        if len(self.spikes.data):
            entries.append((self.spikes, SPIKE_LABEL))
        return entries

    def _draw_weeks(self, weeks: tuple[WeekBar, ...]) -> None:
        xs = days_x(w.week_start for w in weeks)
        heights = np.fromiter((w.distance for w in weeks), dtype=np.float64, count=len(weeks))
        self.bars.setOpts(x0=xs, height=heights)
        self.bar_tops.setData(x=xs + _BAR_WIDTH / 2, y=heights, data=list(weeks))

    def _draw_spikes(self, spikes: tuple[SpikeMark, ...]) -> None:
        xs = days_x(s.on for s in spikes)
        ys = np.fromiter((s.week_total for s in spikes), dtype=np.float64, count=len(spikes))
        self.spikes.setData(x=xs, y=ys, data=list(spikes))

    def _draw_stages(self, stages: tuple[StageSpan, ...]) -> None:
        self.stage_runs = merge_stages(stages)
        runs = self.stage_runs
        self.stage_band.setOpts(
            x0=days_x(r.start for r in runs),
            x1=days_x(r.end for r in runs) + DAY_SECONDS,
            brushes=[_stage_colour(r.phase) for r in runs],
        )
        while len(self.stage_labels) < len(runs):
            label = pg.TextItem(color="#1A1A1A", anchor=(0, 0.5))
            self.stage_plot.add(label, ignore_bounds=True)
            self.stage_labels.append(label)
        for label, run in zip(self.stage_labels, runs, strict=False):
            label.setPos(day_x(run.start), 0.5)
            label.setToolTip(f"{run.label}: {run.start:%d %b %Y} to {run.end:%d %b %Y}")
        for label in self.stage_labels[len(runs) :]:
            label.hide()
        self._fit_stage_labels()

    def _fit_stage_labels(self) -> None:
        """Write each stretch's label where it fits, its phase number where only that fits, else nothing."""
        view = self.stage_plot.view
        (low, high), width = view.viewRange()[0], view.width()
        scale = width / (high - low) if high > low else 0.0
        for label, run in zip(self.stage_labels, self.stage_runs, strict=False):
            room = (day_x(run.end) + DAY_SECONDS - max(day_x(run.start), low)) * scale
            for text in (run.label, f"Phase {run.phase}" if run.phase else "", str(run.phase or "")):
                label.setText(text)
                if label.boundingRect().width() <= room:
                    break
            label.setVisible(bool(label.toPlainText()) and label.boundingRect().width() <= room)
            label.setPos(max(day_x(run.start), low), 0.5)


def merge_stages(stages: tuple[StageSpan, ...]) -> list[StageRun]:
    """One stretch per unbroken run of the same stage: a phase held over five follow-ups is one label."""
    runs: list[StageRun] = []
    for stage in sorted(stages, key=lambda s: s.start):
        if runs and runs[-1].label == stage.label and runs[-1].phase == stage.phase:
            runs[-1] = StageRun(runs[-1].start, max(runs[-1].end, stage.end), stage.phase, stage.label)
        else:
            runs.append(StageRun(stage.start, stage.end, stage.phase, stage.label))
    return runs


def _stage_colour(phase: int | None) -> pg.QtGui.QBrush:
    if phase is None:
        return pg.mkBrush(_NOT_RUNNING)
    return pg.mkBrush(_PHASE_COLOURS[min(max(phase, 1), len(_PHASE_COLOURS)) - 1])


def _hover_text(x: float, y: float, data: object) -> str:
    hover = getattr(data, "hover", None)
    return hover if isinstance(hover, str) else f"{y:g}"
