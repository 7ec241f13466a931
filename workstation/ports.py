"""What the core needs from persistence, as protocols. ``db`` implements them; tests use the real thing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from workstation.records import Episode, Observation, Patient, PatientSummary


class PatientRepository(Protocol):
    def add(self, patient: Patient) -> Patient:
        """Insert and return the stored record (with ``id`` and ``version``). Idempotent on ``uid``."""

    def update(self, patient: Patient) -> Patient:
        """Save changes made to ``patient.version``; raise ConflictError if the stored one is newer."""

    def get(self, patient_id: int) -> Patient:
        """Raise RecordNotFound if there is no such patient."""

    def find_by_uid(self, uid: str) -> Patient | None: ...

    def count(self) -> int: ...

    def first_page(self, limit: int) -> list[PatientSummary]:
        """The first ``limit`` rows of the patient list, in list order."""

    def summaries(self) -> Iterator[PatientSummary]:
        """Every patient's list row, in list order, streamed."""

    def add_many(self, patients: Iterable[Patient], batch_size: int = 5_000) -> int:
        """Bulk insert in one transaction (imports, demo data); return how many were added."""


class EpisodeRepository(Protocol):
    def add(self, episode: Episode) -> Episode: ...

    def update(self, episode: Episode) -> Episode: ...

    def for_patient(self, patient_id: int) -> list[Episode]:
        """Newest onset first; open episodes before discharged ones of the same date."""

    def add_many(self, episodes: Iterable[Episode], batch_size: int = 5_000) -> int: ...


class ObservationRepository(Protocol):
    def add(self, observation: Observation) -> Observation: ...

    def for_patient(self, patient_id: int, code: str | None = None) -> list[Observation]:
        """Oldest first, so a series reads left to right."""


class ClinicStore(Protocol):
    """An open database: the repositories and what the window needs to know about it."""

    patients: PatientRepository
    episodes: EpisodeRepository
    observations: ObservationRepository

    @property
    def description(self) -> str:
        """Where the data lives, safe to show and log (no password)."""

    @property
    def read_only(self) -> bool: ...

    def check_integrity(self) -> bool:
        """Check the database for damage; a damaged one becomes read-only. False: cancelled, nothing known.

        Raises:
            DamagedDatabase: damage was found (the store is read-only from then on).
        """

    def cancel_integrity_check(self) -> None:
        """Stop a check under way on another thread, concluding nothing (the window is closing)."""

    def close(self) -> None: ...
