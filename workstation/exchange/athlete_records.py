"""An athlete file as read, mapped and checked, before anything is stored (the import's contract).

``read_athlete_file`` (athlete_table.py) turns CSV or XLSX bytes into an ``AthleteTable``;
``suggest_mapping`` (athlete_mapping.py) guesses which column holds what from the headers; ``preview``
(athlete_preview.py) checks every row and matches it against the patients already held. The commit is
all or nothing (``workstation.services.squad_import``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from workstation.records import Patient


class AthleteField(Enum):
    GIVEN_NAME = "given_name"
    FAMILY_NAME = "family_name"
    DATE_OF_BIRTH = "date_of_birth"
    SEX = "sex"
    EMAIL = "email"
    PHONE = "phone"
    NHS_NUMBER = "nhs_number"
    MEDICARE_NUMBER = "medicare_number"
    MEDICARE_IRN = "medicare_irn"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AthleteField.GIVEN_NAME: "Given name",
    AthleteField.FAMILY_NAME: "Family name",
    AthleteField.DATE_OF_BIRTH: "Date of birth",
    AthleteField.SEX: "Sex",
    AthleteField.EMAIL: "Email",
    AthleteField.PHONE: "Phone",
    AthleteField.NHS_NUMBER: "NHS number",
    AthleteField.MEDICARE_NUMBER: "Medicare number",
    AthleteField.MEDICARE_IRN: "Medicare IRN",
}


@dataclass(frozen=True, slots=True)
class AthleteTable:
    """Header and rows as text. ``line_numbers[i]`` is the file line (or sheet row) of data row ``i``.

    Header names may repeat; columns are addressed by index. ``sheet`` names the worksheet read from an
    XLSX file ('' for CSV); ``sheets`` lists all of them so the user can pick another.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    line_numbers: tuple[int, ...]
    source_format: str  # "csv" | "xlsx"
    encoding: str = ""  # CSV only: "utf-8", "utf-8-sig", "utf-16", "cp1252"
    separator: str = ""  # CSV only: ",", ";" or "\t"
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # things the user should know, e.g. "Merged cells in B4:B6 were unmerged"


@dataclass(slots=True)
class AthleteMapping:
    """Which column (by index) holds each field; None when the file has none. The UI edits it directly."""

    columns: dict[AthleteField, int | None] = field(default_factory=lambda: {f: None for f in AthleteField})
    day_first: bool = True  # for dates like 03/04/2001: UK and AU write the day first

    def column(self, athlete_field: AthleteField) -> int | None:
        return self.columns.get(athlete_field)


class RowStatus(Enum):
    NEW = "new"  # a new patient
    MATCH = "match"  # the same name and date of birth as a patient already held: merge or skip
    ERROR = "error"  # cannot be imported: see the problems
    DUPLICATE = "duplicate"  # repeats an earlier row of this file (an error: the file must say it once)

    @property
    def label(self) -> str:
        return {"new": "New", "match": "Already held", "error": "Error", "duplicate": "Repeated in file"}[self.value]


class MatchDecision(Enum):
    MERGE = "merge"  # use the patient already held, fill only their blank fields, add them to the squad
    SKIP = "skip"  # leave this row out


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong with one row: the line, the column as the user sees it, and what is wrong."""

    line: int
    column: str  # '' for the whole row
    message: str

    @property
    def text(self) -> str:
        where = f"Line {self.line}, {self.column}" if self.column else f"Line {self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True, repr=False)
class PreviewRow:
    line: int
    status: RowStatus
    patient: Patient | None = None  # the patient the row describes (NEW and MATCH rows)
    problems: tuple[RowProblem, ...] = ()
    match_id: int | None = None  # the held patient (MATCH rows)
    merge_fills: tuple[str, ...] = ()  # the held patient's blank fields the file would fill on MERGE
    differences: tuple[str, ...] = ()  # fields where the file and the held record disagree (kept as held)
    duplicate_of_line: int | None = None

    def __repr__(self) -> str:
        return f"PreviewRow(line={self.line}, status={self.status.value})"


@dataclass(frozen=True, slots=True)
class ImportPreview:
    rows: tuple[PreviewRow, ...]
    mapping_problems: tuple[str, ...] = ()  # e.g. "No column holds the date of birth."

    def with_status(self, status: RowStatus) -> tuple[PreviewRow, ...]:
        return tuple(row for row in self.rows if row.status is status)

    @property
    def rejected(self) -> tuple[PreviewRow, ...]:
        return tuple(row for row in self.rows if row.status in (RowStatus.ERROR, RowStatus.DUPLICATE))

    @property
    def can_commit(self) -> bool:
        """All or nothing: only when the mapping is complete and no row is rejected."""
        return (
            not self.mapping_problems
            and not self.rejected
            and any(row.status in (RowStatus.NEW, RowStatus.MATCH) for row in self.rows)
        )
