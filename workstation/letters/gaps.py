"""What a letter would print without, and where to fill it in, before it is finalised.

A letter from a clinic with no name set prints an empty letterhead, and one from a clinician with no
registration number prints no registration line (CLINICAL.md 9.1 "Header / identifiers"): nothing stops
either, because a clinic may genuinely have no country or a locum no number yet, but nobody should find out
from the GP. ``letter_gaps`` lists each gap in plain words with the menu that fixes it; the letter dialog
shows them above the form and in its confirmation, and never refuses a letter for one.
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.clinical.country import Country
from workstation.letters.records import ClinicianProfile, ClinicProfile, LetterFacts, LetterKind, Recipient
from workstation.records import Patient

CLINIC_SETTINGS = "Admin › Clinic settings"
LETTER_DETAILS = "File › My letter details"
EDIT_PATIENT = "Patient › Edit patient"
COUNTRY_FIX = f"{CLINIC_SETTINGS}: the letter gives every emergency number"
RECIPIENT_FIX = f"the To fields, or the patient's GP details in {EDIT_PATIENT}"
CARE_PLAN_FIX = f"choose another document, or the clinic's country in {CLINIC_SETTINGS}"
NOT_SET = "Not set: "
_COUNTRY_NAMES = {
    Country.UK: "the United Kingdom",
    Country.AU: "Australia",
    Country.EU: "the European Union",
    Country.US: "the United States",
}
# CLINICAL.md 9.1 (UK: the NHS number) and 9.2 (Australia: the Medicare number); a UK or Australian letter
# prints the line as "not recorded" when the record has none.
_IDENTIFIER_NAMES = {Country.UK: "the patient's NHS number", Country.AU: "the patient's Medicare number"}


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing the letter will go without (``missing``), or a mismatch worth saying (not ``missing``)."""

    what: str  # "the clinic's name"
    where_to_fix: str  # "Admin › Clinic settings"
    missing: bool = True  # False: nothing is blank, but the document does not fit (a care-plan report in the UK)

    @property
    def line(self) -> str:
        """ "Not set: the clinic's name (Admin › Clinic settings)": the dialog's line for this gap."""
        return f"{NOT_SET if self.missing else ''}{self.what} ({self.where_to_fix})"


def letter_gaps(kind: LetterKind, facts: LetterFacts, recipient: Recipient) -> tuple[Gap, ...]:
    """What the letter of ``kind`` would print without, in the order the page shows it.

    Args:
        kind: the document being written.
        facts: the clinic, the clinician and the patient the letter is written from.
        recipient: the To fields as they stand (ignored for a handout, which goes to the patient).

    Returns:
        The gaps, the letterhead's first, then the recipient, the patient's identifiers, the signature and
        the country; empty when the letter is complete.
    """
    handout = kind is LetterKind.HANDOUT
    clinic = facts.clinic
    gaps = [*_letterhead_gaps(clinic)]
    if not handout and recipient.is_empty:
        gaps.append(Gap("who the letter is to", RECIPIENT_FIX))
    if not handout:  # a handout prints no identifiers: it goes to the patient in person
        gaps += _identifier_gaps(clinic.country, facts.patient)
    gaps += _registration_gaps(facts.clinician)
    if clinic.country is None:
        gaps.append(Gap("the clinic's country", COUNTRY_FIX))
    if kind is LetterKind.CARE_PLAN_REPORT and clinic.country is not Country.AU:
        gaps.append(_care_plan_mismatch(clinic.country))
    return tuple(gaps)


def _letterhead_gaps(clinic: ClinicProfile) -> list[Gap]:
    gaps = []
    if not clinic.name.strip():
        gaps.append(Gap("the clinic's name", CLINIC_SETTINGS))
    if not clinic.address.strip():
        gaps.append(Gap("the clinic's address", CLINIC_SETTINGS))
    return gaps


def _identifier_gaps(country: Country | None, patient: Patient) -> list[Gap]:
    wanted = _IDENTIFIER_NAMES.get(country) if country is not None else None
    if wanted is None:
        return []  # elsewhere the letter prints whichever identifiers the record has
    number = patient.nhs_number if country is Country.UK else patient.medicare_number
    return [] if number.strip() else [Gap(wanted, EDIT_PATIENT)]


def _registration_gaps(clinician: ClinicianProfile) -> list[Gap]:
    """The signature's registration line: none at all without a number, no regulator's name without a body."""
    body, number = clinician.registration_body.strip(), clinician.registration_number.strip()
    if not body and not number:
        return [Gap("your registration body and number", LETTER_DETAILS)]
    if not number:
        return [Gap("your registration number (no registration line is printed)", LETTER_DETAILS)]
    if not body:
        return [Gap("your registration body", LETTER_DETAILS)]
    return []


def _care_plan_mismatch(country: Country | None) -> Gap:
    where = "not set" if country is None else f"set to {_COUNTRY_NAMES[country]}"
    return Gap(
        f"This report is for Australian funded care plans (Medicare); the clinic's country is {where}",
        CARE_PLAN_FIX,
        missing=False,
    )
