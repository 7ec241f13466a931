"""The squad's files: the dashboard's columns for clinicians, availability only for club staff (G5), the
pseudonymised analytics with no direct identifier and the counts suppressed (G4), every cell formula-safe
and every number a number, in CSV and XLSX."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from tests.workstation.exchange import squad_samples as samples
from workstation.exchange.spreadsheet import csv_bytes, xlsx_bytes
from workstation.exchange.squad_export import (
    ANALYTICS_HEADERS,
    CLUB_HEADERS,
    analytics_counts_table,
    analytics_csv,
    analytics_table,
    squad_table,
)
from workstation.squads.records import SCREENING_MEASURES


def test_a_clinicians_file_has_every_column_the_dashboard_shows() -> None:
    headers, rows = squad_table(samples.clinical_dashboard(), samples.SQUAD)
    assert headers[:4] == (*CLUB_HEADERS, "Last screened")
    assert [h for h in headers[4:11]] == [m.label for m in SCREENING_MEASURES]
    assert headers[11] == "Heel-raise LSI (%)"
    assert headers[-2:] == ("Flags", "Open red flags")
    first = dict(zip(headers, rows[0], strict=True))
    assert first["Athlete"] == "Ngata, Aroha"
    assert (first["Availability"], first["Reason"]) == ("Unavailable", "Red flag: see the physio")
    assert first["Last screened"] == samples.SCREENED
    assert (first["Heel raise L"], first["Knee to wall R"], first["Pain (0–10)"]) == (26, 9.0, 3)
    assert isinstance(first["Heel raise L"], int)  # whole repetitions, not 26.0
    assert first["Heel-raise LSI (%)"] == 76.5
    assert (first["Change: Heel raise L"], first["Change: Heel raise R"]) == (-3, None)
    assert first["Flags"] == "Pain 3/10 on screening; Heel-raise LSI 76 % (target ≥ 90 %)"  # most serious first
    assert first["Open red flags"] == 1


def test_a_value_not_measured_is_an_empty_cell_never_zero() -> None:
    headers, rows = squad_table(samples.clinical_dashboard(), samples.SQUAD)
    unscreened = dict(zip(headers, rows[3], strict=True))
    assert unscreened["Last screened"] is None
    assert [unscreened[m.label] for m in SCREENING_MEASURES] == [None] * len(SCREENING_MEASURES)
    assert unscreened["Heel-raise LSI (%)"] is None and unscreened["Flags"] == ""


def test_club_staff_get_the_athlete_and_availability_only() -> None:
    headers, rows = squad_table(samples.club_dashboard(), samples.SQUAD)
    assert headers == ("Athlete", "Availability", "Reason")
    assert rows[0] == ("Ngata, Aroha", "Unavailable", "Red flag: see the physio")
    text = csv_bytes(headers, rows).decode("utf-8-sig")
    for clinical in ("Heel raise", "LSI", "Pain", "Flags", "Knee", "screened"):
        assert clinical not in text


def test_a_name_typed_as_a_formula_is_text_in_both_formats() -> None:
    headers, rows = squad_table(samples.club_dashboard(), samples.SQUAD)
    (_, _, evil) = list(csv.reader(io.StringIO(csv_bytes(headers, rows).decode("utf-8-sig"))))
    assert evil[0] == '\'=HYPERLINK("http://evil","x")'
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"Squad": (headers, rows)}))).worksheets[0]
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == '\'=HYPERLINK("http://evil","x")'


def test_the_xlsx_keeps_the_numbers_and_dates_typed() -> None:
    headers, rows = squad_table(samples.clinical_dashboard(), samples.SQUAD)
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"Squad": (headers, rows)}))).worksheets[0]
    row = next(sheet.iter_rows(min_row=2, max_row=2))
    assert row[3].is_date and row[4].value == 26 and row[4].data_type == "n"
    assert row[11].value == 76.5


def test_a_dashboard_of_another_squad_is_refused() -> None:
    with pytest.raises(ValueError, match="another squad"):
        squad_table(samples.clinical_dashboard(), replace(samples.SQUAD, id=99))


def test_the_analytics_hold_no_direct_identifier() -> None:
    headers, rows = analytics_table(samples.analytics())
    assert headers == ANALYTICS_HEADERS
    assert "Athlete" not in headers and "Date of birth" not in headers
    first = dict(zip(headers, rows[0], strict=True))
    assert (first["Pseudonym"], first["Age band"], first["Last screened (month)"]) == (
        "3f9a0c1d2e4b",
        "25-34",
        "2026-11",
    )
    assert first["Heel raise L"] == 26 and first["Heel-raise LSI (%)"] == 76.5
    text = analytics_csv(samples.analytics()).decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(ANALYTICS_HEADERS)
    assert "3f9a0c1d2e4b" in text and "a1b2c3d4e5f6" in text
    for identifier in ("Ngata", "Aroha", "1996-05-06", "Senior women"):
        assert identifier not in text


def test_counts_of_one_to_seven_leave_the_clinic_as_less_than_eight() -> None:
    headers, rows = analytics_counts_table(samples.analytics())
    assert headers == ("Count of", "Athletes")
    assert list(rows) == [("Available", "<8"), ("Modified", "12"), ("Unavailable", "0")]
