"""Bring a database's schema up to date with Alembic, after a verified backup of a SQLite file."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from db.backup import BackupReport, backup_file_name, backup_sqlite
from db.engine import WRITE
from db.urls import DatabaseTarget
from workstation.errors import CalfDeskError

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, target: DatabaseTarget, backup_dir: Path | None) -> BackupReport | None:
    """Migrate to the newest schema; return the backup taken first, if there was anything to back up."""
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
        report = backup_sqlite(
            target.sqlite_path, folder / backup_file_name(f"before-upgrade-from-{current}")
        )
    _run_upgrade(engine)
    return report


def _has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def _run_upgrade(engine: Engine) -> None:
    config = alembic_config()
    with engine.execution_options(**WRITE).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
