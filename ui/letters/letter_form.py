"""The left side of the letter dialog: which document, from which assessment, to whom, which sections, and
the clinician's words. It turns what is on screen into a ``LetterRequest``; it never reads the database.

The recipient starts as the patient's GP (editable); sections and texts start as ``sections_for`` and the
record say. Changing the document or the assessment brings that one's defaults, keeping whatever the
clinician typed over a default.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.letters.letter_words import FIELD_LABELS, LetterWordsWidget
from ui.letters.mnemonics import letters_of
from ui.letters.section_picker import SectionPickerWidget
from workstation.assessment.summary_lines import URGENCY_WORDS
from workstation.dates import DateOrder, format_date
from workstation.letters.records import (
    CarePlanVisit,
    LetterFacts,
    LetterKind,
    LetterRequest,
    Recipient,
)
from workstation.letters.sections import default_request, sections_for
from workstation.letters.wording import CARE_PLAN_VISITS

NO_ASSESSMENT = "No finalised assessment yet"
_FIXED_LABELS = ["D&ocument:", "&Assessment:", "Care-plan &visit:", "&Name:", "Practi&ce:", "Addre&ss:",
                 "Copy to &patient", "&Finalise…"]  # fmt: skip
TAKEN_LETTERS = letters_of(_FIXED_LABELS + FIELD_LABELS)


class LetterFormWidget(QWidget):
    changed = Signal()  # anything that changes the letter's pages
    assessment_chosen = Signal(object)  # an assessment id: the facts must be read again for it
    kind_changed = Signal()

    def __init__(self, date_order: DateOrder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterForm")
        self._order = date_order
        self._facts: LetterFacts | None = None
        self._recipient_default = Recipient()
        self.kind = QComboBox()
        self.kind.setObjectName("letterKind")
        for kind in LetterKind:
            self.kind.addItem(kind.label, kind.value)  # Qt keeps a StrEnum as a plain str
        self.assessment = QComboBox()
        self.assessment.setObjectName("letterAssessment")
        self.visit = QComboBox()
        self.visit.setObjectName("carePlanVisit")
        for visit, words in CARE_PLAN_VISITS.items():
            self.visit.addItem(words[0].upper() + words[1:], visit.value)
        self.recipient_name, self.practice = QLineEdit(), QLineEdit()
        self.recipient_name.setObjectName("recipientName")
        self.practice.setObjectName("recipientPractice")
        self.address = QPlainTextEdit()
        self.address.setObjectName("recipientAddress")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.address.fontMetrics().lineSpacing() * 3 + 14)
        self.sections = SectionPickerWidget()
        self.words = LetterWordsWidget()
        self.copy_to_patient = QCheckBox("Copy to &patient")
        self.copy_to_patient.setObjectName("copyToPatient")
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        top = QFormLayout()
        top.addRow(_buddy("D&ocument:", self.kind), self.kind)
        top.addRow(_buddy("&Assessment:", self.assessment), self.assessment)
        top.addRow(_buddy("Care-plan &visit:", self.visit), self.visit)
        self._top = top
        self.recipient_box = QGroupBox("To (from the patient's GP; change it if the letter goes elsewhere)")
        self.recipient_box.setObjectName("recipientBox")
        recipient = QFormLayout(self.recipient_box)
        recipient.addRow(_buddy("&Name:", self.recipient_name), self.recipient_name)
        recipient.addRow(_buddy("Practi&ce:", self.practice), self.practice)
        recipient.addRow(_buddy("Addre&ss:", self.address), self.address)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.recipient_box)
        layout.addWidget(self.sections)
        layout.addWidget(self.words)
        layout.addWidget(self.copy_to_patient)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.assessment.activated.connect(self._on_assessment_activated)
        self.visit.currentIndexChanged.connect(self.changed)
        for line in (self.recipient_name, self.practice):
            line.textChanged.connect(self.changed)
        self.address.textChanged.connect(self.changed)
        self.sections.sections_changed.connect(self._on_sections_changed)
        self.words.words_changed.connect(self.changed)
        self.copy_to_patient.toggled.connect(self.changed)

    @property
    def facts(self) -> LetterFacts | None:
        return self._facts

    def current_kind(self) -> LetterKind:
        return LetterKind(self.kind.currentData())

    def set_facts(self, facts: LetterFacts, wording: Mapping[str, str]) -> None:
        """The record read for the chosen assessment: offer its sections and defaults."""
        self._facts = facts
        self._fill_assessments(facts)
        self.apply_defaults(wording)

    def apply_defaults(self, wording: Mapping[str, str]) -> None:
        """The current document's sections, recipient and record wording (typed-over texts are kept)."""
        facts, kind = self._facts, self.current_kind()
        if facts is None:
            return
        default = default_request(kind, facts)
        blockers = [self.recipient_name, self.practice, self.address, self.copy_to_patient]
        for widget in blockers:
            widget.blockSignals(True)
        self._set_recipient_default(default.recipient)
        self.copy_to_patient.setChecked(default.copy_to_patient)
        for widget in blockers:
            widget.blockSignals(False)
        self.sections.set_choices(sections_for(kind, facts), default.sections, TAKEN_LETTERS)
        self.words.blockSignals(True)
        self.words.set_defaults(wording)
        self.words.blockSignals(False)
        handout, care_plan = kind is LetterKind.HANDOUT, kind is LetterKind.CARE_PLAN_REPORT
        self.recipient_box.setVisible(not handout)
        self.copy_to_patient.setVisible(not handout)
        self._top.setRowVisible(self.visit, care_plan)
        self._on_sections_changed()

    def _set_recipient_default(self, recipient: Recipient) -> None:
        """Replace each recipient line that still shows the old default; keep what was typed."""
        old = self._recipient_default
        if self.recipient_name.text() == old.name:
            self.recipient_name.setText(recipient.name)
        if self.practice.text() == old.practice:
            self.practice.setText(recipient.practice)
        if self.address.toPlainText() == old.address:
            self.address.setPlainText(recipient.address)
        self._recipient_default = recipient

    def _fill_assessments(self, facts: LetterFacts) -> None:
        self.assessment.blockSignals(True)
        self.assessment.clear()
        newest_first = sorted(facts.assessments, key=lambda a: (a.assessed_on, a.id or 0), reverse=True)
        for index, record in enumerate(newest_first):
            words = URGENCY_WORDS.get(record.urgency, record.urgency)
            latest = " (latest)" if index == 0 else ""
            self.assessment.addItem(f"{format_date(record.assessed_on, self._order)} · {words}{latest}", record.id)
        if not newest_first:
            self.assessment.addItem(NO_ASSESSMENT, None)
        chosen = facts.assessment.id if facts.assessment is not None else None
        self.assessment.setCurrentIndex(max(self.assessment.findData(chosen), 0))
        self.assessment.setEnabled(len(newest_first) > 1)
        self.assessment.blockSignals(False)

    def chosen_assessment_id(self) -> int | None:
        value = self.assessment.currentData()
        return value if isinstance(value, int) else None

    def recipient(self) -> Recipient:
        if self.current_kind() is LetterKind.HANDOUT:
            return Recipient()
        return Recipient(self.recipient_name.text().strip(), self.practice.text().strip(),
                         self.address.toPlainText().strip())  # fmt: skip

    def request(self, uid: str) -> LetterRequest | None:
        """The letter as the form stands (None before the record is read)."""
        facts = self._facts
        if facts is None or facts.patient.id is None:
            return None
        kind = self.current_kind()
        visit = CarePlanVisit(self.visit.currentData())
        return LetterRequest(
            kind=kind,
            patient_id=facts.patient.id,
            assessment_id=self.chosen_assessment_id(),
            recipient=self.recipient(),
            sections=self.sections.ticked(),
            edits=self.words.edits(visit),
            copy_to_patient=self.copy_to_patient.isChecked() and kind is not LetterKind.HANDOUT,
            uid=uid,
        )

    def typed_anything(self) -> bool:
        default = self._recipient_default
        recipient_changed = (self.recipient_name.text(), self.practice.text(), self.address.toPlainText()) != (
            default.name, default.practice, default.address)  # fmt: skip
        return recipient_changed or self.words.typed_anything()

    def set_editable(self, editable: bool) -> None:
        for widget in (self.kind, self.visit, self.copy_to_patient):
            widget.setEnabled(editable)
        self.assessment.setEnabled(editable and self.assessment.count() > 1)
        for line in (self.recipient_name, self.practice):
            line.setReadOnly(not editable)
        self.address.setReadOnly(not editable)
        self.sections.set_enabled_for_editing(editable)
        self.words.set_read_only(not editable)

    @Slot()
    def _on_kind_current_index_changed(self) -> None:
        self.kind_changed.emit()

    @Slot()
    def _on_assessment_activated(self) -> None:
        facts = self._facts
        chosen = self.chosen_assessment_id()
        if facts is not None and chosen != (facts.assessment.id if facts.assessment is not None else None):
            self.assessment_chosen.emit(chosen)

    @Slot()
    def _on_sections_changed(self) -> None:
        self.words.show_sections(self.sections.ticked(), self.sections.offered())
        self.changed.emit()


def _buddy(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
