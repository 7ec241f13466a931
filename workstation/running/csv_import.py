"""Importing runs from a CSV file the user picked: which columns hold what, and a preview. Nothing is stored.

The UI's steps, each a call here:

1. ``read_table(data)`` reads the bytes (``RunFileUnreadable`` when it cannot);
2. ``is_strava_export(table)`` tells Strava's ``activities.csv`` apart (its columns are fixed, see
   ``workstation.running.strava``); any other file gets ``guess_mapping(table)``, a ``ColumnMapping`` guessed
   from the header names that the user may change: which column is the date, the distance and its unit,
   the duration and how it is written, and the optional ones;
3. ``preview(...)`` gives one ``ImportRow`` per data row: the run it would store, its problems, or why it
   is skipped, and ``can_commit`` for the all-or-nothing commit, which the running-log service does.

A distance column has one unit. A cell that names a different unit ("3 mi" in a km column) is an error on
that row, never converted quietly: a file that mixes units is usually a file where someone typed some
rows by hand, and the rest may be wrong too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import TypeVar, cast

from workstation.clinical.load import DistanceUnit, Surface
from workstation.dates import DateOrder
from workstation.running.csv_cells import (
    CellUnreadable,
    DurationFormat,
    read_date,
    read_distance,
    read_duration,
    read_effort,
    read_surface,
    read_yes_no,
)
from workstation.running.csv_mapping import ColumnMapping, column_unit, guess_mapping
from workstation.running.csv_table import CsvTable, RunFileUnreadable, read_table
from workstation.running.import_preview import (
    ImportPreview,
    ImportProblem,
    ImportRow,
    RowDraft,
    SkipReason,
    finish_preview,
)
from workstation.running.records import RunRecord
from workstation.running.strava import is_strava_export, preview_strava

__all__ = [
    "ColumnMapping",
    "CsvTable",
    "DurationFormat",
    "ImportPreview",
    "ImportProblem",
    "ImportRow",
    "RunFileUnreadable",
    "SkipReason",
    "column_unit",
    "guess_mapping",
    "is_strava_export",
    "preview",
    "preview_generic",
    "read_table",
]

_T = TypeVar("_T")
_REQUIRED_MESSAGES = {
    "run_on": "Empty: every run needs its date.",
    "distance_km": "Empty: every run needs its distance.",
}


def preview(
    table: CsvTable,
    *,
    patient_id: int,
    today: date,
    zone: tzinfo,
    existing: Iterable[RunRecord] = (),
    mapping: ColumnMapping | None = None,
    date_order: DateOrder = DateOrder.DAY_MONTH_YEAR,
    default_unit: DistanceUnit = "km",
    recorded_by: int | None = None,
) -> ImportPreview:
    """What importing ``table`` would do. A Strava export is read by its own rules unless a mapping is given.

    ``zone`` is the clinic's time zone (dates written in UTC are converted to it); ``existing`` is the
    patient's running log, for duplicates; ``default_unit`` is the clinic's unit, used when neither the
    header nor the cells say.
    """
    stored = tuple(existing)
    if mapping is None and is_strava_export(table):
        return preview_strava(
            table,
            patient_id=patient_id,
            today=today,
            zone=zone,
            existing=stored,
            display_unit=default_unit,
            recorded_by=recorded_by,
        )
    return preview_generic(
        table,
        mapping or guess_mapping(table, default_unit=default_unit),
        patient_id=patient_id,
        today=today,
        zone=zone,
        existing=stored,
        date_order=date_order,
        recorded_by=recorded_by,
    )


def preview_generic(
    table: CsvTable,
    mapping: ColumnMapping,
    *,
    patient_id: int,
    today: date,
    zone: tzinfo,
    existing: Iterable[RunRecord] = (),
    date_order: DateOrder = DateOrder.DAY_MONTH_YEAR,
    recorded_by: int | None = None,
) -> ImportPreview:
    """The preview of a file read through ``mapping``; with a broken mapping, only ``file_problems``."""
    file_problems = mapping.problems(table)
    if file_problems:
        return ImportPreview((), "csv", tuple(file_problems))
    columns = mapping.columns()
    labels = {name: table.column_label(index) for name, index in columns.items()}
    reader = _RowReader(table, mapping, columns, labels, date_order, zone)
    drafts = [reader.draft(index, patient_id, recorded_by) for index in range(len(table.rows))]
    return finish_preview(drafts, source="csv", today=today, columns=labels, existing=existing)


@dataclass(frozen=True, slots=True)
class _RowReader:
    table: CsvTable
    mapping: ColumnMapping
    columns: dict[str, int]
    labels: dict[str, str]
    date_order: DateOrder
    zone: tzinfo

    def draft(self, index: int, patient_id: int, recorded_by: int | None) -> RowDraft:
        line = self.table.line_numbers[index]
        draft = RowDraft(line)
        if why := self.table.width_problem(index):
            draft.problems.append(ImportProblem(line, "", why))
            return draft
        comma = self.table.separator != ","  # a decimal comma is only possible when the comma is not the separator
        mapping = self.mapping

        def read(name: str, reader: Callable[[str], _T]) -> _T | None:
            column = self.columns.get(name)
            if column is None:
                return None
            text = self.table.cell(index, column)
            if not text:
                if name in _REQUIRED_MESSAGES:
                    draft.problems.append(ImportProblem(line, self.labels[name], _REQUIRED_MESSAGES[name]))
                return None
            try:
                return reader(text)
            except CellUnreadable as error:
                draft.problems.append(ImportProblem(line, self.labels[name], str(error)))
                return None

        run_on = read("run_on", lambda text: read_date(text, self.date_order, self.zone))
        distance = read("distance_km", lambda text: read_distance(text, mapping.distance_unit, decimal_comma=comma))
        duration = read("duration_min", lambda text: read_duration(text, mapping.duration_format, decimal_comma=comma))
        effort = read("perceived_effort", lambda text: read_effort(text, decimal_comma=comma))
        # An unknown surface is kept as written so the run's own check names the allowed ones.
        surface = read("surface", lambda text: cast(Surface, read_surface(text)))
        hills = read("hills", read_yes_no)
        speed_work = read("speed_work", read_yes_no)
        if draft.problems or run_on is None or distance is None:
            return draft
        draft.run = RunRecord(
            patient_id=patient_id,
            run_on=run_on,
            distance_km=distance,
            duration_min=duration,
            perceived_effort=effort,
            surface=surface,
            shoes=read("shoes", str) or "",
            hills=hills,
            speed_work=speed_work,
            note=read("note", str) or "",
            source="csv",
            external_id=read("external_id", str) or "",
            recorded_by=recorded_by,
        )
        return draft
