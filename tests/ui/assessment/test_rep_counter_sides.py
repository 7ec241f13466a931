"""The heel-raise counters name each leg with its chart colour and shape, so the test and its chart agree."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.assessment.rep_counter import RepCounterWidget
from workstation.progress.chart_data import LEFT_COLOUR, RIGHT_COLOUR


def test_each_legs_counter_carries_that_legs_chart_colour_and_shape(qtbot: QtBot) -> None:
    counter = RepCounterWidget()
    qtbot.addWidget(counter)
    left, right = counter.tallies["left"].caption.text(), counter.tallies["right"].caption.text()
    assert LEFT_COLOUR in left and "●" in left and " Left" in left
    assert RIGHT_COLOUR in right and "■" in right and " Right" in right
