"""Per-field rules for records. They return problems; they never raise and never show anything."""

from __future__ import annotations

import re
from datetime import date

from workstation.identifiers import medicare_irn_problem, medicare_number_problem, nhs_number_problem
from workstation.problems import Problem, Severity
from workstation.records import Episode, EpisodeStatus, Patient, age_on
from workstation.text import has_invisible_controls

NAME_MAX_CHARS = 100  # RELIABILITY.md H6 (proposal)
SHORT_TEXT_MAX_CHARS = 200  # phone, email, practice, relationship
ADDRESS_MAX_CHARS = 500
COMPLAINT_MAX_CHARS = 2_000
MAX_AGE_YEARS = 120  # RELIABILITY.md H7

# Deliberately loose: one @, something before it, a dot in the domain, no spaces. The only test that
# matters is whether mail arrives; this catches typing slips.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE = re.compile(r"^\+?[0-9 ()\-.]{6,24}$")

_NAME_FIELDS = ("given_name", "family_name", "preferred_name")


def validate_patient(patient: Patient, today: date) -> list[Problem]:
    """Every problem with ``patient``, each naming its field (the editor shows it beside the field)."""
    problems: list[Problem] = []
    problems += _name_problems(patient)
    problems += _birth_date_problems(patient.date_of_birth, today)
    problems += _identifier_problems(patient)
    problems += _contact_problems(patient)
    problems += _consent_problems(patient, today)
    return problems


def _name_problems(patient: Patient) -> list[Problem]:
    problems: list[Problem] = []
    if not patient.given_name.strip() and not patient.family_name.strip():
        problems.append(Problem("family_name", "Enter the person's name (one name on its own is fine)."))
    for name in _NAME_FIELDS:
        value = getattr(patient, name)
        if len(value) > NAME_MAX_CHARS:
            problems.append(Problem(name, f"Names are limited to {NAME_MAX_CHARS} characters."))
        if value.strip() and not any(ch.isalpha() for ch in value):
            problems.append(Problem(name, "A name needs at least one letter."))
        if has_invisible_controls(value):
            problems.append(Problem(name, "This name contains invisible control characters: retype it."))
    return problems


def birth_date_problem(born: date, today: date) -> Problem | None:
    if born > today:
        return Problem("date_of_birth", "The date of birth is in the future.")
    if age_on(born, today) > MAX_AGE_YEARS:
        return Problem("date_of_birth", f"That would make the person over {MAX_AGE_YEARS}: check the year.")
    return None


def _birth_date_problems(born: date, today: date) -> list[Problem]:
    problem = birth_date_problem(born, today)
    return [problem] if problem else []


def _identifier_problems(patient: Patient) -> list[Problem]:
    problems: list[Problem] = []
    if patient.nhs_number and (why := nhs_number_problem(patient.nhs_number)):
        problems.append(Problem("nhs_number", why))
    if patient.medicare_number and (why := medicare_number_problem(patient.medicare_number)):
        problems.append(Problem("medicare_number", why))
    if patient.medicare_irn and (why := medicare_irn_problem(patient.medicare_irn)):
        problems.append(Problem("medicare_irn", why))
    if patient.medicare_irn and not patient.medicare_number:
        problems.append(Problem("medicare_number", "Enter the Medicare number that goes with the IRN."))
    return problems


def _contact_problems(patient: Patient) -> list[Problem]:
    problems: list[Problem] = []
    emails = {"email": patient.email, "gp.secure_email": patient.gp.secure_email}
    for name, value in emails.items():
        if value and not _EMAIL.match(value):
            problems.append(Problem(name, "This does not look like an email address (name@example.org)."))
    phones = {
        "phone": patient.phone,
        "gp.phone": patient.gp.phone,
        "emergency_contact.phone": patient.emergency_contact.phone,
    }
    for name, value in phones.items():
        if value and not _PHONE.match(value):
            problems.append(Problem(name, "A phone number has 6 to 24 digits, spaces, brackets or a leading +."))
    short_texts = {
        "email": patient.email,
        "gp.name": patient.gp.name,
        "gp.practice": patient.gp.practice,
        "emergency_contact.name": patient.emergency_contact.name,
        "emergency_contact.relationship": patient.emergency_contact.relationship,
    }
    for name, value in short_texts.items():
        if len(value) > SHORT_TEXT_MAX_CHARS:
            problems.append(Problem(name, f"Limited to {SHORT_TEXT_MAX_CHARS} characters."))
    for name, value in {"address": patient.address, "gp.address": patient.gp.address}.items():
        if len(value) > ADDRESS_MAX_CHARS:
            problems.append(Problem(name, f"Addresses are limited to {ADDRESS_MAX_CHARS} characters."))
    return problems


def _consent_problems(patient: Patient, today: date) -> list[Problem]:
    problems: list[Problem] = []
    for name, consent in (("gp_consent", patient.gp_consent), ("club_consent", patient.club_consent)):
        if consent.given and consent.recorded_on is None:
            problems.append(Problem(name, "Record the date consent was given."))
        if consent.recorded_on and consent.recorded_on > today:
            problems.append(Problem(name, "The consent date is in the future."))
        if consent.recorded_on and consent.recorded_on < patient.date_of_birth:
            problems.append(Problem(name, "The consent date is before the date of birth."))
    if patient.gp_consent.given and patient.gp.is_empty:
        problems.append(
            Problem("gp.name", "Consent to share with the GP is recorded but no GP is named.", Severity.WARNING)
        )
    return problems


def validate_episode(episode: Episode, born: date, today: date) -> list[Problem]:
    problems: list[Problem] = []
    if not episode.complaint.strip():
        problems.append(Problem("complaint", "Describe the complaint (for example: right calf pain on running)."))
    if len(episode.complaint) > COMPLAINT_MAX_CHARS:
        problems.append(Problem("complaint", f"Limited to {COMPLAINT_MAX_CHARS} characters."))
    if episode.onset_date and episode.onset_date > today:
        problems.append(Problem("onset_date", "The onset date is in the future."))
    if episode.onset_date and episode.onset_date < born:
        problems.append(Problem("onset_date", "The onset date is before the date of birth."))
    problems += _discharge_problems(episode, today)
    return problems


def _discharge_problems(episode: Episode, today: date) -> list[Problem]:
    problems: list[Problem] = []
    discharged = episode.status is EpisodeStatus.DISCHARGED
    if discharged and episode.discharge_date is None:
        problems.append(Problem("discharge_date", "Enter the discharge date."))
    if discharged and episode.discharge_reason is None:
        problems.append(Problem("discharge_reason", "Choose the reason for discharge."))
    if not discharged and (episode.discharge_date or episode.discharge_reason):
        problems.append(Problem("status", "Set the status to Discharged, or clear the discharge details."))
    if episode.discharge_date and episode.discharge_date > today:
        problems.append(Problem("discharge_date", "The discharge date is in the future."))
    if episode.discharge_date and episode.onset_date and episode.discharge_date < episode.onset_date:
        problems.append(Problem("discharge_date", "Discharge is before the onset date."))
    return problems
