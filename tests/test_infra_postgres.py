"""The PostgreSQL server that `make test` provides (scripts/with_postgres.sh) is real and usable.

`make test` sets CALFDESK_REQUIRE_PG=1: there, a missing CALFDESK_TEST_PG_URL is a failure, so a
broken test set-up cannot pass by quietly skipping every PostgreSQL test. Only a developer running
pytest by hand, with neither variable set, gets a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest

pytestmark = pytest.mark.postgres


def _libpq_url() -> str:
    url = os.environ.get("CALFDESK_TEST_PG_URL", "")
    if url:
        # SQLAlchemy spelling -> libpq spelling: postgresql+psycopg://... -> postgresql://...
        return url.replace("+psycopg", "", 1)
    if os.environ.get("CALFDESK_REQUIRE_PG", "") not in ("", "0"):
        pytest.fail(
            "CALFDESK_REQUIRE_PG is set but CALFDESK_TEST_PG_URL is not: run the tests with "
            "`make test`, or wrap pytest in scripts/with_postgres.sh",
            pytrace=False,
        )
    pytest.skip("CALFDESK_TEST_PG_URL is not set (make test / scripts/with_postgres.sh provide it)")


@pytest.fixture
def conn() -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    with psycopg.connect(_libpq_url(), connect_timeout=10) as connection:
        yield connection


def test_select_one(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    assert conn.execute("SELECT 1").fetchone() == (1,)


def test_fsync_is_on(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    # Tests about durability (backups, crash safety) mean nothing against a server with fsync off.
    assert conn.execute("SHOW fsync").fetchone() == ("on",)


def test_role_is_an_ordinary_role_that_may_create_databases(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    # Tests create and drop databases of their own; and a superuser would ignore the audit table's
    # revoked privileges, so the tests would not show that they hold for a clinic's ordinary role.
    row = conn.execute("SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user").fetchone()
    assert row == (False, True)
