"""The Letters tab (Ctrl+4): the patient's finalised letters, opened here, exported, printed and handed to
the system viewer, each exactly as stored; and no tab at all for a role without clinical records."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtPrintSupport import QPrinter
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.ui.assessment.desk import PASSWORD, Desk, show_patient
from tests.ui.letters.letter_desk import (
    finalise_assessment,
    letter_desk,
    open_letters_tab,
    pdf_pages,
    stored_pdf,
)
from ui.letters.letter_actions import export_file_name
from ui.letters.letter_list import LETTER_ID_ROLE, LetterColumn, LetterTableModel
from ui.main_window import MainWindow
from ui.patients.patient_view import LETTERS_TAB, RECORD_TAB
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent
from workstation.letters.records import LetterKind, StoredLetter
from workstation.letters.sections import default_request
from workstation.ports import AuditQuery, ClinicStore
from workstation.records import Patient
from workstation.security.accounts import Role
from workstation.services.accounts import Accounts
from workstation.services.session import ClinicSession


@pytest.fixture
def desk(qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]) -> Desk:
    return letter_desk(qtbot, open_store(), today)


def write_letter(desk: Desk, today: date, kind: LetterKind = LetterKind.GP_REFERRAL) -> StoredLetter:
    """A letter finalised through the service as the dialog does it (the real renderer)."""
    from datetime import UTC, datetime

    from reports.letters import render_letter

    letters = desk.session.letters
    facts = letters.facts(desk.patient_id, assessment_id=None, today=today)
    request = default_request(kind, facts)
    return letters.finalise(request, facts, render=render_letter, at=datetime(2025, 6, 15, 11, 20, tzinfo=UTC))


def audited(desk: Desk, event: AuditEvent, letter: StoredLetter) -> bool:
    """The use was audited as ``event``, against this letter and patient, with no name in it."""
    entries = desk.store.audit.query(AuditQuery(event=event))
    return any(e.object_id == str(letter.id) and e.patient_id == desk.patient_id and "Runner" not in e.detail
               for e in entries)  # fmt: skip


def listed(qtbot: QtBot, desk: Desk, rows: int) -> object:
    show_patient(qtbot, desk)
    tab = open_letters_tab(qtbot, desk)
    qtbot.waitUntil(lambda: tab.patient_id == desk.patient_id and tab.model.rowCount() == rows, timeout=10_000)
    return tab


def test_a_letter_finalised_in_the_dialog_appears_in_the_open_tab(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    from tests.ui.letters.test_letter_dialog import confirm, finalised

    finalise_assessment(desk, today())
    tab = listed(qtbot, desk, 0)
    assert tab.empty_note.isVisible()
    tab.new_button.click()
    letters = desk.window.letters
    qtbot.waitUntil(lambda: letters.dialog is not None and letters.dialog.preview is not None, timeout=20_000)
    dialog = letters.dialog
    dialog.finalise_button.click()
    confirm(qtbot, dialog)
    letter_id = finalised(qtbot, dialog)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)
    assert tab.table.selected_id() == letter_id
    row = {column: tab.model.index(0, column).data() for column in LetterColumn}
    assert row[LetterColumn.DOCUMENT] == "GP referral"
    assert row[LetterColumn.RECIPIENT] == "Dr Amara Singh, Riverside Surgery"
    assert row[LetterColumn.AUTHOR] == "Sam Okafor"
    assert row[LetterColumn.REFERENCE] == dialog.stored.reference
    assert row[LetterColumn.PAGES] == str(dialog.stored.page_count)


def test_the_letter_model_passes_the_model_tester(
    qtmodeltester: ModelTester, desk: Desk, today: Callable[[], date]
) -> None:
    finalise_assessment(desk, today())
    stored = [write_letter(desk, today()), write_letter(desk, today(), LetterKind.HANDOUT)]
    model = LetterTableModel(desk.window._order)
    model.set_letters(stored)
    qtmodeltester.check(model, force_py=True)
    ids = {model.index(row, 0).data(LETTER_ID_ROLE) for row in range(model.rowCount())}
    assert ids == {letter.id for letter in stored}
    assert model.rowCount(model.index(0, 0)) == 0 and model.columnCount(QModelIndex()) == len(LetterColumn)


def test_enter_opens_the_stored_pages_in_the_app(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    finalise_assessment(desk, today())
    stored = write_letter(desk, today())
    tab = listed(qtbot, desk, 1)
    tab.table.selectRow(0)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    actions = desk.window.letters.actions
    qtbot.waitUntil(lambda: actions.viewer is not None and actions.viewer.isVisible(), timeout=10_000)
    assert actions.viewer.letter.id == stored.id
    assert actions.viewer.pages.page_count == stored.page_count
    assert stored.sha256 in actions.viewer.header.text()
    assert audited(desk, AuditEvent.LETTER_VIEWED, stored)
    actions.viewer.close()


def test_export_writes_the_exact_stored_bytes(
    qtbot: QtBot, desk: Desk, today: Callable[[], date], tmp_path: Path
) -> None:
    finalise_assessment(desk, today())
    stored = write_letter(desk, today())
    tab = listed(qtbot, desk, 1)
    folder = tmp_path / "out"
    folder.mkdir()
    actions = desk.window.letters.actions
    actions.export_to(tab.model.letter(stored.id), folder, tab)
    qtbot.waitUntil(lambda: actions.last_export is not None, timeout=10_000)
    written = actions.last_export
    assert written == folder / export_file_name(stored)
    assert written.name == f"2025-06-15 Referral letter to GP {stored.reference}.pdf"
    assert "Runner" not in written.name and "Ada" not in written.name  # no patient name in a file name
    assert hashlib.sha256(written.read_bytes()).hexdigest() == stored.sha256
    assert written.read_bytes() == stored_pdf(desk, stored.id)
    assert "Exported to" in tab.banner.text
    assert audited(desk, AuditEvent.LETTER_EXPORTED, stored)


def test_export_to_a_folder_that_cannot_be_written_says_so_and_writes_nothing(
    qtbot: QtBot, desk: Desk, today: Callable[[], date], tmp_path: Path
) -> None:
    finalise_assessment(desk, today())
    stored = write_letter(desk, today())
    tab = listed(qtbot, desk, 1)
    missing = tmp_path / "gone"
    desk.window.letters.actions.export_to(tab.model.letter(stored.id), missing, tab)
    qtbot.waitUntil(lambda: tab.banner.isVisible() and "Cannot write" in tab.banner.text, timeout=10_000)
    assert not missing.exists()


def test_print_draws_every_stored_page_onto_the_printer(
    qtbot: QtBot, desk: Desk, today: Callable[[], date], tmp_path: Path
) -> None:
    finalise_assessment(desk, today())
    stored = write_letter(desk, today())
    tab = listed(qtbot, desk, 1)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    desk.window.letters.actions.print_on(tab.model.letter(stored.id), printer, tab)
    qtbot.waitUntil(lambda: "to the printer" in tab.banner.text, timeout=20_000)
    assert pdf_pages(target.read_bytes()) == stored.page_count >= 1
    assert f"Sent {stored.page_count} page" in tab.banner.text
    assert audited(desk, AuditEvent.LETTER_PRINTED, stored)


def test_open_in_system_viewer_hands_over_a_private_copy(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    finalise_assessment(desk, today())
    stored = write_letter(desk, today())
    tab = listed(qtbot, desk, 1)
    actions = desk.window.letters.actions
    opened: list[QUrl] = []
    actions.open_url = lambda url: opened.append(url) or True
    tab.viewer_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    copy = Path(opened[0].toLocalFile())
    assert copy.read_bytes() == stored_pdf(desk, stored.id)
    assert copy.parent.stat().st_mode & 0o077 == 0  # only this user can read the folder
    assert audited(desk, AuditEvent.LETTER_EXPORTED, stored)  # the bytes leave CalfDesk for another program
    desk.window.close()
    assert not copy.exists()  # removed when the window closes


def test_a_role_without_clinical_records_gets_no_letters_tab(
    qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]
) -> None:
    store = open_store()
    auditor = Auditor(store.audit, "desk-1")
    accounts = Accounts(store.users, auditor)
    owner = accounts.create_owner("sam.okafor", "Sam Okafor", PASSWORD)
    accounts.create_user(owner.actor, "tom.reilly", "Tom Reilly", Role.RECEPTION, "harbour violet pencil drum")
    reception = accounts.log_in("tom.reilly", "harbour violet pencil drum")
    patient = store.patients.add(Patient("Ada", "Runner", date(1990, 1, 1)))
    session = ClinicSession(store, reception.actor, auditor)
    window = MainWindow(session, can=session.can, today=today)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
    window.open_patient(patient.id)
    view = window.patient_view
    qtbot.waitUntil(lambda: view.patient is not None, timeout=10_000)
    assert not view.tabs.isTabVisible(LETTERS_TAB)
    view._show_tab(LETTERS_TAB)  # what Ctrl+4 does
    assert view.current_tab == RECORD_TAB and window.letters.letter_list is None
    assert not window.new_letter_action.isEnabled()
    window.new_letter_action.trigger()
    assert window.letters.dialog is None


def test_a_damaged_letter_is_refused_in_plain_words(
    qtbot: QtBot, desk: Desk, today: Callable[[], date], db_url: str
) -> None:
    from tests import dbkit

    finalise_assessment(desk, today())
    stored = write_letter(desk, today())
    pdf = stored_pdf(desk, stored.id)
    with dbkit.raw(db_url) as connection:  # bit rot, or a hand edit past CalfDesk (the trigger dropped)
        connection.execute("DROP TRIGGER letter_no_update")
        connection.execute("UPDATE letter SET pdf = ? WHERE id = ?", (pdf[:-1] + bytes([pdf[-1] ^ 1]), stored.id))
        connection.commit()
    tab = listed(qtbot, desk, 1)
    tab.open_button.click()
    qtbot.waitUntil(lambda: tab.banner.isVisible(), timeout=10_000)
    assert f"Letter {stored.reference} is damaged" in tab.banner.text
    assert "Traceback" not in tab.banner.text
    assert desk.window.letters.actions.viewer is None


def test_print_opens_the_system_print_dialog_without_blocking(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    finalise_assessment(desk, today())
    stored = write_letter(desk, today())
    tab = listed(qtbot, desk, 1)
    tab.print_button.click()  # returns at once: the dialog is open, the window keeps working
    actions = desk.window.letters.actions
    qtbot.waitUntil(lambda: actions.print_dialog is not None and actions.print_dialog.isVisible(), timeout=5_000)
    assert stored.reference in actions.print_dialog.printer().docName()
    assert "Runner" not in actions.print_dialog.printer().docName()  # a print queue is public
    actions.print_dialog.reject()
    assert not audited(desk, AuditEvent.LETTER_PRINTED, stored)  # cancelled: nothing was printed
