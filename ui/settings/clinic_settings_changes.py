"""What Admin › Clinic settings reads, and how its Save writes only what was changed (Qt-free).

Each part (the practice's details, the country, the logo, the distance unit) is written by its own
service call, so each is checked and audited on its own. A part the service refuses keeps its stored
value and its problems come back for the field; the parts before and after it are still saved, and the
outcome says exactly what is stored now, so the next Save writes only what is still different.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from workstation.errors import CalfDeskError, ValidationFailed
from workstation.letters.records import ClinicProfile
from workstation.problems import Problem

if TYPE_CHECKING:
    from workstation.clinical.load import DistanceUnit
    from workstation.security.accounts import Actor
    from workstation.services.clinic_settings import ClinicSettings

DETAIL_KEYS = ("name", "address", "phone", "email")
_PART_NAMES = {"country": "the country", "logo": "the logo", "distance_unit": "the distance unit"}


@dataclass(frozen=True, slots=True)
class ClinicSettingsValues:
    """Everything the dialog shows: the letterhead (with the country and the logo) and the unit."""

    profile: ClinicProfile
    distance_unit: DistanceUnit


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    """What is stored after a Save, the problems of the refused parts, and a failure that stopped it."""

    stored: ClinicSettingsValues
    problems: list[Problem] = field(default_factory=list)
    error: CalfDeskError | None = None  # not a field's problem (no permission, database gone, ...)
    saved: tuple[str, ...] = ()  # what was written, in words: ("the name and phone", "the country")
    not_saved: tuple[str, ...] = ()  # what was refused, or not reached after an error

    @property
    def complete(self) -> bool:
        return not self.problems and self.error is None


def read_clinic_settings(settings: ClinicSettings) -> ClinicSettingsValues:
    return ClinicSettingsValues(settings.profile(), settings.distance_unit())


def changed_parts(before: ClinicSettingsValues, after: ClinicSettingsValues) -> list[str]:
    """The parts that differ, in the order they are saved: "details", "country", "logo", "distance_unit"."""
    parts = []
    if any(getattr(before.profile, key) != getattr(after.profile, key) for key in DETAIL_KEYS):
        parts.append("details")
    if before.profile.country != after.profile.country:
        parts.append("country")
    if before.profile.logo != after.profile.logo:
        parts.append("logo")
    if before.distance_unit != after.distance_unit:
        parts.append("distance_unit")
    return parts


def save_clinic_settings(
    settings: ClinicSettings, actor: Actor, before: ClinicSettingsValues, after: ClinicSettingsValues
) -> SaveOutcome:
    """Write each changed part through the service (runs on the database thread)."""
    stored, problems, saved = before, list[Problem](), list[str]()
    parts = changed_parts(before, after)
    for part in parts:
        try:
            _WRITERS[part](settings, actor, before, after)
        except ValidationFailed as refused:
            problems.extend(refused.problems)  # the details are checked together: none of them is stored
            continue
        except CalfDeskError as error:
            return _outcome(stored, problems, error.with_traceback(None), parts, saved, before, after)
        stored = _with_part(stored, after, part)
        saved.append(part)
    return _outcome(stored, problems, None, parts, saved, before, after)


def _outcome(stored: ClinicSettingsValues, problems: list[Problem], error: CalfDeskError | None, parts: list[str],
             saved: list[str], before: ClinicSettingsValues, after: ClinicSettingsValues) -> SaveOutcome:  # fmt: skip
    def words(part: str) -> str:
        if part != "details":
            return _PART_NAMES[part]
        keys = [key for key in DETAIL_KEYS if getattr(before.profile, key) != getattr(after.profile, key)]
        return "the " + _listed(keys)

    not_saved = tuple(words(part) for part in parts if part not in saved)
    return SaveOutcome(stored, problems, error, tuple(words(part) for part in saved), not_saved)


def outcome_text(outcome: SaveOutcome) -> str:
    """What a Save that did not write everything did: "Saved: the country and the logo. Not saved: ..." """
    first = f"Saved: {_listed(outcome.saved)}." if outcome.saved else "Nothing was saved."
    if outcome.error is not None:
        return f"{first} {outcome.error}"
    return f"{first} Not saved: {_listed(outcome.not_saved)}. Put right what is marked below, then Save again."


def _listed(words: list[str] | tuple[str, ...]) -> str:
    """ "a", "a and b", "a, b and c"; "the name and email, and the logo" when a part is a list itself."""
    if len(words) <= 1:
        return "".join(words)
    last = ", and " if any(" and " in word for word in words[:-1]) else " and "
    return ", ".join(words[:-1]) + last + words[-1]


def _write_details(settings: ClinicSettings, actor: Actor, before: ClinicSettingsValues,
                   after: ClinicSettingsValues) -> None:  # fmt: skip
    changed = {key: getattr(after.profile, key) for key in DETAIL_KEYS
               if getattr(before.profile, key) != getattr(after.profile, key)}  # fmt: skip
    settings.set_details(actor, **changed)


def _write_country(settings: ClinicSettings, actor: Actor, _before: ClinicSettingsValues,
                   after: ClinicSettingsValues) -> None:  # fmt: skip
    settings.set_country(actor, after.profile.country)


def _write_logo(settings: ClinicSettings, actor: Actor, _before: ClinicSettingsValues,
                after: ClinicSettingsValues) -> None:  # fmt: skip
    settings.set_logo(actor, after.profile.logo)


def _write_unit(settings: ClinicSettings, actor: Actor, _before: ClinicSettingsValues,
                after: ClinicSettingsValues) -> None:  # fmt: skip
    settings.set_distance_unit(actor, after.distance_unit)


_WRITERS: dict[str, Callable[[ClinicSettings, Actor, ClinicSettingsValues, ClinicSettingsValues], None]] = {
    "details": _write_details,
    "country": _write_country,
    "logo": _write_logo,
    "distance_unit": _write_unit,
}


def _with_part(stored: ClinicSettingsValues, after: ClinicSettingsValues, part: str) -> ClinicSettingsValues:
    if part == "distance_unit":
        return replace(stored, distance_unit=after.distance_unit)
    keys = DETAIL_KEYS if part == "details" else (part,)
    profile = replace(stored.profile, **{key: getattr(after.profile, key) for key in keys})
    return replace(stored, profile=profile)
