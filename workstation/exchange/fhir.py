"""One patient's record as a FHIR R4 Bundle of type "collection" (docs/fhir.md is the mapping).

The bundle holds a Patient, a Condition per episode of care, an Observation per current measurement
(corrections replace what they correct: the current version only, status "corrected"), a
QuestionnaireResponse per finalised assessment for the PSFS activities and the LEFS total
(``fhir_outcomes``), and a Flag per red flag. Every entry's ``fullUrl`` is ``urn:uuid:<uid>`` with the
record's own uid and every reference points at one, so the bundle needs no server; the resource ids are
the same uids. Codes come from ``fhir_codes``. The result is plain JSON-ready data (dict, list, str,
int, float, bool): no FHIR library is needed to build it (the tests validate it with ``fhir.resources``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.exchange import fhir_codes as codes
from workstation.exchange.fhir_codes import Json, derived_id, fhir_id, reference
from workstation.exchange.fhir_outcomes import outcome_responses, red_flag_resource
from workstation.records import DischargeReason, Episode, EpisodeStatus, Observation, Patient, Sex, Side

_GENDERS = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other", Sex.NOT_STATED: "unknown"}
_RESOLVED_BY = frozenset({DischargeReason.GOALS_MET, DischargeReason.RETURNED_TO_RUNNING})


def patient_bundle(
    patient: Patient,
    episodes: Sequence[Episode],
    observations: Sequence[Observation],
    assessments: Sequence[AssessmentRecord],
    red_flags: Sequence[RedFlagRecord],
    *,
    generated_at: datetime,
) -> Json:
    """Everything listed about ``patient`` as a FHIR R4 collection Bundle.

    Args:
        patient: the record, as the caller may see it.
        episodes: the patient's episodes of care.
        observations: the current version of each measurement.
        assessments: the current (not amended) finalised assessments.
        red_flags: every red flag raised, resolved or not.
        generated_at: when the bundle is made (timezone-aware); its ``timestamp``.

    Returns:
        The Bundle as JSON-ready data.

    Raises:
        ValueError: ``generated_at`` has no timezone.
    """
    if generated_at.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware (a FHIR instant)")
    subject = reference(patient.uid)
    responses = outcome_responses(assessments, subject)
    # The PSFS-mean and LEFS-total observations cite the response of the assessment they were computed from.
    derived = {(response.assessment_id, response.derives): reference(response.resource["id"]) for response in responses}
    resources: list[Json] = [patient_resource(patient)]
    by_episode = _observation_refs(observations)
    resources += [condition_resource(episode, subject, by_episode.get(episode.id, [])) for episode in episodes]
    for obs in observations:
        source = derived.get((obs.assessment_id, obs.code)) if obs.assessment_id is not None else None
        resources.append(observation_resource(obs, subject, [source] if source else []))
    resources += [response.resource for response in responses]
    resources += [red_flag_resource(flag, subject) for flag in red_flags]
    return {
        "resourceType": "Bundle",
        "id": derived_id(f"{patient.uid}/bundle/{generated_at.isoformat()}"),
        "type": "collection",
        "timestamp": generated_at.isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource} for resource in resources],
    }


def patient_resource(patient: Patient) -> Json:
    resource: Json = {"resourceType": "Patient", "id": fhir_id(patient.uid)}
    identifiers = _identifiers(patient)
    if identifiers:
        resource["identifier"] = identifiers
    resource["name"] = _names(patient)
    telecom = _telecom(patient.phone, patient.email)
    if telecom:
        resource["telecom"] = telecom
    resource["gender"] = _GENDERS[patient.sex]
    resource["birthDate"] = patient.date_of_birth.isoformat()
    if patient.address.strip():
        resource["address"] = [{"text": patient.address}]
    contact = _emergency_contact(patient)
    if contact:
        resource["contact"] = [contact]
    if not patient.gp.is_empty:
        gp = ", ".join(part for part in (patient.gp.name, patient.gp.practice) if part.strip())
        resource["generalPractitioner"] = [{"display": gp or "General practitioner"}]
    return resource


def _identifiers(patient: Patient) -> list[Json]:
    found = []
    if patient.nhs_number:
        found.append({"use": "official", "system": codes.NHS_NUMBER, "value": patient.nhs_number})
    if patient.medicare_number:
        # AU Base: the 10-digit card number, or 11 digits with the individual reference number (IRN).
        found.append({"system": codes.MEDICARE_NUMBER, "value": patient.medicare_number + patient.medicare_irn})
    return found


def _names(patient: Patient) -> list[Json]:
    official: Json = {"use": "official"}
    if _spoken(patient.given_name, patient.family_name):  # FHIR strings are never empty
        official["text"] = _spoken(patient.given_name, patient.family_name)
    if patient.family_name.strip():
        official["family"] = patient.family_name
    if patient.given_name.split():
        official["given"] = patient.given_name.split()
    names = [official]
    if patient.preferred_name.strip() and patient.preferred_name != patient.given_name:
        usual: Json = {"use": "usual", "text": _spoken(patient.preferred_name, patient.family_name)}
        usual["given"] = patient.preferred_name.split()
        if patient.family_name.strip():
            usual["family"] = patient.family_name
        names.append(usual)
    return names


def _spoken(given: str, family: str) -> str:
    return " ".join(part for part in (given.strip(), family.strip()) if part)


def _telecom(phone: str, email: str) -> list[Json]:
    telecom = []
    if phone.strip():
        telecom.append({"system": "phone", "value": phone.strip()})
    if email.strip():
        telecom.append({"system": "email", "value": email.strip()})
    return telecom


def _emergency_contact(patient: Patient) -> Json | None:
    contact = patient.emergency_contact
    if not (contact.name.strip() or contact.phone.strip()):
        return None
    relationship: Json = {"coding": [codes.EMERGENCY_CONTACT.as_json()]}
    if contact.relationship.strip():
        relationship["text"] = contact.relationship.strip()
    found: Json = {"relationship": [relationship]}
    if contact.name.strip():
        found["name"] = {"text": contact.name.strip()}
    telecom = _telecom(contact.phone, "")
    if telecom:
        found["telecom"] = telecom
    return found


def condition_resource(episode: Episode, subject: Json, evidence: Sequence[Json]) -> Json:
    """An episode of care as a Condition: its complaint, side, onset, and whether it is still active."""
    status = clinical_status(episode)
    resource: Json = {
        "resourceType": "Condition",
        "id": fhir_id(episode.uid),
        "clinicalStatus": {"coding": [{"system": codes.CONDITION_CLINICAL, "code": status,
                                       "display": codes.CLINICAL_STATUSES[status]}]},
        "category": [{"coding": [codes.PROBLEM_LIST_ITEM.as_json()]}],
        "code": {"text": episode.complaint.strip() or "Calf complaint"},
        "subject": subject,
    }  # fmt: skip
    site = body_site(episode.side)
    if site is not None:
        resource["bodySite"] = [site]
    if episode.onset_date is not None:
        resource["onsetDateTime"] = episode.onset_date.isoformat()
    if episode.status is EpisodeStatus.DISCHARGED and episode.discharge_date is not None:
        resource["abatementDateTime"] = episode.discharge_date.isoformat()
    if evidence:
        resource["evidence"] = [{"detail": list(evidence)}]
    return resource


def clinical_status(episode: Episode) -> str:
    """active while the episode is open; inactive on hold; resolved when discharged with its goals met or
    back to running, inactive when discharged for another reason (referred on, did not attend, ...)."""
    if episode.status is EpisodeStatus.OPEN:
        return "active"
    if episode.status is EpisodeStatus.DISCHARGED and episode.discharge_reason in _RESOLVED_BY:
        return "resolved"
    return "inactive"


def body_site(side: Side) -> Json | None:
    """The laterality as a SNOMED CT qualifier, or None when the measure or complaint has no side."""
    coding = codes.LATERALITY.get(side)
    if coding is None:
        return None
    return {"coding": [coding.as_json()], "text": coding.display}


def observation_resource(observation: Observation, subject: Json, derived_from: Sequence[Json]) -> Json:
    coded = codes.observation_code(observation.code)
    codings = [coded.standard.as_json()] if coded.standard else []
    codings.append(codes.calfdesk_coding(observation.code).as_json())
    resource: Json = {
        "resourceType": "Observation",
        "id": fhir_id(observation.uid),
        "status": "corrected" if observation.is_correction else "final",
        "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": coded.category,
                                  "display": codes.CATEGORY_DISPLAYS[coded.category]}]}],
        "code": {"coding": codings, "text": coded.display},
        "subject": subject,
        "effectiveDateTime": observation.observed_on.isoformat(),
        "valueQuantity": quantity(observation.value, observation.unit),
    }  # fmt: skip
    site = body_site(observation.side)
    if site is not None:
        resource["bodySite"] = site
    if observation.protocol.strip():
        resource["method"] = {"text": observation.protocol.strip()}
    if observation.is_correction and observation.correction_reason.strip():
        resource["note"] = [{"text": f"Corrected: {observation.correction_reason.strip()}"}]
    if derived_from:
        resource["derivedFrom"] = list(derived_from)
    return resource


def quantity(value: float, unit: str) -> Json:
    """A value with its unit in UCUM where CalfDesk knows it; an unknown unit keeps its text only."""
    number: int | float = int(value) if float(value).is_integer() else value
    known = codes.UNITS.get(unit)
    if known is None:
        return {"value": number, "unit": unit} if unit.strip() else {"value": number}
    return {"value": number, "unit": known.text, "system": codes.UCUM, "code": known.ucum}


def _observation_refs(observations: Sequence[Observation]) -> dict[int | None, list[Json]]:
    refs: dict[int | None, list[Json]] = {}
    for observation in observations:
        if observation.episode_id is not None:
            refs.setdefault(observation.episode_id, []).append(reference(observation.uid))
    return refs
