"""RELIABILITY.md A7: at connect, CalfDesk reads the server's durability settings and warns about unsafe ones.

The settings are real, never faked. ``synchronous_commit`` is changed on the test's own database (its
owner, the ordinary role calfdesk, may do that). ``fsync``, ``full_page_writes`` and ``data_checksums``
need a superuser, a reload or a new cluster, and changing them on the shared test server would touch every
other test, so a second, throwaway cluster is started with them off (scripts/with_postgres.sh with
CALFDESK_TEST_PG_UNSAFE=1; about a second).
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

import db
from db.store import Store
from ui.main_window import MainWindow
from ui.theme import Tone
from workstation.records import Patient

pytestmark = pytest.mark.postgres

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "with_postgres.sh"
PASSWORD = "Pw-never-shown-7f3a"  # the test server trusts 127.0.0.1, so any password gets in
# Qt's offscreen plugin says this for every window shown; it is about the plugin, not about us.
OFFSCREEN_MESSAGE = r"^This plugin does not support propagateSizeHints\(\)$"


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _with_password(url: str) -> str:
    return url.replace("://calfdesk@", f"://calfdesk:{PASSWORD}@", 1)


@pytest.fixture
def open_store() -> Iterator[list[Store]]:
    opened: list[Store] = []
    yield opened
    for store in opened:
        store.close()


def _open(url: str, opened: list[Store]) -> Store:
    store = db.open_database(url)
    opened.append(store)
    return store


@pytest.fixture(scope="module")
def unsafe_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second throwaway server with fsync and full_page_writes off and no data checksums.

    Its CMD prints the address and then waits on its stdin: closing that pipe (or this process dying)
    stops the server and deletes its files.
    """
    if not os.environ.get("CALFDESK_TEST_PG_URL"):
        if os.environ.get("CALFDESK_REQUIRE_PG") == "1":
            pytest.fail("CALFDESK_TEST_PG_URL is not set: make test starts a PostgreSQL server and sets it.")
        pytest.skip("no PostgreSQL server (run through make test, which starts one)")
    env = {name: value for name, value in os.environ.items() if not name.startswith("CALFDESK_TEST_PG_")}
    env["CALFDESK_TEST_PG_UNSAFE"] = "1"
    log_path = tmp_path_factory.mktemp("unsafe-pg") / "with_postgres.log"
    with log_path.open("w") as log_file:
        server = subprocess.Popen(
            [str(SCRIPT), "sh", "-c", 'printf "%s\\n" "$CALFDESK_TEST_PG_URL"; exec cat >/dev/null'],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_file,
            env=env,
            text=True,
        )
    assert server.stdin is not None and server.stdout is not None
    try:
        url = server.stdout.readline().strip()
        assert url.startswith("postgresql+psycopg://"), f"the unsafe server did not start:\n{log_path.read_text()}"
        yield url
    finally:
        server.stdin.close()
        returncode = server.wait(timeout=60)
        server.stdout.close()
        assert returncode == 0, log_path.read_text()


def test_a_safe_server_gives_no_warning(pg_url: str, open_store: list[Store]) -> None:
    with psycopg.connect(_libpq(pg_url)) as connection:
        settings: dict[str, str] = dict(connection.execute("SELECT name, setting FROM pg_settings").fetchall())
    assert (settings["fsync"], settings["full_page_writes"], settings["data_checksums"]) == ("on", "on", "on")
    assert _open(pg_url, open_store).warnings == []


@pytest.mark.parametrize("scope", ["DATABASE {db}", "ROLE calfdesk IN DATABASE {db}"])
def test_synchronous_commit_off_for_the_database_or_role_is_a_warning(
    pg_url: str, scope: str, open_store: list[Store], caplog: pytest.LogCaptureFixture
) -> None:
    target = scope.format(db=f'"{make_url(pg_url).database}"')
    with psycopg.connect(_libpq(pg_url), autocommit=True) as connection:
        connection.execute(f"ALTER {target} SET synchronous_commit = off")
    caplog.set_level(logging.DEBUG)
    store = _open(_with_password(pg_url), open_store)
    [warning] = store.warnings
    assert "synchronous_commit turned off" in warning
    assert "can be lost although CalfDesk said they were saved" in warning
    assert "Ask the server's administrator to set synchronous_commit = on" in warning
    assert "synchronous_commit = off is unsafe" in caplog.text
    assert PASSWORD not in caplog.text + warning


@pytest.mark.parametrize("value", ["local", "remote_write", "remote_apply"])
def test_synchronous_commit_values_that_still_flush_locally_give_no_warning(
    pg_url: str, value: str, open_store: list[Store]
) -> None:
    # Each of these waits for the server's own disk before COMMIT returns; only "off" does not.
    database = make_url(pg_url).database
    with psycopg.connect(_libpq(pg_url), autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{database}" SET synchronous_commit = {value}')
    assert _open(pg_url, open_store).warnings == []


def test_an_unsafe_server_is_used_with_a_warning_for_each_setting(
    unsafe_server_url: str, open_store: list[Store], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = _open(_with_password(unsafe_server_url), open_store)
    fsync, full_page_writes, checksums = store.warnings
    assert fsync.startswith("The database server has fsync turned off: records may be lost or damaged")
    assert "Ask the server's administrator to set fsync = on" in fsync
    assert "full_page_writes turned off" in full_page_writes
    assert "without data checksums" in checksums and "pg_checksums --enable" in checksums
    for name in ("fsync", "full_page_writes", "data_checksums"):
        assert f"{name} = off is unsafe" in caplog.text
    assert PASSWORD not in caplog.text
    # Warn, not block: the clinic can still work (and the warnings say what to ask for).
    assert not store.read_only
    saved = store.patients.add(Patient(given_name="Ada", family_name="Test", date_of_birth=date(1980, 1, 2)))
    assert saved.id is not None and store.patients.get(saved.id) == saved


@pytest.mark.qt_log_ignore(OFFSCREEN_MESSAGE)
def test_the_window_shows_the_warnings_in_an_amber_banner(
    qtbot: QtBot, unsafe_server_url: str, pg_url: str, open_store: list[Store], tmp_path: Path
) -> None:
    unsafe = _open(unsafe_server_url, open_store)
    window = _window(qtbot, unsafe, tmp_path / "unsafe.ini")
    assert window.warning_banner.isVisible()
    assert window.warning_banner.tone is Tone.WARNING
    assert window.warning_banner.text.splitlines() == unsafe.warnings
    assert not window.banner.isVisible() and not window.read_only_banner.isVisible()
    assert window.new_patient_action.isEnabled()  # a warning, not read-only mode

    safe = _open(pg_url, open_store)
    assert not _window(qtbot, safe, tmp_path / "safe.ini").warning_banner.isVisible()


def _window(qtbot: QtBot, store: Store, settings: Path) -> MainWindow:
    window = MainWindow(store, settings=QSettings(str(settings), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
    return window
