"""The key file beside an encrypted database: the database key wrapped once per user (RELIABILITY.md E3).

The database key is 32 random bytes and is never written anywhere in clear. Each user's slot holds it
encrypted (AES-256-GCM) under a key derived from that user's password with argon2id, so:
- a password change re-wraps one slot and nothing in the database is re-encrypted;
- a leaver's slot is removed, and their password opens nothing any more;
- the owner's recovery key (shown once at set-up) wraps it in a slot of its own, so the database can be
  reopened when every password is lost.
The slot's associated data names its kind and user, so a slot cannot be moved to another user's name.

The file also keeps the failed logins typed before the database could be opened (nothing else can count
them then); they move into the database, and its audit, at the next successful login.

The file is JSON, written atomically (a temporary file, fsynced, renamed, folder fsynced). It holds no
secret that is not encrypted: copying it without a password or the recovery key gives nothing.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Final

# argon2 and cryptography (about 15 ms to import) are imported where a slot is wrapped or opened: every
# database open loads this module, the first paint of the login must not wait for them.
from db.cipher import KEY_BYTES
from workstation.errors import CalfDeskError

KEYRING_SUFFIX: Final = ".keys"
FORMAT: Final = "calfdesk-keyring"
VERSION: Final = 1
# RFC 9106's second recommended option, as for password hashes (RELIABILITY.md D1): about 0.15 s here.
ARGON2_MEMORY_KIB: Final = 65_536
ARGON2_TIME_COST: Final = 3
ARGON2_PARALLELISM: Final = 4
RECOVERY_BYTES: Final = 20  # 160 bits: 32 base32 characters, typed in 8 groups of 4
_RECOVERY_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
# Characters a person may type for a base32 one that looks the same.
_LOOKALIKES: Final = str.maketrans({"0": "O", "1": "I", "8": "B", "9": "G"})
_MAX_PENDING_FAILURES: Final = 100  # per name: enough for any lockout rule, bounded for a hostile typist
_MAX_PENDING_NAMES: Final = 50

_WHILE_LOCKED: Final = "#locked"
USER: Final = "user"
RECOVERY: Final = "recovery"


def keyring_path(database: Path) -> Path:
    """Where the key file of the SQLite database (or backup) ``database`` is kept: beside it."""
    return database.with_name(database.name + KEYRING_SUFFIX)


@contextlib.contextmanager
def updating(path: Path) -> Iterator[Keyring]:
    """The key file at ``path`` read afresh under an exclusive lock, and written when the block ends.

    Two CalfDesk windows on one database each hold the key file in memory: without the lock and the fresh
    read, the second to write would put back a slot the first had just replaced (a changed password that
    then opens nothing). The lock is a separate file, so the key file itself is still only ever renamed
    into place whole.
    """
    with _exclusive(path.with_name(path.name + ".lock")):
        keyring = Keyring.load(path)
        yield keyring
        keyring.save()


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: one CalfDesk per database there is the documented rule
        yield
        return
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


class KeyringDamaged(CalfDeskError):
    """The key file is unreadable: the database cannot be opened with a password."""


@dataclass(frozen=True, slots=True)
class Slot:
    kind: str  # USER or RECOVERY
    user_key: str  # workstation.security.accounts.user_key of the account; "" for the recovery slot
    salt: bytes
    nonce: bytes
    wrapped: bytes
    kdf: dict[str, int] = field(default_factory=dict)  # argon2id parameters of a user slot

    def associated_data(self) -> bytes:
        return f"{FORMAT}/{VERSION}/{self.kind}/{self.user_key}".encode()


@dataclass(slots=True)
class Keyring:
    """The slots of one database, and the failures typed before it was opened."""

    path: Path
    slots: list[Slot] = field(default_factory=list)
    pending_failures: dict[str, list[str]] = field(default_factory=dict)  # user key -> ISO UTC times

    # Reading and writing -------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> Keyring:
        """Raises:
        KeyringDamaged: the file cannot be read or is not a CalfDesk key file.
        """
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
            if content.get("format") != FORMAT or content.get("version") != VERSION:
                raise ValueError("not a CalfDesk key file")
            slots = [_slot_from_json(item) for item in content["slots"]]
            pending = {str(k): [str(t) for t in v] for k, v in content.get("pending_failures", {}).items()}
        except FileNotFoundError:
            raise
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            raise KeyringDamaged(
                f"The database's key file ({path.name}) is damaged, so no password can open the database.",
                hint="Restore the key file from a backup (it is kept beside every backup), or use the recovery key.",
            ) from None
        return cls(path, slots, pending)

    def save(self) -> None:
        """Write the file durably; on any failure the previous file is left as it was."""
        content = {
            "format": FORMAT,
            "version": VERSION,
            "slots": [_slot_to_json(slot) for slot in self.slots],
            "pending_failures": self.pending_failures,
        }
        write_atomically(self.path, json.dumps(content, indent=2) + "\n")

    # Slots ---------------------------------------------------------------------------------------

    def has_user(self, user_key: str) -> bool:
        return any(slot.kind == USER and slot.user_key == user_key for slot in self.slots)

    @property
    def user_keys(self) -> list[str]:
        return [slot.user_key for slot in self.slots if slot.kind == USER]

    @property
    def has_recovery(self) -> bool:
        return any(slot.kind == RECOVERY for slot in self.slots)

    def unlock(self, user_key: str, password: str) -> bytes | None:
        """The database key, if ``password`` opens ``user_key``'s slot; None otherwise (the same cost
        either way, so the time taken does not tell whether the account has a slot)."""
        slot = next((s for s in self.slots if s.kind == USER and s.user_key == user_key), None)
        if slot is None:
            _derive_from_password(password, secrets.token_bytes(16), _default_kdf())
            return None
        return _unwrap(slot, _derive_from_password(password, slot.salt, slot.kdf))

    def unlock_with_recovery(self, code: str) -> bytes | None:
        secret = parse_recovery_code(code)
        if secret is None:
            return None
        for slot in self.slots:
            if slot.kind == RECOVERY:
                key = _unwrap(slot, _derive_from_recovery(secret, slot.salt))
                if key is not None:
                    return key
        return None

    def set_user(self, user_key: str, password: str, database_key: bytes) -> None:
        """Add ``user_key``'s slot, or re-wrap it for a new password (in memory: ``save()`` writes it)."""
        salt, kdf = secrets.token_bytes(16), _default_kdf()
        slot = _wrap(USER, user_key, _derive_from_password(password, salt, kdf), database_key, salt, kdf)
        self.slots = [s for s in self.slots if not (s.kind == USER and s.user_key == user_key)] + [slot]

    def remove_user(self, user_key: str) -> None:
        self.slots = [s for s in self.slots if not (s.kind == USER and s.user_key == user_key)]
        self.pending_failures.pop(user_key, None)

    def issue_recovery(self, database_key: bytes) -> str:
        """A new recovery key for the database (replacing any earlier one): returned once, never stored."""
        secret = secrets.token_bytes(RECOVERY_BYTES)
        salt = secrets.token_bytes(16)
        slot = _wrap(RECOVERY, "", _derive_from_recovery(secret, salt), database_key, salt, {})
        self.slots = [s for s in self.slots if s.kind != RECOVERY] + [slot]
        return format_recovery_code(secret)

    # Failures before the database is open --------------------------------------------------------

    def record_failure(self, user_key: str, at: datetime, *, while_locked: bool = False) -> None:
        """A refused login. One refused while the account was already locked is kept for the audit only:
        counting it would stretch the lock for as long as someone keeps trying."""
        times = self.pending_failures.get(user_key)
        if times is None:
            if len(self.pending_failures) >= _MAX_PENDING_NAMES:
                return  # someone is trying many names: the oldest are already counted
            times = self.pending_failures[user_key] = []
        times.append(at.isoformat() + (_WHILE_LOCKED if while_locked else ""))
        del times[:-_MAX_PENDING_FAILURES]

    def failures(self, user_key: str) -> list[datetime]:
        """The failures that count towards a lock (not those refused during one)."""
        return [at for at, locked in self._entries(user_key) if not locked]

    def take_failures(self) -> dict[str, list[tuple[datetime, bool]]]:
        """Every pending refusal as (when, refused while locked), removed from the key file (in memory;
        save() writes it)."""
        taken = {name: self._entries(name) for name in self.pending_failures}
        self.pending_failures = {}
        return taken

    def _entries(self, user_key: str) -> list[tuple[datetime, bool]]:
        result = []
        for text in self.pending_failures.get(user_key, []):
            locked = text.endswith(_WHILE_LOCKED)
            with contextlib.suppress(ValueError):
                result.append((datetime.fromisoformat(text.removesuffix(_WHILE_LOCKED)), locked))
        return result

    def copy_to(self, path: Path) -> Keyring:
        return replace(self, path=path, slots=list(self.slots), pending_failures={})


def format_recovery_code(secret: bytes) -> str:
    text = base64.b32encode(secret).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_code(code: str) -> bytes | None:
    """The secret of a typed recovery key (spaces, dashes, case and look-alike digits forgiven)."""
    text = "".join(ch for ch in code.upper().translate(_LOOKALIKES) if ch not in " -\t\n")
    expected_length = len(format_recovery_code(bytes(RECOVERY_BYTES)).replace("-", ""))
    if len(text) != expected_length or any(ch not in _RECOVERY_ALPHABET for ch in text):
        return None
    return base64.b32decode(text + "=" * (-len(text) % 8))


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        partial.chmod(0o600)  # the slots are encrypted, but nobody else needs to read them
        partial.replace(path)
        descriptor = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError:
        partial.unlink(missing_ok=True)
        raise


def _default_kdf() -> dict[str, int]:
    return {"m": ARGON2_MEMORY_KIB, "t": ARGON2_TIME_COST, "p": ARGON2_PARALLELISM}


def _derive_from_password(password: str, salt: bytes, kdf: dict[str, int]) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        password.encode("utf-8"), salt, time_cost=kdf["t"], memory_cost=kdf["m"], parallelism=kdf["p"],
        hash_len=KEY_BYTES, type=Type.ID,
    )  # fmt: skip


def _derive_from_recovery(secret: bytes, salt: bytes) -> bytes:
    # The recovery key is already 160 random bits: a slow derivation would add nothing.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"calfdesk recovery slot").derive(secret)


def _wrap(kind: str, user_key: str, kek: bytes, database_key: bytes, salt: bytes, kdf: dict[str, int]) -> Slot:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    slot = Slot(kind, user_key, salt, nonce, b"", kdf)
    return replace(slot, wrapped=AESGCM(kek).encrypt(nonce, database_key, slot.associated_data()))


def _unwrap(slot: Slot, kek: bytes) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        key = AESGCM(kek).decrypt(slot.nonce, slot.wrapped, slot.associated_data())
    except InvalidTag:
        return None
    return key if len(key) == KEY_BYTES else None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _slot_to_json(slot: Slot) -> dict[str, Any]:
    return {
        "kind": slot.kind, "user_key": slot.user_key, "kdf": {"name": "argon2id", **slot.kdf} if slot.kdf else
        {"name": "hkdf-sha256"}, "salt": _b64(slot.salt), "nonce": _b64(slot.nonce), "wrapped": _b64(slot.wrapped),
    }  # fmt: skip


def _slot_from_json(item: dict[str, Any]) -> Slot:
    kind = str(item["kind"])
    if kind not in (USER, RECOVERY):
        raise ValueError("unknown slot kind")
    kdf_spec = dict(item["kdf"])
    name = kdf_spec.pop("name")
    if (kind == USER) != (name == "argon2id"):
        raise ValueError("unexpected key derivation")
    kdf = {k: int(kdf_spec[k]) for k in ("m", "t", "p")} if kind == USER else {}
    return Slot(
        kind, str(item["user_key"]), base64.b64decode(item["salt"], validate=True),
        base64.b64decode(item["nonce"], validate=True), base64.b64decode(item["wrapped"], validate=True), kdf,
    )  # fmt: skip
