"""Find a patient by typing a few letters.

Every typed word must match the start of some word of the patient, in any order: given, family or
preferred name, date of birth (in the clinic's order, 02/04/1990, or ISO, 1990-04-02) or an identifier
(NHS or Medicare number, typed with or without spaces). Matching is case- and accent-insensitive
(``zoe`` finds Zoë, ``odegard`` finds Ødegård).

The index keeps the distinct words sorted, each with the slots of the patients that have it (a CSR
layout: one offsets array into one slots array). A typed word is a prefix, so its matches are one
contiguous run of the slots array, found with two binary searches; the patients are marked in a boolean
mask per typed word and the masks are intersected. The cost hardly depends on how many patients match,
which keeps a keystroke within one frame at 100,000 patients. Results come back in list order.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, insort
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from workstation.dates import DateOrder, format_date
from workstation.list_order import ranked_key
from workstation.records import PatientSummary
from workstation.text import digits_only, fold, search_words, split_words

IdArray = npt.NDArray[np.int64]

_DATE_LIKE = re.compile(r"^\d{1,4}[/.\-]")
_DIGITS = re.compile(r"^\d+$")
_WORD_END = "\U0010ffff"
_MERGE_DELTA_AT = 2_000  # words added since the last merge before the sorted arrays are rebuilt


def entry_words(entry: PatientSummary, order: DateOrder) -> set[str]:
    words: set[str] = set()
    for name in (entry.given_name, entry.family_name, entry.preferred_name):
        words.update(search_words(name))
    words.update(_date_words(entry.date_of_birth, order))
    for identifier in (entry.nhs_number, entry.medicare_number):
        if identifier:
            words.add(identifier if identifier.isdigit() else digits_only(identifier))
    return words


@lru_cache(maxsize=50_000)  # about 36,500 birth dates in a century: each is formatted once
def _date_words(born: date, order: DateOrder) -> tuple[str, str]:
    return born.isoformat(), format_date(born, order)


def query_words(text: str) -> list[str]:
    """The words a query must all match. Digit groups typed with spaces (943 476 5919) are joined."""
    words: list[str] = []
    for token in fold(text).split():
        if _DATE_LIKE.match(token):
            words.append(_normalise_date_word(token))
            continue
        for part in query_parts(token):
            if words and _DIGITS.match(part) and _DIGITS.match(words[-1]):
                words[-1] += part
            else:
                words.append(part)
    return words


def query_parts(token: str) -> list[str]:
    """A typed word split the way names are (``smith-j`` -> smith, j; ``o'b`` -> ob), so that what
    separates the parts of a name never has to be typed exactly."""
    return list(split_words(token))


def _normalise_date_word(token: str) -> str:
    """2.4.1990 and 2/4/1990 are typed as often as 02/04/1990; ISO dates keep their hyphens."""
    if re.match(r"^\d{4}-", token):
        return token
    parts = re.split(r"[/.\-]", token)
    complete, last = parts[:-1], parts[-1]
    return "/".join([p.zfill(2) for p in complete] + [last])


class PatientSearchIndex:
    """An in-memory word index of every patient, kept up to date as records are saved.

    A patient occupies a *slot* (an append-only position); an edit gives the patient a new slot and
    retires the old one, so the sorted word arrays never need rewriting for a single save. New words
    go to a small sorted delta list that is merged into the arrays once it grows.
    """

    def __init__(self, order: DateOrder = DateOrder.DAY_MONTH_YEAR) -> None:
        self._order = order
        self._slot_ids: list[int] = []
        self._slot_of_id: dict[int, int] = {}
        self._alive: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)
        # CSR word index: slots of words[i] are slots[offsets[i]:offsets[i + 1]]
        self._words: list[str] = []
        self._offsets: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._slots: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._delta: list[tuple[str, int]] = []
        # list order: live slots sorted by key, kept sorted by insort on each save
        self._ranked_keys: list[str] = []
        self._ranked_slots: list[int] = []
        self._cache: tuple[IdArray, npt.NDArray[np.int32], npt.NDArray[np.int64]] | None = None

    def __len__(self) -> int:
        return len(self._slot_of_id)

    @classmethod
    def build(
        cls, entries: Iterable[PatientSummary], order: DateOrder = DateOrder.DAY_MONTH_YEAR
    ) -> PatientSearchIndex:
        """Index ``entries``; they are cheapest to index when already in list order.

        Each (word, patient) pair goes into two flat int32 arrays rather than a list per word: at
        100,000 patients that is 4 MB instead of some 30 MB of list cells, and the peak is what the
        process keeps (Python seldom hands freed memory back).
        """
        index = cls(order)
        word_ids: dict[str, int] = {}
        pair_words = array("i")
        pair_slots = array("i")
        keys: list[str] = []
        for entry in entries:
            slot = index._new_slot(entry.id)
            keys.append(ranked_key(entry))
            for word in entry_words(entry, order):
                pair_words.append(word_ids.setdefault(word, len(word_ids)))
                pair_slots.append(slot)
        index._alive = np.ones(len(index._slot_ids), dtype=bool)
        index._set_postings(list(word_ids), np.frombuffer(pair_words, np.int32), np.frombuffer(pair_slots, np.int32))
        # A slot is the entry's position, so list order is the key order of the slots.
        if any(keys[i] > keys[i + 1] for i in range(len(keys) - 1)):
            index._ranked_slots = sorted(range(len(keys)), key=keys.__getitem__)
            index._ranked_keys = [keys[slot] for slot in index._ranked_slots]
        else:
            index._ranked_slots = list(range(len(keys)))
            index._ranked_keys = keys
        index._list_order()
        return index

    def upsert(self, entry: PatientSummary) -> None:
        """Add a new patient or replace what is known of an existing one."""
        self.remove(entry.id)
        slot = self._new_slot(entry.id)
        self._alive = np.append(self._alive, True)
        key = ranked_key(entry)
        position = bisect_left(self._ranked_keys, key)
        self._ranked_keys.insert(position, key)
        self._ranked_slots.insert(position, slot)
        for word in entry_words(entry, self._order):
            insort(self._delta, (word, slot))
        if len(self._delta) >= _MERGE_DELTA_AT:
            self._merge_delta()

    def remove(self, patient_id: int) -> None:
        slot = self._slot_of_id.pop(patient_id, None)
        if slot is None:
            return
        self._alive[slot] = False
        position = self._ranked_slots.index(slot)
        del self._ranked_slots[position]
        del self._ranked_keys[position]
        self._cache = None

    def all_ids(self) -> IdArray:
        """Every patient id in list order."""
        return self._list_order()[0].copy()

    def search(self, text: str) -> IdArray:
        """Ids of the patients that match every word of ``text``, in list order."""
        words = query_words(text)
        if not words:
            return self.all_ids()
        mask = self._alive.copy()
        for word in sorted(set(words), key=len, reverse=True):
            mask &= self._word_mask(word)
        ids_in_order, rank_of_slot, _ = self._list_order()
        ranks = np.sort(rank_of_slot[np.flatnonzero(mask)])
        return ids_in_order[ranks]

    def _new_slot(self, patient_id: int) -> int:
        slot = len(self._slot_ids)
        self._slot_ids.append(patient_id)
        self._slot_of_id[patient_id] = slot
        self._cache = None
        return slot

    def _set_postings(
        self, words: list[str], pair_words: npt.NDArray[np.int32], pair_slots: npt.NDArray[np.int32]
    ) -> None:
        """Lay out the CSR arrays from (word id, slot) pairs; ``words[i]`` is the text of word id i."""
        by_text = sorted(range(len(words)), key=words.__getitem__)
        self._words = [words[i] for i in by_text]
        rank_of_word = np.empty(len(words), dtype=np.int32)
        rank_of_word[by_text] = np.arange(len(words), dtype=np.int32)
        ranks = rank_of_word[pair_words]
        self._slots = pair_slots[np.argsort(ranks, kind="stable")].astype(np.int32)
        counts = np.bincount(ranks, minlength=len(words))
        self._offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    def _merge_delta(self) -> None:
        word_ids = {word: i for i, word in enumerate(self._words)}
        delta_words = [word_ids.setdefault(word, len(word_ids)) for word, _ in self._delta]
        delta_slots = [slot for _, slot in self._delta]
        existing_words = np.repeat(np.arange(len(self._words), dtype=np.int32), np.diff(self._offsets))
        self._delta = []
        self._set_postings(
            list(word_ids),
            np.concatenate((existing_words, np.asarray(delta_words, dtype=np.int32))),
            np.concatenate((self._slots, np.asarray(delta_slots, dtype=np.int32))),
        )

    def _word_mask(self, prefix: str) -> npt.NDArray[np.bool_]:
        mask = np.zeros(len(self._slot_ids), dtype=bool)
        lo = bisect_left(self._words, prefix)
        hi = bisect_left(self._words, prefix + _WORD_END, lo)
        mask[self._slots[self._offsets[lo] : self._offsets[hi]]] = True
        for word, slot in self._delta[bisect_left(self._delta, (prefix, -1)) :]:
            if not word.startswith(prefix):
                break
            mask[slot] = True
        return mask

    def _list_order(self) -> tuple[IdArray, npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """(ids in list order, rank of each slot, id of each slot), recomputed only after a change."""
        if self._cache is None:
            slot_ids = np.asarray(self._slot_ids, dtype=np.int64)
            ranked = np.asarray(self._ranked_slots, dtype=np.int64)
            rank_of_slot = np.full(len(slot_ids), -1, dtype=np.int32)
            rank_of_slot[ranked] = np.arange(len(ranked), dtype=np.int32)
            self._cache = (slot_ids[ranked], rank_of_slot, slot_ids)
        return self._cache
