"""The dashboard built from its facts: attention order, change between the decimals as typed, the LSI and
flags of the last screening, the charts, and nothing clinical for a role that may not see it (G5)."""

from __future__ import annotations

from datetime import date

from workstation.records import Sex
from workstation.squads.athletes import AthleteFacts, history_of
from workstation.squads.dashboard import build_dashboard
from workstation.squads.dashboard_charts import lsi_bins
from workstation.squads.records import Availability, AvailabilityStatus, Membership, ScreeningResult
from workstation.squads.views import DashboardCharts, SquadMember

TODAY = date(2026, 12, 16)
SEPT, NOV, JAN = date(2026, 9, 14), date(2026, 11, 3), date(2027, 1, 12)
FIT = AvailabilityStatus(Availability.AVAILABLE, "Fit to train")
PHASE = AvailabilityStatus(Availability.MODIFIED, "Return to running: walk-run phase 2", NOV)
OUT = AvailabilityStatus(Availability.UNAVAILABLE, "Awaiting assessment", NOV)


def _athlete(
    patient_id: int, name: str, availability: AvailabilityStatus, *results: tuple[date, dict[str, float]],
    born: date | None = date(1996, 1, 1), sex: Sex = Sex.FEMALE, red_flags: int = 0,
) -> AthleteFacts:  # fmt: skip
    member = SquadMember(Membership(1, patient_id, SEPT, id=patient_id), patient_id, name, born, sex)
    history = tuple(ScreeningResult(day.toordinal(), patient_id, day, values) for day, values in results)
    return AthleteFacts(member, f"uid-{patient_id}", availability, history, red_flags)


ATHLETES = [
    _athlete(1, "Able, Ann", FIT, (NOV, {"heel_raise_left": 40, "heel_raise_right": 40})),
    _athlete(2, "Brown, Bea", FIT, (SEPT, {"knee_to_wall_left": 10.0}), (NOV, {"knee_to_wall_left": 12.1,
             "heel_raise_left": 20, "heel_raise_right": 40, "pain": 2}), (JAN, {"heel_raise_left": 50}),
             red_flags=1),
    _athlete(3, "Cole, Cat", PHASE),
    _athlete(4, "Dunn, Di", OUT, born=None),
    _athlete(5, "Eyre, Em", FIT, (NOV, {"heel_raise_left": 33, "heel_raise_right": 40})),
]  # fmt: skip


def test_those_most_in_need_of_attention_come_first() -> None:
    board = build_dashboard(1, TODAY, ATHLETES, clinical_visible=True)
    # unavailable, modified, then the available: an alert, cautions, none (list order among equals)
    assert [row.member.patient_id for row in board.rows] == [4, 3, 2, 5, 1]
    assert board.count(Availability.AVAILABLE) == 3 and board.count(Availability.UNAVAILABLE) == 1


def test_the_last_screening_on_or_before_the_day_its_change_lsi_and_flags() -> None:
    rows = {row.member.patient_id: row for row in build_dashboard(1, TODAY, ATHLETES, clinical_visible=True).rows}
    bea = rows[2]
    assert bea.last_screened == NOV  # January's is after the day shown
    assert bea.values == {"knee_to_wall_left": 12.1, "heel_raise_left": 20, "heel_raise_right": 40, "pain": 2}
    assert bea.change == {"knee_to_wall_left": 2.1}  # 12.1 - 10.0 between the typed decimals, not 2.0999...
    assert bea.heel_raise_lsi == 50.0 and bea.open_red_flags == 1
    assert [flag.code for flag in bea.flags][:2] == ["pain_on_screening", "heel_raise_lsi_low"]
    assert rows[5].heel_raise_lsi == 82.5 and rows[1].flags == () and rows[1].heel_raise_lsi == 100.0
    assert rows[3].last_screened is None and rows[3].values == {} and rows[3].flags == ()


def test_the_charts() -> None:
    charts = build_dashboard(1, TODAY, ATHLETES, clinical_visible=True).charts
    assert [(b.low, b.high, b.count) for b in charts.lsi_bins if b.count] == [(50.0, 60.0, 1), (80.0, 90.0, 1),
                                                                               (90.0, 100.0, 1)]  # fmt: skip
    assert len(charts.lsi_bins) == 10 and charts.lsi_bins[0].low == 0.0 and charts.lsi_bins[-1].high == 100.0
    points = [(p.patient_id, p.reps) for p in charts.reps_vs_norm]
    assert points == [(1, 40), (1, 40), (2, 20), (2, 40), (5, 33), (5, 40)]  # each leg, athlete by athlete
    assert {(p.age, p.norm) for p in charts.reps_vs_norm} == {(30, 27.0)}  # women aged 30-39 (CLINICAL.md 2.2)
    assert [(c.patient_id, c.key, c.before, c.after) for c in charts.changes] == [(2, "knee_to_wall_left", 10.0, 12.1)]


def test_an_lsi_of_exactly_90_is_in_the_target_bin_and_100_in_the_last() -> None:
    athletes = [_athlete(1, "A", FIT, (NOV, {"heel_raise_left": 27, "heel_raise_right": 30})),
                _athlete(2, "B", FIT, (NOV, {"heel_raise_left": 30, "heel_raise_right": 30})),
                _athlete(3, "C", FIT, (NOV, {"heel_raise_left": 0, "heel_raise_right": 30}))]  # fmt: skip
    counts = [b.count for b in lsi_bins(athletes, TODAY)]
    assert counts == [1, 0, 0, 0, 0, 0, 0, 0, 0, 2]


def test_a_role_without_clinical_access_gets_availability_only() -> None:
    board = build_dashboard(1, TODAY, ATHLETES, clinical_visible=False)
    assert not board.clinical_visible and board.charts == DashboardCharts()
    assert [row.member.patient_id for row in board.rows] == [4, 3, 1, 2, 5]  # availability, then list order
    for row in board.rows:
        assert (row.last_screened, row.values, row.change, row.heel_raise_lsi, row.flags, row.open_red_flags) == (
            None, {}, {}, None, (), 0)  # fmt: skip


def test_history_is_read_up_to_the_day() -> None:
    results = ATHLETES[1].results
    assert history_of(results, SEPT).last == results[0] and history_of(results, SEPT).before is None
    assert history_of(results, JAN).before == results[1]
    assert history_of(results, date(2026, 1, 1)).last is None
