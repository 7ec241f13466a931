"""Between ORM rows and domain records, field by field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from db.models import AssessmentRow, DraftRow, EpisodeRow, ObservationRow, PatientRow, RedFlagRow, UserRow
from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.audit.records import AuditEntry, AuditEvent, Outcome
from workstation.list_order import list_sort_key
from workstation.ports import Draft
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
from workstation.security.accounts import Role, User, user_key


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
        gp=GeneralPractitioner(row.gp_name, row.gp_practice, row.gp_address, row.gp_phone, row.gp_secure_email),
        emergency_contact=EmergencyContact(row.emergency_name, row.emergency_relationship, row.emergency_phone),
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
        "assessment_id": observation.assessment_id,
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
        assessment_id=row.assessment_id,
    )


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC. SQLite gives back naive values (it stores what it was given, without a zone),
    and the stores here always write UTC, so a naive value is UTC; PostgreSQL answers in the session's
    zone. Values going in are converted too, because SQLite would drop a non-UTC offset silently."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def assessment_values(assessment: AssessmentRecord, finalised_at: datetime) -> dict[str, Any]:
    """Column values for a new assessment row (without id)."""
    return {
        "uid": assessment.uid,
        "patient_id": assessment.patient_id,
        "episode_id": assessment.episode_id,
        "assessed_on": assessment.assessed_on,
        "document": assessment.document,
        "evaluation": assessment.evaluation,
        "detail": assessment.detail,
        "urgency": assessment.urgency,
        "recorded_by": assessment.recorded_by,
        "finalised_at": as_utc(finalised_at),
        "amends_id": assessment.amends_id,
        "amendment_reason": assessment.amendment_reason,
    }


def assessment_from_row(row: AssessmentRow) -> AssessmentRecord:
    return AssessmentRecord(
        patient_id=row.patient_id,
        episode_id=row.episode_id,
        assessed_on=row.assessed_on,
        document=row.document,
        evaluation=row.evaluation,
        detail=row.detail,
        urgency=row.urgency,
        recorded_by=row.recorded_by,
        finalised_at=as_utc(row.finalised_at),
        amends_id=row.amends_id,
        amendment_reason=row.amendment_reason,
        id=row.id,
        uid=row.uid,
    )


def red_flag_values(flag: RedFlagRecord) -> dict[str, Any]:
    """Column values for a new red flag row (without id); usually unresolved, but imports and demo data
    may store one with its action already recorded."""
    return {
        "uid": flag.uid,
        "patient_id": flag.patient_id,
        "episode_id": flag.episode_id,
        "assessment_id": flag.assessment_id,
        "code": flag.code,
        "tier": flag.tier,
        "message": flag.message,
        "raised_at": as_utc(flag.raised_at),
        "raised_by": flag.raised_by,
        "action": flag.action,
        "resolved_at": as_utc(flag.resolved_at) if flag.resolved_at is not None else None,
        "resolved_by": flag.resolved_by,
    }


def red_flag_from_row(row: RedFlagRow) -> RedFlagRecord:
    return RedFlagRecord(
        patient_id=row.patient_id,
        episode_id=row.episode_id,
        code=row.code,
        tier=row.tier,
        message=row.message,
        raised_at=as_utc(row.raised_at),
        raised_by=row.raised_by,
        assessment_id=row.assessment_id,
        action=row.action,
        resolved_at=as_utc(row.resolved_at) if row.resolved_at is not None else None,
        resolved_by=row.resolved_by,
        id=row.id,
        uid=row.uid,
    )


def user_values(user: User) -> dict[str, Any]:
    """Column values for ``user`` (without id, version and timestamps)."""
    return {
        "user_name": user.user_name,
        "user_key": user_key(user.user_name),
        "display_name": user.display_name,
        "role": user.role.value,
        "password_hash": user.password_hash,
        "is_owner": user.is_owner,
        "active": user.active,
        "must_change_password": user.must_change_password,
    }


def user_from_row(row: UserRow) -> User:
    return User(
        user_name=row.user_name,
        display_name=row.display_name,
        role=Role(row.role),
        password_hash=row.password_hash,
        is_owner=row.is_owner,
        active=row.active,
        must_change_password=row.must_change_password,
        id=row.id,
        version=row.version,
        created_at=as_utc(row.created_at),
    )


def draft_from_row(row: DraftRow) -> Draft:
    return Draft(
        user_id=row.user_id,
        kind=row.kind,
        key=row.key,
        payload=row.payload,
        saved_at=as_utc(row.saved_at),
        id=row.id,
    )


def audit_values(entry: AuditEntry) -> dict[str, Any]:
    """Column values for a sealed entry."""
    return {
        "sequence": entry.sequence,
        "event": str(entry.event),
        "action": entry.action.value,
        "outcome": str(entry.outcome),
        "occurred_at": as_utc(entry.occurred_at),
        "user_id": entry.user_id,
        "user_name": entry.user_name,
        "role": entry.role,
        "workstation": entry.workstation,
        "patient_id": entry.patient_id,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "detail": entry.detail,
        "previous_hash": entry.previous_hash,
        "entry_hash": entry.entry_hash,
    }


_EVENTS: dict[str, AuditEvent] = {event.value: event for event in AuditEvent}
_OUTCOMES: dict[str, Outcome] = {outcome.value: outcome for outcome in Outcome}


def audit_entry(columns: Sequence[Any]) -> AuditEntry:
    """An entry from its stored columns, in ``db.audit``'s column order (sequence, event, outcome,
    occurred_at, user_id, user_name, role, workstation, patient_id, object_type, object_id, detail,
    previous_hash, entry_hash).

    An event or outcome that CalfDesk never wrote (an edited row) is passed on as the stored text rather
    than refused, so that reading the log still works and ``verify_chain`` names the entry.
    """
    (
        sequence, event, outcome, occurred_at, user_id, user_name, role, workstation,
        patient_id, object_type, object_id, detail, previous_hash, entry_hash,
    ) = columns  # fmt: skip
    return AuditEntry(
        event=_EVENTS.get(event) or cast(AuditEvent, event),
        outcome=_OUTCOMES.get(outcome) or cast(Outcome, outcome),
        occurred_at=as_utc(occurred_at),
        user_id=user_id,
        user_name=user_name,
        role=role,
        workstation=workstation,
        patient_id=patient_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        sequence=sequence,
        previous_hash=previous_hash,
        entry_hash=entry_hash,
    )
