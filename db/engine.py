"""Create the SQLAlchemy engine with the settings that keep records safe.

SQLite (ARCHITECTURE.md section 4, RELIABILITY.md A1): WAL, synchronous=FULL, foreign keys, a 5 s busy
timeout and secure_delete, set on every new connection and read back to prove they took. Writes begin
with BEGIN IMMEDIATE so two writers queue instead of deadlocking on a lock upgrade (B3). PostgreSQL: connect
and statement timeouts and a pre-ping, so a dead server surfaces as an error instead of a hang (B5, B6).
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from db import cipher
from db.urls import DatabaseTarget
from workstation.errors import CalfDeskError

BUSY_TIMEOUT_MS = 5_000
PG_CONNECT_TIMEOUT_S = 5
PG_STATEMENT_TIMEOUT_MS = 10_000  # B6: app-level deadline (proposal 10 s)
PG_IDLE_IN_TRANSACTION_MS = 300_000  # B8

REQUIRED_SQLITE_PRAGMAS = {
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    "secure_delete": 1,
}
WRITE = {"calfdesk_write": True}  # execution option: begin this transaction with BEGIN IMMEDIATE


def sqlite_is_writable(target: DatabaseTarget) -> bool:
    path = target.sqlite_path
    assert path is not None
    folder = path.parent
    if path.exists():
        return os.access(path, os.W_OK) and os.access(folder, os.W_OK)
    return folder.exists() and os.access(folder, os.W_OK)


def create_sqlite_engine(target: DatabaseTarget, *, read_only: bool, key: bytes | None = None) -> Engine:
    """An engine on the SQLite file of ``target``, encrypted with ``key`` (None: a plain file)."""
    path = target.sqlite_path
    assert path is not None

    def connect() -> Any:
        connection = cipher.connect(path, key, read_only=read_only, timeout=BUSY_TIMEOUT_MS / 1000)
        if key is not None and path.exists():
            try:
                cipher.assert_opens(connection)  # a wrong key says so, not "not a database"
            except BaseException:
                connection.close()
                raise
        return connection

    # "sqlite://" would make SQLAlchemy pick the single-connection pool meant for :memory:. module=: the
    # dialect wraps SQLCipher's exceptions (and never loads the standard library's second SQLite, A6).
    engine = create_engine(
        "sqlite://", module=cipher.sqlite, creator=connect, poolclass=QueuePool, pool_size=3, max_overflow=2
    )
    event.listen(engine, "connect", _sqlite_on_connect(read_only))
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(read_only: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: object) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own transaction handling would
        # begin lazily and never IMMEDIATE). (sqlcipher3 has no setlimit(): field maxima are enforced
        # by workstation.validation before anything reaches the database, H6.)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if not read_only:
                cursor.execute("PRAGMA journal_mode=WAL")
            for name, value in REQUIRED_SQLITE_PRAGMAS.items():
                cursor.execute(f"PRAGMA {name}={value}")
            assert_sqlite_pragmas(cursor, read_only=read_only)
        finally:
            cursor.close()

    return on_connect


def assert_sqlite_pragmas(cursor: Any, *, read_only: bool) -> None:
    """Read every safety setting back; a driver or build that ignores one must not be used."""
    for name, wanted in REQUIRED_SQLITE_PRAGMAS.items():
        actual = cursor.execute(f"PRAGMA {name}").fetchone()[0]
        if actual != wanted:
            raise CalfDeskError(f"The database refused a safety setting ({name}={actual}, needs {wanted}).")
    journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    if not read_only and journal != "wal":
        raise CalfDeskError(f"The database could not switch to write-ahead logging (journal_mode={journal}).")


def _sqlite_on_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get("calfdesk_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_postgresql_engine(target: DatabaseTarget, *, deadline_s: float | None = None) -> Engine:
    """An engine on the server of ``target``; every round trip is under an app-level deadline of
    ``deadline_s`` (default ``db.deadline.DEFAULT_SECONDS``), so a server that stops answering costs a
    failed call, never a hung one (B6)."""
    from db import deadline  # imports psycopg: only when PostgreSQL is used

    options = (
        f"-c statement_timeout={PG_STATEMENT_TIMEOUT_MS} "
        f"-c idle_in_transaction_session_timeout={PG_IDLE_IN_TRANSACTION_MS}"
    )
    engine = create_engine(
        target.url,
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=2,
        pool_timeout=PG_CONNECT_TIMEOUT_S,
        connect_args={
            "connect_timeout": PG_CONNECT_TIMEOUT_S,
            "options": options,
            "application_name": "CalfDesk",
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
        },
    )
    deadline.install(engine, deadline_s or deadline.DEFAULT_SECONDS, connect_timeout_s=PG_CONNECT_TIMEOUT_S)
    return engine
