"""Migration 0008 on SQLite and PostgreSQL: a database at 0007 keeps every record and gains letters that
can never be changed; it downgrades cleanly, leaving no trigger or function behind, and upgrades again."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import exc, inspect, text

from db.engine import WRITE
from tests import dbkit
from workstation.assessment.records import AssessmentRecord
from workstation.letters.records import ClinicianProfile, LetterKind, StoredLetter
from workstation.records import Patient
from workstation.security.accounts import Role, User

NOW = datetime(2026, 12, 18, 9, 0, tzinfo=UTC)
_NEW_TABLES = {"letter", "clinician_profile", "clinic_image"}
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8


def _letter(patient_id: int, author_id: int, assessment_id: int | None) -> StoredLetter:
    return StoredLetter(
        patient_id=patient_id, kind=LetterKind.PROGRESS, title="Progress report", urgency="soon", recipient="Dr Rua",
        sha256=hashlib.sha256(PDF).hexdigest(), page_count=1, size_bytes=len(PDF), author_id=author_id,
        author_name="Dr Mei Chen", finalised_at=NOW, assessment_id=assessment_id,
    )  # fmt: skip


def _downgrade_to_0007(database_url: str) -> None:
    engine = dbkit.migration_engine(database_url)
    try:
        with engine.execution_options(**WRITE).begin() as connection:
            dbkit.migrate(connection, "downgrade", "0007")
            assert not _NEW_TABLES & set(inspect(connection).get_table_names())
            if engine.dialect.name == "postgresql":
                left = connection.execute(text("SELECT proname FROM pg_proc WHERE proname LIKE 'letter%'"))
            else:
                left = connection.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'letter%'"))
            assert left.all() == []
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            assert version == "0007"
    finally:
        engine.dispose()


def _refused(store: Any, sql: str) -> str:
    with pytest.raises(exc.DBAPIError) as refused, store.engine.execution_options(**WRITE).begin() as connection:
        connection.execute(text(sql))
    return str(refused.value)


def test_a_0007_database_keeps_its_records_and_gains_letters_that_never_change(database_url: str) -> None:
    store = dbkit.open_store(database_url)
    try:
        patient_id = store.patients.add(Patient("Aroha", "Ngata", date(1991, 5, 6))).id
        author_id = store.users.add(User("dr.chen", "Dr Mei Chen", Role.CLINICIAN, "not-a-real-hash")).id
        assessment = store.assessments.finalise(
            AssessmentRecord(patient_id, None, date(2026, 12, 14), "{}", "{}", "{}", "soon", recorded_by=author_id), []
        )
    finally:
        store.close()
    _downgrade_to_0007(database_url)

    store = dbkit.open_store(database_url)  # upgrades to the head again
    try:
        assert store.patients.get(patient_id).family_name == "Ngata"
        assert store.assessments.for_patient(patient_id) == [assessment]
        assert "never changed" in _refused(store, "DELETE FROM assessment")  # earlier protection untouched
        saved = store.letters.add(_letter(patient_id, author_id, assessment.id), PDF)
        assert store.letters.pdf(saved.id or 0) == PDF
        profile = store.clinician_profiles.save(ClinicianProfile(author_id, ""), at=NOW, by=author_id)
        assert profile.version == 1
        store.clinic_images.put("clinic.logo", b"\x89PNG\r\n\x1a\nlogo", at=NOW, by=author_id)
        for sql in ("UPDATE letter SET urgency = 'routine'", "DELETE FROM letter"):
            message = _refused(store, sql)
            assert "finalised letters are never changed or deleted" in message or "permission denied" in message
        assert store.letters.for_patient(patient_id) == [saved]
    finally:
        store.close()


def test_0008_downgrades_with_letters_in_it_and_upgrades_again_protected(database_url: str) -> None:
    store = dbkit.open_store(database_url)
    try:
        patient_id = store.patients.add(Patient("Ana", "Silva", date(1990, 1, 1))).id
        author_id = store.users.add(User("dr.rua", "Dr Rua", Role.CLINICIAN, "not-a-real-hash")).id
        store.letters.add(_letter(patient_id, author_id, None), PDF)
        store.clinician_profiles.save(ClinicianProfile(author_id, "", signature=b"\xff\xd8\xffsig"), at=NOW, by=1)
        store.clinic_images.put("clinic.logo", b"\x89PNG\r\n\x1a\nlogo", at=NOW, by=author_id)
    finally:
        store.close()
    _downgrade_to_0007(database_url)  # a downgrade drops the letters with their tables (a backup keeps them)

    store = dbkit.open_store(database_url)
    try:
        assert store.letters.for_patient(patient_id) == []
        assert store.clinician_profiles.get(author_id) is None
        assert store.clinic_images.get("clinic.logo") is None
        saved = store.letters.add(_letter(patient_id, author_id, None), PDF)
        assert "never changed" in _refused(store, f"DELETE FROM letter WHERE id = {saved.id}")
        assert store.patients.get(patient_id).family_name == "Silva"
    finally:
        store.close()
