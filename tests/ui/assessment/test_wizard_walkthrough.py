"""The whole wizard by keyboard, once for each worked case of the engine, on a real database.

Each walk types exactly the worked case's answers (tests/workstation/clinical/test_differential_worked_cases.py)
with Tab, Alt+letters, Y/N, Home/Down in lists, Space on the rep counter, Alt+N and Alt+F, as the owner
(a clinician) logged in. Then the stored assessment must be what was typed and ranked as the case says,
with its observations, no draft left and the finalising audited.

Fields of the worked cases with no widget: none (every contract field they use has one). The patient is
given as ``age_years`` in the cases; the wizard takes the date of birth from the record instead, so the
patient here is born to be that age on the assessment day.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests import dbkit
from tests.ui.assessment.desk import Desk, make_desk, open_wizard, walk_document
from tests.workstation.clinical.test_differential_worked_cases import WORKED_CASES
from workstation.audit.records import AuditEvent
from workstation.clinical.contract import completed_years
from workstation.ports import AuditQuery, ClinicStore

# What the clinician writes for the flags these cases raise (the wizard refuses to finalise without it).
ACTIONS = {
    "dvt": "Phoned GP practice 11:20, same-day DVT clinic booked",
    "bone_stress_injury": "Letter to GP for an MRI; running stopped",
}
WIZARD_KEYS = {"patient", "assessed_on"}  # what the wizard fills in itself, from the record and the day


def _answered(value: Any) -> Any:
    """The contract reads null as "not answered"; the wizard leaves such a key out."""
    if isinstance(value, dict):
        return {key: _answered(item) for key, item in value.items() if item is not None}
    return value


def _ranking(evaluation: dict[str, Any]) -> list[dict[str, Any]]:
    keys = ("condition", "score", "supporting", "opposing")
    return [{key: entry[key] for key in keys} for entry in evaluation["differential"]]


def _walk_and_check(qtbot: QtBot, desk: Desk, condition: str, today: date) -> None:
    document, ranking, low_confidence, flag_codes = WORKED_CASES[condition]
    wizard = open_wizard(qtbot, desk)
    with qtbot.waitSignal(wizard.finished_assessment, timeout=10_000) as finished:
        walk_document(qtbot, wizard, document, impression=condition,
                      actions={code: ACTIONS[code] for code in flag_codes})  # fmt: skip
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=5_000)
    record = finished.args[0]
    store = desk.store

    stored = store.assessments.current_for_patient(desk.patient_id)
    assert [a.id for a in stored] == [record.id]
    typed = json.loads(stored[0].document)
    expected = _answered(document)
    assert {k: v for k, v in typed.items() if k not in WIZARD_KEYS} == {
        k: v for k, v in expected.items() if k not in WIZARD_KEYS
    }
    assert typed["assessed_on"] == today.isoformat()
    born = date.fromisoformat(typed["patient"]["date_of_birth"])
    assert (completed_years(born, today), typed["patient"]["sex"]) == (
        document["patient"]["age_years"],
        document["patient"]["sex"],
    )

    evaluation = json.loads(stored[0].evaluation)
    assert evaluation["differential"][0]["condition"] == condition
    assert _ranking(evaluation) == ranking
    assert evaluation["low_confidence"] is low_confidence
    assert [flag["code"] for flag in evaluation["red_flags"]] == flag_codes

    observations = {(o.code, o.side.value): o.value for o in store.observations.for_patient(desk.patient_id)}
    heel = document.get("heel_raise")
    if heel is not None:
        assert observations[("heel_raise_reps", "left")] == heel["left_reps"]
        assert observations[("heel_raise_reps", "right")] == heel["right_reps"]
        lsi = evaluation["heel_raise"]["lsi_percent"]
        assert observations.get(("heel_raise_lsi", document["symptomatic_side"])) == lsi
    else:
        assert not any(code.startswith("heel_raise") for code, _ in observations)
    assert observations[("wells_score", "none")] == evaluation["wells"]["score"]

    assert desk.session.assessments.draft_for(desk.patient_id, desk.episode_id) is None
    finalised = store.audit.query(AuditQuery(event=AuditEvent.ASSESSMENT_FINALISED, patient_id=desk.patient_id))
    assert [entry.object_id for entry in finalised] == [str(record.id)]

    flags = store.red_flags.for_patient(desk.patient_id)
    assert sorted(f.code for f in flags) == sorted(flag_codes)
    assert all(f.resolved and f.action == ACTIONS[f.code] for f in flags)


@pytest.mark.parametrize("condition", list(WORKED_CASES))
def test_each_worked_case_typed_by_keyboard_is_stored_as_typed_and_ranked_as_worked(
    qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date], condition: str
) -> None:
    document = WORKED_CASES[condition][0]
    patient = document["patient"]
    desk = make_desk(qtbot, open_store(), today, age=patient["age_years"], sex=patient["sex"])
    _walk_and_check(qtbot, desk, condition, today())


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_worked_case_on_postgresql(qtbot: QtBot, database_url: str, today: Callable[[], date]) -> None:
    store = dbkit.open_store(database_url)
    try:
        desk = make_desk(qtbot, store, today, age=45, sex="male")
        _walk_and_check(qtbot, desk, "gastrocnemius_strain", today())
        desk.window.close()
    finally:
        store.close()
        for thread in threading.enumerate():  # PostgreSQL's deadline watchdog ends once idle (db/deadline.py)
            if thread.name == "calfdesk-pg-deadline":
                thread.join(5)
