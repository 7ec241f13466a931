"""Admin › Security settings: the idle-lock timeout, changed only after the admin's password (D5, D6)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from ui.security.password_dialogs import ReauthenticateDialog
from ui.security.service_call import call_service
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.errors import CalfDeskError
from workstation.security.session_policy import IDLE_LOCK_MAX_MINUTES, IDLE_LOCK_MIN_MINUTES

EXPLANATION = (
    "CalfDesk locks itself when nobody has touched the keyboard or mouse for this long, on every "
    "workstation of the practice, and warns a minute before. Shorter is safer in a shared room."
)
REAUTHENTICATION_REASON = "Security settings protect every patient's record. Please confirm your password."


class SecuritySettingsDialog(QDialog):
    idle_minutes_changed = Signal(int)

    def __init__(
        self,
        idle_minutes: int,
        change_idle_minutes: Callable[[int], None],
        reauthenticate: Callable[[str], None],
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("securitySettingsDialog")
        self.setWindowTitle("Security settings")
        self._change = change_idle_minutes
        self._reauthenticate = reauthenticate
        self._tasks = tasks
        self._stored = idle_minutes
        self.banner = BannerWidget()
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setObjectName("field_idle_lock_minutes")
        self.idle_minutes.setAccessibleName("Lock after idle minutes")
        self.idle_minutes.setRange(IDLE_LOCK_MIN_MINUTES, IDLE_LOCK_MAX_MINUTES)
        self.idle_minutes.setSuffix(" minutes")
        self.idle_minutes.setValue(idle_minutes)
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Lock after", self.idle_minutes)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.idle_minutes.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        minutes = self.idle_minutes.value()
        if minutes == self._stored:
            self.accept()
            return
        confirm = ReauthenticateDialog(self._reauthenticate, REAUTHENTICATION_REASON, self, tasks=self._tasks)
        confirm.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        confirm.accepted.connect(lambda: self._save(minutes))
        self.reauthentication = confirm
        confirm.open()

    def _save(self, minutes: int) -> None:
        change = self._change
        call_service(
            lambda: change(minutes),
            done=lambda _result: self._on_saved(minutes),
            failed=self._on_save_failed,
            tasks=self._tasks,
            context=self,
        )

    def _on_saved(self, minutes: int) -> None:
        self._stored = minutes
        self.idle_minutes_changed.emit(minutes)
        self.accept()

    def _on_save_failed(self, error: CalfDeskError) -> None:
        self.banner.show_message(str(error), Tone.ERROR)
