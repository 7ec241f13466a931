"""How tests open a database: always through here, so the whole suite runs on the same kind of file the
app writes, with the same single SQLite library (SQLCipher, RELIABILITY.md A6).

Never use the standard library's ``sqlite3`` on a CalfDesk file in a test: a second SQLite library in the
process breaks the first one's locks, which is the very hazard A6 guards against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import db
from db import cipher

# The key of every encrypted test database that the tests open themselves (the app makes a random one).
TEST_KEY = bytes(range(32))
# The key file of a test database gets a slot for this name and password (most tests' owner account).
TEST_OWNER = "owner"
TEST_PASSWORD = "tidal moss lantern cobalt"


def open_store(url: str, **options: Any) -> Any:
    """``db.open_database`` as the app calls it: a SQLite file encrypted (with the test key), unless it is
    a plain file from before encryption or the test passes ``key=None`` to make one."""
    if "key" not in options and url.startswith("sqlite") and not cipher.is_plain_sqlite(sqlite_path(url)):
        options["key"] = TEST_KEY
    new = url.startswith("sqlite") and cipher.is_empty_or_missing(sqlite_path(url))
    store = db.open_database(url, **options)
    if new and options.get("key") == TEST_KEY:
        # As the app's set-up would: a key file, so the app and the command line can open it too.
        add_key_slot(url, TEST_OWNER, TEST_PASSWORD)
    return store


def sqlite_path(url_or_path: str | Path) -> Path:
    text = str(url_or_path)
    return Path(text.removeprefix("sqlite:///"))


def raw(url_or_path: str | Path, *, key: bytes | None = None, read_only: bool = False, **options: Any) -> Any:
    """A driver connection to a test database file, past CalfDesk (to tamper, corrupt or inspect).

    ``key`` defaults to the test key for an encrypted file and to none for a plain or new one.
    """
    path = sqlite_path(url_or_path)
    if key is None and not cipher.is_plain_sqlite(path) and not cipher.is_empty_or_missing(path):
        key = TEST_KEY
    connection = cipher.connect(path, key, read_only=read_only)
    if "isolation_level" in options:
        connection.isolation_level = options.pop("isolation_level")
    if options:
        raise TypeError(f"unsupported options: {sorted(options)}")
    return connection


def open_as(url: str, user_name: str, password: str) -> Any:
    """A database the app made (its own random key), opened as the app does: the password unlocks the key
    file's slot, then ``user_name`` logs in. Returns ``ui.unlock.Opened`` (``.store``, ``.login``)."""
    from ui.unlock import Entry

    return Entry(url, workstation="tests").log_in(user_name, password)


def add_key_slot(url: str, user_name: str, password: str, *, key: bytes = TEST_KEY) -> None:
    """Give a test database (encrypted with ``key``) a key file slot for ``user_name``, so the app and
    the command line can open it with that password, as if the app had set it up."""
    from db.keyring import Keyring, keyring_path
    from workstation.security.accounts import user_key

    path = keyring_path(sqlite_path(url))
    keyring = Keyring.load(path) if path.exists() else Keyring(path)
    keyring.set_user(user_key(user_name), password, key)
    keyring.save()


def unlock_key(url: str, user_name: str, password: str) -> bytes:
    """The random key of a database the app made, unlocked with ``user_name``'s password (to inspect or
    tamper with the file in a test, with ``raw(path, key=...)``)."""
    from datetime import UTC, datetime

    from db.vault import Vault
    from workstation.security.accounts import user_key

    return Vault(url).unlock(user_key(user_name), password, datetime.now(UTC))


def migration_engine(url: str) -> Any:
    """An engine on a test database past the store (encrypted with the key ``open_store`` uses), to run
    Alembic on it by hand with ``migrate``."""
    from db.engine import create_postgresql_engine, create_sqlite_engine
    from db.urls import resolve

    target = resolve(url)
    if target.sqlite_path is not None:
        return create_sqlite_engine(target, read_only=False, key=TEST_KEY)
    return create_postgresql_engine(target)


def migrate(connection: Any, direction: str, revision: str) -> None:
    """``alembic upgrade|downgrade REVISION`` on ``connection``, inside the caller's transaction."""
    from alembic import command

    config = db.schema.alembic_config()
    config.attributes["connection"] = connection
    getattr(command, direction)(config, revision)


def first_release_database(path: Path, patients: tuple[tuple[str, str, str, str, str], ...] = ()) -> None:
    """A database as the first release wrote it: schema 0001 (patients, episodes and observations; no
    accounts yet), in a plain file, holding ``patients`` as (uid, given name, family name, ISO date of
    birth, NHS number)."""
    from db.engine import create_sqlite_engine
    from db.urls import resolve

    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_sqlite_engine(resolve(f"sqlite:///{path}"), read_only=False, key=None)
    try:
        with engine.begin() as connection:
            migrate(connection, "upgrade", "0001")
    finally:
        engine.dispose()
    rows = patients
    connection = raw(path)
    try:
        connection.executemany(
            "INSERT INTO patient (uid, version, given_name, family_name, preferred_name, date_of_birth, sex, phone,"
            " email, address, nhs_number, medicare_number, medicare_irn, gp_name, gp_practice, gp_address, gp_phone,"
            " gp_secure_email, emergency_name, emergency_relationship, emergency_phone, gp_consent, club_consent,"
            " sort_key, created_at, updated_at) VALUES (?, 1, ?, ?, '', ?, 'female', '', '', '', ?, '', '', '', '',"
            " '', '', '', '', '', '', 0, 0, ?, '2024-01-01 09:00:00', '2024-01-01 09:00:00')",
            [(uid, given, family, born, nhs, f"{family} {given}".casefold()) for uid, given, family, born, nhs in rows],
        )
        connection.commit()
    finally:
        connection.close()
