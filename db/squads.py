"""Clubs, squads and their members (implements ``workstation.ports.SquadRepository``; migration 0009).

Names are compared by ``name_key`` (``db.squad_rows``), which the unique constraints hold, so two
workstations naming a club at once store one and the other is told. Inserts are idempotent on uid: a
save retried after a lost COMMIT acknowledgement finds the first attempt's row (RELIABILITY.md B7).
Changes name the version they read (I1). The athlete import is ``db.squad_import``. ``SqlScreenings``
(``db.screenings``) is re-exported here, beside the squads it belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from db.models import ClubRow, PatientRow, SquadMemberRow, SquadRow
from db.screenings import SqlScreenings
from db.sessions import Sessions
from db.squad_import import import_athletes
from db.squad_rows import (
    club_from_row,
    club_gone,
    insert_club,
    insert_squad,
    inserted,
    is_unique_violation,
    membership_from_row,
    squad_exists,
    squad_from_row,
    squad_values,
)
from workstation.errors import CalfDeskError, ConflictError, RecordNotFound
from workstation.long_work import Progress
from workstation.records import Patient
from workstation.squads.records import Club, ImportOutcome, Membership, Squad
from workstation.squads.squad_rules import name_key

__all__ = ["SqlScreenings", "SqlSquads"]


def _changed(what: str, version: int) -> ConflictError:
    return ConflictError(f"Someone else changed this {what} after you opened it.", current_version=version)


def _squad_gone() -> RecordNotFound:
    return RecordNotFound("This squad no longer exists.")


def _squad_order(rows: Sequence[Any]) -> list[Squad]:
    """(SquadRow, club name key) rows by club, then name, then season, newest season first."""
    by_season = sorted(rows, key=lambda row: (row[0].season, -row[0].id), reverse=True)
    ordered = sorted(by_season, key=lambda row: (row[1], row[0].club_id, row[0].name_key))
    return [squad_from_row(row[0]) for row in ordered]


def _current_membership(squad_id: int, patient_id: int) -> Select[SquadMemberRow]:
    return select(SquadMemberRow).where(
        SquadMemberRow.squad_id == squad_id, SquadMemberRow.patient_id == patient_id, SquadMemberRow.left_on.is_(None)
    )


class SqlSquads:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add_club(self, club: Club) -> Club:
        with self._sessions.write() as session:
            return club_from_row(insert_club(session, club))

    def clubs(self) -> list[Club]:
        with self._sessions.read() as session:
            rows = session.scalars(select(ClubRow)).all()
            return [club_from_row(row) for row in sorted(rows, key=lambda row: (row.name_key, row.id))]

    def add_squad(self, squad: Squad) -> Squad:
        with self._sessions.write() as session:
            return squad_from_row(insert_squad(session, squad))

    def update_squad(self, squad: Squad) -> Squad:
        if squad.id is None:
            raise ValueError("update_squad() needs a stored squad")
        try:
            with self._sessions.write() as session:
                row = session.get(SquadRow, squad.id)
                if row is None:
                    raise _squad_gone()
                if row.version != squad.version:
                    raise _changed("squad", row.version)
                if session.get(ClubRow, squad.club_id) is None:
                    raise club_gone()
                for name, value in squad_values(squad).items():
                    if name != "uid":
                        setattr(row, name, value)
                session.flush()  # UPDATE ... WHERE version = the one read: a change since makes it fail
                return squad_from_row(row)
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            raise squad_exists() from None  # the name and season of another squad of the club

    def get_squad(self, squad_id: int) -> Squad:
        with self._sessions.read() as session:
            row = session.get(SquadRow, squad_id)
            if row is None:
                raise _squad_gone()
            return squad_from_row(row)

    def squads(self, *, include_archived: bool = False) -> list[Squad]:
        query = select(SquadRow, ClubRow.name_key).join(ClubRow, ClubRow.id == SquadRow.club_id)
        if not include_archived:
            query = query.where(SquadRow.archived.is_(False))
        with self._sessions.read() as session:
            return _squad_order(session.execute(query).all())

    def find_squads(self, name: str) -> list[Squad]:
        query = select(SquadRow, ClubRow.name_key).join(ClubRow, ClubRow.id == SquadRow.club_id)
        with self._sessions.read() as session:
            return _squad_order(session.execute(query.where(SquadRow.name_key == name_key(name))).all())

    def members(self, squad_id: int, on: date | None = None) -> list[Membership]:
        query = select(SquadMemberRow).where(SquadMemberRow.squad_id == squad_id)
        if on is not None:
            query = query.where(
                SquadMemberRow.joined_on <= on, SquadMemberRow.left_on.is_(None) | (SquadMemberRow.left_on > on)
            )
        with self._sessions.read() as session:
            rows = session.scalars(query.order_by(SquadMemberRow.joined_on, SquadMemberRow.id))
            return [membership_from_row(row) for row in rows]

    def memberships_of(self, patient_id: int) -> list[Membership]:
        query = select(SquadMemberRow).where(SquadMemberRow.patient_id == patient_id)
        with self._sessions.read() as session:
            rows = session.scalars(query.order_by(SquadMemberRow.joined_on, SquadMemberRow.id))
            return [membership_from_row(row) for row in rows]

    def add_member(self, membership: Membership) -> Membership:
        with self._sessions.write() as session:
            stored = session.scalars(select(SquadMemberRow).where(SquadMemberRow.uid == membership.uid)).one_or_none()
            if stored is not None:
                return membership_from_row(stored)
            if session.get(SquadRow, membership.squad_id) is None:
                raise _squad_gone()
            if session.get(PatientRow, membership.patient_id) is None:
                raise RecordNotFound("This patient's record no longer exists.")
            current = session.scalars(_current_membership(membership.squad_id, membership.patient_id)).first()
            if current is None:
                values = {"uid": membership.uid, "squad_id": membership.squad_id, "patient_id": membership.patient_id,
                          "joined_on": membership.joined_on, "left_on": membership.left_on}  # fmt: skip
                # None: another workstation added the athlete at this moment (the open-membership index).
                current = inserted(session, SquadMemberRow, values)
            if current is None:
                current = session.scalars(_current_membership(membership.squad_id, membership.patient_id)).one()
            return membership_from_row(current)

    def end_membership(self, membership_id: int, left_on: date, version: int) -> Membership:
        with self._sessions.write() as session:
            row = session.get(SquadMemberRow, membership_id)
            if row is None:
                raise RecordNotFound("This squad membership no longer exists.")
            if row.version != version:
                raise _changed("squad membership", row.version)
            if left_on < row.joined_on:
                raise CalfDeskError("The day an athlete left cannot be before the day they joined.")
            row.left_on = left_on
            session.flush()  # UPDATE ... WHERE version = the one read
            return membership_from_row(row)

    def import_athletes(
        self,
        squad: Squad,
        new_patients: Sequence[Patient],
        updated_patients: Sequence[Patient],
        existing_ids: Sequence[int],
        joined_on: date,
        progress: Progress,
        *,
        new_club: Club | None = None,
    ) -> ImportOutcome:
        """One import in ONE transaction, or nothing (``db.squad_import.import_athletes`` says how).

        ``new_club``: a club to create first in the same transaction, for a squad (id None) of a club
        that does not exist yet; the squad then belongs to it whatever its ``club_id`` says.
        """
        with self._sessions.write() as session:
            return import_athletes(
                session, squad, new_patients, updated_patients, existing_ids, joined_on, progress, new_club=new_club
            )
