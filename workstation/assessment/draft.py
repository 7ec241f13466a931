"""The wizard's source of truth: one assessment as typed so far (ARCHITECTURE.md 2, ``assessment/draft.py``).

``document`` is the ``calfdesk.assessment/1`` JSON being built, key for key as the contract has it, so
the engine evaluates exactly what the wizard shows; it may be incomplete or wrong while typing.
``detail`` holds what the clinician records beyond the contract. Its sections, each a JSON object:

- ``history``: ``mechanism`` (text), ``could_rise_on_toes`` (bool), ``pain_timing_in_run`` (text),
  ``next_day`` (text), ``onset_date`` (ISO date), free ``notes``, ``pain_location_from_chart`` (bool: the
  clinician chose "use the body chart", so the chart's marks set ``history.pain_location``).
- ``heel_raise``: ``incline_deg`` (0 or 10), ``cadence_bpm`` (int, or "self_paced"), ``knee_angle_deg``,
  ``termination_left`` / ``termination_right`` ("height" | "cadence" | "alignment" | "support" | "pain" |
  "fatigue"), ``first_leg`` ("left" | "right"), ``footwear`` ("barefoot" | "shod"), ``bent_left_reps`` /
  ``bent_right_reps`` (the soleus variant, ints).
- ``knee_to_wall``: ``straight_knee_deg_left`` / ``straight_knee_deg_right`` (numbers), ``shod`` (bool).
- ``neural``: ``slump`` / ``straight_leg_raise``, each ``{"stage": text, "symptoms": text, "familiar": bool,
  "differentiation": "eased" | "worse" | "no_change" | "not_done", "other_side": "same" | "different" |
  "not_tested", "hip_angle_deg": int, "response": what the test brought on ("familiar" | "stretch_only" |
  "abnormal_other" | "none"; ``familiar`` is kept in step with it)}``.
- ``body_chart``: ``{"regions": [region codes of resources/body_chart.svg]}``.
- ``red_flag_actions``: ``{code: action text}``, what was done for each raised flag.
- ``impression``: ``{"condition": one of the ten condition codes or "other", "text": free text}``; chosen by
  the clinician, never filled in from the ranking.
- ``plan``: ``{"pathway": code, "exercises": [{"code", "sets", "reps", "frequency", "notes"}],
  "load_advice": text, "return_to_run_phase": int or null, "safety_net": text}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from workstation.problems import Problem

DRAFT_KIND = "assessment"  # the DraftStore kind; the key is "<patient id>:<episode id or new>"
_MISSING = object()


@dataclass
class AssessmentDraft:
    """An assessment in progress. Mutable on purpose: the wizard's pages write into it as the user types."""

    patient_id: int
    episode_id: int | None
    document: dict[str, Any] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)
    amends_id: int | None = None  # set when this draft corrects a finalised assessment

    @classmethod
    def new(
        cls, patient_id: int, episode_id: int | None, *, assessed_on: date, side: str, patient: dict[str, Any]
    ) -> AssessmentDraft:
        """A blank assessment for today: the contract's required keys and what the record already knows."""
        document: dict[str, Any] = {
            "schema": "calfdesk.assessment/1",
            "assessed_on": assessed_on.isoformat(),
            "symptomatic_side": side,
            "patient": dict(patient),
        }
        return cls(patient_id, episode_id, document)

    @property
    def draft_key(self) -> str:
        return f"{self.patient_id}:{self.episode_id if self.episode_id is not None else 'new'}"

    def get(self, path: str, default: Any = None) -> Any:
        """The value at a dotted path of the document (``"heel_raise.left_reps"``), or ``default``."""
        return _get(self.document, path, default)

    def set(self, path: str, value: Any) -> None:
        """Set a dotted path of the document; ``None`` removes the key (the contract's "not answered")."""
        _set(self.document, path, value)

    def get_detail(self, path: str, default: Any = None) -> Any:
        return _get(self.detail, path, default)

    def set_detail(self, path: str, value: Any) -> None:
        _set(self.detail, path, value)

    def to_payload(self) -> str:
        """The draft as JSON text, for the DraftStore (every typed value, nothing computed)."""
        return json.dumps(
            {"patient_id": self.patient_id, "episode_id": self.episode_id, "amends_id": self.amends_id,
             "document": self.document, "detail": self.detail},
            ensure_ascii=False, sort_keys=True,
        )  # fmt: skip

    @classmethod
    def from_payload(cls, payload: str) -> AssessmentDraft:
        """Read a draft saved by :meth:`to_payload`. Raises ValueError for text that is not one."""
        data = json.loads(payload)
        if not isinstance(data, dict) or not isinstance(data.get("document"), dict):
            raise ValueError("not an assessment draft")
        return cls(
            patient_id=int(data["patient_id"]),
            episode_id=None if data.get("episode_id") is None else int(data["episode_id"]),
            document=data["document"],
            detail=data.get("detail") or {},
            amends_id=None if data.get("amends_id") is None else int(data["amends_id"]),
        )


def problems_of(errors: tuple[str, ...] | list[str]) -> list[Problem]:
    """The engine's ``"path: message"`` lines as problems shown beside the field named by the path."""
    problems = []
    for line in errors:
        path, _, message = line.partition(": ")
        problems.append(Problem(path, message or line))
    return problems


def _get(data: dict[str, Any], path: str, default: Any) -> Any:
    here: Any = data
    for part in path.split("."):
        if not isinstance(here, dict):
            return default
        here = here.get(part, _MISSING)
        if here is _MISSING:
            return default
    return here


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    here = data
    for part in parents:
        child = here.get(part)
        if not isinstance(child, dict):
            if value is None:
                return  # removing from a section that is not there: nothing to do
            child = here[part] = {}
        here = child
    if value is None:
        here.pop(last, None)
        _prune(data, parents)
    else:
        here[last] = value


def _prune(data: dict[str, Any], parents: list[str]) -> None:
    """Drop sections left empty by a removal, deepest first (an empty section means nothing was answered)."""
    for depth in range(len(parents), 0, -1):
        holder = _get(data, ".".join(parents[: depth - 1]), None) if depth > 1 else data
        key = parents[depth - 1]
        if isinstance(holder, dict) and holder.get(key) == {}:
            del holder[key]
