"""Follow-ups: prefilled from the last assessment, with the change since then (issue 6, item 8)."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

import pytest

from tests.workstation.assessment import DOCUMENT, complete_draft, evaluation_of
from workstation.assessment.finalize import assessment_record_of
from workstation.assessment.followup import changes_since, prefill_follow_up
from workstation.assessment.rules import page_problems
from workstation.records import Side


def _previous(recorded_by=12):
    draft = complete_draft()
    return replace(assessment_record_of(draft, evaluation_of(draft), recorded_by=recorded_by), id=40)


def test_the_follow_up_carries_what_does_not_change_and_nothing_measured():
    draft = prefill_follow_up(_previous(), assessed_on=date(2026, 12, 15))
    assert (draft.patient_id, draft.episode_id, draft.amends_id) == (7, 3, None)
    assert draft.document == {
        "schema": "calfdesk.assessment/1",
        "assessed_on": "2026-12-15",
        "symptomatic_side": "left",
        "patient": {"date_of_birth": "1990-04-02", "sex": "female"},
        "history": {
            "onset": "gradual", "onset_activity": "steady_run", "onset_sensation": "tightening",
            "could_continue_running": True, "previous_calf_strain": True, "bone_health_risk": False,
            "previous_race_cramping": False,
        },
        "heel_raise": {"protocol": "incline_10deg_60bpm", "knee": "straight"},
        "red_flags": {"dvt_risk_factors": ["long_travel"]},
        "outcomes": {"psfs": [{"activity": "Run 10 km"}, {"activity": "Hills"}, {"activity": "Stairs"}]},
    }  # fmt: skip
    assert draft.detail == {
        "history": {"mechanism": "Tightened at 8 km of a steady run", "onset_date": "2026-11-01"},
        "heel_raise": {"incline_deg": 10, "cadence_bpm": 60, "knee_angle_deg": 0, "first_leg": "right",
                       "footwear": "barefoot"},
        "knee_to_wall": {"shod": False},
    }  # fmt: skip


def test_a_follow_up_must_screen_red_flags_again():
    draft = prefill_follow_up(_previous(), assessed_on=date(2026, 12, 15))
    draft_today = date(2026, 12, 15)
    fields = [p.field for p in page_problems(draft, "red_flags", today=draft_today)]
    assert len(fields) == 10 + 11  # every Wells item and every red-flag question
    assert "red_flags.wells.previous_dvt" in fields and "red_flags.dvt_suspected" in fields
    assert [p.field for p in page_problems(draft, "summary", today=draft_today)] == ["detail.impression.condition"]


def test_the_prefilled_document_does_not_share_lists_with_the_previous_record():
    previous = _previous()
    draft = prefill_follow_up(previous, assessed_on=date(2026, 12, 15))
    draft.document["red_flags"]["dvt_risk_factors"].append("smoker")
    again = prefill_follow_up(previous, assessed_on=date(2026, 12, 15))
    assert again.document["red_flags"]["dvt_risk_factors"] == ["long_travel"]


def test_a_follow_up_cannot_come_before_the_last_assessment():
    with pytest.raises(ValueError, match="cannot come before"):
        prefill_follow_up(_previous(), assessed_on=date(2026, 11, 19))


def _current():
    document = copy.deepcopy(DOCUMENT)
    document["assessed_on"] = "2026-12-15"
    document["heel_raise"].update(left_reps=23, right_reps=24)
    document["knee_to_wall"] = {"left_cm": 10.9, "right_cm": 13.1}
    document["history"].update(nprs_now=2, nprs_worst_24h=3, nprs_during_run=5)
    document["outcomes"] = {
        "psfs": [{"activity": "run 10 km", "score": 7}, {"activity": "Hills", "score": 5},
                 {"activity": "Stairs", "score": 9}],
        "lefs_total": 70,
    }  # fmt: skip
    detail = {"heel_raise": {"incline_deg": 10, "cadence_bpm": 60, "footwear": "barefoot", "bent_left_reps": 20,
                             "bent_right_reps": 27}}  # fmt: skip
    return document, detail


def test_change_since_last_with_hand_worked_verdicts():
    document, detail = _current()
    rows = {
        (c.code, c.side): (c.previous, c.current, c.change, c.verdict)
        for c in changes_since(_previous(), document, detail)
    }
    assert rows == {
        ("heel_raise_reps", Side.LEFT): (18, 23, 5, "within_measurement_error"),  # under 6 reps
        ("heel_raise_reps", Side.RIGHT): (31, 24, -7, "declined"),
        ("heel_raise_bent_reps", Side.LEFT): (14, 20, 6, "improved"),  # exactly 6 counts
        ("heel_raise_bent_reps", Side.RIGHT): (27, 27, 0, "within_measurement_error"),
        ("knee_to_wall_cm", Side.LEFT): (9.0, 10.9, pytest.approx(1.9), "more_range"),  # meets the 1.9 cm MDC
        ("knee_to_wall_cm", Side.RIGHT): (11.5, 13.1, pytest.approx(1.6), "within_measurement_error"),
        ("nprs_now", Side.NONE): (2, 2, 0, "no_important_change"),
        ("nprs_worst_24h", Side.NONE): (5, 3, -2, "improved"),  # 2 points
        ("nprs_during_run", Side.NONE): (6, 5, -1, "no_important_change"),  # 1 point, 17 %
        ("psfs_mean", Side.NONE): (5.0, 7.0, 2.0, "improved"),  # 15/3 -> 21/3, the MDC of 2
        ("lefs_total", Side.NONE): (61, 70, 9, "improved"),  # the MCID of 9
    }


def test_the_knee_to_wall_mdc_follows_whether_the_rater_was_the_same():
    document, detail = _current()
    previous = _previous(recorded_by=12)

    def right_knee(**rater):
        (row,) = [c for c in changes_since(previous, document, detail, **rater) if c.code == "knee_to_wall_cm"
                  and c.side is Side.RIGHT]  # fmt: skip
        return row

    unknown = right_knee()
    assert (unknown.threshold, unknown.verdict) == (1.9, "within_measurement_error")
    assert unknown.note == "Rater not recorded: the one-rater MDC applies"
    assert right_knee(current_rater=12).threshold == 1.9
    different = right_knee(current_rater=13)
    assert (different.threshold, different.verdict, different.note) == (1.6, "more_range", "")


def test_marks_within_measurement_error_and_notes_protocol_and_activity_differences():
    document, detail = _current()
    document["heel_raise"]["protocol"] = "flat_floor"
    detail["heel_raise"]["cadence_bpm"] = 50
    document["outcomes"]["psfs"][1] = {"activity": "Sprints", "score": 5}
    changes = {(c.code, c.side): c for c in changes_since(_previous(), document, detail)}
    left = changes[("heel_raise_reps", Side.LEFT)]
    assert left.within_measurement_error and left.threshold == 6
    assert left.note == "Done differently: surface, cadence"
    assert changes[("heel_raise_bent_reps", Side.LEFT)].note == ""
    assert not changes[("lefs_total", Side.NONE)].within_measurement_error
    assert changes[("psfs_mean", Side.NONE)].note == "Not the same activities at both visits"


def test_measures_missing_or_invalid_at_either_visit_are_left_out():
    document, _ = _current()
    document["heel_raise"] = {"left_reps": 501}
    del document["knee_to_wall"]
    document["outcomes"]["psfs"][0] = {"activity": "run 10 km"}  # not scored yet
    document["history"]["nprs_now"] = True
    codes = [c.code for c in changes_since(_previous(), document, None)]
    assert codes == ["nprs_worst_24h", "nprs_during_run", "lefs_total"]


def test_a_lefs_near_the_ceiling_is_noted():
    previous = complete_draft()
    previous.set("outcomes.lefs_total", 76)
    record = assessment_record_of(previous, evaluation_of(previous), recorded_by=None)
    document, _ = _current()
    document["outcomes"]["lefs_total"] = 80
    (lefs,) = [c for c in changes_since(record, document) if c.code == "lefs_total"]
    assert (lefs.change, lefs.verdict) == (4, "no_important_change")
    assert lefs.note == "Started near the top of the scale: a real gain may not show"
