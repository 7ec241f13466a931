"""The patient-reported outcomes and red flags of the FHIR bundle: QuestionnaireResponses and Flags.

A finalised assessment's document (``calfdesk.assessment/1``) holds the PSFS activities the patient named,
each with its score, and the LEFS total. Each becomes a QuestionnaireResponse (status "completed",
authored when the assessment was finalised) that the PSFS-mean and LEFS-total Observations cite as
``derivedFrom``. The LEFS items are copyrighted (CLINICAL.md 7.1) and CalfDesk never holds them, so its
response has the one item, the total. The questionnaires are named by CalfDesk canonical URLs
(``fhir_codes``); their ids are derived from the assessment's uid, so the same record always gives the
same resources.

A red flag becomes a Flag (category "clinical"): "active" until someone records the action taken, then
"inactive", with the period from raising to resolving. Its code is the red-flag code of the contract
(docs/assessment-contract.md) in CalfDesk's code system, its text the engine's message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.exchange import fhir_codes as codes
from workstation.exchange.fhir_codes import Json, derived_id, fhir_id

PSFS_SCORE_TEXT = "Score: 0 (unable to do it) to 10 (as well as before the problem)"
LEFS_TOTAL_TEXT = "LEFS total (0-80, higher is better)"


@dataclass(frozen=True, slots=True)
class OutcomeResponse:
    assessment_id: int | None
    derives: str  # the observation code computed from it: "psfs_mean" or "lefs_total"
    resource: Json


def outcome_responses(assessments: Sequence[AssessmentRecord], subject: Json) -> list[OutcomeResponse]:
    """The PSFS and LEFS responses of every assessment that has them, in the assessments' order."""
    found = []
    for assessment in assessments:
        outcomes = _outcomes(assessment.document)
        psfs = outcomes.get("psfs")
        if isinstance(psfs, list) and psfs:
            resource = _response(assessment, "psfs", codes.PSFS_QUESTIONNAIRE, subject, _psfs_items(psfs))
            found.append(OutcomeResponse(assessment.id, "psfs_mean", resource))
        total = outcomes.get("lefs_total")
        if isinstance(total, int) and not isinstance(total, bool):
            item = {"linkId": "lefs-total", "text": LEFS_TOTAL_TEXT, "answer": [{"valueInteger": total}]}
            resource = _response(assessment, "lefs", codes.LEFS_QUESTIONNAIRE, subject, [item])
            found.append(OutcomeResponse(assessment.id, "lefs_total", resource))
    return found


def _outcomes(document: str) -> Mapping[str, Any]:
    """The document's ``outcomes`` object; {} when there is none (the document is the engine's, checked)."""
    try:
        parsed = json.loads(document)
    except ValueError:
        return {}
    outcomes = parsed.get("outcomes") if isinstance(parsed, dict) else None
    return outcomes if isinstance(outcomes, dict) else {}


def _response(assessment: AssessmentRecord, kind: str, questionnaire: str, subject: Json, items: list[Json]) -> Json:
    authored = assessment.finalised_at.isoformat() if assessment.finalised_at else assessment.assessed_on.isoformat()
    return {
        "resourceType": "QuestionnaireResponse",
        "id": derived_id(f"{assessment.uid}/{kind}"),
        "questionnaire": questionnaire,
        "status": "completed",
        "subject": subject,
        "authored": authored,
        "item": items,
    }


def _psfs_items(entries: Sequence[Any]) -> list[Json]:
    """One group per activity: what the patient named, and its score (no answer when it was not scored)."""
    items = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not str(entry.get("activity") or "").strip():
            continue
        name = {"linkId": f"activity-{number}.name", "text": "Activity", "answer": [{"valueString": entry["activity"]}]}
        score: Json = {"linkId": f"activity-{number}.score", "text": PSFS_SCORE_TEXT}
        value = entry.get("score")
        if isinstance(value, int) and not isinstance(value, bool):
            score["answer"] = [{"valueInteger": value}]
        items.append({"linkId": f"activity-{number}", "text": f"Activity {number}", "item": [name, score]})
    return items


def red_flag_resource(flag: RedFlagRecord, subject: Json) -> Json:
    display = flag.code.replace("_", " ").capitalize()
    period: Json = {"start": flag.raised_at.isoformat()}
    if flag.resolved_at is not None:
        period["end"] = flag.resolved_at.isoformat()
    return {
        "resourceType": "Flag",
        "id": fhir_id(flag.uid),
        "status": "inactive" if flag.resolved else "active",
        "category": [
            {"coding": [codes.CLINICAL_FLAG.as_json()]},
            {"coding": [{"system": codes.CALFDESK_URGENCY, "code": flag.tier, "display": flag.tier.capitalize()}]},
        ],
        "code": {"coding": [{"system": codes.CALFDESK_RED_FLAG, "code": flag.code, "display": display}],
                 "text": flag.message.strip() or display},
        "subject": subject,
        "period": period,
    }  # fmt: skip
