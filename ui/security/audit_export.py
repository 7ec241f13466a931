"""Where an audit export goes, and writing it there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from ui.clock import local_today
from workstation.errors import CalfDeskError

SavePath = Callable[[QWidget], str | None]  # asks where to save; None when the person cancelled


def ask_save_path(parent: QWidget) -> str | None:
    dialog = QFileDialog(parent, "Export the audit trail", f"audit-trail-{local_today().isoformat()}.csv")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter("CSV files (*.csv)")
    dialog.setDefaultSuffix("csv")
    if QGuiApplication.platformName() == "offscreen":
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # no native dialog without a window system
    return dialog.selectedFiles()[0] if dialog.exec() == QDialog.DialogCode.Accepted else None


def write_text(path: str, text: str) -> None:
    """Write ``text`` as UTF-8, exactly: a refusal of the disk becomes a message the user can act on."""
    try:
        # newline="": the rows keep the line endings the export chose (RFC 4180 wants CRLF).
        Path(path).write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise CalfDeskError(
            f"The file could not be saved ({error.strerror or 'an error on the disk'}).",
            hint="Choose another folder, or check there is room on the disk.",
        ) from error
