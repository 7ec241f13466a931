"""Open a CalfDesk database: choose the engine, refuse unsafe places, migrate, wire the repositories."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, text

from db.backup import BackupReport
from db.engine import create_postgresql_engine, create_sqlite_engine, sqlite_is_writable
from db.errors import translated
from db.location import refuse_unsafe_location
from db.repositories import SqlEpisodeRepository, SqlObservationRepository, SqlPatientRepository
from db.schema import upgrade
from db.sessions import Sessions
from db.urls import DatabaseTarget, resolve
from workstation.errors import CalfDeskError

log = logging.getLogger(__name__)


class Store:
    """An open database (implements ``workstation.ports.ClinicStore``)."""

    def __init__(self, engine: Engine, target: DatabaseTarget, *, read_only: bool) -> None:
        self.engine = engine
        self.target = target
        self._sessions = Sessions(engine, read_only=read_only)
        self.patients = SqlPatientRepository(self._sessions)
        self.episodes = SqlEpisodeRepository(self._sessions)
        self.observations = SqlObservationRepository(self._sessions)
        self.migration_backup: BackupReport | None = None

    @property
    def description(self) -> str:
        return self.target.description

    @property
    def read_only(self) -> bool:
        return self._sessions.read_only

    @property
    def is_sqlite(self) -> bool:
        return self.target.is_sqlite

    def close(self) -> None:
        self.engine.dispose()


def open_database(
    url: str | None = None, *, read_only: bool = False, backup_dir: Path | None = None
) -> Store:
    """Open (creating if needed) the database at ``url``; the default is the SQLite file in the user's
    data folder. The schema is brought up to date first, after a verified backup of an existing file.

    Raises:
        CalfDeskError: with a message for the user (unsafe location, unreachable server, not ours, ...).
    """
    target = resolve(url)
    if target.sqlite_path is not None:
        return _open_sqlite(target, read_only=read_only, backup_dir=backup_dir)
    return _open_postgresql(target)


def _open_sqlite(target: DatabaseTarget, *, read_only: bool, backup_dir: Path | None) -> Store:
    path = target.sqlite_path
    assert path is not None
    refuse_unsafe_location(path)
    if not read_only and not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CalfDeskError(
                f"The folder for the database cannot be created ({error.strerror})."
            ) from None
    read_only = read_only or not sqlite_is_writable(target)
    if read_only and not path.exists():
        raise CalfDeskError(f"There is no database file at {path}.")
    engine = create_sqlite_engine(target, read_only=read_only)
    store = Store(engine, target, read_only=read_only)
    try:
        with translated():
            _quick_check(engine)
            if not read_only:
                store.migration_backup = upgrade(engine, target, backup_dir)
    except BaseException:
        engine.dispose()
        raise
    log.info("opened SQLite database (read_only=%s)", read_only)
    return store


def _quick_check(engine: Engine) -> None:
    with engine.connect() as connection:
        result = connection.execute(text("PRAGMA quick_check")).scalar()
    if result != "ok":
        raise CalfDeskError(
            "The database file is damaged (its quick check failed).",
            hint="Nothing has been changed. Restore the most recent backup, or ask for help.",
        )


def _open_postgresql(target: DatabaseTarget) -> Store:
    engine = create_postgresql_engine(target)
    try:
        with translated():
            upgrade(engine, target, None)
    except BaseException:
        engine.dispose()
        raise
    log.info("opened PostgreSQL database")
    return Store(engine, target, read_only=False)
