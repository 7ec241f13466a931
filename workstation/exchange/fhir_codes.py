"""The code systems and codes the FHIR export uses, in one table (docs/fhir.md explains each choice).

A LOINC or SNOMED CT code appears only where one really means the same as the CalfDesk measurement; each
was checked against the code's published text (loinc.org, the FHIR value sets that list the SNOMED CT
concepts) and its display below is that text. Every other measurement (heel-raise repetitions, knee to
wall, the LSI, the PSFS mean, the LEFS total, the Wells score: no standard code says exactly these) is
coded in CalfDesk's own code system, whose codes are the observation codes CalfDesk stores
(``workstation.assessment.observation_codes``) and whose displays are their labels. The CalfDesk URIs are
identifiers, not web pages: ``calfdesk.example`` is a reserved example domain (RFC 2606) until the
project has a domain of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from workstation.records import Side

Json = dict[str, Any]
LOINC = "http://loinc.org"
SNOMED_CT = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
MEDICARE_NUMBER = "http://ns.electronichealth.net.au/id/medicare-number"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131"

CALFDESK_BASE = "https://calfdesk.example/fhir"
CALFDESK_OBSERVATION = f"{CALFDESK_BASE}/CodeSystem/observation"
CALFDESK_RED_FLAG = f"{CALFDESK_BASE}/CodeSystem/red-flag"
CALFDESK_URGENCY = f"{CALFDESK_BASE}/CodeSystem/urgency"
PSFS_QUESTIONNAIRE = f"{CALFDESK_BASE}/Questionnaire/psfs"
LEFS_QUESTIONNAIRE = f"{CALFDESK_BASE}/Questionnaire/lefs-total"


@dataclass(frozen=True, slots=True)
class Coding:
    system: str
    code: str
    display: str

    def as_json(self) -> dict[str, str]:
        return {"system": self.system, "code": self.code, "display": self.display}


@dataclass(frozen=True, slots=True)
class ObservationCode:
    """How one CalfDesk observation code is coded in FHIR."""

    display: str  # the CalfDesk code's display, and the CodeableConcept's text
    category: str  # observation-category: "exam" (measured by the clinician) or "survey" (patient-reported)
    standard: Coding | None = None  # a LOINC or SNOMED CT code meaning exactly the same, where one exists


# Pain severity 0-10, reported: https://loinc.org/72514-3 ("Pain severity - 0-10 verbal numeric rating [Score] -
# Reported"). Only "pain now" matches it: the worst in 24 hours and the pain during a run are the same scale
# asked about another time, which the LOINC term does not say, so they keep the CalfDesk code alone.
PAIN_NOW_LOINC = Coding(LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")

# fmt: off
OBSERVATION_CODES: Mapping[str, ObservationCode] = MappingProxyType({
    "heel_raise_reps": ObservationCode("Single-leg heel raise, knee straight: repetitions", "exam"),
    "heel_raise_bent_reps": ObservationCode("Single-leg heel raise, knee bent: repetitions", "exam"),
    "knee_to_wall_cm": ObservationCode("Weight-bearing lunge (knee to wall): toe-to-wall distance", "exam"),
    "straight_knee_deg": ObservationCode("Weight-bearing dorsiflexion, knee straight: tibial angle", "exam"),
    "nprs_now": ObservationCode("Pain now (NPRS 0-10)", "survey", PAIN_NOW_LOINC),
    "nprs_worst_24h": ObservationCode("Worst pain in the last 24 hours (NPRS 0-10)", "survey"),
    "nprs_during_run": ObservationCode("Pain during running (NPRS 0-10)", "survey"),
    "psfs_mean": ObservationCode("Patient-Specific Functional Scale: mean score", "survey"),
    "lefs_total": ObservationCode("Lower Extremity Functional Scale: total score", "survey"),
    "wells_score": ObservationCode("Wells score for deep vein thrombosis (NICE two-level)", "exam"),
    "heel_raise_lsi": ObservationCode("Heel-raise limb symmetry index (involved / uninvolved side)", "exam"),
})
# fmt: on


@dataclass(frozen=True, slots=True)
class Unit:
    text: str  # Quantity.unit: what a person reads
    ucum: str  # Quantity.code in UCUM; curly braces are UCUM annotations (dimensionless counts and scores)


# CalfDesk's stored unit -> its UCUM form.
UNITS: Mapping[str, Unit] = MappingProxyType({
    "reps": Unit("repetitions", "{repetitions}"),
    "cm": Unit("cm", "cm"),
    "deg": Unit("degrees", "deg"),
    "0-10": Unit("score", "{score}"),
    "0-80": Unit("score", "{score}"),
    "points": Unit("score", "{score}"),
    "%": Unit("%", "%"),
})  # fmt: skip

# SNOMED CT laterality qualifiers (http://hl7.org/fhir/ValueSet/bodystructure-laterality): the side of the body.
LATERALITY: Mapping[Side, Coding] = MappingProxyType({
    Side.LEFT: Coding(SNOMED_CT, "7771000", "Left"),
    Side.RIGHT: Coding(SNOMED_CT, "24028007", "Right"),
    Side.BOTH: Coding(SNOMED_CT, "51440002", "Right and left"),
})  # fmt: skip

EMERGENCY_CONTACT = Coding(CONTACT_ROLE, "C", "Emergency Contact")
CLINICAL_FLAG = Coding(FLAG_CATEGORY, "clinical", "Clinical")
PROBLEM_LIST_ITEM = Coding(CONDITION_CATEGORY, "problem-list-item", "Problem List Item")
CLINICAL_STATUSES = {"active": "Active", "inactive": "Inactive", "resolved": "Resolved"}
CATEGORY_DISPLAYS = {"exam": "Exam", "survey": "Survey"}


def observation_code(code: str) -> ObservationCode:
    """The FHIR coding of a CalfDesk observation code; a code this table does not know yet keeps its own name."""
    return OBSERVATION_CODES.get(code) or ObservationCode(code.replace("_", " ").capitalize(), "exam")


def calfdesk_coding(code: str) -> Coding:
    return Coding(CALFDESK_OBSERVATION, code, observation_code(code).display)


# uuid5 namespace for what CalfDesk derives from a record (an assessment's questionnaire responses, the bundle).
DERIVED_UID_NAMESPACE = uuid.UUID("5d1f0f64-8a0b-4c61-9d0e-2f0a6c3b7e21")


def fhir_id(uid: str) -> str:
    """The resource id (and urn:uuid) of a record: its uid, or a UUID derived from it if it is not one."""
    try:
        return str(uuid.UUID(uid))
    except ValueError:
        return derived_id(uid)


def derived_id(name: str) -> str:
    """A stable UUID for something made from a record, such as ``"<assessment uid>/psfs"``."""
    return str(uuid.uuid5(DERIVED_UID_NAMESPACE, name))


def reference(uid: str) -> Json:
    """A reference to the resource of the record with ``uid``, by its urn:uuid fullUrl."""
    return {"reference": f"urn:uuid:{fhir_id(uid)}"}
