"""The squads window on a real SQLite database, as a logged-in person of each role sees it.

A squad of synthetic athletes (``workstation.demo_squads``) is imported through the real service; the
window runs its work on a real task runner (the one database thread). The pseudonym key lives in the
test's folder, never in the user's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests import dbkit
from tests.ui.conftest import discard_dialogs
from ui.squads.squads_window import SquadsWindow
from ui.tasks import TaskRunner
from workstation.audit.auditor import Auditor
from workstation.dates import DateOrder
from workstation.demo_squads import athlete_csv
from workstation.ports import ClinicStore
from workstation.records import Consent
from workstation.security.accounts import Actor, Role
from workstation.services.accounts import Accounts
from workstation.services.session import ClinicSession
from workstation.squads.records import ImportOutcome, ScreeningEntry

PASSWORD = "kettle orbit saffron lane"
SCREENED_ON = date(2026, 6, 12)
JOINED_ON = date(2026, 3, 2)
SEED = 11


@dataclass
class SquadDesk:
    store: ClinicStore  # the same database without the rules, for the test's own checks
    owner: Actor
    auditor: Auditor
    tasks: TaskRunner
    folder: Path
    today: Callable[[], date] = lambda: SCREENED_ON
    windows: list[SquadsWindow] = field(default_factory=list)
    saved: list[tuple[str, Path]] = field(default_factory=list)  # (title, path) the save dialogs were asked

    def session(self, role: Role = Role.ADMIN) -> ClinicSession:
        session = ClinicSession(self.store, replace(self.owner, role=role), self.auditor)
        session.pseudonym_key_path = self.folder / "pseudonym.key"
        return session

    def import_squad(self, count: int = 12, name: str = "Senior women") -> ImportOutcome:
        """``count`` synthetic athletes imported into a new squad (through the real service)."""
        service = self.session().squad_import
        table = service.read(athlete_csv(count, SEED), "athletes.csv")
        preview = service.preview(table, service.suggest_mapping(table), today=self.today())
        return service.commit(preview, name, decisions={}, joined_on=JOINED_ON)

    def share_with_club(self, patient_ids: list[int]) -> None:
        for patient_id in patient_ids:
            patient = self.store.patients.get(patient_id)
            self.store.patients.update(patient.with_changes(club_consent=Consent(True, JOINED_ON)))

    def choose_save(self, answer: Path | None) -> Callable[..., Path | None]:
        def choose(_parent: Any, title: str, suggested: Path, _filters: str) -> Path | None:
            self.saved.append((title, suggested))
            return answer

        return choose


def open_window(
    qtbot: QtBot,
    desk: SquadDesk,
    role: Role = Role.ADMIN,
    *,
    choose_file: Callable[..., Path | None] | None = None,
    choose_save: Callable[..., Path | None] | None = None,
    patients: tuple[Any, Any] | None = None,
) -> SquadsWindow:
    """The squads window of someone with ``role``, shown, with its squads read."""
    session = desk.session(role)
    options: dict[str, Any] = {}
    if choose_file is not None:
        options["choose_file"] = choose_file
    if choose_save is not None:
        options["choose_save"] = choose_save
    window = SquadsWindow(
        session, desk.tasks, DateOrder.DAY_MONTH_YEAR, desk.today, may_write=session.can, patients=patients, **options
    )
    qtbot.addWidget(window, before_close_func=discard_dialogs)
    desk.windows.append(window)
    window.resize(1500, 900)
    window.show()
    qtbot.waitExposed(window)
    window.start()
    qtbot.waitUntil(lambda: not desk.tasks.busy, timeout=10_000)
    return window


def settle(qtbot: QtBot, desk: SquadDesk) -> None:
    """Until every call the window made to the database thread has come back."""
    qtbot.waitUntil(lambda: not desk.tasks.busy, timeout=15_000)


def activate(qtbot: QtBot, widget: Any) -> None:
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window(), timeout=5_000)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[SquadDesk]:
    store: ClinicStore = dbkit.open_store(f"sqlite:///{tmp_path / 'club.sqlite3'}")
    auditor = Auditor(store.audit, "pitch-side")
    owner = Accounts(store.users, auditor).create_owner("sam.okafor", "Sam Okafor", PASSWORD)
    tasks = TaskRunner()
    desk = SquadDesk(store, owner.actor, auditor, tasks, tmp_path)
    yield desk
    for window in desk.windows:  # closed first: closing stores a row still being typed
        discard_dialogs(window)
        window.close()
    tasks.shutdown()
    store.close()


def complete_screening(desk: SquadDesk, squad_id: int, held_on: date, values: list[dict[str, float]]) -> None:
    """A screening of ``held_on`` through the real service: the i-th athlete (list order) gets ``values[i]``."""
    squads = desk.session().squads
    screening = squads.start_screening(squad_id, held_on)
    assert screening.id is not None
    for row, typed in zip(squads.worksheet(screening.id).rows, values, strict=False):
        squads.save_entry(ScreeningEntry(screening.id, row.member.patient_id, typed))
    squads.complete_screening(screening.id, screening.version)
