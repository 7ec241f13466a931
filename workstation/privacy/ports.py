"""What the privacy services need from persistence (``db.patient_export`` and ``db.erasure`` implement them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from workstation.privacy.restriction import Restriction
from workstation.privacy.retention import RetentionFacts

# A stored value as read: text, a number, a flag, a date, an instant (UTC), or nothing.
StoredValue = str | int | float | bool | date | datetime | None
StoredRow = Mapping[str, StoredValue]
Tables = Mapping[str, Sequence[StoredRow]]


class PatientFileReader(Protocol):
    def read(self, patient_id: int) -> Tables:
        """Every row held about the patient, by table name, each row as stored (column name to value).

        Raises:
            RecordNotFound: there is no such patient.
        """


class PrivacyStore(Protocol):
    def retention_facts(self, patient_id: int) -> RetentionFacts:
        """The dates the retention rules read. Raises RecordNotFound if there is no such patient."""

    def restriction(self, patient_id: int) -> Restriction | None: ...

    def restrict(self, restriction: Restriction) -> Restriction:
        """Mark the record restricted; an existing restriction is kept as it is and returned."""

    def lift_restriction(self, patient_id: int) -> bool:
        """Remove the mark; False when there was none."""

    def erase(self, patient_id: int) -> Mapping[str, int]:
        """Delete every row about the patient except the audit's, in one transaction, and leave no
        readable trace in the database's files; return the rows deleted per table.

        Raises:
            RecordNotFound: there is no such patient (nothing was deleted).
        """
