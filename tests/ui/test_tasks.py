"""The background-task helper: results and expected failures arrive on the GUI thread; bugs go to the
excepthook; a result for a deleted context is dropped; shutdown waits for running work, drops queued work
and still runs queued work that must finish."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ui.tasks import Lane, TaskRunner
from workstation.errors import CalfDeskError, DatabaseLocked


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def test_result_is_delivered_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    seen: list[tuple[str, str]] = []
    runner.submit(
        lambda: threading.current_thread().name,
        done=lambda worker: seen.append((worker, threading.current_thread().name)),
        failed=pytest.fail,
    )
    qtbot.waitUntil(lambda: bool(seen))
    worker, receiver = seen[0]
    assert worker != threading.main_thread().name
    assert receiver == threading.main_thread().name


def test_expected_failure_goes_to_failed(qtbot: QtBot, runner: TaskRunner) -> None:
    failures: list[CalfDeskError] = []

    def work() -> None:
        raise DatabaseLocked("The database is in use by another program.")

    runner.submit(work, done=pytest.fail, failed=failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], DatabaseLocked)
    assert not runner.busy


def test_a_bug_goes_to_the_excepthook(qtbot: QtBot, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    hooked: list[BaseException] = []
    monkeypatch.setattr("sys.excepthook", lambda kind, error, tb: hooked.append(error))

    def work() -> None:
        raise KeyError("bug")

    runner.submit(work, done=pytest.fail, failed=pytest.fail)
    qtbot.waitUntil(lambda: bool(hooked))
    assert isinstance(hooked[0], KeyError)


def test_result_for_a_deleted_context_is_dropped(qtbot: QtBot, runner: TaskRunner) -> None:
    context = QObject()
    release = threading.Event()
    delivered: list[object] = []
    runner.submit(lambda: release.wait(5), done=delivered.append, failed=pytest.fail, context=context)
    context.deleteLater()
    qtbot.waitUntil(lambda: not _alive(context))
    release.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert delivered == []


def test_database_lane_runs_one_task_at_a_time_in_order(qtbot: QtBot, runner: TaskRunner) -> None:
    order: list[int] = []
    for number in range(5):
        runner.submit(lambda n=number: (time.sleep(0.01), n)[1], done=order.append, failed=pytest.fail)
    qtbot.waitUntil(lambda: len(order) == 5)
    assert order == [0, 1, 2, 3, 4]


def test_compute_lane_is_not_queued_behind_the_database_lane(qtbot: QtBot, runner: TaskRunner) -> None:
    release = threading.Event()
    finished: list[str] = []
    runner.submit(lambda: release.wait(5), done=lambda _: finished.append("database"), failed=pytest.fail)
    runner.submit(lambda: "compute", done=finished.append, failed=pytest.fail, lane=Lane.COMPUTE)
    qtbot.waitUntil(lambda: finished == ["compute"])
    release.set()
    qtbot.waitUntil(lambda: len(finished) == 2)


def test_shutdown_waits_for_running_work_and_refuses_more(runner: TaskRunner) -> None:
    started = threading.Event()
    finished = threading.Event()

    def work() -> None:
        started.set()
        time.sleep(0.05)
        finished.set()

    runner.submit(work, done=lambda _: None, failed=pytest.fail)
    assert started.wait(5)
    assert runner.shutdown()
    assert finished.is_set()
    with pytest.raises(RuntimeError):
        runner.submit(work, done=lambda _: None, failed=pytest.fail)


def test_shutdown_runs_queued_work_that_must_finish_and_drops_the_rest(qtbot: QtBot, runner: TaskRunner) -> None:
    release = threading.Event()
    started = threading.Event()
    ran: list[str] = []
    delivered: list[object] = []

    def blocker() -> None:
        started.set()
        release.wait(5)

    runner.submit(blocker, done=delivered.append, failed=pytest.fail)
    runner.submit(lambda: ran.append("read"), done=delivered.append, failed=pytest.fail)
    runner.submit(lambda: ran.append("save"), done=delivered.append, failed=pytest.fail, must_finish=True)
    runner.submit(lambda: ran.append("another read"), done=delivered.append, failed=pytest.fail)
    runner.submit(lambda: ran.append("later save"), done=delivered.append, failed=pytest.fail, must_finish=True)
    assert started.wait(5)
    threading.Thread(target=_release_once_closed, args=(runner, release)).start()  # while shutdown waits
    assert runner.shutdown()
    assert ran == ["save", "later save"]  # in the order submitted
    assert runner.closed
    qtbot.wait(50)  # the finished signals are queued to the GUI thread: none may reach a callback
    assert delivered == []


def test_work_that_must_finish_reports_back_as_usual_before_shutdown(qtbot: QtBot, runner: TaskRunner) -> None:
    delivered: list[object] = []
    runner.submit(lambda: "stored", done=delivered.append, failed=pytest.fail, must_finish=True)
    qtbot.waitUntil(lambda: delivered == ["stored"])
    assert not runner.busy and not runner.closed


def test_work_that_must_finish_and_fails_while_closing_is_logged_without_a_callback(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    release = threading.Event()
    started = threading.Event()
    failures: list[CalfDeskError] = []

    def blocker() -> None:
        started.set()
        release.wait(5)

    def save() -> None:
        raise DatabaseLocked("The database is in use by another program.")

    runner.submit(blocker, done=lambda _: None, failed=failures.append)
    runner.submit(save, done=pytest.fail, failed=failures.append, must_finish=True)
    assert started.wait(5)
    threading.Thread(target=_release_once_closed, args=(runner, release)).start()
    with caplog.at_level("WARNING", logger="ui.tasks"):
        assert runner.shutdown()
    qtbot.wait(50)
    assert failures == []
    logged = [record.getMessage().rpartition("failed: ")[2] for record in caplog.records]
    assert logged == ["DatabaseLocked: The database is in use by another program."]


def _release_once_closed(runner: TaskRunner, release: threading.Event) -> None:
    for _ in range(500):
        if runner.closed:
            break
        time.sleep(0.01)
    release.set()


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)
