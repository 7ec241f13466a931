"""The calfdesk-record-transfer file on its own (no database): what it holds and leaves out, and every way
a file that is not one, is damaged or comes from a newer CalfDesk is refused in plain words that name no
patient. The round trip between two real databases is tests/db/test_patient_transfer.py."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from workstation.errors import LetterDamaged
from workstation.exchange import record_transfer
from workstation.exchange.record_transfer import (
    FORMAT,
    LEFT_OUT,
    TRANSFER_MAX_BYTES,
    TRANSFERRED_TABLES,
    read_transfer,
    transfer_json,
)
from workstation.exchange.transfer_ports import TransferRefused

EXPORTED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8
CANARY = "Qzvx7731Canary"


def _tables(**extra: Any) -> dict[str, Any]:
    letter = {"id": 3, "uid": "0f6b1d0a-8a39-4c3f-9e0e-1f1df2a5a111", "patient_id": 12, "sha256":
              hashlib.sha256(PDF).hexdigest(), "size_bytes": len(PDF),
              "pdf": "data:application/pdf;base64," + base64.b64encode(PDF).decode()}  # fmt: skip
    tables: dict[str, Any] = {
        "patient": [{"id": 12, "uid": "5a8f4c62-0b0e-4a53-b9f4-6f3f0f0e7c11", "family_name": CANARY,
                     "date_of_birth": date(1990, 4, 2), "created_at": EXPORTED}],
        "episode": [{"id": 4, "uid": "e1", "patient_id": 12, "onset_date": None}],
        "observation": [{"id": 9, "uid": "o1", "patient_id": 12, "value": float("nan")}],
        "letter": [letter],
        "audit_entry": [{"sequence": 1, "patient_id": 12}],
        "draft": [{"id": 1, "key": "12"}],
        "squad_member": [{"id": 1, "patient_id": 12}],
    }  # fmt: skip
    tables.update(extra)
    return tables


def _document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(transfer_json(_tables(), exported_at=EXPORTED))
    document.update(changes)
    return document


def _bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


def test_the_file_holds_the_records_tables_and_names_what_it_leaves_out() -> None:
    document = json.loads(transfer_json(_tables(), exported_at=EXPORTED))
    assert (document["format"], document["format_version"]) == (FORMAT, 1)
    assert document["patient_uid"] == "5a8f4c62-0b0e-4a53-b9f4-6f3f0f0e7c11"
    assert document["exported_at"] == "2026-12-01T09:30:00+00:00"
    assert list(document["tables"]) == list(TRANSFERRED_TABLES)
    assert document["left_out"] == LEFT_OUT
    assert "audit_entry" not in document["tables"] and "squad_member" not in document["tables"]
    (patient,) = document["tables"]["patient"]
    assert (patient["date_of_birth"], patient["created_at"]) == ("1990-04-02", "2026-12-01T09:30:00+00:00")
    assert document["tables"]["observation"][0]["value"] == "nan"  # JSON has no NaN: kept as text
    assert document["tables"]["running_session"] == []


def test_reading_it_back_gives_the_same_rows() -> None:
    record = read_transfer(transfer_json(_tables(), exported_at=EXPORTED))
    assert record.patient_uid == "5a8f4c62-0b0e-4a53-b9f4-6f3f0f0e7c11" and record.exported_at == EXPORTED
    assert record.tables["episode"] == [{"id": 4, "uid": "e1", "patient_id": 12, "onset_date": None}]
    assert record.row_count == 4
    assert CANARY not in repr(record)


def test_a_table_this_version_cannot_transfer_stops_the_export() -> None:
    with pytest.raises(TransferRefused, match="clinical_note"):
        transfer_json(_tables(clinical_note=[{"id": 1, "patient_id": 12}]), exported_at=EXPORTED)


def test_a_damaged_letter_is_never_sent() -> None:
    tables = _tables()
    tables["letter"][0]["sha256"] = "0" * 64
    with pytest.raises(LetterDamaged, match="damaged"):
        transfer_json(tables, exported_at=EXPORTED)


BROKEN: dict[str, tuple[bytes, str]] = {
    "not utf-8": (b"\xff\xfe\x00{", "damaged or is not"),
    "not json": (b'{"format": ', "damaged or is not"),
    "not an object": (b"[1, 2]", "not a CalfDesk record transfer"),
    "a repeated key": (b'{"format": "x", "format": "y"}', "damaged or is not"),
    "NaN": (b'{"format": NaN}', "damaged or is not"),
    "another format": (_bytes({"format": "calfdesk-subject-access", "format_version": 1}), "not a CalfDesk record"),
    "a newer version": (_bytes(_document(format_version=2)), "newer version"),
    "no tables": (_bytes(_document(tables=None)), "no tables"),
    "an unknown table": (_bytes(_document(tables={**_document()["tables"], "gait_video": []})), "gait_video"),
    "no patient": (_bytes(_document(tables={**_document()["tables"], "patient": []})), "exactly one patient"),
    "a wrong uid": (_bytes(_document(patient_uid="someone-else")), "not the one the file names"),
    "no export time": (_bytes(_document(exported_at="yesterday")), "when it was exported"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_file_that_is_not_a_transfer_we_can_import_is_refused_in_plain_words(case: str) -> None:
    data, message = BROKEN[case]
    with pytest.raises(TransferRefused, match=message) as refused:
        read_transfer(data)
    assert CANARY not in str(refused.value) and refused.value.hint


def test_a_row_of_someone_else_is_refused() -> None:
    document = _document()
    document["tables"]["episode"][0]["patient_id"] = 13
    with pytest.raises(TransferRefused, match="belongs to someone else"):
        read_transfer(_bytes(document))


def test_a_row_holding_a_list_or_object_is_refused() -> None:
    document = _document()
    document["tables"]["episode"][0]["complaint"] = {"nested": True}
    with pytest.raises(TransferRefused, match="something other than values"):
        read_transfer(_bytes(document))


def test_a_letter_changed_on_the_way_is_refused_on_arrival() -> None:
    document = _document()
    document["tables"]["letter"][0]["pdf"] = "data:application/pdf;base64," + base64.b64encode(PDF[:-1] + b"!").decode()
    with pytest.raises(LetterDamaged):
        read_transfer(_bytes(document))


def test_a_file_over_the_limit_is_refused_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert TRANSFER_MAX_BYTES == 512 * 1024 * 1024
    data = transfer_json(_tables(), exported_at=EXPORTED)
    monkeypatch.setattr(record_transfer, "TRANSFER_MAX_BYTES", len(data) - 1)  # not 512 MB of memory in a test
    with pytest.raises(TransferRefused, match="too large"):
        read_transfer(data)
