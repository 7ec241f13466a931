"""The recovery key: shown once and not lost by a stray key press, printed or saved as a PDF sheet that
carries it, and typed back in (tolerantly) to open the database with a new owner's password."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontInfo
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import discard_dialogs
from tests.ui.security.fakes import (
    GOOD_PASSWORD,
    Recorder,
    focused,
    password_problems,
    press_enter,
    show_active,
    type_and_tab,
)
from ui.security.login_dialog import LoginDialog
from ui.security.recovery_dialog import RecoveryDialog
from ui.security.recovery_key_dialog import RecoveryKeyDialog
from workstation.errors import AuthenticationFailed, ValidationFailed
from workstation.problems import Problem

KEY = "CKKC-APVC-XTTM-LV4S-IGII-TWFB-ELTN-ULGQ"
TYPED_KEY = "ckkc apvc-xttm lv4s  igiitwfb eltn-ulgq"  # as someone might copy it from paper
NOT_THIS_DATABASE = AuthenticationFailed("This recovery key does not open this database.")


def key_dialog(qtbot: QtBot, context: str = "set-up") -> RecoveryKeyDialog:
    dialog = RecoveryKeyDialog(KEY, context=context)
    show_active(qtbot, dialog)
    return dialog


def pdf_text(path: Path) -> str:
    # scripts/bootstrap.sh installs poppler-utils for the tests: a missing pdftotext is a broken set-up.
    assert shutil.which("pdftotext") is not None, "pdftotext is missing: run scripts/bootstrap.sh test"
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


# The recovery key dialog ---------------------------------------------------------------------------


def test_the_key_is_shown_whole_selectable_and_explained(qtbot: QtBot) -> None:
    dialog = key_dialog(qtbot)
    assert dialog.key_label.text() == KEY
    assert dialog.key_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    assert QFontInfo(dialog.key_label.font()).fixedPitch()  # the font actually used, not only the one asked for
    assert dialog.key_label.font().pointSizeF() > dialog.font().pointSizeF()
    words = " ".join(label.text() for label in dialog.findChildren(type(dialog.key_label)))
    assert "every password is lost" in words
    assert "shown only now" in words
    assert "removable media" in words


def test_continue_waits_for_the_box_and_escape_does_not_lose_the_key(qtbot: QtBot) -> None:
    dialog = key_dialog(qtbot)
    assert not dialog.continue_button.isEnabled()
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    dialog.close()  # the window manager's close goes through reject too
    assert dialog.isVisible()
    dialog.confirm_box.setFocus()
    qtbot.keyClick(dialog.confirm_box, Qt.Key.Key_Space)  # ticked by keyboard alone
    assert dialog.confirm_box.isChecked()
    assert dialog.continue_button.isEnabled()
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_unticking_the_box_disables_continue_again(qtbot: QtBot) -> None:
    dialog = key_dialog(qtbot)
    dialog.confirm_box.setChecked(True)
    dialog.confirm_box.setChecked(False)
    assert not dialog.continue_button.isEnabled()
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert dialog.isVisible()


def test_tab_goes_from_the_buttons_to_the_box_to_continue(qtbot: QtBot) -> None:
    dialog = key_dialog(qtbot)
    dialog.confirm_box.setChecked(True)
    assert focused() is dialog.print_button
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is dialog.save_button
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is dialog.confirm_box
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is dialog.continue_button


def test_each_context_says_why_the_key_is_shown(qtbot: QtBot) -> None:
    dialog = key_dialog(qtbot, "new-key")
    words = " ".join(label.text() for label in dialog.findChildren(type(dialog.key_label)))
    assert "earlier one no longer works" in words
    with pytest.raises(ValueError, match="unknown context"):
        RecoveryKeyDialog(KEY, context="upgrade")


def test_the_pdf_sheet_carries_the_key_and_the_instructions(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = key_dialog(qtbot)
    path = tmp_path / "recovery.pdf"
    dialog.render_sheet(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    assert KEY in text
    assert "every password is lost" in text
    assert "removable media" in text
    assert text.count("\f") == 1  # one page


def test_the_printed_sheet_is_the_same_page(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = key_dialog(qtbot)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # what a print dialog's "print to file" gives
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.print_sheet(printer)
    assert KEY in pdf_text(tmp_path / "printed.pdf")


def test_save_as_pdf_asks_where_and_says_to_move_it_off_this_computer(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = key_dialog(qtbot)
    chosen = tmp_path / "usb" / "key.pdf"
    chosen.parent.mkdir()

    def answer() -> None:
        files = QApplication.activeModalWidget()
        if not isinstance(files, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        files.selectFile(str(chosen))
        files.accept()

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert chosen.stat().st_size > 0
    assert "delete it from this computer" in dialog.banner.text
    assert dialog.isVisible()  # saving is not the promise: the box still has to be ticked


def test_a_pdf_that_cannot_be_written_is_refused_in_plain_words(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = key_dialog(qtbot)
    with pytest.raises(Exception, match="could not be saved"):
        dialog.render_sheet(tmp_path / "no such folder" / "key.pdf")


# The recovery dialog ---------------------------------------------------------------------------


def recovery_dialog(qtbot: QtBot, recover: Recorder) -> RecoveryDialog:
    dialog = RecoveryDialog(recover, password_problems=password_problems)
    show_active(qtbot, dialog)
    return dialog


def fill(qtbot: QtBot, key: str = TYPED_KEY, password: str = GOOD_PASSWORD, repeat: str = GOOD_PASSWORD) -> None:
    type_and_tab(qtbot, key)
    type_and_tab(qtbot, password)
    qtbot.keyClicks(focused(), repeat)


def test_the_typed_key_and_new_password_open_the_database(qtbot: QtBot) -> None:
    opened = object()
    recover = Recorder(opened)
    dialog = recovery_dialog(qtbot, recover)
    assert focused() is dialog.recovery_field
    fill(qtbot)
    assert focused() is dialog.confirm_field
    with qtbot.waitSignal(dialog.recovered) as recovered:
        press_enter(qtbot)
    assert recover.calls == [(KEY, GOOD_PASSWORD)]  # case, spaces and dashes put right
    assert recovered.args == [opened]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_refused_key_is_explained_and_kept(qtbot: QtBot) -> None:
    recover = Recorder("opened", error=NOT_THIS_DATABASE)
    dialog = recovery_dialog(qtbot, recover)
    fill(qtbot)
    press_enter(qtbot)
    assert dialog.isVisible()
    assert dialog.error_text == "This recovery key does not open this database."
    assert dialog.recovery_field.text() == TYPED_KEY
    assert dialog.password_field.text() == GOOD_PASSWORD
    assert focused() is dialog.recovery_field
    assert not dialog.ok_button.isEnabled()  # the same key again would be refused again
    dialog.recovery_field.end(False)
    dialog.recovery_field.backspace()
    qtbot.keyClicks(dialog.recovery_field, "A")  # one group corrected
    assert dialog.error_text == ""
    press_enter(qtbot)
    assert recover.calls[-1] == ("CKKC-APVC-XTTM-LV4S-IGII-TWFB-ELTN-ULGA", GOOD_PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_password_the_services_refuse_is_shown_beside_it(qtbot: QtBot) -> None:
    refused = ValidationFailed([Problem("password", "Do not use your name or user name in your password.")])
    dialog = recovery_dialog(qtbot, Recorder(error=refused))
    fill(qtbot)
    press_enter(qtbot)
    assert dialog.error_text == "Do not use your name or user name in your password."
    assert dialog.fields.message("password") == "Do not use your name or user name in your password."
    assert dialog.recovery_field.text() == TYPED_KEY


def test_mismatched_passwords_are_refused_before_calling(qtbot: QtBot) -> None:
    recover = Recorder("opened")
    dialog = recovery_dialog(qtbot, recover)
    fill(qtbot, repeat=GOOD_PASSWORD + "x")
    assert not dialog.ok_button.isEnabled()
    dialog.submit()
    press_enter(qtbot)
    assert recover.calls == []
    assert dialog.error_text == "The two passwords are not the same."
    assert dialog.isVisible()


def test_the_password_policy_and_key_shape_are_hinted_live(qtbot: QtBot) -> None:
    recover = Recorder("opened")
    dialog = recovery_dialog(qtbot, recover)
    type_and_tab(qtbot, "CKKC-APVC")
    assert dialog.fields.message("recovery_key") == (
        "A recovery key has 32 letters and digits (8 groups of 4); 8 typed so far."
    )
    type_and_tab(qtbot, "short")
    assert dialog.fields.message("password") == "Use at least 15 characters (5 so far)."
    dialog.submit()
    assert recover.calls == []


# The way there from the login dialog ---------------------------------------------------------------


def test_the_login_dialog_offers_the_recovery_key_only_when_asked(qtbot: QtBot) -> None:
    plain = LoginDialog(Recorder())
    show_active(qtbot, plain)
    assert not plain.recovery_button.isVisible()
    offered = LoginDialog(Recorder(), offer_recovery=True)
    show_active(qtbot, offered)
    assert offered.recovery_button.isVisible()
    assert offered.recovery_button.objectName() == "recoveryButton"
    with qtbot.waitSignal(offered.recovery_requested):
        qtbot.mouseClick(offered.recovery_button, Qt.MouseButton.LeftButton)


def test_enter_still_logs_in_when_recovery_is_offered(qtbot: QtBot) -> None:
    log_in = Recorder("login")
    dialog = LoginDialog(log_in, offer_recovery=True)
    show_active(qtbot, dialog)
    type_and_tab(qtbot, "amara")
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    with qtbot.assertNotEmitted(dialog.recovery_requested):
        press_enter(qtbot)
    assert log_in.calls == [("amara", GOOD_PASSWORD)]


def test_the_unlock_prompt_never_offers_recovery(qtbot: QtBot) -> None:
    dialog = LoginDialog(Recorder(), user_name="samo", offer_recovery=True)
    show_active(qtbot, dialog)
    assert not dialog.recovery_button.isVisible()


# Layout, as tests/ui/security/test_layout.py checks the other security windows ---------------------

MAKERS = {
    "recovery key": lambda: RecoveryKeyDialog(KEY),
    "recovery": lambda: RecoveryDialog(Recorder(), password_problems=password_problems),
}


@pytest.mark.parametrize("name", MAKERS)
def test_sizes_follow_the_font_with_nothing_fixed_in_pixels(qtbot: QtBot, name: str) -> None:
    normal, large = MAKERS[name](), MAKERS[name]()
    for widget in (normal, large):
        qtbot.addWidget(widget, before_close_func=discard_dialogs)
    font = large.font()
    font.setPointSizeF(QApplication.font().pointSizeF() * 2)
    large.setFont(font)
    assert large.sizeHint().width() > normal.sizeHint().width()
    assert large.sizeHint().height() > normal.sizeHint().height()
    fixed = [
        child.objectName() or type(child).__name__
        for child in normal.findChildren(QWidget)
        if child.minimumWidth() == child.maximumWidth() or child.minimumHeight() == child.maximumHeight()
    ]
    assert fixed == []
    assert normal.windowTitle() in {"Recovery key", "Open with the recovery key"}
