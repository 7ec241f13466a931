"""Admin › Clinic settings on a real database: the letterhead, the country and the logo are saved through
the service, each change audited, only what changed is written, and a bad file or a refused value is
marked beside its field with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from tests.ui.assessment import keyboard as kb
from tests.ui.settings.conftest import (
    OWNER,
    check_alt_letters,
    log_in,
    menu_texts,
    not_a_picture,
    picture,
    settings_changes,
    too_big_picture,
)
from ui.desktop_session import DesktopSession
from ui.main_window import MainWindow
from ui.settings.clinic_settings_dialog import ClinicSettingsDialog
from ui.settings.image_field import NO_IMAGE_TEXT
from workstation.clinical.country import Country
from workstation.errors import PermissionDenied
from workstation.ports import ClinicStore

ADDRESS = "Riverside Physiotherapy\n1 High Street\nBath BA1 1AA"


def _open(qtbot: QtBot, desktop: DesktopSession, window: MainWindow) -> ClinicSettingsDialog:
    action = next(a for a in window.actions() if a.text() == "&Clinic settings…")
    action.trigger()
    dialog = window.findChild(ClinicSettingsDialog)
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The system's file dialog answers with ``path`` (a nested event loop would stall the test)."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args, **_kwargs: (str(path), ""))


def _save_and_wait_closed(qtbot: QtBot, window: MainWindow, dialog: ClinicSettingsDialog) -> None:
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: window.findChild(ClinicSettingsDialog) is None)  # closed, and gone


def test_the_letterhead_country_and_logo_are_saved_each_change_audited_and_shown_again(
    qtbot: QtBot, desktop: DesktopSession, open_store: Callable[..., ClinicStore], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = log_in(qtbot, desktop, OWNER)
    store = open_store()  # the same database, for the test's own look at the audit
    dialog = _open(qtbot, desktop, window)
    assert dialog.chosen_country is None and dialog.chosen_unit == "km"
    for key, text in (("name", "Riverside Physiotherapy"), ("phone", "01225 555 0100"),
                      ("email", "reception@riverside-physio.example")):  # fmt: skip
        kb.focus_on(qtbot, dialog.fields[key])  # by its Alt letter
        kb.type_text(qtbot, text)
    dialog.fields["address"].setPlainText(ADDRESS)
    kb.press_mnemonic(qtbot, dialog.country_buttons.buttons()[0])  # Alt+U: United Kingdom
    qtbot.waitUntil(lambda: dialog.chosen_country is Country.UK)
    assert "NHS number" in dialog.findChild(QLabel, "countryEffect").text()
    assert "call 999" in dialog.findChild(QLabel, "countryEffect").text()
    logo = picture(tmp_path, "logo.png")
    _choose_file(monkeypatch, logo)
    dialog.logo.choose_button.click()
    assert dialog.logo.content == logo.read_bytes()
    assert dialog.logo.preview.has_image
    _save_and_wait_closed(qtbot, window, dialog)

    assert desktop.session is not None
    settings = desktop.session.clinic_settings
    profile = settings.profile()
    assert (profile.name, profile.address, profile.phone, profile.email) == (
        "Riverside Physiotherapy", ADDRESS, "01225 555 0100", "reception@riverside-physio.example"
    )
    assert settings.country() is Country.UK
    assert settings.logo() == logo.read_bytes()
    changed = [key for key, _detail in settings_changes(store)]
    assert len(changed) == len(set(changed)) == 6  # name, address, phone, email, country, logo: one entry each
    assert any("country" in key for key in changed) and any("logo" in key for key in changed)
    assert not any("distance" in key for key in changed)  # the unit was not touched, so not written

    again = _open(qtbot, desktop, window)
    assert again.typed() == again.stored
    assert again.fields["name"].text() == "Riverside Physiotherapy"
    assert again.fields["address"].toPlainText() == ADDRESS
    assert again.chosen_country is Country.UK
    assert again.logo.content == logo.read_bytes() and again.logo.preview.text() == ""


def test_save_writes_only_what_changed_and_an_unchanged_form_writes_nothing(
    qtbot: QtBot, desktop: DesktopSession, open_store: Callable[..., ClinicStore]
) -> None:
    window = log_in(qtbot, desktop, OWNER)
    store = open_store()
    dialog = _open(qtbot, desktop, window)
    _save_and_wait_closed(qtbot, window, dialog)
    assert settings_changes(store) == []
    dialog = _open(qtbot, desktop, window)
    kb.focus_on(qtbot, dialog.fields["phone"])
    kb.type_text(qtbot, "01225 555 0199")
    _save_and_wait_closed(qtbot, window, dialog)
    [(key, _detail)] = settings_changes(store)
    assert "phone" in key


def test_a_file_that_is_not_a_picture_or_too_big_is_refused_beside_the_logo_and_nothing_typed_is_lost(
    qtbot: QtBot, desktop: DesktopSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = log_in(qtbot, desktop, OWNER)
    dialog = _open(qtbot, desktop, window)
    kb.focus_on(qtbot, dialog.fields["name"])
    kb.type_text(qtbot, "Riverside Physiotherapy")
    kb.press_mnemonic(qtbot, dialog.country_buttons.buttons()[1])  # Alt+A: Australia
    qtbot.waitUntil(lambda: dialog.chosen_country is Country.AU)

    _choose_file(monkeypatch, not_a_picture(tmp_path))
    dialog.logo.choose_button.click()
    assert dialog.logo.message.isVisible()
    assert dialog.logo.message.message == "letterhead.png is not a PNG or JPEG image: choose one of those."
    assert dialog.logo.content is None and dialog.logo.preview.text() == NO_IMAGE_TEXT

    _choose_file(monkeypatch, too_big_picture(tmp_path))
    dialog.logo.choose_button.click()
    assert dialog.logo.message.message == "huge-logo.png is 1.5 MB: choose a PNG or JPEG of 1 MB or less."
    assert dialog.logo.content is None
    assert dialog.fields["name"].text() == "Riverside Physiotherapy" and dialog.chosen_country is Country.AU

    good = picture(tmp_path, "logo.jpg")
    _choose_file(monkeypatch, good)
    dialog.logo.choose_button.click()
    assert not dialog.logo.message.isVisible() and dialog.logo.content == good.read_bytes()
    _save_and_wait_closed(qtbot, window, dialog)
    assert desktop.session is not None and desktop.session.clinic_settings.logo() == good.read_bytes()


def test_a_logo_the_service_refuses_is_marked_beside_it_while_the_rest_is_saved(
    qtbot: QtBot, desktop: DesktopSession
) -> None:
    window = log_in(qtbot, desktop, OWNER)
    dialog = _open(qtbot, desktop, window)
    kb.focus_on(qtbot, dialog.fields["name"])
    kb.type_text(qtbot, "Riverside Physiotherapy")
    dialog.logo.set_content(b"GIF89a" + bytes(64))  # as if read from a file the dialog did not check
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.logo.message.isVisible(), timeout=10_000)
    assert dialog.isVisible()  # stays open: the logo is not saved
    assert dialog.banner.text == (
        "Saved: the name. Not saved: the logo. Put right what is marked below, then Save again."
    )
    assert dialog.logo.message.message == "The logo must be a PNG or JPEG image; this file is neither."
    assert dialog.fields["name"].text() == "Riverside Physiotherapy"
    assert desktop.session is not None
    assert desktop.session.clinic_settings.profile().name == "Riverside Physiotherapy"
    assert desktop.session.clinic_settings.logo() is None
    assert dialog.stored.profile.name == "Riverside Physiotherapy"  # the next Save writes only the logo


def test_details_the_service_refuses_are_marked_beside_them_and_none_of_them_is_stored(
    qtbot: QtBot, desktop: DesktopSession, open_store: Callable[..., ClinicStore]
) -> None:
    window = log_in(qtbot, desktop, OWNER)
    dialog = _open(qtbot, desktop, window)
    kb.focus_on(qtbot, dialog.fields["name"])
    kb.type_text(qtbot, "Riverside Physiotherapy")
    kb.focus_on(qtbot, dialog.fields["email"])
    kb.type_text(qtbot, "reception at riverside")
    kb.press_mnemonic(qtbot, dialog.unit_buttons.buttons()[1])  # Alt+M: miles
    qtbot.waitUntil(lambda: dialog.chosen_unit == "mi")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.messages["email"].isVisible(), timeout=10_000)
    assert "email address" in dialog.messages["email"].message
    assert not dialog.messages["name"].isVisible()
    assert dialog.fields["email"].text() == "reception at riverside"  # kept as typed, to put right
    assert desktop.session is not None
    assert desktop.session.clinic_settings.profile().name == ""  # the details are checked together
    assert desktop.session.clinic_settings.distance_unit() == "mi"  # another part: saved
    assert [key for key, _ in settings_changes(open_store())] == ["clinic.distance_unit"]
    assert dialog.banner.text == (
        "Saved: the distance unit. Not saved: the name and email. Put right what is marked below, then Save again."
    )


def test_every_field_and_button_has_its_own_alt_letter(qtbot: QtBot, desktop: DesktopSession) -> None:
    window = log_in(qtbot, desktop, OWNER)
    dialog = _open(qtbot, desktop, window)
    buttons = [*dialog.country_buttons.buttons(), *dialog.unit_buttons.buttons(), dialog.logo.choose_button,
               dialog.logo.remove_button]  # fmt: skip
    check_alt_letters(qtbot, dialog, [*dialog.fields.values(), dialog.logo.choose_button], buttons)


def test_only_a_role_that_may_change_clinic_settings_is_offered_them(
    qtbot: QtBot, desktop: DesktopSession
) -> None:
    window = log_in(qtbot, desktop, "dr.chen")
    menus = menu_texts(window)
    assert "Admi&n" not in menus
    assert not any(a.text() == "&Clinic settings…" for a in window.actions())
    assert desktop.session is not None
    with pytest.raises(PermissionDenied):
        desktop.session.clinic_settings.set_country(desktop.session.actor, Country.UK)
    assert desktop.session.clinic_settings.country() is None
