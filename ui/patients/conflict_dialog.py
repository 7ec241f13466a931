"""Someone else saved this patient or episode while you were editing: reload theirs, or review and keep
yours.

Nothing is decided silently. Keeping your version means seeing, field by field, what theirs says and
what yours says, and then saving over theirs on purpose.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.patients.patient_fields import differences
from workstation.dates import DateOrder
from workstation.records import Patient

EMPTY_VALUE = "(empty)"
Difference = tuple[str, str, str]  # field label, their text, my text


class ConflictChoice(Enum):
    RELOAD_THEIRS = "reload_theirs"
    SAVE_MINE = "save_mine"
    EDIT_MINE = "edit_mine"  # keep typing, and save over their version when ready


class ConflictDialog(QDialog):
    """``rows`` are the fields that differ; ``subject`` names the record ("patient", "episode of care")."""

    def __init__(self, rows: list[Difference], subject: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(f"Someone else changed this {subject}")
        self.choice: ConflictChoice | None = None
        self._subject = subject
        self._pages = QStackedWidget()
        self._pages.addWidget(self._build_choice_page())
        self._pages.addWidget(self._build_review_page(rows))
        layout = QVBoxLayout(self)
        layout.addWidget(self._pages)

    def _build_choice_page(self) -> QWidget:
        text = QLabel(
            f"Someone else saved changes to this {self._subject} after you opened it. "
            "Their version is stored; your changes are not saved yet.\n\n"
            "Reload their version (your changes are discarded), or keep yours and review the "
            "differences before saving."
        )
        text.setWordWrap(True)
        self.reload_button = QPushButton("Reload their version")
        self.reload_button.setObjectName("reloadTheirs")
        self.reload_button.clicked.connect(self._on_reload_clicked)
        self.review_button = QPushButton("Keep mine and review")
        self.review_button.setObjectName("keepMine")
        self.review_button.setDefault(True)
        self.review_button.clicked.connect(self._on_review_clicked)
        buttons = QDialogButtonBox()
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.review_button, QDialogButtonBox.ButtonRole.ActionRole)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(text)
        layout.addStretch(1)
        layout.addWidget(buttons)
        return page

    def _build_review_page(self, rows: list[Difference]) -> QWidget:
        intro = QLabel(
            f"{len(rows)} field{'s differ' if len(rows) != 1 else ' differs'}. Saving yours replaces theirs "
            "for every field below."
            if rows
            else "Their version has the same details as yours. Saving yours changes nothing they entered."
        )
        intro.setWordWrap(True)
        self.differences_grid = QGridLayout()
        bold = QFont(self.font())
        bold.setBold(True)
        for column, title in enumerate(("Field", "Their version (saved)", "Yours (not saved yet)")):
            heading = QLabel(title)
            heading.setFont(bold)
            self.differences_grid.addWidget(heading, 0, column)
        for row, (label, their_text, my_text) in enumerate(rows, start=1):
            for column, text in enumerate((label, their_text or EMPTY_VALUE, my_text or EMPTY_VALUE)):
                cell = QLabel(text)
                cell.setWordWrap(True)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.differences_grid.addWidget(cell, row, column, Qt.AlignmentFlag.AlignTop)
        self.differences_grid.setColumnStretch(1, 1)
        self.differences_grid.setColumnStretch(2, 1)
        self.differences_grid.setRowStretch(len(rows) + 1, 1)
        table = QWidget()
        table.setLayout(self.differences_grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(table)
        return self._review_page(intro, scroll)

    def _review_page(self, intro: QLabel, scroll: QScrollArea) -> QWidget:
        back = QPushButton("Back")
        back.clicked.connect(self._on_back_clicked)
        edit = QPushButton("Edit mine first")
        edit.setObjectName("editMine")
        edit.clicked.connect(self._on_edit_clicked)
        self.save_mine_button = QPushButton("Save mine over theirs")
        self.save_mine_button.setObjectName("saveMine")
        self.save_mine_button.clicked.connect(self._on_save_mine_clicked)
        buttons = QDialogButtonBox()
        buttons.addButton(back, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(edit, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_mine_button, QDialogButtonBox.ButtonRole.ActionRole)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        return page

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()

    @Slot()
    def _on_reload_clicked(self) -> None:
        self._choose(ConflictChoice.RELOAD_THEIRS)

    @Slot()
    def _on_review_clicked(self) -> None:
        self._pages.setCurrentIndex(1)
        self.save_mine_button.setDefault(True)

    @Slot()
    def _on_back_clicked(self) -> None:
        self._pages.setCurrentIndex(0)

    @Slot()
    def _on_edit_clicked(self) -> None:
        self._choose(ConflictChoice.EDIT_MINE)

    @Slot()
    def _on_save_mine_clicked(self) -> None:
        self._choose(ConflictChoice.SAVE_MINE)


def patient_conflict_dialog(
    theirs: Patient, mine: Patient, date_order: DateOrder, parent: QWidget | None = None
) -> ConflictDialog:
    rows = [(field.label, their_text, my_text) for field, their_text, my_text in differences(theirs, mine, date_order)]
    return ConflictDialog(rows, "patient", parent)
