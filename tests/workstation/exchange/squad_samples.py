"""Dashboards and analytics as the squad service builds them, made by hand for the export and report tests
(the service's own tests build them from a real store; these pin every field the files print)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from workstation.records import Sex
from workstation.squads.records import Availability, AvailabilityStatus, Membership, Squad
from workstation.squads.views import (
    AnalyticsRow,
    Dashboard,
    DashboardCharts,
    DashboardRow,
    FlagLevel,
    LsiBin,
    ScreeningFlag,
    SquadAnalytics,
    SquadMember,
    SuppressedCount,
)

ON = date(2026, 11, 20)
SCREENED = date(2026, 11, 12)
SQUAD = Squad(club_id=1, name="Senior women", season="2026/27", id=4)
FIT = AvailabilityStatus(Availability.AVAILABLE, "Fit to train")
MODIFIED = AvailabilityStatus(Availability.MODIFIED, "Return to running: walk-run phase 3")
RED_FLAG = AvailabilityStatus(Availability.UNAVAILABLE, "Red flag: see the physio")
LSI_LOW = ScreeningFlag("heel_raise_lsi_low", FlagLevel.CAUTION, "Heel-raise LSI 76 % (target ≥ 90 %)",
                        ("heel_raise_left", "heel_raise_right"), "CLINICAL.md 2.3")  # fmt: skip
PAIN = ScreeningFlag("pain_on_screening", FlagLevel.ALERT, "Pain 3/10 on screening", ("pain",), "CLINICAL.md 7.1")
VALUES = {
    "heel_raise_left": 26.0, "heel_raise_right": 34.0, "bent_knee_left": 22.0, "bent_knee_right": 25.0,
    "knee_to_wall_left": 11.5, "knee_to_wall_right": 9.0, "pain": 3.0,
}  # fmt: skip
LSI_BINS = (LsiBin(60, 70, 1), LsiBin(70, 80, 3), LsiBin(80, 90, 2), LsiBin(90, 100, 6))


def member(patient_id: int, name: str) -> SquadMember:
    membership = Membership(SQUAD.id or 0, patient_id, date(2026, 1, 10), id=100 + patient_id)
    return SquadMember(membership, patient_id, name, date(1996, 5, 6), Sex.FEMALE)


def clinical_row(patient_id: int, name: str, **changes: object) -> DashboardRow:
    fields: dict[str, object] = {
        "member": member(patient_id, name), "availability": MODIFIED, "last_screened": SCREENED,
        "values": VALUES, "change": {"heel_raise_left": -3.0, "knee_to_wall_left": 0.5},
        "heel_raise_lsi": 76.47, "flags": (LSI_LOW, PAIN), "open_red_flags": 0,
    }  # fmt: skip
    fields.update(changes)
    return DashboardRow(**fields)  # type: ignore[arg-type]


def clinical_dashboard(rows: Sequence[DashboardRow] | None = None) -> Dashboard:
    if rows is None:
        rows = (
            clinical_row(1, "Ngata, Aroha", availability=RED_FLAG, open_red_flags=1),
            clinical_row(2, "Nguyễn, Thị Minh"),
            clinical_row(3, "Clarke, Zoë", availability=FIT, values={"heel_raise_left": 31.0}, change={},
                         heel_raise_lsi=None, flags=()),
            clinical_row(4, "Unscreened, Ana", availability=FIT, last_screened=None, values={}, change={},
                         heel_raise_lsi=None, flags=()),
        )  # fmt: skip
    return Dashboard(SQUAD.id or 0, ON, tuple(rows), DashboardCharts(lsi_bins=LSI_BINS), clinical_visible=True)


def club_dashboard() -> Dashboard:
    """As club staff get it (G5): the member and the availability, nothing else."""
    rows = (
        DashboardRow(member(1, "Ngata, Aroha"), RED_FLAG),
        DashboardRow(member(2, '=HYPERLINK("http://evil","x")'), MODIFIED),
    )
    return Dashboard(SQUAD.id or 0, ON, rows, DashboardCharts(), clinical_visible=False)


def analytics() -> SquadAnalytics:
    rows = (
        AnalyticsRow("3f9a0c1d2e4b", "25-34", "female", "modified", "2026-11", VALUES, 76.5),
        AnalyticsRow("a1b2c3d4e5f6", "18-24", "male", "available", "", {}, None),
    )
    counts = (SuppressedCount("Available", 1), SuppressedCount("Modified", 12), SuppressedCount("Unavailable", 0))
    return SquadAnalytics(SQUAD.id or 0, ON, rows, counts)
