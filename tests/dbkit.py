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


def open_store(url: str, **options: Any) -> Any:
    """``db.open_database`` as the app calls it."""
    return db.open_database(url, **options)


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
