"""The audit viewer: filters become queries, "who has accessed this patient", the user filter, the count,
and an export that asks for the password first and writes exactly the text it was given, as UTF-8."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

import ui.security.audit_viewer as audit_viewer
from tests.ui.security.fakes import ENTRIES, GOOD_PASSWORD, Recorder, entry, focused, press_enter, show_active
from ui.security.audit_viewer import AuditViewerDialog
from ui.theme import Tone
from workstation.audit.records import AuditEvent
from workstation.errors import AuthenticationFailed, DatabaseLocked
from workstation.ports import AuditQuery

SUMMER_IN_LONDON = timezone(timedelta(hours=1))
CSV = 'sequence,user_name,detail\r\n14,Kit Ødegård,"a, b"\r\n'


class Log:
    """A fake log: records the queries and answers with the entries that match patient, user and event."""

    def __init__(self, entries: list[Any] = ENTRIES) -> None:
        self.entries = entries
        self.queries: list[AuditQuery] = []
        self.error: Exception | None = None

    def __call__(self, query: AuditQuery) -> list[Any]:
        self.queries.append(query)
        if self.error:
            raise self.error
        found = [
            e
            for e in self.entries
            if query.patient_id in (None, e.patient_id)
            and query.user_id in (None, e.user_id)
            and query.event in (None, e.event)
        ]
        return found[: query.limit] if query.limit else found


def make_viewer(
    qtbot: QtBot,
    log: Log,
    *,
    export: Recorder | None = None,
    reauthenticate: Recorder | None = None,
    save_path: Callable[[Any], str | None] = lambda _parent: None,
    patient_id: int | None = None,
) -> AuditViewerDialog:
    viewer = AuditViewerDialog(
        log,
        export or Recorder(CSV),
        reauthenticate or Recorder(),
        patient_id=patient_id,
        save_path=save_path,
        zone=SUMMER_IN_LONDON,
    )
    show_active(qtbot, viewer)
    return viewer


def shown_sequences(viewer: AuditViewerDialog) -> list[int]:
    return [entry.sequence for entry in viewer.model.entries()]  # type: ignore[misc]


def type_filter(qtbot: QtBot, viewer: AuditViewerDialog, key: str, text: str) -> None:
    field = viewer.filters.fields.fields[key]
    field.setFocus()
    field.clear()
    qtbot.keyClicks(field, text)


def test_it_opens_on_the_newest_entries_of_everyone(qtbot: QtBot) -> None:
    log = Log()
    viewer = make_viewer(qtbot, log)
    assert viewer.windowTitle() == "Audit trail"
    assert log.queries == [AuditQuery(limit=audit_viewer.DISPLAY_LIMIT + 1)]
    assert shown_sequences(viewer) == [14, 13, 12, 11]
    assert viewer.count_label.text() == "4 entries"
    assert not viewer.who_button.isVisible()


def test_opened_for_a_patient_it_shows_who_has_accessed_them(qtbot: QtBot) -> None:
    log = Log()
    viewer = make_viewer(qtbot, log, patient_id=42)
    assert log.queries[0].patient_id == 42
    assert log.queries[0].event is AuditEvent.PATIENT_VIEWED
    assert shown_sequences(viewer) == [14]
    assert viewer.count_label.text() == "1 entry"
    assert "42" not in viewer.windowTitle()  # no patient data in the title
    viewer.filters.event_box.setCurrentIndex(0)
    qtbot.mouseClick(viewer.show_button, Qt.MouseButton.LeftButton)
    assert log.queries[-1].event is None
    qtbot.mouseClick(viewer.who_button, Qt.MouseButton.LeftButton)
    assert log.queries[-1] == AuditQuery(patient_id=42, event=AuditEvent.PATIENT_VIEWED, limit=5_001)


def test_filters_by_keyboard_become_the_query(qtbot: QtBot) -> None:
    log = Log()
    viewer = make_viewer(qtbot, log)
    type_filter(qtbot, viewer, "patient_id", "7")
    type_filter(qtbot, viewer, "first_day", "15/06/2025")
    type_filter(qtbot, viewer, "last_day", "16/06/2025")
    press_enter(qtbot)
    query = log.queries[-1]
    assert query.patient_id == 7
    assert query.since == datetime(2025, 6, 14, 23, 0, tzinfo=UTC)  # local midnight, in UTC
    assert query.until == datetime(2025, 6, 16, 23, 0, tzinfo=UTC)  # the To day is included
    assert shown_sequences(viewer) == [12]


def test_the_event_filter_offers_any_event_or_one(qtbot: QtBot) -> None:
    log = Log()
    viewer = make_viewer(qtbot, log)
    box = viewer.filters.event_box
    assert box.itemText(0) == "Any event"
    assert box.count() == len(AuditEvent) + 1
    box.setCurrentIndex(box.findText("Logged in"))
    qtbot.mouseClick(viewer.show_button, Qt.MouseButton.LeftButton)
    assert log.queries[-1].event is AuditEvent.LOGIN


def test_filters_that_cannot_be_read_are_shown_inline_and_not_sent(qtbot: QtBot) -> None:
    log = Log()
    viewer = make_viewer(qtbot, log)
    type_filter(qtbot, viewer, "patient_id", "forty-two")
    type_filter(qtbot, viewer, "first_day", "16/06/2025")
    type_filter(qtbot, viewer, "last_day", "15/06/2025")
    press_enter(qtbot)
    assert len(log.queries) == 1  # only the first, at opening
    messages = viewer.filters.fields
    assert messages.message("patient_id") == "Type the patient's id number (digits only)."
    assert messages.message("last_day") == "This is before the From date."
    assert focused() is messages.fields["patient_id"]
    assert QApplication.activeModalWidget() is None


def test_the_user_filter_matches_the_log_in_name_then_asks_by_account(qtbot: QtBot) -> None:
    log = Log()
    viewer = make_viewer(qtbot, log)
    type_filter(qtbot, viewer, "user", "SamO")
    press_enter(qtbot)
    assert log.queries[-1].user_id == 2  # learnt from the entries seen at opening
    assert shown_sequences(viewer) == [14, 11]


def test_an_unknown_user_name_is_matched_among_the_entries(qtbot: QtBot) -> None:
    log = Log()
    viewer = make_viewer(qtbot, log)
    type_filter(qtbot, viewer, "user", "smo")  # typed at a refused login: no account
    press_enter(qtbot)
    assert log.queries[-1].user_id is None
    assert shown_sequences(viewer) == [13]


@pytest.fixture
def crowded_log(monkeypatch: pytest.MonkeyPatch) -> Log:
    """Kit's five newest entries fill a table of two, hiding everyone else's."""
    monkeypatch.setattr(audit_viewer, "DISPLAY_LIMIT", 2)
    kit = [entry(100 - n, AuditEvent.PATIENT_VIEWED, n, user_id=3, user_name="kit") for n in range(5)]
    return Log(kit + ENTRIES)


def test_more_than_the_table_holds_is_said(qtbot: QtBot, crowded_log: Log) -> None:
    viewer = make_viewer(qtbot, crowded_log)
    assert viewer.count_label.text().startswith("Showing the newest 2 entries.")
    assert viewer.model.rowCount() == 2


def test_a_user_seen_before_is_asked_for_again_by_account(qtbot: QtBot, crowded_log: Log) -> None:
    viewer = make_viewer(qtbot, crowded_log)
    type_filter(qtbot, viewer, "user", "Kit")
    press_enter(qtbot)
    assert crowded_log.queries[-1].user_id == 3


def test_find_user_turns_a_name_into_an_account_the_table_has_not_shown(qtbot: QtBot, crowded_log: Log) -> None:
    find_user = Recorder(lambda name: 2 if name == "samo" else None)
    viewer = AuditViewerDialog(crowded_log, Recorder(CSV), Recorder(), find_user=find_user, zone=SUMMER_IN_LONDON)
    show_active(qtbot, viewer)
    type_filter(qtbot, viewer, "user", "samo")
    press_enter(qtbot)
    assert find_user.calls == [("samo",)]
    assert crowded_log.queries[-1].user_id == 2
    assert shown_sequences(viewer) == [14, 11]
    assert viewer.count_label.text() == "2 entries"


def test_without_find_user_an_unseen_name_is_matched_among_the_newest_and_says_so(
    qtbot: QtBot, crowded_log: Log
) -> None:
    viewer = make_viewer(qtbot, crowded_log)
    type_filter(qtbot, viewer, "user", "samo")
    press_enter(qtbot)
    assert crowded_log.queries[-1].user_id is None
    assert viewer.model.rowCount() == 0
    assert viewer.count_label.text().startswith("0 entries with this user name among the newest 2.")


def test_a_failed_fetch_is_shown_in_the_banner(qtbot: QtBot) -> None:
    log = Log()
    viewer = make_viewer(qtbot, log)
    log.error = DatabaseLocked("The database is in use by another program.")
    qtbot.mouseClick(viewer.show_button, Qt.MouseButton.LeftButton)
    assert viewer.banner.text == "The database is in use by another program."
    assert shown_sequences(viewer) == [14, 13, 12, 11]  # what was shown stays
    assert viewer.show_button.isEnabled()


def start_export(qtbot: QtBot, viewer: AuditViewerDialog) -> QDialog:
    qtbot.mouseClick(viewer.export_button, Qt.MouseButton.LeftButton)
    dialog = viewer.reauthenticate_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_export_asks_for_the_password_then_writes_the_text_as_utf8(qtbot: QtBot, tmp_path: Path) -> None:
    target = tmp_path / "audit.csv"
    export, reauthenticate = Recorder(CSV), Recorder()
    viewer = make_viewer(qtbot, Log(), export=export, reauthenticate=reauthenticate, save_path=lambda _p: str(target))
    type_filter(qtbot, viewer, "patient_id", "42")
    press_enter(qtbot)
    dialog = start_export(qtbot, viewer)
    assert export.calls == []  # nothing leaves before the password
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    press_enter(qtbot)
    assert reauthenticate.calls == [(GOOD_PASSWORD,)]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert export.calls == [(AuditQuery(patient_id=42),)]  # every matching entry, not only the table's
    assert target.read_bytes() == CSV.encode("utf-8")
    assert viewer.banner.text == "The audit trail was saved to audit.csv."
    assert viewer.banner.tone is Tone.NOTICE


def test_export_for_one_user_exports_their_account(qtbot: QtBot, tmp_path: Path) -> None:
    export = Recorder(CSV)
    viewer = make_viewer(qtbot, Log(), export=export, save_path=lambda _p: str(tmp_path / "a.csv"))
    type_filter(qtbot, viewer, "user", "amara")
    press_enter(qtbot)
    start_export(qtbot, viewer)
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    press_enter(qtbot)
    assert export.calls == [(AuditQuery(user_id=1),)]


def test_a_wrong_password_exports_nothing(qtbot: QtBot) -> None:
    export = Recorder(CSV)
    reauthenticate = Recorder(error=AuthenticationFailed("The user name or password is wrong."))
    viewer = make_viewer(qtbot, Log(), export=export, reauthenticate=reauthenticate, save_path=pytest.fail)
    dialog = start_export(qtbot, viewer)
    qtbot.keyClicks(focused(), "guess")
    press_enter(qtbot)
    assert dialog.isVisible()
    dialog.done(QDialog.DialogCode.Rejected)  # the person gives up
    assert export.calls == []
    assert viewer.reauthenticate_dialog is None


def test_no_file_chosen_exports_nothing(qtbot: QtBot) -> None:
    export = Recorder(CSV)
    viewer = make_viewer(qtbot, Log(), export=export)
    start_export(qtbot, viewer)
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    press_enter(qtbot)
    assert export.calls == []
    assert not viewer.banner.isVisible()


def test_a_file_that_cannot_be_written_is_said_in_plain_words(qtbot: QtBot, tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "audit.csv"
    viewer = make_viewer(qtbot, Log(), save_path=lambda _p: str(missing))
    start_export(qtbot, viewer)
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    press_enter(qtbot)
    assert viewer.banner.text.startswith("The file could not be saved (No such file or directory).")
    assert viewer.banner.tone is Tone.ERROR
    assert viewer.export_button.isEnabled()


def test_entries_of_no_account_cannot_be_exported_alone(qtbot: QtBot) -> None:
    viewer = make_viewer(qtbot, Log())
    type_filter(qtbot, viewer, "user", "smo")
    press_enter(qtbot)
    qtbot.mouseClick(viewer.export_button, Qt.MouseButton.LeftButton)
    assert viewer.reauthenticate_dialog is None
    assert "Clear the user filter" in viewer.banner.text


def test_nothing_to_export_when_nothing_matches(qtbot: QtBot) -> None:
    viewer = make_viewer(qtbot, Log([]))
    assert viewer.count_label.text() == "No entries match."
    assert not viewer.export_button.isEnabled()
