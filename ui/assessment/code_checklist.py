"""A tick-all-that-apply list of contract codes with "None of these": three answers, never two.

Nothing ticked is "not answered" (None); "None of these" is the answer ``[]``; ticking a code clears
"None of these" and the reverse. The contract reads an empty list as "none of these" and an absent one
as unanswered, so the two must never be confused.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget


class CodeChecklist(QWidget):
    """``changed(list | None)`` follows what the user ticks; :meth:`set_codes` (loading) stays silent."""

    changed = Signal(object)

    def __init__(
        self, choices: Sequence[tuple[str, str]], *, prefix: str, columns: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self._loading = False
        self.boxes: dict[str, QCheckBox] = {}
        for index, (code, text) in enumerate(choices):
            check = QCheckBox(text)
            check.setObjectName(f"{prefix}_{code}")
            check.toggled.connect(self._on_code_toggled)
            grid.addWidget(check, index // columns, index % columns)
            self.boxes[code] = check
        self.none_box = QCheckBox("None of these")
        self.none_box.setObjectName(f"{prefix}_none")
        self.none_box.toggled.connect(self._on_none_toggled)
        grid.addWidget(self.none_box, (len(choices) + columns - 1) // columns, 0)
        self.setFocusProxy(next(iter(self.boxes.values())))

    def codes(self) -> list[str] | None:
        chosen = [code for code, check in self.boxes.items() if check.isChecked()]
        return chosen or ([] if self.none_box.isChecked() else None)

    def set_codes(self, value: object) -> None:
        """Show a stored answer: a list of codes, ``[]`` for none of these, anything else as unanswered."""
        self._loading = True
        try:
            chosen = set(value) if isinstance(value, list) else set()
            for code, check in self.boxes.items():
                check.setChecked(code in chosen)
            self.none_box.setChecked(value == [])
        finally:
            self._loading = False

    @Slot(bool)
    def _on_code_toggled(self, checked: bool) -> None:
        if self._loading:
            return
        if checked and self.none_box.isChecked():
            self._quietly(lambda: self.none_box.setChecked(False))
        self.changed.emit(self.codes())

    @Slot(bool)
    def _on_none_toggled(self, checked: bool) -> None:
        if self._loading:
            return
        if checked:
            self._quietly(lambda: [check.setChecked(False) for check in self.boxes.values()])
        self.changed.emit(self.codes())

    def _quietly(self, change: object) -> None:
        self._loading = True
        try:
            change()  # type: ignore[operator]
        finally:
            self._loading = False
