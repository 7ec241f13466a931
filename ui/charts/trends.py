"""The measures drawn as lines over time, one widget each (the weekly distance has its own module)."""

from __future__ import annotations

from ui.charts.trend_chart import TrendChartWidget
from workstation.progress.chart_data import ChartKey
from workstation.records import Side

_LEGS = (("left", Side.LEFT), ("right", Side.RIGHT))


class HeelRaiseTrend(TrendChartWidget):
    """Single-leg heel-raise reps, each leg against the age and sex norm and the runner targets."""

    chart_key: ChartKey = "heel_raise"
    expected_series = _LEGS
    expected_references = ("age_sex_norm", "target_30", "aspirational_40")
    expected_bands = (("left_error", Side.LEFT), ("right_error", Side.RIGHT))


class LsiTrend(TrendChartWidget):
    """The limb symmetry index (weaker over stronger side) against the 90 % line."""

    chart_key: ChartKey = "lsi"
    expected_series = (("lsi", Side.NONE),)
    expected_references = ("lsi_90",)


class KneeToWallTrend(TrendChartWidget):
    """Knee-to-wall distance of each leg, with the asymmetry threshold."""

    chart_key: ChartKey = "knee_to_wall"
    expected_series = _LEGS
    expected_references = ("asymmetry",)


class PainTrend(TrendChartWidget):
    """Pain scores (0-10) and the PSFS mean."""

    chart_key: ChartKey = "pain"


class LefsTrend(TrendChartWidget):
    """LEFS totals with the minimal clinically important difference."""

    chart_key: ChartKey = "lefs"
    expected_series = (("lefs", Side.NONE),)
    expected_references = ("mcid",)
