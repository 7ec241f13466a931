"""The preview's second half: rows repeated in the file, and rows that are patients held already."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from tests.workstation.exchange.helpers import TODAY, VALID_MEDICARE, VALID_NHS, VALID_NHS_2, athlete, csv_file
from workstation.exchange.athlete_mapping import suggest_mapping
from workstation.exchange.athlete_preview import HeldIndex, filled_from_file, person_key, preview
from workstation.exchange.athlete_records import ImportPreview, RowStatus
from workstation.exchange.athlete_table import read_athlete_file
from workstation.records import Patient, PatientSummary, Sex

BORN = date(2001, 4, 3)


def _preview(*rows: list[str], held: Sequence[Patient] = ()) -> ImportPreview:
    table = read_athlete_file(csv_file(rows), "athletes.csv")
    stored = {patient.id: patient for patient in held if patient.id is not None}

    def load(ids: Sequence[int]) -> Mapping[int, Patient]:
        return {patient_id: stored[patient_id] for patient_id in ids}

    return preview(table, suggest_mapping(table), [p.summary() for p in held], TODAY, load_held=load)


def _held(patient_id: int, given: str = "Zoë", family: str = "Clarke", **changes: object) -> Patient:
    return Patient(given, family, BORN, id=patient_id, version=3).with_changes(**changes)


def test_the_same_person_twice_in_the_file_is_a_repeat_of_the_first_line() -> None:
    rows = _preview(athlete(), athlete("Tom", "Hall"), athlete("ZOE", "clarke"), athlete("Zoe", "Clarke")).rows
    assert [row.status for row in rows] == [RowStatus.NEW, RowStatus.NEW, RowStatus.DUPLICATE, RowStatus.DUPLICATE]
    assert [row.duplicate_of_line for row in rows] == [None, None, 2, 2]
    assert "Repeats line 2 (the same name and date of birth)" in rows[2].problems[0].message
    result = _preview(athlete(), athlete("ZOE", "clarke"))
    assert not result.can_commit and result.rejected == (result.rows[1],)


def test_the_same_nhs_number_twice_is_a_repeat_but_siblings_may_share_a_medicare_card() -> None:
    rows = _preview(
        athlete(nhs=VALID_NHS),
        athlete("Tom", "Hall", nhs=VALID_NHS),
        athlete("Ann", "Lee", medicare=VALID_MEDICARE, irn="1"),
        athlete("Ben", "Lee", medicare=VALID_MEDICARE, irn="2"),  # same card, another person on it
        athlete("Bea", "Lee", medicare=VALID_MEDICARE, irn="2"),
        athlete("Cal", "Lee", medicare=VALID_MEDICARE),  # no IRN: cannot tell, so not a repeat
    ).rows
    assert [row.status.value for row in rows] == ["new", "duplicate", "new", "new", "duplicate", "new"]
    assert "the same NHS number" in rows[1].problems[0].message
    assert "the same Medicare number and IRN" in rows[4].problems[0].message and rows[4].duplicate_of_line == 5


def test_a_held_patient_with_the_same_folded_name_and_birth_date_is_a_match() -> None:
    held = [_held(40, "Siobhán", "O'Brien"), _held(41, "Magnus", "Ødegård"), _held(42, "", "Wiranto")]
    rows = _preview(athlete("SIOBHAN", "OBrien"), athlete("magnus", "Odegard"), athlete("Wiranto", ""),
                    athlete("Siobhán", "O'Brien", born="04/04/2001"), held=held).rows  # fmt: skip
    assert [(row.status, row.match_id) for row in rows] == [
        (RowStatus.MATCH, 40), (RowStatus.MATCH, 41), (RowStatus.MATCH, 42), (RowStatus.NEW, None),
    ]  # fmt: skip


def test_a_match_says_which_blank_fields_a_merge_fills_and_where_the_file_disagrees() -> None:
    held = [_held(40, email="zoe@example.org", phone="", sex=Sex.NOT_STATED)]
    (row,) = _preview(athlete(sex="F", email="other@example.org", phone="07700 900123", nhs=VALID_NHS), held=held).rows
    assert row.status is RowStatus.MATCH
    assert row.merge_fills == ("Sex", "Phone", "NHS number")
    assert row.differences == ("Email",)
    assert row.patient is not None
    merged = filled_from_file(held[0], row.patient)
    assert (merged.sex, merged.email, merged.phone, merged.nhs_number) == (
        Sex.FEMALE, "zoe@example.org", "07700 900123", VALID_NHS,
    )  # fmt: skip
    assert (merged.id, merged.version, merged.uid) == (40, 3, held[0].uid)
    assert filled_from_file(merged, row.patient) is merged  # nothing blank left: the record is unchanged


def test_the_same_name_and_birth_date_with_another_nhs_number_is_not_a_match() -> None:
    held = [_held(40, nhs_number=VALID_NHS)]
    (row,) = _preview(athlete(nhs=VALID_NHS_2), held=held).rows
    assert row.status is RowStatus.ERROR and row.match_id is None
    assert "different NHS or Medicare number (record 40)" in row.problems[0].message
    assert "Zo" not in row.problems[0].message


def test_an_nhs_number_held_for_someone_else_is_refused() -> None:
    held = [_held(40, "Tom", "Hall", nhs_number=VALID_NHS)]
    (row,) = _preview(athlete(nhs=VALID_NHS), held=held).rows
    assert row.status is RowStatus.ERROR
    assert "held already, for a patient with another name or date of birth (record 40)" in row.problems[0].message


def test_two_held_patients_alike_need_the_number_to_tell_them_apart() -> None:
    held = [_held(40), _held(41, nhs_number=VALID_NHS_2)]
    ambiguous, told_apart = _preview(athlete(), athlete("Zoe", "Clarke", nhs=VALID_NHS_2), held=held).rows
    assert ambiguous.status is RowStatus.ERROR and "records 40, 41" in ambiguous.problems[0].message
    # The second row repeats the first in the file, so it is a repeat before it is a match.
    assert told_apart.status is RowStatus.DUPLICATE
    (only,) = _preview(athlete(nhs=VALID_NHS_2), held=held).rows
    assert (only.status, only.match_id) == (RowStatus.MATCH, 41)


def test_matching_against_list_rows_alone_compares_the_identifiers_only() -> None:
    table = read_athlete_file(csv_file([athlete(email="zoe@example.org", nhs=VALID_NHS)]), "a.csv")
    held = HeldIndex([PatientSummary(40, "Zoë", "Clarke", "", BORN)])
    (row,) = preview(table, suggest_mapping(table), held, TODAY).rows
    assert (row.status, row.match_id, row.merge_fills, row.differences) == (RowStatus.MATCH, 40, ("NHS number",), ())


def test_a_single_name_is_the_same_person_in_either_field() -> None:
    assert person_key("Wiranto", "", BORN) == person_key("", "wiranto", BORN) == ("", "wiranto", BORN)
    assert person_key("Smith-Jones", "Oliver", BORN) == person_key("smith jones", "OLIVER", BORN)
    assert person_key("Ann", "Lee", BORN) != person_key("Lee", "Ann", BORN)
