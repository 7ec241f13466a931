"""What a finalised assessment stores: the record itself and its observations (issue 6, item 7).

Call these only for a draft without blocking problems (``rules.finalise_problems``); they refuse a value
that is not a number rather than store something the clinician did not type. The repository writes the
record and the observations in one transaction (``ports.AssessmentRepository.finalise``).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.observation_codes import OBSERVATION_SOURCES, ObservationSource
from workstation.assessment.records import AssessmentRecord
from workstation.clinical.evaluate import Evaluation
from workstation.clinical.outcomes import PsfsActivity, psfs_mean
from workstation.clinical.rounding import one_decimal
from workstation.records import Observation, Side

_SURFACES = {
    "incline_10deg_60bpm": "10° incline at 60 bpm",
    "flat_floor": "flat floor",
    "step": "step",
    "other": "other protocol",
}
_STOPPED = {
    "height": "stopped: could not keep full height",
    "cadence": "stopped: could not keep the pace",
    "alignment": "stopped: knee or trunk position lost",
    "support": "stopped: needed more than fingertip support",
    "pain": "stopped by pain",
    "fatigue": "stopped by fatigue",
}


def assessment_record_of(
    draft: AssessmentDraft, evaluation: Evaluation, *, recorded_by: int | None, amendment_reason: str = ""
) -> AssessmentRecord:
    """The record to finalise: document, evaluation and detail as JSON text, urgency from the evaluation."""
    return AssessmentRecord(
        patient_id=draft.patient_id,
        episode_id=draft.episode_id,
        assessed_on=_assessed_on(draft),
        document=_json(draft.document),
        evaluation=_json(evaluation.as_json()),
        detail=_json(draft.detail),
        urgency=evaluation.urgency,
        recorded_by=recorded_by,
        amends_id=draft.amends_id,
        amendment_reason=amendment_reason,
    )


def observations_of(
    draft: AssessmentDraft,
    evaluation: Evaluation,
    *,
    patient_id: int,
    episode_id: int | None,
    recorded_by: int | None,
) -> list[Observation]:
    """One observation per measured value, in the order of ``OBSERVATION_SOURCES``; unmeasured ones are left out.

    Raises:
        ValueError: a value in the draft is not a number (the draft was not checked before finalising).
    """
    observed_on = _assessed_on(draft)
    observations = []
    for source in OBSERVATION_SOURCES:
        value = _value_of(source, draft, evaluation)
        if value is None:
            continue
        side = source.side
        if side is Side.BOTH:  # the LSI belongs to the involved side
            side = Side(draft.get("symptomatic_side"))
        observations.append(
            Observation(
                patient_id=patient_id,
                observed_on=observed_on,
                code=source.code,
                value=value,
                unit=source.unit,
                side=side,
                episode_id=episode_id,
                protocol=protocol_text(source, draft),
                recorded_by=recorded_by,
            )
        )
    return observations


def _value_of(source: ObservationSource, draft: AssessmentDraft, evaluation: Evaluation) -> float | None:
    if source.origin == "document":
        return _number(draft.get(source.path), source.path)
    if source.origin == "detail":
        return _number(draft.get_detail(source.path), f"detail.{source.path}")
    if source.code == "wells_score":
        return None if evaluation.wells.score is None else float(evaluation.wells.score)
    if source.code == "heel_raise_lsi":
        lsi = evaluation.heel_raise.lsi_exact
        return None if lsi is None else one_decimal(lsi)
    if source.code == "psfs_mean":
        return _psfs_mean(draft.get("outcomes.psfs"))
    raise AssertionError(f"no reader for {source.code}")  # pragma: no cover - a new table row needs one


def _number(value: Any, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{path}: {value!r} is not a number")
    return float(value)


def _psfs_mean(entries: Any) -> float | None:
    """The mean when every activity named has a score; with any unscored, none (a part mean is not the PSFS)."""
    if not isinstance(entries, list) or not entries:
        return None
    if any(not isinstance(entry, dict) or entry.get("score") is None for entry in entries):
        return None
    return one_decimal(psfs_mean([PsfsActivity(entry["activity"], entry["score"]) for entry in entries]))


def protocol_text(source: ObservationSource, draft: AssessmentDraft) -> str:
    """How the value was measured, as recorded, in words (``"10° incline at 60 bpm, knee straight, ..."``)."""
    if source.protocol in ("heel_raise", "heel_raise_bent"):
        return _heel_raise_protocol(draft, bent=source.protocol == "heel_raise_bent", side=source.side)
    if source.protocol == "knee_to_wall":
        shod = draft.get_detail("knee_to_wall.shod")
        return "" if shod is None else ("shod" if shod else "barefoot")
    if source.protocol == "wells":
        return "NICE two-level Wells"
    if source.protocol == "lsi":
        return "heel-raise reps, involved ÷ uninvolved side"
    if source.protocol == "psfs":
        entries = draft.get("outcomes.psfs") or []
        return f"mean of {len(entries)} {'activity' if len(entries) == 1 else 'activities'}"
    return ""


def _heel_raise_protocol(draft: AssessmentDraft, *, bent: bool, side: Side) -> str:
    parts = []
    surface = draft.get("heel_raise.protocol")
    if surface is not None:
        parts.append(_SURFACES.get(surface, str(surface)))
    # knee_angle_deg is the flexion used whenever the knee is bent (CLINICAL.md 2.4: record the angle used).
    knee = "bent" if bent else draft.get("heel_raise.knee")
    angle = draft.get_detail("heel_raise.knee_angle_deg")
    if knee is not None:
        parts.append(f"knee {knee} {angle}°" if knee == "bent" and angle else f"knee {knee}")
    detail = draft.detail.get("heel_raise")
    detail = detail if isinstance(detail, dict) else {}
    if "cadence_bpm" in detail:
        cadence = detail["cadence_bpm"]
        parts.append("self-paced" if cadence is None else f"cadence {cadence} bpm")
    if detail.get("incline_deg") is not None:
        parts.append(f"incline {detail['incline_deg']}°")
    if detail.get("footwear") is not None:
        parts.append(str(detail["footwear"]))
    if not bent and side in (Side.LEFT, Side.RIGHT):
        stopped = detail.get(f"termination_{side.value}")
        if stopped is not None:
            parts.append(_STOPPED.get(stopped, f"stopped: {stopped}"))
    return ", ".join(parts)


def _assessed_on(draft: AssessmentDraft) -> date:
    return date.fromisoformat(draft.get("assessed_on"))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
