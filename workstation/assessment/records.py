"""Finalised assessments and the red flags raised during them, as the core stores and reads them.

A finalised assessment is immutable (ARCHITECTURE.md 4): a correction is a new assessment whose
``amends_id`` names the one it replaces, with its reason. A red flag is stored the moment the wizard
raises it, before anything is finalised, so it reaches the patient banner even if the wizard is closed;
it stays there until someone records the action taken (``resolve``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from workstation.records import new_uid

# Red-flag codes that describe the form, not a finding ("not every Wells item answered yet"): answering the
# screen clears them, so they need no recorded action and are never stored.
NO_ACTION_NEEDED = frozenset({"dvt_screen_incomplete"})


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    """One finalised assessment. ``document`` is the ``calfdesk.assessment/1`` JSON (text), ``evaluation``
    the engine's ``calfdesk.evaluation/1`` JSON as it was when finalised, ``detail`` the wizard's extras
    (protocol detail, neural detail, body chart regions, impression, plan, actions) as JSON text."""

    patient_id: int
    episode_id: int | None
    assessed_on: date
    document: str
    evaluation: str
    detail: str
    urgency: str  # "routine" | "soon" | "urgent" | "emergency", copied from the evaluation for queries
    recorded_by: int | None = None
    finalised_at: datetime | None = None  # set by the repository when it commits
    amends_id: int | None = None  # the assessment this one corrects
    amendment_reason: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass(frozen=True, slots=True)
class RedFlagRecord:
    """A red flag raised for a patient, and the action recorded for it (None until someone records one)."""

    patient_id: int
    episode_id: int | None
    code: str  # a red-flag code of the contract (docs/assessment-contract.md)
    tier: str  # "emergency" | "urgent" | "soon"
    message: str  # what the engine told the clinician to do
    raised_at: datetime
    raised_by: int | None = None
    assessment_id: int | None = None  # the finalised assessment it belongs to, once there is one
    action: str | None = None  # e.g. "phoned GP practice 11:20, patient sent to ED"
    resolved_at: datetime | None = None
    resolved_by: int | None = None
    id: int | None = None
    uid: str = field(default_factory=new_uid)

    @property
    def resolved(self) -> bool:
        return self.action is not None


@dataclass(frozen=True, slots=True)
class FlagLine:
    """A red flag as a card shows it: its tier, the engine's message and the action recorded ("" if none).
    From the engine, a stored ``RedFlagRecord`` or a finalised assessment's stored evaluation alike."""

    code: str
    tier: str  # "emergency" | "urgent" | "soon"
    message: str
    action: str
