"""One finalised letter, read-only: its stored pages as they print, and what can be done with them.

Opened from the Letters tab (Enter or a double-click). The pages are the stored PDF exactly as it was
finalised; nothing here can change it (a correction is a new letter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QImage
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.letters.letter_list import URGENCY_WORDS, finalised_on_text
from ui.letters.letter_preview import LetterPagesWidget
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.dates import DateOrder
from workstation.letters.records import StoredLetter

if TYPE_CHECKING:
    from ui.letters.letter_actions import LetterActions


def phone_call_text(letter: StoredLetter) -> str:
    """The call recorded before an urgent letter, in one line ("" when there was none to record)."""
    call = letter.phone_call
    if call is None:
        return ""
    if call.at is None:
        return f"No call made: {call.not_called_reason}"
    said = f" – {call.outcome}" if call.outcome else ""
    return f"Phoned {call.spoken_to} at {call.at.astimezone():%H:%M}{said}"


def header_text(letter: StoredLetter, date_order: DateOrder) -> str:
    """To whom, when and by whom, its fingerprint, and the call made first, if any."""
    pages = f"{letter.page_count} page{'s' if letter.page_count != 1 else ''}"
    facts = [
        f"To: {letter.recipient}",
        f"Finalised {finalised_on_text(letter, date_order)} by {letter.author_name} · {pages} · "
        f"Urgency: {URGENCY_WORDS.get(letter.urgency, letter.urgency)}",
        f"Reference {letter.reference} · SHA-256 {letter.sha256}",
    ]
    if call := phone_call_text(letter):
        facts.append(call)
    return "\n".join(facts)


def plain(text: str, name: str) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setObjectName(name)
    return label


class LetterViewDialog(QDialog):
    def __init__(
        self,
        letter: StoredLetter,
        images: list[QImage],
        actions: LetterActions,
        parent: QWidget | None = None,
        *,
        date_order: DateOrder = DateOrder.DAY_MONTH_YEAR,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("letterViewDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.letter = letter
        self.setWindowTitle(f"{letter.kind.label} {letter.reference} (finalised, read-only)")
        self.setSizeGripEnabled(True)
        title = plain(letter.kind.label, "letterViewTitle")
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        self.header = plain(header_text(letter, date_order), "letterViewHeader")
        self.pages = LetterPagesWidget()
        self.pages.set_pages(images)
        self.banner = BannerWidget()
        self.status = QLabel()
        self.status.setObjectName("letterViewStatus")
        row = self._buttons(letter, actions)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(title)
        layout.addWidget(self.header)
        layout.addWidget(self.pages, 1)
        layout.addLayout(row)
        self.resize(760, 900)
        self.pages.setFocus()

    def _buttons(self, letter: StoredLetter, actions: LetterActions) -> QHBoxLayout:
        export = QPushButton("E&xport to folder…")
        export.clicked.connect(lambda: actions.export(letter, self))
        print_button = QPushButton("P&rint…")
        print_button.clicked.connect(lambda: actions.print(letter, self))
        viewer = QPushButton("Open in system &viewer")
        viewer.clicked.connect(lambda: actions.open_in_system_viewer(letter, self))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (export, print_button, viewer):
            row.addWidget(button)
        row.addWidget(self.status, 1)
        row.addWidget(close)
        return row

    def show_error(self, text: str) -> None:
        self.status.clear()
        self.banner.show_message(text, Tone.ERROR)

    def show_notice(self, text: str) -> None:
        self.banner.clear()
        self.status.setText(text)
