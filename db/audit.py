"""The audit log on SQLAlchemy (implements ``workstation.ports.AuditLog``; RELIABILITY.md F1-F3, F5).

Each append is a write transaction of its own that reads the last entry, seals the new one after it
(``workstation.audit.chain.sealed``) and inserts it. Appends from every workstation must queue, or two
could link to the same predecessor and fork the chain: SQLite's write transactions already begin with
BEGIN IMMEDIATE, which takes the file's write lock before the read; on PostgreSQL the transaction first
takes an advisory lock that every CalfDesk shares. The primary key on ``sequence`` is the backstop: a
fork would fail to insert rather than be stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from sqlalchemy import String, insert, select, text

from db.errors import translated
from db.mapping import as_utc, audit_entry, audit_values
from db.models import AuditEntryRow
from db.sessions import Sessions
from workstation.audit.chain import GENESIS_HASH, sealed
from workstation.audit.records import AuditEntry
from workstation.ports import AuditQuery

# The key of the PostgreSQL advisory lock that queues appends: the ASCII of "CalfAudt" as a bigint.
# Advisory locks belong to one database, so two clinics on one server do not wait for each other.
_APPEND_LOCK_KEY = 0x43616C6641756474
_STREAM_BATCH = 5_000
_ROW = AuditEntryRow
# In the order of db.mapping.audit_entry's parameters.
_COLUMNS = (
    _ROW.sequence,
    _ROW.event,
    _ROW.outcome,
    _ROW.occurred_at,
    _ROW.user_id,
    _ROW.user_name,
    _ROW.role,
    _ROW.workstation,
    _ROW.patient_id,
    _ROW.object_type,
    _ROW.object_id,
    _ROW.detail,
    _ROW.previous_hash,
    _ROW.entry_hash,
)
_LAST_LINK = select(_ROW.sequence, _ROW.entry_hash).order_by(_ROW.sequence.desc()).limit(1)
_INSERT = insert(AuditEntryRow)  # the values are bound parameters, so it is compiled once
_APPEND_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_CLIPPED = ("user_name", "role", "workstation", "object_type", "object_id", "detail")


def _column_lengths() -> dict[str, int]:
    lengths = {}
    for name in _CLIPPED:
        column_type = _ROW.__table__.c[name].type
        assert isinstance(column_type, String) and column_type.length
        lengths[name] = column_type.length
    return lengths


_LENGTHS = _column_lengths()


def _fitted(entry: AuditEntry) -> AuditEntry:
    """``entry`` with any text too long for its column shortened, marked with an ellipsis.

    PostgreSQL refuses an over-long value, and losing the whole event (a failed login with a pasted
    essay for a user name) would be worse than shortening it. It happens before sealing, so the hash
    covers exactly what is stored, and the caller gets back what was kept.
    """
    changes = {}
    for name, limit in _LENGTHS.items():
        value: str = getattr(entry, name)
        if len(value) > limit:
            changes[name] = value[: limit - 1] + "…"
    return replace(entry, **changes) if changes else entry  # type: ignore[arg-type]


class SqlAuditLog:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions
        self._is_postgresql = sessions.engine.dialect.name == "postgresql"

    def append(self, entry: AuditEntry) -> AuditEntry:
        """Number, link and store ``entry`` in one transaction; return it as stored.

        Raises:
            DatabaseUnavailable: (or a subclass) the database could not be written; nothing was stored.
            ValueError: ``entry.occurred_at`` has no time zone.
        """
        fitted = _fitted(entry)
        with self._sessions.write() as session:
            connection = session.connection()  # Core statements built once: every look at a record appends
            if self._is_postgresql:
                connection.execute(_APPEND_LOCK, {"key": _APPEND_LOCK_KEY})
            last = connection.execute(_LAST_LINK).first()
            sequence, previous = (last[0], last[1]) if last is not None else (0, GENESIS_HASH)
            stored = sealed(fitted, sequence + 1, previous)
            connection.execute(_INSERT, audit_values(stored))
        return stored

    def query(self, query: AuditQuery) -> list[AuditEntry]:
        """Entries matching every filter that is set, newest (highest sequence) first."""
        statement = select(*_COLUMNS)
        if query.patient_id is not None:
            statement = statement.where(_ROW.patient_id == query.patient_id)
        if query.user_id is not None:
            statement = statement.where(_ROW.user_id == query.user_id)
        if query.event is not None:
            statement = statement.where(_ROW.event == str(query.event))
        if query.since is not None:
            statement = statement.where(_ROW.occurred_at >= as_utc(query.since))
        if query.until is not None:
            statement = statement.where(_ROW.occurred_at < as_utc(query.until))
        statement = statement.order_by(_ROW.sequence.desc())
        if query.limit is not None:
            statement = statement.limit(query.limit)
        with self._sessions.read() as session:
            return [audit_entry(row) for row in session.execute(statement)]

    def in_order(self) -> Iterator[AuditEntry]:
        """Every entry, oldest first, fetched in batches so a million entries need little memory."""
        statement = select(*_COLUMNS).order_by(_ROW.sequence)
        # The result is closed explicitly: a reader that stops early (verification ends at the first
        # broken entry) must not leave PostgreSQL's server-side cursor open.
        with (
            translated(),
            self._sessions.engine.connect() as connection,
            connection.execution_options(yield_per=_STREAM_BATCH).execute(statement) as result,
        ):
            for row in result:
                yield audit_entry(row)

    def head(self) -> tuple[int, str]:
        """(sequence, hash) of the newest entry; (0, GENESIS_HASH) when the log is empty."""
        with self._sessions.read() as session:
            last = session.execute(_LAST_LINK).first()
        return (last[0], last[1]) if last is not None else (0, GENESIS_HASH)
