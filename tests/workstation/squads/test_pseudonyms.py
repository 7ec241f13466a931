"""The pseudonym key (G4, GDPR Art 4(5)): made once, this user's only, kept apart from the database, never
replaced; pseudonyms are the keyed HMAC of the uid."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

import pytest

from workstation.errors import CalfDeskError
from workstation.squads.pseudonyms import KEY_BYTES, default_key_path, load_or_create_key, pseudonym


def test_a_pseudonym_is_twelve_hex_digits_of_the_keyed_hmac_of_the_uid() -> None:
    key = bytes(range(32))
    uid = "8f0e7a52-4d3c-4b0e-9a0c-6c1d2e3f4a5b"
    expected = hmac.new(key, uid.encode(), hashlib.sha256).hexdigest()[:12]
    assert pseudonym(key, uid) == expected and len(expected) == 12
    assert pseudonym(key, uid) == pseudonym(bytes(key), uid)
    assert pseudonym(bytes(32), uid) != expected  # another practice's key: another pseudonym
    assert pseudonym(key, uid.upper()) != expected


def test_the_key_is_made_once_readable_by_its_user_only(tmp_path: Path) -> None:
    path = tmp_path / "config" / "CalfDesk" / "pseudonym.key"
    key = load_or_create_key(path)
    assert len(key) == KEY_BYTES and path.read_bytes() == key
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key
    assert [p.name for p in path.parent.iterdir()] == ["pseudonym.key"]  # no draft left behind
    assert load_or_create_key(tmp_path / "other.key") != key


@pytest.mark.parametrize("content", [b"", b"short", bytes(33)])
def test_a_damaged_key_is_refused_never_replaced(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "pseudonym.key"
    path.write_bytes(content)
    with pytest.raises(CalfDeskError, match="damaged"):
        load_or_create_key(path)
    assert path.read_bytes() == content


def test_a_key_that_cannot_be_saved_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(CalfDeskError, match=r"^The pseudonym key could not be"):
        load_or_create_key(blocker / "pseudonym.key")


def test_the_default_key_lives_in_the_users_config_folder_not_beside_the_database() -> None:
    path = default_key_path()
    assert path.name == "pseudonym.key" and "CalfDesk" in path.parts
    assert str(path).startswith(os.environ["XDG_CONFIG_HOME"])  # the tests' sandbox (tests/conftest.py)
