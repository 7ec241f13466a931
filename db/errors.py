"""Turn driver exceptions into the failures a clinician can act on.

SQLite reports a full disk as SQLITE_FULL and may already have rolled the transaction back by the time we
see it (RELIABILITY.md B2), so callers never issue a blind ROLLBACK: the session's context manager checks
``in_transaction`` first. Messages never contain record values.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError

from db import cipher
from workstation.errors import (
    CalfDeskError,
    ConflictError,
    DatabaseLocked,
    DatabaseUnavailable,
    DiskFull,
    ReadOnlyDatabase,
    ServerUnreachable,
)
from workstation.privacy.restriction import TRIGGER_REFUSAL, ProcessingRestricted

_LOCKED = DatabaseLocked(
    "The database is in use by another program.",
    hint="Nothing was lost. Wait a moment and try again; if it persists, close other copies of CalfDesk.",
)
_FULL = DiskFull(
    "The disk is full, so this could not be saved.",
    hint="Nothing already saved was lost and your typing is kept. Free some space, then save again.",
)
_READ_ONLY = ReadOnlyDatabase(
    "The database can only be read on this computer (read-only file or media).",
    hint="You can look at records but not change them.",
)
_IO = DatabaseUnavailable(
    "The computer could not write to the database file.",
    hint="Nothing already saved was lost and your typing is kept. Check the disk, then save again.",
)
_NOT_OURS = CalfDeskError(
    "This file is not a CalfDesk database, or it is damaged.",
    hint="Choose another file, or restore from a backup.",
)
_SERVER = ServerUnreachable(
    "The database server is not answering.",
    hint="Nothing already saved was lost and your typing is kept. Check the network, then try again.",
)

_SQLITE_ERRORS: dict[str, CalfDeskError] = {
    "SQLITE_BUSY": _LOCKED,
    "SQLITE_LOCKED": _LOCKED,
    "SQLITE_FULL": _FULL,
    "SQLITE_READONLY": _READ_ONLY,
    "SQLITE_NOTADB": _NOT_OURS,
    "SQLITE_CORRUPT": _NOT_OURS,
    "SQLITE_IOERR": _IO,
    "SQLITE_CANTOPEN": DatabaseUnavailable(
        "The database file cannot be opened.", hint="Check that the folder exists and you may write to it."
    ),
}


def translate(error: BaseException) -> CalfDeskError | None:
    """The user-facing failure for a driver error, or None if it is a bug."""
    if isinstance(error, CalfDeskError):
        return error
    if isinstance(error, StaleDataError):
        return ConflictError("Someone else changed this record after you opened it.")
    original = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    if TRIGGER_REFUSAL in str(original):  # migration 0005's triggers, on either backend
        return ProcessingRestricted()
    if isinstance(original, cipher.Error):
        return _sqlite_error(original)
    if isinstance(error, sa_exc.DBAPIError) and (error.connection_invalidated or _is_psycopg_operational(original)):
        return _SERVER
    if isinstance(error, sa_exc.TimeoutError):
        return _SERVER
    return None


def _sqlite_error(error: Any) -> CalfDeskError | None:
    name = getattr(error, "sqlite_errorname", "") or ""
    for prefix, failure in _SQLITE_ERRORS.items():
        if name == prefix or name.startswith(prefix + "_"):
            return failure
    text = str(error).lower()
    if "locked" in text:
        return _LOCKED
    if "disk is full" in text:
        return _FULL
    if "readonly" in text or "read-only" in text:
        return _READ_ONLY
    return None


def _is_psycopg_operational(error: BaseException | None) -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)


@contextmanager
def translated() -> Iterator[None]:
    """Re-raise expected database failures as CalfDeskError; let bugs through unchanged."""
    try:
        yield
    except (sa_exc.SQLAlchemyError, cipher.Error, StaleDataError) as error:
        failure = translate(error)
        if failure is None:
            raise
        raise _fresh(failure) from error


def _fresh(failure: CalfDeskError) -> CalfDeskError:
    """A new exception object each time, so tracebacks of earlier failures are not chained on."""
    if isinstance(failure, ConflictError):
        return ConflictError(failure.message)
    return type(failure)(failure.message, hint=failure.hint)
