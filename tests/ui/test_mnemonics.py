"""Alt+letter does one thing wherever the physio is: no two visible, enabled items of the main window share
a mnemonic. Qt does not choose between two: the first Alt+A only moves the focus to one of them, so "Alt+A
opens the assessment" would silently stop working for an administrator, whose menu bar has Admin. Checked
for the practice owner (every menu) on each of the patient's tabs."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.clock import Clock
from tests.ui.conftest import discard_dialogs
from ui.desktop_session import DesktopSession
from ui.main_window import MainWindow
from workstation.audit.auditor import Auditor
from workstation.ports import ClinicStore
from workstation.records import Episode, Patient, Side
from workstation.services.accounts import Accounts

PASSWORD = "kettle orbit saffron lane"
_MNEMONIC = re.compile(r"&([^&\s])")
TABS = ("Record", "Progress", "Running log", "Letters")


@pytest.fixture
def owner_window(
    qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]
) -> Iterator[MainWindow]:
    store = open_store()
    accounts = Accounts(store.users, Auditor(store.audit, "set-up", Clock()))
    accounts.create_owner("sam.okafor", "Sam Okafor", PASSWORD)
    patient = store.patients.add(Patient("Ada", "Runner", date(1988, 4, 2)))
    assert patient.id is not None
    store.episodes.add(Episode(patient.id, "Calf pain", Side.LEFT, today()))
    desktop = DesktopSession(
        store, workstation="room-2", now=Clock(),
        window_factory=lambda records: MainWindow(records, can=records.can, today=today),
    )  # fmt: skip
    desktop.begin(desktop.accounts.log_in("sam.okafor", PASSWORD))
    qtbot.waitUntil(lambda: desktop.window is not None and desktop.window.isVisible(), timeout=10_000)
    window = desktop.window
    assert window is not None
    window.open_patient(patient.id)
    view = window.patient_view
    qtbot.waitUntil(lambda: view.patient is not None and view.episodes.rowCount() > 0, timeout=10_000)
    view.episode_table.selectRow(0)
    yield window
    discard_dialogs(window)
    window.close()
    desktop.tasks.shutdown()


def _letter(text: str) -> str | None:
    found = _MNEMONIC.search(text)
    return found.group(1).casefold() if found else None


def visible_mnemonics(window: MainWindow) -> dict[str, list[str]]:
    """Each Alt+letter the window answers now, and the texts that carry it."""
    found: dict[str, list[str]] = defaultdict(list)
    for action in window.menuBar().actions():
        if action.isVisible() and (letter := _letter(action.text())):
            found[letter].append(f"menu {action.text()!r}")
    for widget in window.findChildren(QWidget):
        if not (widget.isVisible() and widget.isEnabled()):
            continue
        if isinstance(widget, QAbstractButton) and (letter := _letter(widget.text())):
            found[letter].append(f"button {widget.text()!r}")
        elif isinstance(widget, QLabel) and widget.buddy() is not None and (letter := _letter(widget.text())):
            found[letter].append(f"label {widget.text()!r}")
    return found


@pytest.mark.parametrize("tab", range(len(TABS)), ids=TABS)
def test_no_two_things_in_sight_share_an_alt_letter(qtbot: QtBot, owner_window: MainWindow, tab: int) -> None:
    view = owner_window.patient_view
    view.tabs.setCurrentIndex(tab)
    qtbot.waitUntil(lambda: view.tabs.currentWidget().isVisible(), timeout=5_000)
    QApplication.processEvents()
    clashes = {letter: texts for letter, texts in visible_mnemonics(owner_window).items() if len(texts) > 1}
    assert not clashes, f"Alt+letter shared on the {TABS[tab]} tab: {clashes}"


def test_alt_a_opens_the_assessment_for_the_practice_owner(qtbot: QtBot, owner_window: MainWindow) -> None:
    from ui.assessment.wizard import AssessmentWizard

    view = owner_window.patient_view
    assert view.assess_button.isEnabled()
    owner_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is owner_window, timeout=5_000)
    target = QApplication.focusWidget() or owner_window
    qtbot.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: any(w.isVisible() for w in owner_window.findChildren(AssessmentWizard)), timeout=10_000)
