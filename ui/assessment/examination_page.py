"""Examination findings: palpation, swelling, the hop test and how loading behaves (the contract's
``examination`` section, plus whether the heel raise reproduced the pain).

These feed the red flags (a one-sided swollen, warm or red calf; focal fibula tenderness) and the
differential; each is yes, no or unanswered, and an unanswered finding is never read as "no".
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget, QWizardPage

from ui.assessment.wizard_state import WizardState
from ui.assessment.yes_no import Accelerators, YesNoField, buddy_label

SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Look and feel",
        (
            ("examination.calf_swelling_warmth_or_redness", "One-sided calf swelling, warmth or redness"),
            ("examination.local_muscle_tenderness", "Local muscle tenderness"),
            ("examination.focal_fibula_tenderness", "Focal bony tenderness over the fibula"),
            ("examination.normal_at_rest", "Examination normal at rest"),
        ),
    ),
    (
        "Loading",
        (
            ("examination.hop_pain", "Pain on single-leg hopping (about 10 hops)"),
            ("examination.straight_knee_loading_worse_than_bent", "Worse loaded with the knee straight than bent"),
            ("examination.bent_knee_loading_worse_than_straight", "Worse or weaker loaded with the knee bent"),
            ("heel_raise.reproduced_symptoms", "The heel-raise test brought on their usual pain"),
        ),
    ),
)
FLAG_NOTE = (
    "A swollen, warm or red calf on one side, or focal tenderness over the fibula, raises a red flag: "
    "the red-flag screen shows what to do."
)


class ExaminationPage(QWizardPage):
    """Yes/no findings, keyboard first: Tab to a question, Y or N, Delete to clear."""

    def __init__(self, state: WizardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("examinationPage")
        self.setTitle("Examination")
        self.setSubTitle("Y for yes, N for no; leave unanswered what you did not examine.")
        self._state = state
        self._loading = False
        self.fields: dict[str, YesNoField] = {}
        keys = Accelerators()
        layout = QVBoxLayout(self)
        for title, questions in SECTIONS:
            box = QGroupBox(title)
            form = QFormLayout(box)
            for path, question in questions:
                field = YesNoField(question)
                field.setObjectName(f"field_{path.split('.')[-1]}")
                field.changed.connect(lambda value, p=path: self._on_field_changed(p, value))
                form.addRow(buddy_label(question, field, keys), field)
                self.fields[path] = field
            layout.addWidget(box)
        note = QLabel(FLAG_NOTE)
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self._loading = True
        for path, field in self.fields.items():
            value = self._state.value(path)
            field.set_value(value if isinstance(value, bool) else None)
        self._loading = False

    @Slot()
    def _on_field_changed(self, path: str, value: bool | None) -> None:
        if not self._loading:
            self._state.edit(path, value)
