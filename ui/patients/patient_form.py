"""Every field of a patient, each with a message line under it. Knows nothing about saving.

A field's problems appear once the user leaves it (or tries to save), and disappear as soon as the
text is put right. The rules are ``workstation.validation``; this form adds only what it alone can
see: a date that is not a date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.patients.patient_fields import label_of, value_text
from ui.widgets.date_edit import DateLineEdit, date_format_hint, spoken_date
from ui.widgets.field_message import FieldMessageLabel
from workstation.dates import DateOrder
from workstation.problems import Problem, Severity
from workstation.records import Consent, EmergencyContact, GeneralPractitioner, Patient, Sex, age_on, new_uid
from workstation.validation import validate_patient

# Stands in for a missing date of birth so the other fields can still be checked; its own problem
# ("enter the date of birth") replaces whatever the rules would say about it.
_PLACEHOLDER_BIRTH_DATE = date(1900, 1, 1)
_MULTILINE_KEYS = ("address", "gp.address")
_SEX_VALUES = frozenset(sex.value for sex in Sex)
_CONSENT_KEYS = {"gp_consent": "Consent to share with the GP", "club_consent": "Consent to share with the club"}
_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Person", ("family_name", "given_name", "preferred_name", "date_of_birth", "sex")),
    ("Contact", ("phone", "email", "address")),
    ("Identifiers", ("nhs_number", "medicare_number", "medicare_irn")),
    ("GP", ("gp.name", "gp.practice", "gp.address", "gp.phone", "gp.secure_email")),
    ("Emergency contact", ("emergency_contact.name", "emergency_contact.relationship", "emergency_contact.phone")),
    ("Consent", ("gp_consent", "club_consent")),
)
_TEXT_KEYS = tuple(
    key for _, keys in _SECTIONS for key in keys if key not in ("date_of_birth", "sex", *_CONSENT_KEYS)
)


class PatientFormWidget(QWidget):
    changed = Signal()

    def __init__(self, date_order: DateOrder, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._order = date_order
        self._today = today
        self._base: Patient | None = None
        self._uid = new_uid()  # kept for the form's life, so a retried save of a new patient is not a duplicate
        self._touched: set[str] = set()
        self.fields: dict[str, QWidget] = {}
        self.messages: dict[str, FieldMessageLabel] = {}
        self._field_keys: dict[QObject, str] = {}
        self.consent_boxes: dict[str, QCheckBox] = {}
        self._build()

    @property
    def base(self) -> Patient | None:
        """The stored record being edited (None for a new patient)."""
        return self._base

    def load(self, patient: Patient | None) -> None:
        """Show ``patient`` (or a blank form) and forget every message."""
        self._base = patient
        blockers = [w.blockSignals(True) for w in (*self.fields.values(), *self.consent_boxes.values())]
        self._fill(patient)
        for widget, blocked in zip((*self.fields.values(), *self.consent_boxes.values()), blockers, strict=True):
            widget.blockSignals(blocked)
        self._sync_consent_dates()
        self._touched.clear()
        self.refresh_messages()

    def rebase(self, stored: Patient) -> None:
        """Keep what is typed but save it over ``stored`` (after a conflict the user chose to review)."""
        self._base = stored

    def read(self) -> tuple[Patient, list[Problem]]:
        """The typed record, and the problems only the form can see (a date that is not a date)."""
        problems: list[Problem] = []
        born = self._typed_date("date_of_birth", problems, required=True) or _PLACEHOLDER_BIRTH_DATE
        base = self._base
        patient = Patient(
            given_name=self._text("given_name"),
            family_name=self._text("family_name"),
            date_of_birth=born,
            sex=self._sex_box().currentData(),
            preferred_name=self._text("preferred_name"),
            phone=self._text("phone"),
            email=self._text("email"),
            address=self._text("address"),
            nhs_number=self._text("nhs_number"),
            medicare_number=self._text("medicare_number"),
            medicare_irn=self._text("medicare_irn"),
            gp=GeneralPractitioner(*(self._text(f"gp.{name}") for name in _GP_PARTS)),
            emergency_contact=EmergencyContact(*(self._text(f"emergency_contact.{n}") for n in _CONTACT_PARTS)),
            gp_consent=self._consent("gp_consent", problems),
            club_consent=self._consent("club_consent", problems),
            id=base.id if base else None,
            uid=base.uid if base else self._uid,
            version=base.version if base else 0,
        )
        return patient, problems

    def typed_state(self) -> dict[str, object]:
        """Every field exactly as typed, the half-typed and the invalid too: what a draft keeps."""
        state: dict[str, object] = {}
        for key, widget in self.fields.items():
            if isinstance(widget, QComboBox):
                state[key] = widget.currentData().value
            else:
                state[key] = self._text(key)
        for key, box in self.consent_boxes.items():
            state[f"{key}.given"] = box.isChecked()
        return state

    def restore_typed_state(self, state: Mapping[str, object]) -> None:
        """Put back what ``typed_state`` kept (unknown keys are ignored: a draft from an older form)."""
        for key, value in state.items():
            widget = self.fields.get(key)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(Sex(value))) if value in _SEX_VALUES else 0)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value))
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value))
            elif key.endswith(".given") and key.removesuffix(".given") in self.consent_boxes:
                self.consent_boxes[key.removesuffix(".given")].setChecked(bool(value))
        self._touched.update(self.fields)
        self.refresh_messages()

    def problems(self) -> list[Problem]:
        """Everything wrong with what is typed now; a field the form could not read has only that problem."""
        patient, form_problems = self.read()
        unreadable = {p.field for p in form_problems}
        rules = [p for p in validate_patient(patient, self._today()) if p.field not in unreadable]
        return form_problems + rules

    def touch_all(self) -> None:
        """A save was attempted: every field's problems are shown from now on."""
        self._touched.update(self.fields)

    def refresh_messages(self) -> list[Problem]:
        """Show the current problems of every touched field; return all of them."""
        problems = self.problems()
        self._display(problems)
        return problems

    def show_problems(self, problems: list[Problem]) -> None:
        """Show problems found elsewhere (the save service) under their fields."""
        self.touch_all()
        self._display(problems)

    def _display(self, problems: list[Problem]) -> None:
        first: dict[str, Problem] = {}
        for problem in sorted(problems, key=lambda p: p.severity is not Severity.ERROR):
            first.setdefault(problem.field, problem)
        for key, label in self.messages.items():
            problem = first.get(key)
            if problem is not None and key in self._touched:
                label.show_problem(problem)
                self.fields[key].setAccessibleDescription(problem.message)
            else:
                label.clear_message()
                self.fields[key].setAccessibleDescription("")
        self._show_birth_date_hint(first)

    def widget_for(self, key: str) -> QWidget:
        return self.fields.get(key) or self.fields["family_name"]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in self._field_keys:
            self._touched.add(self._field_keys[watched])
            self.refresh_messages()
        return super().eventFilter(watched, event)

    def _build(self) -> None:
        grid = QGridLayout(self)
        for position, (title, keys) in enumerate(_SECTIONS):
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for key in keys:
                self._add_row(form, key)
            grid.addWidget(box, position % 3, position // 3)
        grid.setRowStretch(3, 1)

    def _add_row(self, form: QFormLayout, key: str) -> None:
        widget = self._make_field(key)
        widget.setObjectName(f"field_{key}")
        widget.setAccessibleName(label_of(key))
        widget.installEventFilter(self)
        self.fields[key] = widget
        self._field_keys[widget] = key
        message = FieldMessageLabel()
        message.setObjectName(f"message_{key}")
        self.messages[key] = message
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(message)
        if key in _CONSENT_KEYS:
            form.addRow(self.consent_boxes[key])
        form.addRow("Recorded on" if key in _CONSENT_KEYS else label_of(key), cell)

    def _make_field(self, key: str) -> QWidget:
        if key == "sex":
            box = QComboBox()
            for sex in Sex:
                box.addItem(sex.label, sex)
            box.currentIndexChanged.connect(self._on_field_changed)
            return box
        if key == "date_of_birth" or key in _CONSENT_KEYS:
            return self._make_date_field(key)
        if key in _MULTILINE_KEYS:
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(text.fontMetrics().lineSpacing() * 3 + text.frameWidth() * 2 + 8)
            text.textChanged.connect(self._on_field_changed)
            return text
        line = QLineEdit()
        line.textChanged.connect(self._on_field_changed)
        return line

    def _make_date_field(self, key: str) -> DateLineEdit:
        field = DateLineEdit(self._order)
        field.textChanged.connect(self._on_field_changed)
        if key in _CONSENT_KEYS:
            box = QCheckBox(_CONSENT_KEYS[key])
            box.setObjectName(f"field_{key}.given")
            box.toggled.connect(self._on_consent_toggled)
            self.consent_boxes[key] = box
        return field

    def _fill(self, patient: Patient | None) -> None:
        for key in _TEXT_KEYS:
            value = value_text(key, patient, self._order) if patient else ""
            widget = self.fields[key]
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                assert isinstance(widget, QLineEdit)
                widget.setText(value)
        self._date_field("date_of_birth").set_date(patient.date_of_birth if patient else None)
        sex_box = self._sex_box()
        sex_box.setCurrentIndex(sex_box.findData(patient.sex if patient else Sex.NOT_STATED))
        for key, box in self.consent_boxes.items():
            consent: Consent = getattr(patient, key) if patient else Consent()
            box.setChecked(consent.given)
            self._date_field(key).set_date(consent.recorded_on)

    def _text(self, key: str) -> str:
        widget = self.fields[key]
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def _date_field(self, key: str) -> DateLineEdit:
        widget = self.fields[key]
        assert isinstance(widget, DateLineEdit)
        return widget

    def _sex_box(self) -> QComboBox:
        widget = self.fields["sex"]
        assert isinstance(widget, QComboBox)
        return widget

    def _typed_date(self, key: str, problems: list[Problem], *, required: bool) -> date | None:
        field = self._date_field(key)
        if field.is_blank():
            if required:
                problems.append(Problem(key, f"Enter the date of birth ({self._order.pattern})."))
            return None
        typed = field.date()
        if typed is None:
            problems.append(Problem(key, date_format_hint(self._order)))
        return typed

    def _consent(self, key: str, problems: list[Problem]) -> Consent:
        if not self.consent_boxes[key].isChecked():
            return Consent()
        return Consent(given=True, recorded_on=self._typed_date(key, problems, required=False))

    def _show_birth_date_hint(self, first: dict[str, Problem]) -> None:
        # How the typed date was read, in words: 02/04/1990 must not be taken for 4 February by mistake.
        born = self._date_field("date_of_birth").date()
        label = self.messages["date_of_birth"]
        if born is not None and "date_of_birth" not in first:
            label.show_hint(f"{spoken_date(born)}, aged {max(0, age_on(born, self._today()))}")

    def _sync_consent_dates(self) -> None:
        for key, box in self.consent_boxes.items():
            self._date_field(key).setEnabled(box.isChecked())

    @Slot()
    def _on_field_changed(self) -> None:
        self.changed.emit()
        if any(label.is_problem for label in self.messages.values()):
            self.refresh_messages()  # a message goes away as soon as its field is put right

    @Slot(bool)
    def _on_consent_toggled(self, _checked: bool) -> None:
        self._sync_consent_dates()
        self._on_field_changed()


_GP_PARTS = ("name", "practice", "address", "phone", "secure_email")
_CONTACT_PARTS = ("name", "relationship", "phone")
