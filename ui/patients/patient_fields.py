"""Each field of a patient record: its key (as validation names it), its label, and how it reads.

One table, so the editor, the patient view and the conflict review use the same words for a field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workstation.dates import DateOrder, format_date
from workstation.identifiers import format_medicare_number, format_nhs_number
from workstation.records import Consent, Patient


@dataclass(frozen=True, slots=True)
class PatientField:
    key: str  # the Problem.field validation uses for it
    label: str
    read: Callable[[Patient, DateOrder], str]


def _consent_text(consent: Consent, order: DateOrder) -> str:
    if not consent.given:
        return "Not given"
    return f"Given on {format_date(consent.recorded_on, order)}" if consent.recorded_on else "Given (no date)"


def _text(attribute: str) -> Callable[[Patient, DateOrder], str]:
    def read(patient: Patient, _order: DateOrder) -> str:
        value = patient
        for part in attribute.split("."):
            value = getattr(value, part)
        return str(value)

    return read


PATIENT_FIELDS: tuple[PatientField, ...] = (
    PatientField("family_name", "Family name", _text("family_name")),
    PatientField("given_name", "Given names", _text("given_name")),
    PatientField("preferred_name", "Preferred name", _text("preferred_name")),
    PatientField("date_of_birth", "Date of birth", lambda p, order: format_date(p.date_of_birth, order)),
    PatientField("sex", "Sex", lambda p, _order: p.sex.label),
    PatientField("phone", "Phone", _text("phone")),
    PatientField("email", "Email", _text("email")),
    PatientField("address", "Address", _text("address")),
    PatientField("nhs_number", "NHS number", lambda p, _order: format_nhs_number(p.nhs_number)),
    PatientField("medicare_number", "Medicare number", lambda p, _o: format_medicare_number(p.medicare_number)),
    PatientField("medicare_irn", "Medicare IRN", _text("medicare_irn")),
    PatientField("gp.name", "GP", _text("gp.name")),
    PatientField("gp.practice", "Practice", _text("gp.practice")),
    PatientField("gp.address", "Practice address", _text("gp.address")),
    PatientField("gp.phone", "Practice phone", _text("gp.phone")),
    PatientField("gp.secure_email", "Practice secure email", _text("gp.secure_email")),
    PatientField("emergency_contact.name", "Emergency contact", _text("emergency_contact.name")),
    PatientField("emergency_contact.relationship", "Relationship", _text("emergency_contact.relationship")),
    PatientField("emergency_contact.phone", "Emergency phone", _text("emergency_contact.phone")),
    PatientField("gp_consent", "Consent to share with GP", lambda p, order: _consent_text(p.gp_consent, order)),
    PatientField(
        "club_consent", "Consent to share with club", lambda p, order: _consent_text(p.club_consent, order)
    ),
)

FIELD_BY_KEY = {field.key: field for field in PATIENT_FIELDS}


def label_of(key: str) -> str:
    return FIELD_BY_KEY[key].label


def value_text(key: str, patient: Patient, order: DateOrder) -> str:
    return FIELD_BY_KEY[key].read(patient, order)


def differences(theirs: Patient, mine: Patient, order: DateOrder) -> list[tuple[PatientField, str, str]]:
    """The fields whose shown value differs, with their value and mine, in form order."""
    rows = []
    for field in PATIENT_FIELDS:
        their_text, my_text = field.read(theirs, order), field.read(mine, order)
        if their_text != my_text:
            rows.append((field, their_text, my_text))
    return rows
