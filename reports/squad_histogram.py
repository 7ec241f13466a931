"""The squad report's heel-raise LSI histogram, drawn with ``reportlab.graphics`` shapes (vector, no Qt).

One bar per bin of ``workstation.squads.views.LsiBin`` (the dashboard's own bins), its count above it, the
bins' ranges under them, and a dashed line at the 90 % target (CLINICAL.md 2.3) with its name, so the
athletes below it are seen at once. Bars under the target are hatched as well as darker: a black-and-white
copy still tells them apart. All text is plain text drawn with ``String`` in the bundled font, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from reports.fonts import REGULAR, register_fonts
from reports.styles import ACCENT, GRID, MUTED
from workstation.squads.views import LsiBin

LSI_TARGET_PERCENT = 90.0  # CLINICAL.md 2.3: LSI >= 90 % is the usual return-to-run target
_FONT_SIZE = 7.5
_LEFT = 26.0  # room for the count axis
_BOTTOM = 24.0  # room for the bins' ranges and the axis title
_TOP = 14.0  # room for the counts above the bars
_BELOW_TARGET = colors.HexColor("#B33A00")
_AT_TARGET = ACCENT


def lsi_histogram(bins: Sequence[LsiBin], width: float, height: float) -> Drawing:
    """The histogram of ``bins`` in a drawing of ``width`` x ``height`` points."""
    register_fonts()
    drawing = Drawing(width, height)
    plot_width, plot_height = width - _LEFT - 4, height - _BOTTOM - _TOP
    highest = max((b.count for b in bins), default=0)
    if not bins or highest == 0:
        drawing.add(_text(width / 2, height / 2, "No heel-raise LSI recorded at the last screening.", "middle"))
        return drawing
    scale = plot_height / _nice_top(highest)
    slot = plot_width / len(bins)
    _axes(drawing, plot_width, plot_height, _nice_top(highest))
    for index, lsi_bin in enumerate(bins):
        x = _LEFT + index * slot + slot * 0.12
        bar_height = lsi_bin.count * scale
        below = lsi_bin.high <= LSI_TARGET_PERCENT
        fill = _BELOW_TARGET if below else _AT_TARGET
        drawing.add(Rect(x, _BOTTOM, slot * 0.76, bar_height, fillColor=fill, strokeColor=fill, strokeWidth=0.4))
        if below and bar_height > 2:
            _hatch(drawing, x, slot * 0.76, bar_height)
        drawing.add(_text(x + slot * 0.38, _BOTTOM + bar_height + 2, str(lsi_bin.count), "middle"))
        drawing.add(_text(x + slot * 0.38, _BOTTOM - 9, _range(lsi_bin), "middle"))
    _target_line(drawing, bins, slot, plot_height)
    drawing.add(_text(_LEFT + plot_width / 2, 2, "Heel-raise LSI at the last screening (%)", "middle"))
    return drawing


def _axes(drawing: Drawing, plot_width: float, plot_height: float, top: int) -> None:
    drawing.add(Line(_LEFT, _BOTTOM, _LEFT + plot_width, _BOTTOM, strokeColor=MUTED, strokeWidth=0.6))
    drawing.add(Line(_LEFT, _BOTTOM, _LEFT, _BOTTOM + plot_height, strokeColor=MUTED, strokeWidth=0.6))
    step = max(1, top // 4)
    for tick in range(0, top + 1, step):
        y = _BOTTOM + plot_height * tick / top
        drawing.add(Line(_LEFT, y, _LEFT + plot_width, y, strokeColor=GRID, strokeWidth=0.3))
        drawing.add(_text(_LEFT - 3, y - 2.5, str(tick), "end"))
    drawing.add(_text(4, _BOTTOM + plot_height + 4, "Athletes", "start"))


def _target_line(drawing: Drawing, bins: Sequence[LsiBin], slot: float, plot_height: float) -> None:
    """A dashed line where 90 % falls on the bins' axis, named at its top."""
    for index, lsi_bin in enumerate(bins):
        if lsi_bin.low <= LSI_TARGET_PERCENT < lsi_bin.high or (
            index == len(bins) - 1 and lsi_bin.high == LSI_TARGET_PERCENT
        ):
            share = (LSI_TARGET_PERCENT - lsi_bin.low) / (lsi_bin.high - lsi_bin.low or 1)
            x = _LEFT + (index + share) * slot
            top = _BOTTOM + plot_height + _TOP - 6
            drawing.add(Line(x, _BOTTOM, x, top, strokeColor=colors.black, strokeWidth=0.8, strokeDashArray=[3, 2]))
            drawing.add(_text(x + 2, top - 1, "90 % target", "start"))
            return


def _hatch(drawing: Drawing, x: float, width: float, height: float) -> None:
    """White stripes across a bar: a below-target bar reads as different without its colour."""
    y = _BOTTOM + 3.0
    while y < _BOTTOM + height - 1:
        drawing.add(Line(x + 1, y, x + width - 1, y, strokeColor=colors.white, strokeWidth=0.6))
        y += 4.0


def _range(lsi_bin: LsiBin) -> str:
    return f"{lsi_bin.low:.0f}–{lsi_bin.high:.0f}"


def _nice_top(highest: int) -> int:
    """The count axis' top: the highest count rounded up to a multiple of 4 (at least 4), for whole ticks."""
    return max(4, -(-highest // 4) * 4)


def _text(x: float, y: float, text: str, anchor: str) -> String:
    return String(x, y, text, fontName=REGULAR, fontSize=_FONT_SIZE, fillColor=MUTED, textAnchor=anchor)
