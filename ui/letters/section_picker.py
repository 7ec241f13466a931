"""Tick the sections a letter includes. A locked section (a red flag is raised) stays ticked and says why,
in words beside it and as its tooltip: it cannot be left off until an action is recorded (RELIABILITY.md J3).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from ui.letters.mnemonics import with_mnemonic
from workstation.letters.records import SectionKey
from workstation.letters.sections import SectionChoice


class SectionPickerWidget(QGroupBox):
    """One check box a section, in print order; ``sections_changed`` whenever a tick changes."""

    sections_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sections", parent)
        self.setObjectName("sectionPicker")
        self._column = QVBoxLayout(self)
        self._column.setSpacing(2)
        self.boxes: dict[SectionKey, QCheckBox] = {}
        self.reasons: dict[SectionKey, QLabel] = {}

    def set_choices(
        self, choices: tuple[SectionChoice, ...], ticked: frozenset[SectionKey], taken_letters: set[str]
    ) -> None:
        """Show ``choices``, ticked as ``ticked`` says (locked ones always); mnemonics avoid ``taken_letters``."""
        while self._column.count():
            item = self._column.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.boxes, self.reasons = {}, {}
        taken = set(taken_letters)
        for choice in choices:
            box = QCheckBox(with_mnemonic(choice.label, taken))
            box.setObjectName(f"section_{choice.key.value}")
            box.setChecked(bool(choice.locked) or choice.key in ticked)
            self._column.addWidget(box)
            self.boxes[choice.key] = box
            if choice.locked:
                self._lock(choice, box)
            box.toggled.connect(self._on_box_toggled)

    def _lock(self, choice: SectionChoice, box: QCheckBox) -> None:
        box.setEnabled(False)
        box.setToolTip(choice.locked)
        reason = QLabel(f"Always included: {choice.locked}")
        reason.setObjectName(f"locked_{choice.key.value}")
        reason.setTextFormat(Qt.TextFormat.PlainText)
        reason.setWordWrap(True)
        reason.setIndent(box.style().pixelMetric(box.style().PixelMetric.PM_IndicatorWidth) + 6)
        font = reason.font()
        font.setItalic(True)
        reason.setFont(font)
        self._column.addWidget(reason)
        self.reasons[choice.key] = reason

    def ticked(self) -> frozenset[SectionKey]:
        return frozenset(key for key, box in self.boxes.items() if box.isChecked())

    def offered(self) -> frozenset[SectionKey]:
        return frozenset(self.boxes)

    def set_enabled_for_editing(self, enabled: bool) -> None:
        """While finalising, or once finalised, nothing changes; locked boxes stay disabled throughout."""
        for key, box in self.boxes.items():
            box.setEnabled(enabled and key not in self.reasons)

    @Slot()
    def _on_box_toggled(self) -> None:
        self.sections_changed.emit()
