"""The squad screening report PDF: every name of the markup-injection and Unicode corpus prints as typed
(H3, H4), a flagged athlete is marked in words and symbol, the counts and the LSI histogram are there,
every page says "Page N of M", and the metadata names the squad and the day, never an athlete."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reports.squad_report import ALERT_MARK, render_squad_report
from tests.reports.corpus import NAMES, RIGHT_TO_LEFT
from tests.reports.pdf_text import logical, page_texts, reader, squeeze
from tests.workstation.exchange import squad_samples as samples
from workstation.squads.report_data import SquadReport, squad_report
from workstation.squads.views import Dashboard, DashboardCharts

LEFT_TO_RIGHT = tuple(name for name in NAMES if name not in RIGHT_TO_LEFT)
CLINIC = "Riverside Physio <b>&</b> Sports"


def _report(names: tuple[str, ...] = LEFT_TO_RIGHT, **squad_changes: object) -> SquadReport:
    rows = [
        samples.clinical_row(number, name, flags=() if number % 2 else (samples.PAIN,), open_red_flags=0)
        for number, name in enumerate(names, start=1)
    ]
    squad = replace(samples.SQUAD, **squad_changes)  # type: ignore[arg-type]
    return squad_report(samples.clinical_dashboard(rows), squad, clinic_name=CLINIC)


def _text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def test_every_name_prints_as_typed_nothing_obeyed_as_markup() -> None:
    text = _text(render_squad_report(_report()))
    for name in LEFT_TO_RIGHT:
        assert squeeze(name) in text, name
    assert "Riverside Physio <b>&</b> Sports" in text
    assert "<b>bold</b>" in text and "<font color=red>x</font>" in text and "0.1 <A <0.9" in text


@pytest.mark.parametrize("name", RIGHT_TO_LEFT)
def test_right_to_left_names_read_back_in_logical_order(name: str) -> None:
    text = _text(render_squad_report(_report((name,))))
    assert logical(name) in logical(text)


def test_the_heading_counts_and_histogram_are_on_the_first_page() -> None:
    first = page_texts(render_squad_report(_report(("Ngata, Aroha", "Clarke, Zoë", "Ødegård, Ida"))))[0]
    assert first.startswith(
        "Riverside Physio <b>&</b> Sports Squad screening report Senior women (2026/27) · 20 Nov 2026"
    )
    assert "Unavailable: 0" in first and "Modified: 3" in first and "Available: 0" in first
    assert "3 athletes, 3 screened" in first
    assert "90 % target" in first and "60–70" in first and "90–100" in first
    assert "Heel-raise LSI at the last screening (%)" in first


def test_each_athlete_row_holds_availability_values_lsi_and_flags() -> None:
    text = _text(render_squad_report(_report(("Ngata, Aroha", "Clarke, Zoë"))))
    assert "Modified: Return to running: walk-run phase 3" in text
    assert "12 Nov 2026" in text and "26 / 34" in text and "11.5 / 9.0" in text and "76 %" in text
    assert f"{ALERT_MARK} Clarke, Zoë" in text and "Pain 3/10 on screening" in text  # the alert, in words
    assert f"{ALERT_MARK} Ngata" not in text  # no alert, no mark


def test_a_red_flag_marks_the_row_and_is_named_first() -> None:
    rows = [samples.clinical_row(1, "Ngata, Aroha", availability=samples.RED_FLAG, open_red_flags=1, flags=())]
    report = squad_report(samples.clinical_dashboard(rows), samples.SQUAD, clinic_name="")
    (row,) = report.rows
    assert row.alert and row.flags == ("1 unresolved red flag: assess before training",)
    assert f"{ALERT_MARK} Ngata, Aroha" in _text(render_squad_report(report))


def test_a_long_squad_runs_over_pages_each_numbered_and_footed() -> None:
    names = tuple(f"Athlete {number:03}, Test" for number in range(90))
    pages = page_texts(render_squad_report(_report(names)))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Squad screening report · Senior women (2026/27) · 20 Nov 2026" in page
    assert all(f"Athlete {number:03}, Test" in " ".join(pages) for number in range(90))
    assert all("Athlete Availability Last screened" in page for page in pages[1:])  # the header repeats


def test_the_metadata_names_the_squad_and_day_never_an_athlete() -> None:
    metadata = reader(render_squad_report(_report())).metadata
    assert metadata is not None
    assert metadata.title == "Squad screening report: Senior women (2026/27), 20 Nov 2026"
    values = " ".join(str(value) for value in metadata.values())
    for name in (*NAMES, "Ngata", "Nguy"):
        assert name.split("\n")[0] not in values


def test_a_squad_with_no_athletes_or_lsi_still_renders() -> None:
    empty = Dashboard(samples.SQUAD.id or 0, samples.ON, (), DashboardCharts(), clinical_visible=True)
    text = _text(render_squad_report(squad_report(empty, samples.SQUAD, clinic_name="Clinic")))
    assert "No heel-raise LSI recorded at the last screening." in text
    assert "No athletes are in this squad on this day." in text and "Page 1 of 1" in text


def test_the_report_needs_the_clinical_dashboard_of_its_own_squad() -> None:
    club = samples.club_dashboard()
    with pytest.raises(ValueError, match="clinical values"):
        squad_report(club, samples.SQUAD, clinic_name="Clinic")
    with pytest.raises(ValueError, match="another squad"):
        squad_report(samples.clinical_dashboard(), replace(samples.SQUAD, id=77), clinic_name="Clinic")
