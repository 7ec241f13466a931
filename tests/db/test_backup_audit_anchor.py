"""Backups carry the audit log's head (RELIABILITY.md F2), so a log cut short later is caught."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import db
import db.schema
from db.backup import audit_anchor_path, backup_sqlite, read_audit_anchor
from tests import dbkit
from workstation.audit.chain import GENESIS_HASH, verify_chain
from workstation.audit.records import AuditEntry, AuditEvent, Outcome
from workstation.errors import CalfDeskError

_T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _append(store: db.Store, count: int) -> None:
    for i in range(count):
        moment = _T0 + timedelta(minutes=i)
        entry = AuditEntry(AuditEvent.PATIENT_VIEWED, Outcome.SUCCESS, moment, 1, "sam", "clinician", "ROOM-1", i)
        store.audit.append(entry)


def test_the_anchor_beside_a_backup_is_the_log_head(tmp_path: Path) -> None:
    source = tmp_path / "calfdesk.sqlite3"
    store = dbkit.open_store(f"sqlite:///{source}")
    _append(store, 6)
    head = store.audit.head()
    report = backup_sqlite(source, tmp_path / "backups" / "copy.sqlite3", dbkit.TEST_KEY)
    assert report.audit_head == head
    sidecar = audit_anchor_path(report.path)
    assert sidecar.name == "copy.sqlite3.audit-head.json"
    content = json.loads(sidecar.read_text(encoding="utf-8"))
    assert (content["sequence"], content["entry_hash"]) == head
    assert datetime.fromisoformat(content["written_at"]).tzinfo is not None
    assert read_audit_anchor(report.path) == head == read_audit_anchor(sidecar)
    assert verify_chain(store.audit.in_order(), anchor=read_audit_anchor(report.path)).ok

    # Later someone with the file removes the newest entries: the log alone looks sound, the anchor does not.
    raw = dbkit.raw(source, isolation_level=None)
    raw.execute("DROP TRIGGER audit_entry_no_delete")
    raw.execute("DELETE FROM audit_entry WHERE sequence > 4")
    raw.close()
    assert verify_chain(store.audit.in_order()).ok
    report_now = verify_chain(store.audit.in_order(), anchor=read_audit_anchor(report.path))
    assert (report_now.ok, report_now.first_broken) == (False, 5)
    store.close()


def test_an_empty_log_is_anchored_at_the_genesis_hash(tmp_path: Path) -> None:
    source = tmp_path / "calfdesk.sqlite3"
    dbkit.open_store(f"sqlite:///{source}").close()
    report = backup_sqlite(source, tmp_path / "copy.sqlite3", dbkit.TEST_KEY)
    assert report.audit_head == (0, GENESIS_HASH) == read_audit_anchor(report.path)


def test_a_database_from_before_the_audit_log_gets_no_anchor(tmp_path: Path) -> None:
    source = tmp_path / "old.sqlite3"
    dbkit.first_release_database(source)
    report = backup_sqlite(source, tmp_path / "copy.sqlite3", None)  # a plain file, as 0001 wrote them
    assert report.audit_head is None
    assert not audit_anchor_path(report.path).exists()
    with pytest.raises(CalfDeskError, match="no audit anchor"):
        read_audit_anchor(report.path)

    upgraded = dbkit.open_store(f"sqlite:///{source}")  # 0001 -> head, after a backup of the 0001 file
    backup = upgraded.migration_backup
    upgraded.close()
    assert backup is not None and backup.audit_head is None
    assert not audit_anchor_path(backup.path).exists()


@pytest.mark.parametrize(
    "content",
    ["", "{", "[]", '{"sequence": -1, "entry_hash": "' + "0" * 64 + '"}', '{"sequence": 3, "entry_hash": "xyz"}',
     '{"sequence": true, "entry_hash": "' + "0" * 64 + '"}', '{"entry_hash": "' + "0" * 64 + '"}'],
)  # fmt: skip
def test_a_damaged_anchor_is_refused_in_plain_words(tmp_path: Path, content: str) -> None:
    sidecar = tmp_path / "copy.sqlite3.audit-head.json"
    sidecar.write_text(content, encoding="utf-8")
    with pytest.raises(CalfDeskError, match="audit anchor cannot be read"):
        read_audit_anchor(tmp_path / "copy.sqlite3")
