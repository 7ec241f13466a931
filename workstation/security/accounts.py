"""Accounts and the person acting: the records every layer passes around (no secrets beyond the hash).

A user name is what someone types to log in; it is compared case-insensitively (``user_key``), so
"SamO" and "samo" are one account. Accounts are deactivated, never deleted: the audit trail keeps
pointing at a real row.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from workstation.text import fold


class Role(StrEnum):
    ADMIN = "admin"  # the practice owner and whoever runs the practice: users, audit, settings, and all care
    CLINICIAN = "clinician"  # full clinical access
    CLUB = "club"  # squads, availability, contact details; clinical only as the shared summary, with consent
    RECEPTION = "reception"  # demographics and GP details only

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.CLINICIAN: "Clinician",
    Role.CLUB: "Club staff",
    Role.RECEPTION: "Reception",
}


def user_key(user_name: str) -> str:
    """The form a user name is looked up by: trimmed, case- and accent-folded."""
    return fold(user_name.strip())


@dataclass(frozen=True, slots=True)
class User:
    user_name: str
    display_name: str
    role: Role
    password_hash: str  # an argon2id PHC string: algorithm, parameters, salt and hash in one
    is_owner: bool = False
    active: bool = True
    must_change_password: bool = False  # set by an admin's reset: the next login must choose a new one
    id: int | None = None
    version: int = 0
    created_at: datetime | None = None

    def __repr__(self) -> str:  # never the hash
        return f"User(id={self.id}, role={self.role.value}, active={self.active})"

    def with_changes(self, **changes: object) -> User:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Actor:
    """The logged-in person as the services and the audit see them."""

    user_id: int
    user_name: str
    role: Role
    workstation: str = field(default="")  # the computer's name (IHE ATNA NetworkAccessPointID)
