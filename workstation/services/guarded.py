"""Repositories that check the person's role before every read and write, and audit both.

They stand in front of the plain repositories with the same methods, so every screen and command that
takes a ``PatientRepository`` gets the rules without knowing about them: the permission table is
enforced here, not only by the buttons a role is shown (G5). A refusal is audited too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from typing import TypeVar

from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import PermissionDenied
from workstation.ports import EpisodeRepository, ObservationRepository, PatientRepository
from workstation.records import Episode, Observation, Patient, PatientSummary
from workstation.security.accounts import Actor
from workstation.security.permissions import Action, Grant, grant_for, listable, redacted, require

_T = TypeVar("_T")


class _Guard:
    def __init__(self, actor: Actor, auditor: Auditor) -> None:
        self.actor = actor
        self.auditor = auditor

    def require(self, action: Action, event: AuditEvent, *, patient_id: int | None = None, **kind: bool) -> None:
        """Raise PermissionDenied (audited as a denial of ``event``) unless the role allows ``action``."""
        try:
            require(self.actor, action, **kind)
        except PermissionDenied:
            self.auditor.record(event, self.actor, outcome=Outcome.DENIED, patient_id=patient_id, detail=action.value)
            raise

    def bulk_add(self, object_type: str, add: Callable[[], int]) -> int:
        """Demo data and imports: allowed by ADD_DEMO_DATA, audited as one entry with the count."""
        self.require(Action.ADD_DEMO_DATA, AuditEvent.DEMO_DATA_ADDED)
        added = add()
        self.auditor.record(AuditEvent.DEMO_DATA_ADDED, self.actor, object_type=object_type,
                            detail=f"{added} {object_type}s")  # fmt: skip
        return added

    def record(self, event: AuditEvent, *, patient_id: int | None, object_type: str, object_id: object) -> None:
        self.auditor.record(event, self.actor, patient_id=patient_id, object_type=object_type, object_id=object_id)


class GuardedPatients:
    """``PatientRepository`` for one logged-in person."""

    def __init__(self, patients: PatientRepository, guard: _Guard) -> None:
        self._patients = patients
        self._guard = guard
        self._role = guard.actor.role

    def add(self, patient: Patient) -> Patient:
        self._guard.require(Action.EDIT_PATIENT, AuditEvent.PATIENT_CREATED)
        saved = self._patients.add(patient)
        self._guard.record(AuditEvent.PATIENT_CREATED, patient_id=saved.id, object_type="patient", object_id=saved.id)
        return saved

    def update(self, patient: Patient) -> Patient:
        self._guard.require(Action.EDIT_PATIENT, AuditEvent.PATIENT_UPDATED, patient_id=patient.id)
        saved = self._patients.update(patient)
        self._guard.record(AuditEvent.PATIENT_UPDATED, patient_id=saved.id, object_type="patient", object_id=saved.id)
        return saved

    def get(self, patient_id: int) -> Patient:
        """The record as this role may see it; the look is audited before anything is returned."""
        self._guard.require(Action.VIEW_DEMOGRAPHICS, AuditEvent.PATIENT_VIEWED, patient_id=patient_id)
        patient = self._patients.get(patient_id)
        return self._viewed(patient)

    def get_many(self, patient_ids: Sequence[int]) -> dict[int, Patient]:
        """As ``get`` of each id: the records as this role may see them, each look audited; an id of no patient
        is absent. If the role may not see one of them, none is returned (that refusal is audited)."""
        self._guard.require(Action.VIEW_DEMOGRAPHICS, AuditEvent.PATIENT_VIEWED)
        found = self._patients.get_many(patient_ids)
        for patient in found.values():  # all refusals before any look is recorded
            self._refuse_unlisted(patient)
        return {patient_id: self._viewed(patient) for patient_id, patient in found.items()}

    def find_by_uid(self, uid: str) -> Patient | None:
        self._guard.require(Action.VIEW_DEMOGRAPHICS, AuditEvent.PATIENT_VIEWED)
        patient = self._patients.find_by_uid(uid)
        return None if patient is None else self._viewed(patient)

    def _refuse_unlisted(self, patient: Patient) -> None:
        if not listable(self._role, patient.club_consent.given):
            self._guard.auditor.record(
                AuditEvent.PATIENT_VIEWED, self._guard.actor, outcome=Outcome.DENIED, patient_id=patient.id
            )
            raise PermissionDenied("This athlete has not agreed to share their record with the club.")

    def _viewed(self, patient: Patient) -> Patient:
        self._refuse_unlisted(patient)
        viewed = patient.id
        self._guard.record(AuditEvent.PATIENT_VIEWED, patient_id=viewed, object_type="patient", object_id=viewed)
        return redacted(self._role, patient)

    def count(self) -> int:
        self._guard.require(Action.VIEW_PATIENT_LIST, AuditEvent.PATIENT_LIST_EXPORTED)
        if self._lists_everyone:
            return self._patients.count()
        return sum(1 for _ in self._listed(self._patients.summaries()))

    def first_page(self, limit: int) -> list[PatientSummary]:
        self._guard.require(Action.VIEW_PATIENT_LIST, AuditEvent.PATIENT_LIST_EXPORTED)
        if self._lists_everyone:
            return self._patients.first_page(limit)
        page: list[PatientSummary] = []
        for summary in self._listed(self._patients.summaries()):
            page.append(summary)
            if len(page) == limit:
                break
        return page

    def summaries(self) -> Iterator[PatientSummary]:
        self._guard.require(Action.VIEW_PATIENT_LIST, AuditEvent.PATIENT_LIST_EXPORTED)
        return self._listed(self._patients.summaries())

    def summaries_matching(self, dates_of_birth: Sequence[date], nhs_numbers: Sequence[str]) -> list[PatientSummary]:
        self._guard.require(Action.VIEW_PATIENT_LIST, AuditEvent.PATIENT_LIST_EXPORTED)
        return list(self._listed(self._patients.summaries_matching(dates_of_birth, nhs_numbers)))

    @property
    def _lists_everyone(self) -> bool:
        return listable(self._role, False)

    def _listed(self, summaries: Iterable[PatientSummary]) -> Iterator[PatientSummary]:
        if self._lists_everyone:
            yield from summaries
            return
        for summary in summaries:
            if listable(self._role, summary.club_consent):
                yield summary

    def add_many(self, patients: Iterable[Patient], batch_size: int = 5_000) -> int:
        return self._guard.bulk_add("patient", lambda: self._patients.add_many(patients, batch_size))


class GuardedEpisodes:
    """``EpisodeRepository`` for one logged-in person: episodes are clinical (club: the shared summary)."""

    def __init__(self, episodes: EpisodeRepository, patients: PatientRepository, guard: _Guard) -> None:
        self._episodes = episodes
        self._patients = patients  # the unguarded one: reading a consent flag is not a look at the record
        self._guard = guard

    def add(self, episode: Episode) -> Episode:
        return self._written(AuditEvent.EPISODE_CREATED, episode, self._episodes.add)

    def update(self, episode: Episode) -> Episode:
        return self._written(AuditEvent.EPISODE_UPDATED, episode, self._episodes.update)

    def _written(self, event: AuditEvent, episode: Episode, write: Callable[[Episode], Episode]) -> Episode:
        self._guard.require(Action.EDIT_CLINICAL, event, patient_id=episode.patient_id)
        saved = write(episode)
        self._guard.record(event, patient_id=saved.patient_id, object_type="episode", object_id=saved.id)
        return saved

    def for_patient(self, patient_id: int) -> list[Episode]:
        role = self._guard.actor.role
        if grant_for(role, Action.VIEW_CLINICAL) is not Grant.ALLOWED:
            consent = self._patients.get(patient_id).club_consent.given
            self._guard.require(
                Action.VIEW_SHARED_SUMMARY, AuditEvent.PATIENT_VIEWED, patient_id=patient_id, club_consent=consent
            )
        return self._episodes.for_patient(patient_id)

    def for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[Episode]]:
        """As ``for_patient`` of each id (an id of no patient is absent); PermissionDenied if any is refused."""
        role = self._guard.actor.role
        if grant_for(role, Action.VIEW_CLINICAL) is not Grant.ALLOWED:
            for patient_id, patient in self._patients.get_many(patient_ids).items():
                self._guard.require(
                    Action.VIEW_SHARED_SUMMARY, AuditEvent.PATIENT_VIEWED, patient_id=patient_id,
                    club_consent=patient.club_consent.given,
                )  # fmt: skip
        return self._episodes.for_patients(patient_ids)

    def add_many(self, episodes: Iterable[Episode], batch_size: int = 5_000) -> int:
        return self._guard.bulk_add("episode", lambda: self._episodes.add_many(episodes, batch_size))


class GuardedObservations:
    """``ObservationRepository`` for one logged-in person: measurements are clinical."""

    def __init__(self, observations: ObservationRepository, guard: _Guard) -> None:
        self._observations = observations
        self._guard = guard

    def add(self, observation: Observation) -> Observation:
        event = AuditEvent.OBSERVATION_RECORDED
        self._guard.require(Action.EDIT_CLINICAL, event, patient_id=observation.patient_id)
        saved = self._observations.add(replace(observation, recorded_by=self._guard.actor.user_id))
        self._guard.record(event, patient_id=saved.patient_id, object_type="observation", object_id=saved.id)
        return saved

    def correct(self, correction: Observation) -> Observation:
        """A new version replacing ``correction.corrects_id``, audited with both ids (never the values)."""
        event = AuditEvent.OBSERVATION_CORRECTED
        self._guard.require(Action.EDIT_CLINICAL, event, patient_id=correction.patient_id)
        saved = self._observations.correct(replace(correction, recorded_by=self._guard.actor.user_id))
        self._guard.auditor.record(
            event, self._guard.actor, patient_id=saved.patient_id, object_type="observation", object_id=saved.id,
            detail=f"corrects observation {saved.corrects_id}",
        )  # fmt: skip
        return saved

    def for_patient(self, patient_id: int, code: str | None = None) -> list[Observation]:
        self._guard.require(Action.VIEW_CLINICAL, AuditEvent.PATIENT_VIEWED, patient_id=patient_id)
        return self._observations.for_patient(patient_id, code)

    def history(self, observation_id: int) -> list[Observation]:
        self._guard.require(Action.VIEW_CLINICAL, AuditEvent.PATIENT_VIEWED)
        return self._observations.history(observation_id)


def guard(actor: Actor, auditor: Auditor) -> _Guard:
    return _Guard(actor, auditor)
