"""What the squad, FHIR and squad-letter command-line tests share: running ``main()`` in-process, a
database with staff of every role the CLI can log in as, and a session on it past the command line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests import dbkit
from ui.__main__ import main
from workstation.audit.auditor import Auditor
from workstation.security.accounts import Actor, Role
from workstation.services.accounts import Accounts
from workstation.services.session import ClinicSession

OWNER = "owner"
PASSWORD = "tidal moss lantern cobalt"
STAFF = {"dr.chen": Role.CLINICIAN, "coach.rua": Role.CLUB, "ana.lima": Role.RECEPTION}
REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``calfdesk ARGV`` in this process: (status, stdout, stderr)."""
    capsys.readouterr()
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


def one_plain_line(err: str) -> None:
    assert err.startswith("calfdesk: ") and err.count("\n") == 1, err
    assert "Traceback" not in err


def new_clinic(url: str) -> Any:
    """A new encrypted database with the owner and one colleague of every other role, each of whom the
    command line can log in as with ``PASSWORD``; returns the store, open (the caller closes it)."""
    store = dbkit.open_store(url)
    accounts = Accounts(store.users, Auditor(store.audit, "set-up"))
    owner = accounts.create_owner(OWNER, "Sam Okafor", PASSWORD)
    add_staff(store, url, owner.actor)
    return store


def copied_clinic(template: str, folder: Path, name: str = "club.sqlite3") -> str:
    """A copy of the closed database ``template`` (made by ``new_clinic``) and its key file, in ``folder``:
    each test gets a practice of its own without paying for the password hashing of its accounts again."""
    source = dbkit.sqlite_path(template)
    target = folder / name
    for suffix in ("", ".keys"):
        shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return f"sqlite:///{target}"


def add_staff(store: Any, url: str, owner: Actor, *, key: bytes = dbkit.TEST_KEY) -> None:
    """One colleague of every role but admin, each with a key-file slot so the command line opens the file."""
    accounts = Accounts(store.users, Auditor(store.audit, "set-up"))
    for name, role in STAFF.items():
        accounts.create_user(owner, name, name.title(), role, PASSWORD)
        dbkit.add_key_slot(url, name, PASSWORD, key=key)


def session_of(store: Any, user_name: str = OWNER) -> ClinicSession:
    """``user_name``'s session on ``store``, past the command line (to set a test up or look at its result)."""
    user = store.users.find_by_name(user_name)
    return ClinicSession(store, Actor(user.id, user_name, user.role, "tests"), Auditor(store.audit, "tests"))


def as_user(monkeypatch: pytest.MonkeyPatch, user_name: str) -> None:
    monkeypatch.setenv("CALFDESK_USER", user_name)


def subprocess_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "CALFDESK_USER": OWNER, "CALFDESK_PASSWORD": PASSWORD}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    env.pop("CALFDESK_DATABASE", None)
    return env
