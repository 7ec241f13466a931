"""Clubs, squads and their members (migration 0009), on SQLite and PostgreSQL: names unique as compared
casefolded, stale saves refused, a squad's list on any day, the athlete import stored whole or not at all
(a failure or a cancel mid-way leaves no row behind), and the privacy paths for memberships."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import bindparam, text

from db.erasure import SqlPrivacyStore
from db.patient_export import SqlPatientFile
from tests import dbkit
from workstation.errors import CalfDeskError, ConflictError, RecordNotFound
from workstation.long_work import NO_PROGRESS, Cancelled
from workstation.privacy.restriction import Grounds, ProcessingRestricted, Restriction
from workstation.records import Consent, EmergencyContact, GeneralPractitioner, Patient, Sex
from workstation.squads.records import Club, Membership, Squad

JOINED = date(2027, 1, 8)
NOW = datetime(2027, 1, 8, 18, 30, tzinfo=UTC)
_TABLES = ("club", "squad", "squad_member", "patient")


def _counts(store: Any) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {t: int(connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in _TABLES}


def _club(store: Any, name: str = "Harbour Harriers") -> int:
    club_id: int = store.squads.add_club(Club(name)).id
    return club_id


def _patient(store: Any, family: str = "Ngata", given: str = "Aroha") -> int:
    patient_id: int = store.patients.add(Patient(given, family, date(1991, 5, 6))).id
    return patient_id


def _athletes(count: int, family: str = "Runner") -> list[Patient]:
    return [Patient(f"Athlete {i}", family, date(1990 + i % 20, 1 + i % 12, 1 + i % 28)) for i in range(count)]


class Recorder:
    """A progress that records every report and asks to cancel once ``cancel_after`` reports are in."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[int, int, str]] = []
        self._cancel_after = cancel_after

    def report(self, done: int, total: int, status: str) -> None:
        self.reports.append((done, total, status))

    @property
    def cancel_requested(self) -> bool:
        return self._cancel_after is not None and len(self.reports) >= self._cancel_after


# Clubs and squads --------------------------------------------------------------------------------


def test_a_club_is_stored_once_and_its_name_is_unique_as_compared_casefolded(store: Any) -> None:
    club = Club("Harbour Harriers")
    saved = store.squads.add_club(club)
    assert (saved.name, saved.uid, saved.version) == ("Harbour Harriers", club.uid, 1) and saved.id is not None
    assert store.squads.add_club(club) == saved  # a retried save (B7)
    for same in ("harbour harriers", "  HARBOUR   Harriers ", "Harbour Harriers"):
        with pytest.raises(CalfDeskError, match="already a club of that name"):
            store.squads.add_club(Club(same))
    store.squads.add_club(Club("ävon striders"))
    store.squads.add_club(Club("Avon Striders"))  # another name: only case is folded, not accents
    assert [c.name for c in store.squads.clubs()] == ["Avon Striders", "Harbour Harriers", "ävon striders"]


def test_squad_names_are_unique_per_club_and_season_casefolded(store: Any) -> None:
    club_id, other_club = _club(store), _club(store, "Avon Striders")
    squad = Squad(club_id, "Senior Women", "2026/27", coach_name="Tama Reti", coach_email="tama@example.org",
                  coach_phone="021 555 0101")  # fmt: skip
    saved = store.squads.add_squad(squad)
    assert saved == replace(squad, id=saved.id, version=1)
    assert store.squads.add_squad(squad) == saved  # idempotent on uid
    with pytest.raises(CalfDeskError, match="already has a squad of that name for that season"):
        store.squads.add_squad(Squad(club_id, " senior  women", "2026/27"))
    store.squads.add_squad(Squad(club_id, "Senior Women", "2027/28"))  # another season
    store.squads.add_squad(Squad(other_club, "senior women", "2026/27"))  # another club
    with pytest.raises(RecordNotFound):
        store.squads.add_squad(Squad(other_club + 100, "Masters"))
    assert _counts(store)["squad"] == 3


def test_squads_come_by_club_then_name_then_newest_season_and_archived_on_request(store: Any) -> None:
    harriers, striders = _club(store), _club(store, "Avon Striders")
    added = {
        key: store.squads.add_squad(Squad(club, name, season, archived=key == "old"))
        for key, club, name, season in (
            ("h-seniors-25", harriers, "Seniors", "2025/26"), ("h-juniors", harriers, "juniors", "2026/27"),
            ("h-seniors-26", harriers, "Seniors", "2026/27"), ("s-masters", striders, "Masters", ""),
            ("old", harriers, "Seniors", "2024/25"),
        )
    }  # fmt: skip
    order = ["s-masters", "h-juniors", "h-seniors-26", "h-seniors-25"]
    assert store.squads.squads() == [added[key] for key in order]
    assert store.squads.squads(include_archived=True) == [added[key] for key in [*order, "old"]]
    assert store.squads.find_squads("  SENIORS ") == [added[k] for k in ("h-seniors-26", "h-seniors-25", "old")]
    assert store.squads.find_squads("Seniors 2") == []
    assert store.squads.get_squad(added["s-masters"].id) == added["s-masters"]
    with pytest.raises(RecordNotFound):
        store.squads.get_squad(added["old"].id + 100)


def test_a_squad_is_saved_over_the_version_read_and_a_stale_save_is_refused(store: Any) -> None:
    club_id = _club(store)
    saved = store.squads.add_squad(Squad(club_id, "Seniors", "2026/27"))
    store.squads.add_squad(Squad(club_id, "Juniors", "2026/27"))
    changed = store.squads.update_squad(replace(saved, coach_name="Mere Tane", archived=True, name="Senior squad"))
    assert (changed.coach_name, changed.archived, changed.name, changed.version) == ("Mere Tane", True,
                                                                                   "Senior squad", 2)  # fmt: skip
    with pytest.raises(ConflictError) as stale:
        store.squads.update_squad(replace(saved, coach_name="Someone else"))
    assert stale.value.current_version == 2
    with pytest.raises(CalfDeskError, match="already has a squad of that name"):
        store.squads.update_squad(replace(changed, name="JUNIORS"))
    with pytest.raises(RecordNotFound):
        store.squads.update_squad(replace(changed, club_id=club_id + 100))
    with pytest.raises(RecordNotFound):
        store.squads.update_squad(replace(changed, id=changed.id + 100))
    assert store.squads.get_squad(saved.id) == changed


# Memberships -------------------------------------------------------------------------------------


def test_a_membership_is_current_from_the_day_joined_until_the_day_left(store: Any) -> None:
    squad = store.squads.add_squad(Squad(_club(store), "Seniors"))
    first, second = _patient(store), _patient(store, "Tane")
    stays = store.squads.add_member(Membership(squad.id, first, date(2027, 1, 1)))
    leaves = store.squads.add_member(Membership(squad.id, second, date(2027, 1, 5)))
    left = store.squads.end_membership(leaves.id, date(2027, 1, 20), leaves.version)
    assert (left.left_on, left.version) == (date(2027, 1, 20), 2)
    for day in (date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 5), date(2027, 1, 19), date(2027, 1, 20)):
        expected = [m for m in (stays, left) if m.current_on(day)]
        assert store.squads.members(squad.id, on=day) == expected
    assert store.squads.members(squad.id) == [stays, left]
    assert [m.id for m in store.squads.members(squad.id, on=date(2027, 1, 19))] == [stays.id, left.id]
    assert store.squads.members(squad.id, on=date(2027, 1, 20)) == [stays]


def test_adding_a_current_member_again_returns_that_membership_and_leaving_allows_a_return(store: Any) -> None:
    squad = store.squads.add_squad(Squad(_club(store), "Seniors"))
    patient_id = _patient(store)
    membership = Membership(squad.id, patient_id, date(2027, 1, 1))
    joined = store.squads.add_member(membership)
    assert joined == replace(membership, id=joined.id, version=1)
    assert store.squads.add_member(membership) == joined  # a retry
    assert store.squads.add_member(Membership(squad.id, patient_id, date(2027, 2, 1))) == joined  # still in it
    left = store.squads.end_membership(joined.id, date(2027, 3, 1), joined.version)
    back = store.squads.add_member(Membership(squad.id, patient_id, date(2027, 4, 1)))
    assert back.id != joined.id
    other_squad = store.squads.add_squad(Squad(squad.club_id, "Juniors"))
    elsewhere = store.squads.add_member(Membership(other_squad.id, patient_id, date(2026, 6, 1)))
    assert store.squads.memberships_of(patient_id) == [elsewhere, left, back]
    with pytest.raises(RecordNotFound):
        store.squads.add_member(Membership(squad.id + 100, patient_id, JOINED))
    with pytest.raises(RecordNotFound):
        store.squads.add_member(Membership(squad.id, patient_id + 100, JOINED))


def test_leaving_names_the_version_read_and_cannot_come_before_joining(store: Any) -> None:
    squad = store.squads.add_squad(Squad(_club(store), "Seniors"))
    joined = store.squads.add_member(Membership(squad.id, _patient(store), date(2027, 1, 10)))
    with pytest.raises(CalfDeskError, match="cannot be before the day they joined"):
        store.squads.end_membership(joined.id, date(2027, 1, 9), joined.version)
    same_day = store.squads.end_membership(joined.id, date(2027, 1, 10), joined.version)
    assert not same_day.current_on(date(2027, 1, 10))
    with pytest.raises(ConflictError) as stale:
        store.squads.end_membership(joined.id, date(2027, 2, 1), joined.version)
    assert stale.value.current_version == 2
    with pytest.raises(RecordNotFound):
        store.squads.end_membership(joined.id + 100, date(2027, 2, 1), 1)


# The athlete import ------------------------------------------------------------------------------


def _full_patient(**changes: Any) -> Patient:
    return Patient(
        "Zoë", "Ødegård-Nguyễn", date(2001, 2, 28), sex=Sex.FEMALE, preferred_name="Zo", phone="07700 900123",
        email="zoe@example.org", address="1 Harbour Road", nhs_number="9434765919", medicare_number="2123456701",
        medicare_irn="1", gp=GeneralPractitioner("Dr Patel", "Riverside", "2 River St", "01632 960000", "gp@nhs.net"),
        emergency_contact=EmergencyContact("Mere", "Mother", "07700 900456"),
        gp_consent=Consent(True, date(2026, 1, 2)), club_consent=Consent(True, date(2026, 1, 3)),
    ).with_changes(**changes)  # fmt: skip


def _patient_rows(store: Any, *ids: int) -> list[dict[str, Any]]:
    """The stored rows, without what differs between any two saves (id, uid, the instants)."""
    with store.engine.connect() as connection:
        query = text("SELECT * FROM patient WHERE id IN :ids ORDER BY id").bindparams(bindparam("ids", expanding=True))
        rows = connection.execute(query, {"ids": list(ids)}).mappings().all()
    return [{k: v for k, v in row.items() if k not in ("id", "uid", "created_at", "updated_at")} for row in rows]


def test_an_import_of_ten_thousand_athletes_is_one_transaction_reported_in_batches(store: Any) -> None:
    club_id = _club(store)
    added = store.patients.add(_full_patient())
    athletes = [_full_patient(), *_athletes(9_999)]
    progress = Recorder()

    outcome = store.squads.import_athletes(Squad(club_id, "Seniors", "2026/27"), athletes, [], [], JOINED, progress)

    assert (outcome.created, outcome.merged, outcome.joined, outcome.already_members) == (10_000, 0, 10_000, 0)
    assert outcome.squad == store.squads.get_squad(outcome.squad.id)
    assert _counts(store) == {"club": 1, "squad": 1, "squad_member": 10_000, "patient": 10_001}
    members = store.squads.members(outcome.squad.id, on=JOINED)
    assert len(members) == 10_000 and {m.joined_on for m in members} == {JOINED}
    assert len({m.uid for m in members}) == 10_000 and {m.version for m in members} == {1}
    imported = store.patients.find_by_uid(athletes[0].uid)
    assert imported == replace(athletes[0], id=imported.id, version=1)
    assert _patient_rows(store, imported.id) == _patient_rows(store, added.id)  # exactly as add() stores one
    assert store.patients.find_by_uid(athletes[-1].uid).family_name == "Runner"
    done = [report[0] for report in progress.reports]
    assert done == sorted(done) and done[-1] == progress.reports[-1][1] == 20_000  # patients, then members
    assert len(progress.reports) == 20  # one report per batch of 1,000
    assert not any("Runner" in status or "Athlete" in status for _, _, status in progress.reports)


def test_an_import_fills_held_patients_and_counts_members_already_in_the_squad(store: Any) -> None:
    squad = store.squads.add_squad(Squad(_club(store), "Seniors"))
    in_squad, held = _patient(store), _patient(store, "Tane")
    already = store.squads.add_member(Membership(squad.id, in_squad, date(2026, 9, 1)))
    read = store.patients.get(held)
    filled = replace(read, email="tane@example.org", phone="021 555 0199")

    new = _athletes(3)
    outcome = store.squads.import_athletes(squad, new, [filled], [in_squad, held, held], JOINED, NO_PROGRESS)

    assert (outcome.created, outcome.merged, outcome.joined, outcome.already_members) == (3, 1, 4, 1)
    assert outcome.squad == squad
    saved = store.patients.get(held)
    assert (saved.email, saved.phone, saved.version) == ("tane@example.org", "021 555 0199", read.version + 1)
    assert saved.family_name == "Tane"  # the rest as it was
    members = store.squads.members(squad.id, on=JOINED)
    new_ids = {store.patients.find_by_uid(p.uid).id for p in new}
    assert members[0] == already and len(members) == 5
    assert {m.patient_id for m in members[1:]} == {held, *new_ids}


def _refused_import(store: Any, raises: type[Exception], **arguments: Any) -> Any:
    before = _counts(store)
    call = {"squad": None, "new_patients": [], "updated_patients": [], "existing_ids": [], "joined_on": JOINED,
            "progress": NO_PROGRESS, **arguments}  # fmt: skip
    with pytest.raises(raises) as refused:
        store.squads.import_athletes(**call)
    assert _counts(store) == before  # nothing at all: no patient, squad, club or membership
    return refused


def test_a_cancel_at_the_second_batch_keeps_nothing(store: Any) -> None:
    club_id = _club(store)
    progress = Recorder(cancel_after=1)
    _refused_import(store, Cancelled, squad=Squad(club_id, "Seniors"), new_patients=_athletes(2_500),
                    progress=progress)  # fmt: skip
    assert [done for done, _, _ in progress.reports] == [1_000]
    late = Recorder(cancel_after=6)  # after the last batch, before the commit
    _refused_import(store, Cancelled, squad=Squad(club_id, "Seniors"), new_patients=_athletes(2_500),
                    progress=late, new_club=Club("Avon Striders"))  # fmt: skip
    assert late.reports[-1][0] == late.reports[-1][1] == 5_000


def test_a_held_uid_in_the_second_batch_keeps_nothing(store: Any) -> None:
    club_id = _club(store)
    held = store.patients.add(Patient("Held", "Already", date(1990, 1, 1)))
    athletes = _athletes(1_500)
    athletes[1_200] = replace(athletes[1_200], uid=held.uid)
    refused = _refused_import(store, CalfDeskError, squad=Squad(club_id, "Seniors"), new_patients=athletes,
                              new_club=Club("Avon Striders"))  # fmt: skip
    assert "held already" in str(refused.value) and "Already" not in str(refused.value)
    with pytest.raises(ValueError, match="uid of its own"):
        store.squads.import_athletes(Squad(club_id, "Seniors"), [athletes[0], athletes[0]], [], [], JOINED,
                                     NO_PROGRESS)  # fmt: skip


def test_a_stale_or_missing_patient_or_squad_keeps_nothing(store: Any) -> None:
    club_id = _club(store)
    squad = store.squads.add_squad(Squad(club_id, "Seniors"))
    held = store.patients.get(_patient(store))
    store.patients.update(replace(held, phone="0800 000 000"))  # someone else saved it meanwhile
    refused = _refused_import(store, ConflictError, squad=squad, new_patients=_athletes(5),
                              updated_patients=[replace(held, email="x@example.org")])  # fmt: skip
    assert refused.value.current_version == held.version + 1
    _refused_import(store, RecordNotFound, squad=Squad(club_id, "Juniors"), new_patients=_athletes(5),
                    existing_ids=[held.id + 100])  # fmt: skip
    _refused_import(store, RecordNotFound, squad=replace(squad, id=squad.id + 100), new_patients=_athletes(5))
    _refused_import(store, RecordNotFound, squad=Squad(club_id + 100, "Juniors"), new_patients=_athletes(5))
    _refused_import(store, CalfDeskError, squad=Squad(club_id, "SENIORS"), new_patients=_athletes(5))
    _refused_import(store, CalfDeskError, squad=Squad(club_id, "Juniors"), new_patients=_athletes(5),
                    new_club=Club("harbour harriers"))  # fmt: skip


def test_an_import_can_make_its_club_and_squad_in_the_same_transaction(store: Any) -> None:
    outcome = store.squads.import_athletes(
        Squad(0, "Seniors", "2026/27"), _athletes(2), [], [], JOINED, NO_PROGRESS, new_club=Club("Avon Striders")
    )
    (club,) = store.squads.clubs()
    assert club.name == "Avon Striders" and outcome.squad.club_id == club.id
    assert [len(store.squads.members(outcome.squad.id)), outcome.created] == [2, 2]


def test_every_new_athlete_joins_even_when_new_ids_are_not_above_the_held_ones(sqlite_url: str) -> None:
    """SQLite past the largest rowid picks new ones at random (and a PostgreSQL table may hold ids above its
    sequence): the import then finds its patients by uid."""
    store = dbkit.open_store(sqlite_url)
    try:
        squad = store.squads.add_squad(Squad(_club(store), "Seniors"))
        held = _patient(store)
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE patient SET id = 9223372036854775807 WHERE id = :id"), {"id": held})
        athletes = _athletes(3)
        outcome = store.squads.import_athletes(squad, athletes, [], [], JOINED, NO_PROGRESS)
        joined = {m.patient_id for m in store.squads.members(squad.id)}
        assert outcome.joined == 3 and joined == {store.patients.find_by_uid(p.uid).id for p in athletes}
    finally:
        store.close()


# Privacy -----------------------------------------------------------------------------------------


def test_a_restricted_record_joins_no_squad_and_its_membership_stays(store: Any) -> None:
    squad = store.squads.add_squad(Squad(_club(store), "Seniors"))
    patient_id, free_id = _patient(store), _patient(store, "Free")
    kept = store.squads.add_member(Membership(squad.id, patient_id, date(2027, 1, 1)))
    SqlPrivacyStore(store).restrict(Restriction(patient_id, Grounds.ACCURACY_CONTESTED, NOW, 7))
    with pytest.raises(ProcessingRestricted):
        store.squads.end_membership(kept.id, JOINED, kept.version)
    other = store.squads.add_squad(Squad(squad.club_id, "Juniors"))
    with pytest.raises(ProcessingRestricted):
        store.squads.add_member(Membership(other.id, patient_id, JOINED))
    _refused_import(store, ProcessingRestricted, squad=other, existing_ids=[free_id, patient_id])
    assert store.squads.memberships_of(patient_id) == [kept]


def test_the_subject_access_export_and_erasure_take_the_memberships(store: Any) -> None:
    squad = store.squads.add_squad(Squad(_club(store), "Seniors"))
    asked, kept = _patient(store, "Asked"), _patient(store, "Kept")
    store.squads.add_member(Membership(squad.id, asked, date(2027, 1, 1)))
    kept_membership = store.squads.add_member(Membership(squad.id, kept, date(2027, 1, 2)))

    tables = SqlPatientFile(store).read(asked)
    assert [(row["patient_id"], row["joined_on"]) for row in tables["squad_member"]] == [(asked, date(2027, 1, 1))]

    deleted = SqlPrivacyStore(store).erase(asked)
    assert deleted["squad_member"] == 1
    assert store.squads.members(squad.id) == [kept_membership]
    assert store.squads.get_squad(squad.id) == squad  # the squad itself holds nothing about the patient
