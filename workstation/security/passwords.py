"""Passwords: the policy a new password must meet (RELIABILITY.md D2) and argon2id hashing (D1).

A password is NFC-normalised before it is checked or hashed, so "Zoë" typed as one code point or as
"e" plus a combining diaeresis is the same password on every keyboard and operating system.
"""

from __future__ import annotations

import secrets
import unicodedata
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

import resources
from workstation.problems import Problem
from workstation.text import fold, split_words

MIN_LENGTH = 15  # characters; RELIABILITY.md D2: 15 while there is no second factor (NIST SP 800-63B-4)
MAX_LENGTH = 256  # characters; D2 asks for at least 64. Longer is refused, never cut short
NAME_MIN_LENGTH = 4  # shorter names ("Jo", "Li") are found inside too many honest passwords to refuse

# RFC 9106 section 4, second recommended option (also argon2-cffi's default profile). Stronger than the
# OWASP Password Storage Cheat Sheet floor of m=19456 KiB, t=2, p=1 (RELIABILITY.md D1).
TIME_COST = 3  # passes over memory
MEMORY_COST_KIB = 65_536  # 64 MiB
PARALLELISM = 4  # lanes
HASH_LENGTH = 32  # bytes; RFC 9106 tag length
SALT_LENGTH = 16  # bytes; RFC 9106 salt length

_HASHER = PasswordHasher(
    time_cost=TIME_COST,
    memory_cost=MEMORY_COST_KIB,
    parallelism=PARALLELISM,
    hash_len=HASH_LENGTH,
    salt_len=SALT_LENGTH,
    type=Type.ID,
)

BLOCKLIST_FILE = "common-passwords.txt"  # in resources/, with its licence beside it

# Orders people type a "sequence" in; a password that just walks one of them (either way) is refused.
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm")

TOO_SHORT = f"Use at least {MIN_LENGTH} characters: a few unrelated words work well."
TOO_LONG = f"Use at most {MAX_LENGTH} characters."
COMMON = "This password is one of the most commonly used, so it is easy to guess. Please choose another."
CONTAINS_NAME = "Do not use your name or user name in your password."
REPEATED = "Do not repeat one character or a short pattern: a few unrelated words work well."
SEQUENCE = "Do not use a run of keys such as 12345 or abcde: a few unrelated words work well."


def password_problems(password: str, *, user_name: str = "", display_name: str = "") -> list[Problem]:
    """What is wrong with a new password, as problems on the "password" field (empty when it is fine).

    Args:
        password: the password as typed.
        user_name: the account's user name, which the password must not contain.
        display_name: the person's name, which the password must not contain either.
    """
    text = unicodedata.normalize("NFC", password)
    messages: list[str] = []
    if len(text) < MIN_LENGTH:
        messages.append(TOO_SHORT)
    if len(text) > MAX_LENGTH:
        messages.append(TOO_LONG)
    if _contains_name(text, (user_name, display_name)):
        messages.append(CONTAINS_NAME)
    # One reason why a password is guessable is enough to act on; the list's is the plainest.
    if _is_common(text):
        messages.append(COMMON)
    elif _is_repeated(text.casefold()):
        messages.append(REPEATED)
    elif _is_sequence(text.casefold()):
        messages.append(SEQUENCE)
    return [Problem("password", message) for message in messages]


@cache  # 30,000 lines: read once, on the first password check rather than at start-up
def common_passwords() -> frozenset[str]:
    """The shipped blocklist, lower-case."""
    lines = resources.path(BLOCKLIST_FILE).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_common(text: str) -> bool:
    lowered = text.casefold()
    return lowered in common_passwords() or "".join(lowered.split()) in common_passwords()


def _contains_name(text: str, names: tuple[str, ...]) -> bool:
    # fold() keeps what it folds in an LRU cache: right for names, wrong for a password, which must not
    # linger in memory after the check, so the password goes through the uncached function.
    haystack = _letters_and_digits(fold.__wrapped__(text))
    for name in names:
        folded = fold(name)
        # The whole name ("samoneill") and each of its words ("oneill"), so "Sam O'Neill" is caught either way.
        for part in (_letters_and_digits(folded), *split_words(folded)):
            if len(part) >= NAME_MIN_LENGTH and part in haystack:
                return True
    return False


def _letters_and_digits(folded: str) -> str:
    return "".join(ch for ch in folded if ch.isalnum())


def _is_repeated(text: str) -> bool:
    """One character, or a pattern at most half the length, repeated to the end ("abcabcabca")."""
    return len(text) >= 2 and any(text[period:] == text[:-period] for period in range(1, len(text) // 2 + 1))


def _is_sequence(text: str) -> bool:
    """Every character is the next (or every one the previous) in one of the sequences, wrapping round."""
    if len(text) < 3:
        return False
    for order in _SEQUENCES:
        places = [order.find(ch) for ch in text]
        if -1 not in places:
            steps = {(b - a) % len(order) for a, b in pairwise(places)}
            if steps in ({1}, {len(order) - 1}):
                return True
    return False


def hash_password(password: str) -> str:
    """The argon2id PHC string of a password: algorithm, parameters, salt and hash in one string.

    This does not check the policy: call ``password_problems`` first when the password is new.
    """
    return _HASHER.hash(unicodedata.normalize("NFC", password))


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash. False for a wrong password or a damaged hash."""
    try:
        return _HASHER.verify(password_hash, unicodedata.normalize("NFC", password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash was made with other parameters than today's, so the login should store a new one.

    A hash that cannot be read needs replacing too.
    """
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def dummy_hash() -> str:
    """A hash no password matches, to verify against when the user name is unknown.

    An unknown name then takes as long as a wrong password, so timing does not tell which names exist.
    """
    return hash_password(secrets.token_urlsafe(32))


DUMMY_HASH: str  # the same value as ``dummy_hash()``, made on first use: hashing at import would slow start-up

if not TYPE_CHECKING:  # hidden from mypy so that a mistyped attribute of this module stays an error

    def __getattr__(name: str) -> str:
        if name == "DUMMY_HASH":
            return dummy_hash()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
