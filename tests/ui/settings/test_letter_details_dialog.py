"""File › My letter details on a real database: saved and shown again, the registration body suggested by
the clinic's country, a stale version refused with the typing kept and the saved one offered, and a bad
signature file refused beside the field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from tests.clock import Clock
from tests.ui.assessment import keyboard as kb
from tests.ui.settings.conftest import OWNER, check_alt_letters, log_in, menu_texts, not_a_picture, picture
from ui.desktop_session import DesktopSession
from ui.main_window import MainWindow
from ui.settings.letter_details_dialog import CONFLICT_MESSAGE, NO_COUNTRY_BODY_HINT, LetterDetailsDialog
from workstation.audit.auditor import Auditor
from workstation.clinical.country import Country
from workstation.ports import ClinicStore
from workstation.services.session import ClinicSession

CLINICIAN = "dr.chen"


def _open(qtbot: QtBot, window: MainWindow) -> LetterDetailsDialog:
    qtbot.waitUntil(lambda: window.findChild(LetterDetailsDialog) is None)  # the last one is gone
    action = next(a for a in window.actions() if a.text() == "My letter &details…")
    action.trigger()
    dialog = window.findChild(LetterDetailsDialog)
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _type(qtbot: QtBot, dialog: LetterDetailsDialog, key: str, text: str) -> None:
    kb.focus_on(qtbot, dialog.fields[key])  # by its Alt letter
    dialog.fields[key].selectAll()
    kb.type_text(qtbot, text)


def _save(dialog: LetterDetailsDialog) -> None:
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()


def _set_country(desktop: DesktopSession, open_store: Callable[..., ClinicStore], clock: Clock,
                 country: Country) -> None:  # fmt: skip
    """The owner chooses the clinic's country (as in Admin › Clinic settings), before the clinician logs in."""
    store = open_store()
    owner = desktop.accounts.log_in(OWNER, "kettle orbit saffron lane")
    ClinicSession(store, owner.actor, Auditor(store.audit, "room-1", clock)).clinic_settings.set_country(
        owner.actor, country
    )


def test_any_clinician_has_my_letter_details_and_reception_has_not(qtbot: QtBot, desktop: DesktopSession) -> None:
    window = log_in(qtbot, desktop, CLINICIAN)
    assert "My letter &details…" in menu_texts(window)["&File"]
    desktop.log_out()
    window = log_in(qtbot, desktop, "ana.lima")
    assert "My letter &details…" not in menu_texts(window)["&File"]


def test_letter_details_are_saved_and_shown_again(
    qtbot: QtBot, desktop: DesktopSession, open_store: Callable[..., ClinicStore], clock: Clock, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _set_country(desktop, open_store, clock, Country.UK)
    window = log_in(qtbot, desktop, CLINICIAN)
    dialog = _open(qtbot, window)
    assert dialog.fields["profession"].text() == "Physiotherapist"
    assert dialog.fields["registration_body"].text() == "HCPC"  # the UK's regulator, offered before a first save
    assert "HCPC" in dialog.body_hint.text()
    _type(qtbot, dialog, "registration_number", "PH123456")
    _type(qtbot, dialog, "phone", "01225 555 0101")
    _type(qtbot, dialog, "email", "mei.chen@nhs.net")
    signature = picture(tmp_path, "signature.png", colour="#ffffff", size=(300, 90))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(signature), ""))
    dialog.signature.choose_button.click()
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        _save(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted

    assert desktop.session is not None
    stored = desktop.session.letters.clinician_profile()
    assert (stored.profession, stored.registration_body, stored.registration_number, stored.phone, stored.email) == (
        "Physiotherapist", "HCPC", "PH123456", "01225 555 0101", "mei.chen@nhs.net"
    )
    assert stored.signature == signature.read_bytes()
    assert stored.version >= 1 and stored.display_name == "Mei Chen"
    again = _open(qtbot, window)
    assert again.fields["registration_number"].text() == "PH123456"
    assert again.signature.content == signature.read_bytes()
    assert again.typed() == again.profile  # nothing changed: Save writes nothing


def test_the_registration_body_hint_follows_the_clinics_country(
    qtbot: QtBot, desktop: DesktopSession, open_store: Callable[..., ClinicStore], clock: Clock
) -> None:
    window = log_in(qtbot, desktop, CLINICIAN)
    dialog = _open(qtbot, window)
    assert dialog.fields["registration_body"].text() == ""  # no country: no guess
    assert dialog.body_hint.text() == NO_COUNTRY_BODY_HINT
    dialog.done(QDialog.DialogCode.Rejected)
    desktop.log_out()
    _set_country(desktop, open_store, clock, Country.AU)
    window = log_in(qtbot, desktop, CLINICIAN)
    dialog = _open(qtbot, window)
    assert dialog.fields["registration_body"].text() == "AHPRA"
    assert "AHPRA" in dialog.body_hint.text()


def test_a_stale_version_is_refused_the_typing_kept_and_the_saved_one_offered(
    qtbot: QtBot, desktop: DesktopSession, open_store: Callable[..., ClinicStore], clock: Clock
) -> None:
    window = log_in(qtbot, desktop, CLINICIAN)
    dialog = _open(qtbot, window)
    # Meanwhile the same clinician saves theirs on another workstation.
    other = open_store()
    login = desktop.accounts.log_in(CLINICIAN, "kettle orbit saffron lane")
    elsewhere = ClinicSession(other, login.actor, Auditor(other.audit, "room-5", clock)).letters
    saved_there = elsewhere.save_clinician_profile(
        replace(elsewhere.clinician_profile(), registration_number="PH999999"), at=clock()
    )
    _type(qtbot, dialog, "registration_number", "PH123456")
    _save(dialog)
    qtbot.waitUntil(lambda: dialog.conflict_banner.isVisible(), timeout=10_000)
    assert dialog.conflict_banner.text == CONFLICT_MESSAGE
    assert dialog.isVisible() and dialog.fields["registration_number"].text() == "PH123456"  # kept
    dialog.load_saved_button.click()
    assert dialog.fields["registration_number"].text() == "PH999999"
    assert dialog.profile.version == saved_there.version and not dialog.conflict_banner.isVisible()
    _type(qtbot, dialog, "registration_number", "PH123457")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        _save(dialog)
    assert elsewhere.clinician_profile().registration_number == "PH123457"


def test_keeping_mine_after_a_conflict_saves_what_was_typed(
    qtbot: QtBot, desktop: DesktopSession, open_store: Callable[..., ClinicStore], clock: Clock
) -> None:
    window = log_in(qtbot, desktop, CLINICIAN)
    dialog = _open(qtbot, window)
    other = open_store()
    login = desktop.accounts.log_in(CLINICIAN, "kettle orbit saffron lane")
    elsewhere = ClinicSession(other, login.actor, Auditor(other.audit, "room-5", clock)).letters
    elsewhere.save_clinician_profile(replace(elsewhere.clinician_profile(), phone="01225 555 0000"), at=clock())
    _type(qtbot, dialog, "phone", "01225 555 0101")
    _save(dialog)
    qtbot.waitUntil(lambda: dialog.conflict_banner.isVisible(), timeout=10_000)
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.keep_mine_button.click()
    assert elsewhere.clinician_profile().phone == "01225 555 0101"


def test_a_value_the_service_refuses_is_shown_beside_its_field_with_the_typing_kept(
    qtbot: QtBot, desktop: DesktopSession
) -> None:
    window = log_in(qtbot, desktop, CLINICIAN)
    dialog = _open(qtbot, window)
    _type(qtbot, dialog, "registration_number", "PH123456")
    _type(qtbot, dialog, "email", "mei.chen at nhs.net")
    _save(dialog)
    qtbot.waitUntil(lambda: dialog.messages["email"].isVisible(), timeout=10_000)
    assert "email address" in dialog.messages["email"].message
    assert dialog.fields["email"].accessibleDescription() == dialog.messages["email"].message
    assert not dialog.messages["registration_number"].isVisible()
    assert dialog.isVisible() and dialog.fields["registration_number"].text() == "PH123456"
    assert desktop.session is not None and desktop.session.letters.clinician_profile().version == 0  # nothing saved


def test_a_signature_file_that_is_not_a_picture_is_refused_beside_it(
    qtbot: QtBot, desktop: DesktopSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = log_in(qtbot, desktop, CLINICIAN)
    dialog = _open(qtbot, window)
    _type(qtbot, dialog, "registration_number", "PH123456")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(not_a_picture(tmp_path)), ""))
    dialog.signature.choose_button.click()
    assert dialog.signature.message.isVisible() and "not a PNG or JPEG" in dialog.signature.message.message
    assert dialog.signature.content is None
    assert dialog.fields["registration_number"].text() == "PH123456"


def test_every_field_and_button_has_its_own_alt_letter(qtbot: QtBot, desktop: DesktopSession) -> None:
    window = log_in(qtbot, desktop, CLINICIAN)
    dialog = _open(qtbot, window)
    buttons = [dialog.signature.choose_button, dialog.signature.remove_button, dialog.load_saved_button,
               dialog.keep_mine_button]  # fmt: skip
    check_alt_letters(qtbot, dialog, [*dialog.fields.values(), dialog.signature.choose_button], buttons)
