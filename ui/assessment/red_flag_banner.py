"""Raised red flags, one large coloured card each: the tier in words, what to do now, and the action taken.

Used by the red-flag and summary pages of the wizard, and meant for the patient banner too, where a flag
stays until someone records its action; so it takes the engine's ``RedFlag`` or a stored
``RedFlagRecord`` alike, and reports typed actions through ``action_edited`` instead of saving them
itself (the wizard writes them to the draft, the patient view to the red-flag repository).

Colours are fixed rather than taken from the light or dark palette: a red-flag card should look the same
everywhere. Each text colour passes WCAG AA on its card (white on red 6.6:1, near-black on amber and on
yellow over 10:1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from workstation.assessment.records import NO_ACTION_NEEDED, FlagLine, RedFlagRecord
from workstation.clinical.red_flags import RedFlag

TIER_WORDS = {"emergency": "EMERGENCY", "urgent": "URGENT – SAME DAY", "soon": "SOON"}
_CARD_COLOURS = {  # (background, text)
    "emergency": (QColor("#b71c1c"), QColor("#ffffff")),
    "urgent": (QColor("#ffb74d"), QColor("#1a1a1a")),
    "soon": (QColor("#fff176"), QColor("#1a1a1a")),
}


# A flag as a card shows it: the engine's (no action yet), a stored one, or one of a finalised assessment.
ShownFlag = FlagLine


def shown_flag(flag: RedFlag | RedFlagRecord | FlagLine) -> ShownFlag:
    if isinstance(flag, FlagLine):
        return flag
    if isinstance(flag, RedFlagRecord):
        return ShownFlag(flag.code, flag.tier, flag.message, flag.action or "")
    return ShownFlag(flag.code, flag.tier.code, flag.message, "")


class RedFlagCard(QFrame):
    """One flag. Paints its own background so the colour holds whatever the style or scheme."""

    def __init__(self, flag: ShownFlag, *, with_action: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = flag.code
        self.tier = flag.tier
        self.setObjectName(f"redFlag_{flag.code}")
        background, text = _CARD_COLOURS.get(flag.tier, _CARD_COLOURS["soon"])
        self._background = background
        self.heading = QLabel(TIER_WORDS.get(flag.tier, flag.tier.upper()))
        self.heading.setObjectName("redFlagTier")
        font = QFont(self.heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.heading.setFont(font)
        self.message = QLabel(flag.message)
        self.message.setObjectName("redFlagMessage")
        self.message.setWordWrap(True)
        for label in (self.heading, self.message):
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, text)
            label.setPalette(palette)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        self.action_field: QLineEdit | None = None
        if with_action:
            field = QLineEdit(flag.action)
            field.setObjectName(f"action_{flag.code}")
            field.setPlaceholderText("For example: phoned GP practice 11:20, patient sent to ED")
            field.setAccessibleName(f"Action taken: {flag.message}")
            field.setMaxLength(1000)
            caption = QLabel("Action taken (required before the assessment can be finalised)")
            caption.setBuddy(field)
            palette = caption.palette()
            palette.setColor(QPalette.ColorRole.WindowText, text)
            caption.setPalette(palette)
            layout.addWidget(caption)
            layout.addWidget(field)
            self.action_field = field
        self.setAccessibleName(f"{self.heading.text()}: {flag.message}")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._background)


class RedFlagBanner(QWidget):
    """Hidden while there is no flag. ``action_edited(code, text)`` follows each keystroke in an action field."""

    action_edited = Signal(str, str)

    def __init__(
        self,
        flags: Sequence[RedFlag | RedFlagRecord | FlagLine] = (),
        *,
        with_actions: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("redFlagBanner")
        self._with_actions = with_actions
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.cards: list[RedFlagCard] = []
        self._shown: list[ShownFlag] = []
        self.set_flags(flags)

    def set_flags(
        self, flags: Sequence[RedFlag | RedFlagRecord | FlagLine], actions: Mapping[str, str] | None = None
    ) -> None:
        """Show these flags, most urgent first as given; ``actions`` fills the action fields by code.

        Cards are rebuilt only when the flags themselves change, so typing an action is never interrupted
        by an evaluation that raised the same flags again.
        """
        shown = [shown_flag(flag) for flag in flags]
        if actions:
            shown = [ShownFlag(f.code, f.tier, f.message, actions.get(f.code, f.action)) for f in shown]
        if [(f.code, f.tier, f.message) for f in shown] == [(f.code, f.tier, f.message) for f in self._shown]:
            for card, flag in zip(self.cards, shown, strict=True):
                field = card.action_field
                if field is not None and not field.hasFocus() and field.text() != flag.action:
                    field.setText(flag.action)
        else:
            self._rebuild(shown)
        self._shown = shown
        if not shown:
            self.hide()
        elif self.parentWidget() is not None:  # show() on a widget with no parent would open a window
            self.show()

    def _rebuild(self, shown: list[ShownFlag]) -> None:
        for card in self.cards:
            self._layout.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for flag in shown:
            # "Screen incomplete" is the state of the form, cleared by answering it: nothing to record.
            needs_action = self._with_actions and flag.code not in NO_ACTION_NEEDED
            card = RedFlagCard(flag, with_action=needs_action, parent=self)
            if card.action_field is not None:
                card.action_field.textEdited.connect(lambda text, code=flag.code: self.action_edited.emit(code, text))
            self._layout.addWidget(card)
            self.cards.append(card)

    def card(self, code: str) -> RedFlagCard | None:
        return next((card for card in self.cards if card.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [card.code for card in self.cards]
