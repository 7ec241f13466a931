"""A running log widget on a real database, as a logged-in clinician sees it (the owner, an administrator)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests import dbkit
from tests.ui.conftest import discard_dialogs
from ui.running.running_log_widget import RunningLogWidget
from ui.tasks import TaskRunner
from workstation.audit.auditor import Auditor
from workstation.clinical.load import DistanceUnit
from workstation.dates import DateOrder
from workstation.ports import AuditQuery, ClinicStore
from workstation.records import Patient, Sex
from workstation.running.records import RunRecord
from workstation.security.accounts import Actor
from workstation.services.accounts import Accounts
from workstation.services.guarded import guard
from workstation.services.running import RunningLogService

PASSWORD = "kettle orbit saffron lane"


@dataclass
class Log:
    store: ClinicStore  # the same database without the rules, for the test's own checks
    actor: Actor
    auditor: Auditor
    tasks: TaskRunner
    widget: RunningLogWidget
    patient_id: int

    def service(self, actor: Actor | None = None) -> RunningLogService:
        return RunningLogService(self.store.running_log, guard(actor or self.actor, self.auditor))

    def stored(self) -> list[RunRecord]:
        return self.store.running_log.for_patient(self.patient_id)

    def show(self, *, unit: DistanceUnit = "km", may_edit: bool = True) -> None:
        self.widget.show_patient(self.patient_id, self.stored(), unit, may_edit)


@pytest.fixture
def make_log(qtbot: QtBot, database_url: str, today: Callable[[], date]) -> Iterator[Callable[..., Log]]:
    """On SQLite and PostgreSQL (``database_url``); the store is closed before the thread check runs."""
    runners: list[TaskRunner] = []
    store: ClinicStore = dbkit.open_store(database_url)

    def make(*, unit: DistanceUnit = "km", may_edit: bool = True, runs: list[RunRecord] | None = None) -> Log:
        auditor = Auditor(store.audit, "room-2")
        owner = Accounts(store.users, auditor).create_owner("sam.okafor", "Sam Okafor", PASSWORD)
        patient = store.patients.add(Patient("Ada", "Runner", date(1987, 1, 1), sex=Sex.FEMALE))
        assert patient.id is not None
        for run in runs or []:
            store.running_log.add(RunRecord(**{**_fields(run), "patient_id": patient.id}))
        tasks = TaskRunner()
        runners.append(tasks)
        log = Log(store, owner.actor, auditor, tasks, None, patient.id)  # type: ignore[arg-type]
        widget = RunningLogWidget(lambda: log.service(), tasks, DateOrder.DAY_MONTH_YEAR, today)
        qtbot.addWidget(widget, before_close_func=discard_dialogs)
        log.widget = widget
        log.show(unit=unit, may_edit=may_edit)
        widget.resize(1200, 700)
        widget.show()
        widget.activateWindow()
        qtbot.waitExposed(widget)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=5_000)
        return log

    yield make
    for tasks in runners:
        tasks.shutdown()
    store.close()
    _join_deadline_watchdogs()


def _join_deadline_watchdogs(seconds: float = 10.0) -> None:
    """PostgreSQL's deadline watchdog ends once idle (db/deadline.py); wait for it, and any it restarted."""
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        watchdogs = [t for t in threading.enumerate() if t.name == "calfdesk-pg-deadline"]
        if not watchdogs:
            return
        for thread in watchdogs:
            thread.join(max(0.0, give_up - time.monotonic()))


def events(log: Log) -> list[str]:
    """The audit's events about the patient (a list query: no server-side cursor left open)."""
    return [entry.event.value for entry in log.store.audit.query(AuditQuery(patient_id=log.patient_id))]


def _fields(run: RunRecord) -> dict[str, object]:
    return {name: getattr(run, name) for name in RunRecord.__dataclass_fields__ if name not in ("id", "uid")}
