"""The restore drill (RELIABILITY.md C3), on every run: a practice's database with demo patients is backed
up with ``calfdesk backup``, restored with ``calfdesk restore`` into a fresh profile (other XDG folders,
no database yet), the app opens on it, every patient record is identical, and the audit chain verifies
against the backup's anchor. Each step is the real command in its own process.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db.backup import read_audit_anchor
from db.keyring import keyring_path
from db.vault import Vault
from tests import dbkit
from workstation.audit.chain import verify_chain
from workstation.audit.records import AuditEvent, Outcome
from workstation.ports import ClinicStore
from workstation.security.accounts import user_key

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
DEMO_PATIENTS = 300
TIMEOUT_S = 180
OWNER = "owner"
PASSWORD = "tidal moss lantern cobalt"


def _environment(home: Path, password: str = PASSWORD) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO), "CALFDESK_PASSWORD": password}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env.pop("CALFDESK_DATABASE", None)
    env["CALFDESK_USER"] = OWNER
    return env


def _calfdesk(home: Path, *argv: str, password: str = PASSWORD) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui", *argv], env=_environment(home, password), cwd=REPO, capture_output=True,
        text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip


def _open(path: Path) -> ClinicStore:
    """Opened as the app opens it: the owner's password unlocks the key from the key file beside it."""
    key = Vault(str(path)).unlock(user_key(OWNER), PASSWORD, datetime.now(UTC))
    store: ClinicStore = dbkit.open_store(f"sqlite:///{path}", key=key)
    return store


def _records_hash(store: ClinicStore) -> tuple[int, str]:
    """Every patient as the repositories return them, with their episodes and observations."""
    digest = hashlib.sha256()
    count = 0
    for summary in store.patients.summaries():
        digest.update(repr(store.patients.get(summary.id)).encode())
        digest.update(repr(store.episodes.for_patient(summary.id)).encode())
        digest.update(repr(store.observations.for_patient(summary.id)).encode())
        count += 1
    return count, digest.hexdigest()


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the practice's home folder, its database), with demo patients."""
    home = tmp_path_factory.mktemp("practice")
    database = home / "clinic" / "calfdesk.sqlite3"
    result = _calfdesk(home, "demo", "--patients", str(DEMO_PATIENTS), "--database", str(database))
    assert result.returncode == 0, result.stderr
    return home, database


def _back_up(home: Path, database: Path, destination: Path) -> Path:
    result = _calfdesk(home, "backup", str(destination), "--database", str(database))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"{DEMO_PATIENTS} patients" in lines[1] and lines[2].endswith("; verified"), result.stdout
    assert lines[2].startswith("  encrypted with the database key")
    return Path(lines[0])


def test_backup_restore_into_a_fresh_profile_open_and_compare(practice: tuple[Path, Path], tmp_path: Path) -> None:
    home, database = practice
    backup = _back_up(home, database, tmp_path / "removable-drive")
    assert backup.parent == tmp_path / "removable-drive" and re.fullmatch(
        r"calfdesk-manual-\d{8}T\d{6}Z\.sqlite3", backup.name
    )

    fresh = tmp_path / "new-computer"
    restored = _calfdesk(fresh, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    live = fresh / "xdg_data_home" / "CalfDesk" / "calfdesk.sqlite3"
    assert f"({DEMO_PATIENTS} patients) to {live}." in restored.stdout

    opened = _calfdesk(fresh, "--startup-check", "--user", OWNER)
    assert opened.returncode == 0, opened.stderr
    assert re.search(r"^startup_ms=\d+$", opened.stdout, re.MULTILINE)

    verified = _calfdesk(fresh, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "  integrity: ok" in verified.stdout and "  audit trail: intact" in verified.stdout

    original, copy = _open(database), _open(live)
    try:
        assert _records_hash(copy) == _records_hash(original)
        assert _records_hash(copy)[0] == DEMO_PATIENTS
        anchor = read_audit_anchor(backup)
        report = verify_chain(copy.audit.in_order(), anchor=anchor)
        assert report.ok, report.reason
        assert report.checked > anchor[0]  # the restore itself, the login and the check came after it
    finally:
        original.close()
        copy.close()


def test_a_tampered_backup_is_refused_by_the_command_and_nothing_changes(
    practice: tuple[Path, Path], tmp_path: Path
) -> None:
    home, database = practice
    backup = _back_up(home, database, tmp_path / "backups")
    with backup.open("r+b") as file:  # one flipped byte in the middle of the file
        file.seek(backup.stat().st_size // 2)
        byte = file.read(1)
        file.seek(-1, os.SEEK_CUR)
        file.write(bytes([byte[0] ^ 0xFF]))
    store = _open(database)
    before = _records_hash(store)
    store.close()
    refused = _calfdesk(home, "restore", str(backup), "--database", str(database))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "calfdesk: The backup is damaged" in refused.stderr
    store = _open(database)
    try:
        assert _records_hash(store) == before
        [attempt] = [e for e in store.audit.in_order() if e.event is AuditEvent.BACKUP_RESTORED]
        assert attempt.outcome is Outcome.FAILURE  # the refusal is in the audit of the database kept
    finally:
        store.close()
    assert not list((database.parent / "backups").glob("calfdesk-before-restore-*"))


def test_a_wrong_password_restores_nothing_into_a_fresh_profile(practice: tuple[Path, Path], tmp_path: Path) -> None:
    home, database = practice
    backup = _back_up(home, database, tmp_path / "backups")
    fresh = tmp_path / "elsewhere"
    refused = _calfdesk(fresh, "restore", str(backup), password="not the owner's password at all")
    assert refused.returncode == 3, refused.stderr
    assert not (fresh / "xdg_data_home" / "CalfDesk" / "calfdesk.sqlite3").exists()


def test_a_damaged_database_is_never_backed_up_and_verify_names_the_damage(
    practice: tuple[Path, Path], tmp_path: Path
) -> None:
    """A4 through the commands: the file opens and the login works, but the patient table is damaged."""
    home, database = practice
    damaged = tmp_path / "damaged" / "calfdesk.sqlite3"
    damaged.parent.mkdir()
    shutil.copyfile(database, damaged)
    shutil.copyfile(keyring_path(database), keyring_path(damaged))
    key = Vault(str(damaged)).unlock(user_key(OWNER), PASSWORD, datetime.now(UTC))
    connection = dbkit.raw(damaged, key=key, read_only=True)
    root = int(connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'patient'").fetchone()[0])
    connection.close()
    with damaged.open("r+b") as file:  # 16 bytes of the patient table's root page: its HMAC fails
        file.seek(4096 * (root - 1) + 8)
        file.write(b"\xff" * 16)
    refused = _calfdesk(home, "backup", "--database", str(damaged))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "The database failed its integrity check, so no backup was taken" in refused.stderr
    assert not list((damaged.parent / "backups").glob("calfdesk-*"))
    verified = _calfdesk(home, "verify", "--database", str(damaged))
    assert verified.returncode == 2, verified.stdout + verified.stderr
    assert "  integrity: DAMAGED" in verified.stdout
