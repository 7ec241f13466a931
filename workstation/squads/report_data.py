"""What the squad screening report prints, as plain data (``reports.squad_report`` lays it out as a PDF).

``squad_report`` reads a ``Dashboard`` the service built for someone who may see clinical values (the
report needs VIEW_CLINICAL): one row per athlete with the availability and its reason, the last screening's
heel-raise and knee-to-wall values, the heel-raise LSI, pain and the flags, in the dashboard's order (the
athletes needing attention first), plus the counts by availability and the LSI histogram's bins. Every
text is final wording, so the PDF code only places it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from workstation.squads.records import MEASURE_BY_KEY, Availability, Squad
from workstation.squads.views import Dashboard, DashboardRow, FlagLevel, LsiBin

NOT_MEASURED = "—"
NEVER_SCREENED = "Not screened"
# Columns of the athletes' table: (heading, SCREENING_KEYS it shows); the LSI and flags are computed.
VALUE_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Heel raise L / R (reps)", ("heel_raise_left", "heel_raise_right")),
    ("Knee to wall L / R (cm)", ("knee_to_wall_left", "knee_to_wall_right")),
    ("Pain (0–10)", ("pain",)),
)


@dataclass(frozen=True, slots=True)
class ReportRow:
    athlete: str  # "Family, Given" as in the patient list
    availability: Availability
    reason: str
    last_screened: str  # "12 Nov 2026" or NEVER_SCREENED
    heel_raise: str  # "28 / 31"
    knee_to_wall: str  # "11.5 / 12.0"
    pain: str
    lsi: str  # "90 %"
    flags: tuple[str, ...]  # the flags' texts, most serious first
    alert: bool  # an ALERT flag or an unresolved red flag: the row is marked (never by colour alone)


@dataclass(frozen=True, slots=True, repr=False)
class SquadReport:
    """One squad's screening report on one day. ``clinic_name`` heads it; no name goes into the metadata."""

    squad_title: str  # "Senior women (2026/27)"
    squad_id: int | None
    on: date
    clinic_name: str
    counts: tuple[tuple[Availability, int], ...]  # every availability, in rank order
    rows: tuple[ReportRow, ...]
    lsi_bins: tuple[LsiBin, ...]
    athletes_screened: int

    def __repr__(self) -> str:  # the rows hold names: never in a log
        return f"SquadReport(squad_id={self.squad_id}, rows={len(self.rows)})"

    @property
    def date_text(self) -> str:
        return long_date(self.on)


def squad_report(dashboard: Dashboard, squad: Squad, *, clinic_name: str) -> SquadReport:
    """The report of ``dashboard`` (built for someone who sees clinical values) for ``squad``.

    Raises:
        ValueError: the dashboard is of another squad, or was built without clinical values.
    """
    if dashboard.squad_id != squad.id:
        raise ValueError("the dashboard is of another squad")
    if not dashboard.clinical_visible:
        raise ValueError("the screening report needs a dashboard with clinical values")
    rows = tuple(_report_row(row) for row in dashboard.rows)
    counts = tuple(
        (availability, dashboard.count(availability)) for availability in sorted(Availability, key=lambda a: a.rank)
    )
    return SquadReport(
        squad_title=squad.title,
        squad_id=squad.id,
        on=dashboard.on,
        clinic_name=clinic_name,
        counts=counts,
        rows=rows,
        lsi_bins=dashboard.charts.lsi_bins,
        athletes_screened=sum(1 for row in dashboard.rows if row.last_screened is not None),
    )


def _report_row(row: DashboardRow) -> ReportRow:
    flags = sorted(row.flags, key=lambda flag: flag.level.rank)
    texts = [flag.text for flag in flags]
    if row.open_red_flags:
        plural = "s" if row.open_red_flags > 1 else ""
        texts.insert(0, f"{row.open_red_flags} unresolved red flag{plural}: assess before training")
    return ReportRow(
        athlete=row.member.display_name,
        availability=row.availability.availability,
        reason=row.availability.reason,
        last_screened=long_date(row.last_screened) if row.last_screened else NEVER_SCREENED,
        heel_raise=pair(row.values, "heel_raise_left", "heel_raise_right"),
        knee_to_wall=pair(row.values, "knee_to_wall_left", "knee_to_wall_right"),
        pain=value_text(row.values, "pain"),
        lsi=f"{row.heel_raise_lsi:.0f} %" if row.heel_raise_lsi is not None else NOT_MEASURED,
        flags=tuple(texts),
        alert=bool(row.open_red_flags) or any(flag.level is FlagLevel.ALERT for flag in flags),
    )


def pair(values: Mapping[str, float], left: str, right: str) -> str:
    """Two sides as "28 / 31"; a side not measured prints as a dash ("28 / —"), both missing as one dash."""
    if left not in values and right not in values:
        return NOT_MEASURED
    return f"{value_text(values, left)} / {value_text(values, right)}"


def value_text(values: Mapping[str, float], key: str) -> str:
    """A screening value as typed: whole numbers without a decimal point, centimetres to one place."""
    if key not in values:
        return NOT_MEASURED
    value = values[key]
    if MEASURE_BY_KEY[key].whole_number:
        return f"{value:.0f}"
    return f"{value:.1f}"


def long_date(day: date) -> str:
    """A date as "3 Dec 2026": British order, the month in words, so 03/12 is never read as 12 March."""
    return f"{day.day} {day:%b %Y}"
