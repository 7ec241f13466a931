"""What a screening row may hold: every measure's range at its edges, whole numbers where counted, the note's
length, and the grid's live check agreeing with the save's."""

from __future__ import annotations

from typing import Any

import pytest

from workstation.squads.records import MEASURE_BY_KEY, SCREENING_MEASURES, SCREENING_NOTE_MAX_CHARS, ScreeningEntry
from workstation.squads.screening_rules import entry_problems, valid_values, value_problem, values_problems


@pytest.mark.parametrize("measure", SCREENING_MEASURES, ids=[m.key for m in SCREENING_MEASURES])
def test_each_measure_takes_its_range_and_nothing_outside_it(measure: Any) -> None:
    step = 1 if measure.whole_number else 0.1
    for inside in (measure.minimum, measure.minimum + step, measure.maximum - step, measure.maximum):
        assert value_problem(measure, inside) is None, inside
    for outside in (measure.minimum - step, measure.maximum + step):
        problem = value_problem(measure, outside)
        assert problem is not None and problem.field == measure.key and measure.label in problem.message


@pytest.mark.parametrize("measure", SCREENING_MEASURES, ids=[m.key for m in SCREENING_MEASURES])
def test_counts_are_whole_and_distances_need_not_be(measure: Any) -> None:
    problem = value_problem(measure, 5.5)
    assert (problem is None) is (not measure.whole_number)
    if problem is not None:
        assert "whole number" in problem.message
    assert value_problem(measure, 5.0) is None


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), True, "12", None, [3]])
def test_what_is_not_a_number_is_refused(bad: Any) -> None:
    problem = value_problem(MEASURE_BY_KEY["knee_to_wall_left"], bad)
    assert problem is not None and problem.message == "Knee to wall L: enter a number."


def test_the_messages_say_what_to_type() -> None:
    assert value_problem(MEASURE_BY_KEY["heel_raise_left"], 151).message == "Heel raise L: enter 0 to 150 reps."  # type: ignore[union-attr]
    assert value_problem(MEASURE_BY_KEY["pain"], 2.5).message == (  # type: ignore[union-attr]
        "Pain (0–10): enter a whole number (0 to 10).")
    assert value_problem(MEASURE_BY_KEY["knee_to_wall_right"], 26).message == (  # type: ignore[union-attr]
        "Knee to wall R: enter 0 to 25 cm.")


def test_a_row_is_checked_whole_in_column_order_with_unknown_keys_and_the_note() -> None:
    entry = ScreeningEntry(1, 2, {"pain": 11, "heel_raise_left": -1, "hop": 3}, "x" * (SCREENING_NOTE_MAX_CHARS + 1))
    assert [p.field for p in entry_problems(entry)] == ["hop", "heel_raise_left", "pain", "note"]
    assert entry_problems(ScreeningEntry(1, 2, {"pain": 0}, "x" * SCREENING_NOTE_MAX_CHARS)) == []
    assert entry_problems(ScreeningEntry(1, 2)) == []
    assert values_problems({key: 0 for key in MEASURE_BY_KEY}) == []


def test_the_live_flags_read_only_valid_values() -> None:
    assert valid_values({"pain": 3, "heel_raise_left": 12.5, "hop": 1, "knee_to_wall_left": 7.25}) == {
        "pain": 3.0, "knee_to_wall_left": 7.25}  # fmt: skip
