"""Every row held about one patient, table by table (implements ``PatientFileReader``; RELIABILITY.md G1).

``PATIENT_TABLES`` is the one list of the tables that hold something about a patient, how to find the
patient's rows in each, and whether an erasure deletes them (``db.erasure`` deletes in this order).
Binary values (a letter's PDF) are read as ``data:`` URIs with base64 content (``data_uri``), so the
export's JSON holds each letter exactly as it was sent.
A schema walk (``unmapped_tables``) finds every table linked to a patient, by a ``patient_id`` or
``patient_uid`` column or by a chain of foreign keys to such a table; a test fails while any of them is
neither listed here nor in ``NOT_EXPORTED``, so a new table cannot be left out of the export by mistake.
Drafts are the one table no walk can find (their key names the record in text), so they are listed by
hand, as are the tables known to hold nothing about patients (``UNRELATED_TABLES``), and a test checks
that every table of the schema is in one of the three.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, MetaData, Table, select

from db.errors import translated
from db.mapping import as_utc
from db.models import Base
from workstation.errors import RecordNotFound
from workstation.privacy.ports import StoredRow, StoredValue, Tables

PATIENT_LINK_COLUMNS = frozenset({"patient_id", "patient_uid"})
# Draft kinds whose key starts with the patient's id: "patient" keys "12", "episode" keys "12:7" or "12:new"
# (ui.desktop_session; a test keeps this list in step with the kinds the window saves).
DRAFT_KINDS_KEYED_BY_PATIENT = ("patient", "episode", "assessment")  # assessment: "<patient>:<episode>"

RowsOf = Callable[[Table, int], ColumnElement[bool]]


@dataclass(frozen=True, slots=True)
class PatientTable:
    name: str
    rows_of: RowsOf  # the condition that selects the patient's rows
    erased: bool  # False: kept by an erasure (the audit: ids only, F4)
    # Its rows are deleted only under an erasure permit (migrations 0004 and 0006): erasure holds one meanwhile.
    needs_permit: bool = False


def _by_patient_id(table: Table, patient_id: int) -> ColumnElement[bool]:
    return table.c.patient_id == patient_id


def _the_patient(table: Table, patient_id: int) -> ColumnElement[bool]:
    return table.c.id == patient_id


def _observations_linked(table: Table, patient_id: int) -> ColumnElement[bool]:
    """Rows naming one of the patient's observations (a screening's links to what it stored, 0009)."""
    observation = Base.metadata.tables["observation"]
    return table.c.observation_id.in_(select(observation.c.id).where(observation.c.patient_id == patient_id))


def _drafts_of(table: Table, patient_id: int) -> ColumnElement[bool]:
    keyed = (table.c.key == str(patient_id)) | table.c.key.startswith(f"{patient_id}:", autoescape=True)
    return table.c.kind.in_(DRAFT_KINDS_KEYED_BY_PATIENT) & keyed


# In erasure order: rows that refer to others before the rows they refer to.
PATIENT_TABLES: tuple[PatientTable, ...] = (
    PatientTable("draft", _drafts_of, erased=True),
    PatientTable("letter", _by_patient_id, erased=True, needs_permit=True),  # refers to assessment, episode (0008)
    PatientTable("red_flag", _by_patient_id, erased=True, needs_permit=True),  # refers to assessment
    PatientTable("screening_observation", _observations_linked, erased=True),  # refers to observation (0009)
    PatientTable("observation", _by_patient_id, erased=True, needs_permit=True),  # a correction chain at once (0004)
    PatientTable("assessment", _by_patient_id, erased=True, needs_permit=True),  # an amendment chain at once (0006)
    PatientTable("running_session", _by_patient_id, erased=True),  # the running log (0007): no permit needed
    PatientTable("squad_member", _by_patient_id, erased=True),  # squad memberships (0009): no permit needed
    PatientTable("screening_entry", _by_patient_id, erased=True),  # screening worksheet rows (0009)
    PatientTable("episode", _by_patient_id, erased=True),
    PatientTable("patient_restriction", _by_patient_id, erased=True),  # none at erasure: it is refused
    PatientTable("patient", _the_patient, erased=True),
    PatientTable("audit_entry", _by_patient_id, erased=False),
)
NOT_EXPORTED = {
    "erasure_permit": "an erasure's permit for one transaction, which no commit can leave behind (0004)",
}
UNRELATED_TABLES = {
    "app_user": "staff accounts",
    "failed_login": "refused logins of staff accounts",
    "setting": "practice-wide settings",
    "clinician_profile": "staff members' letter details: profession, registration, signature image",
    "clinic_image": "the practice's images (the letterhead logo)",
    "club": "sports clubs' names",
    "squad": "clubs' squads: name, season and the coach's contacts (club staff, not patients)",
    "screening": "squads' screening days: date, status and the staff ids who started and completed them",
}


def patient_linked_tables(metadata: MetaData) -> set[str]:
    """Tables with a patient link column, and every table with a foreign key into one of those."""
    linked = {name for name, table in metadata.tables.items() if PATIENT_LINK_COLUMNS & set(table.c.keys())}
    linked.add("patient")
    grew = True
    while grew:
        grew = False
        for name, table in metadata.tables.items():
            if name not in linked and any(key.column.table.name in linked for key in table.foreign_keys):
                linked.add(name)
                grew = True
    return linked


def unmapped_tables(metadata: MetaData) -> list[str]:
    """Tables linked to a patient that the export does not say what to do with (should be none)."""
    mapped = {table.name for table in PATIENT_TABLES} | set(NOT_EXPORTED)
    return sorted(patient_linked_tables(metadata) - mapped)


def patient_table(name: str) -> Table:
    return Base.metadata.tables[name]


class SqlPatientFile:
    """Reads everything about one patient in one snapshot (``store`` is a ``db.Store``)."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def read(self, patient_id: int) -> Tables:
        engine = self._store.engine
        # One snapshot for every table: a change saved meanwhile is either wholly in the export or not at all.
        snapshot = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
        tables: dict[str, list[StoredRow]] = {}
        with translated(), engine.connect() as connection, connection.execution_options(**snapshot).begin():
            for mapped in PATIENT_TABLES:
                table = patient_table(mapped.name)
                query = select(table).where(mapped.rows_of(table, patient_id)).order_by(*table.primary_key.columns)
                tables[mapped.name] = [_stored(row._mapping) for row in connection.execute(query)]
        if not tables["patient"]:
            raise RecordNotFound("This patient's record no longer exists.")
        return tables


def _stored(row: Any) -> StoredRow:
    return {str(name): _value(value) for name, value in row.items()}


def _value(value: Any) -> StoredValue:
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, bytes | memoryview):
        return data_uri(bytes(value))
    return value  # type: ignore[no-any-return]


# Magic numbers of the binary content CalfDesk stores: a letter's PDF, a PNG or JPEG image.
_MEDIA_TYPES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def data_uri(content: bytes) -> str:
    """Stored bytes (a letter's PDF) as text a JSON file can hold and any tool can decode: an RFC 2397 data
    URI, ``data:application/pdf;base64,...``, its media type read from the content's first bytes."""
    media = next((kind for magic, kind in _MEDIA_TYPES if content.startswith(magic)), "application/octet-stream")
    return f"data:{media};base64,{base64.b64encode(content).decode('ascii')}"
