"""Restriction and erasure of one patient's record (implements ``PrivacyStore``; RELIABILITY.md G2, G3).

An erasure deletes the patient's rows from every table of ``db.patient_export.PATIENT_TABLES`` that says
so, in one transaction, following migration 0004's path for the tables that refuse deletes (observations,
0006's assessments and red flags, and 0008's letters with their PDFs): a permit, one DELETE per table, the
permit removed. The running log (0007) is deleted with the rest; it needs no permit, nor do the patient's
squad memberships, screening worksheet rows and the links from screenings to their observations (0009);
the clubs, squads and screening days themselves hold nothing about patients. The audit's rows stay: they
hold ids, never text. On SQLite every connection has ``secure_delete=ON``, so deleted content is
overwritten with zeros, and a ``wal_checkpoint(TRUNCATE)`` afterwards moves the overwritten pages into the
file and empties the write-ahead log, where the old pages would otherwise linger. On PostgreSQL the rows
are deleted in the same way; the server reuses their space in its own time (autovacuum), so leftovers on
its disk are covered by the server's disk encryption (E4), not by CalfDesk. Backups taken before the
erasure still hold the record until the rotation removes them (C5).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from db.errors import translated
from db.mapping import as_utc
from db.models import (
    AssessmentRow,
    EpisodeRow,
    ErasurePermitRow,
    LetterRow,
    ObservationRow,
    PatientRestrictionRow,
    PatientRow,
    RedFlagRow,
    RunningSessionRow,
)
from db.patient_export import PATIENT_TABLES, SqlPatientFile, patient_table
from db.sessions import Sessions
from workstation.audit.auditor import Auditor
from workstation.errors import RecordNotFound
from workstation.privacy.restriction import Grounds, ProcessingRestricted, Restriction
from workstation.privacy.retention import RetentionFacts, earliest_calendar_date, latest_calendar_date
from workstation.privacy.service import PatientPrivacy, Reauthenticate
from workstation.privacy.settings import RetentionSettings

log = logging.getLogger(__name__)
_CHECKPOINT_ATTEMPTS = 20
_CHECKPOINT_PAUSE_S = 0.05


class SqlPrivacyStore:
    """``store`` is a ``db.Store``; its read-only state is read at every call (a damaged file turns it)."""

    def __init__(self, store: Any) -> None:
        self._store = store

    @property
    def _sessions(self) -> Sessions:
        return Sessions(self._store.engine, read_only=self._store.read_only)

    def retention_facts(self, patient_id: int) -> RetentionFacts:
        with self._sessions.read() as session:
            patient = session.get(PatientRow, patient_id)
            if patient is None:
                raise RecordNotFound("This patient's record no longer exists.")
            episodes = session.execute(
                select(
                    func.max(EpisodeRow.onset_date), func.max(EpisodeRow.discharge_date),
                    func.max(EpisodeRow.created_at), func.max(EpisodeRow.updated_at),
                ).where(EpisodeRow.patient_id == patient_id)
            ).one()  # fmt: skip
            observations = session.execute(
                select(
                    func.min(ObservationRow.observed_on), func.max(ObservationRow.observed_on),
                    func.min(ObservationRow.recorded_at), func.max(ObservationRow.recorded_at),
                ).where(ObservationRow.patient_id == patient_id)
            ).one()  # fmt: skip
            assessments = session.execute(
                select(
                    func.min(AssessmentRow.assessed_on), func.max(AssessmentRow.assessed_on),
                    func.min(AssessmentRow.finalised_at), func.max(AssessmentRow.finalised_at),
                ).where(AssessmentRow.patient_id == patient_id)
            ).one()  # fmt: skip
            flags = session.execute(
                select(
                    func.min(RedFlagRow.raised_at), func.max(RedFlagRow.raised_at), func.max(RedFlagRow.resolved_at),
                ).where(RedFlagRow.patient_id == patient_id)
            ).one()  # fmt: skip
            runs = session.execute(
                select(
                    func.min(RunningSessionRow.run_on), func.max(RunningSessionRow.run_on),
                    func.min(RunningSessionRow.recorded_at), func.max(RunningSessionRow.recorded_at),
                ).where(RunningSessionRow.patient_id == patient_id)
            ).one()  # fmt: skip
            letters = session.execute(
                select(func.min(LetterRow.finalised_at), func.max(LetterRow.finalised_at)).where(
                    LetterRow.patient_id == patient_id
                )
            ).one()
        # Clinical dates are the clinic's own; instants count on their latest (or earliest) calendar date.
        last_instants = [patient.created_at, patient.updated_at, episodes[2], episodes[3], observations[3],
                         assessments[3], flags[1], flags[2], runs[3], letters[1]]  # fmt: skip
        last = _present([episodes[0], episodes[1], observations[1], assessments[1], runs[1]])
        last += [latest_calendar_date(as_utc(moment)) for moment in last_instants if moment is not None]
        first = _present([observations[0], assessments[0], runs[0]])
        first_instants = (patient.created_at, observations[2], assessments[2], flags[0], runs[2], letters[0])
        first += [earliest_calendar_date(as_utc(m)) for m in first_instants if m is not None]
        return RetentionFacts(patient.date_of_birth, first_collected=min(first), last_entry=max(last))

    def restriction(self, patient_id: int) -> Restriction | None:
        with self._sessions.read() as session:
            row = session.get(PatientRestrictionRow, patient_id)
            return _restriction(row) if row is not None else None

    def restrict(self, restriction: Restriction) -> Restriction:
        with self._sessions.write() as session:
            row = session.get(PatientRestrictionRow, restriction.patient_id)
            if row is None:
                row = PatientRestrictionRow(
                    patient_id=restriction.patient_id,
                    grounds=restriction.grounds.value,
                    restricted_at=as_utc(restriction.since),
                    restricted_by=restriction.by_user_id,
                )
                session.add(row)
                session.flush()
            return _restriction(row)

    def lift_restriction(self, patient_id: int) -> bool:
        with self._sessions.write() as session:
            query = delete(PatientRestrictionRow).where(PatientRestrictionRow.patient_id == patient_id)
            result = session.execute(query)
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def erase(self, patient_id: int) -> Mapping[str, int]:
        deleted: dict[str, int] = {}
        with self._sessions.write() as session:
            if session.get(PatientRow, patient_id) is None:
                raise RecordNotFound("This patient's record no longer exists.")
            if session.get(PatientRestrictionRow, patient_id) is not None:
                raise ProcessingRestricted("This record cannot be erased while its processing is restricted.")
            erased = [t for t in PATIENT_TABLES if t.erased]
            permitted = [i for i, t in enumerate(erased) if t.needs_permit]
            for index, mapped in enumerate(erased):
                table = patient_table(mapped.name)
                if permitted and index == permitted[0]:  # held from the first protected table to the last
                    session.execute(insert(ErasurePermitRow).values(patient_id=patient_id))
                result = session.execute(delete(table).where(mapped.rows_of(table, patient_id)))
                deleted[mapped.name] = result.rowcount  # type: ignore[attr-defined]
                if permitted and index == permitted[-1]:
                    session.execute(delete(ErasurePermitRow).where(ErasurePermitRow.patient_id == patient_id))
        if self._store.engine.dialect.name == "sqlite":
            self._checkpoint()
        log.info("erased patient %s: %s", patient_id, deleted)
        return deleted

    def _checkpoint(self) -> None:
        """Copy every page into the file and empty the WAL; retried while a reader still holds old pages."""
        with translated():
            connection = self._store.engine.raw_connection()
            try:
                cursor = connection.cursor()
                for _ in range(_CHECKPOINT_ATTEMPTS):
                    busy, _log_pages, _checkpointed = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                    if not busy:
                        return
                    time.sleep(_CHECKPOINT_PAUSE_S)
                cursor.close()
            finally:
                connection.close()
        # Erased all the same; the WAL is emptied at the next checkpoint once the other reader is done.
        log.warning("after an erasure the write-ahead log could not be emptied: another reader held it")


def privacy_backends(store: Any) -> tuple[SqlPatientFile, SqlPrivacyStore]:
    """The reader and the store of the privacy services for an open ``db.Store``."""
    return SqlPatientFile(store), SqlPrivacyStore(store)


def patient_privacy(
    store: Any, auditor: Auditor, reauthenticate: Reauthenticate, today: Callable[[], date]
) -> PatientPrivacy:
    """The privacy use cases on an open ``db.Store``, auditing through ``auditor``."""
    files, privacy = privacy_backends(store)
    return PatientPrivacy(files, privacy, RetentionSettings(store.settings, auditor), auditor, reauthenticate, today)


def _present(values: list[date | None]) -> list[date]:
    return [value for value in values if value is not None]


def _restriction(row: PatientRestrictionRow) -> Restriction:
    since: datetime = as_utc(row.restricted_at)
    return Restriction(row.patient_id, Grounds(row.grounds), since, row.restricted_by)
