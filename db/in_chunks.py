"""Reading many patients' rows at once: the ids go into ``IN (...)`` lists of a bounded length.

A squad's dashboard reads a thousand athletes' records; one query per athlete cost about 3 ms each on
SQLite, almost all of it the round trip, so the bulk reads ask for a chunk of patients per query instead.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import TypeVar

# SQLite builds from before 3.32 refuse more than 999 bound parameters in a statement, and the query may
# bind one or two of its own; PostgreSQL takes 65,535, so a chunk of 900 suits both.
IN_CHUNK = 900

_Record = TypeVar("_Record")
_Key = TypeVar("_Key", bound=Hashable)


def in_chunks(ids: Sequence[_Key], size: int = IN_CHUNK) -> Iterator[list[_Key]]:
    """The distinct ``ids``, first-seen order, in lists of at most ``size``."""
    distinct = list(dict.fromkeys(ids))
    for start in range(0, len(distinct), size):
        yield distinct[start : start + size]


def by_patient(records: Iterable[_Record], patient_of: Callable[[_Record], int]) -> dict[int, list[_Record]]:
    """``records`` grouped by their patient, each group in the order the records came."""
    grouped: dict[int, list[_Record]] = {}
    for record in records:
        grouped.setdefault(patient_of(record), []).append(record)
    return grouped
