"""Finalised assessments and red flags (``workstation.ports.AssessmentRepository`` and ``RedFlagRepository``).

Both tables are guarded by migration 0006's triggers, so these classes only ever insert assessments, and
only link or resolve red flags once; the checks here give the clinician a plain refusal before the
database would give a raw one. They return records, never ORM objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from db.in_chunks import by_patient, in_chunks
from db.mapping import (
    as_utc,
    assessment_from_row,
    assessment_values,
    observation_values,
    red_flag_from_row,
    red_flag_values,
)
from db.models import AssessmentRow, EpisodeRow, ObservationRow, PatientRow, RedFlagRow
from db.sessions import Sessions
from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.errors import ConflictError, RecordNotFound, ValidationFailed
from workstation.problems import Problem
from workstation.records import Observation

# Most urgent first on the banner; a tier the engine does not have (yet) sorts after the known ones.
TIER_ORDER = {"emergency": 0, "urgent": 1, "soon": 2}


def _now() -> datetime:
    return datetime.now(UTC)


class SqlAssessmentRepository:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def finalise(self, assessment: AssessmentRecord, observations: Iterable[Observation]) -> AssessmentRecord:
        """Write the assessment, its observations and the link from its episode's red flags, all or nothing.

        Idempotent on the assessment's uid (a retry after a lost COMMIT returns the stored one).
        ``finalised_at`` is the one on the record if the caller set it (the service's clock), else now.

        Raises:
            RecordNotFound: the patient, the episode or the amended assessment does not exist.
            ConflictError: the amended assessment was already amended by someone else.
            ValueError: the episode, an observation or the amended assessment is another patient's (a bug).
        """
        measured = [replace(o, episode_id=assessment.episode_id) for o in observations]
        if any(o.patient_id != assessment.patient_id for o in measured):
            raise ValueError("every observation of an assessment belongs to its patient")
        try:
            with self._sessions.write() as session:
                stored = session.scalar(select(AssessmentRow).where(AssessmentRow.uid == assessment.uid))
                if stored is not None:
                    return assessment_from_row(stored)
                self._check_links(session, assessment)
                return self._written(session, assessment, measured)
        except IntegrityError:
            # PostgreSQL, two workstations at once: the unique amends_id (or uid) refused the later insert.
            with self._sessions.read() as session:
                stored = session.scalar(select(AssessmentRow).where(AssessmentRow.uid == assessment.uid))
                if stored is not None:
                    return assessment_from_row(stored)
                if assessment.amends_id is None or session.scalar(_amendment_of(assessment.amends_id)) is None:
                    raise
            raise _already_amended() from None

    @staticmethod
    def _check_links(session: Session, assessment: AssessmentRecord) -> None:
        if session.get(PatientRow, assessment.patient_id) is None:
            raise RecordNotFound("This patient's record no longer exists.")
        if assessment.episode_id is not None:
            episode = session.get(EpisodeRow, assessment.episode_id)
            if episode is None:
                raise RecordNotFound("This episode of care no longer exists.")
            if episode.patient_id != assessment.patient_id:
                raise ValueError("an assessment's episode belongs to its patient")
        if assessment.amends_id is not None:
            original = session.get(AssessmentRow, assessment.amends_id)
            if original is None:
                raise RecordNotFound("The assessment being amended no longer exists.")
            if original.patient_id != assessment.patient_id:
                raise ValueError("an amendment belongs to the patient of the assessment it replaces")
            if session.scalar(_amendment_of(original.id)) is not None:
                raise _already_amended()

    @staticmethod
    def _written(session: Session, assessment: AssessmentRecord, observations: list[Observation]) -> AssessmentRecord:
        now = _now()
        row = AssessmentRow(**assessment_values(assessment, assessment.finalised_at or now))
        session.add(row)
        session.flush()
        if observations:
            rows = [_observation_values(o, assessment, now, row.id) for o in observations]
            session.execute(insert(ObservationRow), rows)
        session.execute(
            update(RedFlagRow)
            .where(
                RedFlagRow.patient_id == assessment.patient_id,
                _same_episode(assessment.episode_id),
                RedFlagRow.assessment_id.is_(None),
            )
            .values(assessment_id=row.id)
        )
        return assessment_from_row(row)

    def get(self, assessment_id: int) -> AssessmentRecord:
        with self._sessions.read() as session:
            row = session.get(AssessmentRow, assessment_id)
            if row is None:
                raise RecordNotFound("This assessment no longer exists.")
            return assessment_from_row(row)

    def for_patient(self, patient_id: int) -> list[AssessmentRecord]:
        query = select(AssessmentRow).where(AssessmentRow.patient_id == patient_id)
        return self._listed(query)

    def current_for_patient(self, patient_id: int) -> list[AssessmentRecord]:
        return self._listed(_current_assessments().where(AssessmentRow.patient_id == patient_id))

    def current_for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[AssessmentRecord]]:
        """``current_for_patient`` of each id, a query per chunk of ids; a patient with none is absent."""
        chunks = in_chunks(patient_ids)
        current = _current_assessments()
        listed = [a for chunk in chunks for a in self._listed(current.where(AssessmentRow.patient_id.in_(chunk)))]
        return by_patient(listed, lambda assessment: assessment.patient_id)  # each patient's oldest first, as queried

    def _listed(self, query: Select[AssessmentRow]) -> list[AssessmentRecord]:
        with self._sessions.read() as session:
            rows = session.scalars(query.order_by(AssessmentRow.assessed_on, AssessmentRow.id))
            return [assessment_from_row(row) for row in rows]


def _current_assessments() -> Select[AssessmentRow]:
    """The versions no other assessment amends."""
    later = aliased(AssessmentRow)
    amended = select(later.id).where(later.amends_id == AssessmentRow.id).exists()
    return select(AssessmentRow).where(~amended)


def _observation_values(
    observation: Observation, assessment: AssessmentRecord, now: datetime, assessment_id: int
) -> dict[str, Any]:
    """The row of one of the assessment's observations, linked to it (the charts open it from a point)."""
    recorded_by = observation.recorded_by if observation.recorded_by is not None else assessment.recorded_by
    return {
        **observation_values(observation, now), "corrects_id": observation.corrects_id,
        "correction_reason": observation.correction_reason, "recorded_by": recorded_by,
        "assessment_id": assessment_id,
    }  # fmt: skip


def _amendment_of(assessment_id: int) -> Select[AssessmentRow]:
    """The version that amends ``assessment_id`` (at most one: amends_id is unique)."""
    return select(AssessmentRow).where(AssessmentRow.amends_id == assessment_id)


def _already_amended() -> ConflictError:
    return ConflictError("Someone else amended this assessment after you opened it.")


def _same_episode(episode_id: int | None) -> ColumnElement[bool]:
    return RedFlagRow.episode_id.is_(None) if episode_id is None else RedFlagRow.episode_id == episode_id


def _urgency_order(flag: RedFlagRecord) -> tuple[int, datetime, int]:
    """Most urgent first, then oldest first."""
    return (TIER_ORDER.get(flag.tier, len(TIER_ORDER)), flag.raised_at, flag.id or 0)


class SqlRedFlagRepository:
    """A flag's action, once recorded, is never overwritten: ``resolve`` only writes where there is none,
    and migration 0006's trigger refuses any other path."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def raise_flag(self, flag: RedFlagRecord) -> RedFlagRecord:
        """Store ``flag``, or return the same code already standing unresolved for the patient and episode.

        Idempotent on uid too. Raises RecordNotFound if the patient or the episode does not exist.
        """
        try:
            with self._sessions.write() as session:
                found = self._already_there(session, flag)
                if found is not None:
                    return found
                if session.get(PatientRow, flag.patient_id) is None:
                    raise RecordNotFound("This patient's record no longer exists.")
                if flag.episode_id is not None and session.get(EpisodeRow, flag.episode_id) is None:
                    raise RecordNotFound("This episode of care no longer exists.")
                row = RedFlagRow(**red_flag_values(flag))
                session.add(row)
                session.flush()
                return red_flag_from_row(row)
        except IntegrityError:
            # PostgreSQL: another workstation raised the same flag at the same moment (the partial unique index).
            with self._sessions.read() as session:
                found = self._already_there(session, flag)
                if found is None:
                    raise
                return found

    @staticmethod
    def _already_there(session: Session, flag: RedFlagRecord) -> RedFlagRecord | None:
        row = session.scalar(select(RedFlagRow).where(RedFlagRow.uid == flag.uid))
        if row is None and flag.action is None:
            standing = select(RedFlagRow).where(
                RedFlagRow.patient_id == flag.patient_id,
                _same_episode(flag.episode_id),
                RedFlagRow.code == flag.code,
                RedFlagRow.action.is_(None),
            )
            row = session.scalar(standing.order_by(RedFlagRow.id).limit(1))
        return red_flag_from_row(row) if row is not None else None

    def resolve(self, flag_id: int, action: str, *, by: int | None, at: datetime) -> RedFlagRecord:
        """Record the action taken, once.

        Raises:
            ValidationFailed: ``action`` is blank (problem field "action").
            RecordNotFound: there is no such flag.
            ConflictError: an action is recorded for it already.
        """
        if not action.strip():
            raise ValidationFailed([Problem("action", "Record what you did, for example who you phoned and when.")])
        with self._sessions.write() as session:
            # One conditional UPDATE: of two resolutions at once the later matches no row (PostgreSQL waits for
            # the first's row lock, then finds an action recorded), so neither can overwrite the other.
            result = session.execute(
                update(RedFlagRow)
                .where(RedFlagRow.id == flag_id, RedFlagRow.action.is_(None))
                .values(action=action, resolved_at=as_utc(at), resolved_by=by)
            )
            row = session.scalar(select(RedFlagRow).where(RedFlagRow.id == flag_id))
            if row is None:
                raise RecordNotFound("This red flag no longer exists.")
            if not result.rowcount:  # type: ignore[attr-defined]
                raise ConflictError("Someone else recorded the action taken for this red flag already.")
            return red_flag_from_row(row)

    def unresolved_for_patient(self, patient_id: int) -> list[RedFlagRecord]:
        query = select(RedFlagRow).where(RedFlagRow.patient_id == patient_id, RedFlagRow.action.is_(None))
        with self._sessions.read() as session:
            flags = [red_flag_from_row(row) for row in session.scalars(query)]
        return sorted(flags, key=_urgency_order)

    def unresolved_for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[RedFlagRecord]]:
        """``unresolved_for_patient`` of each id, a query per chunk of ids; a patient with none is absent."""
        unresolved = select(RedFlagRow).where(RedFlagRow.action.is_(None))
        with self._sessions.read() as session:
            flags = [
                red_flag_from_row(row)
                for chunk in in_chunks(patient_ids)
                for row in session.scalars(unresolved.where(RedFlagRow.patient_id.in_(chunk)))
            ]
        grouped = by_patient(flags, lambda flag: flag.patient_id)
        return {patient_id: sorted(group, key=_urgency_order) for patient_id, group in grouped.items()}

    def for_patient(self, patient_id: int) -> list[RedFlagRecord]:
        query = select(RedFlagRow).where(RedFlagRow.patient_id == patient_id)
        with self._sessions.read() as session:
            rows = session.scalars(query.order_by(RedFlagRow.raised_at, RedFlagRow.id))
            return [red_flag_from_row(row) for row in rows]
