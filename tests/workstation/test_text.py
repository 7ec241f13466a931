from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from workstation.text import fold, has_invisible_controls, nfc, search_words


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Zoë") == "zoe"
    assert fold("NGUYỄN Thị") == "nguyen thi"
    assert fold("Ødegård") == "odegard"
    assert fold("Dvořák") == "dvorak"
    assert fold("Łukasz Straße") == "lukasz strasse"
    assert fold("Σωκράτης") == "σωκρατησ"


def test_search_words_join_apostrophes_and_split_hyphens() -> None:
    assert search_words("O'Brien") == ("obrien",)
    assert search_words("O’Brien") == ("obrien",)
    assert set(search_words("Smith-Jones")) == {"smith", "jones", "smithjones"}
    assert search_words("Nguyễn Thị Minh") == ("nguyen", "thi", "minh")
    assert search_words("李小龍") == ("李小龍",)


def test_nfc_composes_and_trims() -> None:
    decomposed = "Zoe\u0308 "
    assert nfc(decomposed) == "Zoë"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_bidi_and_zero_width_controls_are_detected() -> None:
    assert has_invisible_controls("Ann\u202eA")
    assert has_invisible_controls("Ann\u200b")
    assert not has_invisible_controls("Anna-Marie O'Neil")


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
