"""Squads for one logged-in person, on real databases of both kinds: the role x method matrix (G5, every
pair), club staff seeing consenting athletes' availability only, screening resume and completion (the
observations written once, coded as an assessment codes them), the dashboard and the analytics, and an
audit that names no one."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEntry, AuditEvent, Outcome
from workstation.errors import CalfDeskError, ConflictError, PermissionDenied, RecordNotFound, ValidationFailed
from workstation.ports import AuditQuery
from workstation.records import Consent, Episode, Patient, Sex, Side
from workstation.security.accounts import Actor, Role
from workstation.security.permissions import Action
from workstation.services.session import ClinicSession
from workstation.services.squads import SquadService
from workstation.squads.pseudonyms import pseudonym
from workstation.squads.records import (
    SCREENING_MEASURES,
    Availability,
    Club,
    Membership,
    Screening,
    ScreeningEntry,
    ScreeningStatus,
    Squad,
)
from workstation.squads.views import SquadMember, WorksheetRow

NOW = datetime(2026, 12, 16, 9, 30, tzinfo=UTC)
TODAY = date(2026, 12, 16)
JOINED = date(2026, 9, 1)
NOV_3 = date(2026, 11, 3)
KEY = bytes(range(100, 132))
NAMES = ("Ngata", "O'Brien", "Lee", "Aroha", "Zoë", "Sam")


def _session(store: Any, role: Role = Role.CLINICIAN, user_id: int = 7) -> ClinicSession:
    session = ClinicSession(store, Actor(user_id, f"{role.value}.user", role, "room-2"),
                            Auditor(store.audit, "room-2", lambda: NOW))  # fmt: skip
    return session


def _squads(store: Any, role: Role = Role.CLINICIAN) -> SquadService:
    session = _session(store, role)
    return SquadService(store, session._guard, lambda: KEY)


@dataclass
class World:
    club: Club
    squad: Squad
    aroha: Patient  # club consent, an open episode not yet assessed
    zoe: Patient  # no club consent, an unresolved red flag
    sam: Patient  # club consent, nothing under way

    @property
    def squad_id(self) -> int:
        assert self.squad.id is not None
        return self.squad.id


def _patient(store: Any, given: str, family: str, born: date, *, consent: bool, sex: Sex) -> Patient:
    club = Consent(True, date(2026, 8, 1)) if consent else Consent()
    return store.patients.add(Patient(given, family, born, sex=sex, email=f"{given.lower()}@example.org",
                                      phone="07700 900123", club_consent=club))  # fmt: skip


@pytest.fixture
def world(store: Any) -> World:
    club = store.squads.add_club(Club("Harbour Harriers"))
    squad = store.squads.add_squad(Squad(club.id, "Senior women", "2026/27"))
    aroha = _patient(store, "Aroha", "Ngata", date(1991, 5, 6), consent=True, sex=Sex.FEMALE)
    zoe = _patient(store, "Zoë", "O'Brien", date(1999, 2, 28), consent=False, sex=Sex.FEMALE)
    sam = _patient(store, "Sam", "Lee", date(2001, 10, 12), consent=True, sex=Sex.MALE)
    for patient in (aroha, zoe, sam):
        store.squads.add_member(Membership(squad.id, patient.id, JOINED))
    store.episodes.add(Episode(aroha.id, "Left calf strain", Side.LEFT, date(2026, 12, 1)))
    store.red_flags.raise_flag(RedFlagRecord(zoe.id, None, "dvt_likely", "urgent", "Same-day DVT pathway", NOW, 7))
    return World(club, squad, aroha, zoe, sam)


def _entries(store: Any, event: AuditEvent | None = None) -> list[AuditEntry]:
    found: list[AuditEntry] = store.audit.query(AuditQuery(event=event))
    return found


def _assert_names_nowhere(entries: list[AuditEntry]) -> None:
    for entry in entries:
        text = f"{entry.detail} {entry.object_type} {entry.object_id}"
        assert not any(name in text for name in NAMES), entry


# --- G5: every method, every role ----------------------------------------------------------------------------

Call = Callable[[SquadService, World, Any, str], object]


def _row(world: World) -> WorksheetRow:
    membership = Membership(world.squad_id, world.sam.id or 0, JOINED, id=1)
    return WorksheetRow(SquadMember(membership, world.sam.id or 0, "Lee, Sam", None), None, None)


def _open_screening(store: Any, world: World, day: int) -> Screening:
    return store.screenings.start(Screening(world.squad_id, date(2026, 10, day)))


def _membership_of(store: Any, world: World, tag: str) -> Membership:
    patient = store.patients.add(Patient("Leaver", f"Number {tag}", date(1990, 1, 1)))
    return store.squads.add_member(Membership(world.squad_id, patient.id, JOINED))  # type: ignore[no-any-return]


def _complete(service: SquadService, world: World, store: Any, tag: str) -> object:
    screening = _open_screening(store, world, len(tag) + 1)
    return service.complete_screening(screening.id or 0, screening.version)


# method: (the call, its action, the event a refusal is audited as, the roles allowed)
ALL, CLINICAL = frozenset(Role), frozenset({Role.ADMIN, Role.CLINICIAN})
SQUAD_VIEWERS = frozenset({Role.ADMIN, Role.CLINICIAN, Role.CLUB})
V = AuditEvent.SQUAD_VIEWED
METHODS: dict[str, tuple[Call, Action, AuditEvent, frozenset[Role]]] = {
    "clubs": (lambda s, w, st, t: s.clubs(), Action.VIEW_SQUADS, V, SQUAD_VIEWERS),
    "add_club": (lambda s, w, st, t: s.add_club(f"Club {t}"), Action.MANAGE_SQUADS, AuditEvent.CLUB_CREATED, CLINICAL),
    "squads": (lambda s, w, st, t: s.squads(include_archived=True), Action.VIEW_SQUADS, V, SQUAD_VIEWERS),
    "squad": (lambda s, w, st, t: s.squad(w.squad_id), Action.VIEW_SQUADS, V, SQUAD_VIEWERS),
    "find_squad": (lambda s, w, st, t: s.find_squad("senior women"), Action.VIEW_SQUADS, V, SQUAD_VIEWERS),
    "save_squad": (lambda s, w, st, t: s.save_squad(Squad(w.club.id or 0, f"Squad {t}")), Action.MANAGE_SQUADS,
                   AuditEvent.SQUAD_CREATED, CLINICAL),
    "save_squad (change)": (lambda s, w, st, t: s.save_squad(replace(st.squads.get_squad(w.squad_id),
                            coach_name=f"Coach {t}")), Action.MANAGE_SQUADS, AuditEvent.SQUAD_CHANGED, CLINICAL),
    "members": (lambda s, w, st, t: s.members(w.squad_id, TODAY), Action.VIEW_SQUADS, V, SQUAD_VIEWERS),
    "add_member": (lambda s, w, st, t: s.add_member(w.squad_id, st.patients.add(Patient("New", t, date(2000, 1, 1))
                   ).id, TODAY), Action.MANAGE_SQUADS, AuditEvent.SQUAD_MEMBERSHIP_CHANGED, CLINICAL),
    "leave_squad": (lambda s, w, st, t: s.leave_squad(_membership_of(st, w, t), TODAY), Action.MANAGE_SQUADS,
                    AuditEvent.SQUAD_MEMBERSHIP_CHANGED, CLINICAL),
    "start_screening": (lambda s, w, st, t: s.start_screening(w.squad_id, date(2026, 11, len(t))),
                        Action.EDIT_CLINICAL, AuditEvent.SCREENING_STARTED, CLINICAL),
    "open_screening": (lambda s, w, st, t: s.open_screening(w.squad_id), Action.VIEW_CLINICAL, V, CLINICAL),
    "screenings": (lambda s, w, st, t: s.screenings(w.squad_id), Action.VIEW_CLINICAL, V, CLINICAL),
    "worksheet": (lambda s, w, st, t: s.worksheet(_open_screening(st, w, len(t)).id or 0), Action.VIEW_CLINICAL, V,
                  CLINICAL),
    "evaluate_row": (lambda s, w, st, t: s.evaluate_row(_row(w), {"pain": 2}), Action.VIEW_CLINICAL, V, CLINICAL),
    "save_entry": (lambda s, w, st, t: s.save_entry(ScreeningEntry(_open_screening(st, w, len(t)).id or 0,
                   w.sam.id or 0, {"pain": 1})), Action.EDIT_CLINICAL, AuditEvent.SCREENING_ENTRY_SAVED, CLINICAL),
    "complete_screening": (_complete, Action.EDIT_CLINICAL, AuditEvent.SCREENING_COMPLETED, CLINICAL),
    "dashboard": (lambda s, w, st, t: s.dashboard(w.squad_id, TODAY), Action.VIEW_AVAILABILITY, V, SQUAD_VIEWERS),
    "analytics": (lambda s, w, st, t: s.analytics(w.squad_id, TODAY), Action.VIEW_SQUAD_ANALYTICS, V, SQUAD_VIEWERS),
}  # fmt: skip
PUBLIC_METHODS = {name for name in dir(SquadService) if not name.startswith("_")}


def test_the_matrix_names_every_public_method_of_the_service() -> None:
    assert {name.split(" ")[0] for name in METHODS} == PUBLIC_METHODS


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_every_method_for_every_role(store: Any, world: World, role: Role) -> None:
    """G5: 100 % of role x method pairs; each refusal is audited as a denial of its event, naming the action."""
    service = _squads(store, role)
    for name, (call, action, event, allowed) in METHODS.items():
        tag = f"{role.value}-{name.split(' ')[0]}"
        before = len(_entries(store, event))
        if role in allowed:
            call(service, world, store, tag)
            continue
        with pytest.raises(PermissionDenied):
            call(service, world, store, tag)
        denied = _entries(store, event)[: len(_entries(store, event)) - before]
        assert [(e.outcome, e.detail, e.role) for e in denied] == [(Outcome.DENIED, action.value, role.value)], name
    _assert_names_nowhere(_entries(store))


# --- membership -----------------------------------------------------------------------------------------------


def test_clinicians_see_every_member_in_list_order_club_staff_only_those_who_consented(
    store: Any, world: World
) -> None:
    everyone = _squads(store).members(world.squad_id, TODAY)
    assert [m.display_name for m in everyone] == ["Lee, Sam", "Ngata, Aroha", "O'Brien, Zoë"]
    assert everyone[1].date_of_birth == date(1991, 5, 6) and everyone[1].sex is Sex.FEMALE
    club = _squads(store, Role.CLUB).members(world.squad_id, TODAY)
    assert [m.patient_id for m in club] == [world.sam.id, world.aroha.id]
    (viewed, *_) = _entries(store, AuditEvent.SQUAD_VIEWED)  # newest first
    assert (viewed.role, viewed.object_type, viewed.object_id, viewed.detail) == (
        "club", "squad", str(world.squad_id), "members, 2 athletes"
    )


def test_membership_over_time(store: Any, world: World) -> None:
    squads = _squads(store)
    late = store.patients.add(Patient("Tui", "Ranginui", date(1995, 3, 3)))
    joined = squads.add_member(world.squad_id, late.id, date(2026, 12, 1))
    assert squads.add_member(world.squad_id, late.id, date(2026, 12, 5)) == joined  # already a member
    assert len(_entries(store, AuditEvent.SQUAD_MEMBERSHIP_CHANGED)) == 1
    left = squads.leave_squad(joined, date(2026, 12, 10))
    assert left.left_on == date(2026, 12, 10)
    ids = lambda day: {m.patient_id for m in squads.members(world.squad_id, day)}  # noqa: E731
    assert late.id not in ids(date(2026, 11, 30)) and late.id in ids(date(2026, 12, 9)) and late.id not in ids(TODAY)
    with pytest.raises(ConflictError):
        squads.leave_squad(joined, date(2026, 12, 11))  # the version read before it left
    changes = _entries(store, AuditEvent.SQUAD_MEMBERSHIP_CHANGED)
    assert [(e.detail, e.patient_id) for e in changes] == [(f"squad {world.squad_id}: left", late.id),
                                                           (f"squad {world.squad_id}: joined", late.id)]  # fmt: skip
    with pytest.raises(RecordNotFound):
        squads.members(10_000, TODAY)


def test_squads_and_clubs_are_checked_cleaned_and_audited_without_names(store: Any, world: World) -> None:
    squads = _squads(store)
    with pytest.raises(ValidationFailed) as wrong:
        squads.save_squad(Squad(world.club.id or 0, "  ", coach_email="coach at club", coach_phone="call me"))
    assert sorted(p.field for p in wrong.value.problems) == ["coach_email", "coach_phone", "name"]
    with pytest.raises(ValidationFailed) as hidden:
        squads.add_club("Harbour\u202e Harriers")
    assert [p.field for p in hidden.value.problems] == ["name"]
    saved = squads.save_squad(Squad(world.club.id or 0, "  Under 17s\u0301 ", "2026", coach_name=" Mere Paki "))
    assert (saved.name, saved.coach_name, saved.id is not None) == ("Under 17\u015b", "Mere Paki", True)  # NFC, trimmed
    changed = squads.save_squad(replace(saved, archived=True))
    assert changed.archived and changed.version > saved.version
    with pytest.raises(ConflictError):
        squads.save_squad(replace(saved, season="2027"))
    with pytest.raises(CalfDeskError):
        squads.add_club("harbour harriers")
    assert [c.name for c in squads.clubs()] == ["Harbour Harriers"]
    assert saved not in squads.squads() and changed in squads.squads(include_archived=True)
    (created,) = _entries(store, AuditEvent.SQUAD_CREATED)
    assert (created.object_id, created.detail) == (str(saved.id), f"club {world.club.id}")
    _assert_names_nowhere(_entries(store))
    assert not any("Mere" in e.detail or "Under" in e.detail for e in _entries(store))


def test_finding_a_squad_by_name(store: Any, world: World) -> None:
    squads = _squads(store)
    assert squads.find_squad(" SENIOR WOMEN ") == world.squad
    with pytest.raises(RecordNotFound):
        squads.find_squad("Juniors")
    old = squads.save_squad(Squad(world.club.id or 0, "Senior women", "2025/26"))
    with pytest.raises(CalfDeskError, match="2 squads have that name"):
        squads.find_squad("Senior women")
    squads.save_squad(replace(old, archived=True))
    assert squads.find_squad("Senior women") == world.squad  # the only one not archived


# --- screening --------------------------------------------------------------------------------------------------


def test_a_screening_of_the_same_day_resumes_with_what_was_typed(store: Any, world: World) -> None:
    squads = _squads(store)
    started = squads.start_screening(world.squad_id, TODAY)
    assert (started.status, started.started_by) == (ScreeningStatus.OPEN, 7)
    saved = squads.save_entry(ScreeningEntry(started.id or 0, world.sam.id or 0, {"heel_raise_left": 31}, " ok "))
    again = _squads(store).start_screening(world.squad_id, TODAY)  # another sitting, the same evening
    assert again == started and squads.open_screening(world.squad_id) == started
    assert len(_entries(store, AuditEvent.SCREENING_STARTED)) == 1
    rows = {row.member.patient_id: row for row in squads.worksheet(started.id or 0).rows}
    assert rows[world.sam.id].entry == saved and saved.values == {"heel_raise_left": 31.0} and saved.note == "ok"
    assert rows[world.aroha.id].entry is None and len(rows) == 3
    other_day = squads.start_screening(world.squad_id, date(2026, 12, 17))
    assert other_day.id != started.id
    assert [s.id for s in squads.screenings(world.squad_id)] == [other_day.id, started.id]


@pytest.mark.parametrize(
    ("values", "note", "field"),
    [({"heel_raise_left": 151}, "", "heel_raise_left"), ({"heel_raise_right": -1}, "", "heel_raise_right"),
     ({"bent_knee_left": 20.5}, "", "bent_knee_left"), ({"knee_to_wall_left": 25.5}, "", "knee_to_wall_left"),
     ({"pain": 11}, "", "pain"), ({"pain": 2.5}, "", "pain"), ({"hop_test": 3}, "", "hop_test"),
     ({}, "x" * 2_001, "note")],
)  # fmt: skip
def test_a_row_that_breaks_the_rules_is_refused_naming_the_key(
    store: Any, world: World, values: dict[str, float], note: str, field: str
) -> None:
    squads = _squads(store)
    screening = squads.start_screening(world.squad_id, TODAY)
    with pytest.raises(ValidationFailed) as refused:
        squads.save_entry(ScreeningEntry(screening.id or 0, world.sam.id or 0, values, note))
    assert [p.field for p in refused.value.problems] == [field]
    assert store.screenings.entries(screening.id) == []


def _screen(squads: SquadService, world: World, day: date, rows: dict[int, dict[str, float]]) -> Screening:
    screening = squads.start_screening(world.squad_id, day)
    for patient_id, values in rows.items():
        squads.save_entry(ScreeningEntry(screening.id or 0, patient_id, values))
    return squads.complete_screening(screening.id or 0, store_version(squads, screening))


def store_version(squads: SquadService, screening: Screening) -> int:
    return next(s.version for s in squads.screenings(screening.squad_id) if s.id == screening.id)


def test_completing_stores_each_value_once_as_an_assessment_codes_it(store: Any, world: World) -> None:
    squads = _squads(store)
    screening = squads.start_screening(world.squad_id, NOV_3)
    full = {measure.key: (12.5 if measure.unit == "cm" else 3.0) for measure in SCREENING_MEASURES}
    squads.save_entry(ScreeningEntry(screening.id or 0, world.sam.id or 0, full, "Tight left calf"))
    squads.save_entry(ScreeningEntry(screening.id or 0, world.aroha.id or 0, {"heel_raise_right": 28}))
    squads.save_entry(ScreeningEntry(screening.id or 0, world.zoe.id or 0, {}, ""))  # an empty row: nothing stored
    done = squads.complete_screening(screening.id or 0, screening.version)
    assert (done.status, done.completed_by, done.completed_at) == (ScreeningStatus.COMPLETED, 7, NOW)

    sam = store.observations.for_patient(world.sam.id)
    assert len(sam) == len(SCREENING_MEASURES)
    expected = {(m.code, m.side, m.unit) for m in SCREENING_MEASURES}
    assert {(o.code, o.side, o.unit) for o in sam} == expected
    assert {(o.observed_on, o.recorded_by, o.episode_id, o.assessment_id) for o in sam} == {(NOV_3, 7, None, None)}
    protocols = {o.code: o.protocol for o in sam}
    assert protocols["heel_raise_reps"] == "knee straight" and protocols["heel_raise_bent_reps"] == "knee bent"
    assert {o.code: o.value for o in sam if o.side is Side.LEFT}["knee_to_wall_cm"] == 12.5
    (aroha,) = store.observations.for_patient(world.aroha.id)
    assert (aroha.code, aroha.side, aroha.value) == ("heel_raise_reps", Side.RIGHT, 28.0)
    assert store.observations.for_patient(world.zoe.id) == []

    with pytest.raises(ConflictError):
        squads.complete_screening(screening.id or 0, done.version)  # once only
    with pytest.raises(ConflictError):
        squads.save_entry(ScreeningEntry(screening.id or 0, world.zoe.id or 0, {"pain": 1}))  # read-only now
    assert len(store.observations.for_patient(world.sam.id)) == len(SCREENING_MEASURES)
    (completed,) = _entries(store, AuditEvent.SCREENING_COMPLETED)
    assert completed.detail == f"squad {world.squad_id}, 2 athletes, 8 observations"
    assert squads.open_screening(world.squad_id) is None
    assert squads.start_screening(world.squad_id, NOV_3).id != screening.id  # a completed one never resumes
    _assert_names_nowhere(_entries(store))
    assert not any("Tight" in e.detail for e in _entries(store))


def test_the_worksheet_flags_against_the_previous_screening_and_evaluate_row_agrees(store: Any, world: World) -> None:
    squads = _squads(store)
    sam = world.sam.id or 0
    _screen(squads, world, NOV_3, {sam: {"heel_raise_left": 40, "heel_raise_right": 41}})
    now = squads.start_screening(world.squad_id, TODAY)
    squads.save_entry(ScreeningEntry(now.id or 0, sam, {"heel_raise_left": 40, "heel_raise_right": 32, "pain": 2}))
    row = next(r for r in squads.worksheet(now.id or 0).rows if r.member.patient_id == sam)
    assert row.previous is not None and row.previous.held_on == NOV_3 and row.age == 25
    assert [f.code for f in row.flags] == ["pain_on_screening", "heel_raise_drop", "heel_raise_lsi_low",
                                           "heel_raise_below_norm"]  # fmt: skip
    assert "down 9 reps since 3 Nov" in row.flags[1].text
    assert row.entry is not None and squads.evaluate_row(row, row.entry.values) == row.flags
    assert squads.evaluate_row(row, {"heel_raise_left": 41, "heel_raise_right": 41}) == ()


# --- dashboard and analytics ------------------------------------------------------------------------------------


def _plan(store: Any, patient: Patient, episode: Episode, phase: int | None) -> None:
    detail = json.dumps({"plan": {"return_to_run_phase": phase}})
    store.assessments.finalise(AssessmentRecord(patient.id or 0, episode.id, date(2026, 12, 8), "{}", "{}", detail,
                                                "routine", recorded_by=7), [])  # fmt: skip


def test_the_dashboard_for_clinicians_and_for_club_staff(store: Any, world: World) -> None:
    squads = _squads(store)
    sam, aroha = world.sam.id or 0, world.aroha.id or 0
    _screen(squads, world, NOV_3, {sam: {"heel_raise_left": 40, "heel_raise_right": 40, "knee_to_wall_left": 11.0}})
    _screen(squads, world, date(2026, 12, 1), {sam: {"heel_raise_left": 36, "heel_raise_right": 40,
            "knee_to_wall_left": 12.1}, aroha: {"pain": 3}})  # fmt: skip
    episode = store.episodes.add(Episode(sam, "Right calf", Side.RIGHT, date(2026, 12, 5)))
    _plan(store, world.sam, episode, 3)

    board = squads.dashboard(world.squad_id, TODAY)
    assert board.clinical_visible
    rows = {row.member.patient_id: row for row in board.rows}
    assert [r.member.patient_id for r in board.rows] == [aroha, world.zoe.id, sam]  # alert before none, then M
    assert rows[aroha].availability.availability is Availability.UNAVAILABLE
    zoe = rows[world.zoe.id or 0]
    assert (zoe.availability.reason, zoe.open_red_flags) == ("Red flag: see the physio", 1)
    assert rows[sam].availability.reason == "Return to running: walk-run phase 3"
    assert rows[sam].last_screened == date(2026, 12, 1) and rows[sam].heel_raise_lsi == 90.0
    assert rows[sam].change == {"heel_raise_left": -4.0, "heel_raise_right": 0.0, "knee_to_wall_left": 1.1}
    assert rows[aroha].flags[0].code == "pain_on_screening"
    assert board.count(Availability.UNAVAILABLE) == 2 and board.count(Availability.MODIFIED) == 1
    assert sum(b.count for b in board.charts.lsi_bins) == 1 and len(board.charts.reps_vs_norm) == 2
    assert {(c.key, c.before, c.after) for c in board.charts.changes if c.key == "heel_raise_left"} == {
        ("heel_raise_left", 40.0, 36.0)}

    club = _squads(store, Role.CLUB).dashboard(world.squad_id, TODAY)
    assert not club.clinical_visible and club.charts == type(club.charts)()
    assert [r.member.patient_id for r in club.rows] == [aroha, sam]  # Zoë did not consent
    for row in club.rows:
        assert (row.values, row.change, row.flags, row.heel_raise_lsi, row.last_screened, row.open_red_flags) == (
            {}, {}, (), None, None, 0)
    assert {r.member.patient_id: r.availability for r in club.rows} == {aroha: rows[aroha].availability,
                                                                         sam: rows[sam].availability}  # fmt: skip
    viewed = [e for e in _entries(store, AuditEvent.SQUAD_VIEWED) if e.detail.startswith("dashboard")]
    assert [(e.role, e.detail) for e in viewed] == [("club", "dashboard, 2 athletes"),
                                                    ("clinician", "dashboard, 3 athletes")]  # fmt: skip


def test_the_analytics_are_pseudonymised_with_the_key_held_apart(store: Any, world: World, tmp_path: Path) -> None:
    squads = _squads(store)
    _screen(squads, world, NOV_3, {world.sam.id or 0: {"heel_raise_left": 33, "heel_raise_right": 40}})
    analytics = squads.analytics(world.squad_id, TODAY)
    assert sorted(row.pseudonym for row in analytics.rows) == sorted(
        pseudonym(KEY, p.uid) for p in (world.aroha, world.zoe, world.sam))
    assert [row.pseudonym for row in analytics.rows] == sorted(row.pseudonym for row in analytics.rows)
    screened = next(row for row in analytics.rows if row.values)
    assert (screened.last_screened_month, screened.age_band, screened.sex, screened.heel_raise_lsi) == (
        "2026-11", "25-34", "male", 82.5)
    assert {c.label: c.shown for c in analytics.counts}["Athletes"] == "<8"
    text = repr(analytics)
    for patient in (world.aroha, world.zoe, world.sam):
        for secret in (patient.family_name, patient.given_name, patient.email, patient.phone, patient.uid,
                       patient.date_of_birth.isoformat(), repr(patient.date_of_birth)):
            assert secret not in text
    club = _squads(store, Role.CLUB).analytics(world.squad_id, TODAY)
    assert len(club.rows) == 2  # only the athletes who agreed to share with the club
    session = _session(store)
    session.pseudonym_key_path = tmp_path / "config" / "pseudonym.key"
    first = session.squads.analytics(world.squad_id, TODAY)
    assert session.pseudonym_key_path.stat().st_mode & 0o777 == 0o600
    again = _session(store)
    again.pseudonym_key_path = session.pseudonym_key_path
    assert again.squads.analytics(world.squad_id, TODAY).rows == first.rows  # the same key, the same pseudonyms
