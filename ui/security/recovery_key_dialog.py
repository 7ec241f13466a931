"""Showing the practice owner the database's recovery key, once (RELIABILITY.md E3).

The key is never stored, so this dialog is the only chance to keep it: it cannot be dismissed by a stray
Escape before the owner has said it is printed or written down. The printed sheet and the PDF are drawn
from the same document, and carry the key, the date and the instructions, never patient data.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, Qt, Slot
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.clock import local_today
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.errors import CalfDeskError

CONTEXTS = {
    "set-up": "The practice's database is ready, and it is encrypted.",
    "encrypted": "The practice's database is now encrypted.",
    "new-key": "A new recovery key has been made. The earlier one no longer works: destroy any copy of it.",
}
WHAT_IT_IS = "This recovery key opens this practice's database if every password is lost."
SHOWN_ONCE = "It is shown only now: CalfDesk does not store it anywhere and cannot show it again."
KEEP_IT_SAFE = (
    "Print it or write it down, and keep the paper locked away, not on or near this computer. "
    "Anyone who has the key can open every record in the database."
)
PDF_WARNING = (
    "A saved PDF must go onto removable media, such as a USB stick that is then locked away. "
    "Never leave it on this computer."
)
HOW_TO_USE = (
    'To use it, choose "Forgotten every password? Use the recovery key…" in the CalfDesk login window, '
    "type the key, and choose a new password for the practice owner."
)
ONLY_COPY = "CalfDesk keeps no copy of this key: this sheet, or a copy written by hand, is the only one."
SHEET_TITLE = "CalfDesk recovery key"
SHEET_KEY_POINTS = 18  # fits the 39 characters of a key across A4 or Letter inside 20 mm margins
SHEET_MARGIN_MM = 20


class RecoveryKeyDialog(QDialog):
    """``context``: "set-up", "encrypted" or "new-key", which says why a key is being shown now."""

    def __init__(self, recovery_key: str, parent: QWidget | None = None, *, context: str = "set-up") -> None:
        super().__init__(parent)
        if context not in CONTEXTS:
            raise ValueError(f"unknown context {context!r}; expected one of {sorted(CONTEXTS)}")
        self.setObjectName("recoveryKeyDialog")
        self.setWindowTitle("Recovery key")
        # No close button: the only way out is Continue, once the key is kept (see reject).
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self._recovery_key = recovery_key
        self._context = context
        self.banner = BannerWidget()
        self.banner.setObjectName("recoveryKeyBanner")
        self.key_label = QLabel(recovery_key)
        self.print_button = QPushButton("&Print…")
        self.save_button = QPushButton("Save as P&DF…")
        self.confirm_box = QCheckBox("I have printed or &written down the recovery key")
        self.continue_button = QPushButton("&Continue")
        self._build()

    @property
    def confirmed(self) -> bool:
        return self.confirm_box.isChecked()

    def reject(self) -> None:
        # Escape and the window manager's close would lose the key for good: only once it is kept.
        if self.confirmed:
            super().reject()

    def render_sheet(self, path: Path) -> None:
        """Write the one-page sheet as a PDF at ``path``.

        Raises:
            CalfDeskError: the file cannot be written there.
        """
        try:
            path.open("wb").close()  # QPdfWriter fails silently; this says why in the disk's own words
        except OSError as error:
            raise CalfDeskError(
                f"The PDF could not be saved ({error.strerror or 'an error on the disk'}).",
                hint="Choose another place, such as a USB stick.",
            ) from error
        writer = QPdfWriter(str(path))
        writer.setTitle(SHEET_TITLE)
        writer.setCreator("CalfDesk")
        writer.setResolution(300)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        margins = QMarginsF(*(SHEET_MARGIN_MM,) * 4)
        writer.setPageMargins(margins, QPageLayout.Unit.Millimeter)
        self._paint_sheet(writer)

    def print_sheet(self, printer: QPrinter) -> None:
        """Draw the sheet on ``printer``, as set up by the print dialog."""
        self._paint_sheet(printer)

    def _paint_sheet(self, device: QPagedPaintDevice) -> None:
        document = QTextDocument()
        # Lay out for the device, not the screen, so that point sizes come out as points on paper.
        document.documentLayout().setPaintDevice(device)
        document.setDefaultFont(QFont(QGuiApplication.font().family(), 11))
        document.setHtml(sheet_html(self._recovery_key, local_today()))
        area = device.pageLayout().paintRectPixels(device.resolution())
        document.setPageSize(QSizeF(area.width(), area.height()))
        painter = QPainter()
        if not painter.begin(device):
            raise CalfDeskError(
                "The recovery key sheet could not be printed.", hint="Check the printer, then try again."
            )
        try:
            document.drawContents(painter)
        finally:
            painter.end()

    def _build(self) -> None:
        heading = QLabel("Keep this recovery key safe")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        intro = _wrapped(f"{CONTEXTS[self._context]} {WHAT_IT_IS}")
        self._build_key_label()
        keep = _wrapped(f"{SHOWN_ONCE} {KEEP_IT_SAFE}")
        pdf_note = _wrapped(PDF_WARNING)
        pdf_note.setObjectName("pdfWarning")
        self.print_button.setObjectName("printButton")
        self.save_button.setObjectName("savePdfButton")
        self.confirm_box.setObjectName("confirmKept")
        self.continue_button.setObjectName("continueButton")
        self.continue_button.setEnabled(False)
        self.continue_button.setDefault(True)
        buttons = QDialogButtonBox()
        buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        self.confirm_box.toggled.connect(self.continue_button.setEnabled)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        actions = QHBoxLayout()
        actions.addWidget(self.print_button)
        actions.addWidget(self.save_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        for widget in (self.banner, heading, intro, self.key_label, keep):
            layout.addWidget(widget)
        layout.addLayout(actions)
        layout.addWidget(pdf_note)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(self.confirm_box)
        layout.addStretch(1)
        layout.addWidget(buttons)
        # In reading order: the key (to select it), what to do with it, then the promise and the way out.
        for first, second in (
            (self.key_label, self.print_button),
            (self.print_button, self.save_button),
            (self.save_button, self.confirm_box),
            (self.confirm_box, self.continue_button),
        ):
            QWidget.setTabOrder(first, second)
        self.print_button.setFocus()

    def _build_key_label(self) -> None:
        self.key_label.setObjectName("recoveryKey")
        self.key_label.setAccessibleName("Recovery key")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(self.font().pointSizeF() * 1.6)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setTextFormat(Qt.TextFormat.PlainText)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.key_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Room above and below, in lines of text, so the key stands apart from the words around it.
        margin = self.fontMetrics().height() // 2
        self.key_label.setContentsMargins(margin * 2, margin, margin * 2, margin)

    @Slot()
    def _on_print_button_clicked(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(SHEET_TITLE)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the recovery key")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._try(lambda: self.print_sheet(printer), "The recovery key sheet went to the printer.")

    @Slot()
    def _on_save_button_clicked(self) -> None:
        path = ask_pdf_path(self)
        if path is None:
            return
        done = f"Saved to {path}. Move it onto removable media now, and delete it from this computer."
        self._try(lambda: self.render_sheet(path), done)

    def _try(self, work: Callable[[], None], success: str) -> None:
        try:
            work()
        except CalfDeskError as error:
            self.banner.show_message(str(error), Tone.ERROR)
            return
        self.banner.show_message(success, Tone.NOTICE)


def ask_pdf_path(parent: QWidget) -> Path | None:
    """Where to save the sheet; None when the person cancelled."""
    dialog = QFileDialog(parent, "Save the recovery key as PDF", "calfdesk-recovery-key.pdf")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter("PDF files (*.pdf)")
    dialog.setDefaultSuffix("pdf")
    if QGuiApplication.platformName() == "offscreen":
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # no native dialog without a window system
    return Path(dialog.selectedFiles()[0]) if dialog.exec() == QDialog.DialogCode.Accepted else None


def sheet_html(recovery_key: str, made_on: date) -> str:
    """The printed sheet: the key, the date and what to do with it."""
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    points = "".join(f"<li>{html.escape(text)}</li>" for text in (ONLY_COPY, KEEP_IT_SAFE, HOW_TO_USE))
    return (
        f"<h1>{SHEET_TITLE}</h1>"
        f"<p>Made on {made_on.day} {made_on:%B %Y}.</p>"
        # In a box, so that it is the first thing the eye finds on the page.
        '<table border="1" cellspacing="0" cellpadding="12" width="100%"><tr><td align="center">'
        f"<span style=\"font-family: '{html.escape(mono)}'; font-size: {SHEET_KEY_POINTS}pt; font-weight: bold;\">"
        f"{html.escape(recovery_key)}</span></td></tr></table>"
        # Written in by hand: a practice with two databases must know which one this sheet opens.
        "<p>Practice and computer: ______________________________________</p>"
        f"<p>{html.escape(WHAT_IT_IS)}</p>"
        f"<ul>{points}</ul>"
        "<p>If a new recovery key is made later, this one stops working: destroy this sheet then.</p>"
        f"<p><i>{html.escape(PDF_WARNING)}</i></p>"  # for the same sheet kept as a file
    )


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label
