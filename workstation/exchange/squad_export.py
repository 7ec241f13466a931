"""A squad's dashboard and its pseudonymised analytics as tables for CSV and XLSX files.

``squad_table`` holds the columns the dashboard shows. A dashboard built for club staff has no clinical
values (``clinical_visible`` False, G5), and their file has only the athlete, the availability, its reason
and the last screening date: a column they may not see is left out, not left blank.
``analytics_table`` holds no direct identifier (G4): the keyed pseudonym, an age band, the sex, the
availability, the month of the last screening and the numbers; ``analytics_counts_table`` holds the counts
as they may leave the clinic, 1-7 shown as "<8". Values stay numbers (whole numbers as integers), dates
stay dates; the spreadsheet writers (``spreadsheet``) make every text cell formula-safe.
"""

from __future__ import annotations

from collections.abc import Mapping

from workstation.exchange.spreadsheet import Cell, Row, Table, csv_bytes
from workstation.squads.records import SCREENING_MEASURES, Squad
from workstation.squads.views import Dashboard, DashboardRow, SquadAnalytics

# What club staff may take away (G5): who, and whether they can train; no screening, not even its date.
CLUB_HEADERS = ("Athlete", "Availability", "Reason")
FLAG_SEPARATOR = "; "


def squad_table(dashboard: Dashboard, squad: Squad) -> Table:
    """The dashboard of ``squad`` as (headers, rows), one row per athlete in the dashboard's order.

    Raises:
        ValueError: the dashboard is of another squad.
    """
    if dashboard.squad_id != squad.id:
        raise ValueError("the dashboard is of another squad")
    if not dashboard.clinical_visible:
        return CLUB_HEADERS, [_club_row(row) for row in dashboard.rows]
    headers = (
        *CLUB_HEADERS,
        "Last screened",
        *(measure.label for measure in SCREENING_MEASURES),
        "Heel-raise LSI (%)",
        *(f"Change: {measure.label}" for measure in SCREENING_MEASURES),
        "Flags",
        "Open red flags",
    )
    return headers, [_clinical_row(row) for row in dashboard.rows]


def _club_row(row: DashboardRow) -> Row:
    return (row.member.display_name, row.availability.availability.label, row.availability.reason)


def _clinical_row(row: DashboardRow) -> Row:
    return (
        *_club_row(row),
        row.last_screened,
        *_values(row.values),
        None if row.heel_raise_lsi is None else round(row.heel_raise_lsi, 1),
        *_values(row.change),
        FLAG_SEPARATOR.join(flag.text for flag in sorted(row.flags, key=lambda flag: flag.level.rank)),
        row.open_red_flags,
    )


def _values(values: Mapping[str, float]) -> list[Cell]:
    """One cell per screening measure, in the grid's order; a value not measured is an empty cell (never 0)."""
    return [_number(values.get(measure.key), whole=measure.whole_number) for measure in SCREENING_MEASURES]


def _number(value: float | None, *, whole: bool) -> Cell:
    if value is None:
        return None
    return int(value) if whole and float(value).is_integer() else value


ANALYTICS_HEADERS = (
    "Pseudonym",
    "Age band",
    "Sex",
    "Availability",
    "Last screened (month)",
    *(measure.label for measure in SCREENING_MEASURES),
    "Heel-raise LSI (%)",
)


def analytics_table(analytics: SquadAnalytics) -> Table:
    """The pseudonymised rows as (headers, rows): no name, date of birth, identifier or free text (G4)."""
    rows: list[Row] = [
        (
            row.pseudonym,
            row.age_band,
            row.sex,
            row.availability,
            row.last_screened_month,
            *_values(row.values),
            None if row.heel_raise_lsi is None else round(row.heel_raise_lsi, 1),
        )
        for row in analytics.rows
    ]
    return ANALYTICS_HEADERS, rows


def analytics_counts_table(analytics: SquadAnalytics) -> Table:
    """The counts as they may leave the clinic (1-7 shown as "<8", NHS Digital disclosure control, G4)."""
    return ("Count of", "Athletes"), [(count.label, count.shown) for count in analytics.counts]


def analytics_csv(analytics: SquadAnalytics) -> bytes:
    """``analytics_table`` as a CSV file (UTF-8 with a byte order mark, formula-safe)."""
    headers, rows = analytics_table(analytics)
    return csv_bytes(headers, rows)
