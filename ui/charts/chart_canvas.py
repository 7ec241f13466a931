"""A light plot for a page of charts: a view, a value axis, a date axis and a legend row, nothing else.

pyqtgraph's PlotWidget builds a context menu of some hundred widgets per plot (≈16 ms each); seven of them
alone would spend the tab's whole time budget. This canvas is the few parts the charts use (≈2 ms).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ui.charts.month_axis import MonthAxisItem
from ui.charts.plot_style import AXIS_WIDTH

_GRID_ALPHA = 38  # of 255: faint, so the data stays in front
_AXIS_PEN = "#444444"
_AXIS_TEXT = "#222222"


class ChartCanvas(pg.GraphicsView):
    """The drawing area of one chart. Items go into ``view``; x ranges are shared with ``link_x``."""

    def __init__(self, parent: QWidget | None = None, *, date_axis: bool = True, legend: bool = True) -> None:
        super().__init__(parent, background="w")
        # No focus: Tab moves between the tab's controls, and the range selector (not the mouse) sets the window.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.grid_layout = pg.GraphicsLayout()
        self.grid_layout.setContentsMargins(2, 2, 12, 2)
        self.grid_layout.setSpacing(0)
        self.setCentralItem(self.grid_layout)
        self.view = pg.ViewBox(enableMenu=False)
        self.view.setMouseEnabled(x=False, y=False)
        self.view.enableAutoRange(x=False)
        self.left_axis = _axis(pg.AxisItem("left"), self.view)
        self.left_axis.setWidth(AXIS_WIDTH)
        self.bottom_axis = _axis(MonthAxisItem(), self.view) if date_axis else None
        # The legend sits in a row above the plot area: inside it, it would hide the very lines it names.
        self.legend = pg.LegendItem(colCount=3, labelTextColor=_AXIS_TEXT, horSpacing=18, verSpacing=-6)
        if legend:
            self.grid_layout.addItem(self.legend, 0, 1)
        self.grid_layout.addItem(self.left_axis, 1, 0)
        self.grid_layout.addItem(self.view, 1, 1)
        if self.bottom_axis is not None:
            self.grid_layout.addItem(self.bottom_axis, 2, 1)

    @property
    def items(self) -> list[pg.GraphicsObject]:
        return list(self.view.addedItems)

    def add(self, item: pg.GraphicsObject, *, ignore_bounds: bool = False) -> None:
        self.view.addItem(item, ignoreBounds=ignore_bounds)

    def link_x(self, other: ChartCanvas) -> None:
        self.view.setXLink(other.view)

    def show_grid(self, shown: bool) -> None:
        for axis in (self.left_axis, self.bottom_axis):
            if axis is not None:
                axis.setGrid(_GRID_ALPHA if shown else False)


def _axis(axis: pg.AxisItem, view: pg.ViewBox) -> pg.AxisItem:
    axis.linkToView(view)
    axis.setPen(pg.mkPen(_AXIS_PEN))
    axis.setTextPen(pg.mkPen(_AXIS_TEXT))
    return axis
