"""The FHIR R4 Bundle of one patient: valid against the fhir.resources R4B models (R4-compatible for every
resource used; the package ships no plain R4), every reference resolving inside the bundle, standard codes
only where docs/fhir.md says they mean the same, and each CalfDesk record in the resource it belongs in."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fhir.resources.R4B import __fhir_version__
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from workstation.assessment.observation_codes import OBSERVATION_SOURCES
from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.exchange import fhir_codes as codes
from workstation.exchange.fhir import clinical_status, patient_bundle
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

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
FINALISED = datetime(2026, 11, 2, 10, 15, tzinfo=UTC)


def _patient(**changes: Any) -> Patient:
    patient = Patient(
        "Thị Minh", "Nguyễn", date(1990, 4, 2), Sex.FEMALE, preferred_name="Minnie", phone="07700 900123",
        email="minh@example.org", address="1 Riverside Road\nLeeds", nhs_number="9434765919",
        medicare_number="2123456701", medicare_irn="1",
        gp=GeneralPractitioner("Dr A Patel", "Riverside Surgery"),
        emergency_contact=EmergencyContact("Binh Nguyễn", "brother", "07700 900456"),
        gp_consent=Consent(True, date(2026, 1, 5)), id=12,
    )  # fmt: skip
    return patient.with_changes(**changes)


def _record() -> dict[str, Any]:
    patient = _patient()
    open_episode = Episode(12, "Left calf pain after hill session", Side.LEFT, date(2026, 10, 28), id=3)
    discharged = Episode(12, "Right calf strain", Side.RIGHT, date(2025, 3, 1), EpisodeStatus.DISCHARGED,
                         date(2025, 5, 1), DischargeReason.RETURNED_TO_RUNNING, id=2)  # fmt: skip
    document = {"outcomes": {"psfs": [{"activity": "Running 5 km", "score": 4}, {"activity": "Stairs", "score": None}],
                             "lefs_total": 61}}  # fmt: skip
    assessment = AssessmentRecord(12, 3, date(2026, 11, 2), json.dumps(document), "{}", "{}", "routine",
                                  finalised_at=FINALISED, id=9)  # fmt: skip
    observations = [
        Observation(12, date(2026, 11, 2), source.code, 10.0 + index, source.unit,
                    Side.LEFT if source.side is Side.BOTH else source.side, 3, protocol="10° incline at 60 bpm",
                    id=20 + index, assessment_id=9)
        for index, source in enumerate(OBSERVATION_SOURCES)
    ]  # fmt: skip
    correction = Observation(12, date(2026, 11, 2), "knee_to_wall_cm", 12.5, "cm", Side.RIGHT, 3, id=40,
                             corrects_id=25, correction_reason="measured again")  # fmt: skip
    flags = [
        RedFlagRecord(12, 3, "dvt_suspected", "urgent", "Same-day medical assessment for suspected DVT.",
                      datetime(2026, 11, 2, 10, tzinfo=UTC), id=5),
        RedFlagRecord(12, 2, "severe_unexplained_pain", "soon", "Refer to the GP within a week.",
                      datetime(2025, 3, 2, 9, tzinfo=UTC), action="GP letter sent",
                      resolved_at=datetime(2025, 3, 2, 11, tzinfo=UTC), id=6),
    ]  # fmt: skip
    return {"patient": patient, "episodes": [open_episode, discharged], "observations": [*observations, correction],
            "assessments": [assessment], "red_flags": flags}  # fmt: skip


def _bundle(record: dict[str, Any] | None = None) -> dict[str, Any]:
    return patient_bundle(**(record or _record()), generated_at=NOW)


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind]


def test_the_models_are_those_of_fhir_r4b_the_r4_compatible_release() -> None:
    assert __fhir_version__ == "4.3.0"


def test_the_whole_bundle_validates_against_the_fhir_models() -> None:
    bundle = _bundle()
    model = Bundle.model_validate(bundle)
    kinds = [type(entry.resource).__name__ for entry in model.entry]
    assert kinds.count("Patient") == 1 and kinds.count("Condition") == 2 and kinds.count("Flag") == 2
    assert kinds.count("Observation") == len(OBSERVATION_SOURCES) + 1
    assert kinds.count("QuestionnaireResponse") == 2
    assert (model.type, model.timestamp.isoformat()) == ("collection", "2026-12-01T09:30:00+00:00")
    json.dumps(bundle, allow_nan=False)  # plain JSON: what the command line writes


@pytest.mark.parametrize(
    "damage",
    [
        lambda obs: obs.pop("status"),  # a required element
        lambda obs: obs.update(effectiveDateTime="yesterday"),  # not a FHIR dateTime
        lambda obs: obs.update(valueString="many"),  # two values of a choice element
        lambda obs: obs.update(colour="red"),  # an element FHIR does not define
        lambda obs: obs["code"].update(text=""),  # FHIR strings are never empty
    ],
)
def test_the_validation_is_real_a_damaged_resource_fails_it(damage: Any) -> None:
    bundle = _bundle()
    damage(_resources(bundle, "Observation")[0])
    with pytest.raises(ValidationError):
        Bundle.model_validate(bundle)


# The required value sets of FHIR R4 for the coded elements the export fills in (the models check types and
# cardinality, not these bindings: https://hl7.org/fhir/R4/observation.html and the other resource pages).
REQUIRED_CODES = {
    ("Observation", "status"): {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                                "entered-in-error", "unknown"},
    ("Patient", "gender"): {"male", "female", "other", "unknown"},
    ("Flag", "status"): {"active", "inactive", "entered-in-error"},
    ("QuestionnaireResponse", "status"): {"in-progress", "completed", "amended", "entered-in-error", "stopped"},
}  # fmt: skip
CLINICAL_STATUSES = {"active", "recurrence", "relapse", "inactive", "remission", "resolved"}


def test_every_required_binding_holds_a_code_of_its_value_set() -> None:
    bundle = _bundle()
    for (kind, element), allowed in REQUIRED_CODES.items():
        values = {resource[element] for resource in _resources(bundle, kind)}
        assert values and values <= allowed, (kind, element, values)
    statuses = {c["clinicalStatus"]["coding"][0]["code"] for c in _resources(bundle, "Condition")}
    assert statuses <= CLINICAL_STATUSES
    (patient,) = _resources(bundle, "Patient")
    assert {t["system"] for t in patient["telecom"]} <= {"phone", "fax", "email", "pager", "url", "sms", "other"}
    assert {n["use"] for n in patient["name"]} <= {
        "usual",
        "official",
        "temp",
        "nickname",
        "anonymous",
        "old",
        "maiden",
    }


def test_a_patient_with_one_name_and_nothing_else_makes_a_valid_bundle() -> None:
    patient = Patient("", "Pelé", date(2001, 10, 23))
    bundle = patient_bundle(patient, [], [], [], [], generated_at=NOW)
    Bundle.model_validate(bundle)
    (resource,) = _resources(bundle, "Patient")
    assert resource["name"] == [{"use": "official", "text": "Pelé", "family": "Pelé"}]
    assert resource["gender"] == "unknown" and "identifier" not in resource and "telecom" not in resource


def test_every_entry_is_a_urn_uuid_of_its_records_uid_and_every_reference_resolves() -> None:
    record = _record()
    bundle = _bundle(record)
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(urls)) == len(urls)
    assert all(entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}" for entry in bundle["entry"])
    assert f"urn:uuid:{record['patient'].uid}" in urls
    assert {f"urn:uuid:{o.uid}" for o in record["observations"]} <= set(urls)
    references = _references(bundle)
    assert references and set(references) <= set(urls)


def _references(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [ref for item in value.values() for ref in _references(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in _references(item)]
    return []


def test_the_patient_carries_names_identifiers_contacts_and_gp() -> None:
    (patient,) = _resources(_bundle(), "Patient")
    assert patient["identifier"] == [
        {"use": "official", "system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"},
        {"system": "http://ns.electronichealth.net.au/id/medicare-number", "value": "21234567011"},
    ]
    official, usual = patient["name"]
    assert (official["family"], official["given"], official["text"]) == ("Nguyễn", ["Thị", "Minh"], "Thị Minh Nguyễn")
    assert (usual["use"], usual["given"]) == ("usual", ["Minnie"])
    assert (patient["gender"], patient["birthDate"]) == ("female", "1990-04-02")
    assert patient["telecom"] == [{"system": "phone", "value": "07700 900123"},
                                  {"system": "email", "value": "minh@example.org"}]  # fmt: skip
    assert patient["address"] == [{"text": "1 Riverside Road\nLeeds"}]
    (contact,) = patient["contact"]
    assert contact["relationship"][0]["coding"][0] == {"system": codes.CONTACT_ROLE, "code": "C",
                                                       "display": "Emergency Contact"}  # fmt: skip
    assert contact["name"] == {"text": "Binh Nguyễn"}
    assert patient["generalPractitioner"] == [{"display": "Dr A Patel, Riverside Surgery"}]


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        (EpisodeStatus.OPEN, None, "active"),
        (EpisodeStatus.ON_HOLD, None, "inactive"),
        (EpisodeStatus.DISCHARGED, DischargeReason.GOALS_MET, "resolved"),
        (EpisodeStatus.DISCHARGED, DischargeReason.RETURNED_TO_RUNNING, "resolved"),
        (EpisodeStatus.DISCHARGED, DischargeReason.REFERRED_ON, "inactive"),
        (EpisodeStatus.DISCHARGED, DischargeReason.DID_NOT_ATTEND, "inactive"),
    ],
)
def test_an_episodes_status_becomes_the_conditions_clinical_status(
    status: EpisodeStatus, reason: DischargeReason | None, expected: str
) -> None:
    assert clinical_status(Episode(1, "Calf", Side.LEFT, None, status, discharge_reason=reason)) == expected


def test_a_condition_per_episode_with_onset_side_abatement_and_its_measurements_as_evidence() -> None:
    record = _record()
    open_condition, discharged = _resources(_bundle(record), "Condition")
    assert open_condition["code"] == {"text": "Left calf pain after hill session"}
    assert open_condition["onsetDateTime"] == "2026-10-28"
    assert open_condition["bodySite"][0]["coding"] == [
        {"system": codes.SNOMED_CT, "code": "7771000", "display": "Left"}
    ]
    assert "abatementDateTime" not in open_condition
    evidence = {ref["reference"] for ref in open_condition["evidence"][0]["detail"]}
    assert evidence == {f"urn:uuid:{o.uid}" for o in record["observations"]}
    assert discharged["clinicalStatus"]["coding"][0]["code"] == "resolved"
    assert discharged["abatementDateTime"] == "2025-05-01"
    assert discharged["bodySite"][0]["coding"][0]["code"] == "24028007"


def test_every_stored_observation_code_and_unit_has_a_fhir_coding() -> None:
    """A new observation code or unit must get a decision in fhir_codes (and docs/fhir.md)."""
    assert {source.code for source in OBSERVATION_SOURCES} <= set(codes.OBSERVATION_CODES)
    assert {source.unit for source in OBSERVATION_SOURCES} <= set(codes.UNITS)


def test_observations_carry_loinc_only_for_pain_now_and_calfdesk_codes_for_the_rest() -> None:
    observations = {obs["code"]["coding"][-1]["code"]: obs for obs in _resources(_bundle(), "Observation")}
    pain = observations["nprs_now"]
    assert pain["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "72514-3",
        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    }
    assert pain["category"][0]["coding"][0]["code"] == "survey"
    for code, obs in observations.items():
        calfdesk = obs["code"]["coding"][-1]
        assert calfdesk["system"] == "https://calfdesk.example/fhir/CodeSystem/observation" and calfdesk["code"] == code
        if code != "nprs_now":
            assert len(obs["code"]["coding"]) == 1, f"{code} claims a standard code docs/fhir.md does not list"


def test_an_observation_has_its_date_value_in_ucum_side_and_protocol() -> None:
    observations = {(o["code"]["coding"][-1]["code"], o["id"]): o for o in _resources(_bundle(), "Observation")}
    (reps,) = [
        o for (code, _), o in observations.items() if code == "heel_raise_reps" and o["bodySite"]["text"] == "Left"
    ]
    assert reps["status"] == "final" and reps["effectiveDateTime"] == "2026-11-02"
    assert reps["valueQuantity"] == {"value": 10, "unit": "repetitions", "system": codes.UCUM, "code": "{repetitions}"}
    assert reps["bodySite"]["coding"] == [{"system": codes.SNOMED_CT, "code": "7771000", "display": "Left"}]
    assert reps["method"] == {"text": "10° incline at 60 bpm"}
    pain = next(o for (code, _), o in observations.items() if code == "nprs_now")
    assert "bodySite" not in pain and pain["valueQuantity"]["code"] == "{score}"


def test_a_corrected_measurement_says_so_with_its_reason() -> None:
    (corrected,) = [o for o in _resources(_bundle(), "Observation") if o["status"] == "corrected"]
    assert corrected["valueQuantity"]["value"] == 12.5 and corrected["valueQuantity"]["code"] == "cm"
    assert corrected["note"] == [{"text": "Corrected: measured again"}]


def test_psfs_and_lefs_are_questionnaire_responses_the_scores_are_derived_from() -> None:
    bundle = _bundle()
    psfs, lefs = _resources(bundle, "QuestionnaireResponse")
    assert (psfs["questionnaire"], psfs["status"], psfs["authored"]) == (
        codes.PSFS_QUESTIONNAIRE, "completed", FINALISED.isoformat()
    )  # fmt: skip
    first, second = psfs["item"]
    assert first["item"][0]["answer"] == [{"valueString": "Running 5 km"}]
    assert first["item"][1]["answer"] == [{"valueInteger": 4}]
    assert "answer" not in second["item"][1]  # not scored: no answer, never 0
    assert lefs["item"] == [{"linkId": "lefs-total", "text": "LEFS total (0-80, higher is better)",
                             "answer": [{"valueInteger": 61}]}]  # fmt: skip
    by_code = {o["code"]["coding"][-1]["code"]: o for o in _resources(bundle, "Observation")}
    assert by_code["psfs_mean"]["derivedFrom"] == [{"reference": f"urn:uuid:{psfs['id']}"}]
    assert by_code["lefs_total"]["derivedFrom"] == [{"reference": f"urn:uuid:{lefs['id']}"}]
    assert "derivedFrom" not in by_code["heel_raise_reps"]


def test_the_same_record_always_gives_the_same_questionnaire_response_ids() -> None:
    record = _record()
    first = [r["id"] for r in _resources(_bundle(record), "QuestionnaireResponse")]
    assert first == [r["id"] for r in _resources(_bundle(record), "QuestionnaireResponse")]


def test_red_flags_are_flags_active_until_an_action_is_recorded() -> None:
    standing, resolved = _resources(_bundle(), "Flag")
    assert standing["status"] == "active" and "end" not in standing["period"]
    assert standing["code"]["coding"][0] == {"system": codes.CALFDESK_RED_FLAG, "code": "dvt_suspected",
                                             "display": "Dvt suspected"}  # fmt: skip
    assert standing["code"]["text"] == "Same-day medical assessment for suspected DVT."
    assert standing["category"][1]["coding"][0]["code"] == "urgent"
    assert resolved["status"] == "inactive"
    assert resolved["period"] == {"start": "2025-03-02T09:00:00+00:00", "end": "2025-03-02T11:00:00+00:00"}


def test_a_bundle_needs_a_timezone_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone"):
        patient_bundle(_patient(), [], [], [], [], generated_at=datetime(2026, 12, 1, 9, 30))
