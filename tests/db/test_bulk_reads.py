"""The bulk reads a squad's dashboard makes (patients, episodes, unresolved red flags, current assessments of
many patients at once), on SQLite and PostgreSQL: each gives exactly what the per-patient read gives, in the
same order, for a mix of patients (none of a kind, several, amended, resolved), unknown and repeated ids, no
ids at all, and more than a thousand ids, so the IN lists are cut into chunks and the chunks put together.
The guarded versions a logged-in person gets apply the per-patient rules to every id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from db.in_chunks import IN_CHUNK, by_patient, in_chunks
from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import PermissionDenied
from workstation.ports import AuditQuery
from workstation.records import Consent, DischargeReason, Episode, EpisodeStatus, Patient, Side
from workstation.security.accounts import Actor, Role
from workstation.services.session import ClinicSession

NOW = datetime(2026, 12, 16, 9, 30, tzinfo=UTC)
MANY = 2 * IN_CHUNK + 150  # three chunks' worth of patients


@dataclass
class Clinic:
    ids: list[int]  # every patient, in id order
    with_episodes: set[int]
    with_flags: set[int]  # unresolved ones
    with_assessments: set[int]
    interesting: list[int]  # the few with a mix of records, read one by one in every test


def _flag(patient_id: int, code: str, tier: str, minutes: int, episode_id: int | None = None) -> RedFlagRecord:
    return RedFlagRecord(patient_id, episode_id, code, tier, "Act on it", NOW + timedelta(minutes=minutes), 7)


def _assessment(patient_id: int, episode_id: int | None, day: date, amends: int | None = None) -> AssessmentRecord:
    return AssessmentRecord(patient_id, episode_id, day, "{}", "{}", "{}", "routine", recorded_by=7, amends_id=amends)


def _discharged(patient_id: int, onset: date | None) -> Episode:
    return Episode(patient_id, "Old calf strain", Side.LEFT, onset, EpisodeStatus.DISCHARGED, date(2026, 6, 1),
                   DischargeReason.GOALS_MET)  # fmt: skip


def _mixed_records(store: Any, patient_id: int) -> None:
    """Episodes whose order is decided by status, onset and id; flags by tier, time and id; an amended
    assessment, a resolved flag (neither is listed) and an assessment of no episode."""
    onset = date(2026, 11, 1)
    store.episodes.add(_discharged(patient_id, onset))
    first = store.episodes.add(Episode(patient_id, "Calf strain", Side.LEFT, onset))
    store.episodes.add(Episode(patient_id, "Achilles pain", Side.RIGHT, None, EpisodeStatus.ON_HOLD))
    store.episodes.add(Episode(patient_id, "Calf cramp", Side.RIGHT, date(2026, 12, 2)))
    store.episodes.add(_discharged(patient_id, None))
    for code, tier, minutes in (("a", "soon", 0), ("b", "emergency", 30), ("c", "urgent", 5), ("d", "urgent", 5)):
        store.red_flags.raise_flag(_flag(patient_id, code, tier, minutes, first.id))
    store.red_flags.raise_flag(_flag(patient_id, "e", "unknown tier", -60))
    resolved = store.red_flags.raise_flag(_flag(patient_id, "f", "emergency", -90))
    store.red_flags.resolve(resolved.id, "Sent to ED", by=7, at=NOW)
    original = store.assessments.finalise(_assessment(patient_id, first.id, date(2026, 11, 3)), [])
    store.assessments.finalise(_assessment(patient_id, first.id, date(2026, 11, 3), amends=original.id), [])
    store.assessments.finalise(_assessment(patient_id, None, date(2026, 10, 1)), [])
    store.assessments.finalise(_assessment(patient_id, first.id, date(2026, 11, 3)), [])


@pytest.fixture
def clinic(store: Any) -> Clinic:
    store.patients.add_many(Patient(f"Runner {i}", f"Family {i % 37}", date(1990, 1, 1 + i % 28)) for i in range(MANY))
    ids = sorted(summary.id for summary in store.patients.summaries())
    # Plain episodes for every third patient, in every chunk, added in one go.
    with_episodes = set(ids[::3])
    store.episodes.add_many(Episode(pid, "Calf strain", Side.LEFT, date(2026, 9, 1 + pid % 20)) for pid in ids[::3])
    # The mixed records at the ends and the edges of the chunks (the order ids are asked in is shuffled below).
    interesting = [ids[0], ids[IN_CHUNK - 1], ids[IN_CHUNK], ids[2 * IN_CHUNK + 1], ids[-1]]
    for patient_id in interesting:
        _mixed_records(store, patient_id)
    # A lone flag and a lone assessment elsewhere, so each read finds rows in every chunk.
    lone_flag, lone_assessment = ids[IN_CHUNK + 400], ids[2 * IN_CHUNK + 100]
    store.red_flags.raise_flag(_flag(lone_flag, "dvt_likely", "urgent", 0))
    store.assessments.finalise(_assessment(lone_assessment, None, date(2026, 12, 1)), [])
    with_records = set(interesting)
    return Clinic(
        ids, with_episodes | with_records, with_records | {lone_flag}, with_records | {lone_assessment},
        [*interesting, ids[1], ids[2], lone_flag, lone_assessment],
    )  # fmt: skip


def _asked(clinic: Clinic) -> list[int]:
    """Every patient's id, in an order that is not the ids', with repeats and ids of no patient."""
    ids = clinic.ids
    unknown = [ids[-1] + 1, ids[-1] + 10_000, 0, -3]
    return ids[IN_CHUNK + 7 :] + unknown + ids[: IN_CHUNK + 7][::-1] + ids[:20]


def test_patients_come_back_by_id_as_get_gives_them(store: Any, clinic: Clinic) -> None:
    found = store.patients.get_many(_asked(clinic))
    assert sorted(found) == clinic.ids  # unknown ids absent, repeats once
    for patient_id in clinic.interesting + clinic.ids[:: IN_CHUNK // 3]:
        assert found[patient_id] == store.patients.get(patient_id)


def test_episodes_come_back_per_patient_in_for_patient_order(store: Any, clinic: Clinic) -> None:
    found = store.episodes.for_patients(_asked(clinic))
    assert set(found) == clinic.with_episodes
    for patient_id in clinic.interesting + clinic.ids[:: IN_CHUNK // 3]:
        assert found.get(patient_id, []) == store.episodes.for_patient(patient_id)
    mixed = found[clinic.ids[IN_CHUNK - 1]]  # the mixed records only (899 is not a multiple of 3)
    assert [(e.complaint, e.onset_date) for e in mixed] == [
        ("Calf cramp", date(2026, 12, 2)), ("Calf strain", date(2026, 11, 1)), ("Achilles pain", None),
        ("Old calf strain", date(2026, 11, 1)), ("Old calf strain", None),
    ]  # fmt: skip


def test_unresolved_red_flags_come_back_per_patient_most_urgent_first(store: Any, clinic: Clinic) -> None:
    found = store.red_flags.unresolved_for_patients(_asked(clinic))
    assert set(found) == clinic.with_flags
    for patient_id in clinic.interesting + clinic.ids[:: IN_CHUNK // 3]:
        assert found.get(patient_id, []) == store.red_flags.unresolved_for_patient(patient_id)
    assert [flag.code for flag in found[clinic.ids[-1]]] == ["b", "c", "d", "a", "e"]  # the resolved "f" is not


def test_current_assessments_come_back_per_patient_oldest_first(store: Any, clinic: Clinic) -> None:
    found = store.assessments.current_for_patients(_asked(clinic))
    assert set(found) == clinic.with_assessments
    for patient_id in clinic.interesting + clinic.ids[:: IN_CHUNK // 3]:
        assert found.get(patient_id, []) == store.assessments.current_for_patient(patient_id)
    mixed = found[clinic.ids[IN_CHUNK]]
    assert [a.assessed_on for a in mixed] == [date(2026, 10, 1), date(2026, 11, 3), date(2026, 11, 3)]
    assert mixed[1].amends_id is not None and mixed[1].id is not None and mixed[1].id < (mixed[2].id or 0)


def test_no_ids_and_unknown_ids_read_nothing(store: Any, clinic: Clinic) -> None:
    for ids in ([], [clinic.ids[-1] + 1, -1]):
        assert store.patients.get_many(ids) == {}
        assert store.episodes.for_patients(ids) == {}
        assert store.red_flags.unresolved_for_patients(ids) == {}
        assert store.assessments.current_for_patients(ids) == {}
    bare = clinic.ids[1]  # a patient with no episode, red flag or assessment
    assert store.patients.get_many((bare,)) == {bare: store.patients.get(bare)}
    assert store.episodes.for_patients([bare]) == {}
    assert store.red_flags.unresolved_for_patients([bare]) == {}
    assert store.assessments.current_for_patients([bare]) == {}


def test_list_rows_matching_birth_dates_or_nhs_numbers_are_those_the_whole_list_holds(store: Any) -> None:
    from workstation.identifiers import nhs_check_digit

    def nhs(serial: int) -> str:
        first_nine = f"{400_000_000 + serial * 7:09d}"
        digit = nhs_check_digit(first_nine)
        return first_nine + str(digit) if digit is not None else ""

    born = [date(1960, 1, 1) + timedelta(days=day) for day in range(2 * IN_CHUNK + 50)]  # three chunks of dates
    store.patients.add_many(
        Patient(f"Runner {i}", "Hall", born[i % len(born)], nhs_number=nhs(i) if i % 3 == 0 else "")
        for i in range(4_000)
    )
    everyone = list(store.patients.summaries())
    wanted_days = [*born[::2], date(1900, 1, 1)]  # the whole range of chunks, and a day nobody was born on
    wanted_numbers = [*[row.nhs_number for row in everyone if row.nhs_number][::5], "9434765919"]
    found = store.patients.summaries_matching(wanted_days, wanted_numbers)
    expected = sorted(
        (row for row in everyone if row.date_of_birth in set(wanted_days) or row.nhs_number in set(wanted_numbers)),
        key=lambda row: row.id,
    )
    assert [(row.id, row.sort_key, row.nhs_number) for row in found] == [
        (row.id, row.sort_key, row.nhs_number) for row in expected
    ]
    assert len(found) > 2_000 and store.patients.summaries_matching([], []) == []


def test_chunks_hold_each_id_once_in_the_order_first_seen() -> None:
    assert [list(c) for c in in_chunks([5, 3, 5, 9, 1, 3, 7], size=2)] == [[5, 3], [9, 1], [7]]
    assert list(in_chunks([])) == []
    sizes = [len(chunk) for chunk in in_chunks(list(range(2 * IN_CHUNK + 1)))]
    assert sizes == [IN_CHUNK, IN_CHUNK, 1]
    assert by_patient([(2, "a"), (1, "b"), (2, "c")], lambda pair: pair[0]) == {2: [(2, "a"), (2, "c")], 1: [(1, "b")]}


# --- the guarded reads of a logged-in person ---------------------------------------------------------------------


def _session(store: Any, role: Role) -> ClinicSession:
    return ClinicSession(store, Actor(7, f"{role.value}.user", role, "room-2"),
                         Auditor(store.audit, "room-2", lambda: NOW))  # fmt: skip


def _athletes(store: Any) -> tuple[int, int, int]:
    """Two athletes who share with the club and one who does not, each with an episode."""
    given = Consent(True, date(2026, 8, 1))
    ids = []
    for family, consent in (("Ngata", given), ("Lee", given), ("Walsh", Consent())):
        patient = store.patients.add(Patient("Sam", family, date(1995, 4, 2), nhs_number="9434765919",
                                             club_consent=consent))  # fmt: skip
        store.episodes.add(Episode(patient.id, "Calf strain", Side.LEFT, date(2026, 11, 1)))
        ids.append(patient.id)
    return ids[0], ids[1], ids[2]


def _viewed(store: Any, outcome: Outcome) -> list[int]:
    entries = store.audit.query(AuditQuery(event=AuditEvent.PATIENT_VIEWED))
    return sorted(entry.patient_id for entry in entries if entry.outcome is outcome)


def test_guarded_patients_are_as_get_gives_them_and_each_look_is_audited(store: Any) -> None:
    shared, other, private = _athletes(store)
    clinician = _session(store, Role.CLINICIAN).patients
    assert clinician.get_many([shared, private, -1]) == {shared: clinician.get(shared), private: clinician.get(private)}
    club = _session(store, Role.CLUB).patients
    seen = club.get_many([other, shared])
    assert seen == {shared: club.get(shared), other: club.get(other)}
    assert seen[shared].nhs_number == "" and seen[shared].family_name == "Ngata"  # redacted as get redacts it
    assert _viewed(store, Outcome.SUCCESS) == sorted([shared, private] * 2 + [shared, other] * 2)


def test_guarded_patients_refuse_the_lot_when_one_may_not_be_seen(store: Any) -> None:
    shared, _, private = _athletes(store)
    with pytest.raises(PermissionDenied):
        _session(store, Role.CLUB).patients.get_many([shared, private])
    assert _viewed(store, Outcome.SUCCESS) == []  # no look is recorded, as nothing was returned
    assert _viewed(store, Outcome.DENIED) == [private]


def test_guarded_episodes_follow_for_patients_rules_for_every_id(store: Any) -> None:
    shared, other, private = _athletes(store)
    club = _session(store, Role.CLUB).episodes
    assert club.for_patients([shared, other, -1]) == {p: club.for_patient(p) for p in (shared, other)}
    clinician = _session(store, Role.CLINICIAN).episodes
    assert clinician.for_patients([private, shared]) == {p: clinician.for_patient(p) for p in (private, shared)}
    with pytest.raises(PermissionDenied):
        club.for_patients([shared, private])  # one athlete has not agreed to share with the club
    with pytest.raises(PermissionDenied):
        _session(store, Role.RECEPTION).episodes.for_patients([shared])
    assert _viewed(store, Outcome.DENIED) == sorted([private, shared])
