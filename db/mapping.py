"""Between ORM rows and domain records, field by field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.models import EpisodeRow, ObservationRow, PatientRow
from workstation.list_order import list_sort_key
from workstation.records import (
    Consent,
    DischargeReason,
    EmergencyContact,
    Episode,
    EpisodeStatus,
    GeneralPractitioner,
    Observation,
    Patient,
    Sex,
    Side,
)


def patient_values(patient: Patient) -> dict[str, Any]:
    """Column values for ``patient`` (without id, version and timestamps)."""
    return {
        "uid": patient.uid,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "preferred_name": patient.preferred_name,
        "date_of_birth": patient.date_of_birth,
        "sex": patient.sex.value,
        "phone": patient.phone,
        "email": patient.email,
        "address": patient.address,
        "nhs_number": patient.nhs_number,
        "medicare_number": patient.medicare_number,
        "medicare_irn": patient.medicare_irn,
        "gp_name": patient.gp.name,
        "gp_practice": patient.gp.practice,
        "gp_address": patient.gp.address,
        "gp_phone": patient.gp.phone,
        "gp_secure_email": patient.gp.secure_email,
        "emergency_name": patient.emergency_contact.name,
        "emergency_relationship": patient.emergency_contact.relationship,
        "emergency_phone": patient.emergency_contact.phone,
        "gp_consent": patient.gp_consent.given,
        "gp_consent_on": patient.gp_consent.recorded_on,
        "club_consent": patient.club_consent.given,
        "club_consent_on": patient.club_consent.recorded_on,
        "sort_key": list_sort_key(patient.family_name, patient.given_name, patient.date_of_birth),
    }


def patient_from_row(row: PatientRow) -> Patient:
    return Patient(
        id=row.id,
        uid=row.uid,
        version=row.version,
        given_name=row.given_name,
        family_name=row.family_name,
        preferred_name=row.preferred_name,
        date_of_birth=row.date_of_birth,
        sex=Sex(row.sex),
        phone=row.phone,
        email=row.email,
        address=row.address,
        nhs_number=row.nhs_number,
        medicare_number=row.medicare_number,
        medicare_irn=row.medicare_irn,
        gp=GeneralPractitioner(
            row.gp_name, row.gp_practice, row.gp_address, row.gp_phone, row.gp_secure_email
        ),
        emergency_contact=EmergencyContact(
            row.emergency_name, row.emergency_relationship, row.emergency_phone
        ),
        gp_consent=Consent(row.gp_consent, row.gp_consent_on),
        club_consent=Consent(row.club_consent, row.club_consent_on),
    )


def episode_values(episode: Episode) -> dict[str, Any]:
    return {
        "uid": episode.uid,
        "patient_id": episode.patient_id,
        "complaint": episode.complaint,
        "side": episode.side.value,
        "onset_date": episode.onset_date,
        "status": episode.status.value,
        "discharge_date": episode.discharge_date,
        "discharge_reason": episode.discharge_reason.value if episode.discharge_reason else None,
    }


def episode_from_row(row: EpisodeRow) -> Episode:
    return Episode(
        id=row.id,
        uid=row.uid,
        version=row.version,
        patient_id=row.patient_id,
        complaint=row.complaint,
        side=Side(row.side),
        onset_date=row.onset_date,
        status=EpisodeStatus(row.status),
        discharge_date=row.discharge_date,
        discharge_reason=DischargeReason(row.discharge_reason) if row.discharge_reason else None,
    )


def observation_values(observation: Observation, recorded_at: datetime) -> dict[str, Any]:
    return {
        "uid": observation.uid,
        "patient_id": observation.patient_id,
        "episode_id": observation.episode_id,
        "observed_on": observation.observed_on,
        "code": observation.code,
        "side": observation.side.value,
        "value": observation.value,
        "unit": observation.unit,
        "protocol": observation.protocol,
        "recorded_at": recorded_at,
    }


def observation_from_row(row: ObservationRow) -> Observation:
    return Observation(
        id=row.id,
        uid=row.uid,
        patient_id=row.patient_id,
        episode_id=row.episode_id,
        observed_on=row.observed_on,
        code=row.code,
        side=Side(row.side),
        value=row.value,
        unit=row.unit,
        protocol=row.protocol,
    )
