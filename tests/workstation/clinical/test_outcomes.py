"""Outcome measures (CLINICAL.md 7.1): NPRS change [Farrar 2001], PSFS [Stratford 1995], LEFS total [Binkley 1999].

Every expected value below was worked by hand from the thresholds in the spec.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.clinical.outcomes import (
    NPRS_CONTEXTS,
    PsfsActivity,
    activity_key,
    check_lefs_total,
    check_nprs,
    lefs_change,
    nprs_change,
    nprs_changes,
    psfs_change,
    psfs_mean,
)

# --- NPRS -----------------------------------------------------------------------------------------------------

# (baseline, follow-up, verdict): >= 2 points or >= 30 % of the baseline either way, worked by hand.
# fmt: off
NPRS_VECTORS = [
    (10, 8, "improved"),              # 2 points (20 %): the points rule
    (5, 4, "no_important_change"),    # 1 point, 20 %
    (3, 2, "improved"),               # 1 point, 33 %: the percent rule
    (4, 3, "no_important_change"),    # 1 point, 25 %
    (1, 0, "improved"),               # 1 point, 100 %
    (7, 5, "improved"),               # 2 points, 29 %
    (10, 9, "no_important_change"),   # 1 point, 10 %
    (6, 6, "no_important_change"),
    (0, 0, "no_important_change"),    # a baseline of 0 cannot improve
    (8, 10, "worse"),                 # +2 points
    (5, 6, "no_important_change"),    # +1 point, 20 %
    (3, 4, "worse"),                  # +1 point, 33 %
    (4, 5, "no_important_change"),    # +1 point, 25 %
    (2, 3, "worse"),                  # +1 point, 50 %
    (0, 1, "worse"),                  # new pain: every rise is >= 30 % of nothing
    (9, 10, "no_important_change"),   # +1 point, 11 %
]
# fmt: on


@pytest.mark.parametrize(("baseline", "follow_up", "verdict"), NPRS_VECTORS)
def test_nprs_change_verdicts(baseline: int, follow_up: int, verdict: str) -> None:
    assert nprs_change(baseline, follow_up).verdict == verdict


def test_nprs_change_reports_points_and_percent_of_baseline() -> None:
    change = nprs_change(10, 8, "worst_24h")
    assert change.context == "worst_24h"
    assert change.change_points == -2
    assert change.change_percent == pytest.approx(-20.0)
    assert "Farrar 2001" in change.reason


def test_nprs_percent_is_undefined_from_a_zero_baseline() -> None:
    change = nprs_change(0, 3)
    assert change.change_percent is None
    assert change.verdict == "worse"


def test_nprs_zero_baseline_reason_says_it_cannot_improve() -> None:
    assert "cannot improve" in nprs_change(0, 0).reason


def test_nprs_worse_reason_says_the_same_threshold_applies() -> None:
    reason = nprs_change(3, 4).reason
    assert "rose" in reason
    assert "same threshold either way" in reason


@pytest.mark.parametrize("bad", [11, -1, 2.5, True, "3", None])
def test_nprs_out_of_range_is_refused_naming_the_value(bad: object) -> None:
    with pytest.raises(ValueError, match=re.escape(f"got {bad!r}")):
        check_nprs(bad)


def test_nprs_change_names_the_context_in_its_error() -> None:
    with pytest.raises(ValueError, match=r"nprs_during_run follow-up .* got 12"):
        nprs_change(4, 12, "during_run")


def test_nprs_unknown_context_is_refused() -> None:
    with pytest.raises(ValueError, match="'yesterday'"):
        nprs_change(4, 2, "yesterday")  # type: ignore[arg-type]


def test_nprs_changes_compares_each_context_scored_twice_in_order() -> None:
    changes = nprs_changes(
        {"during_run": 6, "now": 2, "worst_24h": 5, "next_morning": 3},
        {"now": 2, "worst_24h": 3, "during_run": 4, "after_run": 1, "next_morning": None},
    )
    assert [(c.context, c.verdict) for c in changes] == [
        ("now", "no_important_change"),
        ("worst_24h", "improved"),
        ("during_run", "improved"),
    ]


def test_nprs_changes_refuses_an_unknown_context_key() -> None:
    with pytest.raises(ValueError, match="'tomorrow'"):
        nprs_changes({"tomorrow": 3}, {"now": 2})  # type: ignore[dict-item]


def test_nprs_contexts_are_the_five_of_the_field_list() -> None:
    assert NPRS_CONTEXTS == ("now", "worst_24h", "during_run", "after_run", "next_morning")


@given(st.integers(0, 10), st.integers(0, 10), st.integers(0, 10))
def test_nprs_verdict_is_monotonic_in_the_follow_up(baseline: int, first: int, second: int) -> None:
    lower, higher = sorted((first, second))
    if nprs_change(baseline, higher).verdict == "improved":
        assert nprs_change(baseline, lower).verdict == "improved"
    if nprs_change(baseline, lower).verdict == "worse":
        assert nprs_change(baseline, higher).verdict == "worse"


@given(st.integers(0, 10), st.integers(0, 10))
def test_nprs_never_improved_without_less_pain_nor_worse_without_more(baseline: int, follow_up: int) -> None:
    verdict = nprs_change(baseline, follow_up).verdict
    if follow_up >= baseline:
        assert verdict != "improved"
    if follow_up <= baseline:
        assert verdict != "worse"


# --- PSFS -----------------------------------------------------------------------------------------------------


def _psfs(*pairs: tuple[str, float]) -> list[PsfsActivity]:
    return [PsfsActivity(name, score) for name, score in pairs]


@pytest.mark.parametrize(
    ("scores", "mean"),
    [((4, 5, 6), 5.0), ((3, 4), 3.5), ((1,), 1.0), ((2, 3, 3), 8 / 3), ((0, 10, 5, 5, 5), 5.0), ((2.5, 3.5), 3.0)],
)
def test_psfs_mean_is_the_mean_of_the_scored_activities(scores: tuple[float, ...], mean: float) -> None:
    activities = [PsfsActivity(f"activity {index}", score) for index, score in enumerate(scores)]
    assert psfs_mean(activities) == pytest.approx(mean)


def test_psfs_mean_change_of_exactly_two_is_detectable() -> None:
    change = psfs_change(_psfs(("run", 3), ("stairs", 4), ("hop", 5)), _psfs(("run", 5), ("stairs", 6), ("hop", 7)))
    assert (change.baseline_mean, change.follow_up_mean, change.mean_change) == (4.0, 6.0, 2.0)
    assert change.mean_verdict == "improved"


def test_psfs_threshold_is_exact_where_floats_would_fall_short() -> None:
    # (3.3 + 3.6 + 4.1) / 3 - (1.3 + 1.6 + 2.1) / 3 is exactly 2, but 1.9999999999999998 in floats.
    change = psfs_change(_psfs(("a", 1.3), ("b", 1.6), ("c", 2.1)), _psfs(("a", 3.3), ("b", 3.6), ("c", 4.1)))
    assert change.mean_verdict == "improved"
    assert change.mean_change == 2.0


def test_psfs_mean_change_under_two_is_within_measurement_error() -> None:
    # baseline mean 4.0; follow-up (4 + 6 + 7.5) / 3 = 5.83: +1.83 < 2.
    change = psfs_change(_psfs(("run", 3), ("stairs", 4), ("hop", 5)), _psfs(("run", 4), ("stairs", 6), ("hop", 7.5)))
    assert change.mean_verdict == "no_important_change"
    assert change.mean_change == pytest.approx(1.8333333)


def test_psfs_mean_fall_of_two_is_worse() -> None:
    change = psfs_change(_psfs(("run", 6), ("stairs", 8)), _psfs(("run", 4), ("stairs", 6)))
    assert change.mean_verdict == "worse"


def test_psfs_each_activity_is_matched_by_name_against_three_points() -> None:
    change = psfs_change(
        _psfs(("Run 10 km", 4), ("Stairs", 6), ("Hop", 8)),
        _psfs(("run  10 KM", 7), ("stairs", 8), ("hop", 5)),
    )
    by_name = {item.activity: (item.baseline, item.follow_up, item.change, item.verdict) for item in change.activities}
    assert by_name == {
        "run  10 KM": (4.0, 7.0, 3.0, "improved"),  # +3 = the one-activity MDC
        "stairs": (6.0, 8.0, 2.0, "no_important_change"),  # +2 < 3
        "hop": (8.0, 5.0, -3.0, "worse"),
    }
    assert change.same_activities


def test_psfs_activities_named_at_one_visit_only_are_listed_not_compared() -> None:
    change = psfs_change(_psfs(("Run", 3), ("Jump", 2)), _psfs(("run", 5), ("Sprint", 4)))
    assert [item.activity for item in change.activities] == ["run"]
    assert change.only_at_baseline == ("Jump",)
    assert change.only_at_follow_up == ("Sprint",)
    assert not change.same_activities
    assert change.mean_change == pytest.approx(2.0)  # 2.5 -> 4.5, but over different activities


def test_activity_key_ignores_case_and_spacing() -> None:
    assert activity_key("  Run   10 km ") == activity_key("run 10 KM")


@pytest.mark.parametrize("bad", [11, -0.5, 10.5, float("nan"), True, "5"])
def test_psfs_score_out_of_range_is_refused_naming_the_value(bad: object) -> None:
    with pytest.raises(ValueError, match="psfs score for 'Run'"):
        PsfsActivity("Run", bad)  # type: ignore[arg-type]


def test_psfs_blank_activity_is_refused() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        PsfsActivity("  ", 5)


@pytest.mark.parametrize("count", [0, 6])
def test_psfs_needs_one_to_five_activities(count: int) -> None:
    with pytest.raises(ValueError, match=f"got {count}"):
        psfs_mean([PsfsActivity(f"a{index}", 5) for index in range(count)])


def test_psfs_same_activity_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="'RUN' twice"):
        psfs_mean(_psfs(("run", 3), ("RUN", 4)))


# --- LEFS -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "follow_up", "verdict"),
    [
        (50, 58, "no_important_change"),  # +8 < 9
        (50, 59, "improved"),  # +9 = MCID
        (60, 52, "no_important_change"),  # -8
        (60, 51, "worse"),  # -9
        (0, 80, "improved"),
    ],
)
def test_lefs_change_against_mcid_nine(baseline: int, follow_up: int, verdict: str) -> None:
    change = lefs_change(baseline, follow_up)
    assert change.verdict == verdict
    assert change.change == follow_up - baseline


@pytest.mark.parametrize(("baseline", "limited"), [(71, False), (72, True), (80, True)])
def test_lefs_ceiling_when_a_nine_point_gain_is_impossible(baseline: int, limited: bool) -> None:
    assert lefs_change(baseline, baseline).ceiling_limited is limited


@pytest.mark.parametrize("bad", [81, -1, 40.5, True])
def test_lefs_total_out_of_range_is_refused_naming_the_value(bad: object) -> None:
    with pytest.raises(ValueError, match=re.escape(f"got {bad!r}")):
        check_lefs_total(bad)


def test_lefs_change_names_the_visit_in_its_error() -> None:
    with pytest.raises(ValueError, match=r"lefs_total follow-up .* got 90"):
        lefs_change(40, 90)


@given(st.integers(0, 80), st.integers(0, 80))
def test_lefs_verdict_is_antisymmetric(first: int, second: int) -> None:
    forward, backward = lefs_change(first, second).verdict, lefs_change(second, first).verdict
    flipped = {"improved": "worse", "worse": "improved", "no_important_change": "no_important_change"}
    assert backward == flipped[forward]
