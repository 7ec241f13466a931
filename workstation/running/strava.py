"""Strava's bulk export ``activities.csv`` (Settings > My Account > Download or delete your account).

The file has one row per activity and about 90 columns; several names repeat. The columns used, and why:

- **Activity ID** -> ``external_id``: Strava's own id, so importing the same export again finds every
  activity already in the log.
- **Activity Date** -> ``run_on``: written like "Mar 14, 2021, 6:55:51 PM" and in UTC, not the athlete's
  time. It is converted to the clinic's time zone before taking the date: a 6 am run in Sydney is
  7 pm the evening before in UTC and must not land on the previous day.
- **Activity Type** -> which rows are runs: Run, Trail Run and Virtual Run are imported (Trail Run sets the
  surface to trail, Virtual Run to treadmill); rides, walks, swims and the rest are listed as skipped.
- **Distance**, the *later* of the two columns of that name -> ``distance_km``: it is in metres. The first
  "Distance" is in the athlete's display unit (km or miles) with no unit written, so it is used only by an
  old export that lacks the metres column, in the unit the caller says. A run with no distance (a
  treadmill run without a foot pod) cannot count towards load and is skipped, not refused.
- **Moving Time** (seconds) -> ``duration_min``: the time spent running, without stops at lights; the
  later **Elapsed Time** (seconds) when there is no moving time. Pace and load read running time.
- **Perceived Exertion** -> ``perceived_effort``: Strava's 1-10 scale, whole numbers.
- **Activity Gear** -> ``shoes``: the name the athlete gave the pair.

Not imported: names, descriptions, private notes, media, file names, heart rate, power and weather. They add
nothing to the load rules and may hold other people's names or places (data minimisation).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, tzinfo

from workstation.clinical.load import DistanceUnit, Surface
from workstation.running.csv_cells import (
    CellUnreadable,
    DurationFormat,
    datetime_to_local_date,
    read_distance,
    read_duration,
    read_effort,
    read_number,
    read_utc_datetime,
)
from workstation.running.csv_table import CsvTable
from workstation.running.import_preview import ImportPreview, ImportProblem, RowDraft, SkipReason, finish_preview
from workstation.running.records import RunRecord

RUN_TYPES: dict[str, Surface | None] = {"run": None, "trail run": "trail", "virtual run": "treadmill"}
_REQUIRED = ("Activity ID", "Activity Date", "Activity Type", "Distance")


def is_strava_export(table: CsvTable) -> bool:
    """True for Strava's ``activities.csv``, told by its header names."""
    return all(name in table.headers for name in _REQUIRED)


class _Columns:
    def __init__(self, table: CsvTable) -> None:
        headers = table.headers
        self.id = headers.index("Activity ID")
        self.date = headers.index("Activity Date")
        self.type = headers.index("Activity Type")
        distances = _all(headers, "Distance")
        self.metres = distances[-1] if len(distances) > 1 else None
        self.display_distance = distances[0]
        moving = _all(headers, "Moving Time")
        elapsed = _all(headers, "Elapsed Time")
        self.durations = [moving[-1]] if moving else []
        self.durations += [elapsed[-1]] if elapsed else []
        self.effort = _first(headers, "Perceived Exertion")
        self.gear = _first(headers, "Activity Gear")
        self.labels = {
            "external_id": table.column_label(self.id),
            "run_on": table.column_label(self.date),
            "distance_km": table.column_label(self.metres if self.metres is not None else self.display_distance),
            "duration_min": table.column_label(self.durations[0]) if self.durations else "",
            "perceived_effort": table.column_label(self.effort) if self.effort is not None else "",
            "shoes": table.column_label(self.gear) if self.gear is not None else "",
        }


def preview_strava(
    table: CsvTable,
    *,
    patient_id: int,
    today: date,
    zone: tzinfo,
    existing: Iterable[RunRecord] = (),
    display_unit: DistanceUnit = "km",
    recorded_by: int | None = None,
) -> ImportPreview:
    """What importing this Strava export would do; nothing is stored."""
    columns = _Columns(table)
    drafts = [
        _draft(table, index, columns, patient_id, zone, display_unit, recorded_by) for index in range(len(table.rows))
    ]
    return finish_preview(drafts, source="strava", today=today, columns=columns.labels, existing=existing)


def _draft(
    table: CsvTable,
    index: int,
    columns: _Columns,
    patient_id: int,
    zone: tzinfo,
    display_unit: DistanceUnit,
    recorded_by: int | None,
) -> RowDraft:
    line = table.line_numbers[index]
    draft = RowDraft(line)
    if why := table.width_problem(index):
        draft.problems.append(ImportProblem(line, "", why))
        return draft
    kind = table.cell(index, columns.type)
    if kind.lower() not in RUN_TYPES:
        draft.skip = SkipReason.NOT_A_RUN
        draft.skip_message = f"Not a run ({kind or 'no activity type'})."
        return draft
    labels = columns.labels

    def problem(field: str, message: str) -> None:
        draft.problems.append(ImportProblem(line, labels.get(field, ""), message))

    run_on: date | None = None
    try:
        run_on = datetime_to_local_date(read_utc_datetime(table.cell(index, columns.date)), zone)
    except CellUnreadable as error:
        problem("run_on", str(error))
    distance_km: float | None = None
    try:
        distance_km = _distance(table, index, columns, display_unit)
    except CellUnreadable as error:
        problem("distance_km", str(error))
    duration: float | None = None
    for column in columns.durations:
        text = table.cell(index, column)
        if text:
            try:
                duration = read_duration(text, DurationFormat.SECONDS, decimal_comma=False)
            except CellUnreadable as error:
                draft.problems.append(ImportProblem(line, table.column_label(column), str(error)))
            if duration:
                break
    effort: int | None = None
    if columns.effort is not None and (text := table.cell(index, columns.effort)):
        try:
            effort = read_effort(text, decimal_comma=False)
        except CellUnreadable as error:
            problem("perceived_effort", str(error))
    if draft.problems or run_on is None:
        return draft
    if not distance_km:
        draft.skip = SkipReason.NO_DISTANCE
        draft.skip_message = "No distance recorded, so it cannot count towards load."
        return draft
    draft.run = RunRecord(
        patient_id=patient_id,
        run_on=run_on,
        distance_km=distance_km,
        duration_min=duration or None,
        perceived_effort=effort,
        surface=RUN_TYPES[kind.lower()],
        shoes=table.cell(index, columns.gear) if columns.gear is not None else "",
        source="strava",
        external_id=table.cell(index, columns.id),
        recorded_by=recorded_by,
    )
    return draft


def _distance(table: CsvTable, index: int, columns: _Columns, display_unit: DistanceUnit) -> float | None:
    if columns.metres is not None:
        text = table.cell(index, columns.metres)
        if not text:
            return None
        metres, word = read_number(text, decimal_comma=False)
        if word:
            raise CellUnreadable(f"'{text}' should be a plain number of metres.")
        return metres / 1000
    text = table.cell(index, columns.display_distance)
    return read_distance(text, display_unit, decimal_comma=False) if text else None


def _all(headers: tuple[str, ...], name: str) -> list[int]:
    return [i for i, header in enumerate(headers) if header == name]


def _first(headers: tuple[str, ...], name: str) -> int | None:
    found = _all(headers, name)
    return found[0] if found else None
