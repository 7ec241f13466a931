"""The two kinds of error.

A ``CalfDeskError`` is an expected failure the user can act on (a locked database, a full disk, a
conflicting edit, a bad file). Its message is written for a clinician and never names a patient.
Anything that is not a ``CalfDeskError`` is a bug and goes to the crash handler.
"""

from __future__ import annotations

from workstation.problems import Problem


class CalfDeskError(Exception):
    """An expected failure with a message a clinician understands."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class ValidationFailed(CalfDeskError):
    """A record was refused because some fields are wrong; ``problems`` names each one."""

    def __init__(self, problems: list[Problem]) -> None:
        fields = ", ".join(sorted({p.field for p in problems}))
        super().__init__(f"Please correct: {fields}.")
        self.problems = problems


class RecordNotFound(CalfDeskError):
    """The record was deleted or never existed."""


class ConflictError(CalfDeskError):
    """Someone else saved a newer version of this record since it was opened."""

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        super().__init__(
            message,
            hint="Reload to see their change, or keep yours and review the differences before saving.",
        )
        self.current_version = current_version


class DatabaseUnavailable(CalfDeskError):
    """The database cannot be used right now: locked, full, read-only or unreachable."""


class DatabaseLocked(DatabaseUnavailable):
    """Another program holds the database."""


class DiskFull(DatabaseUnavailable):
    """There is no room left to save."""


class ReadOnlyDatabase(DatabaseUnavailable):
    """The file or its medium cannot be written."""


class ServerUnreachable(DatabaseUnavailable):
    """The PostgreSQL server does not answer."""


class UnsafeDatabaseLocation(CalfDeskError):
    """A SQLite file on a network share or cloud-sync folder, where it can be corrupted."""


class DamagedDatabase(CalfDeskError):
    """The database file failed SQLite's quick check: it is opened read-only, never written."""


class PermissionDenied(CalfDeskError):
    """The logged-in person's role does not allow this (enforced in the services, not only in the UI)."""


class AuthenticationFailed(CalfDeskError):
    """A login or re-authentication was refused. The message never says whether the name exists."""


class AccountLocked(AuthenticationFailed):
    """Too many failed logins: the account is locked for a while (RELIABILITY.md D3)."""


class BackupFailed(CalfDeskError):
    """A backup could not be written or did not verify."""


class LetterDamaged(CalfDeskError):
    """A stored letter's PDF no longer matches the SHA-256 taken when it was finalised: it is not shown."""


__all__ = [
    "AccountLocked",
    "AuthenticationFailed",
    "BackupFailed",
    "CalfDeskError",
    "ConflictError",
    "DamagedDatabase",
    "DatabaseLocked",
    "DatabaseUnavailable",
    "DiskFull",
    "LetterDamaged",
    "PermissionDenied",
    "Problem",
    "ReadOnlyDatabase",
    "RecordNotFound",
    "ServerUnreachable",
    "UnsafeDatabaseLocation",
    "ValidationFailed",
]
