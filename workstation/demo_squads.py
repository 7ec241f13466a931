"""A synthetic club's athlete file, for the import benchmark, the screenshots and tests.

The athletes are demo patients (``workstation.demo``: names as their owners write them, NHS numbers in
the 999 test range or Medicare numbers, with valid check digits; example phone ranges and mail domains),
written as a club's spreadsheet would list them. No two athletes are the same person to the import (name
and date of birth, NHS number, Medicare card and IRN), so the file previews clean: every row is NEW on a
fresh database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from workstation.dates import DateOrder, format_date
from workstation.demo import generate_patients
from workstation.exchange.athlete_preview import person_key
from workstation.records import Patient, Sex

ATHLETE_HEADERS = (
    "First name", "Surname", "Date of birth", "Sex", "Email", "Mobile", "NHS number", "Medicare number", "IRN",
)  # fmt: skip
DEMO_DAY = date(2026, 1, 5)  # the day the club's list was made: a fixed day, so a seed always gives one file
_ENDLESS = 10**12  # more athletes than any file asks for
_SEX_WORDS = {Sex.FEMALE: "F", Sex.MALE: "M", Sex.OTHER: "Other", Sex.NOT_STATED: ""}


def athlete_rows(count: int, seed: int, *, encoding: str = "utf-8", today: date = DEMO_DAY) -> list[tuple[str, ...]]:
    """``count`` rows under ``ATHLETE_HEADERS``, the same for the same seed.

    Args:
        count: how many athletes.
        seed: equal seeds give equal rows.
        encoding: only athletes whose every cell this encoding can write are kept (cp1252 has no Nguyễn).
        today: the day the list is made; dates of birth are before it, written DD/MM/YYYY.
    """
    rows: list[tuple[str, ...]] = []
    for patient in _distinct_people(seed, today):
        cells = _cells(patient)
        if _encodable(cells, encoding):
            rows.append(cells)
            if len(rows) == count:
                break
    return rows


def athlete_csv(
    count: int, seed: int, *, encoding: str = "utf-8", separator: str = ",", today: date = DEMO_DAY
) -> bytes:
    """The athletes of ``athlete_rows`` as a CSV file, as a spreadsheet saves it (CRLF line ends).

    Args:
        count: how many athletes.
        seed: equal seeds give equal files.
        encoding: "utf-8", "utf-8-sig" (with a byte-order mark), "utf-16" (with one) or "cp1252".
        separator: ",", ";" or a tab.
        today: the day the list is made.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(ATHLETE_HEADERS)
    writer.writerows(athlete_rows(count, seed, encoding=encoding, today=today))
    return out.getvalue().encode(encoding)


def _distinct_people(seed: int, today: date) -> Iterator[Patient]:
    """Demo patients, leaving out anyone the import would take for someone listed before them (the demo's
    identifiers never repeat; a name with a date of birth may, once in some thousands)."""
    people: set[tuple[str, str, date]] = set()
    for patient in generate_patients(_ENDLESS, seed, today):  # lazy: only as many as are kept are made
        key = person_key(patient.given_name, patient.family_name, patient.date_of_birth)
        if key not in people:
            people.add(key)
            yield patient


def _cells(patient: Patient) -> tuple[str, ...]:
    return (
        patient.given_name,
        patient.family_name,
        format_date(patient.date_of_birth, DateOrder.DAY_MONTH_YEAR),
        _SEX_WORDS[patient.sex],
        patient.email,
        patient.phone,
        patient.nhs_number,
        patient.medicare_number,
        patient.medicare_irn,
    )


def _encodable(cells: tuple[str, ...], encoding: str) -> bool:
    try:
        "".join(cells).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
