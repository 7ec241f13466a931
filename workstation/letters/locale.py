"""What a letter's country decides: how dates read, which identifiers print, the emergency number, spelling.

The clinic's country (Admin › Clinic settings) picks a ``LetterLocale``; with no country chosen yet the
letter still has to be safe and unambiguous, so dates are written day first in words ("1 December 2026"
reads the same everywhere), every emergency number is given, and the patient's identifiers are those the
record has. British English is the house default (rules of the project); the United States spelling, and
Australian "program", are applied by ``spell`` to our own template wording only, never to what a person
typed: a name, an impression or an action is printed exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from workstation.clinical.country import ALL_EMERGENCY_NUMBERS, Country, emergency_call
from workstation.dates import DateOrder
from workstation.identifiers import (
    MEDICARE_NUMBER_LENGTH,
    NHS_NUMBER_LENGTH,
    format_medicare_number,
    format_nhs_number,
)
from workstation.records import Patient

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
NOT_RECORDED = "not recorded"
# EU clinics write English for an international reader: the plain tag, British spelling. Unknown: the house default.
_LANGUAGES: dict[Country | None, str] = {
    Country.UK: "en-GB", Country.AU: "en-AU", Country.EU: "en", Country.US: "en-US", None: "en-GB",
}  # fmt: skip
_REGISTRATION_BODIES: dict[Country | None, str] = {Country.UK: "HCPC", Country.AU: "AHPRA"}

# (British stem, American stem, the endings it takes): the few words our templates use. Short on purpose;
# a test keeps every entry exercised.
_US_SPELLING: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("programme", "program", ("", "s")),
    ("organis", "organiz", ("e", "ed", "es", "ing", "ation")),
    ("centre", "center", ("", "s")),
    ("behaviour", "behavior", ("", "s")),
    ("colour", "color", ("", "s")),
    ("discolouration", "discoloration", ("",)),
    ("oedema", "edema", ("",)),
    ("anaesthetic", "anesthetic", ("", "s")),
    ("haematoma", "hematoma", ("", "s")),
    ("orthopaedic", "orthopedic", ("", "s")),
    ("oestrogen", "estrogen", ("",)),
    ("mobilis", "mobiliz", ("e", "ed", "ing", "ation")),
    ("immobilis", "immobiliz", ("e", "ed", "ation")),
    ("sensitis", "sensitiz", ("e", "ed", "ing", "er", "ers", "ation")),
    ("metre", "meter", ("", "s")),
)
# Australian government style writes "program"; the rest of Australian spelling is British.
_AU_SPELLING: tuple[tuple[str, str, tuple[str, ...]], ...] = (("programme", "program", ("", "s")),)


def _speller(table: tuple[tuple[str, str, tuple[str, ...]], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    words = {british + end: american + end for british, american, ends in table for end in ends}
    longest_first = sorted(words, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, longest_first)) + r")\b", re.IGNORECASE)
    return pattern, words


_SPELLERS: dict[Country | None, tuple[re.Pattern[str], dict[str, str]]] = {
    Country.US: _speller(_US_SPELLING),
    Country.AU: _speller(_AU_SPELLING),
}


def _same_case(found: str, replacement: str) -> str:
    if len(found) > 1 and found.isupper():
        return replacement.upper()
    if found[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


@dataclass(frozen=True, slots=True)
class LetterLocale:
    """The conventions of one country's letters (``None``: the clinic has not chosen a country yet)."""

    country: Country | None

    @classmethod
    def of(cls, country: Country | None) -> LetterLocale:
        return cls(country)

    @property
    def language(self) -> str:
        """The BCP 47 tag of the letter (the PDF's language)."""
        return _LANGUAGES[self.country]

    @property
    def month_first(self) -> bool:
        return self.country is Country.US

    @property
    def date_order(self) -> DateOrder:
        """For numeric dates elsewhere (chart hovers): the US writes the month first."""
        return DateOrder.MONTH_DAY_YEAR if self.month_first else DateOrder.DAY_MONTH_YEAR

    def long_date(self, day: date) -> str:
        """ "1 December 2026"; "December 1, 2026" in the US. A day-first date in words is never ambiguous."""
        month = MONTHS[day.month - 1]
        return f"{month} {day.day}, {day.year}" if self.month_first else f"{day.day} {month} {day.year}"

    def short_date(self, day: date) -> str:
        """ "1 Jan 1990" (the page footer)."""
        month = MONTHS[day.month - 1][:3]
        return f"{month} {day.day}, {day.year}" if self.month_first else f"{day.day} {month} {day.year}"

    def clock(self, moment: datetime) -> str:
        """The time of day in the clinic's own zone: "11:20" (24-hour), "11:20 AM" in the US."""
        local = moment.astimezone() if moment.tzinfo is not None else moment
        if self.month_first:
            hour = local.hour % 12 or 12
            return f"{hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
        return f"{local:%H:%M}"

    @property
    def emergency_call(self) -> str:
        """ "call 999"; with no country, every number ("call the emergency number (999 UK, 000 ...)")."""
        return emergency_call(self.country)

    @property
    def emergency_numbers(self) -> str:
        """ "999"; with no country, "999 UK, 000 Australia, 112 EU, 911 US"."""
        return ALL_EMERGENCY_NUMBERS if self.country is None else self.country.value.emergency_number

    @property
    def registration_body_hint(self) -> str:
        """The usual regulator of physiotherapists, offered as the settings default (never printed as a guess)."""
        return _REGISTRATION_BODIES.get(self.country, "")

    def identifiers(self, patient: Patient) -> tuple[tuple[str, str], ...]:
        """The patient's national identifiers as the letter prints them (CLINICAL.md 9.1, 9.2).

        UK letters always carry the NHS number line and Australian ones the Medicare line ("not recorded"
        when the record has none, so the reader sees it is missing rather than forgotten); elsewhere the
        letter prints whichever identifiers the record has.
        """
        nhs = _nhs(patient)
        medicare = _medicare(patient)
        if self.country is Country.UK:
            return (("NHS number", nhs or NOT_RECORDED),)
        if self.country is Country.AU:
            return (("Medicare number", medicare or NOT_RECORDED),)
        rows = []
        if nhs:
            rows.append(("NHS number", nhs))
        if medicare:
            rows.append(("Medicare number", medicare))
        return tuple(rows)

    def footer_identifier(self, patient: Patient) -> str:
        """The one identifier the page footer shows: "NHS 943 476 5919", "Medicare 2123 45670 1", or ""."""
        nhs, medicare = _nhs(patient), _medicare(patient, with_irn=False)
        if self.country is Country.AU:
            return f"Medicare {medicare}" if medicare else ""
        if self.country is Country.UK or nhs:
            return f"NHS {nhs}" if nhs else ""
        return f"Medicare {medicare}" if medicare else ""

    def spell(self, text: str) -> str:
        """Our template wording in the country's spelling (US, and Australian "program"). Never call it on
        text a person typed."""
        speller = _SPELLERS.get(self.country)
        if speller is None:
            return text
        pattern, words = speller
        return pattern.sub(lambda match: _same_case(match.group(0), words[match.group(0).lower()]), text)


def _nhs(patient: Patient) -> str:
    digits = patient.nhs_number.strip()
    return format_nhs_number(digits) if len(digits) == NHS_NUMBER_LENGTH else digits


def _medicare(patient: Patient, *, with_irn: bool = True) -> str:
    digits = patient.medicare_number.strip()
    if not digits:
        return ""
    number = format_medicare_number(digits) if len(digits) == MEDICARE_NUMBER_LENGTH else digits
    irn = patient.medicare_irn.strip()
    return f"{number}, IRN {irn}" if with_irn and irn else number
