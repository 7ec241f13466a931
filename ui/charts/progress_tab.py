"""A patient's progress on one page: every measure over time on one shared date axis, a date-range selector,
and the charts as a PNG file or on the clipboard.

The series come from the core (``workstation.progress``); this page only cuts them to the chosen range and
draws them. ``set_series`` may be called again at any time (a new assessment was finalised): the same plot
items are given new data, nothing is rebuilt.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.charts.chart_export import copy_to_clipboard, export_png
from ui.charts.plot_style import day_x
from ui.charts.trend_chart import TrendChartWidget
from ui.charts.trends import HeelRaiseTrend, KneeToWallTrend, LefsTrend, LsiTrend, PainTrend
from ui.charts.weekly_distance_chart import WeeklyDistanceChart
from workstation.dates import DateOrder, format_date
from workstation.errors import CalfDeskError
from workstation.progress.chart_data import DateRange, ProgressSeries
from workstation.progress.window import window_of, within

SINGLE_DAY_MARGIN = timedelta(days=14)  # one point alone is shown with two weeks either side
EMPTY_WINDOW = timedelta(days=91)  # nothing at all: the last three months, so the axis still reads as dates
_X_PADDING = 0.02
_LEAD_BEFORE_ONSET = timedelta(days=14)  # the default range shows a little of the time before the problem
_RANGES = (DateRange.LAST_3_MONTHS, DateRange.LAST_6_MONTHS, DateRange.LAST_12_MONTHS, DateRange.ALL)


class ProgressTabWidget(QWidget):
    """The progress charts of one patient."""

    assessment_requested = Signal(int)  # a plotted point was clicked: open this assessment

    def __init__(self, date_order: DateOrder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressTab")
        self._order = date_order
        self._series: ProgressSeries | None = None
        self._today = date(1970, 1, 1)  # set_series says which day it is; nothing is drawn before that
        self._window = (self._today, self._today)
        self._range_chosen = False  # the user picked a range: keep it when the data changes
        self.heel_raise = HeelRaiseTrend()
        self.lsi = LsiTrend()
        self.knee_to_wall = KneeToWallTrend()
        self.pain = PainTrend()
        self.lefs = LefsTrend()
        self.weekly_distance = WeeklyDistanceChart()
        self.trends: tuple[TrendChartWidget, ...] = (self.heel_raise, self.lsi, self.knee_to_wall, self.pain, self.lefs)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_controls())
        layout.addWidget(self._build_charts(), 1)
        self._link_axes()

    # -- public ---------------------------------------------------------------------------------------

    @property
    def date_range(self) -> DateRange:
        return DateRange(self.range_box.currentData())

    @property
    def window(self) -> tuple[date, date]:
        """The first and last day the charts show (before a little padding)."""
        return self._window

    def set_series(self, series: ProgressSeries, today: date) -> None:
        """Show ``series``; called again whenever the patient's data changes."""
        self._series = series
        self._today = today
        if not self._range_chosen:
            self._select_range(_default_range(series, today))
        self._redraw()

    def reset_range(self) -> None:
        """Another patient: choose the range from their data again on the next ``set_series``."""
        self._range_chosen = False

    def export_png(self, path: Path) -> None:
        """Write the charts, as shown, to ``path``. Raises CalfDeskError when it cannot be written."""
        export_png(self.charts_area, path)

    def copy_charts(self) -> None:
        copy_to_clipboard(self.charts_area)
        self.status.setText("Charts copied. Paste them into a letter or an e-mail.")

    # -- building -------------------------------------------------------------------------------------

    def _build_controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.range_box = QComboBox()
        self.range_box.setObjectName("progressRange")
        for choice in _RANGES:
            self.range_box.addItem(choice.label, choice.value)
        self.range_box.setCurrentIndex(_RANGES.index(DateRange.LAST_12_MONTHS))
        self.range_box.currentIndexChanged.connect(self._on_range_box_changed)
        self.range_box.activated.connect(self._on_range_box_activated)
        label = QLabel("Date &range:")
        label.setBuddy(self.range_box)
        self.export_button = QPushButton("&Export charts as PNG…")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.copy_button = QPushButton("C&opy charts")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.status = QLabel()
        self.status.setObjectName("progressStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (label, self.range_box, self.export_button, self.copy_button):
            row.addWidget(widget)
        row.addWidget(self.status, 1)
        return row

    def _build_charts(self) -> QScrollArea:
        self.charts_area = QWidget()
        self.charts_area.setObjectName("progressCharts")
        self.charts_area.setAutoFillBackground(True)
        column = QVBoxLayout(self.charts_area)
        column.setSpacing(6)
        for chart in (*self.trends, self.weekly_distance):
            column.addWidget(chart)
            chart.point_clicked.connect(self.assessment_requested)
        scroll = QScrollArea()
        scroll.setObjectName("progressScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.charts_area)
        scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrow keys and Page Down scroll the charts
        return scroll

    def _link_axes(self) -> None:
        # One date axis for the page: every plot follows the first one's x range.
        lead = self.heel_raise.plot
        for chart in (*self.trends[1:], self.weekly_distance):
            chart.plot.link_x(lead)
        self.heel_raise.markers.set_labelled(True)  # the event names once, at the top; hover gives detail below

    # -- drawing --------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        if self._series is None:
            return
        start = window_of(self.date_range, self._today)
        shown = within(self._series, start, self._today)
        self._window = _x_window(shown, start, self._today)
        for chart in self.trends:
            chart.set_chart(shown.chart(chart.chart_key), shown.markers, self._window)
        self.weekly_distance.set_running(shown, self._window)
        first, last = self._window
        self.heel_raise.plot.view.setXRange(day_x(first), day_x(last), padding=_X_PADDING)

    def _select_range(self, choice: DateRange) -> None:
        self.range_box.blockSignals(True)
        self.range_box.setCurrentIndex(_RANGES.index(choice))
        self.range_box.blockSignals(False)

    # -- slots ----------------------------------------------------------------------------------------

    def _on_range_box_changed(self, _index: int) -> None:
        self._redraw()

    def _on_range_box_activated(self, _index: int) -> None:
        self._range_chosen = True

    def _on_export_button_clicked(self) -> None:
        suggested = f"progress-{format_date(self._today, self._order).replace('/', '-')}.png"
        name, _ = QFileDialog.getSaveFileName(self, "Export charts as PNG", suggested, "PNG image (*.png)")
        if not name:
            return
        path = Path(name) if name.lower().endswith(".png") else Path(f"{name}.png")
        try:
            self.export_png(path)
        except CalfDeskError as error:
            self.status.setText(str(error))
            return
        self.status.setText(f"Charts saved to {path}.")

    def _on_copy_button_clicked(self) -> None:
        self.copy_charts()


def _default_range(series: ProgressSeries, today: date) -> DateRange:
    """The shortest range that shows the current problem from its start: the latest onset (else the first
    value) with a fortnight before it. Everything when even twelve months would cut that start off."""
    onsets = [marker.on for marker in series.markers if marker.kind == "onset"]
    anchor = max(onsets) if onsets else series.first_day
    if anchor is None:
        return DateRange.ALL
    for choice in (DateRange.LAST_3_MONTHS, DateRange.LAST_6_MONTHS, DateRange.LAST_12_MONTHS):
        start = window_of(choice, today)
        if start is not None and start <= anchor - _LEAD_BEFORE_ONSET:
            return choice
    return DateRange.ALL


def _x_window(shown: ProgressSeries, start: date | None, today: date) -> tuple[date, date]:
    """The days the x axis spans: the chosen range; for "all", the data's own span (never a single day)."""
    if start is not None:
        return start, today
    if shown.first_day is None or shown.last_day is None:
        return today - EMPTY_WINDOW, today
    first, last = shown.first_day, max(shown.last_day, today)
    if last - first < 2 * SINGLE_DAY_MARGIN:
        centre = shown.first_day + (shown.last_day - shown.first_day) / 2
        return centre - SINGLE_DAY_MARGIN, centre + SINGLE_DAY_MARGIN
    return first, last
