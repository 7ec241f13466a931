"""Between the squad tables (migration 0009) and ``workstation.squads.records``, field by field, and the
inserts of clubs and squads that ``db.squads`` and ``db.squad_import`` share."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.mapping import as_utc
from db.models import ClubRow, ScreeningEntryRow, ScreeningRow, SquadMemberRow, SquadRow
from workstation.errors import CalfDeskError, RecordNotFound
from workstation.squads.records import (
    SCREENING_KEYS,
    Club,
    Membership,
    Screening,
    ScreeningEntry,
    ScreeningStatus,
    Squad,
)
from workstation.squads.squad_rules import name_key


def club_values(club: Club) -> dict[str, Any]:
    return {"uid": club.uid, "name": club.name, "name_key": name_key(club.name)}


def club_from_row(row: ClubRow) -> Club:
    return Club(name=row.name, id=row.id, uid=row.uid, version=row.version)


def squad_values(squad: Squad) -> dict[str, Any]:
    """Column values for ``squad`` (without id and version). The season is kept as typed, trimmed."""
    return {
        "uid": squad.uid,
        "club_id": squad.club_id,
        "name": squad.name,
        "name_key": name_key(squad.name),
        "season": squad.season.strip(),
        "coach_name": squad.coach_name,
        "coach_email": squad.coach_email,
        "coach_phone": squad.coach_phone,
        "archived": squad.archived,
    }


def squad_from_row(row: SquadRow) -> Squad:
    return Squad(
        club_id=row.club_id, name=row.name, season=row.season, coach_name=row.coach_name,
        coach_email=row.coach_email, coach_phone=row.coach_phone, archived=row.archived, id=row.id, uid=row.uid,
        version=row.version,
    )  # fmt: skip


def membership_from_row(row: SquadMemberRow) -> Membership:
    return Membership(
        squad_id=row.squad_id, patient_id=row.patient_id, joined_on=row.joined_on, left_on=row.left_on, id=row.id,
        uid=row.uid, version=row.version,
    )  # fmt: skip


def screening_from_row(row: ScreeningRow) -> Screening:
    return Screening(
        squad_id=row.squad_id, held_on=row.held_on, status=ScreeningStatus(row.status), started_by=row.started_by,
        completed_at=as_utc(row.completed_at) if row.completed_at is not None else None,
        completed_by=row.completed_by, id=row.id, uid=row.uid, version=row.version,
    )  # fmt: skip


def values_json(values: Mapping[str, float]) -> str:
    """The worksheet values as stored: a JSON object of finite numbers, keys in SCREENING_KEYS order.

    Raises:
        ValueError: a key is not a screening measure, or a value is not a finite number (bugs: the
            service validates what was typed).
    """
    unknown = set(values) - set(SCREENING_KEYS)
    if unknown:
        raise ValueError(f"not screening measures: {sorted(unknown)}")
    stored = {key: float(values[key]) for key in SCREENING_KEYS if key in values}
    if not all(math.isfinite(value) for value in stored.values()):
        raise ValueError("screening values are finite numbers")
    return json.dumps(stored, separators=(",", ":"))


def entry_from_row(row: ScreeningEntryRow) -> ScreeningEntry:
    values = {key: float(value) for key, value in json.loads(row.values_json).items()}
    return ScreeningEntry(
        screening_id=row.screening_id, patient_id=row.patient_id, values=values, note=row.note, id=row.id,
        version=row.version,
    )  # fmt: skip


_Row = TypeVar("_Row", ClubRow, SquadRow, SquadMemberRow)


def inserted(session: Session, model: type[_Row], values: dict[str, Any]) -> _Row | None:
    """Insert unless the row clashes with a unique key; the row stored under ``values["uid"]``, if any.

    ON CONFLICT with no target: a clash on the uid (a retry: the first attempt's row is returned) and a
    clash on a name or an open membership (None: the caller says which) are both left to the caller.
    On PostgreSQL the unique index makes the INSERT wait for a first attempt still committing.
    """
    insert_on = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert_on(model).values(**values, version=1).on_conflict_do_nothing())
    return session.scalars(select(model).where(model.uid == values["uid"])).one_or_none()


def is_unique_violation(error: IntegrityError) -> bool:
    """A unique key refused the row (PostgreSQL's SQLSTATE 23505, SQLite's UNIQUE constraint)."""
    original = error.orig
    return getattr(original, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(original)


def club_exists() -> CalfDeskError:
    return CalfDeskError("There is already a club of that name.", hint="Choose another name, or use that club.")


def squad_exists() -> CalfDeskError:
    return CalfDeskError(
        "This club already has a squad of that name for that season.", hint="Choose another name or season."
    )


def club_gone() -> RecordNotFound:
    return RecordNotFound("This club no longer exists.")


def insert_club(session: Session, club: Club) -> ClubRow:
    """Store ``club`` in the caller's transaction (or find it by uid). CalfDeskError if the name is taken."""
    stored = inserted(session, ClubRow, club_values(club))
    if stored is None:
        raise club_exists()
    return stored


def insert_squad(session: Session, squad: Squad) -> SquadRow:
    """Store ``squad`` in the caller's transaction (or find it by uid).

    Raises:
        RecordNotFound: its club is gone.
        CalfDeskError: the club has a squad of that name and season.
    """
    stored = session.scalars(select(SquadRow).where(SquadRow.uid == squad.uid)).one_or_none()
    if stored is not None:
        return stored
    if session.get(ClubRow, squad.club_id) is None:
        raise club_gone()
    stored = inserted(session, SquadRow, squad_values(squad))
    if stored is None:
        raise squad_exists()
    return stored
