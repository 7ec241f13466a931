"""Register and edit patients and their episodes of care."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from workstation.errors import ValidationFailed
from workstation.ports import EpisodeRepository, PatientRepository
from workstation.problems import blocking
from workstation.records import Episode, Patient
from workstation.text import digits_only, nfc
from workstation.validation import validate_episode, validate_patient

_FREE_TEXT_FIELDS = ("given_name", "family_name", "preferred_name", "phone", "email", "address")


def normalised(patient: Patient) -> Patient:
    """The stored form: NFC text without surrounding space, identifiers as bare digits."""
    changes: dict[str, object] = {name: nfc(getattr(patient, name)) for name in _FREE_TEXT_FIELDS}
    changes["nhs_number"] = _identifier(patient.nhs_number)
    changes["medicare_number"] = _identifier(patient.medicare_number)
    changes["medicare_irn"] = patient.medicare_irn.strip()
    return patient.with_changes(**changes)


def _identifier(text: str) -> str:
    """Bare digits when the text is digits with spacing; otherwise unchanged so validation names it."""
    stripped = text.replace(" ", "").replace("-", "")
    # str.isdigit is also true of Arabic-Indic and full-width digits, which digits_only would drop to "".
    return digits_only(stripped) if stripped.isascii() and stripped.isdigit() else text.strip()


def save_patient(patients: PatientRepository, patient: Patient, today: date) -> Patient:
    """Validate and save; a new patient is added, an existing one updated under its version.

    Raises:
        ValidationFailed: with every blocking problem; nothing is written.
        ConflictError: someone else saved a newer version since ``patient`` was loaded.
    """
    patient = normalised(patient)
    problems = blocking(validate_patient(patient, today))
    if problems:
        raise ValidationFailed(problems)
    return patients.add(patient) if patient.id is None else patients.update(patient)


def save_episode(episodes: EpisodeRepository, episode: Episode, born: date, today: date) -> Episode:
    episode = replace(episode, complaint=nfc(episode.complaint))
    problems = blocking(validate_episode(episode, born, today))
    if problems:
        raise ValidationFailed(problems)
    return episodes.add(episode) if episode.id is None else episodes.update(episode)
