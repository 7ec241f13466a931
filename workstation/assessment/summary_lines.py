"""A finalised assessment in words: titled sections of plain-text lines, read from what was stored.

Everything comes from the record's stored JSON (the document, the evaluation as it was when finalised, and
the wizard's extras); the engine is never run again, so the reader sees exactly what the clinician saw when
they finalised it, even if a later version of the rules would read the same findings differently.

The wording follows the wizard's summary page (``ui/assessment/summary_page.py``), so a finding reads the
same in both places. A stored value that is missing or of the wrong type reads "–", never as a guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workstation.assessment.plan import TEMPLATES
from workstation.assessment.records import AssessmentRecord, FlagLine
from workstation.clinical.differential import NOTICE
from workstation.clinical.differential_weights import CONDITION_NAMES
from workstation.clinical.exercises import exercise, is_exercise
from workstation.clinical.findings import FINDINGS
from workstation.clinical.heel_raise import LSI_TARGET_PERCENT, limb_symmetry_percent
from workstation.dates import DateOrder, format_date

NOT_DONE = "–"
TOP_CONDITIONS = 3  # as many as the summary page shows
URGENCY_WORDS = {"routine": "Routine", "soon": "Soon", "urgent": "Urgent – same day", "emergency": "Emergency"}
HEEL_RAISE_FLAGS = {
    "below_30_reps": "Under 30 reps",
    "below_age_sex_norm": "Below the age and sex norm",
    "lsi_below_90": "LSI under 90 %",
}
KNEE_TO_WALL_FLAGS = {"none": "", "possible_asymmetry": "Possible asymmetry", "likely_meaningful": "Likely meaningful"}
NEURAL_WORDS = {
    "positive": "Positive (reproduced and differentiated)",
    "negative": "Negative",
    "inconclusive": "Inconclusive",
    "not_tested": "Not tested",
}
WELLS_WORDS = {
    "likely": "DVT likely",
    "unlikely": "DVT unlikely",
    "incomplete": "screen incomplete",
    "not_assessed": "not assessed",
}
LOW_CONFIDENCE = "Low confidence: the top scores are close, or few findings were answered."
_SIDES = {"left": "Left", "right": "Right", "both": "Both"}
_FINDING_WORDS = {finding.code: finding.wording for finding in FINDINGS}
_CONDITION_WORDS = {**CONDITION_NAMES, "other": "Other"}


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True, slots=True)
class AssessmentSummary:
    urgency: str  # the stored code, "routine" when nothing was raised
    flags: tuple[FlagLine, ...]
    findings: Section
    differential: Section
    low_confidence: bool
    impression: Section
    plan: Section
    unreadable: tuple[str, ...]  # which stored parts could not be read as JSON objects (should never happen)

    @property
    def urgency_words(self) -> str:
        return URGENCY_WORDS.get(self.urgency, self.urgency)

    @property
    def notice(self) -> str:
        return NOTICE  # CLINICAL.md 6.0: shown with every differential, whatever was stored


def header_lines(
    record: AssessmentRecord, date_order: DateOrder, *, episode_title: str = "", finalised_by: str = ""
) -> tuple[str, ...]:
    """Date, episode, who finalised it and when, and whether it corrects an earlier version (with why)."""
    lines = [f"Assessed on {format_date(record.assessed_on, date_order)}"]
    if episode_title:
        lines.append(f"Episode: {episode_title}")
    elif record.episode_id is None:
        lines.append("Not linked to an episode")
    who = finalised_by or (f"user {record.recorded_by}" if record.recorded_by is not None else "")
    when = _moment(record.finalised_at, date_order)
    lines.append("Finalised" + (f" by {who}" if who else "") + (f" on {when}" if when else ""))
    if record.amends_id is not None:
        reason = record.amendment_reason.strip() or "no reason recorded"
        lines.append(f"Correction of an earlier version (assessment {record.amends_id}). Reason: {reason}")
    return tuple(lines)


def _moment(at: datetime | None, date_order: DateOrder) -> str:
    if at is None:
        return ""
    local = at.astimezone() if at.tzinfo is not None else at  # stored in UTC; read in the clinic's own time
    return f"{format_date(local.date(), date_order)} at {local:%H:%M}"


def summarise(record: AssessmentRecord) -> AssessmentSummary:
    """The stored assessment in words, section by section."""
    unreadable: list[str] = []
    document = _object(record.document, "the findings", unreadable)
    evaluation = _object(record.evaluation, "the evaluation", unreadable)
    detail = _object(record.detail, "the impression and plan", unreadable)
    actions = _dict(detail.get("red_flag_actions"))
    flags = tuple(
        FlagLine(
            code=str(flag.get("code") or ""),
            tier=str(flag.get("tier") or "soon"),
            message=str(flag.get("message") or ""),
            action=str(actions.get(str(flag.get("code"))) or "").strip(),
        )
        for flag in _list(evaluation.get("red_flags"))
        if isinstance(flag, dict)
    )
    return AssessmentSummary(
        urgency=str(evaluation.get("urgency") or record.urgency),
        flags=flags,
        findings=Section("Findings", tuple(finding_lines(document, evaluation, detail))),
        differential=Section("Differential (decision support)", tuple(differential_lines(evaluation))),
        low_confidence=evaluation.get("low_confidence") is True,
        impression=Section("Working impression", tuple(impression_lines(detail))),
        plan=Section("Plan", tuple(plan_lines(detail))),
        unreadable=tuple(unreadable),
    )


def finding_lines(document: dict[str, Any], evaluation: dict[str, Any], detail: dict[str, Any]) -> list[str]:
    """One line per test, as measured, with the engine's reading of it and its flags."""
    side = _SIDES.get(str(document.get("symptomatic_side")), NOT_DONE)
    lines = [f"Symptomatic side: {side}"]
    lines += _heel_raise_lines(_dict(document.get("heel_raise")), _dict(evaluation.get("heel_raise")))
    lines += _bent_knee_lines(_dict(detail.get("heel_raise")), document.get("symptomatic_side"))
    lines += _knee_to_wall_lines(_dict(document.get("knee_to_wall")), _dict(evaluation.get("knee_to_wall")))
    lines += _straight_knee_lines(_dict(detail.get("knee_to_wall")))
    neural = _dict(document.get("neural"))
    for name, key in (("Slump", "slump"), ("Straight-leg raise", "straight_leg_raise")):
        lines.append(f"{name}: {NEURAL_WORDS.get(str(neural.get(key)), NOT_DONE)}")
    deficit = neural.get("neurological_deficit")
    if isinstance(deficit, bool):
        lines.append("Neurological deficit: " + ("yes" if deficit else "no"))
    lines.append(_wells_line(_dict(evaluation.get("wells"))))
    lines += _outcome_lines(_dict(document.get("history")), _dict(document.get("outcomes")))
    return lines


def _heel_raise_lines(test: dict[str, Any], result: dict[str, Any]) -> list[str]:
    left, right = _number(test.get("left_reps")), _number(test.get("right_reps"))
    parts = [f"Heel raise, straight knee (reps): left {left}, right {right}"]
    lsi = result.get("lsi_percent")
    parts.append(f"LSI {_number(lsi)} %" if _is_number(lsi) else f"LSI {NOT_DONE}")
    norm = result.get("age_sex_norm_reps")
    parts.append(f"age and sex norm {_number(norm)}" if _is_number(norm) else "no age and sex norm")
    flags = [HEEL_RAISE_FLAGS.get(str(code), str(code)) for code in _list(result.get("flags"))]
    return [", ".join(parts) + (f". Flags: {'; '.join(flags)}" if flags else "")]


def _bent_knee_lines(extras: dict[str, Any], side: Any) -> list[str]:
    left, right = extras.get("bent_left_reps"), extras.get("bent_right_reps")
    if not (_is_number(left) or _is_number(right)):
        return []
    line = f"Heel raise, bent knee (reps): left {_number(left)}, right {_number(right)}"
    pairs = {"left": (left, right), "right": (right, left)}
    if side in pairs and isinstance(left, int) and isinstance(right, int) and _is_number(left) and _is_number(right):
        involved, uninvolved = pairs[side]
        lsi = limb_symmetry_percent(involved, uninvolved)
        if lsi is not None:
            line += f", LSI {lsi:.1f} %" + (". Flags: LSI under 90 %" if lsi < LSI_TARGET_PERCENT else "")
    return [line]


def _knee_to_wall_lines(test: dict[str, Any], result: dict[str, Any]) -> list[str]:
    cells = []
    for side, cm_key, deg_key in (("left", "left_cm", "left_deg"), ("right", "right_cm", "right_deg")):
        cell = f"{side} {_number(test.get(cm_key), ' cm')}"
        if _is_number(result.get(deg_key)):
            cell += f" ({_number(result.get(deg_key))}°)"
        cells.append(cell)
    difference = result.get("difference_cm")
    line = "Knee to wall: " + ", ".join(cells)
    line += f", difference {_number(difference, ' cm')}" if _is_number(difference) else ""
    flag = KNEE_TO_WALL_FLAGS.get(str(result.get("flag")), "")
    return [line + (f". Flags: {flag}" if flag else "")]


def _straight_knee_lines(extras: dict[str, Any]) -> list[str]:
    left, right = extras.get("straight_knee_deg_left"), extras.get("straight_knee_deg_right")
    if not (_is_number(left) or _is_number(right)):
        return []
    return [f"Straight-knee dorsiflexion: left {_number(left, '°')}, right {_number(right, '°')}"]


def _wells_line(wells: dict[str, Any]) -> str:
    category = WELLS_WORDS.get(str(wells.get("category")), NOT_DONE)
    score = wells.get("score")
    if not _is_number(score):
        return f"Wells (DVT): {category}"
    line = f"Wells (DVT) score {_number(score)}: {category}"
    three = wells.get("three_level")
    return line + (f" (three-level: {three})" if isinstance(three, str) else "")


def _outcome_lines(history: dict[str, Any], outcomes: dict[str, Any]) -> list[str]:
    pain = ", ".join(
        f"{name} {_number(history.get(key))}"
        for name, key in (("now", "nprs_now"), ("worst 24 h", "nprs_worst_24h"), ("in a run", "nprs_during_run"))
    )
    lines = [f"Pain (NPRS 0-10): {pain}"]
    activities = [entry for entry in _list(outcomes.get("psfs")) if isinstance(entry, dict)]
    if activities:
        scores: list[float] = [entry["score"] for entry in activities if _is_number(entry.get("score"))]
        scored = ", ".join(f"{entry.get('activity') or NOT_DONE} {_number(entry.get('score'))}" for entry in activities)
        mean = f"; mean {sum(scores) / len(scores):.1f}" if scores else ""
        lines.append(f"PSFS (0-10): {scored}{mean}")
    else:
        lines.append(f"PSFS (0-10): {NOT_DONE}")
    lefs = outcomes.get("lefs_total")
    lines.append(f"LEFS total: {_number(lefs)} of 80" if _is_number(lefs) else f"LEFS total: {NOT_DONE}")
    return lines


def differential_lines(evaluation: dict[str, Any], top: int = TOP_CONDITIONS) -> list[str]:
    """The top conditions with the findings for and against each, a blank line between conditions."""
    lines: list[str] = []
    ranking = [entry for entry in _list(evaluation.get("differential")) if isinstance(entry, dict)]
    for place, ranked in enumerate(ranking[:top], start=1):
        if lines:
            lines.append("")
        condition = str(ranked.get("condition"))
        lines.append(f"{place}. {CONDITION_NAMES.get(condition, condition)} (score {_number(ranked.get('score'))})")
        for label, key in (("For", "supporting"), ("Against", "opposing")):
            words = "; ".join(_FINDING_WORDS.get(str(code), str(code)) for code in _list(ranked.get(key)))
            lines.append(f"{label}: {words or 'nothing entered'}")
    return lines or ["No ranking was stored."]


def impression_lines(detail: dict[str, Any]) -> list[str]:
    impression = _dict(detail.get("impression"))
    condition = _CONDITION_WORDS.get(str(impression.get("condition")), "")
    text = str(impression.get("text") or "").strip()
    lines = [condition] if condition else []
    lines += text.splitlines()
    return lines or ["Not recorded."]


def plan_lines(detail: dict[str, Any]) -> list[str]:
    plan = _dict(detail.get("plan"))
    if not plan:
        return ["No plan recorded."]
    pathway = str(plan.get("pathway") or "")
    template = TEMPLATES.get(pathway)  # type: ignore[call-overload]
    lines = [f"Pathway: {template.name if template is not None else pathway or NOT_DONE}"]
    entries = [entry for entry in _list(plan.get("exercises")) if isinstance(entry, dict)]
    for entry in entries:
        lines.append("• " + _exercise_line(entry))
    if not entries:
        lines.append("No exercises.")
    phase = plan.get("return_to_run_phase")
    lines.append(f"Return to run: walk-run phase {phase}" if _is_number(phase) else "Return to run: not running yet")
    for label, key in (("Load advice", "load_advice"), ("Safety-net advice", "safety_net")):
        text = str(plan.get(key) or "").strip()
        if text:
            lines.append(f"{label}: {text}")
    return lines


def _exercise_line(entry: dict[str, Any]) -> str:
    code = str(entry.get("code") or "")
    name = exercise(code).name if is_exercise(code) else code or NOT_DONE
    sets, reps, hold = entry.get("sets"), entry.get("reps"), entry.get("hold_seconds")
    dose = []
    if _is_number(sets) and _is_number(reps):
        dose.append(f"{_number(sets)} × {_number(reps)}")
    elif _is_number(sets):
        dose.append(f"{_number(sets)} sets")
    elif _is_number(reps):
        dose.append(f"{_number(reps)} reps")
    if _is_number(hold):
        dose.append(f"hold {_number(hold)} s")
    for key in ("frequency", "notes"):
        text = str(entry.get(key) or "").strip()
        if text:
            dose.append(text)
    return name + (f": {', '.join(dose)}" if dose else "")


def _object(text: str, what: str, unreadable: list[str]) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        unreadable.append(what)
        return {}
    return value


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: Any, unit: str = "") -> str:
    return f"{value:g}{unit}" if _is_number(value) else NOT_DONE
