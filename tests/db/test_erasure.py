"""Restriction and erasure (RELIABILITY.md G2, G3): erasure is refused while the retention rule holds the
record (saying until when and why), a restricted record cannot be changed or erased, an allowed erasure
removes every row about the patient but the audit's, and leaves no trace of them in the SQLite file, its
-wal and -shm, or a backup taken afterwards."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

import db.schema
from db.backup import backup_sqlite
from db.erasure import patient_privacy
from reports.subject_access import render_summary_pdf
from tests import dbkit
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import AuthenticationFailed, CalfDeskError, PermissionDenied, RecordNotFound, ValidationFailed
from workstation.ports import AuditQuery, Draft
from workstation.privacy.restriction import TRIGGER_REFUSAL, Grounds, ProcessingRestricted
from workstation.privacy.retention import RetentionHold
from workstation.privacy.service import PatientPrivacy
from workstation.privacy.settings import RETENTION_RULE_KEY
from workstation.records import Episode, Observation, Patient, Side
from workstation.security.accounts import Actor, Role
from workstation.services.accounts import Accounts
from workstation.services.session import ClinicSession

PASSWORD = "kettle orbit saffron lane"
CANARY = "Qzvx7731Canary"
AFTER_RETENTION = date(2100, 1, 1)


class Clinic:
    def __init__(self, store: Any, today: date) -> None:
        self.store = store
        self.today = today
        self.auditor = Auditor(store.audit, "room-1")
        self.accounts = Accounts(store.users, self.auditor)
        self.admin = self.accounts.create_owner("sam.okafor", "Sam Okafor", PASSWORD).actor
        # A clinician is refused before any account is looked at: no account (and no password hash) needed.
        self.clinician = Actor(self.admin.user_id + 1, "dr.chen", Role.CLINICIAN, "room-1")
        self.session = ClinicSession(store, self.admin, self.auditor)
        self.privacy: PatientPrivacy = patient_privacy(
            store, self.auditor, self.accounts.reauthenticate, lambda: self.today
        )

    def patient_with_history(self, born: date = date(1990, 4, 2), family: str = CANARY) -> tuple[Patient, Episode]:
        """A patient whose name, address, complaint, protocol and draft all hold ``family``."""
        patient = self.session.patients.add(
            Patient("Ada", family, born, address=f"1 {family} Road", email=f"{family.lower()}@example.org")
        )
        assert patient.id is not None
        episode = self.session.episodes.add(Episode(patient.id, f"{family} calf pain", Side.LEFT, date(2026, 10, 1)))
        first = self.session.observations.add(
            Observation(patient.id, date(2026, 10, 2), "heel_raise", 18, "reps", Side.LEFT, episode.id,
                        protocol=f"{family} protocol")
        )  # fmt: skip
        self.session.observations.correct(
            Observation(patient.id, date(2026, 10, 2), "heel_raise", 21, "reps", Side.LEFT, episode.id,
                        corrects_id=first.id, correction_reason=f"{family} recount")
        )  # fmt: skip
        self.session.patients.get(patient.id)
        payload = json.dumps({"address": f"2 {family} Close"})
        self.store.drafts.save(Draft(self.admin.user_id, "patient", str(patient.id), payload, datetime.now(UTC)))
        self.store.drafts.save(
            Draft(self.admin.user_id, "episode", f"{patient.id}:{episode.id}", payload, datetime.now(UTC))
        )
        return patient, episode


@pytest.fixture
def make_clinic(database_url: str) -> Any:
    stores: list[Any] = []

    def make(today: date = date(2026, 12, 1)) -> Clinic:
        store = dbkit.open_store(database_url)
        stores.append(store)
        return Clinic(store, today)

    yield make
    for store in stores:
        store.close()


def _erased_audit(clinic: Clinic) -> list[Any]:
    return clinic.store.audit.query(AuditQuery(event=AuditEvent.PATIENT_ERASED))


# Retention holds ---------------------------------------------------------------------------------


def test_erasure_is_refused_while_the_retention_period_runs(make_clinic: Any) -> None:
    clinic = make_clinic()
    patient, _ = clinic.patient_with_history()
    assert patient.id is not None
    with pytest.raises(RetentionHold) as refused:
        clinic.privacy.erase(clinic.admin, patient.id, PASSWORD)
    decision = refused.value.decision
    assert decision.basis == "uk_adult" and decision.keep_until.year == datetime.now(UTC).year + 8
    assert refused.value.message.startswith("This record must be kept until ")
    assert "8 years after the last entry in the record (the end of treatment)" in refused.value.message
    assert clinic.store.patients.get(patient.id).family_name == CANARY  # nothing was erased
    assert len(clinic.store.observations.for_patient(patient.id)) == 1
    (entry,) = _erased_audit(clinic)
    assert (entry.outcome, entry.patient_id, entry.detail) == (Outcome.DENIED, patient.id, "retention hold (uk_adult)")


def test_a_childs_record_is_held_until_the_25th_birthday(make_clinic: Any) -> None:
    clinic = make_clinic(today=date(2039, 1, 1))
    patient, _ = clinic.patient_with_history(born=date(2015, 4, 2))
    assert patient.id is not None
    with pytest.raises(RetentionHold, match="must be kept until 2 April 2040: until the patient's 25th birthday"):
        clinic.privacy.check_erasure(clinic.admin, patient.id)


def test_a_record_with_nothing_but_the_registration_is_held_from_the_registration(make_clinic: Any) -> None:
    clinic = make_clinic()
    patient = clinic.session.patients.add(Patient("Ada", "Lovelace", date(1990, 4, 2)))
    assert patient.id is not None
    decision = clinic.privacy.settings.rule()
    with pytest.raises(RetentionHold) as refused:
        clinic.privacy.check_erasure(clinic.admin, patient.id)
    registered = datetime.now(UTC).date()
    assert decision.years_after_last_entry == 8
    assert refused.value.decision.keep_until - registered.replace(year=registered.year + 8) in (
        timedelta(0), timedelta(days=1),  # the registration's latest calendar date (UTC+14)
    )  # fmt: skip


def test_the_practice_rule_decides_and_an_unreadable_one_refuses_every_erasure(make_clinic: Any) -> None:
    clinic = make_clinic(today=date(2034, 6, 1))  # past NSW's 7 years, inside the UK's 8
    patient, _ = clinic.patient_with_history()
    assert patient.id is not None
    with pytest.raises(RetentionHold):
        clinic.privacy.check_erasure(clinic.admin, patient.id)
    with pytest.raises(PermissionDenied):
        clinic.privacy.settings.set_rule(clinic.clinician, "nsw")
    with pytest.raises(ValidationFailed):
        clinic.privacy.settings.set_rule(clinic.admin, "us:3")
    clinic.privacy.settings.set_rule(clinic.admin, "nsw")
    assert clinic.privacy.check_erasure(clinic.admin, patient.id).basis == "nsw_adult"
    changes = clinic.store.audit.query(AuditQuery(event=AuditEvent.SETTING_CHANGED))
    assert [(e.outcome, e.detail) for e in changes] == [(Outcome.SUCCESS, "uk -> nsw"), (Outcome.DENIED, "")]
    clinic.store.settings.put(RETENTION_RULE_KEY, "klingon", at=datetime.now(UTC), by=None)
    with pytest.raises(CalfDeskError, match="retention rule is not one CalfDesk knows"):
        clinic.privacy.check_erasure(clinic.admin, patient.id)


# Erasure -----------------------------------------------------------------------------------------


def test_an_allowed_erasure_deletes_every_row_about_the_patient_but_the_audits(make_clinic: Any) -> None:
    clinic = make_clinic(today=AFTER_RETENTION)
    patient, _ = clinic.patient_with_history()
    other, other_episode = clinic.patient_with_history(family="Other")
    assert patient.id is not None and other.id is not None
    audit_about = len(clinic.store.audit.query(AuditQuery(patient_id=patient.id)))

    report = clinic.privacy.erase(clinic.admin, patient.id, PASSWORD)

    assert dict(report.deleted) == {
        "draft": 2, "letter": 0, "red_flag": 0, "screening_observation": 0, "observation": 2, "assessment": 0,
        "running_session": 0, "squad_member": 0, "screening_entry": 0, "episode": 1, "patient_restriction": 0,
        "patient": 1,
    }  # fmt: skip
    with pytest.raises(RecordNotFound):
        clinic.store.patients.get(patient.id)
    assert clinic.store.episodes.for_patient(patient.id) == []
    assert clinic.store.observations.for_patient(patient.id) == []
    assert [d.key for d in clinic.store.drafts.for_user(clinic.admin.user_id)] == [f"{other.id}:{other_episode.id}",
                                                                                    str(other.id)]  # fmt: skip
    assert clinic.store.patients.get(other.id).family_name == "Other"
    assert len(clinic.store.observations.for_patient(other.id)) == 1
    kept = clinic.store.audit.query(AuditQuery(patient_id=patient.id))
    assert len(kept) == audit_about + 1  # the erasure's own entry (the re-authentication names no patient)
    assert kept[0].event is AuditEvent.PATIENT_ERASED and kept[0].outcome is Outcome.SUCCESS
    assert kept[0].detail == "uk_adult ended; deleted 2 draft, 1 episode, 2 observation, 1 patient"
    assert clinic.session.verify_audit().ok
    assert not [e for e in clinic.store.audit.query(AuditQuery()) if CANARY.lower() in e.detail.lower()]


def test_only_an_administrator_who_types_the_password_can_erase(make_clinic: Any) -> None:
    clinic = make_clinic(today=AFTER_RETENTION)
    patient, _ = clinic.patient_with_history()
    assert patient.id is not None
    with pytest.raises(PermissionDenied, match="Only an administrator can erase"):
        clinic.privacy.erase(clinic.clinician, patient.id, PASSWORD)
    with pytest.raises(AuthenticationFailed):
        clinic.privacy.erase(clinic.admin, patient.id, "not the password")
    assert clinic.store.patients.get(patient.id).id == patient.id
    (denied,) = _erased_audit(clinic)
    assert (denied.outcome, denied.user_id) == (Outcome.DENIED, clinic.clinician.user_id)


def test_erasing_someone_who_does_not_exist_changes_nothing(make_clinic: Any) -> None:
    clinic = make_clinic(today=AFTER_RETENTION)
    with pytest.raises(RecordNotFound):
        clinic.privacy.erase(clinic.admin, 9_999, PASSWORD)


# Restriction -------------------------------------------------------------------------------------


def test_a_restricted_record_is_kept_readable_and_refuses_every_change(make_clinic: Any, tmp_path: Path) -> None:
    clinic = make_clinic(today=AFTER_RETENTION)
    patient, episode = clinic.patient_with_history()
    other, other_episode = clinic.patient_with_history(family="Other")
    assert patient.id is not None and other.id is not None
    restriction = clinic.privacy.restrict(clinic.admin, patient.id, Grounds.LEGAL_CLAIMS, PASSWORD)
    assert restriction.grounds is Grounds.LEGAL_CLAIMS and clinic.privacy.restriction(patient.id) == restriction
    assert "since" in restriction.notice and "a legal claim" in restriction.notice

    stored = clinic.session.patients.get(patient.id)
    current = clinic.store.observations.for_patient(patient.id)[0]
    refused_changes = [
        lambda: clinic.session.patients.update(stored.with_changes(address="elsewhere")),
        lambda: clinic.store.patients.update(stored.with_changes(address="elsewhere")),  # no guard in front
        lambda: clinic.session.episodes.add(Episode(patient.id, "new", Side.RIGHT, date(2026, 11, 1))),
        lambda: clinic.session.episodes.update(episode),
        lambda: clinic.session.observations.add(Observation(patient.id, date(2026, 11, 2), "pain", 3, "nprs")),
        lambda: clinic.session.observations.correct(
            Observation(
                patient.id,
                current.observed_on,
                current.code,
                20,
                "reps",
                Side.LEFT,
                episode.id,
                corrects_id=current.id,
                correction_reason="again",
            )
        ),
    ]
    for change in refused_changes:
        with pytest.raises(ProcessingRestricted, match="is restricted, so it cannot be changed"):
            change()
    with clinic.store.engine.begin() as connection, pytest.raises(Exception, match="restricted"):
        connection.execute(  # moving another patient's episode onto the restricted record
            text("UPDATE episode SET patient_id = :p WHERE id = :e"), {"p": patient.id, "e": other_episode.id}
        )
    with pytest.raises(ProcessingRestricted, match="cannot be erased while its processing is restricted"):
        clinic.privacy.erase(clinic.admin, patient.id, PASSWORD)
    export = clinic.privacy.export(clinic.admin, patient.id, PASSWORD, tmp_path, render_pdf=render_summary_pdf)
    assert export.summary_pdf.exists()  # subject access still works
    assert clinic.session.patients.update(clinic.store.patients.get(other.id).with_changes(phone="1")).phone == "1"

    clinic.privacy.lift_restriction(clinic.admin, patient.id, PASSWORD)
    assert clinic.privacy.restriction(patient.id) is None
    assert clinic.session.patients.update(stored.with_changes(address="elsewhere")).address == "elsewhere"
    events = clinic.store.audit.query(AuditQuery(event=AuditEvent.PATIENT_RESTRICTED))
    assert [e.detail for e in reversed(events)] == ["restricted: legal_claims", "lifted"]
    assert [e.detail for e in _erased_audit(clinic)] == ["processing restricted"]


def test_only_an_administrator_who_types_the_password_can_restrict(make_clinic: Any) -> None:
    clinic = make_clinic()
    patient, _ = clinic.patient_with_history()
    assert patient.id is not None
    with pytest.raises(PermissionDenied, match="Only an administrator can restrict processing"):
        clinic.privacy.restrict(clinic.clinician, patient.id, Grounds.LEGAL_CLAIMS, PASSWORD)
    with pytest.raises(AuthenticationFailed):
        clinic.privacy.restrict(clinic.admin, patient.id, Grounds.LEGAL_CLAIMS, "not the password")
    with pytest.raises(RecordNotFound):
        clinic.privacy.restrict(clinic.admin, 9_999, Grounds.LEGAL_CLAIMS, PASSWORD)
    assert clinic.privacy.restriction(patient.id) is None


def test_the_migrations_refusal_is_the_one_translated() -> None:
    path = next((db.schema.MIGRATIONS / "versions").glob("0005_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0005", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.REFUSAL == TRIGGER_REFUSAL


# No trace left behind ----------------------------------------------------------------------------


def _occurrences(path: Path) -> int:
    """The canary as typed and as folded for the list order, in the raw bytes of ``path``."""
    if not path.exists():
        return 0
    content = path.read_bytes().lower()
    return content.count(CANARY.lower().encode())


def test_after_erasure_no_byte_of_the_patient_is_left_in_the_sqlite_files_or_a_later_backup(tmp_path: Path) -> None:
    """On a plain (unencrypted) file, where any residue would be readable (RELIABILITY.md section 4.4)."""
    path = tmp_path / "plain.sqlite3"
    store = dbkit.open_store(f"sqlite:///{path}", key=None)
    try:
        clinic = Clinic(store, AFTER_RETENTION)
        patient, _ = clinic.patient_with_history()
        clinic.patient_with_history(family="Other")
        assert patient.id is not None
        files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        assert sum(_occurrences(f) for f in files) > 0  # the control: the canary is there to be found

        clinic.privacy.erase(clinic.admin, patient.id, PASSWORD)

        assert {f.name: _occurrences(f) for f in files} == {f.name: 0 for f in files}
        report = backup_sqlite(path, tmp_path / "backups" / "after-erasure.sqlite3")
        assert _occurrences(report.path) == 0
        assert report.tables["patient"].rows == 1 and report.tables["audit_entry"].rows > 0
    finally:
        store.close()
    assert sum(_occurrences(f) for f in files) == 0
