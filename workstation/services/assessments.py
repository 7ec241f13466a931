"""Assessments for one logged-in person: drafts that never lose work, red flags, finalising, reading.

Every look and change is checked against the role and audited (record ids only, never names or values).
A red flag is stored as soon as the wizard raises it, so it reaches the patient banner even if the
wizard is then closed; finalising needs an action recorded for every flag raised (ARCHITECTURE.md 5).
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from workstation.assessment.draft import DRAFT_KIND, AssessmentDraft
from workstation.assessment.records import NO_ACTION_NEEDED, AssessmentRecord, RedFlagRecord
from workstation.audit.records import AuditEvent
from workstation.errors import RecordNotFound, ValidationFailed
from workstation.ports import AssessmentRepository, Draft, DraftStore, RedFlagRepository, UserRepository
from workstation.problems import Problem
from workstation.security.permissions import Action
from workstation.services.guarded import _Guard

if TYPE_CHECKING:
    from workstation.clinical.country import Country
    from workstation.clinical.evaluate import Evaluation

# The clinical engine and the finalising rules are imported by the methods that use them: opening a
# patient's record asks this service for the standing red flags, and must not load the engine to do so.


class AssessmentService:
    """Drafts, red flags and finalised assessments, as one person may see and change them."""

    def __init__(
        self,
        assessments: AssessmentRepository,
        flags: RedFlagRepository,
        drafts: DraftStore,
        guard: _Guard,
        users: UserRepository | None = None,
    ) -> None:
        self._assessments = assessments
        self._flags = flags
        self._drafts = drafts
        self._guard = guard
        self._users = users

    # Drafts -------------------------------------------------------------------------------------

    def save_draft(self, draft: AssessmentDraft, *, at: datetime) -> None:
        """Keep every typed value for its author (one draft per patient and episode)."""
        self._guard.require(Action.EDIT_CLINICAL, AuditEvent.ASSESSMENT_DRAFT_SAVED, patient_id=draft.patient_id)
        self._drafts.save(Draft(self._user_id(), DRAFT_KIND, draft.draft_key, draft.to_payload(), at))

    def draft_for(self, patient_id: int, episode_id: int | None) -> AssessmentDraft | None:
        """This person's unfinished assessment of the patient's episode, if there is one."""
        key = AssessmentDraft(patient_id, episode_id).draft_key
        for stored in self._drafts.for_user(self._user_id()):
            if stored.kind == DRAFT_KIND and stored.key == key:
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    return AssessmentDraft.from_payload(stored.payload)
        return None

    def discard_draft(self, patient_id: int, episode_id: int | None) -> None:
        key = AssessmentDraft(patient_id, episode_id).draft_key
        for stored in self._drafts.for_user(self._user_id()):
            if stored.kind == DRAFT_KIND and stored.key == key and stored.id is not None:
                self._drafts.discard(stored.id)

    # Red flags ----------------------------------------------------------------------------------

    def raise_flags(self, draft: AssessmentDraft, evaluation: Evaluation, *, at: datetime) -> list[RedFlagRecord]:
        """Store every flag the engine raised for this draft (once each while unresolved); audited when new."""
        event = AuditEvent.RED_FLAG_RAISED
        self._guard.require(Action.EDIT_CLINICAL, event, patient_id=draft.patient_id)
        stored = []
        for flag in evaluation.red_flags:
            # Not a finding but the state of the form, shown in the wizard and never stored: a screen later
            # completed would leave a flag on the patient banner that nothing needs doing about.
            if flag.code in NO_ACTION_NEEDED:
                continue
            record = RedFlagRecord(
                patient_id=draft.patient_id, episode_id=draft.episode_id, code=flag.code, tier=flag.tier.code,
                message=flag.message, raised_at=at, raised_by=self._user_id(),
            )  # fmt: skip
            saved = self._flags.raise_flag(record)
            if saved.uid == record.uid:  # new, not one already standing
                self._guard.record(event, patient_id=saved.patient_id, object_type="red_flag", object_id=saved.id)
            stored.append(saved)
        return stored

    def resolve_flag(self, flag: RedFlagRecord, action: str, *, at: datetime) -> RedFlagRecord:
        """Record what was done about a flag; it then leaves the patient banner."""
        event = AuditEvent.RED_FLAG_RESOLVED
        self._guard.require(Action.EDIT_CLINICAL, event, patient_id=flag.patient_id)
        if not action.strip():
            raise ValidationFailed([Problem("action", "Record what you did, for example who you phoned and when.")])
        assert flag.id is not None
        resolved = self._flags.resolve(flag.id, action.strip(), by=self._user_id(), at=at)
        self._guard.record(event, patient_id=resolved.patient_id, object_type="red_flag", object_id=resolved.id)
        return resolved

    def unresolved_flags(self, patient_id: int) -> list[RedFlagRecord]:
        self._guard.require(Action.VIEW_CLINICAL, AuditEvent.PATIENT_VIEWED, patient_id=patient_id)
        return self._flags.unresolved_for_patient(patient_id)

    # Finalising and reading ---------------------------------------------------------------------

    def evaluate_draft(self, draft: AssessmentDraft, *, today: date, country: Country | None) -> Evaluation:
        """The engine's reading of a draft that passes the contract (AssessmentInvalid otherwise)."""
        from workstation.clinical.contract import parse_assessment
        from workstation.clinical.evaluate import evaluate

        return evaluate(parse_assessment(draft.document, today=today), country=country)

    def finalise(
        self, draft: AssessmentDraft, *, today: date, country: Country | None, at: datetime
    ) -> AssessmentRecord:
        """Check, store the flags and their actions, then write the assessment and its observations at once.

        Raises:
            ValidationFailed: what must be answered or recorded first (each problem names its field).
            AssessmentInvalid: the document breaks the contract.
        """
        from workstation.assessment.finalize import assessment_record_of, observations_of
        from workstation.assessment.rules import finalise_problems

        event = AuditEvent.ASSESSMENT_AMENDED if draft.amends_id is not None else AuditEvent.ASSESSMENT_FINALISED
        self._guard.require(Action.EDIT_CLINICAL, event, patient_id=draft.patient_id)
        evaluation = self.evaluate_draft(draft, today=today, country=country)
        flags = self.raise_flags(draft, evaluation, at=at)
        problems = finalise_problems(draft, evaluation, flags)
        if problems:
            raise ValidationFailed(problems)
        reason = str(draft.detail.get("amendment_reason") or "").strip()
        if draft.amends_id is not None and not reason:
            raise ValidationFailed([Problem("amendment_reason", "Say why the assessment is being corrected.")])
        actions = draft.detail.get("red_flag_actions") or {}
        for flag in flags:
            if not flag.resolved:
                self.resolve_flag(flag, str(actions[flag.code]), at=at)
        record = replace(
            assessment_record_of(draft, evaluation, recorded_by=self._user_id(), amendment_reason=reason),
            finalised_at=at,
        )
        observations = observations_of(
            draft, evaluation, patient_id=draft.patient_id, episode_id=draft.episode_id, recorded_by=self._user_id()
        )
        saved = self._assessments.finalise(record, observations)
        self._guard.record(event, patient_id=saved.patient_id, object_type="assessment", object_id=saved.id)
        self.discard_draft(draft.patient_id, draft.episode_id)
        return saved

    def for_patient(self, patient_id: int) -> list[AssessmentRecord]:
        """The current version of each of the patient's assessments, oldest first."""
        self._guard.require(Action.VIEW_CLINICAL, AuditEvent.ASSESSMENT_VIEWED, patient_id=patient_id)
        found = self._assessments.current_for_patient(patient_id)
        if found:  # opening the record is audited already; this adds which assessments were shown
            self._guard.record(AuditEvent.ASSESSMENT_VIEWED, patient_id=patient_id, object_type="assessment",
                               object_id=",".join(str(a.id) for a in found))  # fmt: skip
        return found

    def get(self, assessment_id: int) -> AssessmentRecord:
        record = self._assessments.get(assessment_id)
        self._guard.require(Action.VIEW_CLINICAL, AuditEvent.ASSESSMENT_VIEWED, patient_id=record.patient_id)
        self._guard.record(AuditEvent.ASSESSMENT_VIEWED, patient_id=record.patient_id, object_type="assessment",
                           object_id=record.id)  # fmt: skip
        return record

    def export_document(self, assessment_id: int) -> str:
        """The finalised document exactly as stored (the contract's JSON), audited as an export."""
        record = self._assessments.get(assessment_id)
        event = AuditEvent.ASSESSMENT_EXPORTED
        self._guard.require(Action.VIEW_CLINICAL, event, patient_id=record.patient_id)
        self._guard.record(event, patient_id=record.patient_id, object_type="assessment", object_id=record.id)
        return record.document

    def author_name(self, record: AssessmentRecord) -> str:
        """Who finalised ``record``, as the practice knows them ("" if not recorded or no longer known)."""
        if record.recorded_by is None or self._users is None:
            return ""
        try:
            return self._users.get(record.recorded_by).display_name
        except RecordNotFound:
            return ""

    def _user_id(self) -> int:
        return self._guard.actor.user_id
