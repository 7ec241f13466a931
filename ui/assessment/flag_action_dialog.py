"""Recording what was done about a red flag, from the patient banner (the flag then leaves the banner)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from workstation.assessment.records import RedFlagRecord

_TIER_WORDS = {"emergency": "EMERGENCY", "urgent": "URGENT — SAME DAY", "soon": "SOON"}


class FlagActionDialog(QDialog):
    """The flag, what the engine advised, and a box for the action taken; OK only once something is typed."""

    def __init__(self, flag: RedFlagRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flagActionDialog")
        self.setWindowTitle("Record the action taken")
        self.flag = flag
        heading = QLabel(f"<b>{_TIER_WORDS.get(flag.tier, flag.tier.upper())}</b>")
        advice = QLabel(flag.message)
        advice.setWordWrap(True)
        advice.setTextFormat(Qt.TextFormat.PlainText)
        self.action_edit = QPlainTextEdit()
        self.action_edit.setObjectName("flagAction")
        self.action_edit.setPlaceholderText("For example: phoned GP practice 11:20, patient sent to ED")
        self.action_edit.setTabChangesFocus(True)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.action_edit.textChanged.connect(self._on_action_edit_text_changed)
        layout = QVBoxLayout(self)
        for widget in (heading, advice, QLabel("What did you do?"), self.action_edit, self._buttons):
            layout.addWidget(widget)
        self._on_action_edit_text_changed()

    @property
    def action_text(self) -> str:
        return self.action_edit.toPlainText().strip()

    def _on_action_edit_text_changed(self) -> None:
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.action_text))


def ask_for_action(flag: object, launcher: object, parent: QWidget) -> FlagActionDialog | None:
    """Open the dialog for ``flag``; on OK the launcher records the action (on the database thread)."""
    if not isinstance(flag, RedFlagRecord):
        return None
    dialog = FlagActionDialog(flag, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: launcher.resolve(flag, dialog.action_text))  # type: ignore[attr-defined]
    dialog.open()
    return dialog
