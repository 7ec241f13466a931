"""What a club and a squad may be called, and what their coach contacts must look like.

Each rule returns problems naming their field (validation is inline, not modal); ``cleaned_squad`` is the
squad as it is stored: every text NFC with surrounding spaces removed, as names are (RELIABILITY.md H5).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from workstation.problems import Problem
from workstation.records import Patient
from workstation.squads.records import Squad
from workstation.text import has_invisible_controls, nfc
from workstation.validation import NAME_MAX_CHARS, SHORT_TEXT_MAX_CHARS, validate_patient


def name_key(name: str) -> str:
    """The form a club or squad name is compared in, everywhere: NFC, surrounding spaces dropped, inner runs
    of white space made one space, casefolded ("Senior  Women " and "senior women" are one squad)."""
    return " ".join(nfc(name).split()).casefold()

SQUAD_NAME_MAX_CHARS = NAME_MAX_CHARS  # "Senior women", "Under 17 boys"
CLUB_NAME_MAX_CHARS = SHORT_TEXT_MAX_CHARS
SEASON_MAX_CHARS = 40  # "2026/27", "Summer 2026"
_PROBE_DAY = date(2000, 1, 1)


def club_name_problems(name: str) -> list[Problem]:
    """Problems with a club's name (field ``name``)."""
    return _label_problems("name", nfc(name), CLUB_NAME_MAX_CHARS, required="Enter the club's name.")


def cleaned_squad(squad: Squad) -> Squad:
    """The squad with every text as it is stored: NFC, surrounding spaces removed."""
    return replace(
        squad,
        name=nfc(squad.name),
        season=nfc(squad.season),
        coach_name=nfc(squad.coach_name),
        coach_email=nfc(squad.coach_email),
        coach_phone=nfc(squad.coach_phone),
    )


def squad_problems(squad: Squad) -> list[Problem]:
    """Every problem with a (cleaned) squad, each naming its field."""
    problems = _label_problems("name", squad.name, SQUAD_NAME_MAX_CHARS, required="Enter the squad's name.")
    problems += _label_problems("season", squad.season, SEASON_MAX_CHARS)
    problems += _label_problems("coach_name", squad.coach_name, NAME_MAX_CHARS)
    problems += _contact_problems(squad.coach_email, squad.coach_phone)
    return problems


def _label_problems(field: str, text: str, limit: int, *, required: str = "") -> list[Problem]:
    problems = []
    if required and not text:
        problems.append(Problem(field, required))
    if len(text) > limit:
        problems.append(Problem(field, f"Limited to {limit} characters."))
    if has_invisible_controls(text):
        problems.append(Problem(field, "This contains invisible control characters: retype it."))
    return problems


def _contact_problems(email: str, phone: str) -> list[Problem]:
    """The patient record's own email and phone rules, so a coach's contact is checked as a patient's is."""
    probe = Patient("Coach", "Coach", _PROBE_DAY, email=email, phone=phone)
    fields = {"email": "coach_email", "phone": "coach_phone"}
    return [
        Problem(fields[problem.field], problem.message, problem.severity)
        for problem in validate_patient(probe, _PROBE_DAY)
        if problem.field in fields
    ]
