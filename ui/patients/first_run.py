"""What an empty database shows: a welcome and the one thing to do next, not a blank table."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

_COLUMN_CHARS = 60  # a comfortable line length for the welcome text
_MIN_COLUMN_CHARS = 56


class FirstRunWidget(QWidget):
    add_patient_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRun")
        self.add_button = QPushButton("Add the first patient (Ctrl+N)")
        self.add_button.setObjectName("addFirstPatient")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_patient_requested)
        # Stretch on every side centres the column; the column's own width lets its text wrap.
        grid = QGridLayout(self)
        grid.addWidget(self._column(), 1, 1)
        grid.setRowStretch(0, 2)
        grid.setRowStretch(2, 3)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(2, 1)

    def _column(self) -> QWidget:
        title = _centred_label("No patients yet")
        title.setObjectName("firstRunTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        intro = _centred_label(
            "CalfDesk keeps your patients, their episodes of care and their assessments together, "
            "on this computer."
        )
        demo = _centred_label(
            "Just trying CalfDesk out? Run <code><nobr>calfdesk demo</nobr></code> in a terminal to try it "
            "with made-up patients."
        )
        demo.setObjectName("firstRunDemo")
        demo.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column = QWidget()
        column.setMaximumWidth(self.fontMetrics().averageCharWidth() * _COLUMN_CHARS)
        column.setMinimumWidth(self.fontMetrics().averageCharWidth() * _MIN_COLUMN_CHARS)
        stack = QVBoxLayout(column)
        stack.setSpacing(self.fontMetrics().height())
        stack.addWidget(title)
        stack.addWidget(intro)
        stack.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignHCenter)
        stack.addWidget(demo)
        return column


def _centred_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    return label
