"""The athlete import's one transaction (``SqlSquads.import_athletes``): all of it is stored, or none.

Speed matters: a club's file of 10,000 athletes must commit in well under a second on SQLite, so new
patients and memberships go in as Core executemany batches (about 20x faster than ORM objects,
TOOLCHAIN.md), never one ORM object at a time. New patients' rows are built exactly as
``SqlPatientRepository.add`` builds them (``patient_values``: sort key included). Patients whose blank
fields the import fills are saved through the ORM instead, so each UPDATE names the version it was read
at (RELIABILITY.md I1, I3); their rows are locked first, so no one can change them between the check
and the write. Progress is reported between batches of ``BATCH``, and a cancel seen there raises
``Cancelled`` out of the transaction, which rolls everything back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from itertools import islice
from typing import TypeVar

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.mapping import patient_values
from db.models import Base, PatientRow, SquadMemberRow, SquadRow
from db.squad_rows import insert_club, insert_squad, is_unique_violation, squad_from_row
from workstation.errors import CalfDeskError, ConflictError, RecordNotFound
from workstation.long_work import Progress, check_cancelled
from workstation.records import Patient, new_uid
from workstation.squads.records import Club, ImportOutcome, Squad

BATCH = 1_000  # rows per statement and per progress report; well inside every backend's parameter limit
_T = TypeVar("_T")
# Core statements on the tables, not ORM-enabled ones: the ORM's bulk path costs four times the INSERT itself.
_INSERT_PATIENT = insert(Base.metadata.tables["patient"])
_INSERT_MEMBER = insert(Base.metadata.tables["squad_member"])


def _batches(items: Sequence[_T]) -> Iterator[list[_T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH)):
        yield batch


@dataclass
class _Steps:
    """Counts the rows written, reports them, and stops the import when the user cancels."""

    progress: Progress
    total: int
    done: int = 0

    def before_batch(self) -> None:
        check_cancelled(self.progress)

    def after_batch(self, rows: int, status: str) -> None:
        self.done += rows
        self.progress.report(self.done, self.total, status)


def import_athletes(
    session: Session,
    squad: Squad,
    new_patients: Sequence[Patient],
    updated_patients: Sequence[Patient],
    existing_ids: Sequence[int],
    joined_on: date,
    progress: Progress,
    *,
    new_club: Club | None = None,
) -> ImportOutcome:
    """Store one import in the caller's transaction (``workstation.ports.SquadRepository.import_athletes``).

    Raises:
        Cancelled: the user stopped it (the caller's transaction rolls back).
        ConflictError: an updated patient was saved by someone else after it was read.
        RecordNotFound: the squad, its club, or a patient to update or enrol is gone.
        CalfDeskError: a new patient's uid is held already (the import was saved before), or the squad's
            (or the new club's) name is taken.
    """
    joining = list(dict.fromkeys(existing_ids))
    steps = _Steps(progress, total=len(updated_patients) + 2 * len(new_patients) + len(joining))
    steps.before_batch()
    squad_row = _squad_of(session, squad, new_club)
    _save_updated(session, updated_patients, steps)
    new_ids = _insert_new(session, new_patients, steps)
    already = _already_members(session, squad_row.id, joining)
    steps.done += len(already)  # counted, not written
    enrolled = [*new_ids, *(patient_id for patient_id in joining if patient_id not in already)]
    _enrol(session, squad_row.id, enrolled, joined_on, steps)
    steps.before_batch()  # a cancel after the last batch still keeps nothing
    return ImportOutcome(
        squad=squad_from_row(squad_row), created=len(new_ids), merged=len(updated_patients), joined=len(enrolled),
        already_members=len(already),
    )  # fmt: skip


def _squad_of(session: Session, squad: Squad, new_club: Club | None) -> SquadRow:
    if squad.id is not None:
        row = session.get(SquadRow, squad.id)
        if row is None:
            raise RecordNotFound("This squad no longer exists.")
        return row
    if new_club is not None:
        squad = replace(squad, club_id=insert_club(session, new_club).id)
    return insert_squad(session, squad)


def _save_updated(session: Session, patients: Sequence[Patient], steps: _Steps) -> None:
    for batch in _batches(patients):
        steps.before_batch()
        ids = [patient.id for patient in batch]
        query = select(PatientRow).where(PatientRow.id.in_(ids)).with_for_update()
        rows = {row.id: row for row in session.scalars(query)}
        now = datetime.now(UTC)
        for patient in batch:
            row = rows.get(patient.id)  # type: ignore[arg-type]
            if row is None:
                raise RecordNotFound("A patient's record this import would update no longer exists.")
            if row.version != patient.version:
                raise ConflictError(
                    "Someone else saved a patient's record after the file was checked; nothing was imported.",
                    current_version=row.version,
                )
            for name, value in patient_values(patient).items():
                if name != "uid":
                    setattr(row, name, value)
            row.updated_at = now
        session.flush()  # each UPDATE ... WHERE version = the one read
        steps.after_batch(len(batch), "Updating the patients already held")


def _insert_new(session: Session, patients: Sequence[Patient], steps: _Steps) -> list[int]:
    """Insert the new patients; their ids, in their order."""
    if len({patient.uid for patient in patients}) != len(patients):
        raise ValueError("each new patient of an import has a uid of its own")
    if not patients:
        return []
    connection = session.connection()
    before = connection.execute(select(func.max(PatientRow.id))).scalar() or 0
    now = datetime.now(UTC)
    try:
        for batch in _batches(patients):
            steps.before_batch()
            rows = [{**patient_values(p), "version": 1, "created_at": now, "updated_at": now} for p in batch]
            connection.execute(_INSERT_PATIENT, rows)
            steps.after_batch(len(batch), "Adding the new patients")
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        # The uid is the only unique key the rows give: a record of this import is held already.
        raise CalfDeskError(
            "Some of these athletes' records are held already, so this import may have been saved before. "
            "Nothing was imported this time.",
            hint="Check the file again: athletes already held are then matched, not added.",
        ) from None
    return _ids_of(connection, [patient.uid for patient in patients], before)


def _ids_of(connection: Connection, uids: Sequence[str], before: int) -> list[int]:
    """The ids ``uids`` were just stored under, in their order, read in one pass: new ids are above every id
    held before (SQLite gives max + 1, PostgreSQL's sequence only rises; any other rows read meanwhile are
    ignored). Any not found that way are looked up by uid (SQLite past the largest id picks at random)."""
    wanted = set(uids)
    found = connection.execute(select(PatientRow.uid, PatientRow.id).where(PatientRow.id > before))
    stored = {uid: patient_id for uid, patient_id in found if uid in wanted}
    for batch in _batches([uid for uid in uids if uid not in stored]):
        looked_up = connection.execute(select(PatientRow.uid, PatientRow.id).where(PatientRow.uid.in_(batch)))
        stored.update((uid, patient_id) for uid, patient_id in looked_up)
    return [stored[uid] for uid in uids]


def _already_members(session: Session, squad_id: int, patient_ids: Sequence[int]) -> set[int]:
    """Those of ``patient_ids`` who are current members of the squad. RecordNotFound if one is gone."""
    found: set[int] = set()
    members: set[int] = set()
    for batch in _batches(patient_ids):
        found.update(session.scalars(select(PatientRow.id).where(PatientRow.id.in_(batch))))
        current = select(SquadMemberRow.patient_id).where(
            SquadMemberRow.squad_id == squad_id, SquadMemberRow.left_on.is_(None), SquadMemberRow.patient_id.in_(batch)
        )
        members.update(session.scalars(current))
    if len(found) != len(patient_ids):
        raise RecordNotFound("A patient's record this import would add to the squad no longer exists.")
    return members


def _enrol(session: Session, squad_id: int, patient_ids: Sequence[int], joined_on: date, steps: _Steps) -> None:
    """Start a membership from ``joined_on`` for each of ``patient_ids``."""
    for batch in _batches(patient_ids):
        steps.before_batch()
        rows = [{"uid": new_uid(), "squad_id": squad_id, "patient_id": patient_id, "joined_on": joined_on,
                 "left_on": None, "version": 1} for patient_id in batch]  # fmt: skip
        try:
            session.connection().execute(_INSERT_MEMBER, rows)
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            # The open-membership index: another workstation added one of them to the squad meanwhile.
            raise ConflictError(
                "Someone else added athletes to this squad meanwhile; nothing was imported.",
            ) from None
        steps.after_batch(len(batch), "Adding the athletes to the squad")
