"""Episode events (onset, red flags, discharge) as vertical lines across a chart, with their detail on hover."""

from __future__ import annotations

import pyqtgraph as pg

from ui.charts.chart_canvas import ChartCanvas
from ui.charts.plot_style import day_x, marker_pen
from workstation.progress.chart_data import Marker


class EpisodeMarkers:
    """The marker lines of one plot. Lines are kept and reused: a patient has a handful of events, and a
    new event adds a line only when there are more events than ever before on this chart."""

    def __init__(self, plot: ChartCanvas, *, labelled: bool = False) -> None:
        self._plot = plot
        self._labelled = labelled
        self.lines: list[pg.InfiniteLine] = []
        self.shown: list[Marker] = []

    def set_labelled(self, labelled: bool) -> None:
        self._labelled = labelled

    def set_markers(self, markers: tuple[Marker, ...]) -> None:
        while len(self.lines) < len(markers):
            self.lines.append(self._new_line())
        for line, marker in zip(self.lines, markers, strict=False):
            line.setPen(marker_pen(marker.kind))
            line.setValue(day_x(marker.on))
            line.setToolTip(f"{marker.label}\n{marker.detail}")
            if self._labelled:
                line.label.setFormat(marker.label)
            line.show()
        for line in self.lines[len(markers) :]:
            line.hide()
        self.shown = list(markers)

    def _new_line(self) -> pg.InfiniteLine:
        # Only the labelled chart pays for a text label; the others name the event on hover.
        label = "" if self._labelled else None
        line = pg.InfiniteLine(angle=90, movable=False, label=label, labelOpts={"position": 0.93, "color": "#222"})
        line.setZValue(-3)
        self._plot.add(line, ignore_bounds=True)  # an event line must not stretch the automatic ranges
        return line
