"""The ``calfdesk-record-transfer`` file: one patient's record, to import into another CalfDesk database.

The file is JSON (UTF-8). It holds the tables of the subject-access export (``db.patient_export``) for
one patient, every stored value of every row, in the same forms: dates and instants in ISO 8601 (instants
in UTC), a letter's PDF as an RFC 2397 ``data:`` URI. Left out, and named in the file's ``left_out``
with the reason, are the tables that belong to the sending database rather than to the record: the audit
trail, staff's unsaved drafts, and the squad and screening tables (a squad membership and a screening
worksheet belong to the club's database; the measurements a completed screening stored are observations,
and those travel). docs/record-transfer.md is the contract.

Both directions check every letter against the SHA-256 and size recorded when it was finalised, so a
damaged letter is neither sent nor received as if it were the one sent.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from workstation.errors import LetterDamaged
from workstation.exchange.transfer_ports import TransferRecord, TransferRefused, TransferRow, TransferValue
from workstation.privacy.export_names import letter_reference
from workstation.privacy.letter_files import pdf_bytes
from workstation.privacy.ports import StoredRow, StoredValue, Tables

FORMAT = "calfdesk-record-transfer"
FORMAT_VERSION = 1
TRANSFER_MAX_BYTES = 512 * 1024 * 1024  # a record with many letters (each up to 20 MB, a third more as base64)
# In the order a receiving database writes them: each after the rows it refers to (the restriction last:
# once it stands, the database refuses every change to the record, migration 0005).
TRANSFERRED_TABLES = (
    "patient", "episode", "assessment", "observation", "red_flag", "running_session", "letter",
    "patient_restriction",
)  # fmt: skip
LEFT_OUT = {
    "audit_entry": "the audit trail belongs to the database it records; the receiving CalfDesk audits the import",
    "draft": "unsaved typing of the sending practice's staff",
    "squad_member": "squad membership belongs to the club's database",
    "screening_entry": "a screening worksheet belongs to the club's database (its results travel as observations)",
    "screening_observation": "links a club's screening to its observations; the observations travel",
}
_BAD_FILE_HINT = "Nothing was imported. Ask the sender to export the record again with CalfDesk."


def transfer_json(tables: Tables, *, exported_at: datetime) -> bytes:
    """The transfer file of one patient's ``tables`` (as ``PatientFileReader.read`` returns them).

    Raises:
        LetterDamaged: a letter no longer matches its fingerprint (no file is made).
        TransferRefused: the record holds a table this version cannot transfer (no file is made).
    """
    unknown = sorted(set(tables) - set(TRANSFERRED_TABLES) - set(LEFT_OUT))
    if unknown:
        raise TransferRefused(
            f"This version of CalfDesk cannot transfer part of this record ({', '.join(unknown)}): no file was made.",
            hint="Update CalfDesk, then export the record again.",
        )
    (patient,) = tables["patient"]
    for letter in tables.get("letter", ()):
        check_letter(letter)
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": exported_at.astimezone(UTC).isoformat(),
        "patient_uid": patient["uid"],
        "left_out": dict(LEFT_OUT),
        "tables": {name: [_json_row(row) for row in tables.get(name, ())] for name in TRANSFERRED_TABLES},
    }
    return (json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")


def _json_row(row: StoredRow) -> dict[str, TransferValue]:
    return {name: _json_value(value) for name, value in row.items()}


def _json_value(value: StoredValue) -> TransferValue:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinity; the text keeps what was stored ("nan", "inf")
    return value


def check_letter(row: Mapping[str, Any]) -> bytes:
    """A letter row's PDF bytes, checked against the SHA-256 and size recorded when it was finalised.

    Raises:
        LetterDamaged: the bytes are unreadable or differ (the message names the letter by reference only).
    """
    content = pdf_bytes(row.get("pdf"))
    size = row.get("size_bytes")
    if content is None or hashlib.sha256(content).hexdigest() != row.get("sha256") or size != len(content):
        raise LetterDamaged(
            f"Letter {letter_reference(row)} is damaged: its PDF no longer matches the one finalised, "
            "so the record was not transferred.",
            hint="Nothing was written or imported. Restore the sending database's most recent backup, or ask for help.",
        )
    return content


def read_transfer(data: bytes) -> TransferRecord:
    """The record in a transfer file, checked: its format, its tables, that every row is the one patient's,
    and every letter against its SHA-256.

    Raises:
        TransferRefused: the file is not a record transfer this CalfDesk can import (the message says why).
        LetterDamaged: a letter in it does not match its fingerprint.
    """
    if len(data) > TRANSFER_MAX_BYTES:
        raise TransferRefused("This file is too large to be a CalfDesk record transfer.", hint=_BAD_FILE_HINT)
    document = _parsed(data)
    if document.get("format") != FORMAT:
        raise TransferRefused(
            "This file is not a CalfDesk record transfer.", hint="Choose the file the sender exported."
        )
    if document.get("format_version") != FORMAT_VERSION:
        raise TransferRefused(
            "This record transfer was made by a newer version of CalfDesk.", hint="Update CalfDesk, then import it."
        )
    tables = _tables(document.get("tables"))
    patient_uid = _patient_uid(document, tables)
    for letter in tables.get("letter", ()):
        check_letter(letter)
    return TransferRecord(patient_uid, _instant(document.get("exported_at")), tables)


def _parsed(data: bytes) -> dict[str, Any]:
    def no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError("a key is given twice")
        return dict(pairs)

    def no_constant(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=no_repeats, parse_constant=no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise TransferRefused(
            "This file is damaged or is not a CalfDesk record transfer.", hint=_BAD_FILE_HINT
        ) from None
    if not isinstance(document, dict):
        raise TransferRefused("This file is not a CalfDesk record transfer.", hint=_BAD_FILE_HINT)
    return document


def _tables(value: Any) -> dict[str, list[TransferRow]]:
    if not isinstance(value, dict):
        raise _damaged("it has no tables")
    unknown = sorted(set(value) - set(TRANSFERRED_TABLES))
    if unknown:
        raise TransferRefused(
            f"This record transfer holds records this version of CalfDesk does not know ({', '.join(unknown)}).",
            hint="Update CalfDesk, then import it.",
        )
    tables: dict[str, list[TransferRow]] = {}
    for name in TRANSFERRED_TABLES:
        rows = value.get(name, [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise _damaged(f"its {name} table is not a list of rows")
        for row in rows:
            if not all(_is_scalar(cell) for cell in row.values()):
                raise _damaged(f"a row of its {name} table holds something other than values")
        tables[name] = rows
    return tables


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _patient_uid(document: Mapping[str, Any], tables: Mapping[str, Sequence[TransferRow]]) -> str:
    patients = tables["patient"]
    if len(patients) != 1:
        raise _damaged("it must hold exactly one patient")
    (patient,) = patients
    uid, patient_id = patient.get("uid"), patient.get("id")
    if not isinstance(uid, str) or not uid or uid != document.get("patient_uid"):
        raise _damaged("its patient has no uid, or not the one the file names")
    for name, rows in tables.items():
        if name != "patient" and any(row.get("patient_id") != patient_id for row in rows):
            raise _damaged(f"a row of its {name} table belongs to someone else")
    return uid


def _instant(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise _damaged("it does not say when it was exported")
    return moment.astimezone(UTC)


def _damaged(why: str) -> TransferRefused:
    return TransferRefused(f"This record transfer is damaged: {why}.", hint=_BAD_FILE_HINT)
