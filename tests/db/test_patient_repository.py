"""Patients, episodes and observations round-trip on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import db
from tests import dbkit
from workstation.errors import ConflictError, RecordNotFound, ValidationFailed
from workstation.list_order import ranked_key
from workstation.records import (
    Consent,
    DischargeReason,
    EmergencyContact,
    Episode,
    EpisodeStatus,
    GeneralPractitioner,
    Observation,
    Patient,
    Sex,
    Side,
)
from workstation.search import PatientSearchIndex
from workstation.services.patients import normalised, save_episode, save_patient

TODAY = date(2026, 11, 22)


def _full_patient() -> Patient:
    return Patient(
        given_name="Thị Minh",
        family_name="Nguyễn",
        preferred_name="Minnie",
        date_of_birth=date(1988, 2, 29),
        sex=Sex.FEMALE,
        phone="+44 7700 900123",
        email="minh@example.org",
        address="12 Harbour Street\nLeith EH6 6QA",
        nhs_number="943 476 5919",
        medicare_number="2123 45670 1",
        medicare_irn="3",
        gp=GeneralPractitioner(
            "Dr Aisha Rahman", "Leith Links Practice", "1 Links Place", "0131 555 0100", "leith.gp@nhs.net"
        ),
        emergency_contact=EmergencyContact("Ōtake Kenji", "Partner", "07700 900456"),
        gp_consent=Consent(True, date(2026, 10, 1)),
        club_consent=Consent(False, None),
    )


def test_every_field_survives_a_round_trip(store: db.Store) -> None:
    saved = save_patient(store.patients, _full_patient(), TODAY)
    loaded = store.patients.get(saved.id or 0)
    assert loaded == saved
    assert loaded.nhs_number == "9434765919"
    assert loaded.medicare_number == "2123456701"
    assert loaded.version == 1
    assert (loaded.given_name, loaded.family_name, loaded.address) == (
        "Thị Minh",
        "Nguyễn",
        "12 Harbour Street\nLeith EH6 6QA",
    )


def test_saving_twice_with_the_same_uid_adds_one_record(store: db.Store) -> None:
    patient = normalised(_full_patient())
    first = store.patients.add(patient)
    again = store.patients.add(patient)  # a retry after the acknowledgement was lost
    assert again.id == first.id
    assert store.patients.count() == 1


def test_update_raises_the_version_and_refuses_a_stale_one(store: db.Store) -> None:
    saved = save_patient(store.patients, _full_patient(), TODAY)
    mine = save_patient(store.patients, saved.with_changes(preferred_name="Min"), TODAY)
    assert mine.version == 2
    with pytest.raises(ConflictError) as raised:
        save_patient(store.patients, saved.with_changes(phone="0131 000 0000"), TODAY)
    assert raised.value.current_version == 2
    assert store.patients.get(saved.id or 0).phone == "+44 7700 900123"  # nothing overwritten


def test_two_workstations_editing_one_patient_never_lose_an_update(database_url: str) -> None:
    first, second = dbkit.open_store(database_url), dbkit.open_store(database_url)
    try:
        saved = save_patient(first.patients, _full_patient(), TODAY)
        on_a = first.patients.get(saved.id or 0)
        on_b = second.patients.get(saved.id or 0)
        save_patient(first.patients, on_a.with_changes(phone="0131 111 1111"), TODAY)
        with pytest.raises(ConflictError):
            save_patient(second.patients, on_b.with_changes(email="new@example.org"), TODAY)
        final = second.patients.get(saved.id or 0)
        assert (final.phone, final.email, final.version) == ("0131 111 1111", "minh@example.org", 2)
    finally:
        first.close()
        second.close()


def test_invalid_patient_is_not_written(store: db.Store) -> None:
    with pytest.raises(ValidationFailed) as raised:
        save_patient(store.patients, _full_patient().with_changes(nhs_number="9434765918"), TODAY)
    assert [p.field for p in raised.value.problems] == ["nhs_number"]
    assert store.patients.count() == 0


def test_missing_patient_is_a_clear_error(store: db.Store) -> None:
    with pytest.raises(RecordNotFound):
        store.patients.get(12345)


def test_list_order_from_the_database_matches_the_index(store: db.Store) -> None:
    names = [
        ("Émile", "Zola"), ("", "Aroha"), ("Zoë", "O'Brien"), ("Ann", "oakes"), ("Liam", "Nguyen"),
        ("Thị Minh", "Nguyễn"), ("Ivan", "Иванов"), ("Bruce", "李"), ("Ingrid", "Ødegård"), ("B", "Obrien"),
    ]  # fmt: skip
    people = [Patient(g, f, date(1990, 1, 1 + i)) for i, (g, f) in enumerate(names)]
    assert store.patients.add_many(people) == len(people)
    from_db = list(store.patients.summaries())
    assert [s.id for s in from_db] == [s.id for s in sorted(from_db, key=ranked_key)]
    assert [s.id for s in store.patients.first_page(4)] == [s.id for s in from_db[:4]]
    assert PatientSearchIndex.build(from_db).all_ids().tolist() == [s.id for s in from_db]


def test_episodes_round_trip_and_come_open_first_then_newest(store: db.Store) -> None:
    patient = save_patient(store.patients, _full_patient(), TODAY)
    pid, born = patient.id or 0, patient.date_of_birth
    old = save_episode(
        store.episodes,
        Episode(
            pid,
            "Left soleus strain",
            Side.LEFT,
            date(2025, 3, 1),
            EpisodeStatus.DISCHARGED,
            date(2025, 5, 1),
            DischargeReason.RETURNED_TO_RUNNING,
        ),
        born,
        TODAY,
    )
    new = save_episode(
        store.episodes, Episode(pid, "Right calf pain at 8 km", Side.RIGHT, date(2026, 10, 1)), born, TODAY
    )
    assert store.episodes.for_patient(pid) == [new, old]
    closed = save_episode(
        store.episodes,
        Episode(
            **{
                **{f: getattr(new, f) for f in new.__slots__},
                "status": EpisodeStatus.DISCHARGED,  # type: ignore[arg-type]
                "discharge_date": date(2026, 11, 20),
                "discharge_reason": DischargeReason.GOALS_MET,
            }
        ),
        born,
        TODAY,
    )
    assert closed.version == 2
    with pytest.raises(ConflictError):
        save_episode(store.episodes, new, born, TODAY)


def test_observations_keep_protocol_side_and_unit(store: db.Store) -> None:
    patient = save_patient(store.patients, _full_patient(), TODAY)
    pid = patient.id or 0
    store.observations.add(
        Observation(
            pid,
            date(2026, 11, 1),
            "heel_raise_reps",
            24,
            "reps",
            Side.LEFT,
            protocol="10° incline, 60 bpm, knee straight",
        )
    )
    store.observations.add(Observation(pid, date(2026, 10, 1), "heel_raise_reps", 18, "reps", Side.LEFT))
    store.observations.add(Observation(pid, date(2026, 10, 1), "knee_to_wall_cm", 9.5, "cm", Side.RIGHT))
    reps = store.observations.for_patient(pid, "heel_raise_reps")
    assert [(o.observed_on, o.value) for o in reps] == [(date(2026, 10, 1), 18), (date(2026, 11, 1), 24)]
    assert reps[1].protocol == "10° incline, 60 bpm, knee straight"
    assert len(store.observations.for_patient(pid)) == 3


_name_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "M", "Zs", "Pd", "Po"]), min_size=1, max_size=40
).filter(lambda s: any(ch.isalpha() for ch in s))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_name=_name_text, family_name=_name_text)
def test_unicode_names_round_trip_and_are_found(sqlite_url: str, given_name: str, family_name: str) -> None:
    store = dbkit.open_store(sqlite_url)
    try:
        saved = save_patient(store.patients, Patient(given_name, family_name, date(1990, 4, 2)), TODAY)
        loaded = store.patients.get(saved.id or 0)
        assert (loaded.given_name, loaded.family_name) == (saved.given_name, saved.family_name)
        index = PatientSearchIndex.build(store.patients.summaries())
        for word in (saved.given_name, saved.family_name):
            for token in word.split():
                assert saved.id in index.search(token).tolist()
    finally:
        store.close()
