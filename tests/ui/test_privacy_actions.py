"""The Patient menu's privacy entries (RELIABILITY.md G1, G2, D6) on a real database, and the
``calfdesk patient export`` and ``calfdesk patient erase`` commands."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from db.patient_export import DRAFT_KINDS_KEYED_BY_PATIENT
from tests.reports.pdf_text import all_text
from tests.ui.conftest import discard_dialogs
from ui.desktop_session import DRAFT_KINDS, DesktopSession
from ui.main_window import MainWindow
from ui.patients.patient_editor import PatientEditorDialog
from ui.patients.privacy_actions import (
    ERASE_TEXT,
    EXPORT_TEXT,
    LIFT_TEXT,
    RESTRICT_TEXT,
    PrivacyActions,
    RestrictProcessingDialog,
)
from ui.security.login_dialog import LoginDialog
from ui.security.password_dialogs import ReauthenticateDialog
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import RecordNotFound
from workstation.letters.records import LetterKind, StoredLetter
from workstation.ports import AuditQuery, ClinicStore
from workstation.privacy.restriction import Grounds
from workstation.records import Episode, Patient, Side
from workstation.security.accounts import Role
from workstation.services.accounts import Accounts
from workstation.services.session import ClinicSession

PASSWORD = "kettle orbit saffron lane"
PRIVACY_TEXTS = {EXPORT_TEXT, RESTRICT_TEXT, ERASE_TEXT}


@dataclass
class Desk:
    store: ClinicStore
    window: MainWindow
    actions: PrivacyActions
    patient_id: int
    owner_id: int


@pytest.fixture
def make_desk(qtbot: QtBot, open_store: Callable[..., ClinicStore], tmp_path: Path) -> Iterator[Callable[..., Desk]]:
    """A window for ``role`` on a database with one patient (born ``born``), its privacy entries installed."""

    def make(role: Role = Role.ADMIN, *, today: date = date(2026, 12, 1), born: date = date(1990, 4, 2)) -> Desk:
        store = open_store()
        auditor = Auditor(store.audit, "room-1")
        accounts = Accounts(store.users, auditor)
        owner = accounts.create_owner("sam.okafor", "Sam Okafor", PASSWORD)
        actor = owner.actor
        if role is not Role.ADMIN:
            user = accounts.create_user(actor, "colleague", "A Colleague", role, PASSWORD)
            assert user.id is not None
            actor = accounts.log_in("colleague", PASSWORD).actor
        patient = store.patients.add(Patient("Ada", "Lovelace", born, address="1 Analytical Row"))
        assert patient.id is not None
        store.episodes.add(Episode(patient.id, "Left calf pain", Side.LEFT, date(2026, 10, 1)))
        session = ClinicSession(store, actor, auditor)
        window = MainWindow(session, can=session.can, today=lambda: today)
        qtbot.addWidget(window, before_close_func=discard_dialogs)
        actions = PrivacyActions.install(window, session, accounts, store, today=lambda: today,
                                         choose_folder=lambda _parent: str(tmp_path / "sar"))  # fmt: skip
        window.show()
        qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
        return Desk(store, window, actions, patient.id, owner.actor.user_id)

    yield make


def _open_patient(qtbot: QtBot, desk: Desk) -> None:
    desk.window.open_patient(desk.patient_id)
    qtbot.waitUntil(lambda: desk.actions._known_for == desk.patient_id, timeout=10_000)


def _menu_texts(window: MainWindow) -> set[str]:
    return {action.text() for action in window.patient_menu.actions()}


def _type_password(qtbot: QtBot, dialog: ReauthenticateDialog | RestrictProcessingDialog, password: str) -> None:
    field = dialog.fields.fields["password"]
    field.clear()
    qtbot.keyClicks(field, password)
    dialog.submit()


def _password_dialog(qtbot: QtBot, desk: Desk) -> ReauthenticateDialog:
    qtbot.waitUntil(lambda: isinstance(desk.actions.dialog, ReauthenticateDialog), timeout=10_000)
    dialog = desk.actions.dialog
    assert isinstance(dialog, ReauthenticateDialog) and dialog.isVisible()
    return dialog


def test_the_entries_are_for_administrators_and_wait_for_a_patient(qtbot: QtBot, make_desk: Any) -> None:
    desk = make_desk()
    assert _menu_texts(desk.window) >= PRIVACY_TEXTS
    assert desk.actions.export_action is not None and not desk.actions.export_action.isEnabled()
    _open_patient(qtbot, desk)
    assert desk.actions.export_action.isEnabled()
    assert desk.actions.erase_action is not None and desk.actions.erase_action.isEnabled()


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.RECEPTION, Role.CLUB])
def test_other_roles_are_not_offered_them_at_all(make_desk: Any, role: Role) -> None:
    desk = make_desk(role)
    assert not PRIVACY_TEXTS & _menu_texts(desk.window)
    assert desk.actions.export_action is desk.actions.restrict_action is desk.actions.erase_action is None


def _stored_letter(desk: Desk) -> StoredLetter:
    """A letter of the patient's, as finalised: PDF-like bytes with every byte value, to be copied exactly."""
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 16 + b"\r\n%%EOF"
    return desk.store.letters.add(
        StoredLetter(
            patient_id=desk.patient_id, kind=LetterKind.HANDOUT, title="Your home exercise programme",
            urgency="routine", recipient="Patient", sha256=hashlib.sha256(pdf).hexdigest(), page_count=1,
            size_bytes=len(pdf), author_id=desk.owner_id, author_name="Sam Okafor",
            finalised_at=datetime(2026, 11, 30, 10, tzinfo=UTC),
        ),
        pdf,
    )  # fmt: skip


def test_export_asks_for_the_password_again_then_writes_every_file(
    qtbot: QtBot, make_desk: Any, tmp_path: Path
) -> None:
    desk = make_desk()
    letter = _stored_letter(desk)
    assert letter.id is not None
    _open_patient(qtbot, desk)
    assert desk.actions.export_action is not None
    desk.actions.export_action.trigger()
    dialog = _password_dialog(qtbot, desk)

    _type_password(qtbot, dialog, "not my password")
    qtbot.waitUntil(lambda: dialog.fields.message("password") != "", timeout=10_000)
    assert dialog.isVisible() and not (tmp_path / "sar").exists()  # nothing on a refused password

    _type_password(qtbot, dialog, PASSWORD)
    qtbot.waitUntil(lambda: desk.actions.dialog is None, timeout=10_000)
    (data,) = (tmp_path / "sar").glob("*.json")
    stem = data.name.removesuffix(".json")
    assert sorted(path.name for path in (tmp_path / "sar").iterdir()) == sorted(
        [f"{stem}.json", f"{stem}.txt", f"{stem}.pdf", f"{stem}-letter-{letter.reference}.pdf"]
    )
    assert json.loads(data.read_text(encoding="utf-8"))["tables"]["patient"][0]["family_name"] == "Lovelace"
    summary_pdf = (tmp_path / "sar" / f"{stem}.pdf").read_bytes()
    assert "Family name: Lovelace" in all_text(summary_pdf)
    letter_pdf = tmp_path / "sar" / f"{stem}-letter-{letter.reference}.pdf"
    assert letter_pdf.read_bytes() == desk.store.letters.pdf(letter.id)
    banner = desk.window.banner.text
    assert data.name in banner and f"{stem}.pdf" in banner and "saved in" in banner and "1 letter as sent" in banner
    (exported,) = desk.store.audit.query(AuditQuery(event=AuditEvent.PATIENT_EXPORTED))
    assert (exported.patient_id, exported.outcome) == (desk.patient_id, Outcome.SUCCESS)


def test_restriction_is_asked_for_with_grounds_and_password_then_shown_and_enforced(
    qtbot: QtBot, make_desk: Any
) -> None:
    desk = make_desk()
    _open_patient(qtbot, desk)
    restrict = desk.actions.restrict_action
    assert restrict is not None and restrict.text() == RESTRICT_TEXT
    restrict.trigger()
    dialog = desk.actions.dialog
    assert isinstance(dialog, RestrictProcessingDialog)
    dialog.grounds.setCurrentIndex(dialog.grounds.findData(Grounds.OBJECTION_PENDING))
    _type_password(qtbot, dialog, PASSWORD)
    qtbot.waitUntil(lambda: desk.actions.restriction is not None, timeout=10_000)

    banner = desk.window.banner
    assert banner.isVisible() and "Processing of this record is restricted" in banner.text
    assert "objected" in banner.text and restrict.text() == LIFT_TEXT

    desk.window.edit_patient_action.trigger()
    editor = desk.window.findChild(PatientEditorDialog)
    assert editor is not None
    phone = editor.form.fields["phone"]
    assert isinstance(phone, QLineEdit)
    phone.setText("07700 900456")
    editor.save()
    qtbot.waitUntil(lambda: "restricted, so it cannot be changed" in editor.banner.text, timeout=10_000)
    assert desk.store.patients.get(desk.patient_id).phone == ""
    editor.done(0)

    restrict.trigger()  # now it lifts the restriction, after the password
    lift = _password_dialog(qtbot, desk)
    _type_password(qtbot, lift, PASSWORD)
    qtbot.waitUntil(lambda: desk.actions.restriction is None, timeout=10_000)
    assert not banner.isVisible() and restrict.text() == RESTRICT_TEXT


def test_every_role_sees_that_a_record_is_restricted(qtbot: QtBot, make_desk: Any) -> None:
    desk = make_desk(Role.CLINICIAN)
    from db.erasure import SqlPrivacyStore
    from workstation.privacy.restriction import Restriction

    SqlPrivacyStore(desk.store).restrict(Restriction(desk.patient_id, Grounds.LEGAL_CLAIMS, _utc(), None))
    _open_patient(qtbot, desk)
    assert "Processing of this record is restricted" in desk.window.banner.text


def test_an_erasure_inside_the_retention_period_is_refused_with_the_date_in_words(qtbot: QtBot, make_desk: Any) -> None:
    desk = make_desk(today=date(2039, 1, 1), born=date(2015, 4, 2))
    _open_patient(qtbot, desk)
    assert desk.actions.erase_action is not None
    desk.actions.erase_action.trigger()
    qtbot.waitUntil(lambda: isinstance(desk.actions.dialog, QMessageBox), timeout=10_000)
    box = desk.actions.dialog
    assert isinstance(box, QMessageBox) and box.objectName() == "erasureRefused"
    assert box.text() == (
        "This record must be kept until 2 April 2040: until the patient's 25th birthday, because they were under 18 "
        "when treatment ended (UK Records Management Code of Practice 2021)."
    )
    assert "restrict processing" in box.informativeText()
    box.done(0)
    assert desk.store.patients.get(desk.patient_id).family_name == "Lovelace"
    (refused,) = desk.store.audit.query(AuditQuery(event=AuditEvent.PATIENT_ERASED))
    assert (refused.outcome, refused.detail) == (Outcome.DENIED, "retention hold (uk_minor_25)")


def test_an_allowed_erasure_asks_twice_then_empties_the_view(qtbot: QtBot, make_desk: Any) -> None:
    desk = make_desk(today=date(2100, 1, 1))
    _open_patient(qtbot, desk)
    assert desk.actions.erase_action is not None
    desk.actions.erase_action.trigger()
    qtbot.waitUntil(lambda: isinstance(desk.actions.dialog, QMessageBox), timeout=10_000)
    question = desk.actions.dialog
    assert isinstance(question, QMessageBox) and question.objectName() == "eraseQuestion"
    (erase,) = [b for b in question.buttons() if b.text() == "Erase for good"]
    erase.click()
    dialog = _password_dialog(qtbot, desk)
    _type_password(qtbot, dialog, PASSWORD)
    total_before = desk.window.directory.total
    qtbot.waitUntil(lambda: "was erased" in desk.window.banner.text, timeout=10_000)
    assert desk.window.patient_view.patient is None
    # Gone from the list and from every search at once, not only after a restart.
    assert desk.patient_id not in desk.window.directory.summaries
    assert desk.window.patient_list.model.row_of(desk.patient_id) is None
    assert desk.window.directory.total == total_before - 1
    with pytest.raises(RecordNotFound):
        desk.store.patients.get(desk.patient_id)


def test_cancelling_the_question_erases_nothing(qtbot: QtBot, make_desk: Any) -> None:
    desk = make_desk(today=date(2100, 1, 1))
    _open_patient(qtbot, desk)
    assert desk.actions.erase_action is not None
    desk.actions.erase_action.trigger()
    qtbot.waitUntil(lambda: isinstance(desk.actions.dialog, QMessageBox), timeout=10_000)
    question = desk.actions.dialog
    assert isinstance(question, QMessageBox)
    question.button(QMessageBox.StandardButton.Cancel).click()
    assert desk.actions.dialog is None
    assert desk.store.patients.get(desk.patient_id).id == desk.patient_id


def test_the_drafts_the_window_keeps_are_all_found_by_the_export_and_erasure() -> None:
    assert set(DRAFT_KINDS) <= set(DRAFT_KINDS_KEYED_BY_PATIENT)


def test_the_desktop_session_puts_the_entries_in_an_administrators_patient_menu(
    qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]
) -> None:
    store = open_store()
    accounts = Accounts(store.users, Auditor(store.audit, "set-up"))
    owner = accounts.create_owner("sam.okafor", "Sam Okafor", PASSWORD)
    accounts.create_user(owner.actor, "dr.chen", "Dr Chen", Role.CLINICIAN, PASSWORD)
    accounts.change_password(accounts.log_in("dr.chen", PASSWORD).actor, PASSWORD, PASSWORD + " again")
    desktop = DesktopSession(
        store, workstation="room-2", window_factory=lambda records: MainWindow(records, can=records.can, today=today)
    )
    try:
        for user_name, password, offered in (("sam.okafor", PASSWORD, True), ("dr.chen", PASSWORD + " again", False)):
            desktop.start()
            dialog = desktop.entry_dialog
            assert isinstance(dialog, LoginDialog)
            qtbot.keyClicks(dialog.user_name_field, user_name)
            qtbot.keyClicks(dialog.password_field, password)
            qtbot.keyClick(dialog.password_field, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: desktop.window is not None and desktop.window.isVisible(), timeout=10_000)
            window = desktop.window
            assert window is not None
            assert (_menu_texts(window) >= PRIVACY_TEXTS) is offered
            assert bool(PRIVACY_TEXTS & _menu_texts(window)) is offered
            window.close()
            desktop.window = None
    finally:
        if desktop.window is not None:
            desktop.window.close()
        desktop.tasks.shutdown()


def _utc() -> Any:
    from datetime import UTC, datetime

    return datetime(2026, 11, 1, 9, tzinfo=UTC)


# The command line ---------------------------------------------------------------------------------

CLI_USER = "owner"


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A demo database made by the command line (encrypted, with its key file), logged into by $CALFDESK_*."""
    from ui.__main__ import main

    monkeypatch.setenv("CALFDESK_T0", "0")
    monkeypatch.delenv("CALFDESK_DATABASE", raising=False)
    monkeypatch.setenv("CALFDESK_USER", CLI_USER)
    monkeypatch.setenv("CALFDESK_PASSWORD", PASSWORD)
    url = str(tmp_path / "cli.sqlite3")
    assert main(["demo", "--patients", "3", "--database", url]) == 0
    return url


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from ui.__main__ import main

    capsys.readouterr()
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_export_command_writes_every_file_and_names_them(
    capsys: pytest.CaptureFixture[str], cli_database: str, tmp_path: Path
) -> None:
    handout = tmp_path / "handout.pdf"  # a letter finalised and stored through the letter command
    status, _, err = _cli(capsys, "letter", "1", "--template", "handout", "--out", str(handout),
                          "--database", cli_database)  # fmt: skip
    assert (status, err) == (0, "")
    status, out, err = _cli(
        capsys, "patient", "export", "1", "--out", str(tmp_path / "sar"), "--database", cli_database
    )
    assert (status, err) == (0, "")
    (data,) = (tmp_path / "sar").glob("calfdesk-patient-1-*.json")
    stem = data.name.removesuffix(".json")
    (letter,) = (tmp_path / "sar").glob(f"{stem}-letter-CD-*.pdf")
    written = [data, data.with_suffix(".txt"), data.with_suffix(".pdf"), letter]
    assert sorted((tmp_path / "sar").iterdir()) == sorted(written)
    assert out.startswith("Wrote everything held about patient 1 in ")
    assert out.splitlines()[1:] == [f"  {path}" for path in written]
    assert letter.read_bytes() == handout.read_bytes()  # the letter as stored, byte for byte
    patient = json.loads(data.read_text(encoding="utf-8"))["tables"]["patient"][0]
    pdf_text = all_text(data.with_suffix(".pdf").read_bytes())
    assert f"Family name: {patient['family_name']}" in pdf_text and letter.name in pdf_text
    status, _, err = _cli(capsys, "patient", "export", "999", "--out", str(tmp_path / "x"), "--database", cli_database)
    assert (status, err) == (2, "calfdesk: This patient's record no longer exists.\n")


def test_the_erase_command_is_refused_during_retention_and_needs_confirming_after(
    capsys: pytest.CaptureFixture[str], cli_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, err = _cli(capsys, "patient", "erase", "1", "--yes", "--database", cli_database)
    assert status == 2 and out == ""
    assert err.startswith("calfdesk: This record must be kept until ") and "Nothing was erased." in err

    monkeypatch.setattr("ui.cli_patient.local_today", lambda: date(2100, 1, 1))
    status, _, err = _cli(capsys, "patient", "erase", "1", "--database", cli_database)  # no terminal, no --yes
    assert (status, err) == (
        2,
        "calfdesk: Erasure needs confirming: run it in a terminal, or add --yes. Nothing was erased.\n",
    )
    status, out, err = _cli(capsys, "patient", "erase", "1", "--yes", "--database", cli_database)
    assert (status, err) == (0, "")
    assert out.startswith("Erased patient 1: ") and "1 patient" in out
    status, _, err = _cli(capsys, "patient", "export", "1", "--out", "unused", "--database", cli_database)
    assert (status, err) == (2, "calfdesk: This patient's record no longer exists.\n")
