"""The body chart drawing, on which the clinician marks where it hurts, by mouse or keyboard.

The drawing is ``resources/body_chart.svg``; the clickable regions and their outlines come from
:mod:`workstation.assessment.body_chart`, which reads the same file, so what is hit here is exactly what the
summary and the letters draw. When QtSvg is missing the drawing is painted from that geometry instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from workstation.assessment.body_chart import REGIONS, BodyChart, load_chart, region, sort_codes, svg_path

try:
    from PySide6.QtSvg import QSvgRenderer
except ImportError:  # PySide6-Essentials without QtSvg: paint the parsed geometry instead
    QSvgRenderer = None  # type: ignore[assignment,misc]

# The chart is a drawing on white paper in light and dark schemes alike, so these colours are fixed.
PAPER = QColor("#ffffff")
MARKED_FILL = QColor(214, 40, 40, 165)
MARKED_EDGE = QColor("#9b1c1c")
FOCUS_RING = QColor("#0b57a0")
LEGEND_TEXT = QColor("#30353b")
_LEGEND_HEIGHT = 30  # px below the drawing
_MARGIN = 6

_ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


class BodyChartWidget(QWidget):
    """Both lower legs from behind and from the outer side; a click or Space toggles the region under it.

    Arrow keys move the focus ring to the nearest region in that direction; Tab and Shift+Tab step through
    the regions in chart order and leave the chart after the last one.
    """

    regions_changed = Signal(list)  # the marked region codes in chart order, after the user changed them

    def __init__(self, parent: QWidget | None = None, *, chart: BodyChart | None = None, use_svg: bool = True):
        super().__init__(parent)
        self._chart = chart or load_chart()
        self._renderer = QSvgRenderer(str(svg_path()), self) if use_svg and QSvgRenderer is not None else None
        self._order = [r.code for r in REGIONS if r.code in self._chart.regions]
        self._marked: set[str] = set()
        self._focused: str | None = None
        self._paths = {code: _path(points) for code, points in self._chart.regions.items()}
        self._to_widget = QTransform()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Body chart")
        self._describe()

    # --- state ---------------------------------------------------------------------------------------

    def regions(self) -> list[str]:
        return sort_codes(self._marked)

    def set_regions(self, codes: list[str]) -> None:
        """Show these marks (a loaded draft); does not emit ``regions_changed``."""
        marked = set(sort_codes(codes))
        if marked != self._marked:
            self._marked = marked
            self._describe()
            self.update()

    def toggle(self, code: str) -> None:
        """Mark or unmark one region, as a click would."""
        self._marked ^= {code}
        self._describe()
        self.update()
        self.regions_changed.emit(self.regions())

    def focused_region(self) -> str | None:
        return self._focused

    def region_centre(self, code: str) -> QPointF:
        """Where the region's centre is drawn now, in widget coordinates (for tests and tooltips)."""
        x, y = self._chart.centre(code)
        return self._to_widget.map(QPointF(x, y))

    def region_at(self, pos: QPointF) -> str | None:
        inverse, invertible = self._to_widget.inverted()
        if not invertible:
            return None
        point = inverse.map(pos)
        return self._chart.region_at(point.x(), point.y())

    # --- geometry ------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(int(self._chart.width) + 2 * _MARGIN, int(self._chart.height) + _LEGEND_HEIGHT + 2 * _MARGIN)

    def minimumSizeHint(self) -> QSize:
        return QSize(int(self._chart.width / 2), int(self._chart.height / 2) + _LEGEND_HEIGHT)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._update_transform()
        super().resizeEvent(event)

    def _drawing_rect(self) -> QRectF:
        """The chart scaled into the widget, keeping its aspect ratio, centred, above the legend."""
        space = QRectF(self.rect()).adjusted(_MARGIN, _MARGIN, -_MARGIN, -_MARGIN - _LEGEND_HEIGHT)
        scale = max(0.01, min(space.width() / self._chart.width, space.height() / self._chart.height))
        width, height = self._chart.width * scale, self._chart.height * scale
        return QRectF(space.center().x() - width / 2, space.top() + (space.height() - height) / 2, width, height)

    def _update_transform(self) -> None:
        target = self._drawing_rect()
        scale = target.width() / self._chart.width
        self._to_widget = QTransform.fromTranslate(target.left(), target.top()).scale(scale, scale)

    # --- painting ------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        self._update_transform()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), PAPER)
        target = self._drawing_rect()
        if self._renderer is not None:
            self._renderer.render(painter, target)
        else:
            self._paint_geometry(painter)
        painter.save()
        painter.setTransform(self._to_widget)
        for code in self.regions():
            painter.setPen(QPen(MARKED_EDGE, 1.5))
            painter.setBrush(MARKED_FILL)
            painter.drawPath(self._paths[code])
        if self.hasFocus() and self._focused is not None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(PAPER, 5.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            painter.drawPath(self._paths[self._focused])
            painter.setPen(
                QPen(FOCUS_RING, 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
            )
            painter.drawPath(self._paths[self._focused])
        painter.restore()
        self._paint_legend(painter, target)
        painter.end()

    def _paint_legend(self, painter: QPainter, drawing: QRectF) -> None:
        font = QFont(self.font())
        font.setPixelSize(13)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        y = drawing.bottom() + 8
        x = max(float(_MARGIN), drawing.left() + 8)
        painter.setPen(QPen(MARKED_EDGE, 1.5))
        painter.setBrush(MARKED_FILL)
        painter.drawRoundedRect(QRectF(x, y, 18, 14), 3, 3)
        painter.setPen(LEGEND_TEXT)
        text = f"Where it hurts ({len(self._marked)} marked)"
        painter.drawText(QPointF(x + 26, y + 12), text)
        x += 26 + metrics.horizontalAdvance(text) + 24
        painter.setPen(QPen(FOCUS_RING, 2.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(x, y, 18, 14), 3, 3)
        painter.setPen(LEGEND_TEXT)
        painter.drawText(QPointF(x + 26, y + 12), "Keyboard focus")

    def _paint_geometry(self, painter: QPainter) -> None:
        """The drawing without QtSvg: the same shapes and labels, read from the SVG by the core."""
        painter.save()
        painter.setTransform(self._to_widget)
        for shape in self._chart.shapes:
            painter.setBrush(QColor(shape.fill) if shape.fill and shape.closed else Qt.BrushStyle.NoBrush)
            pen = QPen(QColor(shape.stroke), shape.stroke_width) if shape.stroke else Qt.PenStyle.NoPen
            painter.setPen(pen)
            if shape.closed:
                painter.drawPath(_path(shape.points))
            else:
                painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y in shape.points]))
        for label in self._chart.labels:
            font = QFont("sans-serif")
            font.setPixelSize(max(1, round(label.size)))
            font.setBold(label.bold)
            painter.setFont(font)
            painter.setPen(QColor(label.colour))
            width = painter.fontMetrics().horizontalAdvance(label.text)
            shift = {"middle": width / 2, "end": width}.get(label.anchor, 0.0)
            painter.drawText(QPointF(label.x - shift, label.y), label.text)
        painter.restore()

    # --- input ---------------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        code = self.region_at(event.position()) if event.button() == Qt.MouseButton.LeftButton else None
        if code is None:
            super().mousePressEvent(event)
            return
        self._focused = code
        self.toggle(code)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in _ARROWS and self._focused is not None:
            self._move_focus(self._chart.neighbour(self._focused, *_ARROWS[key]))
        elif key == Qt.Key.Key_Space and self._focused is not None:
            self.toggle(self._focused)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab steps through the regions first; past either end it moves on to the next widget."""
        if self.hasFocus() and self._focused is not None:
            index = self._order.index(self._focused) + (1 if next else -1)
            if 0 <= index < len(self._order):
                self._move_focus(self._order[index])
                return True
        return super().focusNextPrevChild(next)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if event.reason() == Qt.FocusReason.TabFocusReason:
            self._focused = self._order[0]
        elif event.reason() == Qt.FocusReason.BacktabFocusReason:
            self._focused = self._order[-1]
        elif self._focused is None:
            self._focused = (self.regions() or self._order)[0]
        self._describe()
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            code = self.region_at(QPointF(event.pos()))
            if code is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self._spoken(code), self)
            return True
        return super().event(event)

    def _move_focus(self, code: str) -> None:
        self._focused = code
        self._describe()
        self.update()

    def _spoken(self, code: str) -> str:
        return f"{region(code).label} ({'marked' if code in self._marked else 'not marked'})"

    def _describe(self) -> None:
        """What a screen reader says: the focused region and how many are marked."""
        focus = f"{self._spoken(self._focused)}. " if self._focused else ""
        self.setAccessibleDescription(f"{focus}{len(self._marked)} marked. Arrow keys move, Space marks or unmarks.")


def _path(points: tuple[tuple[float, float], ...]) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    path.closeSubpath()
    return path
