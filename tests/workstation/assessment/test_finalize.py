"""What a finalised assessment stores is exactly what was typed (issue 6, item 7)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.workstation.assessment import DETAIL, DOCUMENT, complete_draft, evaluation_of
from workstation.assessment.finalize import assessment_record_of, observations_of
from workstation.assessment.observation_codes import OBSERVATION_CODES
from workstation.records import Side


def _observations(draft):
    return observations_of(draft, evaluation_of(draft), patient_id=7, episode_id=3, recorded_by=12)


def test_every_typed_measure_is_stored_as_typed_with_its_unit_and_side():
    stored = {(o.code, o.side): (o.value, o.unit) for o in _observations(complete_draft())}
    assert stored == {
        ("heel_raise_reps", Side.LEFT): (18.0, "reps"),
        ("heel_raise_reps", Side.RIGHT): (31.0, "reps"),
        ("heel_raise_bent_reps", Side.LEFT): (14.0, "reps"),
        ("heel_raise_bent_reps", Side.RIGHT): (27.0, "reps"),
        ("knee_to_wall_cm", Side.LEFT): (9.0, "cm"),
        ("knee_to_wall_cm", Side.RIGHT): (11.5, "cm"),
        ("straight_knee_deg", Side.LEFT): (31.5, "deg"),
        ("straight_knee_deg", Side.RIGHT): (36.0, "deg"),
        ("nprs_now", Side.NONE): (2.0, "0-10"),
        ("nprs_worst_24h", Side.NONE): (5.0, "0-10"),
        ("nprs_during_run", Side.NONE): (6.0, "0-10"),
        ("psfs_mean", Side.NONE): (5.0, "0-10"),  # (4 + 3 + 8) / 3
        ("lefs_total", Side.NONE): (61.0, "0-80"),
        ("wells_score", Side.NONE): (-2.0, "points"),  # nine "no", alternative diagnosis "yes"
        ("heel_raise_lsi", Side.LEFT): (58.1, "%"),  # 18 / 31 = 58.06 %, on the involved (left) side
    }
    assert {code for code, _ in stored} == set(OBSERVATION_CODES)


def test_each_observation_carries_the_day_patient_episode_recorder_and_protocol():
    observations = _observations(complete_draft())
    assert {(o.patient_id, o.episode_id, o.recorded_by, o.observed_on) for o in observations} == {
        (7, 3, 12, date(2026, 11, 20))
    }
    protocol = {(o.code, o.side): o.protocol for o in observations}
    assert protocol[("heel_raise_reps", Side.LEFT)] == (
        "10° incline at 60 bpm, knee straight, cadence 60 bpm, incline 10°, barefoot, stopped by pain"
    )
    assert protocol[("heel_raise_reps", Side.RIGHT)] == (
        "10° incline at 60 bpm, knee straight, cadence 60 bpm, incline 10°, barefoot, stopped by fatigue"
    )
    assert protocol[("heel_raise_bent_reps", Side.LEFT)] == (
        "10° incline at 60 bpm, knee bent, cadence 60 bpm, incline 10°, barefoot"
    )
    assert protocol[("knee_to_wall_cm", Side.RIGHT)] == "barefoot"
    assert protocol[("psfs_mean", Side.NONE)] == "mean of 3 activities"
    assert protocol[("nprs_now", Side.NONE)] == ""


def test_a_bent_knee_angle_and_a_self_paced_test_are_recorded():
    draft = complete_draft()
    draft.set("heel_raise.protocol", "flat_floor")
    draft.detail["heel_raise"] = {"cadence_bpm": None, "knee_angle_deg": 30, "bent_left_reps": 20}
    bent = [o for o in _observations(draft) if o.code == "heel_raise_bent_reps"]
    assert [(o.side, o.value, o.protocol) for o in bent] == [(Side.LEFT, 20.0, "flat floor, knee bent 30°, self-paced")]


def test_what_was_not_measured_is_not_stored():
    draft = complete_draft()
    for path in ("heel_raise", "knee_to_wall", "history.nprs_now", "outcomes.lefs_total"):
        draft.set(path, None)
    draft.set("outcomes.psfs", [{"activity": "Run 10 km", "score": 4}, {"activity": "Hills"}])  # one unscored
    draft.set("red_flags.wells.previous_dvt", None)  # incomplete screen: no score
    draft.detail = {}
    codes = [o.code for o in _observations(draft)]
    assert codes == ["nprs_worst_24h", "nprs_during_run"]


def test_no_lsi_when_both_legs_hurt():
    draft = complete_draft()
    draft.set("symptomatic_side", "both")
    assert "heel_raise_lsi" not in [o.code for o in _observations(draft)]


def test_a_value_that_is_not_a_number_is_refused_rather_than_stored():
    draft = complete_draft()
    draft.set_detail("heel_raise.bent_left_reps", "14")
    with pytest.raises(ValueError, match=r"detail\.heel_raise\.bent_left_reps: .14. is not a number"):
        _observations(draft)


def test_the_record_holds_the_document_evaluation_and_detail_as_typed():
    draft = complete_draft()
    draft.set("red_flags.dvt_suspected", True)
    draft.set_detail("red_flag_actions.dvt", "phoned GP practice 11:20, patient sent to ED")
    draft.amends_id = 40
    evaluation = evaluation_of(draft)
    record = assessment_record_of(draft, evaluation, recorded_by=12, amendment_reason="Wrong leg recorded")
    assert (record.patient_id, record.episode_id, record.assessed_on) == (7, 3, date(2026, 11, 20))
    assert json.loads(record.document) == {**DOCUMENT, "red_flags": {**DOCUMENT["red_flags"], "dvt_suspected": True}}
    assert json.loads(record.detail) == {
        **DETAIL,
        "red_flag_actions": {"dvt": "phoned GP practice 11:20, patient sent to ED"},
    }
    assert json.loads(record.evaluation) == evaluation.as_json()
    assert json.loads(record.evaluation)["heel_raise"]["lsi_percent"] == 58.1
    assert record.urgency == "urgent"
    assert (record.recorded_by, record.amends_id, record.amendment_reason) == (12, 40, "Wrong leg recorded")
    assert record.finalised_at is None and record.id is None


def test_text_is_stored_as_written():
    draft = complete_draft()
    draft.set("outcomes.psfs", [{"activity": "Laufen 10 km – Hügel", "score": 3}])
    draft.set_detail("history.notes", "Nguyễn's club: 5 × 1 km reps")
    record = assessment_record_of(draft, evaluation_of(draft), recorded_by=None)
    assert "Laufen 10 km – Hügel" in record.document
    assert json.loads(record.detail)["history"]["notes"] == "Nguyễn's club: 5 × 1 km reps"
    assert record.urgency == "routine"
