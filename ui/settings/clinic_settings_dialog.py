"""Admin › Clinic settings: how distances are shown across the practice (kilometres or miles).

Distances are always stored in kilometres; the setting only changes what every screen and chart shows
and what typed distances mean. It is practice-wide so two workstations never disagree about a run.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.security.service_call import call_service
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.clinical.load import DistanceUnit
from workstation.errors import CalfDeskError

EXPLANATION = (
    "Runs are stored in kilometres whatever is chosen here: this changes what every workstation shows "
    "and what a typed distance means."
)
_UNITS: tuple[tuple[DistanceUnit, str], ...] = (("km", "&Kilometres (km)"), ("mi", "&Miles (mi)"))


class ClinicSettingsDialog(QDialog):
    distance_unit_changed = Signal(str)

    def __init__(
        self,
        distance_unit: DistanceUnit,
        change_distance_unit: Callable[[DistanceUnit], None],
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clinicSettingsDialog")
        self.setWindowTitle("Clinic settings")
        self._change = change_distance_unit
        self._tasks = tasks
        self._stored = distance_unit
        self.banner = BannerWidget()
        self.unit_buttons = QButtonGroup(self)
        units = QVBoxLayout()
        for unit, text in _UNITS:
            button = QRadioButton(text)
            button.setObjectName(f"distanceUnit_{unit}")
            button.setChecked(unit == distance_unit)
            self.unit_buttons.addButton(button)
            units.addWidget(button)
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Distances in", units)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(explanation)
        layout.addWidget(self.buttons)
        self.unit_buttons.checkedButton().setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def chosen_unit(self) -> DistanceUnit:
        checked = self.unit_buttons.checkedButton()
        return next(unit for unit, _text in _UNITS if checked.objectName() == f"distanceUnit_{unit}")

    @Slot()
    def _on_buttons_accepted(self) -> None:
        unit, change = self.chosen_unit, self._change
        if unit == self._stored:
            self.accept()
            return
        call_service(
            lambda: change(unit),
            done=lambda _result: self._on_saved(unit),
            failed=self._on_save_failed,
            tasks=self._tasks,
            context=self,
        )

    def _on_saved(self, unit: DistanceUnit) -> None:
        self._stored = unit
        self.distance_unit_changed.emit(unit)
        self.accept()

    def _on_save_failed(self, error: CalfDeskError) -> None:
        self.banner.show_message(str(error), Tone.ERROR)
