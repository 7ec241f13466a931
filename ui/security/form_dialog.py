"""The shape every small account form shares: checked fields, one main button, one service call.

The main button is enabled only while nothing blocks. The dialog closes, holding the call's result in
``result_value``, only after the call returned; a refusal keeps every typed character, with problems
beside their fields and anything else in the banner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ui.security.checked_fields import CheckedFields
from ui.security.service_call import call_service
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.errors import CalfDeskError, ValidationFailed
from workstation.problems import Problem, blocking


class FormDialog(QDialog):
    def __init__(self, title: str, ok_text: str, parent: QWidget | None, *, tasks: TaskRunner | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._tasks = tasks
        self._busy = False
        self.result_value: Any = None
        self.banner = BannerWidget()
        self.banner.setObjectName("formBanner")
        self.intro = QLabel()
        self.intro.setObjectName("formIntro")
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields = CheckedFields(self._problems, self)
        self.fields.changed.connect(self._on_fields_changed)
        self.fields.return_pressed.connect(self._on_fields_return_pressed)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    @property
    def busy(self) -> bool:
        return self._busy

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def submit(self) -> None:
        problems = blocking(self.fields.touch_all())
        if problems:
            self.fields.focus_first(problems)
            return
        self.banner.clear()
        self._set_busy(True)
        call_service(
            self._work(), done=self._on_call_done, failed=self._on_call_failed, tasks=self._tasks, context=self
        )

    def reject(self) -> None:
        if not self._busy:  # a call in flight must report back before the dialog goes
            super().reject()

    # The two hooks every form overrides. Not abc.abstractmethod: ABCMeta cannot be combined with the
    # metaclass of Qt's classes, so a form that forgets one fails on first use instead.
    def _problems(self) -> list[Problem]:
        """What is wrong with the typed values now (the subclass's rules)."""
        raise NotImplementedError

    def _work(self) -> Callable[[], object]:
        """The service call with the typed values, run once nothing blocks."""
        raise NotImplementedError

    def _finish_layout(self, *extra: QWidget) -> None:
        """Call at the end of the subclass's constructor, once its rows are in ``form``."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        for widget in extra:
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._update_ok_button()

    def _update_ok_button(self) -> None:
        self.ok_button.setEnabled(not self._busy and not blocking(self.fields.refresh()))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for field in self.fields.fields.values():
            field.setReadOnly(busy)
        self.cancel_button.setEnabled(not busy)
        self._update_ok_button()

    def _on_call_done(self, result: object) -> None:
        self._set_busy(False)
        self.result_value = result
        self._announce(result)
        self.accept()

    def _announce(self, result: object) -> None:
        """Emit the subclass's own signal for a success, before the dialog closes."""

    def _on_call_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        self._show_failure(error)

    def _show_failure(self, error: CalfDeskError) -> None:
        """Problems beside their fields, anything else in the banner; subclasses add their own cases."""
        if isinstance(error, ValidationFailed):
            elsewhere = self.fields.show_problems(error.problems)
            self.fields.focus_first(error.problems)
            if elsewhere:
                self.banner.show_message(" ".join(p.message for p in elsewhere), Tone.ERROR)
            self._update_ok_button()
            return
        self.banner.show_message(str(error), Tone.ERROR)

    def _refuse_password(self, key: str, error: CalfDeskError) -> None:
        """A wrong password: say so beside it, and leave the field empty and focused for the next try."""
        field = self.fields.fields[key]
        field.clear()
        self.fields.show_problems([Problem(key, str(error))])
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_ok_button()

    @Slot()
    def _on_fields_changed(self) -> None:
        self._update_ok_button()
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """A message that wraps to a second line must not be cut off: grow, never shrink under the user."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        wanted = layout.sizeHint()
        if wanted.height() > self.height() or wanted.width() > self.width():
            self.resize(max(wanted.width(), self.width()), max(wanted.height(), self.height()))

    @Slot()
    def _on_fields_return_pressed(self) -> None:
        # With the main button disabled Enter would do nothing; say what is missing instead.
        problems = blocking(self.fields.touch_all())
        if problems:
            self.fields.focus_first(problems)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self.submit()
