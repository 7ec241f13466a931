"""How the progress charts look: dates on the x axis, the colours and symbols of each kind of line."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from workstation.progress.chart_data import (
    LEFT_COLOUR,
    LEFT_SYMBOL,
    RIGHT_COLOUR,
    RIGHT_SYMBOL,
    MarkerKind,
    ReferenceKind,
)
from workstation.records import Side

DAY_SECONDS = 86_400.0
_EPOCH = date(1970, 1, 1).toordinal()
AXIS_WIDTH = 56  # the same left axis width on every chart, so the dates line up down the page
PLOT_HEIGHT = 230

# Okabe-Ito colours left over once blue and vermillion mean left and right: for lines that have no side.
# Black first: the green of the target lines and the orange next to vermillion come later.
_OTHER_STYLES: tuple[tuple[str, str], ...] = (
    ("#000000", "t"),
    ("#CC79A7", "d"),
    ("#E69F00", "t1"),
    ("#56B4E9", "p"),
    ("#009E73", "h"),
)
_REFERENCE_PENS: dict[ReferenceKind, tuple[str, Qt.PenStyle]] = {
    "norm": ("#555555", Qt.PenStyle.DashDotLine),
    "target": ("#1B7837", Qt.PenStyle.SolidLine),
    "aspirational": ("#1B7837", Qt.PenStyle.DashLine),
    "threshold": ("#333333", Qt.PenStyle.DotLine),
}
MARKER_PENS: dict[MarkerKind, tuple[str, Qt.PenStyle]] = {
    "onset": ("#444444", Qt.PenStyle.DashLine),
    "red_flag": ("#B2182B", Qt.PenStyle.SolidLine),
    "discharge": ("#1B7837", Qt.PenStyle.DashLine),
}


def day_x(day: date) -> float:
    """A calendar day as DateAxisItem's x: seconds since 1970 at midnight UTC (the axis is told offset 0)."""
    return (day.toordinal() - _EPOCH) * DAY_SECONDS


def days_x(days: Iterable[date]) -> np.ndarray:
    return (np.fromiter((d.toordinal() for d in days), dtype=np.float64) - _EPOCH) * DAY_SECONDS


def side_style(side: Side, index: int) -> tuple[str, str]:
    """(colour, symbol) of a series: left and right the same everywhere; others by their place in the chart."""
    if side is Side.LEFT:
        return LEFT_COLOUR, LEFT_SYMBOL
    if side is Side.RIGHT:
        return RIGHT_COLOUR, RIGHT_SYMBOL
    return _OTHER_STYLES[index % len(_OTHER_STYLES)]


def reference_pen(kind: ReferenceKind) -> pg.QtGui.QPen:
    colour, style = _REFERENCE_PENS[kind]
    return pg.mkPen(colour, width=1.5, style=style)


def marker_pen(kind: MarkerKind) -> pg.QtGui.QPen:
    colour, style = MARKER_PENS[kind]
    return pg.mkPen(colour, width=1.5, style=style)


def translucent(colour: str, alpha: int) -> QColor:
    shade = QColor(colour)
    shade.setAlpha(alpha)
    return shade
