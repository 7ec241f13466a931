"""Record transfer between two CalfDesk databases, on SQLite and PostgreSQL: export from A, import into B,
export from B, and every table's rows are equal apart from ids (references compared through the uids of
the rows they name); the import is one transaction that keeps uids, refuses a record already held, a
damaged letter or a damaged file, and leaves nothing behind when it refuses; squad tables stay home."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from db.erasure import SqlPrivacyStore
from db.patient_export import PATIENT_TABLES, SqlPatientFile
from db.patient_transfer import SENDING_STAFF_COLUMNS, SqlRecordTransfer
from tests import dbkit
from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import LetterDamaged
from workstation.exchange.record_transfer import LEFT_OUT, TRANSFERRED_TABLES
from workstation.exchange.transfer_ports import RecordAlreadyHeld, TransferRefused
from workstation.letters.records import LetterKind, PhoneCall, StoredLetter
from workstation.ports import AuditQuery
from workstation.privacy.restriction import Grounds, Restriction
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
from workstation.running.records import RunRecord
from workstation.security.accounts import Actor, Role, User
from workstation.services.session import ClinicSession
from workstation.squads.records import Club, Membership, Squad

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
# Columns that hold ids: compared through the uids of the rows they name, never as numbers.
REFERENCES = {"patient_id": "patient", "episode_id": "episode", "assessment_id": "assessment",
              "corrects_id": "observation", "amends_id": "assessment"}  # fmt: skip


class Clinic:
    """One practice's database with its owner logged in."""

    def __init__(self, url: str, owner: str) -> None:
        self.store = dbkit.open_store(url)
        auditor = Auditor(self.store.audit, "room-1", lambda: NOW)
        # An account row is enough (the letter's author must be one); the password is never asked here.
        user = self.store.users.add(User(owner, owner.title(), Role.ADMIN, "not-a-real-hash"))
        self.admin = Actor(user.id, owner, Role.ADMIN, "room-1")
        self.session = ClinicSession(self.store, self.admin, auditor)

    def export(self, patient_id: int) -> bytes:
        return self.session.record_exchange.transfer_export(patient_id, SqlPatientFile(self.store))

    def import_(self, data: bytes) -> int:
        return self.session.record_exchange.transfer_import(data, SqlRecordTransfer(self.store))

    def counts(self) -> dict[str, int]:
        with self.store.engine.connect() as connection:
            return {name: connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
                    for name in TRANSFERRED_TABLES}  # fmt: skip


@pytest.fixture
def second_url(database_url: str, tmp_path: Any) -> Iterator[str]:
    """Another empty database on the same backend as ``database_url``."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'receiving.sqlite3'}"
        return
    import psycopg

    from tests.conftest import _drop_database, _pg_admin_url, _psycopg_url

    admin = _pg_admin_url()
    assert admin is not None
    name = f"calfdesk_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_psycopg_url(admin), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"{admin.rpartition('/')[0]}/{name}"
    _drop_database(_psycopg_url(admin), name)


@pytest.fixture
def clinics(database_url: str, second_url: str) -> Iterator[tuple[Clinic, Clinic]]:
    sending, receiving = Clinic(database_url, "sam.okafor"), Clinic(second_url, "lee.tan")
    yield sending, receiving
    sending.store.close()
    receiving.store.close()


def _pdf(seed: str) -> bytes:
    """PDF-like bytes with every byte value in them: the copy must be exact, NULs and line ends included."""
    return b"%PDF-1.7\n" + (hashlib.sha256(seed.encode()).digest() + bytes(range(256))) * 30 + b"\r\n%%EOF"


def _fill(clinic: Clinic) -> int:
    """A record with something in every transferred table, and a squad membership that must stay home."""
    store, by = clinic.store, clinic.admin.user_id
    patient = store.patients.add(Patient(
        "Thị Minh", "Nguyễn", date(1990, 4, 2), Sex.FEMALE, preferred_name="Minnie", phone="07700 900123",
        email="minh@example.org", address="1 Riverside Road\nLeeds", nhs_number="9434765919",
        gp=GeneralPractitioner("Dr A Patel", "Riverside Surgery", "2 High St", "0113 000", "gp@nhs.net"),
        emergency_contact=EmergencyContact("Binh", "brother", "07700 900456"),
        gp_consent=Consent(True, date(2026, 1, 5)), club_consent=Consent(True, date(2026, 1, 6)),
    ))  # fmt: skip
    pid = patient.id
    assert pid is not None
    old = store.episodes.add(Episode(pid, "Right calf strain", Side.RIGHT, date(2025, 3, 1)))
    store.episodes.update(
        Episode(pid, "Right calf strain", Side.RIGHT, date(2025, 3, 1), EpisodeStatus.DISCHARGED, date(2025, 5, 1),
                DischargeReason.RETURNED_TO_RUNNING, id=old.id, uid=old.uid, version=old.version)
    )  # fmt: skip
    episode = store.episodes.add(Episode(pid, "Left calf pain <b>after</b> hills", Side.LEFT, date(2026, 10, 28)))
    first = store.assessments.finalise(
        AssessmentRecord(pid, episode.id, date(2026, 11, 2), '{"outcomes": {"lefs_total": 61}}', "{}", "{}",
                         "urgent", recorded_by=by),
        [Observation(pid, date(2026, 11, 2), "heel_raise_reps", 18, "reps", Side.LEFT, episode.id, "10° incline")],
    )  # fmt: skip
    store.assessments.finalise(
        AssessmentRecord(pid, episode.id, date(2026, 11, 2), "{}", "{}", "{}", "urgent", recorded_by=by,
                         amends_id=first.id, amendment_reason="wrong side typed"), []
    )  # fmt: skip
    measured = store.observations.add(Observation(pid, date(2026, 11, 9), "knee_to_wall_cm", 9.5, "cm", Side.LEFT,
                                                  episode.id, recorded_by=by))  # fmt: skip
    store.observations.correct(Observation(pid, date(2026, 11, 9), "knee_to_wall_cm", 10.5, "cm", Side.LEFT,
                                           episode.id, corrects_id=measured.id, correction_reason="re-measured",
                                           recorded_by=by))  # fmt: skip
    store.observations.add(Observation(pid, date(2026, 11, 9), "odd_value", float("inf"), "", recorded_by=by))
    flag = store.red_flags.raise_flag(RedFlagRecord(pid, episode.id, "dvt_suspected", "urgent", "Same-day review.",
                                                    NOW - timedelta(days=20), raised_by=by))  # fmt: skip
    store.red_flags.resolve(flag.id, "Phoned GP; scan negative", by=by, at=NOW - timedelta(days=19))
    store.red_flags.raise_flag(RedFlagRecord(pid, None, "severe_unexplained_pain", "soon", "See GP.", NOW))
    store.running_log.add(RunRecord(pid, date(2026, 11, 20), 5.2, 31.5, 4, None, "Pegasus", True, None, "easy",
                                    recorded_by=by))  # fmt: skip
    pdf = _pdf("referral")
    store.letters.add(StoredLetter(
        pid, LetterKind.GP_REFERRAL, "Referral to GP", "urgent", "Dr A Patel, Riverside Surgery",
        hashlib.sha256(pdf).hexdigest(), 2, len(pdf), by, "Sam Okafor", NOW - timedelta(days=19),
        first.id, episode.id, PhoneCall(NOW - timedelta(days=19, minutes=5), "Reception", "Seen at 15:00"),
    ), pdf)  # fmt: skip
    club = store.squads.add_club(Club("Harriers"))
    squad = store.squads.add_squad(Squad(club.id, "Senior women", "2026/27"))
    store.squads.add_member(Membership(squad.id, pid, date(2026, 1, 10)))
    SqlPrivacyStore(store).restrict(Restriction(pid, Grounds.ACCURACY_CONTESTED, NOW, by))
    return pid


def _comparable(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows with ids left out and each reference replaced by the uid of the row it names."""
    tables = document["tables"]
    uids = {name: {row["id"]: row.get("uid") for row in rows if "id" in row} for name, rows in tables.items()}
    result = {}
    for name, rows in tables.items():
        compared = []
        for row in rows:
            kept = {}
            for column, value in row.items():
                if column in {"id", "author_id", *SENDING_STAFF_COLUMNS}:
                    continue
                kept[column] = uids[REFERENCES[column]].get(value, "missing") if column in REFERENCES else value
                if column in REFERENCES and value is None:
                    kept[column] = None
            compared.append(kept)
        result[name] = sorted(compared, key=lambda row: json.dumps(row, sort_keys=True))
    return result


def test_a_record_goes_from_a_to_b_and_back_out_of_b_with_nothing_lost(clinics: tuple[Clinic, Clinic]) -> None:
    sending, receiving = clinics
    receiving.store.patients.add(Patient("Someone", "Else", date(1970, 1, 1)))  # B's ids differ from A's
    pid = _fill(sending)
    from_a = sending.export(pid)

    new_id = receiving.import_(from_a)

    from_b = receiving.export(new_id)
    a, b = json.loads(from_a), json.loads(from_b)
    assert new_id != pid and b["patient_uid"] == a["patient_uid"]
    assert set(a["tables"]) == set(TRANSFERRED_TABLES)
    assert all(a["tables"][name] for name in TRANSFERRED_TABLES), "the record fills every table"
    assert _comparable(a) == _comparable(b)
    assert b["tables"]["letter"][0]["pdf"] == a["tables"]["letter"][0]["pdf"]  # byte for byte
    assert receiving.store.letters.pdf(b["tables"]["letter"][0]["id"]) == _pdf("referral")


def test_staff_of_the_sending_practice_become_nobody_and_the_letter_author_the_importer(
    clinics: tuple[Clinic, Clinic],
) -> None:
    sending, receiving = clinics
    new_id = receiving.import_(sending.export(_fill(sending)))
    tables = json.loads(receiving.export(new_id))["tables"]
    for name, rows in tables.items():
        for row in rows:
            assert all(row[column] is None for column in SENDING_STAFF_COLUMNS & set(row)), name
    (letter,) = tables["letter"]
    assert (letter["author_id"], letter["author_name"]) == (receiving.admin.user_id, "Sam Okafor")


def test_the_imported_patient_reads_back_as_the_sent_one(clinics: tuple[Clinic, Clinic]) -> None:
    sending, receiving = clinics
    pid = _fill(sending)
    new_id = receiving.import_(sending.export(pid))
    sent, received = sending.store.patients.get(pid), receiving.store.patients.get(new_id)
    assert received == sent.with_changes(id=new_id)
    assert receiving.store.patients.first_page(5)[0].display_name == "Nguyễn, Thị Minh"  # list order and index
    assert [o.value for o in receiving.store.observations.for_patient(new_id, "knee_to_wall_cm")] == [10.5]
    (amended,) = receiving.store.assessments.current_for_patient(new_id)
    assert amended.amendment_reason == "wrong side typed"


def test_squad_tables_stay_in_the_sending_database(clinics: tuple[Clinic, Clinic]) -> None:
    sending, receiving = clinics
    data = sending.export(_fill(sending))
    document = json.loads(data)
    assert document["left_out"] == LEFT_OUT
    assert not set(document["tables"]) & {"squad_member", "screening_entry", "screening_observation"}
    receiving.import_(data)
    assert receiving.store.squads.squads(include_archived=True) == []


def test_every_table_about_a_patient_is_either_transferred_or_left_out_with_a_reason() -> None:
    mapped = {table.name for table in PATIENT_TABLES}
    assert mapped == set(TRANSFERRED_TABLES) | set(LEFT_OUT)


def test_a_record_already_held_is_refused_and_nothing_is_written(clinics: tuple[Clinic, Clinic]) -> None:
    sending, receiving = clinics
    data = sending.export(_fill(sending))
    receiving.import_(data)
    before = receiving.counts()
    with pytest.raises(RecordAlreadyHeld, match="already held"):
        receiving.import_(data)
    assert receiving.counts() == before
    refused = receiving.store.audit.query(AuditQuery(event=AuditEvent.RECORD_TRANSFER_IMPORTED))
    assert [entry.outcome for entry in refused] == [Outcome.FAILURE, Outcome.SUCCESS]
    assert "Nguy" not in " ".join(entry.detail for entry in refused)


def test_importing_back_into_the_sending_database_is_refused(clinics: tuple[Clinic, Clinic]) -> None:
    sending, _ = clinics
    data = sending.export(_fill(sending))
    with pytest.raises(RecordAlreadyHeld):
        sending.import_(data)


def _edited(data: bytes, edit: Any) -> bytes:
    document = json.loads(data)
    edit(document["tables"])
    return json.dumps(document).encode()


def test_a_letter_changed_on_the_way_is_refused(clinics: tuple[Clinic, Clinic]) -> None:
    sending, receiving = clinics
    data = sending.export(_fill(sending))

    def swap_pdf(tables: dict[str, Any]) -> None:
        other = _pdf("forged")
        tables["letter"][0]["pdf"] = "data:application/pdf;base64," + base64.b64encode(other).decode()

    before = receiving.counts()
    with pytest.raises(LetterDamaged, match="damaged"):
        receiving.import_(_edited(data, swap_pdf))
    assert receiving.counts() == before


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t["observation"][-1].update(value="ten"), r"observation\.value of row \d+ is not a number"),
        (lambda t: t["episode"][0].update(onset_date="1 March"), r"episode\.onset_date of row 1 is not a date"),
        (lambda t: t["episode"][0].update(mood="happy"), "newer version of CalfDesk: episode.mood"),
        (lambda t: t["episode"][0].pop("complaint"), r"episode\.complaint of row 1 is missing"),
        (lambda t: t["running_session"][0].update(recorded_at="2026-11-20T10:00:00"), "an instant with a time zone"),
        # The last correction names an observation the file lacks: refused inside the transaction, after the
        # patient and the episodes were written, so this shows the rollback.
        (lambda t: t["observation"][-1].update(corrects_id=999_999), "refers to one it does not hold"),
    ],
)
def test_a_damaged_file_is_refused_naming_where_and_nothing_is_left_behind(
    clinics: tuple[Clinic, Clinic], edit: Any, message: str
) -> None:
    sending, receiving = clinics
    data = sending.export(_fill(sending))
    before = receiving.counts()
    with pytest.raises(TransferRefused, match=message):
        receiving.import_(_edited(data, edit))
    assert receiving.counts() == before
