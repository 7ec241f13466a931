"""``calfdesk assessment import`` takes the clinic's country from its setting when --country is not given,
and --country still overrides it: the stored red flag names that one emergency number (all four with no
country at all). Run in-process through ``main()`` on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import dbkit
from tests.ui.test_cli_assessment import OWNER, PASSWORD, _document, _file, _run
from ui.__main__ import main
from workstation.audit.auditor import Auditor
from workstation.clinical.country import ALL_EMERGENCY_NUMBERS, Country
from workstation.services.session import ClinicSession

ACTION = "Ambulance called 10:05; stayed with the patient until it came"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFDESK_T0", "0")
    monkeypatch.delenv("CALFDESK_DATABASE", raising=False)
    monkeypatch.setenv("CALFDESK_USER", OWNER)
    monkeypatch.setenv("CALFDESK_PASSWORD", PASSWORD)


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    assert main(["demo", "--patients", "12", "--seed", "5", "--user", OWNER, "--database", url]) == 0
    capsys.readouterr()  # the demo's summary and recovery key are not the tests' output
    return url


def _patients(capsys: pytest.CaptureFixture[str], url: str) -> list[dict[str, Any]]:
    status, out, _ = _run(capsys, "patients", "list", "--database", url, "--json", "--limit", "5")
    assert status == 0
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def _set_country(url: str, country: Country | None) -> None:
    opened = dbkit.open_as(url, OWNER, PASSWORD)
    try:
        session = ClinicSession(opened.store, opened.login.actor, Auditor(opened.store.audit, "tests"))
        session.clinic_settings.set_country(opened.login.actor, country)
    finally:
        opened.store.close()


def _import_chest_pain(capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path, patient: dict[str, Any],
                       *more: str) -> str:  # fmt: skip
    """Import a document with breathlessness and chest pain (an emergency); the stored flag's message."""
    document = _document(patient["date_of_birth"], red_flags__pulmonary_embolism_symptoms=True)
    path = _file(tmp_path, document, name=f"patient-{patient['id']}.json")
    status, _out, err = _run(capsys, "assessment", "import", path, "--patient", str(patient["id"]), "--database",
                             url, "--impression", "other", "--impression-text", "Possible PE", "--action", ACTION,
                             *more)  # fmt: skip
    assert (status, err) == (0, "")
    opened = dbkit.open_as(url, OWNER, PASSWORD)
    try:
        flags = [f for f in opened.store.red_flags.for_patient(patient["id"]) if f.action == ACTION]
    finally:
        opened.store.close()
    assert len(flags) == 1
    return str(flags[0].message)


def test_the_clinics_country_is_used_when_none_is_given_and_country_overrides_it(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    first, second, third = _patients(capsys, url)[:3]
    assert f"call the emergency number ({ALL_EMERGENCY_NUMBERS})" in _import_chest_pain(capsys, url, tmp_path, first)
    _set_country(url, Country.UK)
    message = _import_chest_pain(capsys, url, tmp_path, second)
    assert "call 999" in message and not any(number in message for number in ("000", "112", "911"))
    message = _import_chest_pain(capsys, url, tmp_path, third, "--country", "US")
    assert "call 911" in message and "999" not in message


def test_the_help_says_where_the_country_comes_from(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "assessment", "import", "--help")
    assert status == 0
    assert "Clinic settings" in " ".join(out.split())
