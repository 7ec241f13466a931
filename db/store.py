"""Open a CalfDesk database: choose the engine, refuse unsafe places, migrate, wire the repositories."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, exc, text

from db.accounts import SqlUserRepository
from db.assessments import SqlAssessmentRepository, SqlRedFlagRepository
from db.audit import SqlAuditLog
from db.drafts import SqlDraftStore
from db.engine import create_postgresql_engine, create_sqlite_engine, sqlite_is_writable
from db.errors import translated
from db.key_slots import NoKeySlots
from db.letters import SqlClinicianProfiles, SqlClinicImages, SqlLetters
from db.location import refuse_unsafe_location
from db.pg_checks import check_server
from db.repositories import SqlEpisodeRepository, SqlObservationRepository, SqlPatientRepository
from db.running import SqlRunningLog
from db.schema import is_current, upgrade
from db.sessions import Sessions
from db.settings import SqlSettingsStore
from db.squads import SqlScreenings, SqlSquads
from db.urls import DatabaseTarget, resolve
from workstation.errors import CalfDeskError, DamagedDatabase
from workstation.ports import KeySlots

if TYPE_CHECKING:
    from db.backup import BackupReport

log = logging.getLogger(__name__)
# SQLite steps between polls of a cancel: about 10,000 polls in a 100,000-patient quick check, costing
# some 5 % of it, and a cancel is seen within microseconds. (Every step would make the check 8x slower.)
_PROGRESS_STEPS = 1_000


class Store:
    """An open database (implements ``workstation.ports.ClinicStore``)."""

    def __init__(self, engine: Engine, target: DatabaseTarget, *, read_only: bool, key: bytes | None = None) -> None:
        self.engine = engine
        self.target = target
        self.sqlite_key = key  # the SQLCipher key of an encrypted file (None: PostgreSQL, or a plain file)
        self._sessions = Sessions(engine, read_only=read_only)
        self.patients = SqlPatientRepository(self._sessions)
        self.episodes = SqlEpisodeRepository(self._sessions)
        self.observations = SqlObservationRepository(self._sessions)
        self.assessments = SqlAssessmentRepository(self._sessions)
        self.red_flags = SqlRedFlagRepository(self._sessions)
        self.running_log = SqlRunningLog(self._sessions)
        self.letters = SqlLetters(self._sessions)
        self.clinician_profiles = SqlClinicianProfiles(self._sessions)
        self.clinic_images = SqlClinicImages(self._sessions)
        self.squads = SqlSquads(self._sessions)
        self.screenings = SqlScreenings(self._sessions)
        self.users = SqlUserRepository(self._sessions)
        self.audit = SqlAuditLog(self._sessions)
        self.drafts = SqlDraftStore(self._sessions)
        self.settings = SqlSettingsStore(self._sessions)
        self.key_slots: KeySlots = NoKeySlots()  # db.vault gives an encrypted file its key file's slots
        self.migration_backup: BackupReport | None = None
        # Things the user should know about this database that do not stop its use (a PostgreSQL server
        # with unsafe durability settings, ...): plain sentences, shown by the window's banner.
        self.warnings: list[str] = []
        self._check_lock = threading.Lock()
        self._checking: Any = None  # the sqlite3 connection running the quick check, if one is
        self._check_cancelled = False

    @property
    def description(self) -> str:
        return self.target.description

    @property
    def read_only(self) -> bool:
        return self._sessions.read_only

    @property
    def is_sqlite(self) -> bool:
        return self.target.is_sqlite

    def check_integrity(self) -> bool:
        """Run SQLite's quick check (a PostgreSQL server checks its own pages); a damaged file turns the
        store read-only before the error is raised, so no write can follow the failed check.

        Returns:
            True when the check found no damage; False when it was cancelled before it finished.

        Raises:
            DamagedDatabase: the quick check found damage.
        """
        if not self.is_sqlite:
            return True
        with translated(), self.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None  # a checked-out SQLite connection always has its sqlite3 object
            with self._check_lock:
                if self._check_cancelled:
                    return False
                self._checking = raw
            # interrupt() only reaches a statement that has started; a cancel that comes just before is
            # caught by the progress handler, which SQLite also calls while the check walks the pages.
            raw.set_progress_handler(lambda: self._check_cancelled, _PROGRESS_STEPS)
            try:
                result = connection.execute(text("PRAGMA quick_check")).scalar()
            except exc.OperationalError:
                if self._check_cancelled:
                    return False  # stopped on purpose: nothing is concluded
                raise  # locked, I/O error: translated() says so in plain words
            except exc.DatabaseError:
                result = "malformed"  # damage bad enough that the check itself gives up
            finally:
                raw.set_progress_handler(None, 0)
                with self._check_lock:
                    self._checking = None
        if result != "ok":
            self._sessions.read_only = True
            log.warning("quick_check failed: the database is now read-only")
            raise DamagedDatabase(
                "The database file is damaged (its quick check failed), so it is open read-only.",
                hint="Nothing has been changed. Restore the most recent backup, or ask for help.",
            )
        return True

    def cancel_integrity_check(self) -> None:
        """Stop a quick check under way on another thread (the window is closing); later ones do nothing.

        ``sqlite3.Connection.interrupt`` is the one call SQLite allows from another thread, and the
        check stops within a millisecond, where letting it finish costs a quarter of a second.
        """
        with self._check_lock:
            self._check_cancelled = True
            if self._checking is not None:
                self._checking.interrupt()

    def close(self) -> None:
        self.engine.dispose()


def open_database(
    url: str | None = None,
    *,
    read_only: bool = False,
    backup_dir: Path | None = None,
    check_integrity: bool = True,
    key: bytes | None = None,
) -> Store:
    """Open (creating if needed) the database at ``url``; the default is the SQLite file in the user's
    data folder. The schema is brought up to date first, after a verified backup of an existing file.

    ``check_integrity=False`` leaves SQLite's quick check (a quarter of a second at 100,000 patients) to
    the caller's ``Store.check_integrity()``, which the window runs on its database thread before any
    write can be queued. A file that needs migrating is always checked first.

    Raises:
        CalfDeskError: with a message for the user (unsafe location, unreachable server, not ours, ...).
    """
    target = resolve(url)
    if target.sqlite_path is not None:
        return _open_sqlite(
            target, read_only=read_only, backup_dir=backup_dir, check_integrity=check_integrity, key=key
        )
    return _open_postgresql(target)


def _open_sqlite(
    target: DatabaseTarget, *, read_only: bool, backup_dir: Path | None, check_integrity: bool, key: bytes | None
) -> Store:
    path = target.sqlite_path
    assert path is not None
    refuse_unsafe_location(path)
    if not read_only and not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CalfDeskError(f"The folder for the database cannot be created ({error.strerror}).") from None
    read_only = read_only or not sqlite_is_writable(target)
    if read_only and not path.exists():
        raise CalfDeskError(f"There is no database file at {path}.")
    engine = create_sqlite_engine(target, read_only=read_only, key=key)
    store = Store(engine, target, read_only=read_only, key=key)
    try:
        with translated():
            migrating = not read_only and not is_current(engine)
            if check_integrity or migrating:
                store.check_integrity()
            if migrating:
                store.migration_backup = upgrade(engine, target, backup_dir, key)
    except BaseException:
        engine.dispose()
        raise
    log.info("opened SQLite database (read_only=%s)", read_only)
    return store


def _open_postgresql(target: DatabaseTarget) -> Store:
    engine = create_postgresql_engine(target)
    try:
        with translated():
            warnings = check_server(engine)  # before the migration: a refusal is explained, not reported raw
            upgrade(engine, target, None)
    except BaseException:
        engine.dispose()
        raise
    log.info("opened PostgreSQL database")
    store = Store(engine, target, read_only=False)
    store.warnings.extend(warnings)
    return store
