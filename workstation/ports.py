"""What the core needs from persistence, as protocols. ``db`` implements them; tests use the real thing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.audit.records import AuditEntry, AuditEvent
from workstation.records import Episode, Observation, Patient, PatientSummary
from workstation.running.records import RunRecord
from workstation.security.accounts import User

if TYPE_CHECKING:  # the letter records bring the progress charts' data types, which a port never needs to load
    from workstation.letters.records import ClinicianProfile, StoredLetter
    from workstation.long_work import Progress
    from workstation.squads.records import (
        Club,
        ImportOutcome,
        Membership,
        Screening,
        ScreeningEntry,
        ScreeningResult,
        Squad,
    )


class PatientRepository(Protocol):
    def add(self, patient: Patient) -> Patient:
        """Insert and return the stored record (with ``id`` and ``version``). Idempotent on ``uid``."""

    def update(self, patient: Patient) -> Patient:
        """Save changes made to ``patient.version``; raise ConflictError if the stored one is newer."""

    def get(self, patient_id: int) -> Patient:
        """Raise RecordNotFound if there is no such patient."""

    def get_many(self, patient_ids: Sequence[int]) -> dict[int, Patient]:
        """The patients of ``patient_ids``, by id, in a few queries (a squad's members); ids of no patient
        are absent, not an error."""

    def find_by_uid(self, uid: str) -> Patient | None: ...

    def count(self) -> int: ...

    def first_page(self, limit: int) -> list[PatientSummary]:
        """The first ``limit`` rows of the patient list, in list order."""

    def summaries(self) -> Iterator[PatientSummary]:
        """Every patient's list row, in list order, streamed."""

    def summaries_matching(self, dates_of_birth: Sequence[date], nhs_numbers: Sequence[str]) -> list[PatientSummary]:
        """The list rows of patients born on one of ``dates_of_birth`` or holding one of ``nhs_numbers``, by id
        (an import's look-up of who is held already)."""

    def add_many(self, patients: Iterable[Patient], batch_size: int = 5_000) -> int:
        """Bulk insert in one transaction (imports, demo data); return how many were added."""


class EpisodeRepository(Protocol):
    def add(self, episode: Episode) -> Episode: ...

    def update(self, episode: Episode) -> Episode: ...

    def for_patient(self, patient_id: int) -> list[Episode]:
        """Newest onset first; open episodes before discharged ones of the same date."""

    def for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[Episode]]:
        """``for_patient`` of each id, in a few queries, in the same order; a patient with none is absent."""

    def add_many(self, episodes: Iterable[Episode], batch_size: int = 5_000) -> int: ...


class ObservationRepository(Protocol):
    """Observations are never changed or deleted; a correction is a new, linked version (I2)."""

    def add(self, observation: Observation) -> Observation: ...

    def correct(self, correction: Observation) -> Observation:
        """Store ``correction``, which replaces the version named by its ``corrects_id``. Idempotent on uid.

        Raises:
            RecordNotFound: there is no such version.
            ConflictError: that version has been corrected already (someone else got there first).
        """

    def for_patient(self, patient_id: int, code: str | None = None) -> list[Observation]:
        """The current version of each measurement, oldest first, so a series reads left to right."""

    def history(self, observation_id: int) -> list[Observation]:
        """Every version of the measurement ``observation_id`` belongs to: the first recording first, the
        current version last. Raise RecordNotFound if there is no such observation."""


class AssessmentRepository(Protocol):
    """Finalised assessments: written once with their observations, never changed; amendments link back."""

    def finalise(self, assessment: AssessmentRecord, observations: Iterable[Observation]) -> AssessmentRecord:
        """Write the assessment and its observations (each with the assessment's episode) in one transaction.

        Also links every unresolved-or-resolved red flag of ``assessment.patient_id`` and episode that has
        no assessment yet to this one. If ``assessment.amends_id`` is set it must name an assessment of the
        same patient that nothing amends yet.

        Raises:
            RecordNotFound: the patient, the episode or the amended assessment does not exist.
            ConflictError: the amended assessment was already amended by someone else.
        """

    def get(self, assessment_id: int) -> AssessmentRecord:
        """Raises RecordNotFound."""

    def for_patient(self, patient_id: int) -> list[AssessmentRecord]:
        """Every version, oldest first (by assessed_on, then id); callers pick the current ones."""

    def current_for_patient(self, patient_id: int) -> list[AssessmentRecord]:
        """Only the versions no other assessment amends, oldest first."""

    def current_for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[AssessmentRecord]]:
        """``current_for_patient`` of each id, in a few queries, in the same order; a patient with none is
        absent."""


class RedFlagRepository(Protocol):
    """Red flags as raised, and the actions recorded for them."""

    def raise_flag(self, flag: RedFlagRecord) -> RedFlagRecord:
        """Store ``flag``; if the same code is already unresolved for this patient and episode, return that one.

        Raises:
            RecordNotFound: the patient does not exist.
        """

    def resolve(self, flag_id: int, action: str, *, by: int | None, at: datetime) -> RedFlagRecord:
        """Record the action taken. Raises RecordNotFound; ConflictError if it was already resolved."""

    def unresolved_for_patient(self, patient_id: int) -> list[RedFlagRecord]:
        """Most urgent first, then oldest first."""

    def unresolved_for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[RedFlagRecord]]:
        """``unresolved_for_patient`` of each id, in a few queries, in the same order; a patient with none is
        absent."""

    def for_patient(self, patient_id: int) -> list[RedFlagRecord]:
        """All of them, oldest first."""


class RunningLogRepository(Protocol):
    """A patient's logged runs (``workstation.running.records.RunRecord``)."""

    def add(self, run: RunRecord) -> RunRecord:
        """Store one run; returns it with its id. Idempotent on uid. RecordNotFound if the patient is gone."""

    def add_many(self, runs: Sequence[RunRecord]) -> int:
        """Store every run in ONE transaction, or none of them (an import); returns how many were stored."""

    def update(self, run: RunRecord) -> RunRecord:
        """Replace the stored run of the same id; ConflictError if its version moved on meanwhile."""

    def delete(self, run_id: int, version: int) -> None:
        """Remove a run; ConflictError if it changed meanwhile, RecordNotFound if it is already gone."""

    def for_patient(self, patient_id: int) -> list[RunRecord]:
        """The patient's runs, oldest first (by date, then id)."""


class UserRepository(Protocol):
    def add(self, user: User) -> User:
        """Insert; raise CalfDeskError if the user name (compared by ``user_key``) is taken."""

    def update(self, user: User) -> User:
        """Save changes made to ``user.version``; raise ConflictError if the stored one is newer."""

    def get(self, user_id: int) -> User:
        """Raise RecordNotFound if there is no such user."""

    def find_by_name(self, user_name: str) -> User | None:
        """The account whose ``user_key`` equals that of ``user_name`` (active or not)."""

    def all(self) -> list[User]:
        """Every account, active ones first, then by user name."""

    def count(self) -> int: ...

    def record_failed_login(self, user_id: int, at: datetime) -> None:
        """Count one failed login against the account (shared by every workstation)."""

    def failed_logins_since(self, user_id: int, since: datetime) -> list[datetime]:
        """The failures at or after ``since``, oldest first."""

    def clear_failed_logins(self, user_id: int) -> None:
        """After a good login, or an admin's unlock."""


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """A filter for the audit viewer; every field None means "any"."""

    patient_id: int | None = None
    user_id: int | None = None
    event: AuditEvent | None = None
    since: datetime | None = None  # inclusive, UTC
    until: datetime | None = None  # exclusive, UTC
    limit: int | None = None  # the newest ``limit`` entries


class AuditLog(Protocol):
    def append(self, entry: AuditEntry) -> AuditEntry:
        """Append in a transaction of its own and return the entry with ``sequence`` and hashes set.

        Appends from every workstation are serialised, so the chain never forks.
        """

    def query(self, query: AuditQuery) -> list[AuditEntry]:
        """Matching entries, newest first."""

    def in_order(self) -> Iterator[AuditEntry]:
        """Every entry in sequence order, streamed (for verifying the chain)."""

    def head(self) -> tuple[int, str]:
        """(sequence, entry hash) of the last entry; (0, the genesis hash) for an empty log."""


@dataclass(frozen=True, slots=True)
class Draft:
    """Unsaved work kept for its author: a form's content when the session was locked or taken over."""

    user_id: int
    kind: str  # "patient", "episode", ...
    key: str  # which record ("new" for one not saved yet, else its id)
    payload: str  # JSON written and read by the form that owns ``kind``
    saved_at: datetime
    id: int | None = None


class DraftStore(Protocol):
    def save(self, draft: Draft) -> Draft:
        """Insert or replace the draft of (user_id, kind, key)."""

    def for_user(self, user_id: int) -> list[Draft]: ...

    def discard(self, draft_id: int) -> None: ...


class SettingsStore(Protocol):
    """Practice-wide settings, each a short text under a key; ``workstation.services.settings`` types them."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str, *, at: datetime, by: int | None) -> None: ...


class KeySlots(Protocol):
    """The per-user wrappings of an encrypted database's key (RELIABILITY.md E3). On a database that is
    not encrypted by CalfDesk (PostgreSQL, whose server encrypts its disks) every change is a no-op."""

    @property
    def encrypted(self) -> bool: ...

    def has_slot(self, user_key: str) -> bool: ...

    def set_password(self, user_key: str, password: str) -> None:
        """Give the account a slot opened by ``password`` (new, or re-wrapped after a change)."""

    def remove(self, user_key: str) -> None:
        """The account's password opens the database no more (a leaver)."""

    def issue_recovery_key(self) -> str:
        """A new recovery key (the earlier one stops working), to show once: it is never stored."""


class Records(Protocol):
    """The clinical records and what the window needs to know about where they live.

    A ``ClinicStore`` is one (with no rules); so is a logged-in ``ClinicSession``, whose repositories
    check the person's role and audit every look and change.
    """

    @property
    def patients(self) -> PatientRepository: ...

    @property
    def episodes(self) -> EpisodeRepository: ...

    @property
    def observations(self) -> ObservationRepository: ...

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


class LetterRepository(Protocol):
    """Finalised letters: stored once with their PDF, never changed (migration 0008)."""

    def add(self, letter: StoredLetter, pdf: bytes) -> StoredLetter:
        """Store the letter and its PDF in one transaction; returns it with its id. Idempotent on uid.
        RecordNotFound if the patient is gone."""

    def get(self, letter_id: int) -> StoredLetter:
        """RecordNotFound if there is no such letter."""

    def pdf(self, letter_id: int) -> bytes:
        """The stored PDF bytes exactly as finalised. RecordNotFound if there is no such letter."""

    def for_patient(self, patient_id: int) -> list[StoredLetter]:
        """The patient's letters, newest first."""


class ClinicianProfileRepository(Protocol):
    """Each clinician's letter details: profession, registration, contact, signature image."""

    def get(self, user_id: int) -> ClinicianProfile | None:
        """None when the clinician has not filled theirs in yet."""

    def save(self, profile: ClinicianProfile, *, at: datetime, by: int) -> ClinicianProfile:
        """Insert or replace; returns it with its new version. ConflictError if the stored version moved on."""


class ClinicImageStore(Protocol):
    """Images of the practice's (the letterhead logo), by key."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, content: bytes | None, *, at: datetime, by: int | None) -> None:
        """Store (or, with None, remove) one image in one transaction."""


class SquadRepository(Protocol):
    """Clubs, their squads and who is in them (``workstation.squads.records``)."""

    def add_club(self, club: Club) -> Club:
        """Insert; idempotent on uid. CalfDeskError if a club of that name (compared casefolded) exists."""

    def clubs(self) -> list[Club]:
        """Every club, by name."""

    def add_squad(self, squad: Squad) -> Squad:
        """Insert; idempotent on uid. CalfDeskError if the club has a squad of that name and season
        (names compared casefolded); RecordNotFound if the club is gone."""

    def update_squad(self, squad: Squad) -> Squad:
        """Save changes made to ``squad.version``; ConflictError if the stored one is newer."""

    def get_squad(self, squad_id: int) -> Squad:
        """RecordNotFound if there is no such squad."""

    def squads(self, *, include_archived: bool = False) -> list[Squad]:
        """Squads by club, then name, then season (newest season first)."""

    def find_squads(self, name: str) -> list[Squad]:
        """The squads called ``name`` (casefolded, surrounding spaces ignored), in any club or season."""

    def members(self, squad_id: int, on: date | None = None) -> list[Membership]:
        """Memberships of the squad, oldest first; with ``on``, only those current that day."""

    def memberships_of(self, patient_id: int) -> list[Membership]:
        """The patient's memberships of every squad, oldest first."""

    def add_member(self, membership: Membership) -> Membership:
        """Start a membership; if the patient is already a current member, return that one unchanged.
        RecordNotFound if the squad or patient is gone."""

    def end_membership(self, membership_id: int, left_on: date, version: int) -> Membership:
        """Record the day the athlete left. ConflictError if it changed meanwhile; CalfDeskError if
        ``left_on`` is before it started."""

    def import_athletes(
        self,
        squad: Squad,
        new_patients: Sequence[Patient],
        updated_patients: Sequence[Patient],
        existing_ids: Sequence[int],
        joined_on: date,
        progress: Progress,
        *,
        new_club: Club | None = None,
    ) -> ImportOutcome:
        """One import, in ONE transaction, or nothing at all.

        Creates ``squad`` if its id is None (its club must exist, or be ``new_club``: created first in the
        same transaction, and the squad's club whatever its ``club_id`` says), inserts ``new_patients``, saves
        ``updated_patients`` (each carrying the version it was read at: ConflictError if one moved on),
        and makes every new patient and every id of ``existing_ids`` a current member from ``joined_on``
        (already-current members are counted, not duplicated). Reports progress between batches and
        raises ``Cancelled`` (rolling everything back) when ``progress.cancel_requested``.
        """


class ScreeningRepository(Protocol):
    """Screening days and their worksheets (``workstation.squads.records``)."""

    def start(self, screening: Screening) -> Screening:
        """Insert; idempotent on uid. RecordNotFound if the squad is gone."""

    def get(self, screening_id: int) -> Screening:
        """RecordNotFound if there is no such screening."""

    def for_squad(self, squad_id: int) -> list[Screening]:
        """The squad's screenings, newest first (by held_on, then id)."""

    def entries(self, screening_id: int) -> list[ScreeningEntry]:
        """The worksheet's rows, by patient id."""

    def save_entry(self, entry: ScreeningEntry) -> ScreeningEntry:
        """Insert (id None) or replace the row at ``entry.version``; ConflictError if it moved on or the
        screening is completed (its worksheet is read-only); RecordNotFound if the screening is gone."""

    def complete(
        self, screening_id: int, version: int, observations: Sequence[Observation], *, by: int | None, at: datetime
    ) -> Screening:
        """Store ``observations`` and mark the screening completed, in ONE transaction.

        Raises:
            ConflictError: the screening changed meanwhile, or is completed already.
            RecordNotFound: it is gone.
        """

    def results(self, squad_id: int) -> list[ScreeningResult]:
        """Every completed screening's values for the squad's athletes, oldest screening first. Values are
        the current versions of the observations each completion stored (corrections included)."""

    def latest_open(self, squad_id: int) -> Screening | None:
        """The newest screening still open, to resume."""


class ClinicStore(Records, Protocol):
    """An open database: the records with no rules in front, and the accounts, audit, drafts, settings."""

    users: UserRepository
    audit: AuditLog
    drafts: DraftStore
    settings: SettingsStore
    assessments: AssessmentRepository
    red_flags: RedFlagRepository
    running_log: RunningLogRepository
    letters: LetterRepository
    clinician_profiles: ClinicianProfileRepository
    clinic_images: ClinicImageStore
    squads: SquadRepository
    screenings: ScreeningRepository
    key_slots: KeySlots

    def close(self) -> None: ...
