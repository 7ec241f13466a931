"""The running log (implements ``workstation.ports.RunningLogRepository``; migration 0007).

Runs are patient-reported and may be corrected or deleted in place, so unlike observations they carry a
``version``: ``update`` and ``delete`` name the version they read and refuse a stale one (RELIABILITY.md
I1). Reads select columns, not ORM objects: a runner's log holds thousands of runs and the progress tab
reads them all each time it opens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.models import PatientRow, RunningSessionRow
from db.sessions import Sessions
from workstation.errors import ConflictError, RecordNotFound
from workstation.running.records import RunRecord

_BATCH = 500  # uids per look-up: well inside every backend's limit on bound parameters
# In RunRecord's field order, so a selected row is the record's arguments as they stand (the fastest read).
_COLUMNS = (
    RunningSessionRow.patient_id, RunningSessionRow.run_on, RunningSessionRow.distance_km,
    RunningSessionRow.duration_min, RunningSessionRow.perceived_effort, RunningSessionRow.surface,
    RunningSessionRow.shoes, RunningSessionRow.hills, RunningSessionRow.speed_work, RunningSessionRow.note,
    RunningSessionRow.source, RunningSessionRow.external_id, RunningSessionRow.recorded_by, RunningSessionRow.id,
    RunningSessionRow.uid, RunningSessionRow.version,
)  # fmt: skip
assert tuple(f.name for f in fields(RunRecord)) == tuple(c.key for c in _COLUMNS), "RunRecord's fields moved"


def _now() -> datetime:
    return datetime.now(UTC)


def run_values(run: RunRecord) -> dict[str, Any]:
    """Column values for ``run`` (without id, version and recorded_at)."""
    return {
        "uid": run.uid,
        "patient_id": run.patient_id,
        "run_on": run.run_on,
        "distance_km": run.distance_km,
        "duration_min": run.duration_min,
        "perceived_effort": run.perceived_effort,
        "surface": run.surface,
        "shoes": run.shoes,
        "hills": run.hills,
        "speed_work": run.speed_work,
        "note": run.note,
        "source": run.source,
        "external_id": run.external_id,
        "recorded_by": run.recorded_by,
    }


def _run(row: Any) -> RunRecord:
    """A run from its selected columns (``_COLUMNS``); the database's CHECKs keep surface and source valid."""
    return RunRecord(*row)


def _run_of(row: RunningSessionRow) -> RunRecord:
    return RunRecord(*(getattr(row, column.key) for column in _COLUMNS))


def _gone() -> RecordNotFound:
    return RecordNotFound("This run is no longer in the running log.")


def _changed(version: int) -> ConflictError:
    return ConflictError("Someone else changed this run after you opened it.", current_version=version)


class SqlRunningLog:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, run: RunRecord) -> RunRecord:
        """Store one run, or return the one already stored under its uid (a retried save, B7)."""
        with self._sessions.write() as session:
            if session.get(PatientRow, run.patient_id) is None:
                raise RecordNotFound("This patient's record no longer exists.")
            values = {**run_values(run), "version": 1, "recorded_at": _now()}
            insert_on = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
            # ON CONFLICT rather than a look-up first: it waits for a first attempt still committing.
            session.execute(
                insert_on(RunningSessionRow).values(**values).on_conflict_do_nothing(index_elements=["uid"])
            )
            stored = session.execute(select(*_COLUMNS).where(RunningSessionRow.uid == run.uid)).one()
            return _run(stored)

    def add_many(self, runs: Sequence[RunRecord]) -> int:
        """Every run in one transaction with one bulk insert, or none (a failure rolls the whole lot back).

        Runs whose uid is stored already (the same import retried) are left out of the count.
        """
        if not runs:
            return 0
        with self._sessions.write() as session:
            patients = {run.patient_id for run in runs}
            found = session.scalar(select(func.count()).select_from(PatientRow).where(PatientRow.id.in_(patients)))
            if found != len(patients):
                raise RecordNotFound("This patient's record no longer exists.")
            stored = self._stored_uids(session, [run.uid for run in runs])
            now = _now()
            rows = [{**run_values(r), "version": 1, "recorded_at": now} for r in runs if r.uid not in stored]
            if rows:
                session.execute(insert(RunningSessionRow), rows)
            return len(rows)

    @staticmethod
    def _stored_uids(session: Session, uids: list[str]) -> set[str]:
        stored: set[str] = set()
        iterator = iter(uids)
        while batch := list(islice(iterator, _BATCH)):
            stored.update(session.scalars(select(RunningSessionRow.uid).where(RunningSessionRow.uid.in_(batch))))
        return stored

    def update(self, run: RunRecord) -> RunRecord:
        """Save a changed run over the version it was read at.

        Raises:
            RecordNotFound: the run was deleted meanwhile.
            ConflictError: someone else changed it meanwhile (``current_version`` says to what).
            ValueError: the run would move to another patient (a bug).
        """
        if run.id is None:
            raise ValueError("update() needs a stored run")
        with self._sessions.write() as session:
            row = session.get(RunningSessionRow, run.id)
            if row is None:
                raise _gone()
            if row.version != run.version:
                raise _changed(row.version)
            if row.patient_id != run.patient_id:
                raise ValueError("a run stays with the patient it was logged for")
            for name, value in run_values(run).items():
                if name != "uid":
                    setattr(row, name, value)
            session.flush()  # UPDATE ... WHERE version = the one read: a change since makes it fail
            return _run_of(row)

    def delete(self, run_id: int, version: int) -> None:
        """Remove a run as it was read.

        Raises:
            RecordNotFound: it is gone already.
            ConflictError: someone else changed it meanwhile.
        """
        with self._sessions.write() as session:
            row = session.get(RunningSessionRow, run_id)
            if row is None:
                raise _gone()
            if row.version != version:
                raise _changed(row.version)
            session.delete(row)
            session.flush()  # DELETE ... WHERE version = the one read

    def for_patient(self, patient_id: int) -> list[RunRecord]:
        query = (
            select(*_COLUMNS)
            .where(RunningSessionRow.patient_id == patient_id)
            .order_by(RunningSessionRow.run_on, RunningSessionRow.id)
        )
        with self._sessions.read() as session:
            return [_run(row) for row in session.connection().execute(query).all()]
