"""The wizard's body chart page: mark where it hurts; the marks suggest the contract's pain location.

Marks are stored as region codes in the draft detail ``body_chart.regions``. Marking writes
``history.pain_location`` (what the engine reads); unmarking everything that implied it takes it away again,
but a location chosen on the history page that the chart did not write is left alone and shown beside the
chart's suggestion, with a button to use the suggestion instead.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, QWizardPage

from ui.assessment.body_chart_widget import BodyChartWidget
from ui.assessment.wizard_state import WizardState
from workstation.assessment.body_chart import PAIN_LOCATION_LABELS, pain_location_of, region, sort_codes

REGIONS_PATH = "body_chart.regions"
PAIN_LOCATION_PATH = "history.pain_location"


class BodyChartPage(QWizardPage):
    def __init__(self, state: WizardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bodyChartPage")
        self.setTitle("Body chart")
        self.setSubTitle(
            "Mark where it hurts: click an area, or move with the arrow keys and press Space. "
            "Click or press Space again to unmark."
        )
        self._state = state

        self.chart = BodyChartWidget(self)
        self.chart.setObjectName("bodyChartWidget")
        self.marked_label = QLabel(self)
        self.marked_label.setObjectName("markedRegionsLabel")
        self.marked_label.setWordWrap(True)
        self.location_label = QLabel(self)
        self.location_label.setObjectName("painLocationLabel")
        self.location_label.setWordWrap(True)
        self.use_chart_button = QPushButton("Use the chart's location", self)
        self.use_chart_button.setObjectName("useChartLocationButton")
        self.clear_button = QPushButton("Clear marks", self)
        self.clear_button.setObjectName("clearMarksButton")

        buttons = QHBoxLayout()
        buttons.addWidget(self.location_label, 1)
        buttons.addWidget(self.use_chart_button)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.marked_label)
        layout.addLayout(buttons)

        self.chart.regions_changed.connect(self._on_chart_regions_changed)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self.use_chart_button.clicked.connect(self._on_use_chart_button_clicked)
        state.draft_changed.connect(self._on_state_draft_changed)
        self._reload()

    def initializePage(self) -> None:
        self._reload()

    def _stored_regions(self) -> list[str]:
        stored = self._state.detail(REGIONS_PATH) or []
        return sort_codes(code for code in stored if isinstance(code, str))

    def _on_chart_regions_changed(self, codes: list[str]) -> None:
        self._write(codes)

    def _on_clear_button_clicked(self) -> None:
        self._write([])
        self.chart.setFocus()

    def _on_use_chart_button_clicked(self) -> None:
        self._state.edit(PAIN_LOCATION_PATH, pain_location_of(self._stored_regions()))

    def _on_state_draft_changed(self) -> None:
        self._reload()

    def _write(self, codes: list[str]) -> None:
        before = pain_location_of(self._stored_regions())
        codes = sort_codes(codes)
        suggested = pain_location_of(codes)
        current = self._state.value(PAIN_LOCATION_PATH)
        self._state.edit_detail(REGIONS_PATH, codes or None)
        if suggested is not None:
            self._state.edit(PAIN_LOCATION_PATH, suggested)
        elif current is not None and current == before:
            # The chart wrote this location and no longer supports it; one chosen elsewhere stays.
            self._state.edit(PAIN_LOCATION_PATH, None)

    def _reload(self) -> None:
        codes = self._stored_regions()
        self.chart.set_regions(codes)
        self.clear_button.setEnabled(bool(codes))
        self.marked_label.setText(
            "Marked: " + "; ".join(region(code).label for code in codes) + "." if codes else "Nothing marked yet."
        )
        suggested = pain_location_of(codes)
        current = self._state.value(PAIN_LOCATION_PATH)
        self.location_label.setText(_location_text(current, suggested, bool(codes)))
        self.use_chart_button.setVisible(suggested is not None and current != suggested)


def _location_text(current: object, suggested: str | None, marked: bool) -> str:
    def name(code: object) -> str:
        return PAIN_LOCATION_LABELS.get(str(code), str(code))

    if current is None and suggested is None:
        if marked:
            return "Pain location: not recorded (the marked areas are outside the calf areas the engine uses)."
        return "Pain location: not recorded yet."
    if current == suggested:
        return f"Pain location: {name(current)} (from the chart)."
    if suggested is None:
        return f"Pain location: {name(current)} (chosen on the history page)."
    if current is None:
        return f"Pain location: not recorded. The chart suggests {name(suggested)}."
    return f"Pain location: {name(current)} (chosen on the history page). The chart suggests {name(suggested)}."
