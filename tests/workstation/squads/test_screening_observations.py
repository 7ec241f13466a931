"""Completing a screening: one observation per value typed, coded, sided and unitised as the assessment does."""

from __future__ import annotations

from datetime import date

from workstation.assessment.observation_codes import OBSERVATION_SOURCES
from workstation.records import Side
from workstation.squads.records import SCREENING_MEASURES, Screening, ScreeningEntry
from workstation.squads.screening_observations import SCREENING_PROTOCOLS, observations_of

HELD_ON = date(2026, 11, 3)


def test_every_value_becomes_one_observation_in_column_order() -> None:
    screening = Screening(4, HELD_ON, id=9)
    full = ScreeningEntry(9, 1, {m.key: 5.0 for m in reversed(SCREENING_MEASURES)}, "note is not stored here")
    partial = ScreeningEntry(9, 2, {"knee_to_wall_right": 11.5})
    observations = observations_of(screening, [full, ScreeningEntry(9, 3), partial], recorded_by=7)
    assert [(o.patient_id, o.code, o.side) for o in observations] == [
        *((1, m.code, m.side) for m in SCREENING_MEASURES), (2, "knee_to_wall_cm", Side.RIGHT)]
    assert {(o.observed_on, o.recorded_by, o.episode_id, o.assessment_id, o.corrects_id) for o in observations} == {
        (HELD_ON, 7, None, None, None)}
    assert observations[-1].value == 11.5 and observations[-1].unit == "cm"
    assert len({o.uid for o in observations}) == len(observations)


def test_codes_sides_and_units_are_the_assessments_own() -> None:
    assessment = {(s.code, s.side, s.unit) for s in OBSERVATION_SOURCES}
    for measure in SCREENING_MEASURES:
        assert (measure.code, measure.side, measure.unit) in assessment
        assert measure.code in SCREENING_PROTOCOLS
    assert SCREENING_PROTOCOLS["heel_raise_reps"] == "knee straight"
    assert SCREENING_PROTOCOLS["heel_raise_bent_reps"] == "knee bent"
