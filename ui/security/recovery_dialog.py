"""Opening the database with the recovery key when every password is lost (RELIABILITY.md E3).

The practice owner types the key from the printed sheet and chooses a new password for their own
account. A key the services refuse stays in its field, since one mistyped group is the likely cause and
32 characters are tedious to type again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLineEdit, QWidget

from ui.security.account_rules import PasswordProblems, default_password_problems
from ui.security.checked_fields import ShowPasswordsBox, password_edit
from ui.security.form_dialog import FormDialog
from ui.security.owner_setup_dialog import repeat_problems
from ui.tasks import TaskRunner
from workstation.errors import AuthenticationFailed, CalfDeskError
from workstation.problems import Problem

KEY_CHARACTERS = 32  # 8 groups of 4 (db/keyring.py: 160 bits in base32)
KEY_GROUP = 4
SEPARATORS = frozenset(" -\t")

RECOVERY_EXPLANATION = (
    "If every password is lost, the recovery key printed when this database was set up opens it again. "
    "Type it, then choose a new password for the practice owner's account: you are then logged in as the owner."
)
KEY_HINT = "From the printed sheet. Capitals, spaces and dashes do not matter."


def normalised_key(text: str) -> str:
    """The key as printed ("ABCD-EFGH-…"), whatever case, spaces or dashes it was typed with."""
    letters = "".join(ch for ch in text.upper() if ch not in SEPARATORS)
    return "-".join(letters[i : i + KEY_GROUP] for i in range(0, len(letters), KEY_GROUP))


def key_problems(text: str) -> list[Problem]:
    """Only the shape of a key: whether it opens the database is for the services to say."""
    letters = normalised_key(text).replace("-", "")
    if not letters:
        return [Problem("recovery_key", "Type the recovery key from the printed sheet.")]
    if not all(ch.isascii() and ch.isalnum() for ch in letters):
        return [Problem("recovery_key", "A recovery key has only letters and digits, in groups of four.")]
    if len(letters) != KEY_CHARACTERS:
        return [
            Problem(
                "recovery_key",
                f"A recovery key has {KEY_CHARACTERS} letters and digits (8 groups of 4); {len(letters)} typed so far.",
            )
        ]
    return []


class RecoveryDialog(FormDialog):
    recovered = Signal(object)  # what recover returned

    def __init__(
        self,
        recover: Callable[[str, str], Any],
        parent: QWidget | None = None,
        *,
        password_problems: PasswordProblems = default_password_problems,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__("Open with the recovery key", "&Open with the recovery key", parent, tasks=tasks)
        self.setObjectName("recoveryDialog")
        self._recover = recover
        self._password_problems = password_problems
        self.set_intro(RECOVERY_EXPLANATION)
        self.recovery_field = _key_edit()
        self.password_field, self.confirm_field = password_edit(), password_edit()
        self.fields.add_row(self.form, "recovery_key", "Recovery key", self.recovery_field, hint=KEY_HINT)
        self.fields.add_row(
            self.form,
            "password",
            "Owner's new password",
            self.password_field,
            hint="A few unrelated words make a strong password.",
        )
        self.fields.add_row(self.form, "repeat", "Repeat new password", self.confirm_field)
        self.show_passwords = ShowPasswordsBox([self.password_field, self.confirm_field])
        self._finish_layout(self.show_passwords)
        # Wide enough for the messages to sit on one or two lines, in characters so that 200 % scales it.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self.recovery_field.setFocus()

    @property
    def error_text(self) -> str:
        """What the dialog says is wrong now: the banner, else the first field's problem ("" if nothing)."""
        if not self.banner.isHidden():
            return self.banner.text
        for label in self.fields.messages.values():
            if not label.isHidden() and label.is_problem:
                return label.message
        return ""

    def _problems(self) -> list[Problem]:
        password = self.fields.text("password")
        # The owner's names are unknown until the database is open; the services check those.
        return [
            *key_problems(self.fields.text("recovery_key")),
            *self._password_problems(password),
            *repeat_problems(password, self.fields.text("repeat")),
        ]

    def _work(self) -> Callable[[], object]:
        recover, password = self._recover, self.fields.text("password")
        recovery_key = normalised_key(self.fields.text("recovery_key"))
        return lambda: recover(recovery_key, password)

    def _announce(self, result: object) -> None:
        self.recovered.emit(result)

    def _show_failure(self, error: CalfDeskError) -> None:
        if isinstance(error, AuthenticationFailed):
            # Beside the key and kept until it is edited, so the same key is not sent again unchanged.
            self.fields.show_problems([Problem("recovery_key", str(error))])
            self.recovery_field.setFocus(Qt.FocusReason.OtherFocusReason)
            self._update_ok_button()
        else:
            super()._show_failure(error)


def _key_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))  # tells 0 from O, 1 from I
    example = "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"
    edit.setPlaceholderText(example)
    # The whole key in view, so it can be checked group by group against the sheet.
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(example + "XX"))
    # Shown as typed (it is copied from paper), but never learnt or altered by an input method.
    edit.setInputMethodHints(
        Qt.InputMethodHint.ImhSensitiveData
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhPreferUppercase
    )
    edit.setMaxLength(80)  # room for generous spacing, never a pasted essay
    return edit
