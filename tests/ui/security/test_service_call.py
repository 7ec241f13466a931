"""Service calls: at once without a runner, on the database thread with one; the widgets wait for the
answer without freezing, and cannot be closed while a call is in flight."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.ui.security.fakes import GOOD_PASSWORD, USERS, Login, focused, press_enter, show_active, type_and_tab
from ui.security.login_dialog import LoginDialog
from ui.security.service_call import call_service
from ui.tasks import TaskRunner
from workstation.errors import AuthenticationFailed, CalfDeskError
from workstation.security.accounts import Actor, Role

LOGIN = Login(Actor(2, "samo", Role.CLINICIAN), USERS[1])


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def test_without_a_runner_the_call_happens_at_once() -> None:
    seen: list[object] = []
    call_service(lambda: 7, done=seen.append, failed=pytest.fail)
    assert seen == [7]


def test_an_expected_failure_arrives_without_its_traceback() -> None:
    failures: list[CalfDeskError] = []

    def work() -> None:
        raise AuthenticationFailed("The user name or password is wrong.")

    call_service(work, done=pytest.fail, failed=failures.append)
    assert str(failures[0]) == "The user name or password is wrong."
    assert failures[0].__traceback__ is None  # its frames would keep the calling widgets alive


def test_a_bug_is_not_taken_for_an_expected_failure() -> None:
    def work() -> None:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        call_service(work, done=pytest.fail, failed=pytest.fail)


def test_with_a_runner_the_call_runs_on_the_database_thread(qtbot: QtBot, tasks: TaskRunner) -> None:
    seen: list[str] = []
    context = QObject()
    call_service(
        lambda: threading.current_thread().name, done=seen.append, failed=pytest.fail, tasks=tasks, context=context
    )
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0] != threading.main_thread().name


def test_a_login_on_the_database_thread_keeps_the_dialog_until_the_answer(qtbot: QtBot, tasks: TaskRunner) -> None:
    release = threading.Event()

    def log_in(user_name: str, password: str) -> Login:
        release.wait(5)
        return LOGIN

    dialog = LoginDialog(log_in, tasks=tasks)
    show_active(qtbot, dialog)
    type_and_tab(qtbot, "samo")
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    press_enter(qtbot)
    assert dialog.busy
    assert dialog.password_field.isReadOnly()
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # a call in flight must report back first
    assert dialog.isVisible()
    release.set()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert dialog.result_value is LOGIN
