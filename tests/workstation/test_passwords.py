"""Password policy (RELIABILITY.md D2) and argon2id hashing (D1)."""

from __future__ import annotations

import random
import string
import unicodedata

import argon2
import pytest

import resources
from workstation.problems import Problem
from workstation.security import passwords
from workstation.security.passwords import (
    COMMON,
    CONTAINS_NAME,
    REPEATED,
    SEQUENCE,
    TOO_LONG,
    TOO_SHORT,
    common_passwords,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)

PASSPHRASE = "maple orbit fjord quilt"  # no pattern, not on the list


def messages(password: str, **names: str) -> list[str]:
    found = password_problems(password, **names)
    assert all(p == Problem("password", p.message) for p in found)
    return [p.message for p in found]


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_password(PASSPHRASE)  # one real hash for the module: each costs about a tenth of a second


def test_the_length_limits_are_the_policy() -> None:
    assert (passwords.MIN_LENGTH, passwords.MAX_LENGTH) == (15, 256)


def test_fourteen_characters_are_too_few_and_fifteen_are_enough() -> None:
    assert messages(PASSPHRASE[:14]) == [TOO_SHORT]
    assert messages(PASSPHRASE[:15]) == []
    assert TOO_SHORT == "Use at least 15 characters: a few unrelated words work well."


def test_256_characters_are_accepted_and_257_refused_never_cut_short() -> None:
    chars = random.Random(7).choices(string.ascii_lowercase + "  ", k=257)
    assert messages("".join(chars[:256])) == []
    assert messages("".join(chars)) == [TOO_LONG]


def test_length_is_counted_after_nfc_normalisation() -> None:
    composed = "é" * 256
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) == 512
    assert messages(decomposed) == [REPEATED]  # refused for its pattern, not for a length it does not have
    assert messages(decomposed + "é") == [TOO_LONG, REPEATED]


def test_empty_password_gets_only_the_length_message() -> None:
    assert messages("") == [TOO_SHORT]


def test_common_passwords_are_refused_ignoring_case_and_spaces() -> None:
    assert messages("correct horse battery staple") == [COMMON]
    assert messages("CorrectHorseBatteryStaple") == [COMMON]
    assert messages("qwertyuiopasdfgh") == [COMMON]  # shipped passphrase
    assert messages("Password") == [TOO_SHORT, COMMON]  # from the zxcvbn list
    assert messages("PasswordPassword") == [COMMON]  # not also "repeated": one reason is enough


def test_the_shipped_blocklist_is_the_zxcvbn_list_plus_passphrases() -> None:
    listed = common_passwords()
    assert len(listed) > 30_000
    assert {"123456", "password", "iloveyou", "trustno1", "iloveyouiloveyou", "passwordpassword"} <= listed
    assert all(entry == entry.lower() and entry == entry.strip() for entry in listed)
    path = resources.path(passwords.BLOCKLIST_FILE)
    assert path.stat().st_size < 1_000_000
    assert path.read_text(encoding="utf-8").startswith("# ")
    licence = resources.path("common-passwords.LICENSE.txt").read_text(encoding="utf-8")
    assert "zxcvbn" in licence
    assert "MIT License" in licence


def test_a_password_containing_the_name_is_refused_ignoring_case_and_accents() -> None:
    names = {"user_name": "soneill", "display_name": "Sam O'Neill"}
    assert messages("my friend ONEILL runs far", **names) == [CONTAINS_NAME]
    assert messages("long runs with soneill and co", **names) == [CONTAINS_NAME]
    assert messages("sam o'neill runs far away", **names) == [CONTAINS_NAME]
    assert messages("odegard running club 2025", display_name="Zoë Ødegård") == [CONTAINS_NAME]
    assert messages("ZOEODEGARD and the fells", display_name="Zoe Odegard") == [CONTAINS_NAME]


def test_names_shorter_than_four_characters_are_ignored() -> None:
    assert messages("jolly lions sam at dawn", user_name="sam", display_name="Jo Li") == []


def test_one_repeated_character_or_a_repeated_pattern_is_refused() -> None:
    assert messages("a" * 20) == [REPEATED]
    assert messages("abcabcabcabcabc") == [REPEATED]
    assert messages("Run4Run4Run4Run4R") == [REPEATED]
    assert messages("my dog my dog my dog ") == [REPEATED]


def test_plain_sequences_are_refused() -> None:
    assert messages("123456789012345") == [SEQUENCE]
    assert messages("abcdefghijklmnop") == [SEQUENCE]
    assert messages("PONMLKJIHGFEDCBA") == [SEQUENCE]
    assert messages("543210987654321") == [SEQUENCE]
    assert messages("qwertyuiopasdfghjklzxc") == [SEQUENCE]


def test_unicode_passphrases_are_welcome() -> None:
    assert messages("Grüße aus München, 🏃‍♀️ am Fluss") == []
    assert messages("我每天早上六点在河边跑步十公里") == []
    assert messages("Ζωή τρέχει στα βουνά") == []


def test_the_hash_is_argon2id_with_the_stated_parameters(stored: str) -> None:
    _, algorithm, version, parameters, salt, digest = stored.split("$")
    assert (algorithm, version) == ("argon2id", "v=19")
    assert dict(item.split("=") for item in parameters.split(",")) == {"m": "65536", "t": "3", "p": "4"}
    assert len(salt) >= 22  # 16 bytes in unpadded base64
    assert len(digest) >= 43  # 32 bytes
    assert (passwords.TIME_COST, passwords.MEMORY_COST_KIB, passwords.PARALLELISM) == (3, 65536, 4)


def test_the_right_password_verifies_and_a_wrong_one_does_not(stored: str) -> None:
    assert verify_password(stored, PASSPHRASE)
    assert not verify_password(stored, PASSPHRASE.upper())
    assert not verify_password(stored, "")


def test_two_hashes_of_one_password_differ_by_their_salt(stored: str) -> None:
    assert hash_password(PASSPHRASE) != stored


def test_composed_and_decomposed_forms_are_one_password() -> None:
    composed = unicodedata.normalize("NFC", "Zoë runs the Fells at dawn")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert messages(composed) == messages(decomposed) == []
    stored = hash_password(decomposed)
    assert verify_password(stored, composed)
    assert verify_password(stored, decomposed)


@pytest.mark.parametrize("broken", ["", "not a hash", "$argon2id$v=19$m=65536,t=3,p=4$abc", "$2b$12$" + "x" * 53])
def test_an_invalid_hash_never_verifies_and_never_raises(broken: str) -> None:
    assert verify_password(broken, PASSPHRASE) is False
    assert needs_rehash(broken) is True


def test_a_weaker_hash_needs_rehashing_and_a_current_one_does_not(stored: str) -> None:
    weak = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSPHRASE)
    assert verify_password(weak, PASSPHRASE)  # still lets the person in, so the login can upgrade it
    assert needs_rehash(weak)
    assert not needs_rehash(stored)


def test_the_dummy_hash_is_made_once_like_any_other_and_matches_nothing() -> None:
    from workstation.security.passwords import DUMMY_HASH

    assert DUMMY_HASH is passwords.DUMMY_HASH
    assert DUMMY_HASH.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert not needs_rehash(DUMMY_HASH)
    assert not verify_password(DUMMY_HASH, "")


def test_other_missing_attributes_still_raise() -> None:
    with pytest.raises(AttributeError):
        _ = passwords.NO_SUCH_THING  # type: ignore[attr-defined]
