"""Follow-up assessments: the draft prefilled from the last one, and the change since then (issue 6, item 8).

Each change is judged by the engine's own rule for that measure: heel-raise reps against the 6-rep
measurement error (CLINICAL.md 2.3), knee-to-wall against the WBLT minimal detectable change (3.1), NPRS,
PSFS and LEFS against their thresholds (7.1). A measure missing at either visit is left out: it was not
measured, which is not "no change".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.records import AssessmentRecord
from workstation.clinical.flexibility import change_since_baseline
from workstation.clinical.heel_raise import MEASUREMENT_ERROR_REPS
from workstation.clinical.heel_raise_protocol import compare_reps
from workstation.clinical.outcomes import (
    LEFS_MCID_POINTS,
    NPRS_IMPORTANT_CHANGE_POINTS,
    PSFS_MEAN_MDC_POINTS,
    NprsContext,
    PsfsActivity,
    lefs_change,
    nprs_change,
    psfs_change,
)
from workstation.records import Side

# Background history: facts about the runner and the start of this episode that a later visit cannot change.
CARRIED_HISTORY = (
    "onset", "onset_activity", "onset_sensation", "could_continue_running",
    "previous_calf_strain", "bone_health_risk", "previous_race_cramping",
)  # fmt: skip
# How the heel-raise test was done: a follow-up must repeat it the same way (cadence alone changes the count).
CARRIED_HEEL_RAISE = ("protocol", "knee")
CARRIED_HEEL_RAISE_DETAIL = ("incline_deg", "cadence_bpm", "knee_angle_deg", "first_leg", "footwear")
CARRIED_HISTORY_DETAIL = ("mechanism", "onset_date")


def prefill_follow_up(previous: AssessmentRecord, *, assessed_on: date) -> AssessmentDraft:
    """A draft for a follow-up of ``previous``, dated ``assessed_on``, with what does not change between visits.

    Carried over: the patient facts, the symptomatic side, the background history and onset story, the DVT
    risk factors, the PSFS activities (without their scores, so the patient rates them afresh), and the
    heel-raise and knee-to-wall protocol detail (so the test is repeated the same way).

    Left blank: every measurement, every pain score, the whole red-flag screen (all ten Wells items and every
    red-flag question), the examination, neural tests, body chart, impression and plan. A follow-up must
    re-screen red flags: a DVT or a cauda equina syndrome can start between visits, and last visit's "no"
    says nothing about today.

    Raises:
        ValueError: ``assessed_on`` is before the previous assessment.
    """
    if assessed_on < previous.assessed_on:
        raise ValueError(
            f"a follow-up on {assessed_on.isoformat()} cannot come before the assessment of "
            f"{previous.assessed_on.isoformat()}"
        )
    before = _object(previous.document)
    before_detail = _object(previous.detail)
    document: dict[str, Any] = {"schema": before.get("schema", "calfdesk.assessment/1")}
    document["assessed_on"] = assessed_on.isoformat()
    for key in ("symptomatic_side", "patient"):
        if before.get(key) is not None:
            document[key] = _copy(before[key])
    draft = AssessmentDraft(previous.patient_id, previous.episode_id, document)
    for key in CARRIED_HISTORY:
        _carry(draft.set, before, f"history.{key}")
    for key in CARRIED_HEEL_RAISE:
        _carry(draft.set, before, f"heel_raise.{key}")
    _carry(draft.set, before, "red_flags.dvt_risk_factors")
    psfs = _get(before, "outcomes.psfs")
    if isinstance(psfs, list):
        activities = [{"activity": e["activity"]} for e in psfs if isinstance(e, dict) and e.get("activity")]
        if activities:
            draft.set("outcomes.psfs", activities)
    for key in CARRIED_HISTORY_DETAIL:
        _carry(draft.set_detail, before_detail, f"history.{key}")
    for key in CARRIED_HEEL_RAISE_DETAIL:
        _carry(draft.set_detail, before_detail, f"heel_raise.{key}")
    _carry(draft.set_detail, before_detail, "knee_to_wall.shod")
    return draft


def _carry(setter: Callable[[str, Any], None], source: Mapping[str, Any], path: str) -> None:
    value = _get(source, path)
    if value is not None:
        setter(path, _copy(value))


@dataclass(frozen=True, slots=True)
class Change:
    """One measure at the last visit and now. ``change`` is current minus previous, in the measure's unit.

    ``verdict`` is the engine's word for it: "improved" / "declined" or "worse" / "within_measurement_error"
    / "no_important_change" / "more_range" / "less_range". ``threshold`` is the smallest change that counts.
    """

    code: str
    side: Side
    label: str
    unit: str
    previous: float
    current: float
    change: float
    verdict: str
    threshold: float
    note: str = ""

    @property
    def within_measurement_error(self) -> bool:
        """True when the change is too small to count (shown greyed, not as progress or decline)."""
        return self.verdict in ("within_measurement_error", "no_important_change")


def changes_since(
    previous: AssessmentRecord,
    document: Mapping[str, Any],
    detail: Mapping[str, Any] | None = None,
    *,
    current_rater: int | None = None,
) -> list[Change]:
    """Every measure taken at both ``previous`` and now (``document`` / ``detail`` of the current draft).

    The knee-to-wall MDC depends on whether one clinician measured both times: known only when both
    ``previous.recorded_by`` and ``current_rater`` are; otherwise the stricter one-rater MDC applies.
    Values that break the contract are skipped (the page shows their problem).
    """
    before, now = _object(previous.document), dict(document)
    before_detail, now_detail = _object(previous.detail), dict(detail or {})
    same_rater = None
    if previous.recorded_by is not None and current_rater is not None:
        same_rater = previous.recorded_by == current_rater
    changes: list[Change] = []
    differs = _heel_raise_protocol_differences(before, now, before_detail, now_detail)
    for code, label, old_doc, new_doc, key, note in (
        ("heel_raise_reps", "Heel raise", before, now, "heel_raise.{}_reps", differs),
        ("heel_raise_bent_reps", "Bent-knee heel raise", before_detail, now_detail, "heel_raise.bent_{}_reps", ""),
    ):
        for side in (Side.LEFT, Side.RIGHT):
            path = key.format(side.value)
            earlier, later = _int(_get(old_doc, path), 0, 500), _int(_get(new_doc, path), 0, 500)
            reps = compare_reps(earlier, later)
            if reps is None or earlier is None or later is None:
                continue
            changes.append(
                Change(code, side, f"{label}, {side.value}", "reps", earlier, later, reps.change_reps, reps.verdict,
                       MEASUREMENT_ERROR_REPS, note)
            )  # fmt: skip
    for side in (Side.LEFT, Side.RIGHT):
        path = f"knee_to_wall.{side.value}_cm"
        earlier_cm, later_cm = _number(_get(before, path), 0, 30), _number(_get(now, path), 0, 30)
        moved = change_since_baseline(earlier_cm, later_cm, unit="cm", same_rater=same_rater)
        if moved is None or earlier_cm is None or later_cm is None:
            continue
        note = "" if same_rater is not None else "Rater not recorded: the one-rater MDC applies"
        changes.append(
            Change("knee_to_wall_cm", side, f"Knee to wall, {side.value}", "cm", earlier_cm, later_cm, moved.change,
                   moved.verdict, moved.mdc, note)
        )  # fmt: skip
    contexts: tuple[tuple[str, NprsContext, str], ...] = (
        ("nprs_now", "now", "Pain now"),
        ("nprs_worst_24h", "worst_24h", "Worst pain in 24 hours"),
        ("nprs_during_run", "during_run", "Pain during running"),
    )
    for code, context, label in contexts:
        old_pain, new_pain = _int(_get(before, f"history.{code}"), 0, 10), _int(_get(now, f"history.{code}"), 0, 10)
        if old_pain is None or new_pain is None:
            continue
        pain = nprs_change(old_pain, new_pain, context)
        changes.append(
            Change(code, Side.NONE, label, "0-10", old_pain, new_pain, pain.change_points, pain.verdict,
                   NPRS_IMPORTANT_CHANGE_POINTS,
                   note="2 points or 30 % of the baseline")
        )  # fmt: skip
    old_psfs, new_psfs = _psfs(_get(before, "outcomes.psfs")), _psfs(_get(now, "outcomes.psfs"))
    if old_psfs and new_psfs:
        psfs = psfs_change(old_psfs, new_psfs)
        note = "" if psfs.same_activities else "Not the same activities at both visits"
        changes.append(
            Change("psfs_mean", Side.NONE, "PSFS mean", "0-10", psfs.baseline_mean, psfs.follow_up_mean,
                   psfs.mean_change, psfs.mean_verdict, PSFS_MEAN_MDC_POINTS, note)
        )  # fmt: skip
    old_lefs, new_lefs = _int(_get(before, "outcomes.lefs_total"), 0, 80), _int(_get(now, "outcomes.lefs_total"), 0, 80)
    if old_lefs is not None and new_lefs is not None:
        lefs = lefs_change(old_lefs, new_lefs)
        note = "Started near the top of the scale: a real gain may not show" if lefs.ceiling_limited else ""
        changes.append(
            Change("lefs_total", Side.NONE, "LEFS total", "0-80", old_lefs, new_lefs, lefs.change, lefs.verdict,
                   LEFS_MCID_POINTS, note)
        )  # fmt: skip
    return changes


def _heel_raise_protocol_differences(
    before: dict[str, Any], now: dict[str, Any], before_detail: dict[str, Any], now_detail: dict[str, Any]
) -> str:
    """A note naming what was done differently, since cadence, surface or knee angle change the count."""
    names = []
    for path, name in (("heel_raise.protocol", "surface"), ("heel_raise.knee", "knee position")):
        if _get(before, path) != _get(now, path):
            names.append(name)
    for key, name in (("cadence_bpm", "cadence"), ("incline_deg", "incline"), ("footwear", "footwear")):
        if _get(before_detail, f"heel_raise.{key}") != _get(now_detail, f"heel_raise.{key}"):
            names.append(name)
    return "Done differently: " + ", ".join(names) if names else ""


def _psfs(entries: Any) -> list[PsfsActivity]:
    """The activities when each has a valid score and they are 1-5 distinct names; else none to compare."""
    if not isinstance(entries, list) or not 1 <= len(entries) <= 5:
        return []
    activities = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("activity"), str):
            return []
        score = _int(entry.get("score"), 0, 10)
        if score is None or not entry["activity"].strip():
            return []
        activities.append(PsfsActivity(entry["activity"], score))
    names = [" ".join(a.activity.split()).casefold() for a in activities]
    return activities if len(set(names)) == len(names) else []


def _int(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return None


def _number(value: Any, low: float, high: float) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high:
        return float(value)
    return None


def _get(data: Mapping[str, Any], path: str) -> Any:
    here: Any = data
    for part in path.split("."):
        if not isinstance(here, Mapping):
            return None
        here = here.get(part)
    return here


def _object(text: str) -> dict[str, Any]:
    value = json.loads(text) if text else {}
    return value if isinstance(value, dict) else {}


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))
