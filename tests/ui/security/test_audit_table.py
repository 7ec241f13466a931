"""The audit model: structure (qtmodeltester), the sequence role, local times and readable cells."""

from __future__ import annotations

from datetime import timedelta, timezone

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from tests.ui.security.fakes import ENTRIES
from ui.security.audit_table import AUDIT_SEQUENCE_ROLE, AuditColumn, AuditTableModel, event_label, role_label
from workstation.audit.records import AuditEvent

SUMMER_IN_LONDON = timezone(timedelta(hours=1))


def filled() -> AuditTableModel:
    model = AuditTableModel(zone=SUMMER_IN_LONDON)
    model.set_entries(ENTRIES)
    return model


def row(model: AuditTableModel, number: int) -> list[str]:
    return [model.index(number, column).data() for column in AuditColumn]


def test_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = filled()
    qtmodeltester.check(model, force_py=True)
    model.set_entries(ENTRIES[:1])
    assert model.rowCount() == 1


def test_empty_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(AuditTableModel(), force_py=True)


def test_sequence_role_finds_each_entry() -> None:
    model = filled()
    assert [model.index(r, AuditColumn.DETAIL).data(AUDIT_SEQUENCE_ROLE) for r in range(4)] == [14, 13, 12, 11]
    assert model.entry(12) == ENTRIES[2]
    assert model.entry(99) is None


def test_a_row_reads_in_local_time_and_words() -> None:
    model = filled()
    assert row(model, 0) == [
        "2025-06-15 09:30:05",  # 08:30 UTC
        "samo",
        "Clinician",
        "ROOM-2",
        "Patient viewed",
        "Read (R)",
        "Success",
        "42",
        "patient 42",
        "",
    ]
    assert row(model, 1)[1:7] == ["smo", "", "ROOM-2", "Login refused", "Execute (E)", "Failed"]
    assert row(model, 2)[2] == "Administrator"


def test_tooltips_give_utc_the_event_code_and_the_action_in_words() -> None:
    model = filled()
    tip = Qt.ItemDataRole.ToolTipRole
    assert model.index(0, AuditColumn.TIME).data(tip) == "2025-06-15 08:30:05 UTC"
    assert model.index(0, AuditColumn.EVENT).data(tip) == "patient.viewed"
    assert model.index(0, AuditColumn.ACTION).data(tip) == "Read"
    assert model.index(0, AuditColumn.USER).data(tip) is None


def test_every_event_has_a_readable_label() -> None:
    labels = {event: event_label(event) for event in AuditEvent}
    assert labels[AuditEvent.PATIENT_LIST_EXPORTED] == "Patient list exported"
    assert labels[AuditEvent.PASSWORD_RESET] == "User password reset"
    assert all(label and "." not in label and "_" not in label for label in labels.values())
    assert len(set(labels.values())) == len(labels)


def test_a_role_no_longer_known_shows_as_stored() -> None:
    assert role_label("locum") == "locum"
    assert role_label("") == ""


def test_headers() -> None:
    model = filled()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in AuditColumn]
    assert titles[0] == "Time" and titles[-1] == "Detail" and len(titles) == 10
