"""Clubs, squads, membership, screening days, the dashboard and the analytics, for one logged-in person.

Every method checks the role first (``workstation.security.permissions``; a refusal is audited) and every
look at a squad or change to one is audited once, with ids and counts only: never a name, a value or a
note, because the audit is read by people who may not see the record. Club staff see only the athletes
who agreed to share with the club, as in the patient list (G5), and of those only what ``redacted``
leaves; on the dashboard they get availability and nothing clinical.

The repositories are the plain ones; the rules are applied here (as ``ProgressService`` does), so one
dashboard is one audit entry, not one per athlete.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.audit.records import AuditEvent
from workstation.errors import CalfDeskError, RecordNotFound, ValidationFailed
from workstation.list_order import list_sort_key
from workstation.ports import ClinicStore
from workstation.problems import Problem
from workstation.records import Episode, Patient
from workstation.security.permissions import Action, is_allowed, listable, redacted
from workstation.services.guarded import _Guard
from workstation.squads.analytics import build_analytics
from workstation.squads.athletes import AthleteFacts, age_of
from workstation.squads.availability import UNDER_WAY, availability_of
from workstation.squads.dashboard import build_dashboard
from workstation.squads.records import (
    Club,
    Membership,
    Screening,
    ScreeningEntry,
    ScreeningResult,
    ScreeningStatus,
    Squad,
)
from workstation.squads.screening_flags import screening_flags
from workstation.squads.screening_observations import observations_of
from workstation.squads.screening_rules import entry_problems
from workstation.squads.squad_rules import cleaned_squad, club_name_problems, squad_problems
from workstation.squads.views import (
    Dashboard,
    ScreeningFlag,
    SquadAnalytics,
    SquadMember,
    Worksheet,
    WorksheetRow,
)
from workstation.text import nfc

_VIEWED = AuditEvent.SQUAD_VIEWED
_MEMBERSHIP = AuditEvent.SQUAD_MEMBERSHIP_CHANGED


class SquadService:
    """Squads as one person may see and change them."""

    def __init__(self, store: ClinicStore, guard: _Guard, pseudonym_key: Callable[[], bytes]) -> None:
        self._store = store
        self._guard = guard
        self._pseudonym_key = pseudonym_key
        self._role = guard.actor.role

    # Clubs and squads ----------------------------------------------------------------------------

    def clubs(self) -> list[Club]:
        """Every club, by name."""
        self._guard.require(Action.VIEW_SQUADS, _VIEWED)
        return self._store.squads.clubs()

    def add_club(self, name: str) -> Club:
        """Store a new club.

        Raises:
            ValidationFailed: no name, too long, or invisible control characters (field ``name``).
            CalfDeskError: a club of that name exists.
        """
        event = AuditEvent.CLUB_CREATED
        self._guard.require(Action.MANAGE_SQUADS, event)
        _refuse(club_name_problems(name))
        saved = self._store.squads.add_club(Club(nfc(name)))
        self._guard.record(event, patient_id=None, object_type="club", object_id=saved.id)
        return saved

    def squads(self, *, include_archived: bool = False) -> list[Squad]:
        """Squads by club, then name, then season (newest first)."""
        self._guard.require(Action.VIEW_SQUADS, _VIEWED)
        return self._store.squads.squads(include_archived=include_archived)

    def squad(self, squad_id: int) -> Squad:
        """Raises RecordNotFound if there is no such squad."""
        self._guard.require(Action.VIEW_SQUADS, _VIEWED)
        return self._store.squads.get_squad(squad_id)

    def find_squad(self, name: str) -> Squad:
        """The squad called ``name`` (case and surrounding spaces ignored). When several share the name, the
        only one not archived, if there is exactly one.

        Raises:
            RecordNotFound: no squad has that name.
            CalfDeskError: several do, in different clubs or seasons.
        """
        self._guard.require(Action.VIEW_SQUADS, _VIEWED)
        found = self._store.squads.find_squads(name)
        if not found:
            raise RecordNotFound("No squad has that name.")
        current = [squad for squad in found if not squad.archived]
        if len(found) == 1 or len(current) == 1:
            return found[0] if len(found) == 1 else current[0]
        raise CalfDeskError(
            f"{len(found)} squads have that name.", hint="Choose the squad by its club or season in the squad list."
        )

    def save_squad(self, squad: Squad) -> Squad:
        """Add the squad (id None) or save changes made to ``squad.version``.

        Raises:
            ValidationFailed: a field is wrong (each problem names it).
            CalfDeskError: the club has a squad of that name and season already.
            ConflictError: someone else changed it meanwhile.
            RecordNotFound: the club (or the squad) is gone.
        """
        event = AuditEvent.SQUAD_CREATED if squad.id is None else AuditEvent.SQUAD_CHANGED
        self._guard.require(Action.MANAGE_SQUADS, event)
        cleaned = cleaned_squad(squad)
        _refuse(squad_problems(cleaned))
        repository = self._store.squads
        saved = repository.add_squad(cleaned) if squad.id is None else repository.update_squad(cleaned)
        self._guard.auditor.record(
            event, self._guard.actor, object_type="squad", object_id=saved.id, detail=f"club {saved.club_id}"
        )
        return saved

    # Membership ----------------------------------------------------------------------------------

    def members(self, squad_id: int, on: date) -> list[SquadMember]:
        """The squad's members on ``on`` that this role may see, in patient-list order.

        Raises:
            RecordNotFound: there is no such squad.
        """
        self._guard.require(Action.VIEW_SQUADS, _VIEWED)
        current = self._current(squad_id, on)
        self._viewed("squad", squad_id, f"members, {len(current)} athletes")
        return [member for member, _ in current]

    def add_member(self, squad_id: int, patient_id: int, joined_on: date) -> Membership:
        """Make the patient a member from ``joined_on``; a current member's membership is returned unchanged.

        Raises:
            RecordNotFound: the squad or the patient is gone.
        """
        self._guard.require(Action.MANAGE_SQUADS, _MEMBERSHIP, patient_id=patient_id)
        asked = Membership(squad_id, patient_id, joined_on)
        saved = self._store.squads.add_member(asked)
        if saved.uid == asked.uid:  # a new membership, not the one already current
            self._membership_changed(saved, "joined")
        return saved

    def leave_squad(self, membership: Membership, left_on: date) -> Membership:
        """Record the day the athlete left (their screenings and history stay).

        Raises:
            ConflictError: the membership changed meanwhile.
            CalfDeskError: ``left_on`` is before they joined.
        """
        self._guard.require(Action.MANAGE_SQUADS, _MEMBERSHIP, patient_id=membership.patient_id)
        if membership.id is None:
            raise ValueError("leave_squad() needs a stored membership")
        saved = self._store.squads.end_membership(membership.id, left_on, membership.version)
        self._membership_changed(saved, "left")
        return saved

    def _membership_changed(self, membership: Membership, what: str) -> None:
        self._guard.auditor.record(
            _MEMBERSHIP, self._guard.actor, patient_id=membership.patient_id, object_type="squad_member",
            object_id=membership.id, detail=f"squad {membership.squad_id}: {what}",
        )  # fmt: skip

    # Screening -----------------------------------------------------------------------------------

    def start_screening(self, squad_id: int, held_on: date) -> Screening:
        """A new screening of the squad on ``held_on``, or the one of that day still open (it resumes).

        Raises:
            RecordNotFound: there is no such squad.
        """
        event = AuditEvent.SCREENING_STARTED
        self._guard.require(Action.EDIT_CLINICAL, event)
        self._store.squads.get_squad(squad_id)
        for screening in self._store.screenings.for_squad(squad_id):
            if screening.status is ScreeningStatus.OPEN and screening.held_on == held_on:
                return screening
        started = self._store.screenings.start(Screening(squad_id, held_on, started_by=self._guard.actor.user_id))
        self._guard.auditor.record(
            event, self._guard.actor, object_type="screening", object_id=started.id, detail=f"squad {squad_id}"
        )
        return started

    def open_screening(self, squad_id: int) -> Screening | None:
        """The squad's newest screening still open, to resume; None if there is none."""
        self._guard.require(Action.VIEW_CLINICAL, _VIEWED)
        return self._store.screenings.latest_open(squad_id)

    def screenings(self, squad_id: int) -> list[Screening]:
        """The squad's screenings, newest first."""
        self._guard.require(Action.VIEW_CLINICAL, _VIEWED)
        return self._store.screenings.for_squad(squad_id)

    def worksheet(self, screening_id: int) -> Worksheet:
        """The screening's grid: one row per member on the screening day, with what was typed and its flags.

        Raises:
            RecordNotFound: there is no such screening.
        """
        self._guard.require(Action.VIEW_CLINICAL, _VIEWED)
        screening = self._store.screenings.get(screening_id)
        if screening.id is None:
            raise ValueError("a stored screening has an id")
        entries = {entry.patient_id: entry for entry in self._store.screenings.entries(screening.id)}
        previous = _previous_results(self._store.screenings.results(screening.squad_id), screening)
        rows = []
        for member, _ in self._current(screening.squad_id, screening.held_on):
            row = WorksheetRow(
                member, entries.get(member.patient_id), previous.get(member.patient_id),
                age=age_of(member, screening.held_on),
            )  # fmt: skip
            rows.append(replace(row, flags=_row_flags(row, {} if row.entry is None else row.entry.values)))
        self._viewed("screening", screening.id, f"worksheet, squad {screening.squad_id}, {len(rows)} athletes")
        return Worksheet(screening, tuple(rows))

    def evaluate_row(self, row: WorksheetRow, values: Mapping[str, float]) -> tuple[ScreeningFlag, ...]:
        """The flags of ``values`` typed in ``row`` (live, while typing; no database), as ``worksheet`` gives."""
        self._guard.require(Action.VIEW_CLINICAL, _VIEWED, patient_id=row.member.patient_id)
        return _row_flags(row, values)

    def save_entry(self, entry: ScreeningEntry) -> ScreeningEntry:
        """Save one athlete's row as typed (an unfinished screening resumes from these).

        Raises:
            ValidationFailed: a value is outside its measure's range, not whole where it must be, or the
                note is too long (each problem names the key, or ``note``).
            ConflictError: the row changed meanwhile, or the screening is completed.
            RecordNotFound: the screening is gone.
        """
        self._guard.require(Action.EDIT_CLINICAL, AuditEvent.SCREENING_ENTRY_SAVED, patient_id=entry.patient_id)
        _refuse(entry_problems(entry))
        values = {key: float(value) for key, value in entry.values.items()}
        cleaned = replace(entry, values=values, note=nfc(entry.note))
        return self._store.screenings.save_entry(cleaned)

    def complete_screening(self, screening_id: int, version: int) -> Screening:
        """Store every typed value as an observation and close the worksheet, in one transaction.

        Raises:
            ConflictError: the screening changed meanwhile or is completed already (nothing is stored twice).
            RecordNotFound: it is gone.
            ValidationFailed: a stored row breaks the rules (it was not saved through this service).
        """
        event = AuditEvent.SCREENING_COMPLETED
        self._guard.require(Action.EDIT_CLINICAL, event)
        screening = self._store.screenings.get(screening_id)
        entries = [entry for entry in self._store.screenings.entries(screening_id) if not entry.is_empty]
        _refuse([problem for entry in entries for problem in entry_problems(entry)])
        by = self._guard.actor.user_id
        observations = observations_of(screening, entries, recorded_by=by)
        done = self._store.screenings.complete(screening_id, version, observations, by=by, at=self._guard.auditor.now())
        self._guard.auditor.record(
            event, self._guard.actor, object_type="screening", object_id=screening_id,
            detail=f"squad {screening.squad_id}, {len(entries)} athletes, {len(observations)} observations",
        )  # fmt: skip
        return done

    # Dashboard and analytics ---------------------------------------------------------------------

    def dashboard(self, squad_id: int, today: date) -> Dashboard:
        """Each current member's availability and, for a role that may see clinical records, their last
        screening, its change and flags, and the charts.

        Raises:
            RecordNotFound: there is no such squad.
        """
        self._guard.require(Action.VIEW_AVAILABILITY, _VIEWED)
        clinical = is_allowed(self._role, Action.VIEW_CLINICAL)
        athletes = self._athletes(squad_id, today, clinical=clinical)
        self._viewed("squad", squad_id, f"dashboard, {len(athletes)} athletes")
        return build_dashboard(squad_id, today, athletes, clinical_visible=clinical)

    def analytics(self, squad_id: int, today: date) -> SquadAnalytics:
        """The pseudonymised analytics (G4): keyed pseudonyms, age bands, months, numbers; no identifiers.

        Raises:
            RecordNotFound: there is no such squad.
            CalfDeskError: the pseudonym key cannot be read or made.
        """
        self._guard.require(Action.VIEW_SQUAD_ANALYTICS, _VIEWED)
        key = self._pseudonym_key()
        athletes = self._athletes(squad_id, today, clinical=True)
        self._viewed("squad", squad_id, f"analytics, {len(athletes)} athletes")
        return build_analytics(squad_id, today, athletes, key)

    # Reading -------------------------------------------------------------------------------------

    def _current(self, squad_id: int, on: date) -> list[tuple[SquadMember, Patient]]:
        """The members on ``on`` this role may list, as it may see them, in patient-list order."""
        self._store.squads.get_squad(squad_id)
        memberships = self._store.squads.members(squad_id, on)
        # All the members' records at once: one query per athlete was most of a big squad's dashboard.
        patients = self._store.patients.get_many([membership.patient_id for membership in memberships])
        listed = []
        for membership in memberships:
            patient = patients.get(membership.patient_id)
            if patient is None:  # erased between the two reads
                raise RecordNotFound("This patient's record no longer exists.")
            if not listable(self._role, patient.club_consent.given):
                continue
            seen = redacted(self._role, patient)
            member = SquadMember(membership, membership.patient_id, seen.display_name, seen.date_of_birth, seen.sex)
            listed.append((member, patient))
        listed.sort(key=lambda pair: (list_sort_key(pair[1].family_name, pair[1].given_name,
                                                    pair[1].date_of_birth), pair[0].patient_id))  # fmt: skip
        return listed

    def _athletes(self, squad_id: int, on: date, *, clinical: bool) -> list[AthleteFacts]:
        """Each listed member with their availability on ``on`` and, if ``clinical``, their screenings."""
        current = self._current(squad_id, on)
        results: dict[int, list[ScreeningResult]] = {}
        if clinical:
            for result in self._store.screenings.results(squad_id):
                results.setdefault(result.patient_id, []).append(result)
        records = self._records_of([member.patient_id for member, _ in current])
        athletes = []
        for member, patient in current:
            flags, episodes, plans = records.of(member.patient_id)
            availability = availability_of(episodes, flags, plans, on)
            history = tuple(results.get(member.patient_id, ()))
            red_flags = len(flags) if clinical else 0
            athletes.append(AthleteFacts(member, patient.uid, availability, history, open_red_flags=red_flags))
        return athletes

    def _records_of(self, patient_ids: list[int]) -> _MemberRecords:
        """What availability is decided from, for every athlete at once: a few queries, not a few each."""
        store = self._store
        episodes = store.episodes.for_patients(patient_ids)
        # Most athletes have nothing under way: their plans need not be read.
        under_way = [
            patient_id for patient_id in patient_ids
            if any(episode.status in UNDER_WAY for episode in episodes.get(patient_id, ()))
        ]  # fmt: skip
        plans = store.assessments.current_for_patients(under_way) if under_way else {}
        return _MemberRecords(store.red_flags.unresolved_for_patients(patient_ids), episodes, plans)

    def _viewed(self, object_type: str, object_id: int, detail: str) -> None:
        self._guard.auditor.record(_VIEWED, self._guard.actor, object_type=object_type, object_id=object_id,
                                   detail=detail)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _MemberRecords:
    """The squad's unresolved red flags, episodes and current assessments, by patient id."""

    flags: Mapping[int, list[RedFlagRecord]]
    episodes: Mapping[int, list[Episode]]
    plans: Mapping[int, list[AssessmentRecord]]

    def of(self, patient_id: int) -> tuple[list[RedFlagRecord], list[Episode], list[AssessmentRecord]]:
        return (self.flags.get(patient_id, []), self.episodes.get(patient_id, []), self.plans.get(patient_id, []))


def _previous_results(results: list[ScreeningResult], screening: Screening) -> dict[int, ScreeningResult]:
    """Each athlete's last completed screening held before ``screening`` (``results`` oldest first)."""
    previous: dict[int, ScreeningResult] = {}
    for result in results:
        if result.screening_id != screening.id and result.held_on <= screening.held_on:
            previous[result.patient_id] = result
    return previous


def _row_flags(row: WorksheetRow, values: Mapping[str, object]) -> tuple[ScreeningFlag, ...]:
    previous = row.previous
    if previous is None:
        return screening_flags(values, age=row.age, sex=row.member.sex, previous=None)
    return screening_flags(
        values, age=row.age, sex=row.member.sex, previous=previous.values, previous_on=previous.held_on
    )


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise ValidationFailed(problems)
