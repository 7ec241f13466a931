"""What a letter would print without: each gap, where it is fixed, and nothing when the letter is complete."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.workstation.letters.helpers import clinic, clinician, facts, patient
from workstation.clinical.country import Country
from workstation.letters.gaps import CLINIC_SETTINGS, EDIT_PATIENT, LETTER_DETAILS, Gap, letter_gaps
from workstation.letters.records import ClinicProfile, LetterFacts, LetterKind, Recipient

GP = Recipient("Dr A Patel", "Riverside Surgery", "1 River Road\nLeeds LS1 1AA")
LETTERS_TO_THE_GP = [kind for kind in LetterKind if kind is not LetterKind.HANDOUT]


def lines(kind: LetterKind, made: LetterFacts, recipient: Recipient = GP) -> list[str]:
    return [gap.line for gap in letter_gaps(kind, made, recipient)]


@pytest.mark.parametrize("kind", [LetterKind.GP_REFERRAL, LetterKind.PROGRESS, LetterKind.HANDOUT])
@pytest.mark.parametrize("country", [Country.UK, Country.EU, Country.US])
def test_a_complete_letter_has_no_gaps(kind: LetterKind, country: Country) -> None:
    assert letter_gaps(kind, facts(country=country), GP) == ()


def test_an_australian_care_plan_report_from_an_australian_clinic_has_no_gaps() -> None:
    assert letter_gaps(LetterKind.CARE_PLAN_REPORT, facts(country=Country.AU), GP) == ()


def test_a_clinic_with_nothing_set_is_told_each_gap_and_where_to_fix_it() -> None:
    made = facts(clinic=ClinicProfile(), clinician=clinician(registration_body="", registration_number=""))
    assert lines(LetterKind.GP_REFERRAL, made, Recipient()) == [
        f"Not set: the clinic's name ({CLINIC_SETTINGS})",
        f"Not set: the clinic's address ({CLINIC_SETTINGS})",
        f"Not set: who the letter is to (the To fields, or the patient's GP details in {EDIT_PATIENT})",
        f"Not set: your registration body and number ({LETTER_DETAILS})",
        f"Not set: the clinic's country ({CLINIC_SETTINGS}: the letter gives every emergency number)",
    ]


def test_white_space_counts_as_not_set() -> None:
    made = facts(clinic=replace(clinic(), name="  ", address="\n \n"))
    assert [gap.what for gap in letter_gaps(LetterKind.DISCHARGE, made, GP)] == [
        "the clinic's name", "the clinic's address",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "number", "expected"),
    [
        ("HCPC", "", "your registration number (no registration line is printed)"),
        ("", "PH123456", "your registration body"),
        ("", " ", "your registration body and number"),
    ],
)
def test_each_missing_part_of_the_registration_is_named(body: str, number: str, expected: str) -> None:
    made = facts(clinician=clinician(registration_body=body, registration_number=number))
    gaps = letter_gaps(LetterKind.GP_REFERRAL, made, GP)
    assert gaps == (Gap(expected, LETTER_DETAILS),)


def test_the_registration_gap_shows_on_a_handout_too() -> None:
    """The handout is signed like a letter: its signature block has the registration line."""
    made = facts(clinician=clinician(registration_number=""))
    assert [gap.where_to_fix for gap in letter_gaps(LetterKind.HANDOUT, made, Recipient())] == [LETTER_DETAILS]


@pytest.mark.parametrize("kind", LETTERS_TO_THE_GP)
def test_a_letter_to_the_gp_with_every_to_field_blank_says_so(kind: LetterKind) -> None:
    made = facts(country=Country.AU)
    assert [gap.what for gap in letter_gaps(kind, made, Recipient(" ", "", "\n"))] == ["who the letter is to"]


@pytest.mark.parametrize("recipient", [Recipient(name="Dr A Patel"), Recipient(practice="Riverside Surgery"),
                                       Recipient(address="1 River Road")])  # fmt: skip
def test_any_one_to_field_is_enough(recipient: Recipient) -> None:
    assert letter_gaps(LetterKind.GP_REFERRAL, facts(), recipient) == ()


def test_a_handout_needs_no_recipient_and_prints_no_identifiers() -> None:
    made = facts(who=patient(nhs_number="", medicare_number=""))
    assert letter_gaps(LetterKind.HANDOUT, made, Recipient()) == ()


@pytest.mark.parametrize(
    ("country", "cleared", "expected"),
    [
        (Country.UK, "nhs_number", "the patient's NHS number"),
        (Country.AU, "medicare_number", "the patient's Medicare number"),
    ],
)
def test_the_countrys_identifier_is_named_when_the_record_has_none(
    country: Country, cleared: str, expected: str
) -> None:
    made = facts(country=country, who=patient(**{cleared: ""}))
    assert letter_gaps(LetterKind.PROGRESS, made, GP) == (Gap(expected, EDIT_PATIENT),)


@pytest.mark.parametrize("country", [Country.UK, Country.AU])
def test_the_other_countrys_identifier_is_not_asked_for(country: Country) -> None:
    other = {"medicare_number": ""} if country is Country.UK else {"nhs_number": ""}
    assert letter_gaps(LetterKind.GP_REFERRAL, facts(country=country, who=patient(**other)), GP) == ()


@pytest.mark.parametrize("country", [Country.EU, Country.US, None])
def test_no_identifier_is_asked_for_where_the_country_has_none(country: Country | None) -> None:
    made = facts(country=country, who=patient(nhs_number="", medicare_number=""))
    gaps = letter_gaps(LetterKind.GP_REFERRAL, made, GP)
    assert not [gap for gap in gaps if gap.where_to_fix == EDIT_PATIENT]


@pytest.mark.parametrize(
    ("country", "words"), [(Country.UK, "set to the United Kingdom"), (Country.US, "set to the United States"),
                           (None, "not set")],
)  # fmt: skip
def test_a_care_plan_report_outside_australia_is_noted_not_called_missing(country: Country | None, words: str) -> None:
    gaps = letter_gaps(LetterKind.CARE_PLAN_REPORT, facts(country=country), GP)
    note = gaps[-1]
    assert not note.missing and "Australian funded care plans" in note.what and words in note.what
    assert not note.line.startswith("Not set") and note.line.endswith(f"({note.where_to_fix})")
    assert CLINIC_SETTINGS in note.where_to_fix


def test_the_care_plan_note_is_only_for_the_care_plan_report() -> None:
    for kind in LetterKind:
        notes = [gap for gap in letter_gaps(kind, facts(country=Country.UK), GP) if not gap.missing]
        assert bool(notes) == (kind is LetterKind.CARE_PLAN_REPORT)
