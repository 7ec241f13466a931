"""The order of the patient list, kept apart from the search index so that it costs no NumPy import.

The database stores the key beside each patient (``db.mapping``), and the window sorts its first page
with it before the search index, and NumPy with it, are loaded.
"""

from __future__ import annotations

from datetime import date

from workstation.records import PatientSummary
from workstation.text import fold

__all__ = ["list_sort_key", "ranked_key"]


def list_sort_key(family_name: str, given_name: str, born: date) -> str:
    """The order of the patient list (family name, given name, date of birth) as one string.

    The database stores it beside each patient, so the list's first page and the index come out of
    one indexed scan (ties are broken by id).
    """
    family = fold(family_name) or fold(given_name)
    given = fold(given_name) if family_name else ""
    return f"{family}\x1f{given}\x1f{born.isoformat()}"


def ranked_key(summary: PatientSummary) -> str:
    """The stored list key made unique by the id, so that equal names keep a stable order."""
    key = summary.sort_key or list_sort_key(summary.family_name, summary.given_name, summary.date_of_birth)
    return f"{key}\x1f{summary.id:012d}"
