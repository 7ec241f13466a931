"""Bring a database's schema up to date with Alembic, after a verified backup of a SQLite file.

Almost every start finds the schema current. That is answered with one plain query against
``HEAD_REVISION``; Alembic (with Mako) takes about a fifth of a second to import, so it is imported only
when there is something to migrate (a test keeps the constant equal to Alembic's head).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, exc, inspect, text

from db.engine import WRITE
from db.urls import DatabaseTarget
from workstation.errors import CalfDeskError

if TYPE_CHECKING:
    from alembic.config import Config

    from db.backup import BackupReport

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD_REVISION = "0009"  # the newest file in migrations/versions; update it with every new migration


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The head as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_current(engine: Engine) -> bool:
    """The database is stamped with ``HEAD_REVISION`` (a new or foreign database is not)."""
    try:
        with engine.connect() as connection:
            stamped = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except exc.DBAPIError:
        return False  # no alembic_version table: new, or not ours; upgrade() tells which
    return stamped == [HEAD_REVISION]


def upgrade(
    engine: Engine, target: DatabaseTarget, backup_dir: Path | None, key: bytes | None = None
) -> BackupReport | None:
    """Migrate to the newest schema; return the backup taken first, if there was anything to back up."""
    if is_current(engine):
        return None
    from alembic.script import ScriptDirectory

    from db.backup import backup_file_name, backup_sqlite

    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if current is not None and current not in known:
        raise CalfDeskError(
            "This database was written by a newer version of CalfDesk.",
            hint="Install the newer CalfDesk to open it; nothing has been changed.",
        )
    if current is None and _has_tables(engine):
        raise CalfDeskError("This file is a database, but not a CalfDesk one; nothing has been changed.")
    report = None
    if current is not None and target.sqlite_path is not None:
        folder = backup_dir or target.sqlite_path.parent / "backups"
        report = backup_sqlite(target.sqlite_path, folder / backup_file_name(f"before-upgrade-from-{current}"), key)
    _run_upgrade(engine)
    return report


def _has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def _run_upgrade(engine: Engine) -> None:
    from alembic import command

    config = alembic_config()
    with engine.execution_options(**WRITE).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
