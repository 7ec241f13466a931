"""What choosing the clinic's country changes, in a sentence for the settings dialog (Qt-free).

The words come from the conventions the letters themselves use (``workstation.letters.locale``), so the
dialog cannot promise a date format or an emergency number the letters do not print.
"""

from __future__ import annotations

from datetime import date

from workstation.clinical.country import ALL_EMERGENCY_NUMBERS, Country
from workstation.letters.locale import LetterLocale

_IDENTIFIERS = {Country.UK: "the NHS number", Country.AU: "the Medicare number and IRN"}
_ANY_IDENTIFIER = "whichever of the NHS and Medicare numbers the record has"
_SPELLING = {Country.US: "American", Country.AU: "Australian"}


def country_effect(country: Country | None, today: date) -> str:
    """ "Letters are dated “1 December 2026”, print the NHS number and use British spelling; ..." """
    locale = LetterLocale.of(country)
    identifiers = _ANY_IDENTIFIER if country is None else _IDENTIFIERS.get(country, _ANY_IDENTIFIER)
    spelling = "British" if country is None else _SPELLING.get(country, "British")
    if country is None:
        emergency = f"red-flag messages give every emergency number ({ALL_EMERGENCY_NUMBERS})"
    else:
        emergency = f"red-flag messages say “{locale.emergency_call}”"
    return (
        f"Letters are dated “{locale.long_date(today)}”, print {identifiers} and use {spelling} spelling; "
        f"{emergency}."
    )


def registration_body_hint(country: Country | None) -> str:
    """The usual regulator of physiotherapists in ``country`` ("HCPC", "AHPRA"), or "" where there is none."""
    return LetterLocale.of(country).registration_body_hint
