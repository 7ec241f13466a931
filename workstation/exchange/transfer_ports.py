"""What a record transfer needs from persistence (``db.patient_transfer`` implements it).

A transfer carries one patient's record from one CalfDesk database to another (``record_transfer`` reads
and writes the ``calfdesk-record-transfer`` file). The receiving database stores it as a new patient:
every row gets a new id and keeps its uid, so the same record can never be imported twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from workstation.errors import CalfDeskError

# A value as the file holds it: JSON's scalars (dates and instants are ISO 8601 text, a PDF a data: URI).
TransferValue = str | int | float | bool | None
TransferRow = Mapping[str, TransferValue]


class TransferRefused(CalfDeskError):
    """The file is not a record transfer CalfDesk can import (damaged, from a newer version, not ours)."""


class RecordAlreadyHeld(CalfDeskError):
    """The record (or part of it) is in this database already: importing it again would make a copy."""


@dataclass(frozen=True, slots=True, repr=False)
class TransferRecord:
    """One patient's record as read from a transfer file and checked (letters against their SHA-256)."""

    patient_uid: str
    exported_at: datetime  # UTC, when the sending CalfDesk wrote the file
    tables: Mapping[str, Sequence[TransferRow]]  # table name -> rows, column name -> value as in the file

    def __repr__(self) -> str:  # rows hold names and clinical text: never in a log
        return f"TransferRecord(patient_uid={self.patient_uid!r}, rows={self.row_count})"

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


class RecordTransferWriter(Protocol):
    def write(self, record: TransferRecord, *, imported_by: int | None) -> int:
        """Store ``record`` as a new patient in ONE transaction, or nothing at all; return the new patient's id.

        Every row gets a new id, and every reference to another row of the record follows it; uids are
        kept. References to the sending database's staff cannot be followed: they become NULL, and a
        letter's author (which must be an account here) becomes ``imported_by``; the author's name stays.

        Raises:
            RecordAlreadyHeld: the patient's uid, or the uid of any row of the record, is held already.
            TransferRefused: a value does not fit its column, or a row refers to one the file lacks.
            CalfDeskError: the database could not be written (locked, full, read-only).
        """
