"""The repositories of ``workstation.ports``, on SQLAlchemy. They return records, never ORM objects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Select, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from db.errors import translated
from db.in_chunks import by_patient, in_chunks
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
from workstation.records import Episode, EpisodeStatus, Observation, Patient, PatientSummary, Side

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


_Row = TypeVar("_Row", PatientRow, EpisodeRow, ObservationRow)


def _insert_once(session: Session, model: type[_Row], values: dict[str, object]) -> _Row:
    """Insert the row unless one with its uid exists, and return the stored row either way.

    A save whose commit acknowledgement was lost (the connection dropped during COMMIT) is retried with the
    same client-made uid, so the retry must find the first attempt's row instead of adding a second one
    (RELIABILITY.md B7). ON CONFLICT, not a look-up first: a first attempt whose COMMIT is still under way
    on the server is invisible to a look-up, but the unique index makes this INSERT wait for its outcome.
    """
    dialect = session.get_bind().dialect.name
    insert_on = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert_on(model).values(**values).on_conflict_do_nothing(index_elements=[model.uid]))
    return session.scalars(select(model).where(model.uid == values["uid"])).one()


class SqlPatientRepository:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, patient: Patient) -> Patient:
        with self._sessions.write() as session:
            now = _now()
            values = {**patient_values(patient), "version": 1, "created_at": now, "updated_at": now}
            return patient_from_row(_insert_once(session, PatientRow, values))

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

    def get_many(self, patient_ids: Sequence[int]) -> dict[int, Patient]:
        """The patients of ``patient_ids`` by id, a query per chunk of ids; an id of no patient is absent."""
        found: dict[int, Patient] = {}
        with self._sessions.read() as session:
            for chunk in in_chunks(patient_ids):
                for row in session.scalars(select(PatientRow).where(PatientRow.id.in_(chunk))):
                    found[row.id] = patient_from_row(row)
        return found

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
        # The result is closed even when the reader stops part-way: PostgreSQL streams through a server-side
        # cursor, which must not be left to the garbage collector.
        with (
            translated(),
            self._sessions.engine.connect() as connection,
            connection.execution_options(yield_per=_STREAM_BATCH).execute(query) as result,
        ):
            for row in result:
                yield PatientSummary(*row)

    def summaries_matching(self, dates_of_birth: Sequence[date], nhs_numbers: Sequence[str]) -> list[PatientSummary]:
        """The list rows of patients born on one of ``dates_of_birth`` or holding one of ``nhs_numbers``, by id;
        indexed look-ups, a query per chunk of each."""
        found: dict[int, PatientSummary] = {}
        with translated(), self._sessions.engine.connect() as connection:
            for column, values in ((PatientRow.date_of_birth, dates_of_birth), (PatientRow.nhs_number, nhs_numbers)):
                for chunk in in_chunks(values):
                    for row in connection.execute(select(*_SUMMARY_COLUMNS).where(column.in_(chunk))):
                        found.setdefault(row[0], PatientSummary(*row))
        return [found[patient_id] for patient_id in sorted(found)]

    def add_many(self, patients: Iterable[Patient], batch_size: int = 5_000) -> int:
        """Core executemany in one transaction: about 20x faster than ORM objects (TOOLCHAIN.md)."""
        added = 0
        now = _now()
        iterator = iter(patients)
        with self._sessions.write() as session:
            while batch := list(islice(iterator, batch_size)):
                rows = [{**patient_values(p), "version": 1, "created_at": now, "updated_at": now} for p in batch]
                session.execute(insert(PatientRow), rows)
                added += len(rows)
        return added


class SqlEpisodeRepository:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, episode: Episode) -> Episode:
        with self._sessions.write() as session:
            now = _now()
            values = {**episode_values(episode), "version": 1, "created_at": now, "updated_at": now}
            return episode_from_row(_insert_once(session, EpisodeRow, values))

    def update(self, episode: Episode) -> Episode:
        if episode.id is None:
            raise ValueError("update() needs a saved episode")
        with self._sessions.write() as session:
            row = session.get(EpisodeRow, episode.id)
            if row is None:
                raise RecordNotFound("This episode of care no longer exists.")
            if row.version != episode.version:
                raise ConflictError("Someone else saved this episode after you opened it.", current_version=row.version)
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

    def for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[Episode]]:
        """``for_patient`` of each id, a query per chunk of ids; a patient with no episode is absent."""
        with self._sessions.read() as session:
            episodes = [
                episode_from_row(row)
                for chunk in in_chunks(patient_ids)
                for row in session.scalars(select(EpisodeRow).where(EpisodeRow.patient_id.in_(chunk)))
            ]
        grouped = by_patient(episodes, lambda episode: episode.patient_id)
        return {patient_id: sorted(group, key=_episode_order) for patient_id, group in grouped.items()}

    def add_many(self, episodes: Iterable[Episode], batch_size: int = 5_000) -> int:
        added = 0
        now = _now()
        iterator = iter(episodes)
        with self._sessions.write() as session:
            while batch := list(islice(iterator, batch_size)):
                rows = [{**episode_values(e), "version": 1, "created_at": now, "updated_at": now} for e in batch]
                session.execute(insert(EpisodeRow), rows)
                added += len(rows)
        return added


def _episode_order(episode: Episode) -> tuple[bool, float, int]:
    """Open episodes first, then newest onset first; an episode with no onset date sorts last."""
    onset = episode.onset_date.toordinal() if episode.onset_date else 0
    return (episode.status is EpisodeStatus.DISCHARGED, -onset, -(episode.id or 0))


class SqlObservationRepository:
    """Rows are only ever inserted (migration 0004's triggers refuse the rest): a correction is a new row."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, observation: Observation) -> Observation:
        with self._sessions.write() as session:
            values = {
                **observation_values(observation, _now()), "corrects_id": observation.corrects_id,
                "correction_reason": observation.correction_reason, "recorded_by": observation.recorded_by,
            }  # fmt: skip
            return _observation(_insert_once(session, ObservationRow, values))

    def correct(self, correction: Observation) -> Observation:
        if correction.corrects_id is None:
            raise ValueError("correct() needs the id of the version it replaces")
        try:
            with self._sessions.write() as session:
                existing = session.scalar(select(ObservationRow).where(ObservationRow.uid == correction.uid))
                if existing is not None:
                    return _observation(existing)
                original = session.get(ObservationRow, correction.corrects_id)
                if original is None:
                    raise RecordNotFound("This measurement no longer exists.")
                if original.patient_id != correction.patient_id:
                    raise ValueError("a correction belongs to the patient of the version it replaces")
                if session.scalar(_corrections_of(original.id)) is not None:
                    raise _already_corrected()
                return self._inserted(session, correction)
        except IntegrityError:
            # Two corrections of one version at once (PostgreSQL): the unique corrects_id refused the later.
            with self._sessions.read() as session:
                if session.scalar(_corrections_of(correction.corrects_id)) is None:
                    raise
            raise _already_corrected() from None

    @staticmethod
    def _inserted(session: Session, observation: Observation) -> Observation:
        row = ObservationRow(
            **observation_values(observation, _now()),
            corrects_id=observation.corrects_id,
            correction_reason=observation.correction_reason,
            recorded_by=observation.recorded_by,
        )
        session.add(row)
        session.flush()
        return _observation(row)

    def for_patient(self, patient_id: int, code: str | None = None) -> list[Observation]:
        later = aliased(ObservationRow)
        superseded = select(later.id).where(later.corrects_id == ObservationRow.id).exists()
        # Plain columns, not ORM objects: a progress chart reads thousands of these at a time, and building
        # and tracking an object per row cost three times the query (benchmarks/progress.py).
        query = select(*_OBSERVATION_COLUMNS).where(ObservationRow.patient_id == patient_id, ~superseded)
        if code is not None:
            query = query.where(ObservationRow.code == code)
        query = query.order_by(ObservationRow.observed_on, ObservationRow.id)
        with self._sessions.read() as session:
            return [_observation_of_columns(values) for values in session.connection().execute(query)]

    def history(self, observation_id: int) -> list[Observation]:
        with self._sessions.read() as session:
            row = session.get(ObservationRow, observation_id)
            if row is None:
                raise RecordNotFound("This measurement no longer exists.")
            while row.corrects_id is not None:  # back to the first recording
                earlier = session.get(ObservationRow, row.corrects_id)
                assert earlier is not None  # the foreign key keeps every earlier version
                row = earlier
            chain = [row]
            while (later := session.scalar(_corrections_of(chain[-1].id))) is not None:
                chain.append(later)
            return [_observation(version) for version in chain]


def _corrections_of(observation_id: int | None) -> Select[ObservationRow]:
    """The version that replaces ``observation_id`` (at most one: corrects_id is unique)."""
    return select(ObservationRow).where(ObservationRow.corrects_id == observation_id)


def _already_corrected() -> ConflictError:
    return ConflictError("Someone else corrected this measurement after you opened it.")


_OBSERVATION_COLUMNS = (
    ObservationRow.id, ObservationRow.uid, ObservationRow.patient_id, ObservationRow.episode_id,
    ObservationRow.observed_on, ObservationRow.code, ObservationRow.side, ObservationRow.value, ObservationRow.unit,
    ObservationRow.protocol, ObservationRow.assessment_id, ObservationRow.corrects_id,
    ObservationRow.correction_reason, ObservationRow.recorded_by,
)  # fmt: skip
_SIDES = {side.value: side for side in Side}


def _observation_of_columns(values: Sequence[Any]) -> Observation:
    (id_, uid, patient_id, episode_id, observed_on, code, side, value, unit, protocol, assessment_id, corrects_id,
     correction_reason, recorded_by) = values  # fmt: skip
    return Observation(
        patient_id=patient_id, observed_on=observed_on, code=code, value=value, unit=unit, side=_SIDES[side],
        episode_id=episode_id, protocol=protocol, id=id_, uid=uid, corrects_id=corrects_id,
        correction_reason=correction_reason, recorded_by=recorded_by, assessment_id=assessment_id,
    )  # fmt: skip


def _observation(row: ObservationRow) -> Observation:
    return replace(
        observation_from_row(row),
        corrects_id=row.corrects_id,
        correction_reason=row.correction_reason,
        recorded_by=row.recorded_by,
    )
