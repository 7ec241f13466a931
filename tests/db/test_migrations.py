"""Alembic migrations: the models match them, and an upgrade is preceded by a verified backup."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import db
import db.schema
from db.backup import table_digests
from db.models import Base
from tests import dbkit
from workstation.records import Patient
from workstation.services.patients import save_patient


def test_migrations_build_exactly_the_models(store: db.Store) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


_EXTRA_REVISION = """
import sqlalchemy as sa
from alembic import op
from tests import dbkit

revision = "9999_test"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("test_extra", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("test_extra")
"""


def test_upgrade_takes_a_verified_backup_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "calfdesk.sqlite3"
    store = dbkit.open_store(f"sqlite:///{path}")
    for i in range(25):
        save_patient(store.patients, Patient(f"Runner {i}", "Ødegård", date(1990, 1, 1)), date(2026, 11, 22))
    store.close()
    with dbkit.raw(path) as raw:
        before = table_digests(raw)

    newer = tmp_path / "migrations"
    shutil.copytree(db.schema.MIGRATIONS, newer)
    head = db.schema.head_revision()
    (newer / "versions" / "9999_test.py").write_text(_EXTRA_REVISION.format(head=head), encoding="utf-8")
    monkeypatch.setattr(db.schema, "MIGRATIONS", newer)
    monkeypatch.setattr(db.schema, "HEAD_REVISION", "9999_test")

    upgraded = dbkit.open_store(f"sqlite:///{path}")
    report = upgraded.migration_backup
    upgraded.close()
    assert report is not None
    assert report.path.parent == tmp_path / "backups"
    assert report.path.name.startswith(f"calfdesk-before-upgrade-from-{head}-")
    assert report.tables == before
    with dbkit.raw(report.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
    with dbkit.raw(path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999_test",)
        assert raw.execute("SELECT count(*) FROM patient").fetchone() == (25,)


def test_the_fast_schema_check_knows_the_newest_migration() -> None:
    assert db.schema.head_revision() == db.schema.HEAD_REVISION


def test_opening_a_current_database_does_not_import_alembic(sqlite_url: str) -> None:
    dbkit.open_store(sqlite_url).close()  # creates and migrates it
    probe = (
        "import sys; from tests import dbkit; dbkit.open_store(sys.argv[1]).close(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))"
    )
    result = subprocess.run([sys.executable, "-c", probe, sqlite_url], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_new_database_needs_no_backup(sqlite_url: str, tmp_path: Path) -> None:
    store = dbkit.open_store(sqlite_url)
    assert store.migration_backup is None
    store.close()
    assert not (tmp_path / "backups").exists()
