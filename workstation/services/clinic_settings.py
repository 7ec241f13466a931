"""The practice's display settings: typed, checked, changed only by admins, and every change audited.

Each setting is one ``ClinicSetting`` declaration (key, default, how to read and write its text), listed
in ``CLINIC_SETTINGS``; asking for a key that is not declared is an error, never a silent default. A
value stored badly (edited by hand, or written by a newer CalfDesk) reads as the default. Adding a
setting (the clinic's name, country, ...) is one more declaration and, if wanted, a typed pair of methods.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, TypeVar, cast

from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.clinical.load import DistanceUnit
from workstation.errors import PermissionDenied, ValidationFailed
from workstation.ports import SettingsStore
from workstation.problems import Problem
from workstation.security.accounts import Actor
from workstation.security.permissions import Action, require

_T = TypeVar("_T")


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


DISTANCE_UNITS: tuple[DistanceUnit, ...] = ("km", "mi")
DISTANCE_UNIT: ClinicSetting[DistanceUnit] = ClinicSetting(
    key="clinic.distance_unit",
    default="km",
    parse=_distance_unit,
    text=str,
    problem="Show distances in kilometres (km) or miles (mi).",
)

CLINIC_SETTINGS: Mapping[str, ClinicSetting[object]] = MappingProxyType(
    {setting.key: cast("ClinicSetting[object]", setting) for setting in (DISTANCE_UNIT,)}
)


def clinic_setting(key: str) -> ClinicSetting[object]:
    """The declaration of ``key``; raises UnknownSetting if there is none."""
    try:
        return CLINIC_SETTINGS[key]
    except KeyError:
        raise UnknownSetting(key) from None


class ClinicSettings:
    def __init__(self, store: SettingsStore, auditor: Auditor) -> None:
        self._store = store
        self._auditor = auditor

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
        try:
            require(actor, Action.CHANGE_CLINIC_SETTINGS)
        except PermissionDenied:
            self._auditor.record(AuditEvent.SETTING_CHANGED, actor, outcome=Outcome.DENIED, object_type="setting",
                                 object_id=setting.key)  # fmt: skip
            raise
        text = setting.text(value)
        if setting.parse(text) is None:
            raise ValidationFailed([Problem(setting.key, setting.problem)])
        before = setting.text(self.value(setting))
        self._store.put(setting.key, text, at=self._auditor.now(), by=actor.user_id)
        self._auditor.record(AuditEvent.SETTING_CHANGED, actor, object_type="setting", object_id=setting.key,
                             detail=f"{before} -> {text}")  # fmt: skip

    def distance_unit(self) -> DistanceUnit:
        """How distances are shown and typed in (stored in km whatever this says)."""
        return self.value(DISTANCE_UNIT)

    def set_distance_unit(self, actor: Actor, unit: DistanceUnit) -> None:
        self.change(actor, DISTANCE_UNIT, unit)
