"""The country's conventions: date forms, identifiers, emergency numbers and template spelling."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.workstation.letters.helpers import patient
from workstation.clinical.country import Country
from workstation.letters.locale import _AU_SPELLING, _US_SPELLING, LetterLocale

DAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("country", "long", "short", "language"),
    [
        (Country.UK, "1 December 2026", "1 Dec 2026", "en-GB"),
        (Country.AU, "1 December 2026", "1 Dec 2026", "en-AU"),
        (Country.EU, "1 December 2026", "1 Dec 2026", "en"),
        (Country.US, "December 1, 2026", "Dec 1, 2026", "en-US"),
        (None, "1 December 2026", "1 Dec 2026", "en-GB"),  # day first in words: unambiguous anywhere
    ],
)
def test_dates_are_written_in_words_in_the_countrys_order(
    country: Country | None, long: str, short: str, language: str
) -> None:
    locale = LetterLocale.of(country)
    assert locale.long_date(DAY) == long
    assert locale.short_date(DAY) == short
    assert locale.language == language


def test_the_clock_is_24_hour_except_in_the_us() -> None:
    moment = datetime(2026, 12, 1, 15, 5, tzinfo=UTC).astimezone()
    assert LetterLocale.of(Country.UK).clock(moment) == f"{moment:%H:%M}"
    hour = moment.hour % 12 or 12
    assert LetterLocale.of(Country.US).clock(moment) == f"{hour}:05 {'AM' if moment.hour < 12 else 'PM'}"


def test_uk_letters_print_the_nhs_number_grouped_3_3_4_and_nothing_else() -> None:
    locale = LetterLocale.of(Country.UK)
    assert locale.identifiers(patient()) == (("NHS number", "943 476 5919"),)
    assert locale.identifiers(patient(nhs_number="")) == (("NHS number", "not recorded"),)
    assert locale.footer_identifier(patient()) == "NHS 943 476 5919"
    assert locale.footer_identifier(patient(nhs_number="")) == ""


def test_australian_letters_print_the_medicare_number_with_its_irn() -> None:
    locale = LetterLocale.of(Country.AU)
    assert locale.identifiers(patient()) == (("Medicare number", "2123 45670 1, IRN 1"),)
    assert locale.identifiers(patient(medicare_irn="")) == (("Medicare number", "2123 45670 1"),)
    assert locale.identifiers(patient(medicare_number="")) == (("Medicare number", "not recorded"),)
    assert locale.footer_identifier(patient()) == "Medicare 2123 45670 1"


@pytest.mark.parametrize("country", [Country.US, Country.EU, None])
def test_elsewhere_the_letter_prints_whichever_identifiers_the_record_has(country: Country | None) -> None:
    locale = LetterLocale.of(country)
    assert locale.identifiers(patient()) == (("NHS number", "943 476 5919"), ("Medicare number", "2123 45670 1, IRN 1"))
    assert locale.identifiers(patient(nhs_number="")) == (("Medicare number", "2123 45670 1, IRN 1"),)
    assert locale.identifiers(patient(nhs_number="", medicare_number="")) == ()
    assert locale.footer_identifier(patient(nhs_number="")) == "Medicare 2123 45670 1"


def test_the_emergency_number_is_the_countrys_or_every_one_when_unknown() -> None:
    assert LetterLocale.of(Country.UK).emergency_call == "call 999"
    assert LetterLocale.of(Country.AU).emergency_call == "call 000"
    assert LetterLocale.of(Country.US).emergency_numbers == "911"
    unknown = LetterLocale.of(None)
    for number in ("999", "000", "112", "911"):
        assert number in unknown.emergency_call and number in unknown.emergency_numbers


def test_the_registration_body_hint_is_the_usual_regulator() -> None:
    assert LetterLocale.of(Country.UK).registration_body_hint == "HCPC"
    assert LetterLocale.of(Country.AU).registration_body_hint == "AHPRA"
    assert LetterLocale.of(None).registration_body_hint == ""


@pytest.mark.parametrize(("british", "american", "endings"), _US_SPELLING)
def test_every_us_spelling_entry_changes_each_of_its_forms(british: str, american: str, endings: tuple[str]) -> None:
    us = LetterLocale.of(Country.US)
    for end in endings:
        assert us.spell(f"a {british}{end}.") == f"a {american}{end}."


def test_spelling_keeps_the_case_and_whole_words_only() -> None:
    us = LetterLocale.of(Country.US)
    assert us.spell("Your home exercise programme") == "Your home exercise program"
    assert us.spell("PROGRAMME; Programmes") == "PROGRAM; Programs"
    assert us.spell("Pitting oedema, colour change") == "Pitting edema, color change"
    assert us.spell("programmer centred") == "programmer centred"  # not words of the table


def test_australia_writes_program_and_is_otherwise_british() -> None:
    au = LetterLocale.of(Country.AU)
    assert _AU_SPELLING == (("programme", "program", ("", "s")),)
    assert au.spell("Home exercise programme: organise the colour of the oedema") == (
        "Home exercise program: organise the colour of the oedema"
    )


@pytest.mark.parametrize("country", [Country.UK, Country.EU, None])
def test_british_spelling_is_left_alone(country: Country | None) -> None:
    text = "Home exercise programme, organised at the centre; pitting oedema"
    assert LetterLocale.of(country).spell(text) == text
