"""Each field of an episode of care: its key (as validation names it), its label, and how it reads.

One table, so the episode dialog and its conflict review use the same words for a field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from workstation.dates import DateOrder, format_date
from workstation.records import Episode

EPISODE_LABELS = {
    "complaint": "Complaint",
    "side": "Side",
    "onset_date": "Onset",
    "status": "Status",
    "discharge_date": "Discharged on",
    "discharge_reason": "Reason",
}


def _date_text(day: date | None, order: DateOrder) -> str:
    return format_date(day, order) if day else ""


_READERS: dict[str, Callable[[Episode, DateOrder], str]] = {
    "complaint": lambda e, _order: e.complaint,
    "side": lambda e, _order: e.side.label,
    "onset_date": lambda e, order: _date_text(e.onset_date, order),
    "status": lambda e, _order: e.status.label,
    "discharge_date": lambda e, order: _date_text(e.discharge_date, order),
    "discharge_reason": lambda e, _order: e.discharge_reason.label if e.discharge_reason else "",
}


def episode_differences(theirs: Episode, mine: Episode, order: DateOrder) -> list[tuple[str, str, str]]:
    """(label, their text, my text) for each field whose shown value differs, in form order."""
    rows = []
    for key, label in EPISODE_LABELS.items():
        their_text, my_text = _READERS[key](theirs, order), _READERS[key](mine, order)
        if their_text != my_text:
            rows.append((label, their_text, my_text))
    return rows
