"""The one SQLite library CalfDesk uses: SQLCipher 4, through the ``sqlcipher3`` wheel.

Every connection to a SQLite file, the engine's and the backup's alike, is made here, so the process holds
one copy of SQLite (RELIABILITY.md A6: two copies in one process can break each other's locks) and every
encrypted connection gets the same settings, read back before use (E1).

The database key is 32 random bytes given to SQLCipher as a raw key (``x'...'``), so opening a connection
costs no passphrase derivation (TOOLCHAIN.md: about 0.1 s per connection otherwise). The per-page HMAC,
AES-256 and the PBKDF2-HMAC-SHA512 settings are SQLCipher 4's defaults; they are pinned and asserted, so a
build or a file with weaker settings is refused rather than used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import sqlcipher3.dbapi2 as sqlite

__all__ = ["Connection", "Error", "WrongKey", "connect", "sqlite"]

from workstation.errors import CalfDeskError

KEY_BYTES: Final = 32  # 256 bits (E3)
PLAIN_HEADER: Final = b"SQLite format 3\x00"

# E1: SQLCipher 4's defaults, never weaker. kdf_iter is what a passphrase would get; with a raw key the
# page keys come straight from the key, but the setting is still pinned so it cannot be lowered by a file.
REQUIRED_CIPHER_SETTINGS: Final[dict[str, str]] = {
    "cipher_page_size": "4096",
    "kdf_iter": "256000",
    "cipher_hmac_algorithm": "HMAC_SHA512",
    "cipher_kdf_algorithm": "PBKDF2_HMAC_SHA512",
    "cipher_use_hmac": "1",
}
MINIMUM_SQLCIPHER_MAJOR: Final = 4

Error = sqlite.Error
IntegrityError = sqlite.IntegrityError
DatabaseError = sqlite.DatabaseError
OperationalError = sqlite.OperationalError
Connection = sqlite.Connection
Cursor = sqlite.Cursor
sqlite_version: Final[str] = sqlite.sqlite_version


class WrongKey(CalfDeskError):
    """The key does not open this file: another key, or not a CalfDesk database."""


def file_uri(path: Path, *, read_only: bool) -> str:
    """An explicit URI, so that mode=ro really opens read-only whatever characters the path holds."""
    return f"file:{quote(str(path))}?mode={'ro' if read_only else 'rwc'}"


def connect(path: Path, key: bytes | None, *, read_only: bool = False, timeout: float = 5.0) -> Any:
    """A connection to the SQLite file at ``path``, keyed with ``key`` (None: a plain, unencrypted file,
    which is only ever read to convert it, or in tests of that conversion).

    The key is applied and the cipher settings asserted before anything else is read. A wrong key is
    found only when the first page is read, which ``assert_opens`` does.
    """
    connection = sqlite.connect(file_uri(path, read_only=read_only), uri=True, timeout=timeout, check_same_thread=False)
    try:
        apply_key(connection, key)
    except BaseException:
        connection.close()
        raise
    return connection


def apply_key(connection: Any, key: bytes | None) -> None:
    # SQLCipher logs failed HMAC checks on stderr ("ERROR CORE ..."): the user gets our message instead.
    connection.execute("PRAGMA cipher_log_level = NONE")
    if key is None:
        return
    if len(key) != KEY_BYTES:
        raise ValueError("a database key is 32 bytes")
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    for name, value in REQUIRED_CIPHER_SETTINGS.items():
        connection.execute(f"PRAGMA {name} = {value}")
    assert_cipher_settings(connection)


def assert_cipher_settings(connection: Any) -> None:
    """Refuse a SQLCipher build or configuration weaker than SQLCipher 4's defaults (E1)."""
    version = str(connection.execute("PRAGMA cipher_version").fetchone()[0])
    major = int(version.split(".", 1)[0]) if version[:1].isdigit() else 0
    if major < MINIMUM_SQLCIPHER_MAJOR:
        raise CalfDeskError(f"The encryption library is too old (SQLCipher {version}; needs 4 or newer).")
    for name, wanted in REQUIRED_CIPHER_SETTINGS.items():
        actual = str(connection.execute(f"PRAGMA {name}").fetchone()[0])
        if actual != wanted:
            raise CalfDeskError(f"The database refused an encryption setting ({name}={actual}, needs {wanted}).")


def assert_opens(connection: Any) -> None:
    """Read the first page: a wrong key or a file that is not a database fails here, in plain words."""
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite.DatabaseError as error:
        if "not a database" in str(error).lower():
            raise WrongKey(
                "This database cannot be opened with that key, or the file is not a CalfDesk database.",
                hint="Nothing has been changed.",
            ) from None
        raise


def is_plain_sqlite(path: Path) -> bool:
    """The file starts with SQLite's own header, so it is not encrypted (a database from before encryption)."""
    try:
        with path.open("rb") as file:
            return file.read(len(PLAIN_HEADER)) == PLAIN_HEADER
    except OSError:
        return False


def is_empty_or_missing(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def database_salt(path: Path) -> str:
    """The first 16 bytes of an encrypted file (SQLCipher's per-file salt), hex: the file's identity,
    kept in its key file so a key file beside the wrong database is noticed."""
    with path.open("rb") as file:
        return file.read(16).hex()
