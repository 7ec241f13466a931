"""Finalised letters, clinicians' letter details and the practice's images (issue 8), on SQLite and
PostgreSQL: a letter and its PDF come back byte for byte, a retried finalise is stored once, a letter can
never be changed or deleted but by an erasure, the subject-access export holds it and the erasure
removes it; a stale save of a clinician's details is refused."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from db import cipher
from db.erasure import SqlPrivacyStore
from db.patient_export import SqlPatientFile, data_uri
from tests import dbkit
from workstation.assessment.records import AssessmentRecord
from workstation.errors import ConflictError, RecordNotFound
from workstation.letters.records import ClinicianProfile, LetterKind, PhoneCall, StoredLetter
from workstation.privacy.restriction import Grounds, ProcessingRestricted, Restriction
from workstation.records import Episode, Patient, Side
from workstation.security.accounts import Role, User

NOW = datetime(2026, 12, 18, 11, 20, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _pdf(seed: str = "", size: int = 40_000) -> bytes:
    """PDF-like bytes with every byte value in them (a blob must come back exactly, NULs included)."""
    body = (hashlib.sha256(seed.encode()).digest() + bytes(range(256))) * (size // 288 + 1)
    return b"%PDF-1.7\n" + body[:size]


def _author(store: Any, name: str = "dr.chen") -> int:
    user = store.users.add(User(name, "Dr Mei Chen", Role.CLINICIAN, "not-a-real-hash"))
    assert user.id is not None
    return user.id


def _record(store: Any, family: str = "Ngata") -> tuple[int, int, int]:
    patient = store.patients.add(Patient("Aroha", family, date(1991, 5, 6)))
    episode = store.episodes.add(Episode(patient.id, "Left calf pain", Side.LEFT, date(2026, 12, 1)))
    assessment = store.assessments.finalise(
        AssessmentRecord(patient.id, episode.id, date(2026, 12, 14), "{}", "{}", "{}", "urgent", recorded_by=7), []
    )
    return patient.id, episode.id, assessment.id


def _letter(patient_id: int, author_id: int, pdf: bytes, **changes: Any) -> StoredLetter:
    letter = StoredLetter(
        patient_id=patient_id, kind=LetterKind.GP_REFERRAL, title="Referral to GP", urgency="routine",
        recipient="Dr A Patel, Riverside Surgery", sha256=hashlib.sha256(pdf).hexdigest(), page_count=2,
        size_bytes=len(pdf), author_id=author_id, author_name="Dr Mei Chen", finalised_at=NOW,
    )  # fmt: skip
    return replace(letter, **changes)


def _count(store: Any, table: str) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


# ------------------------------------------------------------------------------------------- letters


def test_a_letter_and_its_pdf_come_back_exactly_as_stored(store: Any) -> None:
    author = _author(store)
    patient_id, episode_id, assessment_id = _record(store)
    urgent_pdf, routine_pdf = _pdf("urgent"), _pdf("routine", 3_000)
    call = PhoneCall(NOW - timedelta(minutes=5), "Reception, Riverside Surgery", "Seen today at 15:00")
    urgent = _letter(patient_id, author, urgent_pdf, urgency="urgent", episode_id=episode_id,
                     assessment_id=assessment_id, phone_call=call)  # fmt: skip
    later = _letter(patient_id, author, routine_pdf, kind=LetterKind.HANDOUT, recipient="Patient",
                    finalised_at=NOW + timedelta(hours=1),
                    phone_call=PhoneCall(None, not_called_reason="Patient went to ED by ambulance"))  # fmt: skip
    stored = store.letters.add(urgent, urgent_pdf)
    stored_later = store.letters.add(later, routine_pdf)

    assert stored == replace(urgent, id=stored.id) and stored.id is not None
    assert stored_later.phone_call == PhoneCall(None, "", "", "Patient went to ED by ambulance")
    assert store.letters.get(stored.id) == stored
    assert store.letters.pdf(stored.id) == urgent_pdf
    assert store.letters.pdf(stored_later.id) == routine_pdf
    assert store.letters.for_patient(patient_id) == [stored_later, stored]  # newest first
    assert store.letters.get(stored.id).finalised_at.utcoffset() == timedelta(0)


def test_a_retried_finalise_is_stored_once_and_the_first_pdf_stands(store: Any) -> None:
    author = _author(store)
    patient_id, _, _ = _record(store)
    first_pdf, retried_pdf = _pdf("first"), _pdf("rendered again")
    first = store.letters.add(_letter(patient_id, author, first_pdf), first_pdf)
    again = store.letters.add(_letter(patient_id, author, retried_pdf, uid=first.uid), retried_pdf)
    assert again == first
    assert store.letters.pdf(first.id) == first_pdf
    assert _count(store, "letter") == 1


def test_missing_records_and_a_wrong_fingerprint_store_nothing(store: Any) -> None:
    author = _author(store)
    patient_id, episode_id, _ = _record(store)
    other_id, other_episode, other_assessment = _record(store, "Other")
    pdf = _pdf()
    with pytest.raises(RecordNotFound, match="patient"):
        store.letters.add(_letter(10_000, author, pdf), pdf)
    with pytest.raises(RecordNotFound, match="author"):
        store.letters.add(_letter(patient_id, 10_000, pdf), pdf)
    with pytest.raises(RecordNotFound, match="assessment"):
        store.letters.add(_letter(patient_id, author, pdf, assessment_id=10_000), pdf)
    with pytest.raises(RecordNotFound, match="episode"):
        store.letters.add(_letter(patient_id, author, pdf, episode_id=10_000), pdf)
    with pytest.raises(ValueError, match="sha256"):
        store.letters.add(_letter(patient_id, author, pdf), pdf + b"x")
    with pytest.raises(ValueError, match="episode"):
        store.letters.add(_letter(patient_id, author, pdf, episode_id=other_episode), pdf)
    with pytest.raises(ValueError, match="assessment"):
        store.letters.add(_letter(patient_id, author, pdf, assessment_id=other_assessment), pdf)
    assert _count(store, "letter") == 0
    for read in (store.letters.get, store.letters.pdf):
        with pytest.raises(RecordNotFound):
            read(10_000)
    assert store.letters.for_patient(other_id) == [] and episode_id


def test_a_restricted_record_gets_no_new_letter(store: Any) -> None:
    author = _author(store)
    patient_id, _, _ = _record(store)
    SqlPrivacyStore(store).restrict(Restriction(patient_id, Grounds.ACCURACY_CONTESTED, NOW, author))
    pdf = _pdf()
    with pytest.raises(ProcessingRestricted):
        store.letters.add(_letter(patient_id, author, pdf), pdf)
    assert _count(store, "letter") == 0


# ------------------------------------------------------------------------- refused at the database


def _raw(store: Any, sql: str, **params: Any) -> None:
    """``sql`` through the driver itself, past SQLAlchemy and CalfDesk, committed."""
    if store.is_sqlite:
        with dbkit.raw(store.target.sqlite_path) as connection:
            connection.execute(sql, params)
            connection.commit()
    else:
        import psycopg

        url = store.engine.url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url) as connection:
            for name in params:
                sql = sql.replace(f":{name}", f"%({name})s")
            connection.execute(sql, params)


def _refusal(store: Any, sql: str, **params: Any) -> str:
    import psycopg

    with pytest.raises((cipher.Error, psycopg.Error)) as refused:
        _raw(store, sql, **params)
    return str(refused.value)


def _rows(store: Any) -> list[tuple[Any, ...]]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text("SELECT * FROM letter ORDER BY id"))]


def test_a_finalised_letter_cannot_be_changed_or_deleted_from_any_connection(store: Any) -> None:
    author = _author(store)
    patient_id, _, _ = _record(store)
    pdf = _pdf()
    saved = store.letters.add(_letter(patient_id, author, pdf), pdf)
    before = _rows(store)
    attempts = [
        "UPDATE letter SET urgency = 'emergency' WHERE id = :id",
        "UPDATE letter SET pdf = pdf WHERE id = :id",  # even writing the same bytes back
        "UPDATE letter SET recipient = 'Someone else', sha256 = sha256",
        "DELETE FROM letter WHERE id = :id",
        "DELETE FROM letter",
        *([] if store.is_sqlite else ["TRUNCATE letter", "UPDATE letter SET title = '' WHERE id < 0"]),
    ]
    for sql in attempts:
        message = _refusal(store, sql, id=saved.id)
        assert "finalised letters are never changed or deleted" in message or "permission denied" in message, sql
    assert _rows(store) == before
    assert store.letters.pdf(saved.id) == pdf


def test_the_database_refuses_a_letter_that_breaks_its_rules(store: Any) -> None:
    author = _author(store)
    patient_id, _, _ = _record(store)
    pdf = _pdf(size=100)
    good = {"kind": "gp-referral", "urgency": "routine", "sha256": hashlib.sha256(pdf).hexdigest(), "pages": 1,
            "size": len(pdf), "called": None, "spoken": None, "outcome": None, "reason": None}  # fmt: skip
    broken = {
        "an unknown kind": {"kind": "memo"},
        "an unknown urgency": {"urgency": "whenever"},
        "a fingerprint in capitals": {"sha256": good["sha256"].upper()},  # type: ignore[attr-defined]
        "a fingerprint too short": {"sha256": "ab" * 31},
        "no pages": {"pages": 0},
        "a size that is not the PDF's": {"size": len(pdf) + 1},
        "half a phone call": {"spoken": "Reception"},
        "a call neither made nor explained": {"spoken": "", "outcome": "", "reason": "  "},
    }
    insert = (
        "INSERT INTO letter (uid, patient_id, kind, title, urgency, recipient, sha256, page_count, size_bytes, pdf, "
        "author_id, author_name, finalised_at, phone_called_at, phone_spoken_to, phone_outcome, "
        "phone_not_called_reason) VALUES (:uid, :patient, :kind, 'Referral', :urgency, 'Dr A', :sha256, :pages, "
        ":size, :pdf, :author, 'Dr Mei Chen', :at, :called, :spoken, :outcome, :reason)"
    )
    for name, change in broken.items():
        values = {**good, **change, "uid": name, "patient": patient_id, "pdf": pdf, "author": author, "at": NOW}
        message = _refusal(store, insert, **values)
        assert "check" in message.lower() or "constraint" in message.lower(), name
    _raw(store, insert, **{**good, "uid": "fine", "patient": patient_id, "pdf": pdf, "author": author, "at": NOW})
    assert _count(store, "letter") == 1


def test_a_pdf_over_20_mb_is_refused_by_the_database(store: Any) -> None:
    author = _author(store)
    patient_id, _, _ = _record(store)
    pdf = _pdf(size=20 * 1024 * 1024 + 1)
    with pytest.raises(IntegrityError, match=r"ck_letter_size|CHECK constraint failed"):
        store.letters.add(_letter(patient_id, author, pdf), pdf)
    assert _count(store, "letter") == 0


# ------------------------------------------------------------------------------ export and erasure


def _history(store: Any, family: str, author: int) -> tuple[int, list[StoredLetter], list[bytes]]:
    patient_id, episode_id, assessment_id = _record(store, family)
    pdfs = [_pdf(family), _pdf(family + " again", 5_000)]
    letters = [
        store.letters.add(_letter(patient_id, author, pdfs[0], episode_id=episode_id, assessment_id=assessment_id,
                                  title=f"{family} referral"), pdfs[0]),
        store.letters.add(_letter(patient_id, author, pdfs[1], kind=LetterKind.PROGRESS,
                                  finalised_at=NOW + timedelta(days=1)), pdfs[1]),
    ]  # fmt: skip
    return patient_id, letters, pdfs


def test_the_subject_access_export_holds_the_patients_letters_with_their_pdfs(store: Any) -> None:
    author = _author(store)
    patient_id, letters, pdfs = _history(store, "Asked", author)
    _history(store, "Other", author)
    rows = SqlPatientFile(store).read(patient_id)["letter"]
    assert [row["id"] for row in rows] == [letter.id for letter in letters]
    assert {row["patient_id"] for row in rows} == {patient_id}
    assert [row["title"] for row in rows] == ["Asked referral", "Referral to GP"]
    prefix = "data:application/pdf;base64,"
    assert all(str(row["pdf"]).startswith(prefix) for row in rows)
    assert [base64.b64decode(str(row["pdf"])[len(prefix):]) for row in rows] == pdfs
    assert json.loads(json.dumps(rows[0]["pdf"])) == rows[0]["pdf"]  # the JSON file can hold it as it is


def test_binary_values_are_exported_as_data_uris_by_their_content() -> None:
    assert data_uri(PNG).startswith("data:image/png;base64,")
    assert data_uri(b"\xff\xd8\xff\xe0jfif").startswith("data:image/jpeg;base64,")
    assert data_uri(b"\x00\x01") == "data:application/octet-stream;base64,AAE="


def test_erasure_deletes_the_patients_letters_and_keeps_everyone_elses(store: Any) -> None:
    author = _author(store)
    patient_id, _, _ = _history(store, "Erased", author)
    kept_id, kept, kept_pdfs = _history(store, "Kept", author)

    deleted = SqlPrivacyStore(store).erase(patient_id)

    assert (deleted["letter"], deleted["assessment"], deleted["patient"]) == (2, 1, 1)
    assert store.letters.for_patient(patient_id) == []
    assert store.letters.for_patient(kept_id) == list(reversed(kept))
    assert [store.letters.pdf(letter.id) for letter in kept] == kept_pdfs
    assert _count(store, "erasure_permit") == 0
    # Outside an erasure the permit's absence still protects the letters that are left.
    assert "never" in _refusal(store, "DELETE FROM letter WHERE patient_id = :id", id=kept_id)


def test_a_letter_counts_as_an_entry_for_the_retention_period(store: Any) -> None:
    author = _author(store)
    patient_id, _, _ = _record(store)
    pdf = _pdf()
    store.letters.add(_letter(patient_id, author, pdf, finalised_at=datetime(2031, 3, 1, 12, tzinfo=UTC)), pdf)
    assert SqlPrivacyStore(store).retention_facts(patient_id).last_entry in (date(2031, 3, 1), date(2031, 3, 2))


# --------------------------------------------------------------------------- clinicians' details


def test_a_clinicians_details_are_saved_over_the_version_read(store: Any) -> None:
    author = _author(store)
    profiles = store.clinician_profiles
    assert profiles.get(author) is None
    first = profiles.save(ClinicianProfile(author, "ignored", registration_body="HCPC", registration_number="PH123456",
                                           signature=PNG), at=NOW, by=author)  # fmt: skip
    assert (first.version, first.display_name, first.signature) == (1, "Dr Mei Chen", PNG)  # the account's name
    assert profiles.get(author) == first
    second = profiles.save(replace(first, email="m.chen@nhs.net", signature=None), at=NOW, by=author)
    assert (second.version, second.email, second.signature, second.registration_number) == (
        2, "m.chen@nhs.net", None, "PH123456",
    )  # fmt: skip
    with pytest.raises(ConflictError) as stale:
        profiles.save(replace(first, phone="01632 960123"), at=NOW, by=author)  # read before the second save
    assert stale.value.current_version == 2
    with pytest.raises(ConflictError):
        profiles.save(ClinicianProfile(author, ""), at=NOW, by=author)  # "new", but someone saved one meanwhile
    assert profiles.get(author) == second
    with pytest.raises(RecordNotFound):
        profiles.save(ClinicianProfile(10_000, ""), at=NOW, by=author)


def test_a_clinics_images_are_stored_replaced_and_removed(store: Any) -> None:
    images = store.clinic_images
    assert images.get("clinic.logo") is None
    images.put("clinic.logo", PNG, at=NOW, by=None)
    assert images.get("clinic.logo") == PNG
    images.put("clinic.logo", PNG[:100], at=NOW, by=1)
    assert images.get("clinic.logo") == PNG[:100]
    images.put("clinic.logo", None, at=NOW, by=1)
    images.put("clinic.logo", None, at=NOW, by=1)  # removing what is not there is no error
    assert images.get("clinic.logo") is None
    assert _count(store, "clinic_image") == 0
