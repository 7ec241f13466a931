"""Open Admin › Clinic settings and File › My letter details in a process of their own, at the scale and on the
screen its environment gives Qt, and print as JSON how each was laid out.

The scale (QT_SCALE_FACTOR) must be set before Qt starts, so ``test_dialog_size`` runs this as
``python -m tests.ui.settings.dialog_probe`` with the offscreen plugin's screen set by a config file. The
dialogs are filled as a clinic fills them (the letterhead, a logo, the UK chosen, a signature), over a
window that stands for the main one.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget

from tests.ui.settings.layout_checks import layout_faults, on_screen, scroll_bars_shown
from ui.settings.clinic_settings_changes import ClinicSettingsValues, SaveOutcome
from ui.settings.clinic_settings_dialog import ClinicSettingsDialog
from ui.settings.dialog_fit import FormScrollArea
from ui.settings.letter_details_dialog import LetterDetailsDialog
from workstation.clinical.country import Country
from workstation.letters.records import ClinicianProfile, ClinicProfile

PRACTICE = ClinicProfile(
    "Riverside Physiotherapy and Sports Injury Clinic", "Riverside House\n12 Mill Lane\nBath BA2 4QR",
    "01225 555 0100", "reception@riverside-physio.example", Country.UK,
)  # fmt: skip
CLINICIAN = ClinicianProfile(
    7, "Sam Okafor", registration_body="HCPC", registration_number="PH123456", phone="01225 555 0101",
    email="sam.okafor@riverside-physio.example", version=1,
)  # fmt: skip
_PLUGIN_NOTE = "This plugin does not support propagateSizeHints()"  # the offscreen plugin's, about itself


def main() -> int:
    warnings: list[str] = []

    def keep(mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if mode != QtMsgType.QtDebugMsg and message != _PLUGIN_NOTE:
            warnings.append(message)

    qInstallMessageHandler(keep)
    app = QApplication([sys.argv[0]])
    app.setStyle("Fusion")
    room = app.primaryScreen().availableGeometry().size()
    window = QWidget()  # stands for the main window, which the dialogs open over
    window.resize(room * 0.9)
    window.show()
    clinic = ClinicSettingsDialog(ClinicSettingsValues(_with_logo(PRACTICE), "km"), _refuse_clinic, window)
    details = LetterDetailsDialog(_with_signature(CLINICIAN), lambda p: p, lambda: CLINICIAN, Country.UK, window)
    measured: dict[str, Any] = {"screen": list(room.toTuple())}
    for name, dialog, scroll in (("clinic", clinic, clinic.form_scroll), ("details", details, details.form_scroll)):
        measured[name] = _opened(dialog, scroll)
    measured["warnings"] = warnings
    print(json.dumps(measured))
    return 0


def _opened(dialog: QDialog, scroll: FormScrollArea) -> dict[str, Any]:
    """``dialog`` shown as the app shows it (``open()``), measured, and closed."""
    dialog.open()
    assert QTest.qWaitForWindowExposed(dialog)
    QApplication.processEvents()
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    result = {
        "size": list(dialog.size().toTuple()),
        "size_hint": list(dialog.sizeHint().toTuple()),
        "minimum_hint": list(dialog.minimumSizeHint().toTuple()),
        "on_screen": on_screen(dialog),
        "scroll_bars": scroll_bars_shown(scroll),
        "buttons_inside": dialog.rect().contains(buttons.geometry()),
        "faults": layout_faults(dialog, scroll),
    }
    dialog.done(QDialog.DialogCode.Rejected)
    return result


def _refuse_clinic(before: ClinicSettingsValues, _after: ClinicSettingsValues) -> SaveOutcome:
    return SaveOutcome(before)  # never called: nothing is saved here


def _with_logo(profile: ClinicProfile) -> ClinicProfile:
    return replace(profile, logo=_png(QColor("#1f5fa8"), 480, 160))


def _with_signature(profile: ClinicianProfile) -> ClinicianProfile:
    return replace(profile, signature=_png(QColor("#102050"), 360, 120))


def _png(colour: QColor, width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(colour)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide wants a str
    return bytes(data.data())


if __name__ == "__main__":
    sys.exit(main())
