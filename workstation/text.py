"""Text as people write it, and as search compares it.

Names are stored as the person writes them, NFC-normalised (RELIABILITY.md H5). Search compares a
*folded* form: case-folded, accents removed, and the few Latin letters that Unicode does not decompose
(ø, đ, ł, æ, ...) mapped to their usual ASCII spelling, so that ``odegard`` finds Ødegård and ``nguyen``
finds Nguyễn.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters with no canonical decomposition, spelled the way a person without the key would type them.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ß": "ss",
    }
)

# Bidi embedding/override/isolate controls (Trojan Source, CVE-2021-42574) and invisible characters that
# make two names look equal while comparing different. They have no place in a name or an identifier.
INVISIBLE_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
)

_APOSTROPHES = re.compile(r"[’'ʼ`´‘]")
_HYPHENS = re.compile(r"[\-‐‑]")


def nfc(text: str) -> str:
    """The stored form of free text: NFC, with surrounding white space removed."""
    return unicodedata.normalize("NFC", text).strip()


def has_invisible_controls(text: str) -> bool:
    return any(ch in INVISIBLE_CONTROLS for ch in text)


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Case- and accent-insensitive form used for matching, never for display."""
    # Compatibility forms first (𝕬 -> A), then case, then letters without a decomposition; case folding
    # can itself produce decomposable letters, hence the second NFKD.
    lowered = unicodedata.normalize("NFKD", text).casefold().translate(_UNDECOMPOSABLE)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


@lru_cache(maxsize=65_536)  # names repeat a lot across a clinic; folding is the cost of building the index
def search_words(text: str) -> tuple[str, ...]:
    """The folded words of a name, as search sees them.

    An apostrophe joins (``O'Brien`` -> ``obrien``) and a hyphen splits (``Smith-Jones`` -> ``smith``,
    ``jones``); the hyphenated whole is kept too, so either way of typing it matches.
    """
    folded = _APOSTROPHES.sub("", fold(text))
    words = list(split_words(folded))
    for chunk in folded.split():
        joined = _HYPHENS.sub("", chunk)
        if joined != chunk and joined not in words:
            words.append(joined)
    return tuple(words)


def split_words(folded: str) -> tuple[str, ...]:
    """Words of already-folded text: apostrophes join, white space, hyphens and punctuation split."""
    joined = _APOSTROPHES.sub("", folded)
    # Punctuation, separators, symbols and controls split words; letters and their marks (a Devanagari
    # vowel sign is a mark) stay together.
    spaced = "".join(" " if unicodedata.category(ch)[0] in "PZSC" else ch for ch in joined)
    return tuple(spaced.split())


def digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() and ch.isascii())
