"""Test-only: the real window in its own process, typing an assessment by keyboard, then waiting to be killed.

``python -m tests.e2e.assessment_driver URL PATIENT_ID`` logs in as the test owner (the key file slot that
tests/dbkit.py makes), opens the patient's episode in the wizard and types the values of ``TYPED`` on
several pages. It never finalises and never closes: the test kills it (SIGKILL) once the draft is saved.
It gives up by itself after ``GIVE_UP_MS``, so a test that died cannot leave it running.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

TODAY = date(2025, 6, 15)
GIVE_UP_MS = 120_000
LEFT_REPS = 12
NPRS_NOW = 4
# What the driver types, as the draft must hold it (document paths).
TYPED = {
    "history.onset": "gradual",
    "symptomatic_side": "left",
    "history.pain_builds_predictably_in_run": True,
    "red_flags.wells.active_cancer": False,
    "red_flags.dvt_suspected": False,
    "heel_raise.left_reps": LEFT_REPS,
    "history.nprs_now": NPRS_NOW,
}


class Keys:
    """The few qtbot calls the keyboard helpers use, for a process without pytest."""

    def keyClick(
        self, widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        QTest.keyClick(widget, key, modifier)

    def keyClicks(self, widget: QWidget, text: str) -> None:
        QTest.keyClicks(widget, text)

    def waitUntil(self, condition: Callable[[], object], timeout: int = 5_000) -> None:
        waited = 0
        while not condition():
            if waited > timeout:
                raise TimeoutError("the window did not get there in time")
            QTest.qWait(10)
            waited += 10

    def addWidget(self, widget: QWidget, **_options: object) -> None:
        pass


def main(url: str, patient_id: int) -> None:
    from tests import dbkit
    from tests.ui.assessment import keyboard as kb
    from tests.ui.assessment.desk import Desk, choose_onset, go_to, open_wizard, page
    from ui.main_window import MainWindow
    from workstation.audit.auditor import Auditor
    from workstation.services.session import ClinicSession

    app = QApplication(sys.argv[:1])
    QTimer.singleShot(GIVE_UP_MS, app.quit)
    opened = dbkit.open_as(url, dbkit.TEST_OWNER, dbkit.TEST_PASSWORD)
    store = opened.store
    session = ClinicSession(store, opened.login.actor, Auditor(store.audit, "e2e"))
    window = MainWindow(session, can=session.can, today=lambda: TODAY)
    window.show()
    keys: Any = Keys()  # stands in for qtbot in the keyboard helpers
    keys.waitUntil(lambda: window.directory.ready, timeout=20_000)
    patient = store.patients.get(patient_id)
    desk = Desk(store, session, window, patient, store.episodes.for_patient(patient_id)[0])
    wizard = open_wizard(keys, desk)

    history = page(wizard, "history")
    choose_onset(keys, history, "gradual")
    kb.choose(keys, history.fields["symptomatic_side"], "left")
    kb.answer_yes_no(keys, history.fields["history.pain_builds_predictably_in_run"], True)
    go_to(keys, wizard, "red_flags")
    red_flags = page(wizard, "red_flags")
    for field in [*red_flags.wells_fields.values(), *red_flags.question_fields.values()]:
        kb.answer_yes_no(keys, field, False)
    go_to(keys, wizard, "heel_raise")
    kb.tab_to(keys, page(wizard, "heel_raise").counter.tallies["left"])
    for _ in range(LEFT_REPS):
        kb.press(keys, Qt.Key.Key_Space)
    go_to(keys, wizard, "outcomes")
    kb.type_number(keys, page(wizard, "outcomes").nprs["history.nprs_now"], NPRS_NOW)
    print("typed", flush=True)  # the last value is saved by the 2 s autosave; the test watches the database
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
