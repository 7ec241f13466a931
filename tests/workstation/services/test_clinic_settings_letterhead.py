"""The letterhead settings on real databases of both kinds: the clinic's name, address, phone and email,
its country (which decides the date order) and its logo; checked, changed only by an admin, and every
change or refusal audited without ever writing an image's bytes into the audit."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest

from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.clinical.country import Country
from workstation.dates import DateOrder
from workstation.errors import PermissionDenied, ValidationFailed
from workstation.letters.records import ClinicProfile
from workstation.ports import AuditQuery
from workstation.security.accounts import Actor, Role
from workstation.services.clinic_settings import CLINIC_SETTINGS, LOGO_KEY, ClinicSettings
from workstation.services.session import ClinicSession

NOW = datetime(2026, 12, 18, 9, 30, tzinfo=UTC)
ADMIN = Actor(1, "owner", Role.ADMIN, "desk")
CLINICIAN = Actor(2, "dr.chen", Role.CLINICIAN, "desk")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
JPEG = b"\xff\xd8\xff\xe0" + b"\x10" * 300
ADDRESS = "12 River Street\nRiverside\nRV1 2AB"


def _settings(store: Any) -> ClinicSettings:
    return ClinicSettings(store.settings, Auditor(store.audit, "desk", lambda: NOW), store.clinic_images)


def _changes(store: Any) -> list[Any]:
    return list(reversed(store.audit.query(AuditQuery(event=AuditEvent.SETTING_CHANGED))))  # oldest first


def test_the_letterhead_is_blank_until_an_admin_fills_it_in(store: Any) -> None:
    assert _settings(store).profile() == ClinicProfile()
    assert {"clinic.name", "clinic.address", "clinic.phone", "clinic.email", "clinic.country"} <= set(CLINIC_SETTINGS)


def test_the_clinics_details_are_stored_trimmed_and_each_change_audited(store: Any) -> None:
    settings = _settings(store)
    settings.set_details(ADMIN, name="  Riverside Physio ", address=f"\n{ADDRESS.replace(chr(10), '  ' + chr(10))}\n\n",
                         phone="01632 960123", email="reception@riverside.example")  # fmt: skip
    settings.set_logo(ADMIN, PNG)
    assert _settings(store).profile() == ClinicProfile(
        "Riverside Physio", ADDRESS, "01632 960123", "reception@riverside.example", None, PNG
    )
    settings.set_details(ADMIN, name="Riverside Physio", phone="01632 960999")  # the name is unchanged
    details = [(e.object_id, e.detail) for e in _changes(store) if e.object_id != LOGO_KEY]
    assert details == [
        ("clinic.name", "(none) -> Riverside Physio"),
        ("clinic.address", f"0 -> {len(ADDRESS)} characters"),  # several lines: audited by its length
        ("clinic.phone", "(none) -> 01632 960123"),
        ("clinic.email", "(none) -> reception@riverside.example"),
        ("clinic.phone", "01632 960123 -> 01632 960999"),
    ]
    assert all(e.outcome is Outcome.SUCCESS and e.user_id == ADMIN.user_id for e in _changes(store))


def test_a_refused_detail_stores_none_of_them_and_names_each_field(store: Any) -> None:
    settings = _settings(store)
    with pytest.raises(ValidationFailed) as refused:
        settings.set_details(ADMIN, name="Riverside\nPhysio", address="x" * 401, phone="call us", email="reception@",)
    assert sorted(p.field for p in refused.value.problems) == [
        "clinic.address", "clinic.email", "clinic.name", "clinic.phone",
    ]  # fmt: skip
    with pytest.raises(ValidationFailed) as too_long:
        settings.set_details(ADMIN, name="R" * 201, email="reception@riverside.example")
    assert [p.field for p in too_long.value.problems] == ["clinic.name"]
    assert "200 characters" in too_long.value.problems[0].message
    assert settings.profile() == ClinicProfile()
    assert _changes(store) == []


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.CLUB, Role.RECEPTION])
def test_only_an_admin_changes_the_letterhead_and_each_refusal_is_audited(store: Any, role: Role) -> None:
    settings, someone = _settings(store), Actor(5, "someone", role, "desk")
    refusals = (
        lambda: settings.set_details(someone, name="Elsewhere"),
        lambda: settings.set_country(someone, Country.US),
        lambda: settings.set_logo(someone, PNG),
    )
    for attempt in refusals:
        with pytest.raises(PermissionDenied):
            attempt()
    assert settings.profile() == ClinicProfile()
    assert [(e.outcome, e.object_id) for e in _changes(store)] == [
        (Outcome.DENIED, "clinic.name"), (Outcome.DENIED, "clinic.country"), (Outcome.DENIED, LOGO_KEY),
    ]  # fmt: skip


def test_the_country_is_unchosen_until_set_and_decides_the_date_order(store: Any) -> None:
    settings = _settings(store)
    assert (settings.country(), settings.date_order()) == (None, DateOrder.DAY_MONTH_YEAR)
    settings.set_country(ADMIN, Country.US)
    assert (settings.country(), settings.date_order()) == (Country.US, DateOrder.MONTH_DAY_YEAR)
    settings.set_country(ADMIN, Country.AU)
    assert (_settings(store).country(), settings.date_order()) == (Country.AU, DateOrder.DAY_MONTH_YEAR)
    assert settings.profile().country is Country.AU
    settings.set_country(ADMIN, None)
    assert settings.country() is None
    assert [e.detail for e in _changes(store)] == ["(none) -> US", "US -> AU", "AU -> (none)"]
    store.settings.put("clinic.country", "Narnia", at=NOW, by=None)  # edited by hand
    assert settings.country() is None


def test_the_logo_is_a_png_or_jpeg_of_at_most_1_mb(store: Any) -> None:
    settings = _settings(store)
    refused = {
        "a GIF": b"GIF89a" + b"\x00" * 100,
        "a PDF named .png": b"%PDF-1.7 not an image",
        "an empty file": b"",
        "a PNG over 1 MB": b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024),
    }
    messages = {}
    for name, content in refused.items():
        with pytest.raises(ValidationFailed) as problem:
            settings.set_logo(ADMIN, content)
        (only,) = problem.value.problems
        assert only.field == LOGO_KEY, name
        messages[name] = only.message
    assert "PNG or JPEG" in messages["a GIF"] and "1 MB or less" in messages["a PNG over 1 MB"]
    assert settings.logo() is None and _changes(store) == []
    settings.set_logo(ADMIN, JPEG)
    settings.set_logo(ADMIN, PNG)
    assert _settings(store).logo() == PNG
    settings.set_logo(ADMIN, None)
    assert settings.logo() is None
    jpeg_sha, png_sha = (hashlib.sha256(c).hexdigest()[:12] for c in (JPEG, PNG))
    assert [e.detail for e in _changes(store)] == [
        f"(none) -> jpeg {len(JPEG)} bytes sha256 {jpeg_sha}",
        f"jpeg {len(JPEG)} bytes sha256 {jpeg_sha} -> png {len(PNG)} bytes sha256 {png_sha}",
        f"png {len(PNG)} bytes sha256 {png_sha} -> (none)",
    ]


def test_the_session_offers_the_letterhead(store: Any) -> None:
    session = ClinicSession(store, ADMIN, Auditor(store.audit, "desk", lambda: NOW))
    session.clinic_settings.set_details(ADMIN, name="Riverside Physio")
    session.clinic_settings.set_logo(ADMIN, JPEG)
    assert session.clinic_settings.profile() == ClinicProfile(name="Riverside Physio", logo=JPEG)
    clinician = ClinicSession(store, CLINICIAN, Auditor(store.audit, "desk", lambda: NOW))
    assert clinician.clinic_settings.profile().name == "Riverside Physio"  # everyone reads it
