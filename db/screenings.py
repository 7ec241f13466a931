"""Screening days and their worksheets (implements ``workstation.ports.ScreeningRepository``; migration 0009).

A worksheet row is saved as typed, under its version (RELIABILITY.md I1), until the screening is
completed; completing it stores the values as observations (0004's immutable table) and links each to
the screening in ``screening_observation``, in one transaction. Saving a row and completing lock the
screening's row first (PostgreSQL; SQLite's write transactions are one at a time anyway), so a row saved
after the completion is refused rather than lost. Results are read back through the links at each
observation's current version: a correction is a later row naming the one it replaces (``corrects_id``),
and the chains are followed here, with one query for the links and one for the corrections.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.mapping import as_utc, observation_values
from db.models import (
    ObservationRow,
    PatientRow,
    ScreeningEntryRow,
    ScreeningObservationRow,
    ScreeningRow,
    SquadRow,
)
from db.sessions import Sessions
from db.squad_rows import entry_from_row, screening_from_row, values_json
from workstation.errors import ConflictError, RecordNotFound
from workstation.records import Observation
from workstation.squads.records import (
    SCREENING_MEASURES,
    Screening,
    ScreeningEntry,
    ScreeningResult,
    ScreeningStatus,
)

_OPEN = ScreeningStatus.OPEN.value
_COMPLETED = ScreeningStatus.COMPLETED.value
_BATCH = 500  # uids per look-up: well inside every backend's limit on bound parameters
# The grid's column an observation was stored for, by its code and side.
_KEY_OF = {(measure.code, measure.side.value): measure.key for measure in SCREENING_MEASURES}


def _gone() -> RecordNotFound:
    return RecordNotFound("This screening no longer exists.")


def _completed_already() -> ConflictError:
    return ConflictError("This screening has been completed, so its worksheet can no longer be changed.")


def _locked(session: Session, screening_id: int) -> ScreeningRow:
    """The screening's row, locked until the transaction ends (PostgreSQL). RecordNotFound if gone."""
    row = session.get(ScreeningRow, screening_id, with_for_update=True)
    if row is None:
        raise _gone()
    return row


def _batches(items: Sequence[Any]) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, _BATCH)):
        yield batch


class SqlScreenings:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def start(self, screening: Screening) -> Screening:
        """Insert; idempotent on uid. If the squad has a screening open that day already (another
        workstation started it at the same moment), that one is returned: one worksheet per evening."""
        if screening.status is not ScreeningStatus.OPEN:
            raise ValueError("a screening starts open")
        with self._sessions.write() as session:
            stored = session.scalars(select(ScreeningRow).where(ScreeningRow.uid == screening.uid)).one_or_none()
            if stored is not None:
                return screening_from_row(stored)
            if session.get(SquadRow, screening.squad_id) is None:
                raise RecordNotFound("This squad no longer exists.")
            values = {"uid": screening.uid, "squad_id": screening.squad_id, "held_on": screening.held_on,
                      "status": _OPEN, "started_by": screening.started_by, "version": 1}  # fmt: skip
            insert_on = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
            session.execute(insert_on(ScreeningRow).values(**values).on_conflict_do_nothing())
            stored = session.scalars(select(ScreeningRow).where(ScreeningRow.uid == screening.uid)).one_or_none()
            if stored is None:  # the open screening of that day (the partial unique index)
                same_day = select(ScreeningRow).where(
                    ScreeningRow.squad_id == screening.squad_id,
                    ScreeningRow.held_on == screening.held_on,
                    ScreeningRow.status == _OPEN,
                )
                stored = session.scalars(same_day).one()
            return screening_from_row(stored)

    def get(self, screening_id: int) -> Screening:
        with self._sessions.read() as session:
            row = session.get(ScreeningRow, screening_id)
            if row is None:
                raise _gone()
            return screening_from_row(row)

    def for_squad(self, squad_id: int) -> list[Screening]:
        query = (
            select(ScreeningRow)
            .where(ScreeningRow.squad_id == squad_id)
            .order_by(ScreeningRow.held_on.desc(), ScreeningRow.id.desc())
        )
        with self._sessions.read() as session:
            return [screening_from_row(row) for row in session.scalars(query)]

    def latest_open(self, squad_id: int) -> Screening | None:
        query = (
            select(ScreeningRow)
            .where(ScreeningRow.squad_id == squad_id, ScreeningRow.status == _OPEN)
            .order_by(ScreeningRow.held_on.desc(), ScreeningRow.id.desc())
            .limit(1)
        )
        with self._sessions.read() as session:
            row = session.scalars(query).first()
            return screening_from_row(row) if row is not None else None

    def entries(self, screening_id: int) -> list[ScreeningEntry]:
        query = (
            select(ScreeningEntryRow)
            .where(ScreeningEntryRow.screening_id == screening_id)
            .order_by(ScreeningEntryRow.patient_id)
        )
        with self._sessions.read() as session:
            return [entry_from_row(row) for row in session.scalars(query)]

    def save_entry(self, entry: ScreeningEntry) -> ScreeningEntry:
        stored_values = values_json(entry.values)  # ValueError before anything is written
        with self._sessions.write() as session:
            if _locked(session, entry.screening_id).status != _OPEN:
                raise _completed_already()
            row = self._new_row(session, entry) if entry.id is None else self._row_at(session, entry)
            row.values_json = stored_values
            row.note = entry.note
            session.flush()  # an UPDATE names the version read: a change since makes it fail
            return entry_from_row(row)

    @staticmethod
    def _new_row(session: Session, entry: ScreeningEntry) -> ScreeningEntryRow:
        if session.get(PatientRow, entry.patient_id) is None:
            raise RecordNotFound("This patient's record no longer exists.")
        query = select(ScreeningEntryRow).where(
            ScreeningEntryRow.screening_id == entry.screening_id, ScreeningEntryRow.patient_id == entry.patient_id
        )
        existing = session.scalars(query).one_or_none()
        if existing is not None:  # typed in on another workstation meanwhile (the screening's lock orders them)
            raise ConflictError("Someone else saved this athlete's row first.", current_version=existing.version)
        row = ScreeningEntryRow(screening_id=entry.screening_id, patient_id=entry.patient_id)
        session.add(row)
        return row

    @staticmethod
    def _row_at(session: Session, entry: ScreeningEntry) -> ScreeningEntryRow:
        row = session.get(ScreeningEntryRow, entry.id)
        if row is None:
            raise RecordNotFound("This row of the worksheet no longer exists.")
        if (row.screening_id, row.patient_id) != (entry.screening_id, entry.patient_id):
            raise ValueError("a worksheet row stays with its screening and athlete")
        if row.version != entry.version:
            raise ConflictError("Someone else changed this athlete's row after you opened it.",
                                current_version=row.version)  # fmt: skip
        return row

    def complete(
        self, screening_id: int, version: int, observations: Sequence[Observation], *, by: int | None, at: datetime
    ) -> Screening:
        if any(observation.corrects_id is not None for observation in observations):
            raise ValueError("a screening stores first recordings, never corrections")
        with self._sessions.write() as session:
            row = _locked(session, screening_id)
            if row.status != _OPEN:
                raise ConflictError("This screening has been completed already.", current_version=row.version)
            if row.version != version:
                raise ConflictError("Someone else changed this screening after you opened it.",
                                    current_version=row.version)  # fmt: skip
            _check_athletes(session, screening_id, observations)
            row.status = _COMPLETED
            row.completed_at = as_utc(at)
            row.completed_by = by
            session.flush()  # UPDATE ... WHERE version = the one read
            _store_observations(session, screening_id, observations, by)
            return screening_from_row(row)

    def results(self, squad_id: int) -> list[ScreeningResult]:
        with self._sessions.read() as session:
            linked = session.execute(_linked_observations(squad_id)).all()
            later_of = {row.corrects_id: row for row in session.execute(_corrections(squad_id))}
        values: dict[tuple[Any, int, int], dict[str, float]] = {}
        for link in linked:
            key = _KEY_OF.get((link.code, link.side))
            if key is None:
                continue  # not a column of the grid (a screening stores only those)
            current = link
            while current.id in later_of:
                current = later_of[current.id]
            values.setdefault((link.held_on, link.screening_id, link.patient_id), {})[key] = current.value
        return [
            ScreeningResult(screening_id, patient_id, held_on, athlete_values)
            for (held_on, screening_id, patient_id), athlete_values in sorted(values.items())
        ]


def _check_athletes(session: Session, screening_id: int, observations: Sequence[Observation]) -> None:
    """Every observation is of an athlete with a row in the worksheet (ValueError: a bug in the caller)."""
    athletes = set(
        session.scalars(select(ScreeningEntryRow.patient_id).where(ScreeningEntryRow.screening_id == screening_id))
    )
    if any(observation.patient_id not in athletes for observation in observations):
        raise ValueError("a screening stores observations of the athletes in its worksheet only")


def _store_observations(
    session: Session, screening_id: int, observations: Sequence[Observation], by: int | None
) -> None:
    """Insert the observations as the observation repository stores them, and link each to the screening."""
    now = datetime.now(UTC)
    for batch in _batches(observations):
        rows = [{**observation_values(o, now), "corrects_id": None, "correction_reason": "",
                 "recorded_by": o.recorded_by if o.recorded_by is not None else by} for o in batch]  # fmt: skip
        session.execute(insert(ObservationRow), rows)
        uids = [o.uid for o in batch]
        ids = session.scalars(select(ObservationRow.id).where(ObservationRow.uid.in_(uids))).all()
        links = [{"screening_id": screening_id, "observation_id": observation_id} for observation_id in ids]
        session.execute(insert(ScreeningObservationRow), links)


def _completed_links() -> Any:
    return (
        select(ScreeningObservationRow.observation_id, ScreeningObservationRow.screening_id, ScreeningRow.held_on)
        .join(ScreeningRow, ScreeningRow.id == ScreeningObservationRow.screening_id)
        .where(ScreeningRow.status == _COMPLETED)
    )


def _linked_observations(squad_id: int) -> Any:
    """Each observation a completed screening of the squad stored, as first recorded."""
    links = _completed_links().where(ScreeningRow.squad_id == squad_id).subquery()
    return select(
        ObservationRow.id, ObservationRow.patient_id, ObservationRow.code, ObservationRow.side, ObservationRow.value,
        links.c.screening_id, links.c.held_on,
    ).join(links, links.c.observation_id == ObservationRow.id)  # fmt: skip


def _corrections(squad_id: int) -> Any:
    """Every correction of an observation of the athletes those screenings measured (chains are short)."""
    links = _completed_links().where(ScreeningRow.squad_id == squad_id).subquery()
    athletes = select(ObservationRow.patient_id).join(links, links.c.observation_id == ObservationRow.id)
    return select(ObservationRow.id, ObservationRow.corrects_id, ObservationRow.value).where(
        ObservationRow.corrects_id.is_not(None), ObservationRow.patient_id.in_(athletes)
    )
