"""The dashboard on a real database: counts, availability in words and colour, the last screening and its
change, sorting, the three charts drawn from the core's series, the pseudonymised view, club staff seeing
availability only (and pseudonyms first), and the exports written through the record-exchange service."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.squads.conftest import SCREENED_ON, SquadDesk, complete_screening, open_window, settle
from ui.squads.dashboard_table import SORT_ROLE, AnalyticsColumn, DashboardColumn
from ui.squads.squad_charts import LsiDistributionChart, RepsAgainstNormChart, ScreeningChangeChart
from ui.squads.squad_style import availability_tint
from ui.squads.squads_window import SquadsWindow
from workstation.records import Episode, Side
from workstation.security.accounts import Role
from workstation.squads.records import Availability

EARLIER = SCREENED_ON - timedelta(weeks=6)
LAST = SCREENED_ON - timedelta(days=3)


def _hr(left: float, right: float, **more: float) -> dict[str, float]:
    return {"heel_raise_left": left, "heel_raise_right": right, **more}


def screened_squad(desk: SquadDesk) -> int:
    """Six athletes screened twice; the first now with an open episode not yet assessed (unavailable)."""
    squad = desk.import_squad(6).squad
    assert squad.id is not None
    complete_screening(desk, squad.id, EARLIER, [_hr(40, 40), _hr(30, 31), _hr(35, 35), _hr(22, 30)])
    complete_screening(desk, squad.id, LAST, [_hr(30, 40, pain=2), _hr(32, 31), _hr(36, 34), _hr(24, 31)])
    first = desk.session().squads.members(squad.id, SCREENED_ON)[0].patient_id  # in list order, as screened
    desk.store.episodes.add(Episode(first, "Calf pain", Side.LEFT, SCREENED_ON - timedelta(days=1)))
    return squad.id


def show_dashboard(qtbot: QtBot, desk: SquadDesk, role: Role = Role.ADMIN, **options: Any) -> SquadsWindow:
    window = open_window(qtbot, desk, role, **options)
    window.tabs.setCurrentWidget(window.dashboard)
    settle(qtbot, desk)
    assert window.dashboard.dashboard is not None
    return window


def cells(window: SquadsWindow, column: int) -> list[Any]:
    proxy = window.dashboard.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_counts_availability_last_screening_and_change(qtbot: QtBot, desk: SquadDesk, qtmodeltester: Any) -> None:
    screened_squad(desk)
    window = show_dashboard(qtbot, desk)
    tab = window.dashboard
    qtmodeltester.check(tab.named_model)
    assert [tab.counts[a].text() for a in Availability] == ["5 available", "0 modified", "1 unavailable"]
    assert tab.last_screened_label.text() == f"Last screening: {LAST:%d/%m/%Y}"
    proxy = tab.proxy
    first = proxy.index(0, DashboardColumn.AVAILABILITY)
    assert first.data() == "Unavailable"  # the athlete who needs attention comes first, and says so in words
    assert first.data(Qt.ItemDataRole.BackgroundRole) == availability_tint(Availability.UNAVAILABLE).background
    assert proxy.index(0, DashboardColumn.REASON).data() == "Awaiting assessment"
    assert proxy.index(0, DashboardColumn.CHANGE).data() == "L −10 · R 0"
    assert proxy.index(0, DashboardColumn.LSI).data() == "75 %"
    assert proxy.index(0, DashboardColumn.FLAGS).data().startswith("Alert: Pain 2/10")
    assert cells(window, DashboardColumn.LAST_SCREENED)[:4] == [f"{LAST:%d/%m/%Y}"] * 4
    assert cells(window, DashboardColumn.LAST_SCREENED)[4:] == ["", ""]  # never screened


def test_every_column_sorts_by_its_meaning(qtbot: QtBot, desk: SquadDesk) -> None:
    screened_squad(desk)
    window = show_dashboard(qtbot, desk)
    table, proxy = window.dashboard.table, window.dashboard.proxy
    table.sortByColumn(DashboardColumn.HEEL_RAISE_LEFT, Qt.SortOrder.DescendingOrder)
    assert cells(window, DashboardColumn.HEEL_RAISE_LEFT) == ["36", "32", "30", "24", "", ""]  # numbers, not text
    table.sortByColumn(DashboardColumn.LSI, Qt.SortOrder.AscendingOrder)
    lsi = [proxy.index(r, DashboardColumn.LSI).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert lsi == sorted(lsi)
    table.sortByColumn(DashboardColumn.AVAILABILITY, Qt.SortOrder.AscendingOrder)
    assert cells(window, DashboardColumn.AVAILABILITY)[0] == "Unavailable"


def test_the_charts_draw_the_cores_series_in_widgets_named_after_them(qtbot: QtBot, desk: SquadDesk) -> None:
    screened_squad(desk)
    window = show_dashboard(qtbot, desk)
    board = window.dashboard.dashboard
    assert board is not None
    lsi = window.findChild(LsiDistributionChart, "LsiDistributionChart")
    reps = window.findChild(RepsAgainstNormChart, "RepsAgainstNormChart")
    change = window.findChild(ScreeningChangeChart, "ScreeningChangeChart")
    assert lsi is not None and reps is not None and change is not None
    lefts, heights = lsi.bar_data()
    assert list(lefts) == [b.low for b in board.charts.lsi_bins]
    assert list(heights) == [b.count for b in board.charts.lsi_bins] and heights.sum() == 4
    below, meets = reps.point_data()
    assert below + meets == len([p for p in board.charts.reps_vs_norm if p.norm is not None]) == 8
    starts, counts = change.bar_data()
    assert counts.sum() == 8  # two legs of four athletes screened twice
    assert np.isclose(starts[0], -11.5)  # the left calf that lost ten reps, in its own bin (-11 and -10)
    assert change.flagged_data()[0] == 1  # and coloured as a drop, as the screening flag says
    curves_before = (lsi.bars, reps.below, change.bars)
    window.dashboard.show_squad(window.selected_squad())  # drawn again: the same items, new data
    settle(qtbot, desk)
    assert (lsi.bars, reps.below, change.bars) == curves_before


def test_the_change_chart_colours_a_leg_as_a_drop_exactly_when_the_flag_fires(qtbot: QtBot, desk: SquadDesk) -> None:
    squad = desk.import_squad(4).squad
    assert squad.id is not None
    complete_screening(desk, squad.id, EARLIER, [_hr(40, 40), _hr(40, 40), _hr(40, 40), _hr(40, 40)])
    complete_screening(desk, squad.id, LAST, [_hr(33, 40), _hr(34, 40), _hr(35, 40), _hr(36, 40)])  # down 7 to 4
    window = show_dashboard(qtbot, desk)
    board = window.dashboard.dashboard
    assert board is not None
    flagged_rows = [row for row in board.rows if "heel_raise_drop" in {f.code for f in row.flags}]
    dropped = sorted(row.values["heel_raise_left"] for row in flagged_rows)
    assert dropped == [33, 34]  # the flag fires at a drop of 6 or more (CLINICAL.md 2.3)
    change = window.dashboard.charts.change
    starts, legs = change.bar_data()
    flagged = change.flagged_data()
    by_bin = {float(start): (int(total), int(drops)) for start, total, drops in zip(starts, legs, flagged, strict=True)}
    assert by_bin == {-7.5: (2, 2), -5.5: (2, 0), -1.5: (4, 0)}  # -7 and -6 flagged; -5 and -4 not; the right legs
    assert not any(low < -5.5 < low + 2 for low in starts)  # no bar straddles the flag's threshold
    labels = [label.text for _sample, label in change.plot.legend.items]
    assert labels == ["Down 6 reps or more: flagged", "Less than 6 either way: may be noise"]
    assert change.noise_band.getRegion() == (-5.5, 5.5)  # a change of 5 is noise, of 6 it is not


def test_the_pseudonymised_view_swaps_names_for_pseudonyms(qtbot: QtBot, desk: SquadDesk, qtmodeltester: Any) -> None:
    screened_squad(desk)
    window = show_dashboard(qtbot, desk)
    tab = window.dashboard
    assert not tab.pseudonymised  # off by default for the clinic's own staff
    names = set(cells(window, DashboardColumn.ATHLETE))
    tab.pseudonymised_box.setChecked(True)
    settle(qtbot, desk)
    qtmodeltester.check(tab.pseudonymised_model)
    assert tab.proxy.sourceModel() is tab.pseudonymised_model
    shown = {str(tab.proxy.index(r, c).data()) for r in range(tab.proxy.rowCount()) for c in AnalyticsColumn}
    assert not any(name in text for name in names for text in shown)
    pseudonyms = cells(window, AnalyticsColumn.PSEUDONYM)
    assert len(set(pseudonyms)) == 6 and all(len(p) == 12 for p in pseudonyms)
    assert not tab.row_flags.isVisible()


def test_club_staff_see_availability_only_and_pseudonyms_first(qtbot: QtBot, desk: SquadDesk) -> None:
    squad_id = screened_squad(desk)
    consenting = [m.patient_id for m in desk.session().squads.members(squad_id, SCREENED_ON)][:3]
    desk.share_with_club(consenting)
    window = show_dashboard(qtbot, desk, Role.CLUB)
    tab = window.dashboard
    assert tab.pseudonymised  # G4: the club's view starts pseudonymised
    assert tab.dashboard is not None and not tab.dashboard.clinical_visible
    assert not tab.charts.isVisible() and "availability only" in tab.view_note.text()
    assert tab.proxy.rowCount() == 3  # only the athletes who agreed to share with the club
    hidden = [c for c in AnalyticsColumn if tab.table.isColumnHidden(c)]
    assert hidden == [AnalyticsColumn.HEEL_RAISE_LEFT, AnalyticsColumn.HEEL_RAISE_RIGHT, AnalyticsColumn.LSI]
    tab.pseudonymised_box.setChecked(False)
    settle(qtbot, desk)
    shown = [c for c in DashboardColumn if not tab.table.isColumnHidden(c)]
    assert shown == [DashboardColumn.ATHLETE, DashboardColumn.AVAILABILITY, DashboardColumn.REASON]
    assert not tab.export_buttons["pdf"].isVisible()  # the report holds clinical values
    assert tab.export_buttons["csv"].isVisible() and tab.export_buttons["analytics"].isVisible()


def test_exports_write_the_squad_the_report_and_the_analytics(qtbot: QtBot, desk: SquadDesk, tmp_path: Path) -> None:
    screened_squad(desk)
    answers: list[Path] = []
    chosen = iter([tmp_path / "squad.csv", tmp_path / "squad.xlsx", tmp_path / "report.pdf", tmp_path / "pseudo"])

    def choose(_parent: Any, _title: str, suggested: Path, _filters: str) -> Path:
        answers.append(suggested)
        return next(chosen)

    window = show_dashboard(qtbot, desk, choose_save=choose)
    tab = window.dashboard
    for key in ("csv", "xlsx", "pdf", "analytics"):
        tab.export_buttons[key].click()
        settle(qtbot, desk)
        assert tab.banner.text.startswith("Saved "), tab.banner.text
    assert answers[0].name == f"Senior women {SCREENED_ON.isoformat()}.csv"  # the squad and the day, no one's name
    assert answers[3].name == f"Senior women analytics {SCREENED_ON.isoformat()}.csv"
    rows = list(csv.reader(io.StringIO((tmp_path / "squad.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["Athlete", "Availability", "Reason", "Last screened"] and len(rows) == 7
    first = tab.dashboard.rows[0].member.display_name
    assert rows[1][:3] == [first, "Unavailable", "Awaiting assessment"]  # in the dashboard's order
    sheet = load_workbook(tmp_path / "squad.xlsx").worksheets[0]
    assert sheet.max_row == 7 and sheet.cell(2, 1).value == first
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    analytics = (tmp_path / "pseudo.csv").read_text(encoding="utf-8-sig")  # the suffix added when none was typed
    names = {m.display_name.split(", ")[0] for m in desk.session().squads.members(tab.dashboard.squad_id, SCREENED_ON)}
    assert not any(name in analytics for name in names)
