"""The rules in front of the records (G5) and the audit entries every use case leaves (F1), on real
databases of both kinds: what each role gets from the same repositories, and what is written down."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests import dbkit
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditAction, AuditEvent, Outcome
from workstation.errors import PermissionDenied
from workstation.ports import AuditQuery, ClinicStore
from workstation.records import Consent, Episode, GeneralPractitioner, Patient, Side
from workstation.security.accounts import Actor, Role
from workstation.services.patients import save_episode, save_patient
from workstation.services.session import ClinicSession, audit_csv_text, formula_safe

TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _session(store: ClinicStore, role: Role, user_id: int = 7) -> ClinicSession:
    actor = Actor(user_id, f"{role.value}.user", role, "room-2")
    return ClinicSession(store, actor, Auditor(store.audit, "room-2", lambda: NOW))


@pytest.fixture
def records(store: ClinicStore) -> dict[str, int]:
    """Two runners, one of whom agreed to share with the club, each with an episode (stored directly)."""
    shared = store.patients.add(
        Patient("Aroha", "Ngata", date(1998, 3, 4), phone="021 555 0101", nhs_number="9434765919",
                gp=GeneralPractitioner(name="Dr Rua"), club_consent=Consent(True, date(2026, 1, 5)))
    )  # fmt: skip
    private = store.patients.add(Patient("Liam", "Walsh", date(1990, 6, 1), nhs_number="9434765870"))
    assert shared.id is not None and private.id is not None
    for patient_id in (shared.id, private.id):
        store.episodes.add(Episode(patient_id, "Right calf strain", Side.RIGHT, date(2026, 11, 1)))
    return {"shared": shared.id, "private": private.id}


def test_a_clinician_sees_and_changes_everything_clinical(store: ClinicStore, records: dict[str, int]) -> None:
    session = _session(store, Role.CLINICIAN)
    patient = session.patients.get(records["private"])
    assert patient.nhs_number == "9434765870"
    assert len(session.episodes.for_patient(records["private"])) == 1
    saved = save_patient(session.patients, patient.with_changes(phone="07700 900123"), TODAY)
    save_episode(session.episodes, Episode(saved.id or 0, "Left calf cramp", Side.LEFT, TODAY), saved.date_of_birth,
                 TODAY)  # fmt: skip
    assert {s.id for s in session.patients.summaries()} == set(records.values())
    assert session.patients.count() == 2


def test_reception_sees_demographics_and_gp_but_no_clinical_record(
    store: ClinicStore, records: dict[str, int]
) -> None:
    session = _session(store, Role.RECEPTION)
    patient = session.patients.get(records["shared"])
    assert (patient.nhs_number, patient.gp.name) == ("9434765919", "Dr Rua")
    with pytest.raises(PermissionDenied, match="Reception"):
        session.episodes.for_patient(records["shared"])
    with pytest.raises(PermissionDenied):
        session.episodes.add(Episode(records["shared"], "Shin pain", Side.LEFT, TODAY))
    registered = save_patient(session.patients, Patient("Mei", "Chen", date(2001, 2, 3)), TODAY)
    assert registered.id is not None  # reception registers patients


def test_club_staff_see_only_athletes_who_agreed_and_only_the_shared_summary(
    store: ClinicStore, records: dict[str, int]
) -> None:
    session = _session(store, Role.CLUB)
    assert [s.id for s in session.patients.summaries()] == [records["shared"]]
    assert session.patients.count() == 1
    assert [s.id for s in session.patients.first_page(10)] == [records["shared"]]
    shared = session.patients.get(records["shared"])
    assert (shared.given_name, shared.phone) == ("Aroha", "021 555 0101")
    assert (shared.nhs_number, shared.gp.name) == ("", "")  # identifiers and GP are not the club's
    assert len(session.episodes.for_patient(records["shared"])) == 1  # the shared summary
    with pytest.raises(PermissionDenied):
        session.patients.get(records["private"])
    with pytest.raises(PermissionDenied):
        session.episodes.for_patient(records["private"])
    with pytest.raises(PermissionDenied):
        save_patient(session.patients, shared.with_changes(phone="021 555 0199"), TODAY)


def test_nobody_but_an_administrator_reads_the_audit(store: ClinicStore, records: dict[str, int]) -> None:
    for role in (Role.CLINICIAN, Role.RECEPTION, Role.CLUB):
        with pytest.raises(PermissionDenied):
            _session(store, role).audit_entries(AuditQuery())
    assert _session(store, Role.ADMIN).audit_entries(AuditQuery())


# Every use case, the entry it must leave, and the patient it must name (F1 coverage).
_USE_CASES = [
    ("open a record", lambda s, ids: s.patients.get(ids["private"]), AuditEvent.PATIENT_VIEWED, "private"),
    ("register", lambda s, ids: s.patients.add(Patient("Mei", "Chen", date(2001, 2, 3))),
     AuditEvent.PATIENT_CREATED, "new"),
    ("edit", lambda s, ids: s.patients.update(s.patients.get(ids["private"]).with_changes(phone="1234567")),
     AuditEvent.PATIENT_UPDATED, "private"),
    ("add an episode", lambda s, ids: s.episodes.add(Episode(ids["private"], "Calf tear", Side.LEFT, TODAY)),
     AuditEvent.EPISODE_CREATED, "private"),
    ("edit an episode", lambda s, ids: s.episodes.update(s.episodes.for_patient(ids["private"])[0]),
     AuditEvent.EPISODE_UPDATED, "private"),
    ("read the audit", lambda s, ids: s.audit_entries(AuditQuery(patient_id=ids["private"])),
     AuditEvent.AUDIT_VIEWED, "private"),
    ("export the audit", lambda s, ids: s.audit_csv(AuditQuery()), AuditEvent.AUDIT_EXPORTED, None),
    ("verify the audit", lambda s, ids: s.verify_audit(), AuditEvent.AUDIT_VERIFIED, None),
]  # fmt: skip


@pytest.mark.parametrize(("use_case", "run", "event", "patient"), _USE_CASES, ids=[u[0] for u in _USE_CASES])
def test_each_use_case_leaves_its_audit_entry(
    store: ClinicStore, records: dict[str, int], use_case: str, run, event: AuditEvent, patient: str | None
) -> None:  # type: ignore[no-untyped-def]
    session = _session(store, Role.ADMIN, user_id=3)
    before = store.audit.head()[0]
    run(session, records)
    written = [e for e in store.audit.in_order() if (e.sequence or 0) > before]
    matching = [e for e in written if e.event is event]
    assert matching, f"{use_case}: no {event.value} entry among {[e.event.value for e in written]}"
    entry = matching[-1]
    assert (entry.user_id, entry.role, entry.workstation, entry.outcome) == (3, "admin", "room-2", Outcome.SUCCESS)
    assert entry.occurred_at == NOW
    assert entry.action is event.action
    if patient == "new":
        assert entry.patient_id is not None and entry.patient_id not in records.values()
    else:
        assert entry.patient_id == (records[patient] if patient else None)


def test_a_refusal_is_audited_as_denied(store: ClinicStore, records: dict[str, int]) -> None:
    with pytest.raises(PermissionDenied):
        _session(store, Role.RECEPTION, user_id=9).episodes.for_patient(records["private"])
    denied = store.audit.query(AuditQuery(user_id=9))
    assert [(e.event, e.outcome, e.patient_id) for e in denied] == [
        (AuditEvent.PATIENT_VIEWED, Outcome.DENIED, records["private"])
    ]
    assert denied[0].action is AuditAction.READ


def test_no_audit_entry_carries_a_patient_name(store: ClinicStore, records: dict[str, int]) -> None:
    session = _session(store, Role.ADMIN)
    for patient_id in records.values():
        session.patients.update(session.patients.get(patient_id))
    text = audit_csv_text(store.audit.query(AuditQuery()))
    for name in ("Aroha", "Ngata", "Liam", "Walsh"):
        assert name not in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\0"])
def test_the_csv_export_never_hands_a_spreadsheet_a_formula(start: str) -> None:
    assert formula_safe(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert formula_safe("ordinary text") == "ordinary text"


def test_the_csv_export_has_a_header_and_one_row_per_entry(store: ClinicStore, records: dict[str, int]) -> None:
    session = _session(store, Role.ADMIN)
    session.patients.get(records["shared"])
    rows = list(csv.reader(io.StringIO(session.audit_csv(AuditQuery(patient_id=records["shared"])))))
    assert rows[0][:3] == ["sequence", "occurred_at_utc", "event"]
    assert [row[2] for row in rows[1:]] == ["patient.viewed"]


def test_a_read_only_database_can_still_be_looked_at_and_says_the_audit_went_to_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from workstation.services.accounts import Accounts

    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    writable = dbkit.open_store(url)
    owner = Accounts(writable.users, Auditor(writable.audit, "room-2")).create_owner("sam", "Sam Okafor",
                                                                                      "kettle orbit saffron lane")
    patient = writable.patients.add(Patient("Liam", "Walsh", date(1990, 6, 1)))
    writable.close()
    store = dbkit.open_store(url, read_only=True)
    try:
        auditor = Auditor(store.audit, "room-2", lambda: NOW)
        login = Accounts(store.users, auditor).log_in("sam", "kettle orbit saffron lane")
        assert login.actor.user_id == owner.actor.user_id
        session = ClinicSession(store, login.actor, auditor)
        assert patient.id is not None and session.patients.get(patient.id).family_name == "Walsh"
        assert auditor.unwritten == 2  # the login and the look at the record
        assert "patient.viewed" in caplog.text and "Walsh" not in caplog.text
    finally:
        store.close()
