"""Which column of a generic running export holds what: guessed from the header names, changed by the user.

Columns are addressed by index, because header names may repeat. The distance unit comes from the header
("Distance (mi)", "Miles", "Distance km"), else from the unit most cells write ("5.2 km"), else the clinic's
unit; the duration format from the header ("Time (s)", "Duration (h:mm:ss)"), else from the cells.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from workstation.clinical.load import DistanceUnit
from workstation.running.csv_cells import DurationFormat, distance_unit_word
from workstation.running.csv_table import CsvTable

FIELD_LABELS = {
    "run_on": "Date",
    "distance_km": "Distance",
    "duration_min": "Duration",
    "perceived_effort": "Perceived effort",
    "surface": "Surface",
    "shoes": "Shoes",
    "hills": "Hills",
    "speed_work": "Speed work",
    "note": "Note",
    "external_id": "Activity id",
}


@dataclass(slots=True)
class ColumnMapping:
    """Which column (by index) holds each of the run's fields; None when the file has no such column.

    Field names are ``RunRecord``'s. The UI edits this directly, then asks for a new preview.
    """

    run_on: int | None = None
    distance_km: int | None = None
    duration_min: int | None = None
    perceived_effort: int | None = None
    surface: int | None = None
    shoes: int | None = None
    hills: int | None = None
    speed_work: int | None = None
    note: int | None = None
    external_id: int | None = None
    distance_unit: DistanceUnit = "km"
    duration_format: DurationFormat = DurationFormat.MINUTES

    def columns(self) -> dict[str, int]:
        """The mapped fields and their column indices."""
        found = {name: getattr(self, name) for name in FIELD_LABELS}
        return {name: index for name, index in found.items() if index is not None}

    def problems(self, table: CsvTable) -> list[str]:
        """What stops this mapping from being used on ``table``."""
        problems: list[str] = []
        used = self.columns()
        for name in ("run_on", "distance_km"):
            if name not in used:
                problems.append(f"Choose the column that holds the {FIELD_LABELS[name].lower()}.")
        for name, index in used.items():
            if not 0 <= index < len(table.headers):
                problems.append(f"The {FIELD_LABELS[name].lower()} column is not in this file: choose it again.")
        for index, count in Counter(used.values()).items():
            if count > 1 and 0 <= index < len(table.headers):
                problems.append(f"'{table.column_label(index)}' is chosen for more than one field: choose once.")
        return problems


# Header names, lower-cased with units in brackets and punctuation removed, and the field each one means.
_HEADER_FIELDS: dict[str, tuple[str, ...]] = {
    "run_on": ("date", "day", "run date", "activity date", "start date", "start time", "start", "when", "datetime"),
    "distance_km": ("distance", "dist", "km", "kms", "kilometres", "kilometers", "miles", "mi", "mileage"),
    "duration_min": (
        "duration",
        "time",
        "elapsed time",
        "moving time",
        "total time",
        "elapsed",
        "run time",
        "minutes",
        "mins",
    ),
    "perceived_effort": ("effort", "rpe", "perceived effort", "perceived exertion", "exertion"),
    "surface": ("surface", "terrain"),
    "shoes": ("shoes", "shoe", "gear", "trainers", "activity gear"),
    "hills": ("hills", "hill", "hilly"),
    "speed_work": ("speed work", "speedwork", "speed", "intervals", "interval", "speed session"),
    "note": ("note", "notes", "comment", "comments", "description"),
    "external_id": ("id", "activity id"),
}
_FIELD_OF_HEADER = {header: name for name, headers in _HEADER_FIELDS.items() for header in headers}
_BRACKETS = re.compile(r"[(\[]([^)\]]*)[)\]]")
_UNIT_WORDS: dict[str, DistanceUnit] = {
    "km": "km", "kms": "km", "kilometres": "km", "kilometers": "km", "mi": "mi", "miles": "mi", "mileage": "mi",
}  # fmt: skip
_SECONDS_WORDS = frozenset({"s", "sec", "secs", "seconds"})
_MINUTES_WORDS = frozenset({"min", "mins", "minutes"})
_CLOCK_WORDS = frozenset({"h:mm:ss", "hh:mm:ss", "mm:ss"})
_HOURS_MINUTES_WORDS = frozenset({"h:mm", "hh:mm"})


def _header_words(header: str) -> tuple[str, list[str]]:
    """The header without its bracketed part, and the words in brackets or at the end ("Distance (mi)")."""
    lowered = header.strip().lower()
    extras = [inner.strip() for inner in _BRACKETS.findall(lowered)]
    bare = " ".join(re.sub(r"[^a-z0-9: ]", " ", _BRACKETS.sub(" ", lowered)).split())
    return bare, extras


def guess_mapping(table: CsvTable, *, default_unit: DistanceUnit = "km") -> ColumnMapping:
    """A mapping guessed from the header names, with the distance unit and duration format they suggest."""
    mapping = ColumnMapping(distance_unit=default_unit)
    unit_from_header: DistanceUnit | None = None
    format_from_header: DurationFormat | None = None
    for index, header in enumerate(table.headers):
        bare, extras = _header_words(header)
        words = bare.split()
        name = _FIELD_OF_HEADER.get(bare)
        if name is None and len(words) == 2 and words[1] in _UNIT_WORDS | dict.fromkeys(_MINUTES_WORDS):
            name, extras = _FIELD_OF_HEADER.get(words[0]), [*extras, words[1]]  # "Distance km", "Time mins"
        if name is None or getattr(mapping, name) is not None:
            continue
        setattr(mapping, name, index)
        if name == "distance_km":
            unit_from_header = _unit_of_header(bare, extras)
        if name == "duration_min":
            format_from_header = _format_of([*extras, bare])
    if mapping.distance_km is not None:
        mapping.distance_unit = unit_from_header or _unit_of_cells(table, mapping.distance_km) or default_unit
    if mapping.duration_min is not None:
        mapping.duration_format = format_from_header or _format_of_cells(table, mapping.duration_min)
    return mapping


def column_unit(table: CsvTable, column: int) -> DistanceUnit | None:
    """The distance unit a column names in its header ("Distance (mi)", "km") or in its cells ("5.2 km"),
    for when the user picks another column as the distance; None if it names none."""
    bare, extras = _header_words(table.headers[column])
    words = bare.split()
    return _unit_of_header(bare, [*extras, *words[1:]]) or _unit_of_cells(table, column)


def _unit_of_header(bare: str, extras: list[str]) -> DistanceUnit | None:
    return next((_UNIT_WORDS[w] for w in [*extras, bare] if w in _UNIT_WORDS), None)


def _format_of(words: list[str]) -> DurationFormat | None:
    for word in words:
        if word in _SECONDS_WORDS:
            return DurationFormat.SECONDS
        if word in _MINUTES_WORDS:
            return DurationFormat.MINUTES
        if word in _CLOCK_WORDS:
            return DurationFormat.CLOCK
        if word in _HOURS_MINUTES_WORDS:
            return DurationFormat.HOURS_MINUTES
    return None


def _unit_of_cells(table: CsvTable, column: int) -> DistanceUnit | None:
    """The unit most distance cells name, when the header names none ("5.2 km" in every row)."""
    units = Counter(distance_unit_word(table.cell(row, column)) for row in range(len(table.rows)))
    units.pop(None, None)
    return units.most_common(1)[0][0] if units else None


def _format_of_cells(table: CsvTable, column: int) -> DurationFormat:
    for row in range(min(len(table.rows), 50)):
        if ":" in table.cell(row, column):
            return DurationFormat.CLOCK
    return DurationFormat.MINUTES
