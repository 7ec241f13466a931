"""Screening rows on their way to the database.

A row's saves run in turn on the one database thread. A row typed again while its first save still waits
in the queue is sent at once, and takes the version that first save produces when its own turn comes,
instead of waiting for the GUI thread to hear back. So closing the window (which runs the queued saves
before the store closes: ``must_finish``) stores the last thing typed in every row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from workstation.squads.records import ScreeningEntry

if TYPE_CHECKING:
    from workstation.services.squads import SquadService


class RowSaves:
    """What the screening tab has sent (GUI thread) and what the database stored (database thread)."""

    def __init__(self) -> None:
        self._sent: dict[int, ScreeningEntry] = {}  # by patient id: the latest save sent and not back yet
        self._in_flight: Counter[int] = Counter()
        # Read and written on the database thread only, one task at a time: no lock is needed.
        self._stored: dict[tuple[int, int], ScreeningEntry] = {}

    def on_its_way(self, entry: ScreeningEntry) -> bool:
        """Whether a save of exactly this row (values and note) is sent and not back yet."""
        sent = self._sent.get(entry.patient_id)
        return (
            sent is not None
            and sent.screening_id == entry.screening_id
            and dict(sent.values) == dict(entry.values)
            and sent.note == entry.note
        )

    def sending(self, entry: ScreeningEntry) -> None:
        self._sent[entry.patient_id] = entry
        self._in_flight[entry.patient_id] += 1

    def returned(self, patient_id: int) -> bool:
        """A save of the row came back; True when it was the row's last one in flight."""
        self._in_flight[patient_id] -= 1
        if self._in_flight[patient_id] > 0:
            return False
        del self._in_flight[patient_id]
        self._sent.pop(patient_id, None)
        return True

    def in_flight(self, patient_id: int) -> bool:
        return self._in_flight[patient_id] > 0

    def store(self, service: SquadService, entry: ScreeningEntry) -> ScreeningEntry:
        """Runs on the database thread: save ``entry`` over the version this tab stored last, if newer."""
        key = (entry.screening_id, entry.patient_id)
        known = self._stored.get(key)
        if known is not None and known.version > entry.version:
            entry = replace(entry, id=known.id, version=known.version)
        stored = service.save_entry(entry)
        self._stored[key] = stored
        return stored
