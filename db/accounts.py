"""Accounts and failed logins on SQLAlchemy (implements ``workstation.ports.UserRepository``).

User names are unique by ``user_key`` (case- and accent-folded), so "SamO" and "samo" cannot both
exist. Accounts are never deleted. Failed logins live in the database, not in a workstation's memory,
so the lockout counts every attempt on every computer (RELIABILITY.md D3).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, exc, func, select

from db.mapping import as_utc, user_from_row, user_values
from db.models import FailedLoginRow, UserRow
from db.sessions import Sessions
from workstation.errors import CalfDeskError, ConflictError, RecordNotFound
from workstation.security.accounts import User, user_key


def _name_taken() -> CalfDeskError:
    return CalfDeskError(
        "That user name is taken.",
        hint="Choose another. Names that differ only in capitals or accents count as the same name.",
    )


def _no_such_user() -> RecordNotFound:
    return RecordNotFound("This account no longer exists.")


class SqlUserRepository:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, user: User) -> User:
        """Insert ``user``; raise CalfDeskError if its name (by ``user_key``) is taken."""
        key = user_key(user.user_name)
        try:
            with self._sessions.write() as session:
                if session.scalar(select(UserRow.id).where(UserRow.user_key == key)) is not None:
                    raise _name_taken()
                now = datetime.now(UTC)
                row = UserRow(**user_values(user), created_at=now, updated_at=now)
                session.add(row)
                session.flush()
                return user_from_row(row)
        except exc.IntegrityError:
            # Another workstation took the name between our check and our insert (PostgreSQL).
            raise _name_taken() from None

    def update(self, user: User) -> User:
        """Save changes made to ``user.version``; a stale version raises ConflictError, nothing written."""
        if user.id is None:
            raise ValueError("update() needs a saved user")
        key = user_key(user.user_name)
        try:
            with self._sessions.write() as session:
                row = session.get(UserRow, user.id)
                if row is None:
                    raise _no_such_user()
                if row.version != user.version:
                    raise ConflictError(
                        "Someone else changed this account after you opened it.", current_version=row.version
                    )
                if key != row.user_key and session.scalar(select(UserRow.id).where(UserRow.user_key == key)):
                    raise _name_taken()
                for name, value in user_values(user).items():
                    setattr(row, name, value)
                row.updated_at = datetime.now(UTC)
                session.flush()
                return user_from_row(row)
        except exc.IntegrityError:
            raise _name_taken() from None

    def get(self, user_id: int) -> User:
        with self._sessions.read() as session:
            row = session.get(UserRow, user_id)
            if row is None:
                raise _no_such_user()
            return user_from_row(row)

    def find_by_name(self, user_name: str) -> User | None:
        query = select(UserRow).where(UserRow.user_key == user_key(user_name))
        with self._sessions.read() as session:
            row = session.scalar(query)
            return user_from_row(row) if row else None

    def all(self) -> list[User]:
        """Active accounts first, then by ``user_key``; sorted here so both backends agree on the order."""
        with self._sessions.read() as session:
            users = [user_from_row(row) for row in session.scalars(select(UserRow))]
        return sorted(users, key=lambda u: (not u.active, user_key(u.user_name), u.id or 0))

    def count(self) -> int:
        with self._sessions.read() as session:
            return session.scalar(select(func.count()).select_from(UserRow)) or 0

    def record_failed_login(self, user_id: int, at: datetime) -> None:
        """Count one failure against the account; RecordNotFound if there is no such account."""
        try:
            with self._sessions.write() as session:
                session.add(FailedLoginRow(user_id=user_id, failed_at=as_utc(at)))
        except exc.IntegrityError:
            raise _no_such_user() from None

    def failed_logins_since(self, user_id: int, since: datetime) -> list[datetime]:
        """The failures at or after ``since``, oldest first, in UTC."""
        query = (
            select(FailedLoginRow.failed_at)
            .where(FailedLoginRow.user_id == user_id, FailedLoginRow.failed_at >= as_utc(since))
            .order_by(FailedLoginRow.failed_at, FailedLoginRow.id)
        )
        with self._sessions.read() as session:
            return [as_utc(moment) for moment in session.scalars(query)]

    def clear_failed_logins(self, user_id: int) -> None:
        with self._sessions.write() as session:
            session.execute(delete(FailedLoginRow).where(FailedLoginRow.user_id == user_id))
