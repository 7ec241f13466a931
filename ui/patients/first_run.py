"""What an empty database shows: a welcome and the one thing to do next, not a blank table."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class FirstRunWidget(QWidget):
    add_patient_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRun")
        title = QLabel("No patients yet")
        title.setObjectName("firstRunTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel("CalfDesk keeps your patients, their episodes of care and their assessments in one place.")
        intro.setWordWrap(True)
        self.add_button = QPushButton("Add the first patient (Ctrl+N)")
        self.add_button.setObjectName("addFirstPatient")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_patient_requested)
        demo = QLabel(
            "Just trying CalfDesk out? Run <code>calfdesk demo</code> in a terminal to try it with "
            "made-up patients."
        )
        demo.setObjectName("firstRunDemo")
        demo.setWordWrap(True)
        demo.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for widget in (title, intro, self.add_button, demo):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
            widget.setMaximumWidth(self.fontMetrics().averageCharWidth() * 70)
        layout.insertSpacing(3, self.fontMetrics().height())
        layout.addStretch(3)
