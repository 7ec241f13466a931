"""Properties of the generic import: valid rows round-trip; one corrupted cell is reported on its row and column."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import UTC, date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.workstation.running.helpers import TODAY
from workstation.clinical.load import SURFACES
from workstation.dates import DateOrder, format_date
from workstation.running.csv_import import preview
from workstation.running.csv_table import read_table
from workstation.running.records import RunRecord

HEADER = ["Date", "Distance (km)", "Duration (min)", "RPE", "Surface", "Shoes", "Hills", "Notes"]
SHOE_LETTERS = st.characters(whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters=" ,;\"'-é")


@dataclass(frozen=True)
class Row:
    run_on: date
    km: str
    minutes: str
    effort: int | None
    surface: str | None
    shoes: str
    hills: bool | None

    def cells(self, order: DateOrder) -> list[str]:
        hills = "" if self.hills is None else ("yes" if self.hills else "no")
        effort = "" if self.effort is None else str(self.effort)
        return [
            format_date(self.run_on, order), self.km, self.minutes, effort, self.surface or "", self.shoes, hills, "",
        ]  # fmt: skip

    def record(self) -> RunRecord:
        return RunRecord(
            patient_id=5, run_on=self.run_on, distance_km=float(self.km), duration_min=float(self.minutes),
            perceived_effort=self.effort, surface=self.surface, shoes=self.shoes, hills=self.hills,  # type: ignore[arg-type]
            source="csv",
        )  # fmt: skip


@st.composite
def rows(draw: st.DrawFn) -> list[Row]:
    days = draw(st.lists(st.integers(0, 3000), min_size=1, max_size=12, unique=True))
    result = []
    for day in days:
        km = draw(st.integers(50, 5000)) / 100  # 0.5 to 50 km
        pace = draw(st.floats(3.0, 12.0))
        result.append(
            Row(
                run_on=TODAY - timedelta(days=day),
                km=f"{km:.2f}",
                minutes=f"{km * pace:.1f}",
                effort=draw(st.none() | st.integers(0, 10)),
                surface=draw(st.none() | st.sampled_from(SURFACES)),
                shoes=draw(st.text(SHOE_LETTERS, max_size=20)).strip(),
                hills=draw(st.none() | st.booleans()),
            )
        )
    return result


def encode(table_rows: list[list[str]], separator: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows([HEADER, *table_rows])
    return out.getvalue().encode("utf-8")


def without_uid(run: RunRecord) -> RunRecord:
    return replace(run, uid="")


@settings(max_examples=60, deadline=None)
@given(rows(), st.sampled_from(list(DateOrder)), st.sampled_from([",", ";", "\t"]))
def test_valid_rows_round_trip_to_the_same_runs(generated: list[Row], order: DateOrder, separator: str) -> None:
    data = encode([row.cells(order) for row in generated], separator)
    result = preview(read_table(data), patient_id=5, today=TODAY, zone=UTC, date_order=order)
    assert result.problems == []
    assert result.can_commit
    assert [without_uid(run) for run in result.runs] == [without_uid(row.record()) for row in generated]


BAD_CELLS = {
    0: ["not a date", "2026-02-30", format_date(TODAY + timedelta(days=1), DateOrder.DAY_MONTH_YEAR), ""],
    1: ["-1", "0", "far", "5 mi", ""],
    2: ["soon", "0", "-5", "1:99"],
    3: ["11", "-1", "hard", "6.5"],
    4: ["mud"],
    6: ["maybe"],
}


@settings(max_examples=60, deadline=None)
@given(rows(), st.data())
def test_one_corrupted_cell_is_reported_on_its_row_and_column(generated: list[Row], data: st.DataObject) -> None:
    cells = [row.cells(DateOrder.DAY_MONTH_YEAR) for row in generated]
    target = data.draw(st.integers(0, len(cells) - 1), label="row")
    column = data.draw(st.sampled_from(sorted(BAD_CELLS)), label="column")
    cells[target][column] = data.draw(st.sampled_from(BAD_CELLS[column]), label="bad cell")
    result = preview(read_table(encode(cells, ",")), patient_id=5, today=TODAY, zone=UTC)
    line = target + 2  # the header is line 1
    assert {(p.line, p.column) for p in result.problems} == {(line, HEADER[column])}
    assert result.error_count == 1
    assert not result.can_commit
