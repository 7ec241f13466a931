"""The repositories of ``workstation.ports``, on SQLAlchemy. They return records, never ORM objects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice

from sqlalchemy import func, insert, select

from db.errors import translated
from db.mapping import (
    episode_from_row,
    episode_values,
    observation_from_row,
    observation_values,
    patient_from_row,
    patient_values,
)
from db.models import EpisodeRow, ObservationRow, PatientRow
from db.sessions import Sessions
from workstation.errors import ConflictError, RecordNotFound
from workstation.records import Episode, EpisodeStatus, Observation, Patient, PatientSummary

_SUMMARY_COLUMNS = (
    PatientRow.id,
    PatientRow.given_name,
    PatientRow.family_name,
    PatientRow.preferred_name,
    PatientRow.date_of_birth,
    PatientRow.nhs_number,
    PatientRow.medicare_number,
    PatientRow.sort_key,
    PatientRow.club_consent,
)
_STREAM_BATCH = 5_000


def _now() -> datetime:
    return datetime.now(UTC)


class SqlPatientRepository:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, patient: Patient) -> Patient:
        with self._sessions.write() as session:
            # The uid makes a retried save after a lost commit acknowledgement harmless (RELIABILITY.md B7).
            existing = session.scalar(select(PatientRow).where(PatientRow.uid == patient.uid))
            if existing is not None:
                return patient_from_row(existing)
            now = _now()
            row = PatientRow(**patient_values(patient), created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            return patient_from_row(row)

    def update(self, patient: Patient) -> Patient:
        if patient.id is None:
            raise ValueError("update() needs a saved patient")
        with self._sessions.write() as session:
            row = session.get(PatientRow, patient.id)
            if row is None:
                raise RecordNotFound("This patient's record no longer exists.")
            if row.version != patient.version:
                raise ConflictError(
                    "Someone else saved this patient's record after you opened it.",
                    current_version=row.version,
                )
            for name, value in patient_values(patient).items():
                setattr(row, name, value)
            row.updated_at = _now()
            session.flush()
            return patient_from_row(row)

    def get(self, patient_id: int) -> Patient:
        with self._sessions.read() as session:
            row = session.get(PatientRow, patient_id)
            if row is None:
                raise RecordNotFound("This patient's record no longer exists.")
            return patient_from_row(row)

    def find_by_uid(self, uid: str) -> Patient | None:
        with self._sessions.read() as session:
            row = session.scalar(select(PatientRow).where(PatientRow.uid == uid))
            return patient_from_row(row) if row else None

    def count(self) -> int:
        with self._sessions.read() as session:
            return session.scalar(select(func.count()).select_from(PatientRow)) or 0

    def first_page(self, limit: int) -> list[PatientSummary]:
        query = select(*_SUMMARY_COLUMNS).order_by(PatientRow.sort_key, PatientRow.id).limit(limit)
        with self._sessions.read() as session:
            return [PatientSummary(*row) for row in session.execute(query)]

    def summaries(self) -> Iterator[PatientSummary]:
        query = select(*_SUMMARY_COLUMNS).order_by(PatientRow.sort_key, PatientRow.id)
        with translated(), self._sessions.engine.connect() as connection:
            result = connection.execution_options(yield_per=_STREAM_BATCH).execute(query)
            for row in result:
                yield PatientSummary(*row)

    def add_many(self, patients: Iterable[Patient], batch_size: int = 5_000) -> int:
        """Core executemany in one transaction: about 20x faster than ORM objects (TOOLCHAIN.md)."""
        added = 0
        now = _now()
        iterator = iter(patients)
        with self._sessions.write() as session:
            while batch := list(islice(iterator, batch_size)):
                rows = [
                    {**patient_values(p), "version": 1, "created_at": now, "updated_at": now} for p in batch
                ]
                session.execute(insert(PatientRow), rows)
                added += len(rows)
        return added


class SqlEpisodeRepository:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, episode: Episode) -> Episode:
        with self._sessions.write() as session:
            existing = session.scalar(select(EpisodeRow).where(EpisodeRow.uid == episode.uid))
            if existing is not None:
                return episode_from_row(existing)
            now = _now()
            row = EpisodeRow(**episode_values(episode), created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            return episode_from_row(row)

    def update(self, episode: Episode) -> Episode:
        if episode.id is None:
            raise ValueError("update() needs a saved episode")
        with self._sessions.write() as session:
            row = session.get(EpisodeRow, episode.id)
            if row is None:
                raise RecordNotFound("This episode of care no longer exists.")
            if row.version != episode.version:
                raise ConflictError(
                    "Someone else saved this episode after you opened it.", current_version=row.version
                )
            for name, value in episode_values(episode).items():
                setattr(row, name, value)
            row.updated_at = _now()
            session.flush()
            return episode_from_row(row)

    def for_patient(self, patient_id: int) -> list[Episode]:
        query = select(EpisodeRow).where(EpisodeRow.patient_id == patient_id)
        with self._sessions.read() as session:
            episodes = [episode_from_row(row) for row in session.scalars(query)]
        return sorted(episodes, key=_episode_order)

    def add_many(self, episodes: Iterable[Episode], batch_size: int = 5_000) -> int:
        added = 0
        now = _now()
        iterator = iter(episodes)
        with self._sessions.write() as session:
            while batch := list(islice(iterator, batch_size)):
                rows = [
                    {**episode_values(e), "version": 1, "created_at": now, "updated_at": now} for e in batch
                ]
                session.execute(insert(EpisodeRow), rows)
                added += len(rows)
        return added


def _episode_order(episode: Episode) -> tuple[bool, float, int]:
    """Open episodes first, then newest onset first; an episode with no onset date sorts last."""
    onset = episode.onset_date.toordinal() if episode.onset_date else 0
    return (episode.status is EpisodeStatus.DISCHARGED, -onset, -(episode.id or 0))


class SqlObservationRepository:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, observation: Observation) -> Observation:
        with self._sessions.write() as session:
            existing = session.scalar(select(ObservationRow).where(ObservationRow.uid == observation.uid))
            if existing is not None:
                return observation_from_row(existing)
            row = ObservationRow(**observation_values(observation, _now()))
            session.add(row)
            session.flush()
            return observation_from_row(row)

    def for_patient(self, patient_id: int, code: str | None = None) -> list[Observation]:
        query = select(ObservationRow).where(ObservationRow.patient_id == patient_id)
        if code is not None:
            query = query.where(ObservationRow.code == code)
        query = query.order_by(ObservationRow.observed_on, ObservationRow.id)
        with self._sessions.read() as session:
            return [observation_from_row(row) for row in session.scalars(query)]
