"""Fixtures shared by every test package.

Tests never touch the real user's folders: the XDG variables (which platformdirs and QSettings read) point
into a temporary folder before anything imports them. PostgreSQL tests get a database of their own on the
server that ``make test`` starts; when CALFDESK_REQUIRE_PG=1 (make test, CI) a missing server fails them.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

_SANDBOX = Path(tempfile.mkdtemp(prefix="calfdesk-tests-"))
for _name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "HOME"):
    os.environ[_name] = str(_SANDBOX / _name.lower())
    Path(os.environ[_name]).mkdir(parents=True, exist_ok=True)


def _pg_admin_url() -> str | None:
    url = os.environ.get("CALFDESK_TEST_PG_URL")
    if url:
        return url
    if os.environ.get("CALFDESK_REQUIRE_PG") == "1":
        pytest.fail("CALFDESK_TEST_PG_URL is not set: make test starts a PostgreSQL server and sets it.")
    pytest.skip("no PostgreSQL server (run through make test, which starts one)")
    return None


def _psycopg_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for this test, dropped afterwards."""
    import psycopg

    admin = _pg_admin_url()
    assert admin is not None
    name = f"calfdesk_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_psycopg_url(admin), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin.rpartition("/")
    yield f"{base}/{name}"
    _drop_database(_psycopg_url(admin), name)


def _drop_database(admin: str, name: str) -> None:
    """Drop a test's database. FORCE cannot end an autovacuum worker (it runs as the superuser, and the
    test role is not one) that happens to be working in it: such a worker stops within moments, so try again."""
    import time

    import psycopg

    for attempt in range(50):
        try:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            if attempt == 49:
                raise
            time.sleep(0.1)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'calfdesk.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'calfdesk.sqlite3'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[object]:
    from tests import dbkit

    opened = dbkit.open_store(database_url)
    yield opened
    opened.close()
