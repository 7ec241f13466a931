"""A wizard killed with SIGKILL mid-assessment leaves a draft with every typed value, resumed on the next open.

The real window runs in its own process (tests/e2e/assessment_driver.py) and types on several pages; the
test watches the database until the draft holds every value, kills the process, then opens the wizard
again in this process and finds the values in the widgets.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests import dbkit
from tests.e2e.assessment_driver import LEFT_REPS, NPRS_NOW, TODAY, TYPED
from tests.ui.assessment.desk import Desk, go_to, open_wizard, page
from tests.ui.conftest import discard_dialogs
from ui.main_window import MainWindow
from workstation.assessment.draft import DRAFT_KIND, AssessmentDraft
from workstation.audit.auditor import Auditor
from workstation.records import Episode, Patient, Sex, Side
from workstation.services.accounts import Accounts
from workstation.services.session import ClinicSession

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

REPO = Path(__file__).resolve().parents[2]
SAVED_WITHIN_S = 60.0  # generous: the draft is saved within 2 s of the last key, on a loaded machine too


def _environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "HOME"):
        env[name] = str(home / name.lower())
    return env


def _prepare(url: str) -> tuple[int, int, int]:
    """The test owner (dbkit's key-file slot), one patient with one episode. Returns their ids."""
    store = dbkit.open_store(url)
    try:
        owner = Accounts(store.users, Auditor(store.audit, "set-up")).create_owner(
            dbkit.TEST_OWNER, "Sam Okafor", dbkit.TEST_PASSWORD
        )
        patient = store.patients.add(Patient("Ada", "Runner", date(1987, 1, 1), sex=Sex.FEMALE))
        assert patient.id is not None
        episode = store.episodes.add(Episode(patient.id, "Calf pain", Side.NONE, TODAY))
        assert episode.id is not None
        return owner.actor.user_id, patient.id, episode.id
    finally:
        store.close()


def _saved_draft(url: str, user_id: int) -> AssessmentDraft | None:
    store = dbkit.open_store(url, read_only=True)
    try:
        drafts = [d for d in store.drafts.for_user(user_id) if d.kind == DRAFT_KIND]
    finally:
        store.close()
    return AssessmentDraft.from_payload(drafts[0].payload) if drafts else None


def _holds_everything(draft: AssessmentDraft | None) -> bool:
    return draft is not None and all(draft.get(path) == value for path, value in TYPED.items())


def _wait_for_everything_saved(process: subprocess.Popen[str], url: str, user_id: int) -> AssessmentDraft:
    deadline = time.monotonic() + SAVED_WITHIN_S
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the app ended by itself: {process.communicate()}"
        draft = _saved_draft(url, user_id)
        if _holds_everything(draft):
            assert draft is not None
            return draft
        time.sleep(0.1)  # polling, not a guess at how long the save takes
    process.kill()
    out, err = process.communicate()
    raise AssertionError(f"the draft never held every typed value: {_saved_draft(url, user_id)}\n{out}\n{err}")


def _values(draft: AssessmentDraft) -> dict[str, Any]:
    return {path: draft.get(path) for path in TYPED}


def test_a_killed_wizard_leaves_a_draft_with_every_typed_value_that_the_next_open_resumes(
    qtbot: QtBot, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    user_id, patient_id, episode_id = _prepare(url)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.assessment_driver", url, str(patient_id)],
        env=_environment(tmp_path), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        saved = _wait_for_everything_saved(process, url, user_id)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        out, err = process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert "Traceback" not in err, err
    assert "typed" in out

    # A fresh start: the draft is there for this person, as the killed process left it.
    store = dbkit.open_store(url)
    try:
        login = Accounts(store.users, Auditor(store.audit, "room-2")).log_in(dbkit.TEST_OWNER, dbkit.TEST_PASSWORD)
        session = ClinicSession(store, login.actor, Auditor(store.audit, "room-2"))
        found = session.assessments.draft_for(patient_id, episode_id)
        assert found is not None
        assert _values(found) == TYPED
        assert found.to_payload() == saved.to_payload()

        window = MainWindow(session, can=session.can, today=lambda: TODAY)
        qtbot.addWidget(window, before_close_func=discard_dialogs)
        window.show()
        qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
        desk = Desk(store, session, window, store.patients.get(patient_id), store.episodes.for_patient(patient_id)[0])
        wizard = open_wizard(qtbot, desk)

        assert wizard.state.draft.to_payload() == found.to_payload()  # resumed, not a new assessment
        history = page(wizard, "history")
        assert history.onset_buttons["gradual"].isChecked()
        assert history.fields["symptomatic_side"].currentData() == "left"
        assert history.fields["history.pain_builds_predictably_in_run"].value() is True
        go_to(qtbot, wizard, "red_flags")
        red_flags = page(wizard, "red_flags")
        assert red_flags.wells_fields["active_cancer"].value() is False
        assert red_flags.question_fields["dvt_suspected"].value() is False
        assert red_flags.isComplete()
        go_to(qtbot, wizard, "heel_raise")
        assert page(wizard, "heel_raise").counter.count("left") == LEFT_REPS
        go_to(qtbot, wizard, "outcomes")
        assert page(wizard, "outcomes").nprs["history.nprs_now"].value() == NPRS_NOW
        assert json.loads(wizard.state.draft.to_payload())["document"]["history"]["onset"] == "gradual"
        window.close()
    finally:
        store.close()
