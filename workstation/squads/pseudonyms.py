"""Keyed pseudonyms for the squad analytics (RELIABILITY.md G4).

A pseudonym is HMAC-SHA256 of the patient's uid under the practice's pseudonym key, cut to 12 hex digits:
the same athlete has the same pseudonym in every export, so screenings can be followed over a season,
and nobody without the key can tell who it is or make one from a name. The key is "additional
information kept separately" (GDPR Art 4(5)): a file in the user's config folder, never in the database,
so a copy of the database or of an export does not carry it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from workstation.errors import CalfDeskError

KEY_BYTES = 32  # 256 bits, the HMAC-SHA256 block's natural key size
PSEUDONYM_HEX_DIGITS = 12  # 48 bits: no two athletes of a practice share one in practice (G4)
KEY_FILE_NAME = "pseudonym.key"


def pseudonym(key: bytes, patient_uid: str) -> str:
    """The athlete's pseudonym: the first 12 hex digits of HMAC-SHA256(key, uid)."""
    digest = hmac.new(key, patient_uid.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_HEX_DIGITS]


def default_key_path() -> Path:
    """Where the key lives: the user's CalfDesk config folder (not the database's folder)."""
    import platformdirs

    return Path(platformdirs.user_config_path("CalfDesk", "CalfDesk")) / KEY_FILE_NAME


def load_or_create_key(path: Path) -> bytes:
    """The key in ``path``, made once (32 random bytes, readable by this user only) if there is none.

    Raises:
        CalfDeskError: the file cannot be read or written, or is not a key (it is never replaced: a new
            key would give every athlete a new pseudonym).
    """
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise CalfDeskError("The pseudonym key could not be read.", hint=_where(path)) from error
    try:
        return _create_key(path)
    except FileExistsError:  # another CalfDesk made it meanwhile: use theirs
        return _read_key(path)
    except OSError as error:
        raise CalfDeskError("The pseudonym key could not be saved.", hint=_where(path)) from error


def _read_key(path: Path) -> bytes:
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise CalfDeskError(
            "The pseudonym key file is damaged, so pseudonyms cannot be made.",
            hint=f"Restore it from a backup ({_where(path)}); a new key would change every pseudonym.",
        )
    return key


def _create_key(path: Path) -> bytes:
    """Write a new key beside ``path``, then link it into place: the key file is whole or absent, never
    half-written, and an existing one (another CalfDesk's, just made) is never overwritten."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        try:
            os.write(descriptor, key)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.link(draft, path)  # FileExistsError if someone got there first
    finally:
        draft.unlink(missing_ok=True)
    return key


def _where(path: Path) -> str:
    return f"The key file is {path}."
