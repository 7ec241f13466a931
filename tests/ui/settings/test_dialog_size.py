"""Clinic settings and My letter details open big enough to show their whole form, never narrower than it
(text cut off, the logo under its buttons) and never bigger than the screen, where the form scrolls; they
grow to make room for a message. At 100 % and 200 % on a 1600 x 1000 screen, and on one too small for them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.ui.assessment import keyboard as kb
from tests.ui.settings.conftest import OWNER, log_in, picture
from tests.ui.settings.layout_checks import layout_faults, on_screen, scroll_bars_shown
from ui.desktop_session import DesktopSession
from ui.main_window import MainWindow
from ui.settings.clinic_settings_dialog import ClinicSettingsDialog
from ui.settings.dialog_fit import FormScrollArea
from ui.settings.letter_details_dialog import LetterDetailsDialog

REPO = Path(__file__).resolve().parents[3]
SCREEN = (1600, 1000)  # the screenshots' virtual screen
DIALOGS = ("clinic", "details")


def _probe(folder: Path, scale: str) -> dict[str, Any]:
    """Both dialogs measured by ``dialog_probe`` in a process of its own, at ``scale`` on ``SCREEN``."""
    width, height = SCREEN
    screen = {"name": "probe", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96,
              "logicalBaseDpi": 96, "dpr": 1}  # fmt: skip
    config = folder / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": False, "screens": [screen]}), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": scale,
           "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}  # fmt: skip
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "HOME"):
        env[name] = str(folder / name.lower())
    done = subprocess.run([sys.executable, "-m", "tests.ui.settings.dialog_probe"], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    measured: dict[str, Any] = json.loads(done.stdout)
    assert measured["warnings"] == []
    return measured


@pytest.mark.parametrize("scale", ["1", "2"])
def test_both_open_whole_at_100_and_200_percent(tmp_path: Path, scale: str) -> None:
    measured = _probe(tmp_path, scale)
    assert measured["screen"] == [SCREEN[0] // int(scale), SCREEN[1] // int(scale)]  # device-independent pixels
    for name in DIALOGS:
        dialog = measured[name]
        assert dialog["faults"] == [], name
        assert dialog["scroll_bars"] == [], name  # all of it shown: nothing to scroll to
        assert all(s >= hint for s, hint in zip(dialog["size"], dialog["size_hint"], strict=True)), (name, dialog)
        assert dialog["on_screen"], name


def test_on_a_screen_too_small_for_them_they_fit_it_and_the_form_scrolls(tmp_path: Path) -> None:
    measured = _probe(tmp_path, "3")  # 533 x 333: smaller than either form
    for name in DIALOGS:
        dialog = measured[name]
        assert dialog["on_screen"] and dialog["buttons_inside"], name  # Save and Cancel always in reach
        assert "vertical" in dialog["scroll_bars"], name
        assert dialog["faults"] == [], name  # the form itself is still laid out whole, in the scroll area


def _assert_whole(qtbot: QtBot, dialog: QDialog, scroll: FormScrollArea) -> None:
    """At least its size hint, on the screen, its form laid out whole with nothing to scroll to."""
    # The scroll area sets its bars once the layout has settled, a moment after the window is first exposed.
    qtbot.waitUntil(lambda: scroll_bars_shown(scroll) == [])
    assert dialog.width() >= dialog.sizeHint().width() and dialog.height() >= dialog.sizeHint().height()
    assert layout_faults(dialog, scroll) == []
    assert on_screen(dialog)


def _clinic(qtbot: QtBot, window: MainWindow) -> ClinicSettingsDialog:
    next(a for a in window.actions() if a.text() == "&Clinic settings…").trigger()
    dialog = window.findChild(ClinicSettingsDialog)
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_clinic_settings_open_whole_and_grow_for_the_messages_of_a_refused_save(
    qtbot: QtBot, desktop: DesktopSession, tmp_path: Path
) -> None:
    window = log_in(qtbot, desktop, OWNER)
    dialog = _clinic(qtbot, window)
    _assert_whole(qtbot, dialog, dialog.form_scroll)
    assert dialog.logo.load_file(picture(tmp_path, "logo.png"))
    kb.focus_on(qtbot, dialog.fields["email"])
    kb.type_text(qtbot, "reception at riverside")
    dialog.logo.set_content(b"GIF89a" + bytes(64))  # as if read from a file the dialog did not check
    before = dialog.height()
    dialog.save()
    qtbot.waitUntil(lambda: dialog.banner.isVisible() and dialog.messages["email"].isVisible(), timeout=10_000)
    _assert_whole(qtbot, dialog, dialog.form_scroll)
    assert dialog.height() > before  # grown for the messages, not scrolled


def test_my_letter_details_open_whole(qtbot: QtBot, desktop: DesktopSession) -> None:
    window = log_in(qtbot, desktop, "dr.chen")
    next(a for a in window.actions() if a.text() == "My letter &details…").trigger()
    dialog = window.findChild(LetterDetailsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    _assert_whole(qtbot, dialog, dialog.form_scroll)
