"""How an assessment begins: a blank one from the record, or a follow-up prefilled from the last one."""

from __future__ import annotations

from datetime import date
from typing import Any

from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.records import AssessmentRecord
from workstation.records import Episode, Patient, Sex, Side

_CONTRACT_SEX = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other", Sex.NOT_STATED: "unknown"}
_CONTRACT_SIDE = {Side.LEFT: "left", Side.RIGHT: "right", Side.BOTH: "both"}


def patient_facts(patient: Patient) -> dict[str, Any]:
    """What the engine needs about the person, from the record (the norms use age and sex)."""
    return {"date_of_birth": patient.date_of_birth.isoformat(), "sex": _CONTRACT_SEX[patient.sex]}


def start_draft(
    patient: Patient, episode: Episode, *, today: date, previous: AssessmentRecord | None = None
) -> AssessmentDraft:
    """A new assessment of ``episode`` dated today: a follow-up of ``previous`` when there is one.

    The side comes from the episode when it names one; otherwise the history page asks for it (the
    contract requires it, and the engine will not guess which leg is the injured one).
    """
    assert patient.id is not None and episode.id is not None
    if previous is not None:
        from workstation.assessment.followup import prefill_follow_up

        draft = prefill_follow_up(previous, assessed_on=today)
        draft.patient_id, draft.episode_id = patient.id, episode.id
    else:
        draft = AssessmentDraft(patient.id, episode.id, {"schema": "calfdesk.assessment/1"})
    draft.set("assessed_on", today.isoformat())
    draft.set("patient", patient_facts(patient))
    side = _CONTRACT_SIDE.get(episode.side)
    if side is not None and draft.get("symptomatic_side") is None:
        draft.set("symptomatic_side", side)
    return draft
