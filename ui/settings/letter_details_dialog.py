"""File › My letter details: what a clinician's letters say about them (CLINICAL.md 9.1, the letter header).

Profession, registration body and number, a phone and a secure email, and a signature image. Saved over
the version that was opened: if the same person saved them elsewhere meanwhile (another workstation),
the save is refused, what was typed stays on screen, and the dialog offers the saved version or keeping
this one. Problems the service finds are shown beside their field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.security.service_call import call_service
from ui.settings.country_effect import registration_body_hint
from ui.settings.dialog_fit import FormScrollArea, fit_to_screen
from ui.settings.image_field import ChooseImage, ImageFieldWidget, ask_for_image, note_label
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from ui.widgets.field_message import FieldMessageLabel
from workstation.clinical.country import Country
from workstation.errors import CalfDeskError, ConflictError, ValidationFailed
from workstation.letters.records import ClinicianProfile
from workstation.problems import Problem
from workstation.services.letterhead_rules import PROFILE_LIMITS

TEXT_KEYS = ("profession", "registration_body", "registration_number", "phone", "email")
_LABELS = {
    "profession": "&Profession",
    "registration_body": "Registration &body",
    "registration_number": "Registration &number",
    "phone": "P&hone",
    "email": "Secure &email",
}
_BODY_HINTS = {
    Country.UK: "In the UK physiotherapists are registered with the HCPC (Health and Care Professions Council).",
    Country.AU: "In Australia physiotherapists are registered with AHPRA (the Physiotherapy Board of Australia).",
    Country.EU: "The body that registers or licenses you in your country.",
    Country.US: "The board that licenses you: your state's physical therapy board.",
}
NO_COUNTRY_BODY_HINT = "The body that registers you: the HCPC in the UK, AHPRA in Australia."
_NUMBER_EXAMPLES = {Country.UK: "e.g. PH123456", Country.AU: "e.g. PHY0001234567"}
NAME_NOTE = "The full name on your account: your letters are signed with it."
SIGNATURE_HINT = "PNG or JPEG, up to 1 MB: printed above your name at the end of each letter."
CONFLICT_MESSAGE = (
    "Not saved: your letter details were changed elsewhere after this window opened. What you typed is still here."
)
_SIGNATURE_THUMBNAIL = QSize(220, 64)

SaveProfile = Callable[[ClinicianProfile], ClinicianProfile]
ReadProfile = Callable[[], ClinicianProfile]


class LetterDetailsDialog(QDialog):
    profile_saved = Signal(object)  # the stored ClinicianProfile

    def __init__(
        self,
        profile: ClinicianProfile,
        save: SaveProfile,
        read_saved: ReadProfile,
        country: Country | None,
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
        choose_image: ChooseImage = ask_for_image,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("letterDetailsDialog")
        self.setWindowTitle(f"My letter details: {profile.display_name}")
        self._profile = profile
        self._save = save
        self._read_saved = read_saved
        self._country = country
        self._tasks = tasks
        self._busy = False
        self._fitted = False
        self.banner = BannerWidget()
        self.conflict_banner = BannerWidget()
        self.conflict_banner.setObjectName("conflictBanner")
        self.load_saved_button = QPushButton("&Load the saved details")
        self.load_saved_button.clicked.connect(self._on_load_saved_clicked)
        self.keep_mine_button = QPushButton("Save &mine over them")
        self.keep_mine_button.clicked.connect(self._on_keep_mine_clicked)
        row = self.conflict_banner.layout()
        assert isinstance(row, QHBoxLayout)
        for position, button in enumerate((self.load_saved_button, self.keep_mine_button), start=2):
            row.insertWidget(position, button)
        self._saved_elsewhere: ClinicianProfile | None = None
        self.fields: dict[str, QLineEdit] = {}
        self.messages: dict[str, FieldMessageLabel] = {}
        self.body_hint = note_label(_for_country(_BODY_HINTS, country, NO_COUNTRY_BODY_HINT))
        self.body_hint.setObjectName("registrationBodyHint")
        self.signature = ImageFieldWidget(choose_text="Choose &image…", remove_text="Remo&ve",
                                          dialog_title="Choose your signature image", thumbnail=_SIGNATURE_THUMBNAIL,
                                          choose_file=choose_image)  # fmt: skip
        self.signature.setObjectName("field_signature")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.form_scroll = FormScrollArea()  # the form, scrolled only on a screen too small for it
        self._build()
        self.load(profile)
        self.fields["profession"].setFocus(Qt.FocusReason.OtherFocusReason)

    # --- building ---------------------------------------------------------------------------------------------

    def _build(self) -> None:
        box = QGroupBox("Printed in the header and signature of your letters")
        box_column = QVBoxLayout(box)
        form = QFormLayout()
        box_column.addLayout(form)
        box_column.addStretch(1)  # spare height goes below the fields, never between them
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        name = QLabel(self._profile.display_name)
        name.setObjectName("displayName")
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        name_cell = QWidget()
        name_column = QVBoxLayout(name_cell)
        name_column.setContentsMargins(0, 0, 0, 0)
        name_column.setSpacing(2)
        name_column.addWidget(name)
        name_column.addWidget(note_label(NAME_NOTE))
        form.addRow(QLabel("Name"), name_cell)  # read-only: no Alt letter to move to it
        for key, text in _LABELS.items():
            field = QLineEdit()
            field.setMaxLength(PROFILE_LIMITS[key])  # the service's limits
            field.setObjectName(f"field_{key}")
            field.setAccessibleName(text.replace("&", ""))
            self.fields[key] = field
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, self._cell(key, field))
        body_example = registration_body_hint(self._country) or "HCPC, AHPRA, …"
        self.fields["registration_body"].setPlaceholderText(body_example)
        self.fields["registration_number"].setPlaceholderText(_for_country(_NUMBER_EXAMPLES, self._country, ""))
        self.fields["email"].setPlaceholderText("An NHS.net or other secure address, if you have one")
        signature_label = QLabel("Si&gnature")
        signature_label.setBuddy(self.signature.choose_button)
        hint = note_label(SIGNATURE_HINT)
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.signature)
        column.addWidget(hint)
        form.addRow(signature_label, cell)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.conflict_banner)
        layout.addWidget(self.form_scroll, 1)
        layout.addWidget(self.buttons)
        self.form_scroll.setWidget(box)

    def _cell(self, key: str, field: QLineEdit) -> QWidget:
        message = FieldMessageLabel()
        message.setObjectName(f"message_{key}")
        self.messages[key] = message
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        if key == "registration_body":
            column.addWidget(self.body_hint)
        column.addWidget(message)
        return cell

    # --- the profile ------------------------------------------------------------------------------------------

    @property
    def profile(self) -> ClinicianProfile:
        """The version this dialog saves over (the one opened, or the one saved last)."""
        return self._profile

    def load(self, profile: ClinicianProfile) -> None:
        """Show ``profile``. One never saved gets the country's registration body (HCPC, AHPRA) to start with."""
        self._profile = profile
        for key, field in self.fields.items():
            field.setText(getattr(profile, key))
        body = registration_body_hint(self._country)  # the usual regulator, offered for a first save
        if profile.version == 0 and not profile.registration_body and body:
            self.fields["registration_body"].setText(body)
        self.signature.set_content(profile.signature)
        self._clear_messages()

    def typed(self) -> ClinicianProfile:
        """The form as it would be saved, over the version opened (surrounding spaces dropped)."""
        text = {key: field.text().strip() for key, field in self.fields.items()}
        return replace(
            self._profile, profession=text["profession"], registration_body=text["registration_body"],
            registration_number=text["registration_number"], phone=text["phone"], email=text["email"],
            signature=self.signature.content,
        )  # fmt: skip

    def save(self) -> None:
        if self._busy:
            return
        typed = self.typed()
        if typed == self._profile and typed.version > 0:
            self.accept()  # nothing changed, and it is saved already
            return
        self._clear_messages()
        self._set_busy(True)
        save = self._save
        call_service(lambda: save(typed), done=self._on_saved, failed=self._on_save_failed, tasks=self._tasks,
                     context=self)  # fmt: skip

    def reject(self) -> None:
        if not self._busy:  # a save in flight must report back
            super().reject()

    def showEvent(self, event: QShowEvent) -> None:
        if not self._fitted:  # before Qt centres it over the window, so it is centred at its own size
            self._fitted = True
            fit_to_screen(self, self.form_scroll)
        super().showEvent(event)

    # --- answers ----------------------------------------------------------------------------------------------

    def _on_saved(self, stored: ClinicianProfile) -> None:
        self._set_busy(False)
        self._profile = stored
        self.profile_saved.emit(stored)
        self.accept()

    def _on_save_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        if isinstance(error, ValidationFailed):
            unplaced = self._show_problems(error.problems)
            if unplaced:
                self.banner.show_message(" ".join(p.message for p in unplaced), Tone.ERROR)
            fit_to_screen(self, self.form_scroll, keep_width=True)  # room for the messages, at the width the dialog has
        elif isinstance(error, ConflictError):
            self._fetch_saved()
        else:
            self.banner.show_message(str(error), Tone.ERROR)

    def _fetch_saved(self) -> None:
        self._set_busy(True)
        call_service(self._read_saved, done=self._on_saved_version_read, failed=self._on_save_failed,
                     tasks=self._tasks, context=self)  # fmt: skip

    def _on_saved_version_read(self, saved: ClinicianProfile) -> None:
        self._set_busy(False)
        self._saved_elsewhere = saved
        self.conflict_banner.show_message(CONFLICT_MESSAGE, Tone.WARNING, dismissable=False)
        fit_to_screen(self, self.form_scroll, keep_width=True)  # room for the messages, at the width the dialog has

    @Slot()
    def _on_load_saved_clicked(self) -> None:
        if self._saved_elsewhere is not None:
            self.load(self._saved_elsewhere)
            self._saved_elsewhere = None

    @Slot()
    def _on_keep_mine_clicked(self) -> None:
        """Save what is typed over the version saved elsewhere, now that the person has chosen to."""
        if self._saved_elsewhere is not None:
            self._profile = replace(self._profile, version=self._saved_elsewhere.version)
            self._saved_elsewhere = None
            self.save()

    def _show_problems(self, problems: list[Problem]) -> list[Problem]:
        unplaced = []
        for problem in problems:
            key = problem.field.rsplit(".", 1)[-1]
            if key in ("signature", "image"):
                self.signature.show_problem(problem)
            elif key in self.messages:
                self.messages[key].show_problem(problem)
                self.fields[key].setAccessibleDescription(problem.message)
            else:
                unplaced.append(problem)
        return unplaced

    def _clear_messages(self) -> None:
        """Before a save. The signature's message stays: it says why a chosen file was not taken."""
        self.banner.clear()
        self.conflict_banner.clear()
        for key, message in self.messages.items():
            message.clear_message()
            self.fields[key].setAccessibleDescription("")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (*self.fields.values(), self.signature, self.buttons, self.load_saved_button,
                       self.keep_mine_button):  # fmt: skip
            widget.setEnabled(not busy)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self.save()


def _for_country(table: dict[Country, str], country: Country | None, otherwise: str) -> str:
    return otherwise if country is None else table.get(country, otherwise)
