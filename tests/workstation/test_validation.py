from __future__ import annotations

from datetime import date

import pytest

from workstation.problems import Severity
from workstation.records import Consent, Episode, EpisodeStatus, GeneralPractitioner, Patient, Side
from workstation.validation import NAME_MAX_CHARS, validate_episode, validate_patient

TODAY = date(2026, 11, 22)


def _patient(**changes: object) -> Patient:
    return Patient("Zoë", "O'Brien", date(1990, 4, 2)).with_changes(**changes)


def _fields(patient: Patient) -> set[str]:
    return {p.field for p in validate_patient(patient, TODAY) if p.blocks_save}


def test_a_complete_ordinary_patient_has_no_problems() -> None:
    assert validate_patient(_patient(nhs_number="9434765919", email="zoe@example.org"), TODAY) == []


@pytest.mark.parametrize(("given", "family"), [("Aroha", ""), ("", "Suharto")])
def test_a_single_name_is_enough(given: str, family: str) -> None:
    assert _fields(_patient(given_name=given, family_name=family)) == set()


def test_no_name_at_all_is_refused() -> None:
    assert _fields(_patient(given_name="", family_name="  ")) == {"family_name"}


@pytest.mark.parametrize(
    ("length", "ok"), [(NAME_MAX_CHARS - 1, True), (NAME_MAX_CHARS, True), (NAME_MAX_CHARS + 1, False)]
)
def test_name_length_boundary(length: int, ok: bool) -> None:
    assert ("given_name" not in _fields(_patient(given_name="a" * length))) is ok


def test_bidi_override_in_a_name_is_refused() -> None:
    assert _fields(_patient(family_name="Smith\u202e")) == {"family_name"}


def test_date_of_birth_in_the_future_is_refused() -> None:
    problems = validate_patient(_patient(date_of_birth=date(2026, 11, 23)), TODAY)
    assert [p.message for p in problems] == ["The date of birth is in the future."]


def test_age_up_to_120_is_allowed_and_over_is_refused() -> None:
    assert _fields(_patient(date_of_birth=date(1906, 11, 22))) == set()  # 120th birthday today
    assert _fields(_patient(date_of_birth=date(1905, 11, 23))) == set()  # 121st birthday tomorrow
    assert _fields(_patient(date_of_birth=date(1905, 11, 22))) == {"date_of_birth"}  # 121 today


def test_born_today_is_allowed() -> None:
    assert _fields(_patient(date_of_birth=TODAY)) == set()


def test_identifier_check_digits_are_checked() -> None:
    assert _fields(_patient(nhs_number="9434765918")) == {"nhs_number"}
    assert _fields(_patient(medicare_number="2123456711", medicare_irn="1")) == {"medicare_number"}
    assert _fields(_patient(medicare_number="2123456701", medicare_irn="0")) == {"medicare_irn"}
    assert _fields(_patient(medicare_irn="2")) == {"medicare_number"}


@pytest.mark.parametrize("email", ["zoe", "zoe@", "@example.org", "zoe@example", "zo e@example.org"])
def test_malformed_email_is_refused(email: str) -> None:
    assert _fields(_patient(email=email)) == {"email"}


def test_gp_secure_email_and_phones_are_checked() -> None:
    gp = GeneralPractitioner(name="Dr Ahmed", secure_email="not-an-email", phone="call me")
    assert _fields(_patient(gp=gp)) == {"gp.secure_email", "gp.phone"}


def test_consent_needs_a_date_not_in_the_future_nor_before_birth() -> None:
    assert _fields(_patient(gp_consent=Consent(True, None))) == {"gp_consent"}
    assert _fields(_patient(club_consent=Consent(True, date(2027, 1, 1)))) == {"club_consent"}
    assert _fields(_patient(club_consent=Consent(True, date(1980, 1, 1)))) == {"club_consent"}


def test_gp_consent_without_a_gp_is_a_warning_not_a_block() -> None:
    problems = validate_patient(_patient(gp_consent=Consent(True, date(2026, 1, 1))), TODAY)
    assert [(p.field, p.severity) for p in problems] == [("gp.name", Severity.WARNING)]


def _episode(**changes: object) -> Episode:
    base = Episode(
        patient_id=1, complaint="Right calf pain at 8 km", side=Side.RIGHT, onset_date=date(2026, 10, 1)
    )
    return Episode(**{**{f: getattr(base, f) for f in base.__slots__}, **changes})  # type: ignore[arg-type]


def test_episode_rules() -> None:
    born = date(1990, 4, 2)
    assert validate_episode(_episode(), born, TODAY) == []
    assert {p.field for p in validate_episode(_episode(complaint=" "), born, TODAY)} == {"complaint"}
    assert {p.field for p in validate_episode(_episode(onset_date=date(2027, 1, 1)), born, TODAY)} == {
        "onset_date"
    }
    discharged = _episode(status=EpisodeStatus.DISCHARGED)
    assert {p.field for p in validate_episode(discharged, born, TODAY)} == {
        "discharge_date",
        "discharge_reason",
    }
    early = _episode(discharge_date=date(2026, 9, 1))
    assert {p.field for p in validate_episode(early, born, TODAY)} >= {"status", "discharge_date"}
