"""The logo and the signature are shown on white paper with a thin edge, as they print, in a light and a dark
window alike: the dark ink of a see-through PNG must not vanish into a dark window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.settings.conftest import OWNER, ink_on_nothing, log_in
from ui.desktop_session import DesktopSession
from ui.main_window import MainWindow
from ui.settings.clinic_settings_dialog import ClinicSettingsDialog
from ui.settings.image_field import ImageFieldWidget
from ui.settings.letter_details_dialog import LetterDetailsDialog
from ui.settings.paper_preview import PAPER, PAPER_EDGE, on_paper

INK = "#102050"
WINDOWS = {"light": "#efefef", "dark": "#2b2d30"}


def _coloured(widget: QWidget, window_colour: str) -> None:
    widget.setPalette(QPalette(QColor(window_colour), QColor(window_colour)))  # button and window colours


def _open(qtbot: QtBot, window: MainWindow, action_text: str, kind: type[ClinicSettingsDialog | LetterDetailsDialog]
          ) -> ClinicSettingsDialog | LetterDetailsDialog:  # fmt: skip
    next(a for a in window.actions() if a.text() == action_text).trigger()
    dialog = window.findChild(kind)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _choose(field: ImageFieldWidget, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args, **_kwargs: (str(path), ""))
    field.choose_button.click()
    assert field.content == path.read_bytes() and field.preview.has_image


def _close_to(colour: QColor, expected: str) -> bool:
    wanted = QColor(expected)
    return max(abs(colour.red() - wanted.red()), abs(colour.green() - wanted.green()),
               abs(colour.blue() - wanted.blue())) <= 8  # fmt: skip


def _assert_on_paper(field: ImageFieldWidget) -> None:
    """The preview of ``ink_on_nothing`` (240 x 80, ink in rows 30-49) fitted into the field's thumbnail."""
    shown = field.preview.grab().toImage()
    width, height = shown.width(), shown.height()
    assert shown.pixelColor(0, 0) == PAPER_EDGE and shown.pixelColor(width - 1, height - 1) == PAPER_EDGE
    assert shown.pixelColor(2, 2) == PAPER  # the paper's margin, inside its edge
    scale = min((width - 8) / 240, (height - 8) / 80)
    top = (height - 80 * scale) / 2
    assert shown.pixelColor(width // 2, int(top + 10 * scale)) == PAPER  # see-through: the paper shows
    assert _close_to(shown.pixelColor(width // 2, int(top + 40 * scale)), INK)  # and the ink on it


@pytest.mark.parametrize("scheme", sorted(WINDOWS))
def test_a_see_through_logo_is_shown_on_white_paper_in_a_light_and_a_dark_window(
    qtbot: QtBot, desktop: DesktopSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    window = log_in(qtbot, desktop, OWNER)
    dialog = _open(qtbot, window, "&Clinic settings…", ClinicSettingsDialog)
    assert isinstance(dialog, ClinicSettingsDialog)
    _coloured(dialog, WINDOWS[scheme])
    _choose(dialog.logo, ink_on_nothing(tmp_path, "logo.png", INK), monkeypatch)
    assert dialog.grab().toImage().pixelColor(2, 2) == QColor(WINDOWS[scheme])  # the window really is that colour
    _assert_on_paper(dialog.logo)


def test_a_see_through_signature_is_shown_on_white_paper_in_a_dark_window(
    qtbot: QtBot, desktop: DesktopSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = log_in(qtbot, desktop, "dr.chen")
    dialog = _open(qtbot, window, "My letter &details…", LetterDetailsDialog)
    assert isinstance(dialog, LetterDetailsDialog)
    _coloured(dialog, WINDOWS["dark"])
    _choose(dialog.signature, ink_on_nothing(tmp_path, "signature.png", INK), monkeypatch)
    _assert_on_paper(dialog.signature)
    dialog.signature.remove_button.click()  # no image: the palette's own frame and words, no paper
    assert not dialog.signature.preview.has_image
    assert dialog.signature.preview.grab().toImage().pixelColor(40, 40) != PAPER


def test_the_paper_is_drawn_at_the_screens_scale_with_an_edge_one_point_wide() -> None:
    image = QImage(120, 40, QImage.Format.Format_ARGB32)
    image.fill(QColor(INK))
    paper = on_paper(image, QSize(100, 50), 2.0)
    assert paper.devicePixelRatio() == 2.0 and paper.size() == QSize(200, 100)  # device pixels: sharp at 200 %
    drawn = paper.toImage()
    assert drawn.pixelColor(1, 1) == PAPER_EDGE and drawn.pixelColor(2, 2) == PAPER  # two device pixels of edge
    assert drawn.pixelColor(100, 50) == QColor(INK)  # the image, fitted and centred
    assert drawn.pixelColor(100, 12) == PAPER  # above it (its 3:1 shape leaves room on a 2:1 thumbnail)
