"""Line edits with a message line under each, for the small account forms.

A field's problems appear once the user has left it (or tried to submit) and go away as soon as the
text is put right, as in the patient form. The rules come from a ``check`` callable, so each dialog
says only what is wrong, never how to show it.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from ui.widgets.field_message import FieldMessageLabel
from workstation.problems import Problem, Severity


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    # No suggestions or auto-capitals: an input method must not learn or alter a password.
    edit.setInputMethodHints(
        Qt.InputMethodHint.ImhSensitiveData
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhNoAutoUppercase
        | Qt.InputMethodHint.ImhHiddenText
    )
    return edit


class ShowPasswordsBox(QCheckBox):
    """Long passphrases are easier to type right when they can be seen, if nobody is looking."""

    def __init__(self, edits: Iterable[QLineEdit], parent: QWidget | None = None) -> None:
        super().__init__("Show passwords", parent)
        self.setObjectName("showPasswords")
        self._edits = list(edits)
        self.toggled.connect(self._on_self_toggled)

    @Slot(bool)
    def _on_self_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in self._edits:
            edit.setEchoMode(mode)


class CheckedFields(QObject):
    changed = Signal()  # any field's text changed
    return_pressed = Signal()  # Enter in any field

    def __init__(self, check: Callable[[], list[Problem]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Held weakly: a bound method of the dialog that owns these fields would make a reference cycle,
        # and Python's collector may clear this object's attributes while Qt still sends it events.
        self._check = weakref.WeakMethod(check) if inspect.ismethod(check) else lambda: check
        self.fields: dict[str, QLineEdit] = {}
        self.messages: dict[str, FieldMessageLabel] = {}
        self._hints: dict[str, str] = {}
        self._keys: dict[QObject, str] = {}
        self._touched: set[str] = set()
        self._reported: dict[str, list[Problem]] = {}  # from a service; kept until their field is edited

    def add_row(self, form: QFormLayout, key: str, label: str, field: QLineEdit, *, hint: str = "") -> None:
        field.setObjectName(f"field_{key}")
        field.setAccessibleName(label)
        field.installEventFilter(self)
        field.textChanged.connect(self._on_field_text_changed)
        field.returnPressed.connect(self.return_pressed)
        message = FieldMessageLabel()
        message.setObjectName(f"message_{key}")
        self.fields[key], self.messages[key], self._keys[field] = field, message, key
        self._hints[key] = hint
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        column.addWidget(message)
        form.addRow(label, cell)

    def text(self, key: str) -> str:
        return self.fields[key].text()

    def message(self, key: str) -> str:
        """What the line under ``key`` says now ("" when hidden)."""
        label = self.messages[key]
        return "" if label.isHidden() else label.message

    def refresh(self) -> list[Problem]:
        """Show the current problems of the fields already left; return every problem."""
        # A service's verdict comes first: it says more than "this field is empty" after a refused password.
        check = self._check()
        problems = [*(p for found in self._reported.values() for p in found), *(check() if check else [])]
        self._display(problems)
        return problems

    def touch_all(self) -> list[Problem]:
        self._touched.update(self.fields)
        return self.refresh()

    def show_problems(self, problems: list[Problem]) -> list[Problem]:
        """Show problems found elsewhere (a service) beside their fields; return those with no field here."""
        self._touched.update(self.fields)
        self._reported = {key: [p for p in problems if p.field == key] for key in self.fields}
        self.refresh()
        return [p for p in problems if p.field not in self.fields]

    def focus_first(self, problems: list[Problem]) -> None:
        for key in self.fields:
            if any(p.field == key for p in problems):
                self.fields[key].setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in self._keys:
            self._touched.add(self._keys[watched])
            self.refresh()
        return super().eventFilter(watched, event)

    def _display(self, problems: list[Problem]) -> None:
        first: dict[str, Problem] = {}
        # Errors before warnings, so the line says what blocks first.
        for problem in sorted(problems, key=lambda p: p.severity is not Severity.ERROR):
            first.setdefault(problem.field, problem)
        for key, label in self.messages.items():
            problem = first.get(key) if key in self._touched else None
            if problem is not None:
                label.show_problem(problem)
            elif self._hints[key]:
                label.show_hint(self._hints[key])
            else:
                label.clear_message()
            self.fields[key].setAccessibleDescription(problem.message if problem else self._hints[key])

    @Slot()
    def _on_field_text_changed(self) -> None:
        key = self._keys.get(self.sender())
        if key is not None:
            self._reported.pop(key, None)
        self.refresh()
        self.changed.emit()
