"""What a receptionist types into the search field, drawn from the patients actually in the database.

Each query is typed one character at a time, so every prefix of it is a keystroke to measure. The mix
follows how a clinic looks people up: mostly the start of a family or given name, sometimes a whole name
in either order, a date of birth (in the clinic's order or ISO), an identifier read off a letter with its
spaces, and typing slips that find nobody.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from workstation.dates import DateOrder, format_date
from workstation.identifiers import format_medicare_number, format_nhs_number
from workstation.records import PatientSummary
from workstation.text import fold

QUERY_SEED = 2_024

Maker = Callable[[random.Random, PatientSummary], str | None]


def _name_prefix(rng: random.Random, patient: PatientSummary) -> str | None:
    name = rng.choice([n for n in (patient.family_name, patient.given_name, patient.preferred_name) if n])
    return _as_typed(rng, name[: rng.randint(min(2, len(name)), len(name))])


def _given_family(rng: random.Random, patient: PatientSummary) -> str | None:
    if not patient.given_name or not patient.family_name:
        return None
    return _as_typed(rng, f"{patient.given_name} {patient.family_name}")


def _family_given(rng: random.Random, patient: PatientSummary) -> str | None:
    if not patient.given_name or not patient.family_name:
        return None
    # Often only the start of the given name: "okafor chi".
    given = patient.given_name[: rng.randint(1, len(patient.given_name))]
    return _as_typed(rng, f"{patient.family_name} {given}")


def _birth_date(rng: random.Random, patient: PatientSummary) -> str | None:
    return format_date(patient.date_of_birth, DateOrder.DAY_MONTH_YEAR)


def _iso_birth_date(rng: random.Random, patient: PatientSummary) -> str | None:
    return patient.date_of_birth.isoformat()


def _identifier(rng: random.Random, patient: PatientSummary) -> str | None:
    if patient.nhs_number:
        return format_nhs_number(patient.nhs_number)
    if patient.medicare_number:
        return format_medicare_number(patient.medicare_number)
    return None


def _typo(rng: random.Random, patient: PatientSummary) -> str | None:
    """A name with a slip no name in the list has (a doubled consonant cluster): it matches nobody."""
    name = fold(patient.family_name or patient.given_name)
    cut = rng.randint(1, max(1, len(name) - 1))
    return f"{name[:cut]}qxz{name[cut:]}"


def _as_typed(rng: random.Random, text: str) -> str:
    """Half the time as written (Zoë), half as typed on a plain keyboard (zoe)."""
    return text if rng.random() < 0.5 else fold(text)


# (how often, how): the weights add up to 100.
_MIX: Sequence[tuple[int, Maker]] = (
    (40, _name_prefix),
    (12, _given_family),
    (12, _family_given),
    (10, _birth_date),
    (5, _iso_birth_date),
    (11, _identifier),
    (10, _typo),
)


def realistic_queries(patients: Sequence[PatientSummary], count: int, seed: int = QUERY_SEED) -> list[str]:
    """``count`` queries, each about a patient picked at random from ``patients``."""
    rng = random.Random(seed)
    weights = [weight for weight, _ in _MIX]
    makers = [maker for _, maker in _MIX]
    queries: list[str] = []
    while len(queries) < count:
        maker = rng.choices(makers, weights)[0]
        query = maker(rng, rng.choice(patients))
        if query and query.strip():
            queries.append(query)
    return queries


def keystrokes(query: str) -> list[str]:
    """The text in the field after each keystroke of ``query``."""
    return [query[: end + 1] for end in range(len(query))]
