"""What importing an athlete file would do, row by row, before anything is stored.

Each row is checked alone (``athlete_checks``), then against the rows above it and the patients already
held:

- the same person twice in the file (same name and date of birth, the same NHS number, or the same
  Medicare number and IRN) is DUPLICATE: the file must say each athlete once;
- a held patient with the same name and date of birth is a MATCH (merge or skip), unless their NHS or
  Medicare number differs from the file's: two records of one person with different numbers is a
  mistake somewhere, so the row is an ERROR that says which record to check;
- an NHS number already held for someone with another name or date of birth is an ERROR too;
- anything else is NEW.

Names are compared folded (case, accents, apostrophes and hyphens ignored: ``OBrien`` is ``O'Brien``,
``Odegard`` is ``Ødegård``). A single name matches whichever field it is filed in. Medicare numbers are
compared with the IRN because a family shares one card (Services Australia): siblings on one card are two
athletes, not a repeat.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache

from workstation.exchange.athlete_checks import CheckedRow, RowChecker
from workstation.exchange.athlete_mapping import mapping_problems
from workstation.exchange.athlete_records import (
    AthleteField,
    AthleteMapping,
    AthleteTable,
    ImportPreview,
    PreviewRow,
    RowProblem,
    RowStatus,
)
from workstation.records import Patient, PatientSummary, Sex
from workstation.text import fold, split_words

PersonKey = tuple[str, str, date]
HeldLoader = Callable[[Sequence[int]], Mapping[int, Patient]]  # patient ids -> their records
HeldFinder = Callable[[Sequence[Patient]], Iterable[PatientSummary]]  # the rows' patients -> who may be them
# The fields a merge may fill when the held record has them blank, and how blank looks for each.
_MERGEABLE: tuple[tuple[AthleteField, str, object], ...] = (
    (AthleteField.SEX, "sex", Sex.NOT_STATED),
    (AthleteField.EMAIL, "email", ""),
    (AthleteField.PHONE, "phone", ""),
    (AthleteField.NHS_NUMBER, "nhs_number", ""),
    (AthleteField.MEDICARE_NUMBER, "medicare_number", ""),
    (AthleteField.MEDICARE_IRN, "medicare_irn", ""),
)


@lru_cache(maxsize=65_536)  # names repeat across a clinic and a squad: each is folded once
def _folded_name(name: str) -> str:
    return " ".join(split_words(fold(name)))


def person_key(given_name: str, family_name: str, born: date) -> PersonKey:
    """Who a row or a record is, as the import compares them: folded names and the date of birth.

    A single name is keyed the same whether it is filed as the given or the family name.
    """
    given, family = _folded_name(given_name), _folded_name(family_name)
    if not given or not family:
        return "", given or family, born
    return given, family, born


class HeldIndex:
    """The patients already held, by person and by NHS number: built once per preview, so matching
    10,000 rows against 100,000 patients is a dictionary look-up per row."""

    def __init__(self, summaries: Iterable[PatientSummary]) -> None:
        self.by_person: dict[PersonKey, list[PatientSummary]] = {}
        self.by_nhs: dict[str, PatientSummary] = {}
        for summary in summaries:
            key = person_key(summary.given_name, summary.family_name, summary.date_of_birth)
            self.by_person.setdefault(key, []).append(summary)
            if summary.nhs_number:
                self.by_nhs.setdefault(summary.nhs_number, summary)


def preview(
    table: AthleteTable,
    mapping: AthleteMapping,
    held: Iterable[PatientSummary] | HeldIndex | HeldFinder,
    today: date,
    *,
    load_held: HeldLoader | None = None,
) -> ImportPreview:
    """Every row's status, problems and match.

    Args:
        table: the file as read.
        mapping: which column holds what; a mapping with problems gives only ``mapping_problems``.
        held: the patients already held (their list rows), an index of them built earlier, or a finder
            asked once, with the rows' patients, for the held ones who might be them (same date of birth
            or NHS number), so a big practice is not read whole for a small file.
        today: for dates of birth in the future and ages over 120.
        load_held: reads the matched patients' whole records (called once, with every matched id), to say
            which blank fields a merge would fill and where the file disagrees with the record; without it
            only the identifiers on the list rows are compared.
    """
    problems = mapping_problems(mapping, table)
    if problems:
        return ImportPreview((), tuple(problems))
    checker = RowChecker(table, mapping, today)
    checked = [checker.check(row) for row in range(len(table.rows))]
    if callable(held):
        held = held([c.patient for c in checked if c.patient is not None])
    index = held if isinstance(held, HeldIndex) else HeldIndex(held)
    seen = _FileIndex()
    rows = [_classified(row, seen, index) for row in checked]
    if load_held is not None:
        rows = _compared_with_records(rows, load_held)
    return ImportPreview(tuple(rows))


def _classified(checked: CheckedRow, seen: _FileIndex, held: HeldIndex) -> PreviewRow:
    line, patient = checked.line, checked.patient
    if patient is None:
        return PreviewRow(line, RowStatus.ERROR, problems=checked.problems + checked.warnings)
    earlier, why = seen.find(patient)
    if earlier is not None:
        problem = RowProblem(line, "", f"Repeats line {earlier} ({why}): list each athlete once.")
        return PreviewRow(line, RowStatus.DUPLICATE, patient, (problem,), duplicate_of_line=earlier)
    seen.add(patient, line)
    match, refusal = _held_match(patient, held)
    if refusal:
        return PreviewRow(line, RowStatus.ERROR, patient, (RowProblem(line, "", refusal),))
    if match is None:
        return PreviewRow(line, RowStatus.NEW, patient, checked.warnings)
    fills, differences = compare_with_held(patient, match)
    return PreviewRow(line, RowStatus.MATCH, patient, checked.warnings, match.id, tuple(fills), tuple(differences))


def _compared_with_records(rows: list[PreviewRow], load_held: HeldLoader) -> list[PreviewRow]:
    """The MATCH rows' fills and differences worked out again from the held patients' whole records."""
    ids = [row.match_id for row in rows if row.match_id is not None]
    if not ids:
        return rows
    records = load_held(ids)
    compared = []
    for row in rows:
        record = records.get(row.match_id) if row.match_id is not None else None
        if record is not None and row.patient is not None:
            fills, differences = compare_with_held(row.patient, record)
            row = replace(row, merge_fills=tuple(fills), differences=tuple(differences))
        compared.append(row)
    return compared


def _held_match(patient: Patient, held: HeldIndex) -> tuple[PatientSummary | None, str]:
    """The held patient this row is, or why it cannot be imported (an identifier that disagrees)."""
    candidates = held.by_person.get(person_key(patient.given_name, patient.family_name, patient.date_of_birth), [])
    owner = held.by_nhs.get(patient.nhs_number) if patient.nhs_number else None
    if owner is not None and owner not in candidates:
        return None, (
            f"This NHS number is held already, for a patient with another name or date of birth "
            f"(record {owner.id}): check the number."
        )
    if owner is not None:
        return owner, ""
    agreeing = [summary for summary in candidates if not identifier_conflicts(patient, summary)]
    if not candidates:
        return None, ""
    if not agreeing:
        ids = ", ".join(str(summary.id) for summary in candidates)
        return None, (
            f"A patient with this name and date of birth is held already with a different NHS or Medicare "
            f"number (record {ids}): check which number is right before importing."
        )
    if len(agreeing) > 1:
        ids = ", ".join(str(summary.id) for summary in agreeing)
        return None, (
            f"{len(agreeing)} patients held already have this name and date of birth (records {ids}): add the "
            "NHS or Medicare number to the file to say which one this is."
        )
    return agreeing[0], ""


def identifier_conflicts(patient: Patient, held: Patient | PatientSummary) -> list[AthleteField]:
    """The identifiers both carry with different values (a blank on either side is no conflict)."""
    pairs = [
        (AthleteField.NHS_NUMBER, patient.nhs_number, held.nhs_number),
        (AthleteField.MEDICARE_NUMBER, patient.medicare_number, held.medicare_number),
    ]
    return [athlete_field for athlete_field, ours, theirs in pairs if ours and theirs and ours != theirs]


def compare_with_held(patient: Patient, held: Patient | PatientSummary) -> tuple[list[str], list[str]]:
    """(the held record's blank fields the file would fill, the fields where they disagree), as labels.

    A list row (``PatientSummary``) carries only the identifiers, so only they are compared then.
    """
    fills: list[str] = []
    differences: list[str] = []
    for athlete_field, name, blank in _MERGEABLE:
        if not hasattr(held, name):
            continue
        ours, theirs = getattr(patient, name), getattr(held, name)
        if ours in (blank, theirs):
            continue
        (fills if theirs == blank else differences).append(athlete_field.label)
    return fills, differences


def filled_from_file(held: Patient, patient: Patient) -> Patient:
    """The held record with its blank fields filled from the file's row; nothing it holds is overwritten."""
    changes = {
        name: getattr(patient, name)
        for _, name, blank in _MERGEABLE
        if getattr(held, name) == blank and getattr(patient, name) != blank
    }
    return held.with_changes(**changes) if changes else held


class _FileIndex:
    """The rows above, by person, by NHS number and by Medicare number with IRN."""

    def __init__(self) -> None:
        self._by_person: dict[PersonKey, int] = {}
        self._by_nhs: dict[str, int] = {}
        self._by_medicare: dict[tuple[str, str], int] = {}

    def find(self, patient: Patient) -> tuple[int | None, str]:
        key = person_key(patient.given_name, patient.family_name, patient.date_of_birth)
        if (line := self._by_person.get(key)) is not None:
            return line, "the same name and date of birth"
        if patient.nhs_number and (line := self._by_nhs.get(patient.nhs_number)) is not None:
            return line, "the same NHS number"
        card = (patient.medicare_number, patient.medicare_irn)
        if all(card) and (line := self._by_medicare.get(card)) is not None:
            return line, "the same Medicare number and IRN"
        return None, ""

    def add(self, patient: Patient, line: int) -> None:
        self._by_person.setdefault(person_key(patient.given_name, patient.family_name, patient.date_of_birth), line)
        if patient.nhs_number:
            self._by_nhs.setdefault(patient.nhs_number, line)
        if patient.medicare_number and patient.medicare_irn:
            self._by_medicare.setdefault((patient.medicare_number, patient.medicare_irn), line)
