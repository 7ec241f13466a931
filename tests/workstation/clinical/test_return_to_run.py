"""Return-to-run criteria and the walk-run programme (CLINICAL.md 7.2), with expected values worked by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.clinical.return_to_run import (
    CHECKLISTS,
    CRITERIA,
    LimbPair,
    NamedLimbTest,
    ReturnToRunFindings,
    assess_checklist,
    assess_return_to_run,
)
from workstation.clinical.walk_run import (
    WALK_RUN_PHASES,
    SymptomRules,
    WalkRunSession,
    advise_progression,
    symptom_rule_breaks,
)

# Every criterion met: symptoms 0/10, 10 % or smaller deficits, 30+ raises, every yes/no as it should be.
ALL_MET = ReturnToRunFindings(
    pain_nprs=0,
    tightness_nprs=0,
    cramping_nprs=0,
    feels_ready=True,
    tender_on_palpation=False,
    knee_to_wall_cm=LimbPair(11.0, 12.0),
    straight_knee_stretch=LimbPair(40, 42),
    calf_raise_reps=LimbPair(32, 34),  # 5.9 % deficit: under 10 %, so the strict healthhp tests pass too
    loaded_strength_benchmark_met=True,
    vertical_power=LimbPair(28, 30),
    horizontal_power=LimbPair(150, 155),
    running_reconditioned=True,
    full_training_session_completed=True,
    walking_pain_free=True,
    seated_calf_raise_strength=LimbPair(1400, 1500),
    standing_calf_raise_strength=LimbPair(95, 100),
    double_leg_jumping_pain_free=True,
    hopping_on_the_spot_pain_free=True,
    hopping_in_a_line_pain_free=True,
    reactive_strength_tests=(NamedLimbTest("10/5 hop", LimbPair(1.9, 2.0)),),
)


def _status(findings: ReturnToRunFindings, code: str) -> str:
    for checklist in assess_return_to_run(findings):
        for result in checklist.criteria:
            if result.code == code:
                return result.status
    raise AssertionError(f"no criterion {code}")


def _with(**changes: object) -> ReturnToRunFindings:
    return replace(ALL_MET, **changes)  # type: ignore[arg-type]


# --- the tables -----------------------------------------------------------------------------------------------


def test_checklists_hold_the_criteria_of_the_spec() -> None:
    counts = {checklist: sum(1 for c in CRITERIA if c.checklist == checklist) for checklist in CHECKLISTS}
    assert counts == {"green_2022": 10, "healthhp_before_jogging": 4, "healthhp_before_faster_running": 3}
    assert len({criterion.code for criterion in CRITERIA}) == len(CRITERIA)


def test_walk_run_phases_follow_the_template_in_miles_and_km() -> None:
    rows = [(p.phase, p.effort_rpe, p.walk_min, p.run_min, p.total_miles) for p in WALK_RUN_PHASES]
    assert rows == [
        (1, 3, 2, 3, 1.0),
        (2, 3, 2, 3, 1.5),
        (3, 4, 2, 4, 1.5),
        (4, 4, 2, 4, 2.0),
        (5, 5, 1, 4, 2.0),
        (6, 5, None, None, 2.0),
    ]
    # 1 mile = 1.609344 km: 1.0, 1.5 and 2.0 miles by hand.
    assert [p.total_km for p in WALK_RUN_PHASES] == pytest.approx(
        [1.609344, 2.414016, 2.414016, 3.218688, 3.218688, 3.218688]
    )
    assert [p.continuous for p in WALK_RUN_PHASES] == [False] * 5 + [True]


# --- the checklists -------------------------------------------------------------------------------------------


def test_everything_met_meets_every_checklist() -> None:
    assert [(result.checklist, result.status) for result in assess_return_to_run(ALL_MET)] == [
        ("green_2022", "met"),
        ("healthhp_before_jogging", "met"),
        ("healthhp_before_faster_running", "met"),
    ]


def test_nothing_recorded_is_never_met() -> None:
    for checklist in assess_return_to_run(ReturnToRunFindings()):
        assert checklist.status == "not_assessed"
        assert {result.status for result in checklist.criteria} == {"not_assessed"}
        assert len(checklist.outstanding) == len(checklist.criteria)


@pytest.mark.parametrize(
    ("pain", "tightness", "cramping", "status"),
    [
        (0, 0, 0, "met"),
        (0, 0, 1, "not_met"),
        (3, None, None, "not_met"),  # known pain fails whatever is missing
        (0, None, 0, "not_assessed"),
    ],
)
def test_pain_tightness_and_cramping_must_all_be_zero(
    pain: int | None, tightness: int | None, cramping: int | None, status: str
) -> None:
    findings = _with(pain_nprs=pain, tightness_nprs=tightness, cramping_nprs=cramping)
    assert _status(findings, "symptoms_zero") == status


@pytest.mark.parametrize(("tender", "status"), [(False, "met"), (True, "not_met"), (None, "not_assessed")])
def test_no_tenderness_on_palpation(tender: bool | None, status: str) -> None:
    assert _status(_with(tender_on_palpation=tender), "no_palpation_tenderness") == status


@pytest.mark.parametrize(
    ("pair", "status"),
    [
        (LimbPair(9.0, 10.0), "met"),  # 10 % deficit: at most 10 %
        (LimbPair(8.9, 10.0), "not_met"),  # 11 %
        (LimbPair(12.0, 10.0), "met"),  # the involved leg does better
        (LimbPair(9.0, None), "not_assessed"),  # both legs symptomatic / not measured
        (LimbPair(5.0, 0.0), "not_assessed"),  # no LSI against 0
    ],
)
def test_knee_to_wall_asymmetry_at_most_ten_percent(pair: LimbPair, status: str) -> None:
    assert _status(_with(knee_to_wall_cm=pair), "knee_to_wall_symmetry") == status


def test_straight_knee_stretch_asymmetry() -> None:
    assert _status(_with(straight_knee_stretch=LimbPair(35, 40)), "straight_knee_stretch_symmetry") == "not_met"


@pytest.mark.parametrize(
    ("reps", "green", "jogging", "endurance"),
    [
        (LimbPair(30, 33), "met", "met", "met"),  # 9.1 %
        (LimbPair(27, 30), "not_met", "not_met", "not_met"),  # 27 < 30; exactly 10 % is not < 10 %
        (LimbPair(30, 34), "not_met", "not_met", "not_met"),  # 11.8 %
        (LimbPair(31, None), "not_assessed", "not_assessed", "not_assessed"),
        (LimbPair(28, None), "not_met", "not_assessed", "not_assessed"),  # 28 < 30 whatever the other leg
        (LimbPair(25, 27), "not_met", "met", "met"),  # 7.4 %; 25+ is enough to jog
        (LimbPair(24, 25), "not_met", "not_met", "met"),  # 4 %, but fewer than 25
        (LimbPair(45, 50), "met", "not_met", "not_met"),  # exactly 10 %: <= 10 % passes, < 10 % does not
    ],
)
def test_calf_raise_criteria(reps: LimbPair, green: str, jogging: str, endurance: str) -> None:
    findings = _with(calf_raise_reps=reps)
    assert _status(findings, "calf_raise_30_reps") == green
    assert _status(findings, "calf_raise_25_reps") == jogging
    assert _status(findings, "calf_endurance_symmetry") == endurance


def test_calf_raise_detail_shows_what_was_read() -> None:
    green = assess_checklist(_with(calf_raise_reps=LimbPair(30, 34)), "green_2022")
    detail = next(result.detail for result in green.criteria if result.code == "calf_raise_30_reps")
    assert "30 on the involved leg" in detail
    assert "deficit 11.8 %" in detail


@pytest.mark.parametrize(
    ("vertical", "horizontal", "status"),
    [
        (LimbPair(28, 30), LimbPair(150, 155), "met"),
        (LimbPair(26, 30), LimbPair(150, 155), "not_met"),  # 13.3 %
        (LimbPair(28, 30), LimbPair(), "not_assessed"),
        (LimbPair(26, 30), LimbPair(), "not_met"),
    ],
)
def test_power_tests_both_within_ten_percent(vertical: LimbPair, horizontal: LimbPair, status: str) -> None:
    assert _status(_with(vertical_power=vertical, horizontal_power=horizontal), "power_symmetry") == status


@pytest.mark.parametrize(
    ("code", "field", "value", "status"),
    [
        ("feels_ready", "feels_ready", False, "not_met"),
        ("loaded_strength_benchmark", "loaded_strength_benchmark_met", None, "not_assessed"),
        ("running_reconditioned", "running_reconditioned", False, "not_met"),
        ("full_training_session", "full_training_session_completed", None, "not_assessed"),
        ("walking_pain_free", "walking_pain_free", False, "not_met"),
        ("double_leg_jumping_pain_free", "double_leg_jumping_pain_free", False, "not_met"),
        ("hopping_pain_free", "hopping_in_a_line_pain_free", False, "not_met"),
        ("hopping_pain_free", "hopping_on_the_spot_pain_free", None, "not_assessed"),
    ],
)
def test_yes_no_criteria(code: str, field: str, value: bool | None, status: str) -> None:
    assert _status(_with(**{field: value}), code) == status


def test_seated_and_standing_strength_within_ten_percent() -> None:
    assert _status(_with(seated_calf_raise_strength=LimbPair(900, 1000)), "calf_raise_strength_symmetry") == "met"
    assert _status(_with(standing_calf_raise_strength=LimbPair(80, 100)), "calf_raise_strength_symmetry") == "not_met"


@pytest.mark.parametrize(
    ("tests", "status"),
    [
        ((), "not_assessed"),  # no reactive-strength test recorded
        ((NamedLimbTest("drop hop", LimbPair(44, 50)),), "not_met"),  # 12 %
        ((NamedLimbTest("side hop", LimbPair(36, 40)), NamedLimbTest("rebound", LimbPair(1.0, 1.0))), "met"),
    ],
)
def test_reactive_strength_tests_within_ten_percent(tests: tuple[NamedLimbTest, ...], status: str) -> None:
    findings = _with(reactive_strength_tests=tests)
    assert _status(findings, "strength_and_reactive_strength_symmetry") == status


def test_one_criterion_not_met_makes_the_checklist_not_met() -> None:
    result = assess_checklist(_with(tender_on_palpation=True, running_reconditioned=None), "green_2022")
    assert result.status == "not_met"
    assert result.outstanding == ("no_palpation_tenderness", "running_reconditioned")


def test_one_criterion_not_assessed_leaves_the_checklist_not_assessed() -> None:
    result = assess_checklist(_with(feels_ready=None), "green_2022")
    assert result.status == "not_assessed"
    assert result.outstanding == ("feels_ready",)


def test_unknown_checklist_is_refused() -> None:
    with pytest.raises(ValueError, match="'green_2023'"):
        assess_checklist(ALL_MET, "green_2023")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, float("nan"), True, "30"])
def test_limb_values_must_be_numbers_of_zero_or_more(bad: object) -> None:
    with pytest.raises(ValueError, match="involved"):
        LimbPair(bad, 30)  # type: ignore[arg-type]


def test_findings_refuse_a_symptom_score_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"tightness_nprs .* got 11"):
        ReturnToRunFindings(tightness_nprs=11)


def test_limb_pair_deficit_is_one_hundred_minus_lsi() -> None:
    assert LimbPair(18, 31).deficit_percent == pytest.approx(41.935, abs=1e-3)  # 100 - 58.065
    assert LimbPair(18, None).deficit_percent is None


@given(st.integers(0, 100), st.sampled_from([None, 0, 1]), st.booleans())
def test_a_criterion_is_never_met_when_its_data_is_missing(involved: int, pain: int | None, tender: bool) -> None:
    findings = ReturnToRunFindings(calf_raise_reps=LimbPair(involved, None), pain_nprs=pain, tender_on_palpation=tender)
    for checklist in assess_return_to_run(findings):
        assert checklist.status != "met"
        for result in checklist.criteria:
            if result.code in ("calf_raise_30_reps", "calf_endurance_symmetry", "symptoms_zero", "power_symmetry"):
                assert result.status != "met"


# --- walk-run progression -------------------------------------------------------------------------------------

MONDAY = dt.date(2024, 1, 1)  # a Monday


def _day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def _clean(offset: int, **changes: object) -> WalkRunSession:
    """A session within every rule, with a complete symptom report."""
    session = WalkRunSession(
        date=_day(offset),
        during_run_pain=1,
        pain_escalated_during_run=False,
        back_to_baseline_within_24h=True,
        next_morning_limp=False,
        swelling_increased=False,
        stiffness_increased=False,
        pain_increased=False,
    )
    return replace(session, **changes)  # type: ignore[arg-type]


def test_no_sessions_yet_repeats_the_phase() -> None:
    advice = advise_progression(3, [])
    assert (advice.decision, advice.next_phase) == ("repeat", 3)
    assert "0 of 2" in advice.reasons[-1]


def test_one_clean_session_is_not_enough() -> None:
    assert advise_progression(3, [_clean(0)]).decision == "repeat"


def test_two_clean_sessions_with_a_rest_day_progress() -> None:
    advice = advise_progression(3, [_clean(0), _clean(2)])
    assert (advice.decision, advice.next_phase) == ("progress", 4)


def test_sessions_on_consecutive_days_do_not_both_count() -> None:
    advice = advise_progression(3, [_clean(0), _clean(1)])
    assert advice.decision == "repeat"
    assert any("no rest day" in reason for reason in advice.reasons)


def test_the_count_restarts_after_a_missing_rest_day() -> None:
    sessions = [_clean(0), _clean(1), _clean(3)]  # Tuesday had no rest day: only Thursday counts
    assert advise_progression(2, sessions).decision == "repeat"
    assert advise_progression(2, [*sessions, _clean(5)]).next_phase == 3


def test_sessions_are_read_in_date_order() -> None:
    assert advise_progression(2, [_clean(4), _clean(0), _clean(2)]).decision == "progress"


@pytest.mark.parametrize("increased", ["swelling_increased", "stiffness_increased", "pain_increased"])
def test_increased_swelling_stiffness_or_pain_repeats_the_phase(increased: str) -> None:
    advice = advise_progression(4, [_clean(0), _clean(2), _clean(4, **{increased: True})])
    assert (advice.decision, advice.next_phase) == ("repeat", 4)
    assert "increased" in advice.reasons[0]


def test_two_clean_sessions_after_an_increase_progress() -> None:
    sessions = [_clean(0, swelling_increased=True), _clean(2), _clean(4)]
    assert advise_progression(4, sessions).decision == "progress"


def test_an_incomplete_report_does_not_count() -> None:
    advice = advise_progression(3, [_clean(0), _clean(2, back_to_baseline_within_24h=None)])
    assert advice.decision == "repeat"
    assert any("incomplete (back to baseline within 24 h)" in reason for reason in advice.reasons)


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"during_run_pain": 3}, "pain during the run 3/10"),
        ({"pain_escalated_during_run": True}, "escalated"),
        ({"back_to_baseline_within_24h": False}, "baseline within 24 h"),
        ({"next_morning_limp": True}, "limping"),
    ],
)
def test_breaking_a_symptom_rule_drops_one_phase(changes: dict[str, object], rule: str) -> None:
    advice = advise_progression(4, [_clean(0), _clean(2, **changes)])
    assert (advice.decision, advice.next_phase) == ("drop", 3)
    assert rule in advice.reasons[0]


def test_pain_of_two_during_the_run_is_within_the_rule() -> None:
    assert advise_progression(4, [_clean(0, during_run_pain=2), _clean(2, during_run_pain=2)]).decision == "progress"


def test_an_earlier_rule_break_still_drops() -> None:
    # Not acted on when it happened: the runner is still at a level that was too much.
    assert advise_progression(4, [_clean(0, next_morning_limp=True), _clean(2), _clean(4)]).decision == "drop"


def test_a_rule_break_outranks_an_increase() -> None:
    advice = advise_progression(2, [_clean(0, during_run_pain=5, swelling_increased=True)])
    assert advice.decision == "drop"


def test_dropping_from_phase_one_pauses_running() -> None:
    advice = advise_progression(1, [_clean(0, during_run_pain=4)])
    assert (advice.decision, advice.next_phase) == ("drop", None)
    assert "pause running" in advice.reasons[-1]


def test_progressing_from_the_last_phase_completes_the_programme() -> None:
    advice = advise_progression(6, [_clean(0), _clean(2)])
    assert (advice.decision, advice.next_phase) == ("progress", None)
    assert "complete" in advice.reasons[-1]


def test_the_clinician_can_tighten_the_pain_rule() -> None:
    strict = SymptomRules(max_during_run_pain=0)  # the muscle-strain aim of 0/10 [Green 2022]
    assert advise_progression(3, [_clean(0), _clean(2)], strict).decision == "drop"


def test_a_rule_switched_off_neither_drops_nor_needs_an_answer() -> None:
    no_limp_rule = SymptomRules(no_next_morning_limp=False)
    sessions = [_clean(0, next_morning_limp=True), _clean(2, next_morning_limp=None)]
    assert advise_progression(3, sessions, no_limp_rule).decision == "progress"


def test_symptom_rule_breaks_lists_each_rule_broken() -> None:
    session = _clean(0, during_run_pain=6, next_morning_limp=True)
    assert symptom_rule_breaks(session) == ("pain during the run 6/10, above 2/10", "limping the next morning")
    assert symptom_rule_breaks(WalkRunSession(_day(0))) == ()  # nothing reported breaks nothing


@pytest.mark.parametrize("phase", [0, 7, True])
def test_phase_must_be_one_to_six(phase: int) -> None:
    with pytest.raises(ValueError, match=f"got {phase!r}"):
        advise_progression(phase, [])


def test_session_pain_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"during_run_pain .* got 11"):
        WalkRunSession(_day(0), during_run_pain=11)


def test_rules_pain_limit_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="got -1"):
        SymptomRules(max_during_run_pain=-1)


@given(st.lists(st.integers(0, 60), min_size=0, max_size=8), st.integers(1, 6))
def test_progress_needs_two_sessions_each_after_a_rest_day(offsets: list[int], phase: int) -> None:
    sessions = [_clean(offset) for offset in offsets]
    advice = advise_progression(phase, sessions)
    days = sorted(offsets)
    if advice.decision == "progress":
        assert len(days) >= 2
        assert days[-1] - days[-2] >= 2  # the last two sessions had a rest day between them
    assert advice.decision != "drop"  # clean sessions never drop
