"""The clinic's display settings on real databases of both kinds: typed, with a default, changed only by
an admin, and every change (or refusal) audited with the values before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import PermissionDenied, ValidationFailed
from workstation.ports import AuditQuery
from workstation.security.accounts import Actor, Role
from workstation.services.clinic_settings import (
    CLINIC_SETTINGS,
    DISTANCE_UNIT,
    ClinicSetting,
    ClinicSettings,
    UnknownSetting,
    clinic_setting,
)
from workstation.services.session import ClinicSession

NOW = datetime(2026, 12, 16, 9, 30, tzinfo=UTC)
ADMIN = Actor(1, "owner", Role.ADMIN, "desk")


def _settings(store: Any) -> ClinicSettings:
    return ClinicSettings(store.settings, Auditor(store.audit, "desk", lambda: NOW), store.clinic_images)


def _changes(store: Any) -> list[Any]:
    return store.audit.query(AuditQuery(event=AuditEvent.SETTING_CHANGED))


def test_distances_are_in_kilometres_until_an_admin_chooses_miles(store: Any) -> None:
    settings = _settings(store)
    assert settings.distance_unit() == "km"
    settings.set_distance_unit(ADMIN, "mi")
    assert settings.distance_unit() == "mi"
    assert _settings(store).distance_unit() == "mi"  # stored, not remembered
    (entry,) = _changes(store)
    assert (entry.outcome, entry.object_id, entry.detail) == (Outcome.SUCCESS, "clinic.distance_unit", "km -> mi")


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.CLUB, Role.RECEPTION])
def test_only_an_admin_changes_clinic_settings_and_a_refusal_is_audited(store: Any, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        _settings(store).set_distance_unit(Actor(5, "someone", role, "desk"), "mi")
    assert _settings(store).distance_unit() == "km"
    (entry,) = _changes(store)
    assert (entry.outcome, entry.object_id) == (Outcome.DENIED, "clinic.distance_unit")


def test_a_bad_value_is_refused_and_a_bad_stored_one_falls_back(store: Any) -> None:
    settings = _settings(store)
    with pytest.raises(ValidationFailed) as refused:
        settings.set_distance_unit(ADMIN, "yards")  # type: ignore[arg-type]
    assert [p.field for p in refused.value.problems] == ["clinic.distance_unit"]
    assert _changes(store) == []
    store.settings.put("clinic.distance_unit", "furlongs", at=NOW, by=None)  # edited by hand
    assert settings.distance_unit() == "km"


def test_an_unknown_key_is_an_error_not_a_default(store: Any) -> None:
    with pytest.raises(UnknownSetting):
        clinic_setting("clinic.colour_scheme")
    made_up: ClinicSetting[str] = ClinicSetting("clinic.colour_scheme", "blue", lambda s: s, str, "Choose a colour.")
    with pytest.raises(UnknownSetting):
        _settings(store).value(made_up)
    with pytest.raises(UnknownSetting):
        _settings(store).change(ADMIN, made_up, "red")
    assert clinic_setting("clinic.distance_unit") is CLINIC_SETTINGS[DISTANCE_UNIT.key]


def test_the_session_offers_the_clinic_settings(store: Any) -> None:
    session = ClinicSession(store, ADMIN, Auditor(store.audit, "desk", lambda: NOW))
    assert session.clinic_settings is session.clinic_settings
    session.clinic_settings.set_distance_unit(ADMIN, "mi")
    assert session.clinic_settings.distance_unit() == "mi"
