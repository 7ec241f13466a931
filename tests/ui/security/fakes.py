"""Plain stand-ins for the services the security widgets call: they record calls and answer as told."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import discard_dialogs
from workstation.audit.records import AuditEntry, AuditEvent, Outcome
from workstation.errors import CalfDeskError
from workstation.problems import Problem
from workstation.security.accounts import Actor, Role, User

GOOD_PASSWORD = "lantern orchard pebble"  # 22 characters
MIN_LENGTH = 15


def password_problems(password: str, *, user_name: str = "", display_name: str = "") -> list[Problem]:
    """A small policy with the core's shape: too short, or containing the user name."""
    if len(password) < MIN_LENGTH:
        return [Problem("password", f"Use at least {MIN_LENGTH} characters ({len(password)} so far).")]
    if user_name and user_name.casefold() in password.casefold():
        return [Problem("password", "Do not use your user name in your password.")]
    return []


@dataclass
class IdleState:
    locked: bool
    warning: bool
    seconds_left: int


def fake_idle_state(last_activity: datetime, now: datetime, timeout: timedelta) -> IdleState:
    """Only used while the core's session_policy does not exist yet."""
    left = max(0, math.ceil((last_activity + timeout - now).total_seconds()))
    return IdleState(locked=left == 0, warning=0 < left <= 60, seconds_left=left)


class FakeClock:
    def __init__(self, start: datetime = datetime(2025, 6, 15, 9, 0, tzinfo=UTC)) -> None:
        self.time = start

    def __call__(self) -> datetime:
        return self.time

    def advance(self, **delta: float) -> None:
        self.time += timedelta(**delta)


@dataclass
class Login:
    actor: Actor
    user: User
    must_change_password: bool = False


class Recorder:
    """A callable that records its arguments, then returns ``result`` or raises ``error`` (once, or always)."""

    def __init__(self, result: Any = None, *, error: CalfDeskError | None = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.result = result
        self.errors: list[CalfDeskError] = [error] if error else []

    def __call__(self, *args: Any) -> Any:
        self.calls.append(args)
        if self.errors:
            raise self.errors.pop(0)
        return self.result(*args) if callable(self.result) else self.result


def user(user_id: int, user_name: str, display_name: str, role: Role = Role.CLINICIAN, **changes: Any) -> User:
    return User(user_name, display_name, role, "$argon2id$fake", id=user_id).with_changes(**changes)


USERS = [
    user(1, "amara", "Amara Singh", Role.ADMIN, is_owner=True),
    user(2, "samo", "Sam O'Neill"),
    user(3, "kit", "Kit Ødegård", Role.RECEPTION, must_change_password=True),
    user(4, "lee", "Lee Park", Role.CLUB, active=False),
]


def entry(sequence: int, event: AuditEvent, minute: int, **fields: Any) -> AuditEntry:
    values: dict[str, Any] = {
        "outcome": Outcome.SUCCESS,
        "user_id": 2,
        "user_name": "samo",
        "role": "clinician",
        "workstation": "ROOM-2",
    }
    values.update(fields)
    return AuditEntry(
        event=event, occurred_at=datetime(2025, 6, 15, 8, minute, 5, tzinfo=UTC), sequence=sequence, **values
    )


ENTRIES = [  # newest first, as the log returns them
    entry(14, AuditEvent.PATIENT_VIEWED, 30, patient_id=42, object_type="patient", object_id="42"),
    entry(13, AuditEvent.LOGIN_FAILED, 20, outcome=Outcome.FAILURE, user_id=None, user_name="smo", role=""),
    entry(12, AuditEvent.PATIENT_UPDATED, 10, user_id=1, user_name="amara", role="admin", patient_id=7),
    entry(11, AuditEvent.LOGIN, 0, detail="workstation ROOM-2"),
]


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_and_tab(qtbot: QtBot, text: str) -> QWidget:
    """Type into whatever has the focus, then Tab on, as a person without a mouse does."""
    widget = focused()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return widget


def press_enter(qtbot: QtBot) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Return)


@dataclass
class Signals:
    """Collects what a signal emitted, for asserting on order and count."""

    seen: list[Any] = field(default_factory=list)

    def record(self, *args: Any) -> None:
        self.seen.append(args[0] if len(args) == 1 else args)


def show_active(qtbot: QtBot, widget: QWidget) -> None:
    """Show ``widget`` and wait until it is the active window, so that the keyboard reaches it.

    At the end of the test it is closed with ``done``, which even a dialog that refuses Escape obeys.
    """
    qtbot.addWidget(widget, before_close_func=discard_dialogs)
    with qtbot.waitActive(widget):
        widget.show()
