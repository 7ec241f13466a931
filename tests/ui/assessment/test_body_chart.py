"""The body chart widget marks regions by click and by keyboard; its page writes the marks and the pain location."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.assessment.body_chart_page import BodyChartPage
from ui.assessment.body_chart_widget import BodyChartWidget
from ui.assessment.wizard_state import WizardState
from workstation.assessment.body_chart import REGIONS
from workstation.assessment.draft import AssessmentDraft
from workstation.clinical.country import Country

TODAY = date(2025, 6, 15)


def make_state() -> WizardState:
    draft = AssessmentDraft.new(7, None, assessed_on=TODAY, side="left", patient={"age_years": 34, "sex": "female"})
    return WizardState(draft, today=lambda: TODAY, country=Country.UK)


@pytest.fixture
def chart(qtbot: QtBot) -> BodyChartWidget:
    widget = BodyChartWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 600)  # wider than the drawing: it keeps its shape and centres
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot: QtBot, chart: BodyChartWidget, code: str) -> None:
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.region_centre(code).toPoint())


def test_a_click_at_a_regions_centre_marks_it_and_a_second_click_unmarks_it(
    qtbot: QtBot, chart: BodyChartWidget
) -> None:
    with qtbot.waitSignal(chart.regions_changed) as marked:
        click(qtbot, chart, "left-upper-medial")
    assert marked.args == [["left-upper-medial"]]
    click(qtbot, chart, "right-fibula-low")
    assert chart.regions() == ["left-upper-medial", "right-fibula-low"]
    with qtbot.waitSignal(chart.regions_changed) as unmarked:
        click(qtbot, chart, "left-upper-medial")
    assert unmarked.args == [["right-fibula-low"]]


def test_every_region_can_be_hit_at_any_size(qtbot: QtBot, chart: BodyChartWidget) -> None:
    for size in ((900, 600), (400, 260), (700, 900)):
        chart.resize(*size)
        for r in REGIONS:
            assert chart.region_at(chart.region_centre(r.code)) == r.code
    point = chart.region_centre("left-mid")
    assert 0 <= point.x() <= chart.width() and 0 <= point.y() <= chart.height()


def test_a_click_outside_the_regions_changes_nothing(qtbot: QtBot, chart: BodyChartWidget) -> None:
    with qtbot.assertNotEmitted(chart.regions_changed):
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert chart.regions() == []


def test_keyboard_moves_the_focus_ring_and_space_toggles(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    before, chart, after = QLineEdit(host), BodyChartWidget(host), QLineEdit(host)
    layout = QVBoxLayout(host)
    for widget in (before, chart, after):
        layout.addWidget(widget)
    host.resize(700, 560)
    with qtbot.waitActive(host):
        host.show()
        host.activateWindow()
    before.setFocus()

    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert chart.hasFocus() and chart.focused_region() == "left-knee"
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert chart.focused_region() in ("left-upper-medial", "left-upper-lateral")
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert chart.focused_region() == "left-mid"
    with qtbot.waitSignal(chart.regions_changed) as marked:
        qtbot.keyClick(chart, Qt.Key.Key_Space)
    assert marked.args == [["left-mid"]]
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert chart.focused_region() == "right-mid"
    qtbot.keyClick(chart, Qt.Key.Key_Space)
    assert chart.regions() == ["left-mid", "right-mid"]
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    qtbot.keyClick(chart, Qt.Key.Key_Space)
    assert chart.regions() == ["right-mid"]
    assert "right-mid" not in chart.accessibleDescription() and "1 marked" in chart.accessibleDescription()

    # Tab steps through the regions in chart order, then leaves the chart.
    qtbot.keyClick(chart, Qt.Key.Key_Tab)
    assert chart.hasFocus() and chart.focused_region() == "left-low"
    for _ in range(len(REGIONS) - 1 - [r.code for r in REGIONS].index("left-low")):
        qtbot.keyClick(chart, Qt.Key.Key_Tab)
    assert chart.focused_region() == REGIONS[-1].code
    qtbot.keyClick(chart, Qt.Key.Key_Tab)
    assert after.hasFocus()
    qtbot.keyClick(after, Qt.Key.Key_Backtab)
    assert chart.hasFocus() and chart.focused_region() == REGIONS[-1].code


def test_the_chart_renders_readably_with_and_without_qtsvg(qtbot: QtBot, chart: BodyChartWidget) -> None:
    chart.set_regions(["left-upper-medial", "right-fibula-mid"])
    chart.setFocus()
    image = chart.grab().toImage()
    marked = image.pixelColor(chart.region_centre("left-upper-medial").toPoint())
    unmarked = image.pixelColor(chart.region_centre("left-upper-lateral").toPoint())
    assert marked.red() > marked.green() + 60  # the mark's red shows
    assert abs(unmarked.red() - unmarked.green()) < 20  # the neutral grey of an unmarked region

    plain = BodyChartWidget(use_svg=False)
    qtbot.addWidget(plain)
    plain.resize(900, 600)
    plain.set_regions(["left-upper-medial"])
    drawn = plain.grab().toImage()
    assert drawn.pixelColor(plain.region_centre("left-upper-medial").toPoint()) == marked
    assert drawn.pixelColor(plain.region_centre("left-upper-lateral").toPoint()).red() < 250  # region filled


def test_marked_regions_are_painted_red_and_the_others_are_not(
    qtbot: QtBot, chart: BodyChartWidget, tmp_path: Path
) -> None:
    chart.set_regions(["left-upper-medial", "left-fibula-low"])
    image = chart.grab().toImage()
    assert image.save(str(tmp_path / "body_chart.png"))  # kept for a look when this fails

    def colour_at(code: str) -> tuple[int, int, int]:
        point = chart.region_centre(code).toPoint() * image.devicePixelRatio()
        pixel = image.pixelColor(point)
        return pixel.red(), pixel.green(), pixel.blue()

    for code in ("left-upper-medial", "left-fibula-low"):
        red, green, blue = colour_at(code)
        assert red > 180 and green < 150 and blue < 150, (code, red, green, blue)
    red, green, blue = colour_at("right-upper-medial")
    assert abs(red - green) < 20 and abs(green - blue) < 20, ("an unmarked region stays neutral", red, green, blue)


@pytest.fixture
def page(qtbot: QtBot) -> BodyChartPage:
    page = BodyChartPage(make_state())
    qtbot.addWidget(page)
    page.resize(760, 620)
    page.initializePage()
    page.show()
    qtbot.waitExposed(page)
    return page


def test_page_writes_regions_and_pain_location_to_the_draft(qtbot: QtBot, page: BodyChartPage) -> None:
    state = page._state
    click(qtbot, page.chart, "left-low")
    assert state.detail("body_chart.regions") == ["left-low"]
    assert state.value("history.pain_location") == "low_above_achilles"
    assert "Low calf above the Achilles (from the chart)" in page.location_label.text()
    assert page.marked_label.text() == "Marked: Left: lower calf above the Achilles."

    click(qtbot, page.chart, "left-upper-medial")
    assert state.detail("body_chart.regions") == ["left-upper-medial", "left-low"]
    assert state.value("history.pain_location") == "diffuse"

    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    assert state.detail("body_chart.regions") is None
    assert state.value("history.pain_location") is None
    assert "body_chart" not in state.draft.detail and "history" not in state.draft.document
    assert page.chart.regions() == [] and not page.clear_button.isEnabled()


def test_unmarking_keeps_a_location_chosen_on_the_history_page(qtbot: QtBot, page: BodyChartPage) -> None:
    state = page._state
    click(qtbot, page.chart, "right-heel")  # no contract value for the heel: nothing written
    assert state.value("history.pain_location") is None
    assert "outside the calf areas" in page.location_label.text()
    state.edit("history.pain_location", "mid")  # as the history page would
    assert "Mid calf (chosen on the history page)" in page.location_label.text()

    click(qtbot, page.chart, "right-fibula-mid")
    assert state.value("history.pain_location") == "lateral_fibula"  # marking writes the chart's location
    state.edit("history.pain_location", "upper_medial")
    assert "The chart suggests Outer leg over the fibula" in page.location_label.text()
    assert page.use_chart_button.isVisible()
    click(qtbot, page.chart, "right-fibula-mid")  # the chart no longer implies a location ...
    assert state.value("history.pain_location") == "upper_medial"  # ... and leaves the clinician's choice


def test_use_chart_location_button_and_reload_from_the_draft(qtbot: QtBot, page: BodyChartPage) -> None:
    state = page._state
    click(qtbot, page.chart, "left-fibula-upper")
    state.edit("history.pain_location", "mid")
    qtbot.mouseClick(page.use_chart_button, Qt.MouseButton.LeftButton)
    assert state.value("history.pain_location") == "lateral_fibula"
    assert not page.use_chart_button.isVisible()

    restored = AssessmentDraft.from_payload(state.draft.to_payload())
    restored.set_detail("body_chart.regions", ["right-mid", "left-mid"])
    state.replace_draft(restored)
    assert page.chart.regions() == ["left-mid", "right-mid"]
    assert page.marked_label.text() == "Marked: Left: mid calf; Right: mid calf."
