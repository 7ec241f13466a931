"""Encryption at rest (RELIABILITY.md E1-E3, A6): what a stolen laptop's disk gives away, and what the
owner can still do when every password is lost."""

from __future__ import annotations

import json
import logging
import random
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from db import cipher
from db.keyring import Keyring, keyring_path, parse_recovery_code
from db.vault import MissingKeyFile, State, Vault
from tests import dbkit
from ui.unlock import Entry
from workstation.audit.records import AuditEvent
from workstation.errors import AccountLocked, AuthenticationFailed, CalfDeskError
from workstation.records import Patient
from workstation.security.accounts import Role, user_key
from workstation.services.patients import save_patient

OWNER, PASSWORD = "owner", "tidal moss lantern cobalt"
NEW_PASSWORD = "heron quartz meadow lantern"
CLINICIAN, CLINICIAN_PASSWORD = "sam", "copper willow harbour frost"
TODAY = date(2026, 12, 1)


def _new_practice(tmp_path: Path) -> tuple[str, str]:
    """A database set up as the app does; returns its address and the recovery key shown at set-up."""
    url = f"sqlite:///{tmp_path / 'practice' / 'calfdesk.sqlite3'}"
    opened = Entry(url, workstation="ws").create_owner(OWNER, "Olive Owner", PASSWORD)
    save_patient(opened.store.patients, Patient("Canary", "Zebedee-Quill", date(1990, 5, 17)), TODAY)
    assert opened.recovery_key is not None
    opened.store.close()
    return url, opened.recovery_key


def _path(url: str) -> Path:
    return dbkit.sqlite_path(url)


# E1 ---------------------------------------------------------------------------------------------------


def test_every_connection_has_sqlcipher_4_default_strength(tmp_path: Path) -> None:
    url, _ = _new_practice(tmp_path)
    opened = dbkit.open_as(url, OWNER, PASSWORD)
    try:
        with opened.store.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert str(raw.execute("PRAGMA cipher_version").fetchone()[0]).startswith("4.")
            settings = {
                name: str(raw.execute(f"PRAGMA {name}").fetchone()[0]) for name in cipher.REQUIRED_CIPHER_SETTINGS
            }
    finally:
        opened.store.close()
    assert settings == {
        "cipher_page_size": "4096", "kdf_iter": "256000", "cipher_hmac_algorithm": "HMAC_SHA512",
        "cipher_kdf_algorithm": "PBKDF2_HMAC_SHA512", "cipher_use_hmac": "1",
    }  # fmt: skip


def test_a_weakened_setting_is_refused_in_plain_words(tmp_path: Path) -> None:
    connection = cipher.connect(tmp_path / "x.sqlite3", dbkit.TEST_KEY)
    try:
        connection.execute("PRAGMA kdf_iter = 4000")  # what a careless or hostile build might do
        with pytest.raises(CalfDeskError, match="kdf_iter=4000, needs 256000"):
            cipher.assert_cipher_settings(connection)
    finally:
        connection.close()


def test_a_file_written_with_older_weaker_sqlcipher_settings_does_not_open(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.sqlite3"
    connection = cipher.sqlite.connect(str(legacy))
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = \"x'{dbkit.TEST_KEY.hex()}'\"")
    connection.execute("PRAGMA cipher_compatibility = 3")  # SHA1 HMAC, 64,000 iterations, 1 KiB pages
    connection.execute("CREATE TABLE t (a)")
    connection.commit()
    connection.close()
    with pytest.raises(cipher.WrongKey):
        cipher.assert_opens(cipher.connect(legacy, dbkit.TEST_KEY, read_only=True))


# E2 ---------------------------------------------------------------------------------------------------


def test_the_file_is_not_sqlite_to_anyone_without_the_key(tmp_path: Path) -> None:
    url, _ = _new_practice(tmp_path)
    path = _path(url)
    assert path.read_bytes()[:16] != cipher.PLAIN_HEADER
    assert b"Zebedee" not in path.read_bytes()
    # Python's own sqlite3, in a process of its own (never beside SQLCipher in ours, A6).
    probe = "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('SELECT * FROM patient').fetchall()"
    result = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "file is not a database" in result.stderr


def test_a_wrong_key_fails_clearly_and_prints_nothing(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    url, _ = _new_practice(tmp_path)
    with pytest.raises(cipher.WrongKey, match="cannot be opened with that key"):
        dbkit.open_store(url, key=bytes(32))
    out, err = capfd.readouterr()
    assert "ERROR" not in out + err  # SQLCipher's own "ERROR CORE ... hmac check failed" stays quiet


def test_every_flipped_byte_is_detected_never_read_as_data(tmp_path: Path) -> None:
    source = tmp_path / "source.sqlite3"
    store = dbkit.open_store(f"sqlite:///{source}")
    store.patients.add_many(Patient(f"Runner{n}", "Flip", date(1990, 1, 1)) for n in range(300))
    store.close()
    size = source.stat().st_size
    pages = size // 4096
    rng = random.Random(2026)
    detected = 0
    trials = 100
    for trial in range(trials):
        copy = tmp_path / f"flip{trial}.sqlite3"
        shutil.copyfile(source, copy)
        offset = rng.randrange(pages) * 4096 + rng.randrange(4096)
        data = bytearray(copy.read_bytes())
        data[offset] ^= 1 << rng.randrange(8)
        copy.write_bytes(bytes(data))
        connection = cipher.connect(copy, dbkit.TEST_KEY, read_only=True)
        try:
            problems = connection.execute("PRAGMA cipher_integrity_check").fetchall()
            detected += bool(problems)
        except cipher.Error:
            detected += 1  # the page cannot even be read: also found, not silently wrong data
        finally:
            connection.close()
        copy.unlink()
    assert detected == trials


# E3: key slots ------------------------------------------------------------------------------------------


def test_a_password_change_rewraps_one_slot_and_keeps_the_database_key(tmp_path: Path) -> None:
    url, _ = _new_practice(tmp_path)
    key_before = dbkit.unlock_key(url, OWNER, PASSWORD)
    opened = dbkit.open_as(url, OWNER, PASSWORD)
    accounts = Entry(url, workstation="ws")._accounts(opened.store)
    sam = accounts.create_user(opened.login.actor, CLINICIAN, "Sam Okafor", Role.CLINICIAN, CLINICIAN_PASSWORD)
    slots = {s.user_key: s for s in Keyring.load(keyring_path(_path(url))).slots}
    accounts.change_password(opened.login.actor, PASSWORD, NEW_PASSWORD)
    opened.store.close()

    after = {s.user_key: s for s in Keyring.load(keyring_path(_path(url))).slots}
    assert after[user_key(CLINICIAN)] == slots[user_key(CLINICIAN)]  # nobody else's slot was touched
    assert after[user_key(OWNER)] != slots[user_key(OWNER)]
    assert after[""] == slots[""]  # the recovery slot
    assert dbkit.unlock_key(url, OWNER, NEW_PASSWORD) == key_before  # nothing was re-encrypted
    with pytest.raises(AuthenticationFailed):
        dbkit.open_as(url, OWNER, PASSWORD)
    assert sam.must_change_password


def test_two_windows_on_one_database_never_undo_each_others_key_slots(tmp_path: Path) -> None:
    """Each open database holds the key file in memory; every change is made to the file as it is now."""
    url, _ = _new_practice(tmp_path)
    first, second = dbkit.open_as(url, OWNER, PASSWORD), dbkit.open_as(url, OWNER, PASSWORD)
    try:
        Entry(url, workstation="ws")._accounts(first.store).change_password(first.login.actor, PASSWORD, NEW_PASSWORD)
        # The second window, whose copy still has the old slot, adds a colleague afterwards.
        accounts = Entry(url, workstation="ws")._accounts(second.store)
        accounts.create_user(second.login.actor, CLINICIAN, "Sam Okafor", Role.CLINICIAN, CLINICIAN_PASSWORD)
    finally:
        first.store.close()
        second.store.close()
    assert dbkit.unlock_key(url, OWNER, NEW_PASSWORD) == dbkit.unlock_key(url, CLINICIAN, CLINICIAN_PASSWORD)
    with pytest.raises(AuthenticationFailed):
        dbkit.unlock_key(url, OWNER, PASSWORD)


def test_a_leaver_s_password_opens_nothing_any_more(tmp_path: Path) -> None:
    url, _ = _new_practice(tmp_path)
    opened = dbkit.open_as(url, OWNER, PASSWORD)
    accounts = Entry(url, workstation="ws")._accounts(opened.store)
    sam = accounts.create_user(opened.login.actor, CLINICIAN, "Sam Okafor", Role.CLINICIAN, CLINICIAN_PASSWORD)
    assert sam.id is not None
    accounts.deactivate(opened.login.actor, sam.id)
    opened.store.close()
    with pytest.raises(AuthenticationFailed, match="user name or password is wrong"):
        Entry(url, workstation="ws").log_in(CLINICIAN, CLINICIAN_PASSWORD)


def test_the_recovery_key_reopens_the_database_when_every_password_is_lost(tmp_path: Path) -> None:
    url, recovery = _new_practice(tmp_path)
    with pytest.raises(AuthenticationFailed, match="recovery key does not open"):
        Entry(url, workstation="ws").recover("AAAA-" * 7 + "AAAA", NEW_PASSWORD)
    typed = recovery.lower().replace("-", " ").replace("o", "0")  # as a person might type it
    opened = Entry(url, workstation="ws").recover(typed, NEW_PASSWORD)
    try:
        assert opened.login.user.is_owner
        events = [entry.event for entry in opened.store.audit.in_order()]
        assert AuditEvent.RECOVERY_KEY_USED in events
        assert opened.store.patients.count() == 1
    finally:
        opened.store.close()
    dbkit.open_as(url, OWNER, NEW_PASSWORD).store.close()


def test_no_key_password_or_recovery_key_is_written_in_clear(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    url, recovery = _new_practice(tmp_path)
    key = dbkit.unlock_key(url, OWNER, PASSWORD)
    secret = parse_recovery_code(recovery)
    assert secret is not None
    keyring_text = keyring_path(_path(url)).read_text(encoding="utf-8")
    forbidden = [key.hex(), PASSWORD, recovery, recovery.replace("-", ""), secret.hex()]
    import base64

    forbidden += [base64.b64encode(key).decode(), base64.b64encode(secret).decode()]
    for text in forbidden:
        assert text not in keyring_text
        assert text not in caplog.text
    assert json.loads(keyring_text)["format"] == "calfdesk-keyring"


def test_failed_logins_before_the_database_opens_still_lock_and_are_audited(tmp_path: Path) -> None:
    url, _ = _new_practice(tmp_path)
    vault = Vault(url)
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    for attempt in range(4):
        with pytest.raises(AuthenticationFailed):
            vault.unlock(user_key(OWNER), "not the password at all", start + timedelta(seconds=attempt))
    with pytest.raises(AccountLocked):
        vault.unlock(user_key(OWNER), "still not the password", start + timedelta(seconds=5))
    with pytest.raises(AccountLocked):  # even the right password waits out the lock
        vault.unlock(user_key(OWNER), PASSWORD, start + timedelta(seconds=6))
    later = start + timedelta(minutes=31)
    opened = Entry(url, workstation="ws", now=lambda: later).log_in(OWNER, PASSWORD)
    try:
        failed = [e for e in opened.store.audit.in_order() if e.event is AuditEvent.LOGIN_FAILED]
        # Five wrong tries (the fifth locks) and the right password refused during the lock: all audited,
        # only the five counted towards the lock.
        assert len(failed) == 6
        assert all("before the database was opened" in e.detail for e in failed)
        assert sum("refused while the account was locked" in e.detail for e in failed) == 1
        owner = opened.store.users.find_by_name(OWNER)
        assert owner is not None and owner.id is not None
        assert len(opened.store.users.failed_logins_since(owner.id, start - timedelta(days=1))) == 0  # cleared
    finally:
        opened.store.close()
    assert Keyring.load(keyring_path(_path(url))).pending_failures == {}


def test_a_missing_key_file_is_explained_before_any_password_is_asked(tmp_path: Path) -> None:
    url, _ = _new_practice(tmp_path)
    keyring_path(_path(url)).unlink()
    with pytest.raises(MissingKeyFile, match="key file"):
        Entry(url, workstation="ws").needs_owner()


def test_a_key_file_left_by_an_interrupted_set_up_is_set_up_again(tmp_path: Path) -> None:
    path = tmp_path / "calfdesk.sqlite3"
    Vault(f"sqlite:///{path}").create(user_key(OWNER), PASSWORD)  # the key file, then the stop
    assert keyring_path(path).exists() and not path.exists()
    entry = Entry(f"sqlite:///{path}", workstation="ws")
    assert entry.needs_owner()
    entry.create_owner(OWNER, "Olive Owner", PASSWORD).store.close()


# A database from before encryption ----------------------------------------------------------------------


def _plain_practice(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'old' / 'calfdesk.sqlite3'}"
    store = dbkit.open_store(url, key=None)
    entry = Entry(url, workstation="ws")
    accounts = entry._accounts(store)
    owner = accounts.create_owner(OWNER, "Olive Owner", PASSWORD)
    accounts.create_user(owner.actor, CLINICIAN, "Sam Okafor", Role.CLINICIAN, CLINICIAN_PASSWORD)
    store.patients.add_many(Patient(f"Runner{n}", "Plain", date(1991, 2, 3)) for n in range(50))
    store.close()
    assert cipher.is_plain_sqlite(_path(url))
    return url


def test_a_plain_database_is_encrypted_at_the_owners_login_after_a_verified_backup(tmp_path: Path) -> None:
    url = _plain_practice(tmp_path)
    before = dbkit.raw(url)
    try:
        expected = sorted(before.execute("SELECT uid, given_name, family_name FROM patient").fetchall())
    finally:
        before.close()

    opened = Entry(url, workstation="ws").log_in(OWNER, PASSWORD)
    try:
        assert opened.conversion is not None and opened.recovery_key is not None
        assert opened.accounts_without_key == [CLINICIAN]  # they need a temporary password to open it
        events = [entry.event for entry in opened.store.audit.in_order()]
        assert AuditEvent.DATABASE_ENCRYPTED in events
        summaries = sorted((p.uid, p.given_name, p.family_name) for p in map(opened.store.patients.get,
                           [s.id for s in opened.store.patients.summaries()]))  # fmt: skip
        assert summaries == expected
    finally:
        opened.store.close()
    path = _path(url)
    assert Vault(url).state() is State.ENCRYPTED
    assert b"Plain" not in path.read_bytes()
    assert not path.with_name(path.name + "-wal").exists()
    backup = opened.conversion.backup
    assert backup.exists() and keyring_path(backup).exists() and not cipher.is_plain_sqlite(backup)
    dbkit.open_as(url, OWNER, PASSWORD).store.close()


def test_a_plain_database_stays_as_it_is_for_others_and_says_it_is_waiting(tmp_path: Path) -> None:
    url = _plain_practice(tmp_path)
    opened = Entry(url, workstation="ws").log_in(CLINICIAN, CLINICIAN_PASSWORD)
    try:
        assert opened.conversion is None
        assert any("not encrypted yet" in warning for warning in opened.store.warnings)
    finally:
        opened.store.close()
    assert cipher.is_plain_sqlite(_path(url))


# A6: one SQLite in the process --------------------------------------------------------------------------


def test_the_app_loads_one_sqlite_library_and_it_is_sqlcipher(tmp_path: Path) -> None:
    url, _ = _new_practice(tmp_path)
    probe = (
        "import sys\n"
        "from tests import dbkit\n"
        "import ui.app, ui.cli, ui.desktop_session\n"
        f"opened = dbkit.open_as({url!r}, {OWNER!r}, {PASSWORD!r})\n"
        "opened.store.patients.count(); opened.store.close()\n"
        "maps = open('/proc/self/maps').read()\n"
        "print('stdlib', '_sqlite3' in sys.modules, 'libsqlite3.so' in maps)\n"
        "from db import cipher\n"
        "print('version', cipher.sqlite_version)\n"
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        cwd=Path(__file__).parents[2], env={**env, "HOME": str(tmp_path)},
    )  # fmt: skip
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["stdlib"] == "False False"
    # SQLCipher 4.19 is built on SQLite 3.50+; the system library here is older (3.40).
    major, minor = (int(part) for part in lines["version"].split(".")[:2])
    assert (major, minor) >= (3, 45)
