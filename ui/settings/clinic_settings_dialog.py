"""Admin › Clinic settings: the practice as its letters show it, its country, and how distances are shown.

Practice-wide, so two workstations never disagree (a letterhead, an emergency number, a run's distance).
Save writes only what was changed, each part through the clinic-settings service (checked and audited
there). A part that is refused is marked beside its field and everything typed stays as it was; the
parts that were accepted are saved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.clock import local_today
from ui.security.service_call import call_service
from ui.settings.clinic_settings_changes import ClinicSettingsValues, SaveOutcome, changed_parts, outcome_text
from ui.settings.country_effect import country_effect
from ui.settings.dialog_fit import FormScrollArea, fit_to_screen
from ui.settings.image_field import ChooseImage, ImageFieldWidget, ask_for_image, note_label
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from ui.widgets.field_message import FieldMessageLabel
from workstation.clinical.country import Country
from workstation.clinical.load import DistanceUnit
from workstation.errors import CalfDeskError
from workstation.letters.records import ClinicProfile
from workstation.problems import Problem
from workstation.services.clinic_settings import EMAIL_MAX_CHARS, NAME_MAX_CHARS, PHONE_MAX_CHARS

EXPLANATION = (
    "Runs are stored in kilometres whatever is chosen here: this changes what every workstation shows "
    "and what a typed distance means."
)
COUNTRY_EXPLANATION = (
    "The country sets how letters write dates, which patient identifiers they print and their spelling, "
    "and the emergency number that red-flag messages and advice name. With the choice above:"
)
LOGO_HINT = "PNG or JPEG, up to 1 MB: printed at the top of every letter."
_UNITS: tuple[tuple[DistanceUnit, str], ...] = (("km", "&Kilometres (km)"), ("mi", "&Miles (mi)"))
# Alt letters: N, D, H, E for the details; L, I, V for the logo; U, A, R, S, O for the country; K, M for units.
_COUNTRIES: tuple[tuple[Country | None, str], ...] = (
    (Country.UK, "&United Kingdom"),
    (Country.AU, "&Australia"),
    (Country.EU, "Eu&ropean Union"),
    (Country.US, "United &States"),
    (None, "N&ot chosen: emergency messages give every number"),
)
_DETAIL_LABELS = {"name": "&Name", "address": "A&ddress", "phone": "P&hone", "email": "&Email"}
_MAX_CHARS = {"name": NAME_MAX_CHARS, "phone": PHONE_MAX_CHARS, "email": EMAIL_MAX_CHARS}  # the service's limits
_LOGO_THUMBNAIL = QSize(180, 72)

SaveChanges = Callable[[ClinicSettingsValues, ClinicSettingsValues], SaveOutcome]


class ClinicSettingsDialog(QDialog):
    distance_unit_changed = Signal(str)
    settings_saved = Signal(object)  # the ClinicSettingsValues stored now

    def __init__(
        self,
        stored: ClinicSettingsValues,
        save: SaveChanges,
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
        choose_image: ChooseImage = ask_for_image,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clinicSettingsDialog")
        self.setWindowTitle("Clinic settings")
        self._save = save
        self._tasks = tasks
        self._stored = stored
        self._busy = False
        self.banner = BannerWidget()
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.messages: dict[str, FieldMessageLabel] = {}
        self.logo = ImageFieldWidget(choose_text="Choose &image…", remove_text="Remo&ve",
                                     dialog_title="Choose the clinic's logo", thumbnail=_LOGO_THUMBNAIL,
                                     choose_file=choose_image)  # fmt: skip
        self.logo.setObjectName("field_logo")
        self.country_buttons = QButtonGroup(self)
        self.country_effect = QLabel()
        self.country_effect.setObjectName("countryEffect")
        self.country_effect.setWordWrap(True)
        self.unit_buttons = QButtonGroup(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.form_scroll = FormScrollArea()  # the form, scrolled only on a screen too small for it
        self._fitted = False
        self._build()
        self._load(stored)
        self.fields["name"].setFocus(Qt.FocusReason.OtherFocusReason)

    # --- building --------------------------------------------------------------------------------------------

    def _build(self) -> None:
        grid = QGridLayout()
        grid.addWidget(self._practice_box(), 0, 0, 2, 1)
        grid.addWidget(self._country_box(), 0, 1)
        grid.addWidget(self._units_box(), 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setContentsMargins(0, 0, 0, 0)
        form = QWidget()
        form.setObjectName("clinicSettingsForm")
        form.setLayout(grid)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.form_scroll, 1)
        layout.addWidget(self.buttons)
        self.form_scroll.setWidget(form)

    def _practice_box(self) -> QGroupBox:
        box = QGroupBox("Practice (the letterhead)")
        column = QVBoxLayout(box)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)  # spare height goes below the fields, never between them
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, text in _DETAIL_LABELS.items():
            widget: QLineEdit | QPlainTextEdit
            if key == "address":
                widget = QPlainTextEdit()
                widget.setTabChangesFocus(True)
                widget.setFixedHeight(widget.fontMetrics().lineSpacing() * 4 + widget.frameWidth() * 2 + 8)
                widget.setPlaceholderText("One line each: street, town, postcode")
            else:
                widget = QLineEdit()
                widget.setMaxLength(_MAX_CHARS[key])
            self.fields[key] = widget
            form.addRow(self._label(text, widget, key), self._with_message(widget, key))
        logo_label = QLabel("&Logo")
        logo_label.setBuddy(self.logo.choose_button)
        hint = note_label(LOGO_HINT)
        cell = QWidget()
        cell_column = QVBoxLayout(cell)
        cell_column.setContentsMargins(0, 0, 0, 0)
        cell_column.addWidget(self.logo)
        cell_column.addWidget(hint)
        form.addRow(logo_label, cell)
        return box

    def _country_box(self) -> QGroupBox:
        box = QGroupBox("Country")
        column = QVBoxLayout(box)
        for country, text in _COUNTRIES:
            button = QRadioButton(text)
            button.setObjectName(f"country_{country.name if country else 'none'}")
            button.toggled.connect(self._on_country_toggled)
            self.country_buttons.addButton(button)
            column.addWidget(button)
        self.messages["country"] = FieldMessageLabel()
        column.addWidget(self.messages["country"])
        explanation = QLabel(COUNTRY_EXPLANATION)
        explanation.setWordWrap(True)
        column.addWidget(explanation)
        column.addWidget(self.country_effect)
        column.addStretch(1)
        return box

    def _units_box(self) -> QGroupBox:
        box = QGroupBox("Units")
        column = QVBoxLayout(box)
        column.addWidget(QLabel("Distances in"))
        for unit, text in _UNITS:
            button = QRadioButton(text)
            button.setObjectName(f"distanceUnit_{unit}")
            self.unit_buttons.addButton(button)
            column.addWidget(button)
        self.messages["distance_unit"] = FieldMessageLabel()
        column.addWidget(self.messages["distance_unit"])
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        column.addWidget(explanation)
        column.addStretch(1)
        return box

    def _label(self, text: str, widget: QWidget, key: str) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        widget.setObjectName(f"field_{key}")
        widget.setAccessibleName(text.replace("&", ""))
        return label

    def _with_message(self, widget: QWidget, key: str) -> QWidget:
        message = FieldMessageLabel()
        message.setObjectName(f"message_{key}")
        self.messages[key] = message
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(message)
        return cell

    def _load(self, values: ClinicSettingsValues) -> None:
        profile = values.profile
        for key in ("name", "phone", "email"):
            field = self.fields[key]
            assert isinstance(field, QLineEdit)
            field.setText(getattr(profile, key))
        address = self.fields["address"]
        assert isinstance(address, QPlainTextEdit)
        address.setPlainText(profile.address)
        self.logo.set_content(profile.logo)
        for button, (country, _text) in zip(self.country_buttons.buttons(), _COUNTRIES, strict=True):
            button.setChecked(country is profile.country)
        for button, (unit, _text) in zip(self.unit_buttons.buttons(), _UNITS, strict=True):
            button.setChecked(unit == values.distance_unit)
        self._show_country_effect()

    # --- what is typed ----------------------------------------------------------------------------------------

    @property
    def stored(self) -> ClinicSettingsValues:
        return self._stored

    @property
    def chosen_unit(self) -> DistanceUnit:
        return _UNITS[_checked_index(self.unit_buttons)][0]

    @property
    def chosen_country(self) -> Country | None:
        return _COUNTRIES[_checked_index(self.country_buttons)][0]

    def typed(self) -> ClinicSettingsValues:
        """The form as it would be saved (surrounding spaces dropped)."""
        texts = {key: _text_of(widget) for key, widget in self.fields.items()}
        profile = ClinicProfile(**texts, country=self.chosen_country, logo=self.logo.content)
        return ClinicSettingsValues(profile, self.chosen_unit)

    # --- saving -----------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Write what differs from the stored settings; close once everything is saved."""
        if self._busy:
            return
        before, after = self._stored, self.typed()
        if not changed_parts(before, after):
            self.accept()
            return
        self._clear_messages()
        self._set_busy(True)
        save = self._save
        call_service(lambda: save(before, after), done=self._on_saved, failed=self._on_save_failed,
                     tasks=self._tasks, context=self)  # fmt: skip

    def reject(self) -> None:
        if not self._busy:  # a save in flight must report back, or what is stored would be unknown here
            super().reject()

    def showEvent(self, event: QShowEvent) -> None:
        if not self._fitted:  # before Qt centres it over the window, so it is centred at its own size
            self._fitted = True
            fit_to_screen(self, self.form_scroll)
        super().showEvent(event)

    def _on_saved(self, outcome: SaveOutcome) -> None:
        self._set_busy(False)
        before, self._stored = self._stored, outcome.stored
        if outcome.stored.distance_unit != before.distance_unit:
            self.distance_unit_changed.emit(outcome.stored.distance_unit)
        self.settings_saved.emit(outcome.stored)
        if outcome.complete:
            self.accept()
            return
        unplaced = self._show_problems(outcome.problems)
        extra = "".join(f" {problem.message}" for problem in unplaced)
        self.banner.show_message(outcome_text(outcome) + extra, Tone.ERROR)
        fit_to_screen(self, self.form_scroll, keep_width=True)  # room for the messages, at the width the dialog has

    def _on_save_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        self.banner.show_message(str(error), Tone.ERROR)

    def _show_problems(self, problems: list[Problem]) -> list[Problem]:
        """Each problem beside its field; returns those that belong to no field here."""
        unplaced = []
        for problem in problems:
            key = field_key(problem.field)
            if key == "logo":
                self.logo.show_problem(problem)
            elif key in self.messages:
                self.messages[key].show_problem(problem)
                if key in self.fields:
                    self.fields[key].setAccessibleDescription(problem.message)
            else:
                unplaced.append(problem)
        return unplaced

    def _clear_messages(self) -> None:
        """Before a save. The logo's message stays: it says why a chosen file was not taken, until another is."""
        self.banner.clear()
        for key, message in self.messages.items():
            message.clear_message()
            if key in self.fields:
                self.fields[key].setAccessibleDescription("")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (*self.fields.values(), self.logo, *self.country_buttons.buttons(),
                       *self.unit_buttons.buttons(), self.buttons):  # fmt: skip
            widget.setEnabled(not busy)

    def _show_country_effect(self) -> None:
        if self.country_buttons.checkedButton() is None:
            self.country_effect.clear()
            return
        self.country_effect.setText(country_effect(self.chosen_country, local_today()))

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self.save()

    @Slot(bool)
    def _on_country_toggled(self, checked: bool) -> None:
        if checked:
            self._show_country_effect()


def field_key(problem_field: str) -> str:
    """The dialog's key for a problem's field: ``clinic.logo`` -> ``logo``, ``clinic.distance_unit`` -> itself."""
    key = problem_field.rsplit(".", 1)[-1]
    return {"image": "logo", "unit": "distance_unit"}.get(key, key)


def _text_of(widget: QLineEdit | QPlainTextEdit) -> str:
    if isinstance(widget, QPlainTextEdit):
        lines = [line.strip() for line in widget.toPlainText().strip().splitlines()]
        return "\n".join(line for line in lines if line)
    return widget.text().strip()


def _checked_index(group: QButtonGroup) -> int:
    """Which button of ``group`` is checked (the first when none is: a stored value not offered here)."""
    checked = group.checkedButton()
    return 0 if checked is None else group.buttons().index(checked)
