"""The real app, started the way a user starts it: ``python -m ui --startup-check`` in its own process.

Timings are printed, never judged here: start-up speed is measured by ``python -m benchmarks``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import dbkit

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
DEMO_PATIENTS = 300
TIMEOUT_S = 120  # the app gives up by itself after 60 s; this only stops a hung process
_STARTUP_LINE = re.compile(r"^startup_ms=(\d+)$", re.MULTILINE)
_LOGIN_LINE = re.compile(r"^login_ms=(\d+)$", re.MULTILINE)
OWNER = "owner"
PASSWORD = "tidal moss lantern cobalt"


def _environment(home: Path) -> dict[str, str]:
    """The user's own folders are never touched: every XDG folder points into ``home``."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO), "CALFDESK_PASSWORD": PASSWORD}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env.pop("CALFDESK_DATABASE", None)
    env.pop("CALFDESK_USER", None)
    return env


def _calfdesk(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui", *argv],
        env=_environment(home),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    result = _calfdesk(folder, "demo", "--patients", str(DEMO_PATIENTS), "--user", OWNER, "--database", url)
    assert result.returncode == 0, result.stderr
    return url


@pytest.fixture
def empty_database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    dbkit.open_store(url).close()  # created and migrated, with no patients
    return url


def _assert_started(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    assert _STARTUP_LINE.search(result.stdout), result.stdout
    assert "Traceback" not in result.stderr


def test_startup_check_logs_in_and_measures_the_login_apart(tmp_path: Path, demo_database: str) -> None:
    result = _calfdesk(tmp_path, "--startup-check", "--user", OWNER, "--database", demo_database)
    _assert_started(result)
    assert result.stdout.splitlines()[0].startswith("login_ms="), result.stdout  # printed first, on its own
    assert int(_LOGIN_LINE.search(result.stdout).group(1)) > 0  # type: ignore[union-attr]


def test_startup_check_without_a_user_ends_when_the_login_has_painted(tmp_path: Path, demo_database: str) -> None:
    result = _calfdesk(tmp_path, "--startup-check", "--database", demo_database)
    _assert_started(result)
    assert not _LOGIN_LINE.search(result.stdout)


def test_a_refused_login_is_status_3_and_one_line(tmp_path: Path, demo_database: str) -> None:
    env = {**_environment(tmp_path), "CALFDESK_PASSWORD": "not the password at all"}
    result = subprocess.run(
        [sys.executable, "-m", "ui", "--startup-check", "--user", OWNER, "--database", demo_database],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (3, "")
    assert result.stderr == "calfdesk: The user name or password is wrong.\n"


def test_startup_check_on_a_database_without_accounts_shows_the_owner_set_up(
    tmp_path: Path, empty_database: str
) -> None:
    _assert_started(_calfdesk(tmp_path, "--startup-check", "--database", empty_database))


def test_startup_check_with_a_user_on_a_new_database_makes_them_its_owner(tmp_path: Path) -> None:
    target = tmp_path / "new" / "calfdesk.sqlite3"
    _assert_started(_calfdesk(tmp_path, "--startup-check", "--user", OWNER, "--database", f"sqlite:///{target}"))
    assert target.exists()
    assert not dbkit.cipher.is_plain_sqlite(target)  # encrypted from the start
    opened = dbkit.open_as(f"sqlite:///{target}", OWNER, PASSWORD)
    try:
        assert opened.login.user.is_owner
    finally:
        opened.store.close()


def test_startup_check_with_the_database_in_the_environment(tmp_path: Path, demo_database: str) -> None:
    env = {**_environment(tmp_path), "CALFDESK_DATABASE": demo_database, "CALFDESK_USER": OWNER}
    result = subprocess.run(
        [sys.executable, "-m", "ui", "--startup-check"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    _assert_started(result)
    assert not (tmp_path / "xdg_data_home" / "CalfDesk").exists(), "the default database was opened instead"


def test_startup_check_on_a_folder_fails_with_a_message(tmp_path: Path) -> None:
    result = _calfdesk(tmp_path, "--startup-check", "--database", str(tmp_path))
    assert result.returncode == 2
    assert "folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert not _STARTUP_LINE.search(result.stdout)
