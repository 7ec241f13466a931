"""Migration 0009 on SQLite and PostgreSQL: a database at 0008 keeps every record and gains clubs, squads
and screenings, guarded for restricted records; it downgrades cleanly with squads in it, leaving no table
or trigger behind, and upgrades again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import inspect, text

from db.engine import WRITE
from db.erasure import SqlPrivacyStore
from tests import dbkit
from workstation.long_work import NO_PROGRESS
from workstation.privacy.restriction import Grounds, ProcessingRestricted, Restriction
from workstation.records import Observation, Patient
from workstation.squads.records import Club, Membership, Screening, ScreeningEntry, Squad

NOW = datetime(2027, 1, 8, 9, 0, tzinfo=UTC)
EVENING = date(2027, 1, 12)
_NEW_TABLES = {"club", "squad", "squad_member", "screening", "screening_entry", "screening_observation"}


def _downgrade_to_0008(database_url: str) -> None:
    engine = dbkit.migration_engine(database_url)
    try:
        with engine.execution_options(**WRITE).begin() as connection:
            dbkit.migrate(connection, "downgrade", "0008")
            assert not _NEW_TABLES & set(inspect(connection).get_table_names())
            if engine.dialect.name == "postgresql":
                left = connection.execute(
                    text("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'squad%' OR tgname LIKE 'screening%'")
                )
            else:
                left = connection.execute(
                    text("SELECT name FROM sqlite_master WHERE name LIKE 'squad%' OR name LIKE 'screening%'")
                )
            assert left.all() == []
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0008"
    finally:
        engine.dispose()


def _squad_with_a_screening(store: Any, patient_id: int) -> Any:
    club = store.squads.add_club(Club("Harbour Harriers"))
    squad = store.squads.add_squad(Squad(club.id, "Seniors", "2026/27"))
    store.squads.add_member(Membership(squad.id, patient_id, date(2026, 9, 1)))
    screening = store.screenings.start(Screening(squad.id, EVENING))
    entry = store.screenings.save_entry(ScreeningEntry(screening.id, patient_id, {"pain": 2}))
    observation = Observation(patient_id, EVENING, "nprs_now", 2, "0-10")
    store.screenings.complete(screening.id, screening.version, [observation], by=None, at=NOW)
    assert store.screenings.entries(screening.id) == [entry]
    return squad


def test_a_0008_database_keeps_its_records_and_gains_squads_guarded_like_the_rest(database_url: str) -> None:
    store = dbkit.open_store(database_url)
    try:
        patient_id = store.patients.add(Patient("Aroha", "Ngata", date(1991, 5, 6))).id
        measured = store.observations.add(Observation(patient_id, date(2026, 12, 1), "heel_raise_reps", 21, "reps"))
    finally:
        store.close()
    _downgrade_to_0008(database_url)

    store = dbkit.open_store(database_url)  # upgrades to the head again
    try:
        assert store.patients.get(patient_id).family_name == "Ngata"
        assert store.observations.for_patient(patient_id) == [measured]
        squad = _squad_with_a_screening(store, patient_id)
        (result,) = store.screenings.results(squad.id)
        assert (result.patient_id, result.values) == (patient_id, {"pain": 2.0})
        SqlPrivacyStore(store).restrict(Restriction(patient_id, Grounds.ACCURACY_CONTESTED, NOW, 7))
        juniors = store.squads.add_squad(Squad(squad.club_id, "Juniors"))
        with pytest.raises(ProcessingRestricted):
            store.squads.add_member(Membership(juniors.id, patient_id, EVENING))
        later = store.screenings.start(Screening(squad.id, date(2027, 2, 9)))
        with pytest.raises(ProcessingRestricted):
            store.screenings.save_entry(ScreeningEntry(later.id, patient_id))
    finally:
        store.close()


def test_0009_downgrades_with_squads_in_it_and_upgrades_again(database_url: str) -> None:
    store = dbkit.open_store(database_url)
    try:
        patient_id = store.patients.add(Patient("Ana", "Silva", date(1990, 1, 1))).id
        squad = _squad_with_a_screening(store, patient_id)
        store.squads.import_athletes(squad, [Patient("Tama", "Reti", date(2000, 2, 2))], [], [], EVENING, NO_PROGRESS)
    finally:
        store.close()
    # A downgrade drops the squads with their tables (a backup keeps them). The observations the screening
    # stored are the patients' record, in 0004's table: they stay.
    _downgrade_to_0008(database_url)

    store = dbkit.open_store(database_url)
    try:
        assert store.squads.clubs() == [] and store.squads.squads(include_archived=True) == []
        assert [o.value for o in store.observations.for_patient(patient_id)] == [2]
        assert store.patients.count() == 2
        again = _squad_with_a_screening(store, patient_id)
        assert [m.patient_id for m in store.squads.members(again.id)] == [patient_id]
    finally:
        store.close()
