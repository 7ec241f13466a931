"""The progress tab draws exactly the series it is given, follows the range selector, and exports them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.ui.charts.series_builder import chart, empty_series, line, point, weekly_assessments, with_chart
from ui.charts.plot_style import day_x, days_x
from ui.charts.progress_tab import SINGLE_DAY_MARGIN, ProgressTabWidget
from ui.charts.trend_chart import BAND_LEAD
from ui.charts.weekly_distance_chart import SPIKE_SYMBOL
from workstation.dates import DateOrder
from workstation.progress.chart_data import (
    LEFT_COLOUR,
    LEFT_SYMBOL,
    RIGHT_COLOUR,
    RIGHT_SYMBOL,
    DateRange,
    ProgressSeries,
)
from workstation.records import Side

FIRST = date(2023, 1, 2)
TODAY = date(2025, 1, 6)


@pytest.fixture
def tab(qtbot: QtBot) -> ProgressTabWidget:
    widget = ProgressTabWidget(DateOrder.DAY_MONTH_YEAR)
    qtbot.addWidget(widget)
    widget.resize(1000, 800)
    return widget


def show_active(qtbot: QtBot, tab: ProgressTabWidget) -> None:
    """Alt shortcuts reach only the active window."""
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)


@pytest.fixture
def series() -> ProgressSeries:
    return weekly_assessments(FIRST, 105)  # two years of weekly assessments, the last on 30 Dec 2024


def xy(item: object) -> tuple[list[float], list[float]]:
    x, y = item.getData()  # type: ignore[attr-defined]
    return list(x if x is not None else []), list(y if y is not None else [])


def test_every_line_of_the_heel_raise_chart_is_plotted_as_given(tab: ProgressTabWidget, series: ProgressSeries) -> None:
    tab.set_series(series, TODAY)
    tab.range_box.setCurrentIndex(3)  # all
    heel = series.chart("heel_raise")
    for line_ in heel.series:
        x, y = xy(tab.heel_raise.curves[line_.key])
        assert x == list(days_x(p.on for p in line_.points))
        assert y == [p.value for p in line_.points]
    # window.within spans the references over the window; drawn through their points in order.
    norm_x, norm_y = xy(tab.heel_raise.references["age_sex_norm"])
    assert set(norm_y) == {25.0}
    assert norm_x[0] == day_x(series.first_day) and norm_x[-1] == day_x(TODAY)
    assert set(xy(tab.heel_raise.references["target_30"])[1]) == {30.0}
    assert set(xy(tab.heel_raise.references["aspirational_40"])[1]) == {40.0}
    assert tab.heel_raise.references["aspirational_40"].opts["pen"].style() == Qt.PenStyle.DashLine
    latest_left = heel.series[0].points[-1].value
    band = tab.heel_raise.bands["left_error"]
    assert xy(band)[1] == [latest_left + 6, latest_left + 6]
    assert band.opts["fillLevel"] == latest_left - 6
    latest_day = heel.series[0].points[-1].on
    assert xy(band)[0] == [day_x(latest_day - BAND_LEAD), day_x(TODAY)]  # around the latest value, not everywhere


def test_left_and_right_use_the_shared_colours_and_symbols_in_every_chart_and_legend(
    tab: ProgressTabWidget, series: ProgressSeries
) -> None:
    tab.set_series(series, TODAY)
    for chart_widget in (tab.heel_raise, tab.knee_to_wall):
        for key, colour, symbol in (("left", LEFT_COLOUR, LEFT_SYMBOL), ("right", RIGHT_COLOUR, RIGHT_SYMBOL)):
            curve = chart_widget.curves[key]
            assert curve.opts["pen"].color().name().lower() == colour.lower()
            assert curve.opts["symbol"] == symbol
        legend_names = [label.text for _, label in chart_widget.legend.items]
        assert legend_names[:2] == ["Left", "Right"]
    heel_legend = [label.text for _, label in tab.heel_raise.legend.items]
    assert "40 reps (aspirational)" in heel_legend
    assert len([name for name in heel_legend if "measurement error" in name]) == 1  # one entry for both bands


def test_the_other_charts_plot_their_series_and_reference_lines(tab: ProgressTabWidget, series: ProgressSeries) -> None:
    tab.set_series(series, TODAY)
    tab.range_box.setCurrentIndex(3)
    for widget in (tab.lsi, tab.knee_to_wall, tab.pain, tab.lefs):
        for line_ in series.chart(widget.chart_key).series:
            assert xy(widget.curves[line_.key])[1] == [p.value for p in line_.points]
    assert set(xy(tab.lsi.references["lsi_90"])[1]) == {90.0}
    assert set(xy(tab.lefs.references["mcid"])[1]) == {49.0}
    assert tab.pain.plot.view.viewRange()[1][0] < 0 < 10 < tab.pain.plot.view.viewRange()[1][1]


def test_weekly_distance_bars_spikes_and_stage_band(tab: ProgressTabWidget, series: ProgressSeries) -> None:
    tab.set_series(series, TODAY)
    bars_x, heights = tab.weekly_distance.bar_data()
    assert list(bars_x) == list(days_x(w.week_start for w in series.weeks))
    assert list(heights) == [w.distance for w in series.weeks]
    spike = series.spikes[0]
    assert xy(tab.weekly_distance.spikes) == ([day_x(spike.on)], [spike.week_total])
    assert tab.weekly_distance.spikes.opts["symbol"] == SPIKE_SYMBOL
    # consecutive stages with the same label become one stretch; each carries its label
    runs = tab.weekly_distance.stage_runs
    assert [r.label for r in runs] == ["Not running", "Walk-run phase 2", "Walk-run phase 3"]
    assert list(tab.weekly_distance.stage_band.opts["x0"]) == list(days_x(r.start for r in runs))
    assert tab.weekly_distance.plot.left_axis.labelText == "km"


def test_distance_axis_follows_the_series_unit(tab: ProgressTabWidget, series: ProgressSeries) -> None:
    tab.set_series(replace(series, unit="mi"), TODAY)
    assert tab.weekly_distance.plot.left_axis.labelText == "mi"


def test_episode_markers_are_vertical_lines_on_every_chart_with_their_detail(
    tab: ProgressTabWidget, series: ProgressSeries
) -> None:
    tab.set_series(series, TODAY)
    tab.range_box.setCurrentIndex(3)
    for widget in (*tab.trends, tab.weekly_distance):
        lines = [line_ for line_ in widget.markers.lines if line_.isVisible()]
        assert [line_.value() for line_ in lines] == [day_x(m.on) for m in series.markers]
        assert lines[1].toolTip() == "Red flag: suspected DVT\nUrgent; action: referred to A&E"


def test_all_charts_share_one_date_axis(qtbot: QtBot, tab: ProgressTabWidget, series: ProgressSeries) -> None:
    tab.show()
    tab.set_series(series, TODAY)
    qtbot.waitExposed(tab)
    lead = tab.heel_raise.plot.view.viewRange()[0]
    for widget in (*tab.trends, tab.weekly_distance):
        assert widget.plot.view.viewRange()[0] == pytest.approx(lead)
    assert tab.weekly_distance.stage_plot.view.viewRange()[0] == pytest.approx(lead)


def test_twelve_months_by_default_when_the_problem_began_before_six(tab: ProgressTabWidget) -> None:
    # The builder's onset is ten days before the first assessment: 27 Jun 2024 here, over six months back.
    tab.set_series(weekly_assessments(date(2024, 7, 8), 26), TODAY)
    assert tab.date_range is DateRange.LAST_12_MONTHS


def test_the_shortest_range_that_shows_the_problem_from_its_onset(tab: ProgressTabWidget) -> None:
    tab.set_series(weekly_assessments(date(2024, 11, 4), 9), TODAY)  # onset 25 Oct 2024: a fortnight fits in 3 months
    assert tab.date_range is DateRange.LAST_3_MONTHS
    tab.reset_range()
    tab.set_series(weekly_assessments(date(2024, 9, 2), 10), TODAY)  # onset 23 Aug 2024: 3 months would cut it
    assert tab.date_range is DateRange.LAST_6_MONTHS


def test_everything_by_default_when_the_problem_began_over_a_year_ago(
    tab: ProgressTabWidget, series: ProgressSeries
) -> None:
    tab.set_series(series, TODAY)  # onset 23 Dec 2022
    assert tab.date_range is DateRange.ALL
    left = xy(tab.heel_raise.curves["left"])[0]
    assert min(left) == day_x(FIRST) and max(left) == day_x(date(2024, 12, 30))


def test_the_range_selector_filters_every_chart_by_keyboard(
    qtbot: QtBot, tab: ProgressTabWidget, series: ProgressSeries
) -> None:
    show_active(qtbot, tab)
    tab.set_series(series, TODAY)
    qtbot.keyClick(tab, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # "Date &range:" focuses the selector
    assert tab.range_box.hasFocus()
    qtbot.keyClick(tab.range_box, Qt.Key.Key_Home)
    assert tab.date_range is DateRange.LAST_3_MONTHS
    cutoff = day_x(date(2024, 10, 6))
    for key in ("left", "right"):
        x = xy(tab.heel_raise.curves[key])[0]
        assert x and min(x) >= cutoff and len(x) == 13
    assert all(x >= cutoff - 6 * 86_400 for x in tab.weekly_distance.bar_data()[0])
    assert not [line_ for line_ in tab.heel_raise.markers.lines if line_.isVisible()]  # both events are older
    qtbot.keyClick(tab.range_box, Qt.Key.Key_End)
    assert tab.date_range is DateRange.ALL
    assert len(xy(tab.heel_raise.curves["left"])[0]) == 105
    tab.set_series(series, TODAY)  # new data keeps the range the user chose
    assert tab.date_range is DateRange.ALL


def test_a_second_series_updates_the_same_items_and_shows_the_new_point(
    tab: ProgressTabWidget, series: ProgressSeries
) -> None:
    tab.set_series(series, TODAY)
    curve = tab.heel_raise.curves["left"]
    items_before = set(tab.heel_raise.plot.items)
    heel = series.chart("heel_raise")
    new_point = point(date(2025, 1, 6), 38, 999, "Left")
    lines = (replace(heel.series[0], points=(*heel.series[0].points, new_point)), heel.series[1])
    tab.set_series(with_chart(replace(series, last_day=new_point.on), replace(heel, series=lines)), TODAY)
    assert tab.heel_raise.curves["left"] is curve
    assert set(tab.heel_raise.plot.items) == items_before
    x, y = xy(curve)
    assert (x[-1], y[-1]) == (day_x(new_point.on), 38.0)


def test_clicking_a_point_asks_for_its_assessment(qtbot: QtBot, tab: ProgressTabWidget, series: ProgressSeries) -> None:
    show_active(qtbot, tab)
    tab.set_series(series, TODAY)
    last = series.chart("heel_raise").series[0].points[-20]  # apart from the right leg's point of that day
    view = tab.heel_raise.plot.view
    scatter = tab.heel_raise.curves["left"].scatter

    plot_widget = tab.heel_raise.plot

    def widget_point() -> QPoint:
        return plot_widget.mapFromScene(view.mapViewToScene(QPointF(day_x(last.on), last.value)))

    def on_the_point() -> bool:  # once the page is laid out, the point's place on screen is final
        return len(scatter.pointsAt(scatter.mapFromScene(plot_widget.mapToScene(widget_point())))) == 1

    qtbot.waitExposed(tab)
    qtbot.waitUntil(on_the_point)
    qtbot.mouseMove(plot_widget.viewport(), widget_point())  # as a hand would: onto the point, then click
    with qtbot.waitSignal(tab.assessment_requested) as signal:
        qtbot.mouseClick(tab.heel_raise.plot.viewport(), Qt.MouseButton.LeftButton, pos=widget_point())
    assert signal.args == [last.assessment_id]


def test_hovering_a_point_shows_its_text(tab: ProgressTabWidget, series: ProgressSeries) -> None:
    tab.set_series(series, TODAY)
    scatter = tab.heel_raise.curves["right"].scatter
    last = series.chart("heel_raise").series[1].points[-1]
    spot = scatter.points()[-1]
    assert scatter.opts["hoverable"]
    assert scatter.opts["tip"](x=spot.pos().x(), y=spot.pos().y(), data=spot.data()) == last.hover


def test_an_empty_series_shows_each_charts_empty_text(tab: ProgressTabWidget) -> None:
    tab.set_series(empty_series(), TODAY)
    for widget in (*tab.trends, tab.weekly_distance):
        assert widget.empty_text.isVisible()
        assert widget.empty_text.toPlainText() == empty_series().chart(widget.chart_key).empty_text
        assert not widget.legend.isVisible()
        assert all(not xy(curve)[0] for curve in widget.curves.values())
    low, high = tab.window
    assert high == TODAY and low < TODAY


def test_an_empty_chart_draws_no_target_lines_or_bands_through_its_note(
    tab: ProgressTabWidget, series: ProgressSeries
) -> None:
    tab.set_series(series, TODAY)
    lsi = series.chart("lsi")
    tab.set_series(with_chart(series, replace(lsi, series=tuple(replace(s, points=()) for s in lsi.series))), TODAY)
    assert tab.lsi.empty_text.isVisible()
    assert all(not xy(line)[0] for line in tab.lsi.references.values())
    assert not tab.lsi.plot.left_axis.style["showValues"]
    assert tab.heel_raise.plot.left_axis.style["showValues"]  # the charts with values keep their scale
    tab.set_series(series, TODAY)
    assert xy(tab.lsi.references["lsi_90"])[1] and tab.lsi.plot.left_axis.style["showValues"]


def test_a_single_point_shows_its_value_and_two_weeks_either_side(tab: ProgressTabWidget) -> None:
    only = date(2025, 1, 2)
    lone = chart("lefs", [line("lefs", Side.NONE, [point(only, 52, 7)], "LEFS")])
    single = replace(with_chart(empty_series(), lone), first_day=only, last_day=only)
    tab.set_series(single, TODAY)
    assert xy(tab.lefs.curves["lefs"]) == ([day_x(only)], [52.0])
    label = tab.lefs.value_labels["lefs"]
    assert label.isVisible() and label.toPlainText() == "52"
    assert not tab.lefs.empty_text.isVisible() and tab.heel_raise.empty_text.isVisible()
    low, high = tab.heel_raise.plot.view.viewRange()[0]
    assert high - low >= (2 * SINGLE_DAY_MARGIN).total_seconds()
    assert low < day_x(only) < high


def test_export_writes_a_png_of_the_charts(tab: ProgressTabWidget, series: ProgressSeries, tmp_path: Path) -> None:
    tab.set_series(series, TODAY)
    target = tmp_path / "charts.png"
    tab.export_png(target)
    image = QImage(str(target))
    assert not image.isNull() and image.width() >= 800 and image.height() >= 6 * 200
    assert [p.name for p in tmp_path.iterdir()] == ["charts.png"]  # no temporary file left behind


def test_the_export_button_asks_where_and_saves_there(
    qtbot: QtBot, tab: ProgressTabWidget, series: ProgressSeries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show_active(qtbot, tab)
    tab.set_series(series, TODAY)
    chosen = tmp_path / "for-the-gp"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(chosen), "PNG image (*.png)"))
    qtbot.keyClick(tab, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "Charts saved" in tab.status.text())  # a mnemonic clicks after a short animation
    assert not QImage(str(tmp_path / "for-the-gp.png")).isNull()
    assert "Charts saved" in tab.status.text()


def test_an_export_that_cannot_be_written_says_so_beside_the_buttons(
    tab: ProgressTabWidget, series: ProgressSeries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab.set_series(series, TODAY)
    missing = tmp_path / "no-such-folder" / "charts.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(missing), ""))
    tab.export_button.click()
    assert "Cannot write" in tab.status.text()


def test_copy_puts_the_charts_on_the_clipboard(qtbot: QtBot, tab: ProgressTabWidget, series: ProgressSeries) -> None:
    show_active(qtbot, tab)
    tab.set_series(series, TODAY)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(tab, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not QGuiApplication.clipboard().image().isNull())
    image = QGuiApplication.clipboard().image()
    assert not image.isNull() and image.height() > 1000
