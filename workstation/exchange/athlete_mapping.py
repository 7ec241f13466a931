"""Which column of a club's athlete file holds what: guessed from the header names, changed by the user.

Header names are compared folded (case and accents ignored) with underscores, hyphens, dots and slashes
read as spaces, so ``First_Name``, ``first name`` and ``FIRST-NAME`` are one name, and ``D.O.B.`` is
``d o b``. A bracketed part is a hint, not a name: "Date of birth (MM/DD/YYYY)" is the date of birth,
written month first. Columns are addressed by index because header names may repeat; the first of
repeated names is used.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from workstation.exchange.athlete_records import AthleteField, AthleteMapping, AthleteTable
from workstation.running.csv_table import column_label
from workstation.text import fold

# The spellings clubs' spreadsheets and registration systems use, already normalised (see _normal).
_HEADER_NAMES: dict[AthleteField, tuple[str, ...]] = {
    AthleteField.GIVEN_NAME: (
        "given name", "given names", "first name", "first names", "firstname", "givenname", "forename",
        "forenames", "christian name",
    ),
    AthleteField.FAMILY_NAME: ("family name", "familyname", "last name", "lastname", "surname"),
    AthleteField.DATE_OF_BIRTH: (
        "date of birth", "dateofbirth", "dob", "d o b", "birth date", "birthdate", "birthday", "born",
    ),
    AthleteField.SEX: ("sex", "gender"),
    AthleteField.EMAIL: ("email", "e mail", "email address", "e mail address"),
    AthleteField.PHONE: (
        "phone", "phone number", "mobile", "mobile number", "mobile phone", "telephone", "telephone number", "tel",
    ),
    AthleteField.NHS_NUMBER: ("nhs number", "nhs no", "nhs", "nhs num"),
    AthleteField.MEDICARE_NUMBER: ("medicare number", "medicare no", "medicare", "medicare card number"),
    AthleteField.MEDICARE_IRN: ("irn", "medicare irn", "individual reference number"),
}  # fmt: skip
_FIELD_OF_NAME = {name: athlete_field for athlete_field, names in _HEADER_NAMES.items() for name in names}
_BRACKETED = re.compile(r"[(\[]([^)\]]*)[)\]]")
_SEPARATORS = re.compile(r"[\s_\-./]+")
_OTHER_PUNCTUATION = re.compile(r"[^\w ]+")
# A day/month/year date: the first two numbers say which comes first once one of them is over 12.
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{4}")
_MONTH_FIRST_HINTS = frozenset({"mm dd yyyy", "mm dd yy", "m d yyyy", "mdy"})
_DATE_CELLS_SAMPLED = 2_000
_PROPER_WORDS = ("NHS", "Medicare")


@lru_cache(maxsize=1_024)
def _normal(header: str) -> tuple[str, tuple[str, ...]]:
    """The header as compared (folded, punctuation as spaces) and its bracketed hints, likewise."""
    folded = fold(header)
    hints = tuple(_words(inner) for inner in _BRACKETED.findall(folded))
    return _words(_BRACKETED.sub(" ", folded)), hints


def _words(text: str) -> str:
    return " ".join(_OTHER_PUNCTUATION.sub("", _SEPARATORS.sub(" ", text)).split())


def field_of_header(header: str) -> AthleteField | None:
    """The field a header name means, or None (``"First name"`` -> GIVEN_NAME, ``"nhs_no"`` -> NHS_NUMBER)."""
    return _FIELD_OF_NAME.get(_normal(header)[0])


def header_score(cells: Sequence[str]) -> int:
    """How many different fields a row's cells name: a header row names several, a data row none."""
    return len({found for cell in cells if (found := field_of_header(cell)) is not None})


def suggest_mapping(table: AthleteTable, *, day_first: bool = True) -> AthleteMapping:
    """A mapping guessed from the header names; the date order from the header's hint or the cells.

    Args:
        table: the file as read by ``read_athlete_file``.
        day_first: the clinic's own date order, for files whose dates read either way (03/04/2001).

    Returns:
        One column per field where a header names it (the first, when several do), None elsewhere.
        ``day_first`` follows the header where it says ("DOB (MM/DD/YYYY)"), else cells that can only be
        read one way (23/04/2001, 04/23/2001), else the clinic's order.
    """
    mapping = AthleteMapping()
    for index, header in enumerate(table.headers):
        found = field_of_header(header)
        if found is not None and mapping.columns.get(found) is None:
            mapping.columns[found] = index
    column = mapping.column(AthleteField.DATE_OF_BIRTH)
    if column is not None:
        mapping.day_first = _day_first(table, column, day_first)
    else:
        mapping.day_first = day_first
    return mapping


def _day_first(table: AthleteTable, column: int, clinic_day_first: bool) -> bool:
    hints = _normal(table.headers[column])[1]
    if any(hint in _MONTH_FIRST_HINTS for hint in hints):
        return False
    day_first_seen = month_first_seen = False
    for cells in table.rows[:_DATE_CELLS_SAMPLED]:
        match = _NUMERIC_DATE.match(cells[column]) if column < len(cells) else None
        if match:
            first, second = int(match[1]), int(match[2])
            day_first_seen |= first > 12
            month_first_seen |= second > 12
    if day_first_seen != month_first_seen:
        return day_first_seen
    # Neither seen: every date reads either way, so the clinic's order. Both: the file mixes orders; the
    # clinic's order then decides, and the rows that fail it say so.
    return clinic_day_first


def mapping_problems(mapping: AthleteMapping, table: AthleteTable) -> list[str]:
    """What stops ``mapping`` from being used on ``table``; empty when it can be."""
    columns = {f: index for f, index in mapping.columns.items() if index is not None}
    problems: list[str] = []
    if AthleteField.GIVEN_NAME not in columns and AthleteField.FAMILY_NAME not in columns:
        problems.append("Choose the column that holds the athletes' names (given name, family name or both).")
    if AthleteField.DATE_OF_BIRTH not in columns:
        problems.append(
            "Choose the column that holds the date of birth: athletes are told apart by name and date of birth."
        )
    if AthleteField.MEDICARE_IRN in columns and AthleteField.MEDICARE_NUMBER not in columns:
        problems.append("An IRN belongs to a Medicare number: choose the Medicare number column too.")
    for athlete_field, index in columns.items():
        if not 0 <= index < len(table.headers):
            problems.append(f"The {_in_sentence(athlete_field)} column is not in this file: choose it again.")
    for index, count in Counter(columns.values()).items():
        if count > 1 and 0 <= index < len(table.headers):
            label = column_label(table.headers, index)
            problems.append(f"'{label}' is chosen for more than one field: choose it once.")
    return problems


def repeated_header_notes(headers: Sequence[str]) -> list[str]:
    """A note for each field whose header name appears more than once, saying which column is used."""
    positions: dict[AthleteField, list[int]] = {}
    for index, header in enumerate(headers):
        if (found := field_of_header(header)) is not None:
            positions.setdefault(found, []).append(index)
    notes = []
    for athlete_field, columns in positions.items():
        if len(columns) > 1:
            numbers = ", ".join(str(index + 1) for index in columns)
            notes.append(
                f"Columns {numbers} all look like the {_in_sentence(athlete_field)} "
                f"('{headers[columns[0]]}'): the first is used unless you choose another in the mapping."
            )
    return notes


def _in_sentence(athlete_field: AthleteField) -> str:
    """The field's label inside a sentence: "the date of birth", but "the NHS number", "the Medicare number"."""
    label = athlete_field.label
    return label if label.startswith(_PROPER_WORDS) else label[0].lower() + label[1:]
