"""Subject-access export (RELIABILITY.md G1): every table that refers to a patient is mapped (a schema walk
fails on a new one), the export holds every row about the patient and nothing about anyone else, as JSON,
text and PDF, with each letter's PDF byte for byte as stored (a damaged one refuses the export), and it
is for administrators who type their password again, audited, on both backends."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, insert, text

from db.erasure import patient_privacy
from db.models import Base, ObservationRow
from db.patient_export import NOT_EXPORTED, PATIENT_TABLES, UNRELATED_TABLES, patient_linked_tables, unmapped_tables
from reports.subject_access import render_summary_pdf
from tests import dbkit
from tests.reports.pdf_text import all_text, reader, squeeze
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import AuthenticationFailed, CalfDeskError, LetterDamaged, PermissionDenied
from workstation.letters.records import LetterKind, StoredLetter
from workstation.ports import AuditQuery, Draft
from workstation.privacy.export_files import ExportedFiles
from workstation.privacy.restriction import Grounds
from workstation.privacy.service import PatientPrivacy
from workstation.records import Consent, Episode, Observation, Patient, Side
from workstation.security.accounts import Actor, Role
from workstation.services.accounts import Accounts
from workstation.services.session import ClinicSession

PASSWORD = "kettle orbit saffron lane"
CANARY = "Qzvx7731Canary"
TODAY = date(2026, 12, 1)


# The schema walk ---------------------------------------------------------------------------------


def test_every_table_linked_to_a_patient_is_mapped_in_the_export() -> None:
    assert unmapped_tables(Base.metadata) == []
    assert {"patient", "episode", "observation", "audit_entry", "erasure_permit", "patient_restriction"} <= (
        patient_linked_tables(Base.metadata)
    )


def test_every_table_of_the_schema_is_either_about_patients_or_known_not_to_be() -> None:
    """Drafts name their record in text, where no walk can see: so every table needs a decision."""
    classified = {t.name for t in PATIENT_TABLES} | set(NOT_EXPORTED) | set(UNRELATED_TABLES)
    assert set(Base.metadata.tables) == classified
    assert not set(UNRELATED_TABLES) & patient_linked_tables(Base.metadata)


def test_a_new_table_about_patients_fails_the_walk_until_it_is_mapped() -> None:
    schema = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(schema)
    Table("clinical_note", schema, Column("id", Integer, primary_key=True), Column("patient_id", Integer))
    Table("note_attachment", schema, Column("id", Integer, primary_key=True),
          Column("note_id", ForeignKey("clinical_note.id")))  # fmt: skip
    Table("episode_goal", schema, Column("id", Integer, primary_key=True),
          Column("episode_id", ForeignKey("episode.id")))  # fmt: skip
    Table("gp_reply", schema, Column("id", Integer, primary_key=True), Column("patient_uid", String(36)))
    Table("clinic_holiday", schema, Column("id", Integer, primary_key=True), Column("day", String(10)))
    assert unmapped_tables(schema) == ["clinical_note", "episode_goal", "gp_reply", "note_attachment"]


# A clinic with two patients ----------------------------------------------------------------------


class Clinic:
    def __init__(self, store: Any) -> None:
        self.store = store
        self.auditor = Auditor(store.audit, "room-1")
        self.accounts = Accounts(store.users, self.auditor)
        self.admin = self.accounts.create_owner("sam.okafor", "Sam Okafor", PASSWORD).actor
        # A clinician is refused before any account is looked at: no account (and no password hash) needed.
        self.clinician = Actor(self.admin.user_id + 1, "dr.chen", Role.CLINICIAN, "room-1")
        self.session = ClinicSession(store, self.admin, self.auditor)
        self.privacy: PatientPrivacy = patient_privacy(store, self.auditor, self.accounts.reauthenticate, lambda: TODAY)

    def patient(self, given: str, family: str, **changes: Any) -> Patient:
        return self.session.patients.add(Patient(given, family, date(1990, 4, 2)).with_changes(**changes))

    def export(self, patient_id: int, folder: Path, *, actor: Actor | None = None,
               password: str = PASSWORD) -> ExportedFiles:  # fmt: skip
        """The export as the app and the command line make it: with the real PDF summary."""
        who = self.admin if actor is None else actor
        return self.privacy.export(who, patient_id, password, folder, render_pdf=render_summary_pdf)

    def draft(self, kind: str, key: str, payload: str) -> None:
        self.store.drafts.save(Draft(self.admin.user_id, kind, key, payload, datetime(2026, 11, 30, 9, tzinfo=UTC)))


@pytest.fixture
def clinic(database_url: str) -> Any:
    store = dbkit.open_store(database_url)
    yield Clinic(store)
    store.close()


def _fill(clinic: Clinic) -> tuple[Patient, Patient]:
    """The patient asked about (with a correction, consents, drafts, audit) and someone else."""
    asked = clinic.patient(
        "Ada", CANARY, address=f"1 {CANARY} Road", gp_consent=Consent(True, date(2024, 5, 1))
    )  # fmt: skip
    other = clinic.patient("Ben", "Other", address="2 Elsewhere Lane")
    assert asked.id is not None and other.id is not None
    episode = clinic.session.episodes.add(Episode(asked.id, f"{CANARY} calf", Side.LEFT, date(2026, 10, 1)))
    first = clinic.session.observations.add(Observation(asked.id, date(2026, 10, 2), "heel_raise", 18, "reps",
                                                        Side.LEFT, episode.id))  # fmt: skip
    clinic.session.observations.correct(
        Observation(asked.id, date(2026, 10, 2), "heel_raise", 21, "reps", Side.LEFT, episode.id,
                    corrects_id=first.id, correction_reason="miscounted")
    )  # fmt: skip
    clinic.session.episodes.add(Episode(other.id, "Achilles", Side.RIGHT, date(2026, 9, 1)))
    clinic.session.patients.get(asked.id)  # a look at the record: audited
    clinic.draft("patient", str(asked.id), json.dumps({"address": f"3 {CANARY} Close"}))
    clinic.draft("episode", f"{asked.id}:{episode.id}", json.dumps({"complaint": "typing"}))
    clinic.draft("episode", f"{asked.id}0:new", "{}")  # patient 10, 20...: not a prefix match on the id
    clinic.draft("patient", str(other.id), "{}")
    clinic.draft("patient", "new", "{}")
    return asked, other


def _exported(folder: Path) -> tuple[dict[str, Any], str]:
    (data,) = folder.glob("*.json")
    (summary,) = folder.glob("*.txt")
    return json.loads(data.read_text(encoding="utf-8")), summary.read_text(encoding="utf-8")


def test_the_export_holds_every_row_about_the_patient_and_nothing_else(clinic: Clinic, tmp_path: Path) -> None:
    asked, _other = _fill(clinic)
    assert asked.id is not None
    clinic.privacy.restrict(clinic.admin, asked.id, Grounds.ACCURACY_CONTESTED, PASSWORD)
    audit_before = clinic.store.audit.query(AuditQuery(patient_id=asked.id))

    written = clinic.export(asked.id, tmp_path / "sar")

    document, summary = _exported(tmp_path / "sar")
    assert re.fullmatch(rf"calfdesk-patient-{asked.id}-\d{{8}}T\d{{6}}Z\.json", written.data.name)  # no name in it
    assert (document["format"], document["format_version"], document["patient_id"]) == (
        "calfdesk-subject-access", 1, asked.id,
    )  # fmt: skip
    tables = document["tables"]
    assert set(tables) == {t.name for t in PATIENT_TABLES}
    (patient,) = tables["patient"]
    assert (patient["family_name"], patient["address"]) == (CANARY, f"1 {CANARY} Road")
    assert (patient["gp_consent"], patient["gp_consent_on"], patient["club_consent"]) == (True, "2024-05-01", False)
    assert [e["complaint"] for e in tables["episode"]] == [f"{CANARY} calf"]
    original, correction = tables["observation"]
    assert (original["value"], correction["value"]) == (18, 21)
    assert (correction["corrects_id"], correction["correction_reason"]) == (original["id"], "miscounted")
    assert sorted(d["key"] for d in tables["draft"]) == sorted(
        [str(asked.id), f"{asked.id}:{tables['episode'][0]['id']}"]
    )
    assert [r["grounds"] for r in tables["patient_restriction"]] == ["accuracy_contested"]
    assert [e["sequence"] for e in tables["audit_entry"]] == sorted(e.sequence for e in audit_before)
    assert {e["patient_id"] for e in tables["audit_entry"]} == {asked.id}
    assert "Other" not in json.dumps(document) and "Elsewhere" not in json.dumps(document)
    headings = (
        "Personal details, GP and consents", "Episodes of care (1)", "Measurements, with any corrections (2)",
        "Unsaved changes kept for staff (2)", "Restriction of processing (1)",
    )  # fmt: skip
    for heading in headings:
        assert heading in summary
    assert f"Family name: {CANARY}" in summary and "(corrects #" in summary and "miscounted" in summary
    assert written.data.name in summary
    pdf = written.summary_pdf.read_bytes()  # the same summary, word for word, for the patient to read
    assert written.summary_pdf.name == written.data.name.replace(".json", ".pdf")
    pdf_text = all_text(pdf)
    assert [line for line in summary.splitlines() if squeeze(line) not in pdf_text] == []
    assert CANARY not in " ".join(str(value) for value in (reader(pdf).metadata or {}).values())


# Letters -----------------------------------------------------------------------------------------


def _pdf(seed: str) -> bytes:
    """PDF-like bytes with every byte value in them: a copy must be exact, NULs and line ends included."""
    return b"%PDF-1.7\n" + (hashlib.sha256(seed.encode()).digest() + bytes(range(256))) * 40 + b"\r\n%%EOF"


def _add_letter(clinic: Clinic, patient_id: int, pdf: bytes, **changes: Any) -> StoredLetter:
    letter = StoredLetter(
        patient_id=patient_id, kind=LetterKind.GP_REFERRAL, title="Referral letter to GP", urgency="routine",
        recipient="Dr A Patel, Riverside Surgery", sha256=hashlib.sha256(pdf).hexdigest(), page_count=2,
        size_bytes=len(pdf), author_id=clinic.admin.user_id, author_name="Sam Okafor",
        finalised_at=datetime(2026, 11, 30, 10, tzinfo=UTC),
    )  # fmt: skip
    return clinic.store.letters.add(replace(letter, **changes), pdf)


def _tamper(store: Any, letter_id: int) -> None:
    """Flip one byte of a stored PDF past CalfDesk, as bit rot or a hand edit would (the trigger dropped)."""
    pdf = store.letters.pdf(letter_id)
    changed = pdf[:-1] + bytes([pdf[-1] ^ 0x01])
    if store.is_sqlite:
        with dbkit.raw(store.target.sqlite_path) as connection:
            connection.execute("DROP TRIGGER letter_no_update")
            connection.execute("UPDATE letter SET pdf = ? WHERE id = ?", (changed, letter_id))
            connection.commit()
        return
    with store.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER letter_no_update ON letter"))
        connection.execute(text("UPDATE letter SET pdf = :pdf WHERE id = :id"), {"pdf": changed, "id": letter_id})


def test_each_letter_is_written_as_its_own_pdf_exactly_as_stored(clinic: Clinic, tmp_path: Path) -> None:
    asked, other = _fill(clinic)
    assert asked.id is not None and other.id is not None
    letters = [_add_letter(clinic, asked.id, _pdf("a"), urgency="urgent"), _add_letter(clinic, asked.id, _pdf("b"))]
    _add_letter(clinic, other.id, _pdf("someone else's"))

    written = clinic.export(asked.id, tmp_path / "sar")

    assert sorted(path.name for path in (tmp_path / "sar").iterdir()) == sorted(path.name for path in written.all)
    assert len(written.all) == 5  # JSON, text, PDF and the patient's two letters: not the other patient's
    stem = written.data.name.removesuffix(".json")
    for letter in letters:
        assert letter.id is not None
        path = tmp_path / "sar" / f"{stem}-letter-{letter.reference}.pdf"
        assert path in written.letters
        assert path.read_bytes() == clinic.store.letters.pdf(letter.id)  # byte for byte as stored
        assert hashlib.sha256(path.read_bytes()).hexdigest() == letter.sha256
    document, summary = _exported(tmp_path / "sar")
    in_json = {row["id"]: row["pdf"] for row in document["tables"]["letter"]}
    assert set(in_json) == {letter.id for letter in letters}
    for letter in letters:
        header, _, content = in_json[letter.id].partition(",")
        assert header == "data:application/pdf;base64"  # RFC 2397
        assert base64.b64decode(content) == clinic.store.letters.pdf(letter.id)  # type: ignore[arg-type]
    pdf_text = all_text(written.summary_pdf.read_bytes())
    for letter in letters:
        assert f"the PDF as sent: {stem}-letter-{letter.reference}.pdf" in summary
        assert f"the PDF as sent: {stem}-letter-{letter.reference}.pdf" in pdf_text


def test_a_damaged_letter_refuses_the_export_writes_nothing_and_is_audited(clinic: Clinic, tmp_path: Path) -> None:
    asked, _ = _fill(clinic)
    assert asked.id is not None
    _add_letter(clinic, asked.id, _pdf("fine"))
    damaged = _add_letter(clinic, asked.id, _pdf("to be damaged"))
    assert damaged.id is not None
    _tamper(clinic.store, damaged.id)

    with pytest.raises(LetterDamaged, match=f"Letter {damaged.reference} is damaged") as raised:
        clinic.export(asked.id, tmp_path / "sar")

    assert "No file was written." in str(raised.value) and CANARY not in str(raised.value)
    assert not (tmp_path / "sar").exists()
    (entry,) = clinic.store.audit.query(AuditQuery(event=AuditEvent.PATIENT_EXPORTED))
    assert (entry.outcome, entry.patient_id) == (Outcome.FAILURE, asked.id)
    assert entry.detail.startswith(f"letter {damaged.id} damaged: sha256 {damaged.sha256[:12]} finalised, ")


def test_the_export_is_audited_with_counts_never_values(clinic: Clinic, tmp_path: Path) -> None:
    asked, _ = _fill(clinic)
    assert asked.id is not None
    clinic.export(asked.id, tmp_path)
    (entry,) = clinic.store.audit.query(AuditQuery(event=AuditEvent.PATIENT_EXPORTED))
    assert (entry.outcome, entry.patient_id, entry.user_id) == (Outcome.SUCCESS, asked.id, clinic.admin.user_id)
    assert entry.detail.endswith("rows from 13 tables")
    reauthenticated = clinic.store.audit.query(AuditQuery(event=AuditEvent.REAUTHENTICATED))
    assert reauthenticated and reauthenticated[0].sequence is not None and entry.sequence is not None
    assert reauthenticated[0].sequence < entry.sequence  # the password came first
    assert not [e for e in clinic.store.audit.query(AuditQuery()) if CANARY.lower() in e.detail.lower()]


def test_only_an_administrator_who_types_the_password_gets_an_export(clinic: Clinic, tmp_path: Path) -> None:
    asked, _ = _fill(clinic)
    assert asked.id is not None
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        clinic.export(asked.id, tmp_path / "a", actor=clinic.clinician)
    with pytest.raises(AuthenticationFailed):
        clinic.export(asked.id, tmp_path / "b", password="not the password")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    (denied,) = clinic.store.audit.query(AuditQuery(event=AuditEvent.PATIENT_EXPORTED))
    assert (denied.outcome, denied.user_id, denied.patient_id) == (Outcome.DENIED, clinic.clinician.user_id, asked.id)


def test_a_folder_that_cannot_be_written_is_said_in_plain_words_and_audited(clinic: Clinic, tmp_path: Path) -> None:
    asked, _ = _fill(clinic)
    assert asked.id is not None
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    with pytest.raises(CalfDeskError, match="could not be written to that folder"):
        clinic.export(asked.id, not_a_folder)
    (entry,) = clinic.store.audit.query(AuditQuery(event=AuditEvent.PATIENT_EXPORTED))
    assert entry.outcome is Outcome.FAILURE


def test_exporting_a_thousand_observations_takes_well_under_the_two_minutes(
    clinic: Clinic, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asked, _ = _fill(clinic)
    assert asked.id is not None
    rows = [
        {"uid": f"bulk-{i}", "patient_id": asked.id, "observed_on": date(2026, 1, 1), "code": "heel_raise",
         "side": "left", "value": float(i % 40), "unit": "reps", "protocol": "single-leg, to fatigue",
         "recorded_at": datetime(2026, 1, 1, tzinfo=UTC), "correction_reason": ""}
        for i in range(1_000)
    ]  # fmt: skip
    with clinic.store.engine.begin() as connection:
        connection.execute(insert(ObservationRow), rows)
    started = time.perf_counter()
    written = clinic.export(asked.id, tmp_path)
    seconds = time.perf_counter() - started
    document, summary = _exported(tmp_path)
    assert len(document["tables"]["observation"]) == 1_002
    assert summary.count("heel_raise") == 1_002
    assert seconds < 120  # RELIABILITY.md G1 (proposal); measured figures are in the report
    with capsys.disabled():
        print(f"\n[G1] export of 1,002 observations ({clinic.store.engine.dialect.name}): {seconds:.2f} s, "
              f"{written.data.stat().st_size:,} bytes of JSON")  # fmt: skip
