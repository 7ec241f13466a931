"""One row of an athlete file checked on its own: the patient it describes, or what is wrong with it.

The rules are the patient editor's (``workstation.validation``): a single name is fine (H5), names up to
100 characters (H6), no date of birth in the future or more than 120 years ago (H7), NHS and Medicare
check digits (``workstation.identifiers``), a plausible email and phone. On top of them, what only a file
brings: a row that does not line up with the header, a cell too long for any spreadsheet, a date that
cannot be read, invisible direction controls (Trojan Source) or line breaks in a name or identifier.

A cell that starts with ``=`` is text like any other: it is stored as typed and never calculated, and
every export makes such a cell safe (RELIABILITY.md H2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date
from typing import NamedTuple

from workstation.dates import DateOrder
from workstation.exchange.athlete_records import AthleteField, AthleteMapping, AthleteTable, RowProblem
from workstation.problems import Problem
from workstation.records import Patient, Sex
from workstation.running.csv_cells import CellUnreadable, read_date
from workstation.running.csv_table import column_label, width_problem
from workstation.services.patients import normalised
from workstation.text import INVISIBLE_CONTROLS, fold, has_invisible_controls
from workstation.validation import validate_patient

MAX_CELL_CHARS = 32_767  # the most an Excel cell holds (Microsoft, "Excel specifications and limits")
DATE_MAX_CHARS = 40  # the longest way of writing a date and time with a zone is about 30
SEX_MAX_CHARS = 40
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # line breaks, tabs, C0 and C1 controls
# Either of those or an invisible control (workstation.text): one search finds whether a row needs a closer look.
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(INVISIBLE_CONTROLS)) + "]")
_SEX_WORDS: dict[str, Sex] = {
    **dict.fromkeys(("f", "female", "w", "woman", "women", "girl"), Sex.FEMALE),
    **dict.fromkeys(("m", "male", "man", "men", "boy"), Sex.MALE),
    **dict.fromkeys(("o", "other", "x", "non binary", "non-binary", "nonbinary", "nb", "intersex"), Sex.OTHER),
    **dict.fromkeys(
        ("", "u", "unknown", "not stated", "not known", "prefer not to say", "n/a", "na", "-", "?"), Sex.NOT_STATED
    ),
}
# Problem fields of ``validate_patient`` and the column they come from.
_FIELD_OF_PROBLEM = {
    "given_name": AthleteField.GIVEN_NAME,
    "family_name": AthleteField.FAMILY_NAME,
    "date_of_birth": AthleteField.DATE_OF_BIRTH,
    "email": AthleteField.EMAIL,
    "phone": AthleteField.PHONE,
    "nhs_number": AthleteField.NHS_NUMBER,
    "medicare_number": AthleteField.MEDICARE_NUMBER,
    "medicare_irn": AthleteField.MEDICARE_IRN,
}


@dataclass(frozen=True, slots=True)
class CheckedRow:
    """A row as checked alone: ``patient`` (normalised, unsaved) when nothing blocks it, else ``problems``.

    ``warnings`` are shown but do not stop the row (the rules' warnings, none of which blocks a save).
    """

    line: int
    patient: Patient | None
    problems: tuple[RowProblem, ...] = ()
    warnings: tuple[RowProblem, ...] = ()


class RowChecker:
    """Checks the rows of one table read through one mapping. Build it once per preview: the columns and
    their labels are worked out here, not on every row."""

    def __init__(self, table: AthleteTable, mapping: AthleteMapping, today: date) -> None:
        self._table = table
        self._today = today
        self._order = DateOrder.DAY_MONTH_YEAR if mapping.day_first else DateOrder.MONTH_DAY_YEAR
        self._columns = {f: index for f, index in mapping.columns.items() if index is not None}
        self._mapped = tuple(self._columns.items())
        self._slots = tuple(self._columns.get(athlete_field) for athlete_field in AthleteField)  # _RowText's order
        self._labels = {index: column_label(table.headers, index) for index in range(len(table.headers))}
        self._width = len(table.headers)

    def label(self, athlete_field: AthleteField) -> str:
        """The column label of a mapped field ('' when it is not mapped)."""
        index = self._columns.get(athlete_field)
        return "" if index is None else self._labels[index]

    def check(self, row_index: int) -> CheckedRow:
        """The patient row ``row_index`` describes, or its problems (every one found, not only the first)."""
        line = self._table.line_numbers[row_index]
        cells = self._table.rows[row_index]
        if why := self._width_problem(cells):
            return CheckedRow(line, None, (RowProblem(line, "", why),))
        problems = self._cell_problems(line, cells)
        if problems:
            return CheckedRow(line, None, tuple(problems))
        width = len(cells)
        texts = _RowText(*(cells[i].strip() if i is not None and i < width else "" for i in self._slots))
        born, sex = self._read(line, texts, problems)
        if born is None or sex is None:
            return CheckedRow(line, None, tuple(problems))
        return self._validated(line, _patient(texts, born, sex))

    def _width_problem(self, cells: tuple[str, ...]) -> str:
        if self._table.source_format != "xlsx":
            return width_problem(cells, self._width)
        beyond = next((index for index in range(self._width, len(cells)) if cells[index].strip()), None)
        if beyond is None:
            return ""
        return f"Column {beyond + 1} holds a value but has no name in the header: name it or clear it."

    def _cell_problems(self, line: int, cells: tuple[str, ...]) -> list[RowProblem]:
        """Cells no spreadsheet holds, and mapped cells with characters no name or identifier has."""
        if max(map(len, cells), default=0) > MAX_CELL_CHARS:
            return [
                RowProblem(line, self._labels.get(index, f"Column {index + 1}"),
                           f"This cell holds {len(cell):,} characters, more than a spreadsheet cell can "
                           f"({MAX_CELL_CHARS:,}): the file may be damaged.")
                for index, cell in enumerate(cells)
                if len(cell) > MAX_CELL_CHARS
            ]  # fmt: skip
        mapped = [(athlete_field, index, cells[index]) for athlete_field, index in self._mapped if index < len(cells)]
        if not _SUSPECT.search(" ".join(text for _, _, text in mapped)):
            return []  # the usual row: nothing to look at cell by cell
        problems = []
        for athlete_field, index, text in mapped:
            text = text.strip()
            if _CONTROL_CHARACTERS.search(text):
                problems.append(RowProblem(line, self._labels[index], "Holds a line break or a control character."))
            elif athlete_field not in _NAME_FIELDS and has_invisible_controls(text):
                problems.append(RowProblem(line, self._labels[index], _INVISIBLE_HELP))
        return problems

    def _read(self, line: int, texts: _RowText, problems: list[RowProblem]) -> tuple[date | None, Sex | None]:
        """The date of birth and sex (None, with a problem, when a cell cannot be read)."""
        born: date | None = None
        label = self.label(AthleteField.DATE_OF_BIRTH)
        if not texts.date_of_birth:
            problems.append(RowProblem(line, label, "Empty: every athlete needs a date of birth."))
        elif len(texts.date_of_birth) > DATE_MAX_CHARS:
            problems.append(RowProblem(line, label, "Too long to be a date."))
        else:
            try:
                born = read_date(texts.date_of_birth, self._order, UTC)
            except CellUnreadable as error:
                problems.append(RowProblem(line, label, str(error)))
        sex = read_sex(texts.sex)
        if sex is None:
            problems.append(RowProblem(line, self.label(AthleteField.SEX), _sex_help(texts.sex)))
        return born, sex

    def _validated(self, line: int, patient: Patient) -> CheckedRow:
        problems: list[RowProblem] = []
        warnings: list[RowProblem] = []
        for problem in validate_patient(patient, self._today):
            found = problems if problem.blocks_save else warnings
            found.append(RowProblem(line, self._problem_column(problem), problem.message))
        if problems:
            return CheckedRow(line, None, tuple(problems), tuple(warnings))
        return CheckedRow(line, patient, (), tuple(warnings))

    def _problem_column(self, problem: Problem) -> str:
        athlete_field = _FIELD_OF_PROBLEM.get(problem.field)
        if athlete_field is None:
            return ""
        if athlete_field is AthleteField.FAMILY_NAME and AthleteField.FAMILY_NAME not in self._columns:
            return self.label(AthleteField.GIVEN_NAME)  # "enter the name" with only a given-name column
        return self.label(athlete_field)


_INVISIBLE_HELP = "Holds invisible direction or zero-width characters: retype it."
_NAME_FIELDS = frozenset({AthleteField.GIVEN_NAME, AthleteField.FAMILY_NAME})  # the editor's rules refuse these


def read_sex(text: str) -> Sex | None:
    """The sex a cell writes ("F", "Female", "woman", "X", "" ...), or None when it is not one of them."""
    return _SEX_WORDS.get(" ".join(fold(text).split()))


def _sex_help(text: str) -> str:
    shown = f"'{text}'" if len(text) <= SEX_MAX_CHARS else "This"
    return f"{shown} is not a sex CalfDesk records: write Female, Male or Other, or leave it empty."


class _RowText(NamedTuple):
    """A row's mapped cells, stripped, in ``AthleteField`` order ('' for a field with no column)."""

    given_name: str
    family_name: str
    date_of_birth: str
    sex: str
    email: str
    phone: str
    nhs_number: str
    medicare_number: str
    medicare_irn: str


if _RowText._fields != tuple(athlete_field.value for athlete_field in AthleteField):  # pragma: no cover
    raise ImportError("_RowText must list the fields in AthleteField's order")


def _patient(texts: _RowText, born: date, sex: Sex) -> Patient:
    return normalised(
        Patient(
            given_name=texts.given_name,
            family_name=texts.family_name,
            date_of_birth=born,
            sex=sex,
            phone=texts.phone,
            email=texts.email,
            nhs_number=texts.nhs_number,
            medicare_number=texts.medicare_number,
            medicare_irn=texts.medicare_irn,
        )
    )
