"""``run_problems``: every rule on a stored run, with the field it names and a message that says what to do."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from workstation.running.records import RunRecord
from workstation.running.validation import run_problems

TODAY = date(2026, 4, 1)
GOOD = RunRecord(patient_id=1, run_on=TODAY, distance_km=10.0, duration_min=50.0, perceived_effort=5, surface="road")


def fields_of(run: RunRecord) -> list[str]:
    return [p.field for p in run_problems(run, today=TODAY)]


def test_a_plain_run_has_no_problems() -> None:
    assert run_problems(GOOD, today=TODAY) == []
    assert run_problems(RunRecord(patient_id=1, run_on=TODAY, distance_km=0.1), today=TODAY) == []


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"run_on": TODAY + timedelta(days=1)}, "run_on", "future"),
        ({"distance_km": 0.0}, "distance_km", "Distance must be more than 0 km."),
        ({"distance_km": -3.0}, "distance_km", "Distance must be more than 0 km."),
        ({"distance_km": 1000.01}, "distance_km", "1000 km"),
        ({"distance_km": float("nan")}, "distance_km", "number"),
        ({"duration_min": 0.0}, "duration_min", "more than 0 minutes"),
        ({"duration_min": 48 * 60 + 1.0}, "duration_min", "48 hours"),
        ({"perceived_effort": 11}, "perceived_effort", "0 to 10"),
        ({"perceived_effort": -1}, "perceived_effort", "0 to 10"),
        ({"perceived_effort": True}, "perceived_effort", "0 to 10"),
        ({"surface": "mud"}, "surface", "loose dirt"),
        ({"shoes": "x" * 81}, "shoes", "80 characters"),
        ({"shoes": "Pegasus\t40"}, "shoes", "control characters"),
        ({"note": "n" * 501}, "note", "500 characters"),
        ({"note": "bidi \u202e trick"}, "note", "control characters"),
        ({"source": "fax"}, "source", "manual"),
    ],
)
def test_each_rule_names_its_field(changes: dict[str, Any], field: str, words: str) -> None:
    problems = run_problems(replace(GOOD, **changes), today=TODAY)
    assert [p.field for p in problems] == [field]
    assert words in problems[0].message
    assert problems[0].blocks_save


def test_boundaries_are_allowed() -> None:
    assert fields_of(replace(GOOD, distance_km=1000.0, duration_min=2000.0)) == []
    assert fields_of(replace(GOOD, duration_min=48 * 60.0, distance_km=100.0)) == []
    assert fields_of(replace(GOOD, perceived_effort=0)) == []
    assert fields_of(replace(GOOD, perceived_effort=10)) == []
    assert fields_of(replace(GOOD, shoes="s" * 80, note="line one\nline two")) == []


def test_a_pace_faster_than_two_minutes_per_km_names_both_values() -> None:
    problems = run_problems(replace(GOOD, distance_km=10.0, duration_min=15.0), today=TODAY)
    assert [p.field for p in problems] == ["duration_min"]
    assert "10 km" in problems[0].message
    assert "15:00 min" in problems[0].message
    assert "1:30 min/km" in problems[0].message
    # exactly 2:00 min/km is fast but possible
    assert fields_of(replace(GOOD, distance_km=10.0, duration_min=20.0)) == []


def test_no_pace_check_without_a_duration_or_with_a_bad_distance() -> None:
    assert fields_of(replace(GOOD, duration_min=None)) == []
    assert fields_of(replace(GOOD, distance_km=0.0, duration_min=1.0)) == ["distance_km"]
