"""The squad dashboard: each current member's availability and, for those who may see it, their screening.

A role that may not see clinical records (club staff) gets each row's member and availability and nothing
else: the values, change, flags, red-flag count and charts stay at their blank defaults (G5), so no view
can show them by forgetting to hide them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from workstation.squads.athletes import AthleteFacts, age_of, heel_raise_lsi_shown, history_of
from workstation.squads.dashboard_charts import dashboard_charts
from workstation.squads.screening_flags import screening_flags, worst_level
from workstation.squads.views import Dashboard, DashboardCharts, DashboardRow

_NO_FLAG_RANK = 3  # after every FlagLevel.rank


def build_dashboard(squad_id: int, on: date, athletes: Sequence[AthleteFacts], *, clinical_visible: bool) -> Dashboard:
    """The dashboard of ``athletes`` (given in list order) on ``on``: those most in need of attention first.

    Args:
        squad_id: the squad's id.
        on: the day shown (availability is as of this day; screenings up to it).
        athletes: the squad's current members, in list order (ties keep it).
        clinical_visible: whether the role may see clinical records; False leaves only availability.
    """
    rows = [clinical_row(athlete, on) if clinical_visible else availability_row(athlete) for athlete in athletes]
    rows.sort(key=_attention_order)
    charts = dashboard_charts(athletes, on) if clinical_visible else DashboardCharts()
    return Dashboard(squad_id, on, tuple(rows), charts, clinical_visible)


def availability_row(athlete: AthleteFacts) -> DashboardRow:
    """The row club staff see: who, and whether they can train."""
    return DashboardRow(athlete.member, athlete.availability)


def clinical_row(athlete: AthleteFacts, on: date) -> DashboardRow:
    """The full row: the last screening's values, change since the one before, its LSI and its flags."""
    history = history_of(athlete.results, on)
    last, before = history.last, history.before
    if last is None:
        return DashboardRow(athlete.member, athlete.availability, open_red_flags=athlete.open_red_flags)
    flags = screening_flags(
        last.values,
        age=age_of(athlete.member, last.held_on),
        sex=athlete.member.sex,
        previous=None if before is None else before.values,
        previous_on=None if before is None else before.held_on,
    )
    return DashboardRow(
        member=athlete.member,
        availability=athlete.availability,
        last_screened=last.held_on,
        values=dict(last.values),
        change=history.change,
        heel_raise_lsi=heel_raise_lsi_shown(last.values),
        flags=flags,
        open_red_flags=athlete.open_red_flags,
    )


def _attention_order(row: DashboardRow) -> tuple[int, int, int]:
    worst = worst_level(row.flags)
    return row.availability.availability.rank, _NO_FLAG_RANK if worst is None else worst.rank, -len(row.flags)
