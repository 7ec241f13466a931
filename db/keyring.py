"""The key file beside an encrypted database: the database key wrapped once per user (RELIABILITY.md E3)."""

from __future__ import annotations

from pathlib import Path

KEYRING_SUFFIX = ".keys"


def keyring_path(database: Path) -> Path:
    """Where the key file of the SQLite database (or backup) ``database`` is kept: beside it."""
    return database.with_name(database.name + KEYRING_SUFFIX)
