"""National health identifiers and their check digits.

NHS number: 10 digits, the 10th a modulus-11 check digit over the first nine with weights 10..2; a
remainder giving 10 means the number is invalid (NHS Data Dictionary, "NHS Number").

Australian Medicare card number: 10 digits (8-digit identifier whose first digit is 2-6, a check digit,
and the card issue number), and a separate 1-digit Individual Reference Number (IRN, 1-9) for the person
on the card. Check digit = sum of the first 8 digits weighted 1,3,7,9,1,3,7,9, modulo 10 (Services
Australia, "Medicare card number check digit").
"""

from __future__ import annotations

from workstation.text import digits_only

NHS_NUMBER_LENGTH = 10
MEDICARE_NUMBER_LENGTH = 10
_MEDICARE_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9)


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no valid NHS number can start with them."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def other_script_digits_problem(text: str) -> str | None:
    """Arabic-Indic, full-width and other non-ASCII digits look right but are not 0-9: say so plainly."""
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        return "Write the number with the digits 0 to 9."
    return None


def nhs_number_problem(text: str) -> str | None:
    """Why ``text`` is not a valid NHS number, or None when it is. Spaces and hyphens are allowed."""
    if problem := other_script_digits_problem(text):
        return problem
    digits = digits_only(text)
    if len(digits) != NHS_NUMBER_LENGTH or len(digits) != len(text.replace(" ", "").replace("-", "")):
        return "An NHS number has 10 digits (for example 943 476 5919)."
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        return "This NHS number's check digit is wrong: please check each digit."
    return None


def format_nhs_number(digits: str) -> str:
    """3-3-4 grouping, as printed on NHS letters."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == NHS_NUMBER_LENGTH else digits


def medicare_check_digit(first_eight: str) -> int:
    return sum(int(d) * w for d, w in zip(first_eight, _MEDICARE_WEIGHTS, strict=True)) % 10


def medicare_number_problem(text: str) -> str | None:
    """Why ``text`` is not a valid 10-digit Medicare card number (with issue number), or None."""
    if problem := other_script_digits_problem(text):
        return problem
    digits = digits_only(text)
    if len(digits) != MEDICARE_NUMBER_LENGTH or len(digits) != len(text.replace(" ", "")):
        return "A Medicare card number has 10 digits (for example 2123 45670 1)."
    if digits[0] not in "23456":
        return "A Medicare card number starts with 2, 3, 4, 5 or 6."
    if medicare_check_digit(digits[:8]) != int(digits[8]):
        return "This Medicare number's check digit is wrong: please check each digit."
    return None


def medicare_irn_problem(text: str) -> str | None:
    if len(text) == 1 and text in "123456789":
        return None
    return "The IRN is the single digit 1-9 beside the person's name on the card."


def format_medicare_number(digits: str) -> str:
    """4-5-1 grouping, as printed on the card."""
    if len(digits) != MEDICARE_NUMBER_LENGTH:
        return digits
    return f"{digits[:4]} {digits[4:9]} {digits[9]}"
