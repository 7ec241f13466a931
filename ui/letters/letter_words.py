"""The clinician's own words in a letter: the request, the impression, what to add, anything else.

Four texts come from the record (the request, the impression, the treatment, the goals): each field shows
the record's wording, ready to change, and only a changed text is sent as an edit (``None`` otherwise, so
the letter keeps the record's words exactly, spelling included). The others add to what the record says
and start empty. A field shows only while its section is ticked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

from workstation.letters.records import CarePlanVisit, LetterEdits, SectionKey

_S = SectionKey


@dataclass(frozen=True, slots=True)
class WordsField:
    key: str  # the LetterEdits field
    label: str  # with its Alt letter
    section: SectionKey | None  # shown while this section is ticked; None: always
    from_record: bool  # prefilled with the record's wording (an unchanged text is sent as None)
    lines: int
    placeholder: str = ""


FIELDS = (
    WordsField("request", "Specific &request:", _S.REQUEST, True, 3),
    WordsField("impression", "Working &impression:", _S.IMPRESSION, True, 2),
    WordsField("history", "More &history:", _S.HISTORY, False, 2, "Added after the history the record gives"),
    WordsField("medication", "&Medication and allergies:", _S.RELEVANT_HISTORY, False, 2, "As reported"),
    WordsField("treatment", "&Treatment so far:", _S.PLAN, True, 2),
    WordsField("goals", "&Goals and concerns:", _S.GOALS, True, 2),
    WordsField("discharge_note", "&Discharge note:", _S.DISCHARGE, False, 2, "Status, advice on recurrence"),
    WordsField("extra", "Anything e&lse:", None, False, 2, "Printed before the signature"),
)  # fmt: skip
FIELD_LABELS = [field.label for field in FIELDS]


class LetterWordsWidget(QGroupBox):
    """``words_changed`` after each keystroke (the dialog debounces the preview)."""

    words_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Your words", parent)
        self.setObjectName("letterWords")
        self.fields: dict[str, QPlainTextEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.reset_buttons: dict[str, QToolButton] = {}
        self._defaults: dict[str, str] = {}
        self._cells: dict[str, QWidget] = {}
        self._form = QFormLayout(self)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for spec in FIELDS:
            self._add(spec)

    def _add(self, spec: WordsField) -> None:
        field = QPlainTextEdit()
        field.setObjectName(f"words_{spec.key}")
        field.setTabChangesFocus(True)  # Tab moves on; a line break is Enter, as in any text box
        field.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        field.setPlaceholderText(spec.placeholder)
        field.setFixedHeight(field.fontMetrics().lineSpacing() * spec.lines + 14)
        field.textChanged.connect(self._on_field_text_changed)
        label = QLabel(spec.label)
        label.setBuddy(field)
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(field)
        if spec.from_record:
            reset = QToolButton()
            reset.setText("Use the record's wording")
            reset.setObjectName(f"reset_{spec.key}")
            reset.setAutoRaise(True)
            reset.setVisible(False)
            reset.clicked.connect(lambda _checked=False, key=spec.key: self.reset(key))
            column.addWidget(reset, 0, Qt.AlignmentFlag.AlignRight)
            self.reset_buttons[spec.key] = reset
        self._form.addRow(label, cell)
        self._cells[spec.key] = cell
        self.fields[spec.key] = field
        self.labels[spec.key] = label

    def set_defaults(self, defaults: Mapping[str, str]) -> None:
        """The record's wording for a new document or assessment. A text the clinician changed is kept;
        one still showing the old default takes the new default."""
        for spec in FIELDS:
            if not spec.from_record:
                continue
            field, old, new = self.fields[spec.key], self._defaults.get(spec.key, ""), defaults.get(spec.key, "")
            if field.toPlainText() == old:
                field.setPlainText(new)
            self._defaults[spec.key] = new
        self._show_reset_buttons()

    def show_sections(self, ticked: frozenset[SectionKey], offered: frozenset[SectionKey]) -> None:
        """Show a field while its section is ticked; hide it with its section (its text is kept)."""
        for spec in FIELDS:
            visible = spec.section is None or (spec.section in offered and spec.section in ticked)
            self._form.setRowVisible(self._cells[spec.key], visible)

    def is_changed(self, key: str) -> bool:
        return self.fields[key].toPlainText().strip() != self._defaults.get(key, "").strip()

    def reset(self, key: str) -> None:
        self.fields[key].setPlainText(self._defaults.get(key, ""))

    def edits(self, care_plan_visit: CarePlanVisit) -> LetterEdits:
        """The edits to send: a from-record text only if changed (else None), the rest as typed."""
        def typed(key: str) -> str:
            return self.fields[key].toPlainText().strip()

        def changed(key: str) -> str | None:
            return typed(key) if self.is_changed(key) else None

        return LetterEdits(
            request=changed("request"), impression=changed("impression"), history=typed("history"),
            medication=typed("medication"), treatment=changed("treatment"), goals=changed("goals"),
            discharge_note=typed("discharge_note"), extra=typed("extra"), care_plan_visit=care_plan_visit,
        )  # fmt: skip

    def typed_anything(self) -> bool:
        """Whether closing would lose words the clinician wrote."""
        return any(self.is_changed(spec.key) if spec.from_record else self.fields[spec.key].toPlainText().strip()
                   for spec in FIELDS)  # fmt: skip

    def set_read_only(self, read_only: bool) -> None:
        for field in self.fields.values():
            field.setReadOnly(read_only)
        for button in self.reset_buttons.values():
            button.setEnabled(not read_only)

    def _show_reset_buttons(self) -> None:
        for key, button in self.reset_buttons.items():
            button.setVisible(self.is_changed(key))

    @Slot()
    def _on_field_text_changed(self) -> None:
        self._show_reset_buttons()
        self.words_changed.emit()
