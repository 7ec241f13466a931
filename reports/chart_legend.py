"""The legend under a PDF progress chart: a short sample of each line (with its symbol) and each error band.

Reference lines are named at their right end and episode markers above the plot, so the legend holds only
the measured lines and the measurement-error band, flowing into as many rows as the width needs.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.graphics.shapes import Group, Rect

from reports.chart_style import BAND_OPACITY, LineLook, colour, segment, series_look, string_at, symbol, text_width
from workstation.progress.chart_data import ErrorBand, Series

SAMPLE = 16.0  # points of line drawn in front of each entry
_AFTER_SAMPLE = 3.0
_BETWEEN = 10.0
ROW_HEIGHT = 1.45  # rows apart, in font sizes

Entry = tuple[str, LineLook | tuple[str, ...]]  # a line's label and look, or a band's label and side colours


def legend_entries(series: Iterable[tuple[Series, LineLook]], bands: Iterable[ErrorBand]) -> list[Entry]:
    """(label, look) for each line, then one entry per band label with the colours of its sides."""
    entries: list[Entry] = [(line.label, look) for line, look in series]
    bands = list(bands)
    for label in dict.fromkeys(band.label for band in bands):
        inks = tuple(series_look(band.side, 0).colour for band in bands if band.label == label)
        entries.append((label, inks))
    return entries


def legend_rows(entries: list[Entry], room: float, size: float) -> list[list[Entry]]:
    """The entries flowed into rows no wider than ``room`` (an entry wider than that gets a row alone)."""
    rows: list[list[Entry]] = [[]]
    used = 0.0
    for entry in entries:
        need = _entry_width(entry[0], size)
        if rows[-1] and used + need > room:
            rows.append([])
            used = 0.0
        rows[-1].append(entry)
        used += need
    return rows if rows[0] else []


def _entry_width(label: str, size: float) -> float:
    return SAMPLE + _AFTER_SAMPLE + text_width(label, size) + _BETWEEN


def draw_legend(
    rows: list[list[Entry]], left: float, baseline: float, size: float, line_width: float, radius: float
) -> Group:
    """The rows from ``left``, the first row's text on ``baseline`` and each next row below it."""
    group = Group()
    for row in rows:
        x = left
        middle = baseline + size * 0.3
        for label, look in row:
            if isinstance(look, LineLook):
                group.add(segment(x, middle, x + SAMPLE, middle, look.colour, line_width, look.dash))
                group.add(symbol(look.symbol, x + SAMPLE / 2, middle, radius, look.colour))
            else:
                group.add(_band_swatch(look, x, baseline - size * 0.1, size * 0.8))
            group.add(string_at(x + SAMPLE + _AFTER_SAMPLE, baseline, label, size))
            x += _entry_width(label, size)
        baseline -= size * ROW_HEIGHT
    return group


def _band_swatch(inks: tuple[str, ...], x: float, y: float, height: float) -> Group:
    """A band's swatch, split between the sides it is drawn for (left and right share one label)."""
    group = Group()
    part = SAMPLE / len(inks)
    for index, ink in enumerate(inks):
        group.add(Rect(x + index * part, y, part, height, fillColor=colour(ink), fillOpacity=BAND_OPACITY * 2,
                       strokeColor=colour(ink), strokeWidth=0.4))  # fmt: skip
    return group
