"""Screening days and their worksheets (migration 0009), on SQLite and PostgreSQL: one open screening per
squad and evening, rows saved under their version, completion storing the observations once and making
the worksheet read-only, results read at the observations' current versions, and the privacy paths."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import text

from db.erasure import SqlPrivacyStore
from db.patient_export import SqlPatientFile
from workstation.errors import ConflictError, RecordNotFound
from workstation.privacy.restriction import Grounds, ProcessingRestricted, Restriction
from workstation.records import Observation, Patient, new_uid
from workstation.squads.records import (
    MEASURE_BY_KEY,
    Club,
    Membership,
    Screening,
    ScreeningEntry,
    ScreeningResult,
    ScreeningStatus,
    Squad,
)

EVENING = date(2027, 1, 12)
AT = datetime(2027, 1, 12, 20, 15, tzinfo=UTC)
PHYSIO = 7


def _squad(store: Any, name: str = "Seniors") -> Any:
    clubs = store.squads.clubs()
    club_id = clubs[0].id if clubs else store.squads.add_club(Club("Harbour Harriers")).id
    return store.squads.add_squad(Squad(club_id, name))


def _athlete(store: Any, squad: Any, family: str) -> int:
    patient_id: int = store.patients.add(Patient("Aroha", family, date(1995, 3, 4))).id
    store.squads.add_member(Membership(squad.id, patient_id, date(2026, 9, 1)))
    return patient_id


def _observations(entry: ScreeningEntry, held_on: date) -> list[Observation]:
    """What the service makes of a worksheet row (``SquadService.complete_screening``)."""
    measured = [(MEASURE_BY_KEY[key], value) for key, value in entry.values.items()]
    return [
        Observation(entry.patient_id, held_on, m.code, value, m.unit, m.side, protocol="Squad screening")
        for m, value in measured
    ]


def _count(store: Any, table: str) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_a_screening_starts_once_and_one_per_squad_and_evening_stays_open(store: Any) -> None:
    squad = _squad(store)
    screening = Screening(squad.id, EVENING, started_by=PHYSIO)
    started = store.screenings.start(screening)
    assert started == replace(screening, id=started.id, version=1)
    assert store.screenings.start(screening) == started  # a retried save (B7)
    assert store.screenings.start(Screening(squad.id, EVENING, started_by=PHYSIO + 1)) == started  # one worksheet
    later = store.screenings.start(Screening(squad.id, date(2027, 2, 9)))
    earlier = store.screenings.start(Screening(squad.id, date(2026, 12, 8)))
    assert store.screenings.for_squad(squad.id) == [later, started, earlier]
    assert store.screenings.latest_open(squad.id) == later
    assert store.screenings.latest_open(_squad(store, "Juniors").id) is None
    assert store.screenings.get(started.id) == started
    with pytest.raises(RecordNotFound):
        store.screenings.get(later.id + 100)
    with pytest.raises(RecordNotFound):
        store.screenings.start(Screening(squad.id + 100, EVENING))
    with pytest.raises(ValueError, match="starts open"):
        store.screenings.start(Screening(squad.id, EVENING, status=ScreeningStatus.COMPLETED))


def test_a_worksheet_row_is_saved_as_typed_under_its_version(store: Any) -> None:
    squad = _squad(store)
    first, second = _athlete(store, squad, "Ngata"), _athlete(store, squad, "Tane")
    screening = store.screenings.start(Screening(squad.id, EVENING))
    typed = ScreeningEntry(screening.id, second, {"heel_raise_left": 27, "knee_to_wall_right": 9.5}, "Sore L calf")
    saved = store.screenings.save_entry(typed)
    assert saved == replace(typed, values={"heel_raise_left": 27.0, "knee_to_wall_right": 9.5}, id=saved.id,
                            version=1)  # fmt: skip
    empty = store.screenings.save_entry(ScreeningEntry(screening.id, first))
    assert empty.is_empty and empty.values == {}
    changed = store.screenings.save_entry(replace(saved, values={"pain": 0}, note=""))
    assert (changed.values, changed.note, changed.version) == ({"pain": 0.0}, "", 2)
    assert store.screenings.entries(screening.id) == [empty, changed]  # by patient id

    with pytest.raises(ConflictError) as stale:
        store.screenings.save_entry(replace(saved, note="typed on another laptop"))
    assert stale.value.current_version == 2
    with pytest.raises(ConflictError):  # a second row for the athlete
        store.screenings.save_entry(ScreeningEntry(screening.id, second, {"pain": 3}))
    with pytest.raises(ValueError, match="not screening measures"):
        store.screenings.save_entry(replace(changed, values={"sit_and_reach": 4}))
    with pytest.raises(ValueError, match="finite"):
        store.screenings.save_entry(replace(changed, values={"pain": float("nan")}))
    with pytest.raises(RecordNotFound):
        store.screenings.save_entry(ScreeningEntry(screening.id + 100, first))
    with pytest.raises(RecordNotFound):
        store.screenings.save_entry(ScreeningEntry(screening.id, second + 100))
    with pytest.raises(RecordNotFound):
        store.screenings.save_entry(replace(changed, id=changed.id + 100))
    assert store.screenings.entries(screening.id) == [empty, changed]


def _screened(store: Any, squad: Any, held_on: date, rows: dict[int, dict[str, float]]) -> Any:
    """A screening of ``held_on`` with ``rows`` typed in and completed."""
    screening = store.screenings.start(Screening(squad.id, held_on))
    entries = [store.screenings.save_entry(ScreeningEntry(screening.id, pid, values)) for pid, values in rows.items()]
    observations = [o for entry in entries for o in _observations(entry, held_on)]
    return store.screenings.complete(screening.id, screening.version, observations, by=PHYSIO, at=AT)


def test_completing_stores_the_observations_once_and_the_worksheet_becomes_read_only(store: Any) -> None:
    squad = _squad(store)
    athlete, unmeasured = _athlete(store, squad, "Ngata"), _athlete(store, squad, "Tane")
    screening = store.screenings.start(Screening(squad.id, EVENING, started_by=PHYSIO))
    entry = store.screenings.save_entry(
        ScreeningEntry(screening.id, athlete, {"heel_raise_left": 24, "heel_raise_right": 31, "pain": 2})
    )
    blank = store.screenings.save_entry(ScreeningEntry(screening.id, unmeasured))
    observations = _observations(entry, EVENING)
    with pytest.raises(ConflictError) as stale:
        store.screenings.complete(screening.id, screening.version + 1, observations, by=PHYSIO, at=AT)
    assert stale.value.current_version == 1

    completed = store.screenings.complete(screening.id, screening.version, observations, by=PHYSIO, at=AT)

    assert completed == replace(screening, status=ScreeningStatus.COMPLETED, completed_at=AT, completed_by=PHYSIO,
                                version=2)  # fmt: skip
    stored = store.observations.for_patient(athlete)
    assert sorted((o.code, o.side.value, o.value) for o in stored) == [
        ("heel_raise_reps", "left", 24), ("heel_raise_reps", "right", 31), ("nprs_now", "none", 2),
    ]  # fmt: skip
    assert {(o.observed_on, o.recorded_by, o.protocol, o.unit) for o in stored if o.code == "heel_raise_reps"} == {
        (EVENING, PHYSIO, "Squad screening", "reps")
    }
    assert _count(store, "screening_observation") == 3
    with pytest.raises(ConflictError, match="completed already"):
        store.screenings.complete(screening.id, completed.version, observations, by=PHYSIO, at=AT)
    with pytest.raises(ConflictError, match="can no longer be changed"):
        store.screenings.save_entry(replace(entry, note="late"))
    with pytest.raises(ConflictError, match="can no longer be changed"):
        store.screenings.save_entry(ScreeningEntry(screening.id, _athlete(store, squad, "Late")))
    assert _count(store, "observation") == 3  # stored once
    assert store.screenings.entries(screening.id) == [entry, blank]
    assert store.screenings.latest_open(squad.id) is None
    with pytest.raises(RecordNotFound):
        store.screenings.complete(screening.id + 100, 1, [], by=PHYSIO, at=AT)


def test_a_completion_that_fails_stores_nothing(store: Any) -> None:
    squad = _squad(store)
    athlete, stranger = _athlete(store, squad, "Ngata"), store.patients.add(Patient("Ben", "Other", date(1990, 1, 1)))
    screening = store.screenings.start(Screening(squad.id, EVENING))
    entry = store.screenings.save_entry(ScreeningEntry(screening.id, athlete, {"pain": 1}))
    not_in_it = Observation(stranger.id, EVENING, "nprs_now", 4, "0-10")
    with pytest.raises(ValueError, match="athletes in its worksheet"):
        store.screenings.complete(screening.id, 1, [*_observations(entry, EVENING), not_in_it], by=None, at=AT)
    with pytest.raises(ValueError, match="first recordings"):
        store.screenings.complete(screening.id, 1, [replace(not_in_it, corrects_id=1)], by=None, at=AT)
    SqlPrivacyStore(store).restrict(Restriction(athlete, Grounds.ACCURACY_CONTESTED, AT, PHYSIO))
    with pytest.raises(ProcessingRestricted):
        store.screenings.complete(screening.id, 1, _observations(entry, EVENING), by=None, at=AT)
    assert store.screenings.get(screening.id) == screening
    assert (_count(store, "observation"), _count(store, "screening_observation")) == (0, 0)


def test_results_are_the_current_versions_oldest_screening_first(store: Any) -> None:
    squad = _squad(store)
    first, second = _athlete(store, squad, "Ngata"), _athlete(store, squad, "Tane")
    december = _screened(store, squad, date(2026, 12, 8), {first: {"heel_raise_left": 20, "pain": 3}})
    january = _screened(store, squad, EVENING, {first: {"heel_raise_left": 26}, second: {"knee_to_wall_left": 11},
                                               _athlete(store, squad, "Blank"): {}})  # fmt: skip
    store.screenings.start(Screening(squad.id, date(2027, 2, 9)))  # still open: no results yet
    _screened(store, _squad(store, "Juniors"), EVENING, {first: {"pain": 9}})  # another squad's

    (miscounted,) = [o for o in store.observations.for_patient(first) if o.value == 26]
    corrected = store.observations.correct(
        replace(miscounted, id=None, uid=new_uid(), value=28, corrects_id=miscounted.id, correction_reason="miscounted")
    )
    store.observations.correct(
        replace(corrected, id=None, uid=new_uid(), value=29, corrects_id=corrected.id, correction_reason="again")
    )

    assert store.screenings.results(squad.id) == [
        ScreeningResult(december.id, first, date(2026, 12, 8), {"heel_raise_left": 20.0, "pain": 3.0}),
        ScreeningResult(january.id, first, EVENING, {"heel_raise_left": 29.0}),
        ScreeningResult(january.id, second, EVENING, {"knee_to_wall_left": 11.0}),
    ]
    assert store.screenings.results(squad.id + 100) == []


def test_a_restricted_record_gets_no_worksheet_row_and_keeps_its_own(store: Any) -> None:
    squad = _squad(store)
    athlete = _athlete(store, squad, "Ngata")
    screening = store.screenings.start(Screening(squad.id, EVENING))
    kept = store.screenings.save_entry(ScreeningEntry(screening.id, athlete, {"pain": 0}))
    SqlPrivacyStore(store).restrict(Restriction(athlete, Grounds.ACCURACY_CONTESTED, AT, PHYSIO))
    with pytest.raises(ProcessingRestricted):
        store.screenings.save_entry(replace(kept, values={"pain": 5}))
    other = store.screenings.start(Screening(squad.id, date(2027, 2, 9)))
    with pytest.raises(ProcessingRestricted):
        store.screenings.save_entry(ScreeningEntry(other.id, athlete))
    assert store.screenings.entries(screening.id) == [kept]


def test_the_subject_access_export_and_erasure_take_worksheet_rows_and_screening_links(store: Any) -> None:
    squad = _squad(store)
    asked, kept = _athlete(store, squad, "Asked"), _athlete(store, squad, "Kept")
    screening = _screened(store, squad, EVENING, {asked: {"heel_raise_left": 22, "pain": 1}, kept: {"pain": 0}})
    open_one = store.screenings.start(Screening(squad.id, date(2027, 2, 9)))
    store.screenings.save_entry(ScreeningEntry(open_one.id, asked, {}, "Asked's note"))

    tables = SqlPatientFile(store).read(asked)
    assert [(row["screening_id"], row["note"]) for row in tables["screening_entry"]] == [
        (screening.id, ""), (open_one.id, "Asked's note"),
    ]  # fmt: skip
    own = {row["id"] for row in tables["observation"]}
    assert len(own) == 2 and {row["observation_id"] for row in tables["screening_observation"]} == own

    deleted = SqlPrivacyStore(store).erase(asked)
    assert (deleted["screening_entry"], deleted["screening_observation"], deleted["observation"]) == (2, 2, 2)
    assert store.screenings.results(squad.id) == [ScreeningResult(screening.id, kept, EVENING, {"pain": 0.0})]
    assert [e.patient_id for e in store.screenings.entries(screening.id)] == [kept]
    assert store.screenings.get(screening.id) == screening  # the screening day itself names no patient
