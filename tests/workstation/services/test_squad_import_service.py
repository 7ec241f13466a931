"""The athlete import for one logged-in person, on a real database: who may import, what a commit stores
(all of it in one transaction, or nothing), merges that fill only blanks, the squad and club it files
into, cancelling, and one audit entry with counts and no names."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pytest

from tests import dbkit
from tests.workstation.exchange.helpers import (
    TODAY,
    VALID_NHS,
    VALID_NHS_2,
    athlete,
    csv_file,
    session,
    stored_counts,
)
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import CalfDeskError, ConflictError, PermissionDenied, ValidationFailed
from workstation.exchange.athlete_records import ImportPreview, MatchDecision, RowStatus
from workstation.long_work import Cancelled
from workstation.ports import AuditQuery
from workstation.records import Patient, Sex
from workstation.security.accounts import Role
from workstation.services.squad_import import AthleteImportService
from workstation.squads.records import Club, Squad

JOINED = date(2026, 3, 1)
SQUADS = (Role.ADMIN, Role.CLINICIAN)  # MANAGE_SQUADS and EDIT_PATIENT both


@pytest.fixture
def sqlite_store(sqlite_url: str) -> Iterator[Any]:
    """A real, encrypted SQLite store, as the app opens it (most tests here need only one backend)."""
    opened = dbkit.open_store(sqlite_url)
    yield opened
    opened.close()


def _importer(store: Any, role: Role = Role.CLINICIAN) -> AthleteImportService:
    return session(store, role).squad_import


def _previewed(importer: AthleteImportService, *rows: list[str]) -> ImportPreview:
    table = importer.read(csv_file(rows), "athletes.csv")
    return importer.preview(table, importer.suggest_mapping(table), today=TODAY)


def _audit(store: Any, event: AuditEvent) -> list[Any]:
    return store.audit.query(AuditQuery(event=event))


def test_a_clean_file_becomes_new_patients_in_a_new_squad_in_one_commit(store: Any) -> None:
    importer = _importer(store)
    result = _previewed(importer, athlete(nhs=VALID_NHS), athlete("Tom", "Hall", sex="M"), athlete("", "Wiranto"))
    assert result.can_commit
    outcome = importer.commit(result, "  Senior women ", decisions={}, joined_on=JOINED)
    assert (outcome.created, outcome.merged, outcome.joined, outcome.already_members) == (3, 0, 3, 0)
    assert outcome.squad.id is not None and outcome.squad.name == "Senior women"
    (club,) = store.squads.clubs()
    assert club.name == "Club" and outcome.squad.club_id == club.id
    members = store.squads.members(outcome.squad.id, on=JOINED)
    assert len(members) == 3 and {m.joined_on for m in members} == {JOINED}
    stored = {store.patients.get(m.patient_id).display_name for m in members}
    assert stored == {"Clarke, Zoë", "Hall, Tom", "Wiranto"}
    (entry,) = _audit(store, AuditEvent.ATHLETES_IMPORTED)
    assert (entry.object_type, entry.object_id) == ("squad", str(outcome.squad.id))
    assert entry.detail == "3 new, 0 merged, 3 joined, 0 already members, 0 rows left out"
    assert len(_audit(store, AuditEvent.SQUAD_CREATED)) == len(_audit(store, AuditEvent.CLUB_CREATED)) == 1


def test_an_existing_squad_is_found_by_name_and_held_patients_merge_filling_blanks_only(sqlite_store: Any) -> None:
    store = sqlite_store
    club = store.squads.add_club(Club("Harriers"))
    squad = store.squads.add_squad(Squad(club.id, "Seniors", season="2026"))
    held = store.patients.add(Patient("Zoë", "Clarke", date(2001, 4, 3), email="zoe@example.org"))
    importer = _importer(store)
    result = _previewed(importer, athlete("ZOE", "clarke", email="new@example.org", phone="07700 900123",
                                          nhs=VALID_NHS), athlete("Tom", "Hall"))  # fmt: skip
    match = result.rows[0]
    assert (match.status, match.match_id, match.merge_fills, match.differences) == (
        RowStatus.MATCH, held.id, ("Sex", "Phone", "NHS number"), ("Email",),
    )  # fmt: skip
    outcome = importer.commit(result, "seniors", decisions={}, joined_on=JOINED)
    assert outcome.squad.id == squad.id
    assert (outcome.created, outcome.merged, outcome.joined) == (1, 1, 2)
    merged = store.patients.get(held.id)
    assert (merged.email, merged.phone, merged.nhs_number, merged.sex) == (
        "zoe@example.org", "07700 900123", VALID_NHS, Sex.FEMALE,
    )  # fmt: skip
    assert merged.version == held.version + 1 and merged.uid == held.uid
    assert store.patients.count() == 2 and _audit(store, AuditEvent.SQUAD_CREATED) == []


def test_a_skipped_match_is_left_out_and_a_member_already_is_counted(sqlite_store: Any) -> None:
    store = sqlite_store
    held = store.patients.add(Patient("Zoë", "Clarke", date(2001, 4, 3)))
    importer = _importer(store)
    first = importer.commit(_previewed(importer, athlete(sex="")), "Seniors", decisions={}, joined_on=JOINED)
    assert (first.created, first.merged, first.joined) == (0, 0, 1)  # nothing to fill: joined, not merged
    assert store.patients.get(held.id).version == held.version
    again = importer.commit(_previewed(importer, athlete(), athlete("Tom", "Hall")), "Seniors",
                            decisions={}, joined_on=JOINED)  # fmt: skip
    assert (again.created, again.joined, again.already_members) == (1, 1, 1)
    skipping = _previewed(importer, athlete(), athlete("Ann", "Lee"))
    outcome = importer.commit(skipping, "Juniors", decisions={2: MatchDecision.SKIP}, joined_on=JOINED)
    assert outcome.squad.id is not None
    assert [m.patient_id for m in store.squads.members(outcome.squad.id)] != [held.id]
    assert len(store.squads.members(outcome.squad.id)) == 1
    with pytest.raises(CalfDeskError, match="Nothing to import"):
        importer.commit(_previewed(importer, athlete()), "Juniors", decisions={2: MatchDecision.SKIP}, joined_on=JOINED)


def test_a_file_with_rejected_rows_stores_nothing_unless_they_are_left_out_deliberately(sqlite_store: Any) -> None:
    store = sqlite_store
    importer = _importer(store)
    result = _previewed(importer, athlete(), athlete("Tom", "Hall", born="31/02/2001"), athlete("zoe", "clarke"))
    before = stored_counts(store)
    with pytest.raises(CalfDeskError, match="Nothing was imported: 2 rows have problems"):
        importer.commit(result, "Seniors", decisions={}, joined_on=JOINED)
    assert stored_counts(store) == before
    outcome = importer.commit(result, "Seniors", decisions={}, joined_on=JOINED, leave_out_rejected=True)
    assert (outcome.created, outcome.joined) == (1, 1)
    assert _audit(store, AuditEvent.ATHLETES_IMPORTED)[0].detail.endswith("2 rows left out")
    nothing = _previewed(importer, athlete("Tom", "Hall", born="31/02/2001"))
    with pytest.raises(CalfDeskError, match="no row of the file can be imported"):
        importer.commit(nothing, "Seniors", decisions={}, joined_on=JOINED, leave_out_rejected=True)


def test_the_rejection_report_lists_every_reason_with_formula_safe_cells(sqlite_store: Any) -> None:
    importer = _importer(sqlite_store)
    header = ("First name", "Surname", "DOB", "@Sex")  # a header a spreadsheet would run
    data = csv_file([["Zoe", "Clarke", "03/04/2001", "F"], ["Tom", "Hall", "=1+1", "dragon"],
                     ["zoe", "clarke", "03/04/2001", ""]], header=header)  # fmt: skip
    table = importer.read(data, "athletes.csv")
    result = importer.preview(table, importer.suggest_mapping(table), today=TODAY)
    rows = list(csv.reader(io.StringIO(importer.rejection_report(result))))
    assert rows[0] == ["Line", "Status", "Column", "Reason"]
    assert rows[1][:3] == ["3", "Error", "DOB"] and rows[1][3].startswith("'=1+1' is not a date")
    assert rows[2][:3] == ["3", "Error", "'@Sex"] and "'dragon' is not a sex" in rows[2][3]
    assert rows[3][:3] == ["4", "Repeated in file", ""] and "Repeats line 2" in rows[3][3]
    assert len(rows) == 4


def test_a_cancel_leaves_nothing_stored_and_a_commit_fills_only_what_is_blank_then(sqlite_store: Any) -> None:
    store = sqlite_store
    held = store.patients.add(Patient("Zoë", "Clarke", date(2001, 4, 3)))
    importer = _importer(store)
    runners = [athlete(f"Runner{n}", "Hall") for n in range(1_500)]  # more than one batch of the commit
    result = _previewed(importer, athlete(phone="07700 900123"), *runners)
    before = stored_counts(store)

    @dataclass
    class CancelAfterFirstBatch:
        reports: int = 0

        def report(self, done: int, total: int, status: str) -> None:
            self.reports += 1

        @property
        def cancel_requested(self) -> bool:
            return self.reports >= 1

    cancelling = CancelAfterFirstBatch()
    with pytest.raises(Cancelled):
        importer.commit(result, "Seniors", decisions={}, joined_on=JOINED, progress=cancelling)
    assert cancelling.reports >= 1 and stored_counts(store) == before
    assert _audit(store, AuditEvent.ATHLETES_IMPORTED) == []
    store.patients.update(held.with_changes(phone="07700 900999"))  # someone fills the phone meanwhile
    outcome = importer.commit(result, "Seniors", decisions={}, joined_on=JOINED)
    assert (outcome.created, outcome.joined) == (1_500, 1_501)
    assert store.patients.get(held.id).phone == "07700 900999"  # the commit reads the record again: kept


def test_an_identifier_added_meanwhile_stops_the_merge(sqlite_store: Any) -> None:
    store = sqlite_store
    held = store.patients.add(Patient("Zoë", "Clarke", date(2001, 4, 3)))
    importer = _importer(store)
    result = _previewed(importer, athlete(nhs=VALID_NHS))
    store.patients.update(held.with_changes(nhs_number=VALID_NHS_2))
    with pytest.raises(ConflictError, match="check the file again"):
        importer.commit(result, "Seniors", decisions={}, joined_on=JOINED)
    assert store.patients.get(held.id).nhs_number == VALID_NHS_2


def test_the_squad_and_club_it_files_into(sqlite_store: Any) -> None:
    store = sqlite_store
    importer = _importer(store)
    harriers = store.squads.add_club(Club("Harriers"))
    outcome = importer.commit(_previewed(importer, athlete()), "Seniors", decisions={}, joined_on=JOINED)
    assert outcome.squad.club_id == harriers.id  # the only club
    striders = store.squads.add_club(Club("Striders"))
    with pytest.raises(CalfDeskError, match="Choose the club"):
        importer.commit(_previewed(importer, athlete("Tom", "Hall")), "Juniors", decisions={}, joined_on=JOINED)
    juniors = importer.commit(_previewed(importer, athlete("Tom", "Hall")), "Juniors", decisions={},
                              joined_on=JOINED, club_id=striders.id)  # fmt: skip
    assert juniors.squad.club_id == striders.id
    store.squads.add_squad(Squad(striders.id, "Seniors"))
    with pytest.raises(CalfDeskError, match="2 squads have this name"):
        importer.commit(_previewed(importer, athlete("Ann", "Lee")), "Seniors", decisions={}, joined_on=JOINED)
    chosen = importer.commit(_previewed(importer, athlete("Ann", "Lee")), "Seniors", decisions={},
                             joined_on=JOINED, club_id=harriers.id)  # fmt: skip
    assert chosen.squad.id == outcome.squad.id
    with pytest.raises(ValidationFailed):
        importer.commit(_previewed(importer, athlete("Kate", "Wood")), "   ", decisions={}, joined_on=JOINED)
    assert len(store.squads.clubs()) == 2


def test_an_archived_squad_is_never_filled_silently(sqlite_store: Any) -> None:
    store = sqlite_store
    importer = _importer(store)
    harriers = store.squads.add_club(Club("Harriers"))
    over = store.squads.add_squad(Squad(harriers.id, "Seniors", season="2025/26", archived=True))
    before = stored_counts(store)
    with pytest.raises(CalfDeskError) as refused:
        importer.commit(_previewed(importer, athlete()), "seniors", decisions={}, joined_on=JOINED)
    assert str(refused.value) == (
        "The squad Seniors (2025/26) is archived: reopen it in Squads, or import into another squad."
    )
    assert type(refused.value) is CalfDeskError
    assert stored_counts(store) == before  # nothing half-done: no patient, no squad, no membership
    current = store.squads.add_squad(Squad(harriers.id, "Seniors", season="2026/27"))
    outcome = importer.commit(_previewed(importer, athlete()), "Seniors", decisions={}, joined_on=JOINED)
    assert outcome.squad.id == current.id  # this season's, not the archived one of the same name
    squads = session(store).squads
    squads.save_squad(replace(squads.squad(current.id), archived=True))
    squads.save_squad(replace(squads.squad(over.id), archived=False))  # reopened: imports go there again
    reopened = importer.commit(_previewed(importer, athlete("Tom", "Hall")), "Seniors", decisions={}, joined_on=JOINED)
    assert reopened.squad.id == over.id


def test_a_new_club_named_for_the_import_is_made_in_its_transaction_and_a_cancel_keeps_neither(
    sqlite_store: Any,
) -> None:
    store = sqlite_store
    importer = _importer(store)
    store.squads.add_club(Club("Harriers"))
    result = _previewed(importer, athlete())

    class CancelAtOnce:
        def report(self, done: int, total: int, status: str) -> None:
            pass

        @property
        def cancel_requested(self) -> bool:
            return True

    with pytest.raises(Cancelled):
        importer.commit(result, "Seniors", decisions={}, joined_on=JOINED, new_club_name="Ravens",
                        progress=CancelAtOnce())  # fmt: skip
    assert [club.name for club in store.squads.clubs()] == ["Harriers"]
    outcome = importer.commit(result, "Seniors", decisions={}, joined_on=JOINED, new_club_name=" Ravens ")
    ravens = next(club for club in store.squads.clubs() if club.name == "Ravens")
    assert outcome.squad.club_id == ravens.id
    with pytest.raises(ValidationFailed):
        importer.commit(result, "Seniors", decisions={}, joined_on=JOINED, new_club_name="x" * 500)


@pytest.mark.parametrize("role", list(Role))
def test_only_roles_that_manage_squads_and_edit_patients_may_import(sqlite_store: Any, role: Role) -> None:
    store = sqlite_store
    data = csv_file([athlete()])
    clinician = _importer(store)
    table = clinician.read(data, "athletes.csv")
    mapping = clinician.suggest_mapping(table)
    result = clinician.preview(table, mapping, today=TODAY)
    importer = _importer(store, role)
    before = stored_counts(store)
    steps = (
        lambda: importer.read(data, "athletes.csv"),
        lambda: importer.suggest_mapping(table),
        lambda: importer.preview(table, mapping, today=TODAY),
        lambda: importer.commit(result, "Seniors", decisions={}, joined_on=JOINED),
    )
    if role in SQUADS:
        for step in steps:
            step()
        assert stored_counts(store) == (before[0] + 1, 1, 1, 1)
        return
    for step in steps:
        with pytest.raises(PermissionDenied):
            step()
    assert stored_counts(store) == before
    denials = [e for e in _audit(store, AuditEvent.ATHLETES_IMPORTED) if e.outcome is Outcome.DENIED]
    assert len(denials) == len(steps) and {e.role for e in denials} == {role.value}


def test_dates_that_read_either_way_are_read_in_the_clinics_order(sqlite_store: Any) -> None:
    from workstation.clinical.country import Country

    store = sqlite_store
    importer = _importer(store)
    table = importer.read(csv_file([["Zoë", "Clarke", "03/04/2001"]], header=["First name", "Surname", "DOB"]), "a.csv")
    assert importer.suggest_mapping(table).day_first is True  # no country chosen: day first, as the UK and AU
    admin = session(store, Role.ADMIN)
    admin.clinic_settings.set_country(admin.actor, Country.US)
    mapping = importer.suggest_mapping(table)
    assert mapping.day_first is False
    (row,) = importer.preview(table, mapping, today=TODAY).rows
    assert row.patient is not None and row.patient.date_of_birth == date(2001, 3, 4)


def test_the_preview_looks_up_only_who_may_be_held_and_finds_what_the_whole_list_would(sqlite_store: Any) -> None:
    from tests.workstation.exchange.helpers import csv_file as as_csv
    from workstation.demo_squads import athlete_rows
    from workstation.exchange.athlete_preview import preview as preview_of

    store = sqlite_store
    importer = _importer(store)
    rows = athlete_rows(300, seed=11)
    first = importer.read(as_csv(rows[:150]), "first.csv")
    importer.commit(importer.preview(first, importer.suggest_mapping(first), today=TODAY), "Seniors",
                    decisions={}, joined_on=JOINED)  # fmt: skip
    store.patients.add(Patient("Zoë", "Clarke", date(2001, 4, 3), nhs_number=VALID_NHS))
    # Rows 100-149 are held now, Zoë is held with another NHS number, and rows 150-299 are new.
    table = importer.read(as_csv([*rows[100:300], athlete(nhs=VALID_NHS_2)]), "second.csv")
    mapping = importer.suggest_mapping(table)
    looked_up = importer.preview(table, mapping, today=TODAY)
    whole_list = preview_of(table, mapping, list(store.patients.summaries()), TODAY, load_held=store.patients.get_many)
    def seen(row: Any) -> tuple[object, ...]:  # all but the new patients' own uids, which each preview makes
        return (row.line, row.status, row.match_id, row.problems, row.merge_fills, row.differences,
                row.duplicate_of_line)  # fmt: skip

    assert [seen(row) for row in looked_up.rows] == [seen(row) for row in whole_list.rows]
    assert {row.status for row in looked_up.rows} == {RowStatus.NEW, RowStatus.MATCH, RowStatus.ERROR}
