"""The practice's settings: typed, checked, changed only by admins, and every change audited.

Each setting is one ``ClinicSetting`` declaration (key, default, how to read and write its text), listed
in ``CLINIC_SETTINGS``; asking for a key that is not declared is an error, never a silent default. A
value stored badly (edited by hand, or written by a newer CalfDesk) reads as the default. Adding a
setting is one more declaration and, if wanted, a typed pair of methods.

The letterhead is the clinic's name, address, phone and email (settings), its country (which decides the
date order, the emergency number, the identifiers and the spelling of letters) and its logo, an image
kept in the ``ClinicImageStore`` rather than as a setting's text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, TypeVar, cast

from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.clinical.country import Country
from workstation.clinical.load import DistanceUnit
from workstation.dates import DateOrder
from workstation.errors import PermissionDenied, ValidationFailed
from workstation.letters.records import ClinicProfile
from workstation.ports import ClinicImageStore, SettingsStore
from workstation.problems import Problem
from workstation.security.accounts import Actor
from workstation.security.permissions import Action, require
from workstation.services.letterhead_rules import email_problem, image_kind, image_problem, phone_problem, text_problem

_T = TypeVar("_T")

LOGO_KEY = "clinic.logo"  # the logo's key in the ClinicImageStore, and the audit's object id for it
NAME_MAX_CHARS = 200
ADDRESS_MAX_CHARS = 400  # several lines
PHONE_MAX_CHARS = 50
EMAIL_MAX_CHARS = 200
_AUDIT_DETAIL_MAX_CHARS = 200  # a longer before -> after (an address) is audited by its lengths


class UnknownSetting(KeyError):
    """No clinic setting is declared under this key (a bug in the caller)."""


@dataclass(frozen=True, slots=True)
class ClinicSetting(Generic[_T]):
    key: str
    default: _T
    parse: Callable[[str], _T | None]  # the stored text as a value; None if it is not a valid one
    text: Callable[[_T], str]  # the value as stored
    problem: str  # shown beside the field when a value is refused


def _distance_unit(stored: str) -> DistanceUnit | None:
    return stored if stored in DISTANCE_UNITS else None


def _text_rule(check: Callable[[str, str, int], Problem | None], limit: int) -> Callable[[str], str | None]:
    return lambda stored: stored if check("", stored, limit) is None else None


def _several_lines(stored: str) -> str | None:
    return stored if text_problem("", stored, ADDRESS_MAX_CHARS, one_line=False) is None else None


def _country(stored: str) -> str | None:
    return stored if stored == "" or stored in Country.__members__ else None


DISTANCE_UNITS: tuple[DistanceUnit, ...] = ("km", "mi")
DISTANCE_UNIT: ClinicSetting[DistanceUnit] = ClinicSetting(
    key="clinic.distance_unit",
    default="km",
    parse=_distance_unit,
    text=str,
    problem="Show distances in kilometres (km) or miles (mi).",
)
CLINIC_NAME: ClinicSetting[str] = ClinicSetting(
    key="clinic.name",
    default="",
    parse=_text_rule(text_problem, NAME_MAX_CHARS),
    text=str,
    problem=f"The clinic's name is one line of up to {NAME_MAX_CHARS} characters.",
)
CLINIC_ADDRESS: ClinicSetting[str] = ClinicSetting(
    key="clinic.address",
    default="",
    parse=_several_lines,
    text=str,
    problem=f"The clinic's address is a few lines, up to {ADDRESS_MAX_CHARS} characters in all.",
)
CLINIC_PHONE: ClinicSetting[str] = ClinicSetting(
    key="clinic.phone",
    default="",
    parse=_text_rule(phone_problem, PHONE_MAX_CHARS),
    text=str,
    problem="A phone number has 6 to 24 digits, spaces, brackets or a leading +.",
)
CLINIC_EMAIL: ClinicSetting[str] = ClinicSetting(
    key="clinic.email",
    default="",
    parse=_text_rule(email_problem, EMAIL_MAX_CHARS),
    text=str,
    problem=f"An email address such as reception@example.org, up to {EMAIL_MAX_CHARS} characters.",
)
COUNTRY: ClinicSetting[str] = ClinicSetting(
    key="clinic.country",
    default="",  # not chosen: letters and red flags give every emergency number
    parse=_country,
    text=str,
    problem="Choose the UK, Australia, the EU or the US, or leave the country unchosen.",
)
_DETAILS = {"name": CLINIC_NAME, "address": CLINIC_ADDRESS, "phone": CLINIC_PHONE, "email": CLINIC_EMAIL}

CLINIC_SETTINGS: Mapping[str, ClinicSetting[object]] = MappingProxyType(
    {
        setting.key: cast("ClinicSetting[object]", setting)
        for setting in (DISTANCE_UNIT, CLINIC_NAME, CLINIC_ADDRESS, CLINIC_PHONE, CLINIC_EMAIL, COUNTRY)
    }
)


def clinic_setting(key: str) -> ClinicSetting[object]:
    """The declaration of ``key``; raises UnknownSetting if there is none."""
    try:
        return CLINIC_SETTINGS[key]
    except KeyError:
        raise UnknownSetting(key) from None


def date_order_for(country: Country | None) -> DateOrder:
    """Month first in the US, day first everywhere else (and while no country is chosen)."""
    return DateOrder.MONTH_DAY_YEAR if country is Country.US else DateOrder.DAY_MONTH_YEAR


def _change_detail(before: str, after: str) -> str:
    """ "km -> mi"; "(none)" for an empty value; lengths only for a long or several-line one (an address)."""
    shown = f"{before or '(none)'} -> {after or '(none)'}"
    if len(shown) > _AUDIT_DETAIL_MAX_CHARS or "\n" in shown:
        return f"{len(before)} -> {len(after)} characters"
    return shown


def _image_detail(content: bytes | None) -> str:
    if content is None:
        return "(none)"
    return f"{image_kind(content)} {len(content)} bytes sha256 {hashlib.sha256(content).hexdigest()[:12]}"


class ClinicSettings:
    def __init__(self, store: SettingsStore, auditor: Auditor, images: ClinicImageStore) -> None:
        self._store = store
        self._auditor = auditor
        self._images = images

    def value(self, setting: ClinicSetting[_T]) -> _T:
        """The stored value, or the default when none is stored or the stored text is not valid."""
        clinic_setting(setting.key)  # declared, so a typo'd ad-hoc declaration fails loudly
        stored = self._store.get(setting.key)
        if stored is None:
            return setting.default
        parsed = setting.parse(stored)
        return setting.default if parsed is None else parsed

    def change(self, actor: Actor, setting: ClinicSetting[_T], value: _T) -> None:
        """Store ``value`` and audit the change (before -> after).

        Raises:
            PermissionDenied: the role may not change clinic settings (audited as a denial).
            ValidationFailed: not a valid value (the problem's field is the setting's key).
            UnknownSetting: the setting is not declared.
        """
        clinic_setting(setting.key)
        self._require(actor, setting.key)
        text = setting.text(value)
        if setting.parse(text) is None:
            raise ValidationFailed([Problem(setting.key, setting.problem)])
        before = setting.text(self.value(setting))
        self._store.put(setting.key, text, at=self._auditor.now(), by=actor.user_id)
        self._auditor.record(AuditEvent.SETTING_CHANGED, actor, object_type="setting", object_id=setting.key,
                             detail=_change_detail(before, text))  # fmt: skip

    def _require(self, actor: Actor, key: str) -> None:
        try:
            require(actor, Action.CHANGE_CLINIC_SETTINGS)
        except PermissionDenied:
            self._auditor.record(AuditEvent.SETTING_CHANGED, actor, outcome=Outcome.DENIED, object_type="setting",
                                 object_id=key)  # fmt: skip
            raise

    def distance_unit(self) -> DistanceUnit:
        """How distances are shown and typed in (stored in km whatever this says)."""
        return self.value(DISTANCE_UNIT)

    def set_distance_unit(self, actor: Actor, unit: DistanceUnit) -> None:
        self.change(actor, DISTANCE_UNIT, unit)

    # The letterhead ------------------------------------------------------------------------------

    def country(self) -> Country | None:
        """The clinic's country; None until an admin chooses one."""
        stored = self.value(COUNTRY)
        return Country[stored] if stored else None

    def set_country(self, actor: Actor, country: Country | None) -> None:
        self.change(actor, COUNTRY, "" if country is None else country.name)

    def date_order(self) -> DateOrder:
        """How the clinic writes dates (``date_order_for`` its country)."""
        return date_order_for(self.country())

    def profile(self) -> ClinicProfile:
        """The practice as its letterhead shows it."""
        return ClinicProfile(
            name=self.value(CLINIC_NAME), address=self.value(CLINIC_ADDRESS), phone=self.value(CLINIC_PHONE),
            email=self.value(CLINIC_EMAIL), country=self.country(), logo=self.logo(),
        )  # fmt: skip

    def set_details(
        self,
        actor: Actor,
        *,
        name: str | None = None,
        address: str | None = None,
        phone: str | None = None,
        email: str | None = None,
    ) -> None:
        """Store the details given (None: leave as it is), each trimmed, each change audited on its own.

        Every value is checked before any is stored, so a refusal stores none of them.

        Raises:
            PermissionDenied: the role may not change clinic settings (audited as a denial).
            ValidationFailed: a problem for each value refused (fields ``clinic.name``, ``clinic.address``, ...).
        """
        given = {key: value for key, value in {"name": name, "address": address, "phone": phone,
                                               "email": email}.items() if value is not None}  # fmt: skip
        if not given:
            return
        self._require(actor, _DETAILS[next(iter(given))].key)
        values = {key: _trimmed(key, value) for key, value in given.items()}
        problems = [found for key, value in values.items() if (found := _detail_problem(key, value)) is not None]
        if problems:
            raise ValidationFailed(problems)
        for key, value in values.items():
            if value != self.value(_DETAILS[key]):
                self.change(actor, _DETAILS[key], value)

    def logo(self) -> bytes | None:
        """The letterhead's logo (PNG or JPEG), or None."""
        return self._images.get(LOGO_KEY)

    def set_logo(self, actor: Actor, content: bytes | None) -> None:
        """Store the logo (None removes it), audited as a change of ``clinic.logo`` with its size and fingerprint.

        Raises:
            PermissionDenied: the role may not change clinic settings (audited as a denial).
            ValidationFailed: not a PNG or JPEG, or over 1 MB (field ``clinic.logo``).
        """
        self._require(actor, LOGO_KEY)
        problem = image_problem(LOGO_KEY, content, "logo")
        if problem is not None:
            raise ValidationFailed([problem])
        before = self.logo()
        self._images.put(LOGO_KEY, content, at=self._auditor.now(), by=actor.user_id)
        self._auditor.record(AuditEvent.SETTING_CHANGED, actor, object_type="setting", object_id=LOGO_KEY,
                             detail=f"{_image_detail(before)} -> {_image_detail(content)}")  # fmt: skip


def _trimmed(key: str, value: str) -> str:
    """Surrounding white space off; an address also loses its blank lines and each line's trailing spaces."""
    if key != "address":
        return value.strip()
    return "\n".join(line.strip() for line in value.strip().splitlines() if line.strip())


def _detail_problem(key: str, value: str) -> Problem | None:
    field = _DETAILS[key].key
    if key == "name":
        return text_problem(field, value, NAME_MAX_CHARS)
    if key == "address":
        return text_problem(field, value, ADDRESS_MAX_CHARS, one_line=False)
    if key == "phone":
        return phone_problem(field, value, PHONE_MAX_CHARS)
    return email_problem(field, value, EMAIL_MAX_CHARS)
