"""The charts' date axis: months (or wider steps) that never crowd, the year where it changes."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from ui.charts.month_axis import MonthAxisItem
from ui.charts.plot_style import day_x


@pytest.fixture
def axis(qtbot: QtBot) -> MonthAxisItem:
    return MonthAxisItem()


def ticks(axis: MonthAxisItem, first: date, last: date, width: float) -> list[str]:
    [(_spacing, values)] = axis.tickValues(day_x(first), day_x(last), width)
    return axis.tickStrings(values, 1.0, 0.0)


def test_six_months_are_one_tick_a_month_with_the_year_at_the_start_and_at_january(axis: MonthAxisItem) -> None:
    assert ticks(axis, date(2025, 9, 14), date(2026, 3, 20), 900) == [
        "Oct 2025", "Nov", "Dec", "Jan 2026", "Feb", "Mar",
    ]  # fmt: skip


def test_a_narrow_chart_steps_by_quarters_on_their_own_months(axis: MonthAxisItem) -> None:
    assert ticks(axis, date(2025, 2, 10), date(2026, 2, 10), 300) == ["Apr 2025", "Jul", "Oct", "Jan 2026"]


def test_five_years_are_labelled_by_year(axis: MonthAxisItem) -> None:
    labels = ticks(axis, date(2021, 11, 1), date(2026, 12, 1), 500)
    assert labels == ["2023", "2024", "2025", "2026"]  # January 2022 is too near the left edge for its label


def test_labels_never_crowd_whatever_the_width(axis: MonthAxisItem) -> None:
    for width in (120, 240, 480, 960, 1920):
        [(_spacing, values)] = axis.tickValues(day_x(date(2016, 1, 1)), day_x(date(2026, 12, 1)), width)
        assert len(values) <= max(1, width // 56)


def test_no_ticks_for_an_empty_range(axis: MonthAxisItem) -> None:
    assert axis.tickValues(day_x(date(2026, 1, 1)), day_x(date(2026, 1, 1)), 500) == []
    assert axis.tickValues(day_x(date(2026, 1, 1)), day_x(date(2026, 6, 1)), 0) == []


def test_a_tick_too_near_an_end_for_its_label_is_left_out_so_the_first_shown_has_the_year(
    axis: MonthAxisItem,
) -> None:
    # 1 June is a day inside the range: its label would hang off the left edge.
    assert ticks(axis, date(2026, 5, 31), date(2026, 12, 1), 900) == ["Jul 2026", "Aug", "Sep", "Oct", "Nov"]
