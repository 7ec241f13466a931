"""Demo data: reproducible, valid, and as varied as a real clinic's list."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation import demo_data
from workstation.demo import CAST_SIZE, generate_episodes, generate_patients
from workstation.identifiers import medicare_irn_problem, medicare_number_problem, nhs_number_problem
from workstation.problems import blocking
from workstation.records import EpisodeStatus, Patient, Sex
from workstation.validation import validate_episode, validate_patient

TODAY = date(2026, 3, 14)


@pytest.fixture(scope="module")
def clinic() -> list[Patient]:
    return list(generate_patients(3_000, seed=7, today=TODAY))


def _full_names(patients: list[Patient]) -> set[tuple[str, str]]:
    return {(p.family_name, p.given_name) for p in patients}


def test_a_seed_always_gives_the_same_patients_uids_included() -> None:
    first = list(generate_patients(300, seed=42, today=TODAY))
    again = list(generate_patients(300, seed=42, today=TODAY))
    assert first == again
    assert len({p.uid for p in first}) == 300


def test_different_seeds_give_different_patients() -> None:
    one = list(generate_patients(300, seed=1, today=TODAY))
    two = list(generate_patients(300, seed=2, today=TODAY))
    assert [p.uid for p in one] != [p.uid for p in two]
    assert [p.date_of_birth for p in one] != [p.date_of_birth for p in two]
    assert _full_names(one) != _full_names(two)


@given(seed=st.integers(), today=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
@settings(max_examples=30, deadline=None)
def test_the_awkward_names_open_every_demo(seed: int, today: date) -> None:
    first = list(generate_patients(CAST_SIZE, seed, today))
    names = _full_names(first)
    assert ("O'Brien", "Siobhán") in names
    assert ("Nguyễn", "Thị Minh") in names
    assert any(given == "Zoë" for _, given in names)
    assert any(family == "Ødegård" for family, _ in names)
    assert any(not family or not given for family, given in names), "someone with a single name"
    assert any("-" in family for family, _ in names), "a hyphenated family name"
    for patient in first:
        assert not blocking(validate_patient(patient, today))


def test_the_cast_comes_in_an_order_that_depends_on_the_seed() -> None:
    orders = {tuple(p.family_name for p in generate_patients(CAST_SIZE, seed, TODAY)) for seed in range(5)}
    assert len(orders) > 1


def test_a_short_demo_is_the_start_of_a_long_one() -> None:
    assert list(generate_patients(5, seed=3, today=TODAY)) == list(generate_patients(50, seed=3, today=TODAY))[:5]


def test_names_come_from_many_cultures(clinic: list[Patient]) -> None:
    families = Counter(p.family_name for p in clinic)
    for culture in demo_data.CULTURES:
        known = set(culture.family) | set(culture.family_female)
        assert any(family in known for family in families), culture.key
    assert sum(1 for p in clinic if not p.family_name or not p.given_name) >= 5
    assert sum(1 for p in clinic if "-" in p.family_name) >= 30
    assert any(" " in p.family_name for p in clinic), "a family name of two words (Te Kanawa, Ó Súilleabháin)"


def test_names_are_written_with_their_own_letters(clinic: list[Patient]) -> None:
    text = " ".join(f"{p.given_name} {p.family_name}" for p in clinic)
    for letter in "ëøåłśźñíáễịāēō":
        assert letter in text.casefold(), letter
    assert "'" in text  # O'Brien, O'Sullivan: a plain apostrophe, as typed


def test_every_patient_passes_validation() -> None:
    for seed in (0, 1, 99):
        for patient in generate_patients(2_000, seed, TODAY):
            assert not blocking(validate_patient(patient, TODAY)), patient


def test_ages_are_those_of_runners(clinic: list[Patient]) -> None:
    ages = [p.age_on(TODAY) for p in clinic]
    assert min(ages) >= 12
    assert max(ages) <= 90
    assert sum(16 <= age <= 70 for age in ages) / len(ages) > 0.9
    assert Counter(p.sex for p in clinic)[Sex.FEMALE] > len(clinic) * 0.4


def test_identifiers_have_valid_check_digits_and_are_unique(clinic: list[Patient]) -> None:
    nhs = [p.nhs_number for p in clinic if p.nhs_number]
    medicare = [p for p in clinic if p.medicare_number]
    assert len(nhs) > 1_000 and len(medicare) > 800
    for number in nhs:
        assert nhs_number_problem(number) is None, number
        assert number.startswith("999")  # the range reserved for testing
    for patient in medicare:
        assert medicare_number_problem(patient.medicare_number) is None, patient.medicare_number
        assert medicare_irn_problem(patient.medicare_irn) is None
    assert len(set(nhs)) == len(nhs)
    assert len({p.medicare_number[:9] for p in medicare}) == len(medicare)


def test_a_patient_has_the_identifier_of_one_country_at_most(clinic: list[Patient]) -> None:
    assert not any(p.nhs_number and p.medicare_number for p in clinic)
    assert any(not p.nhs_number and not p.medicare_number for p in clinic)


def test_contact_details_are_present_for_some_and_never_reach_a_real_person(clinic: list[Patient]) -> None:
    emails = [p.email for p in clinic if p.email]
    assert 0.3 < len(emails) / len(clinic) < 0.9
    assert all(re.fullmatch(r"[a-z0-9.\-]+@example\.(com|org|net)", email) for email in emails)
    landlines = "|".join(re.escape(prefix) for _, _, prefix in demo_data.UK_TOWNS)
    drama_ranges = rf"07700 900\d{{3}}|({landlines})\d{{3}}|\(0\d\) (5550|7010) \d{{4}}"
    phones = [p.phone for p in clinic if p.phone] + [p.gp.phone for p in clinic if p.gp.phone]
    phones += [p.emergency_contact.phone for p in clinic if p.emergency_contact.phone]
    assert all(re.fullmatch(drama_ranges, phone) or phone in demo_data.AU_MOBILES for phone in phones)
    assert all(p.gp.secure_email.endswith("@secure.example.org") for p in clinic if not p.gp.is_empty)


def test_gp_details_emergency_contacts_and_consents_are_filled_in_for_most(clinic: list[Patient]) -> None:
    with_gp = [p for p in clinic if not p.gp.is_empty]
    assert len(with_gp) > len(clinic) * 0.8
    assert all(p.gp.name.startswith("Dr ") and p.gp.practice and p.gp.address for p in with_gp)
    assert sum(bool(p.emergency_contact.name) for p in clinic) > len(clinic) * 0.6
    consented = [p for p in clinic if p.gp_consent.given]
    assert consented and all(p.gp_consent.recorded_on and not p.gp.is_empty for p in consented)
    assert any(p.club_consent.given for p in clinic)


def test_relatives_share_the_family_name_in_its_form_for_their_sex() -> None:
    contacts = [
        (p.family_name, p.emergency_contact.name)
        for p in generate_patients(5_000, seed=5, today=TODAY)
        if p.emergency_contact.relationship == "Mother" and p.family_name.endswith("ski")
    ]
    assert contacts
    assert all(name.endswith(family[:-1] + "a") for family, name in contacts)


def test_email_addresses_are_plain_ascii_spellings_of_the_name() -> None:
    expected = {"O'Brien": "siobhan.obrien", "Nguyễn": "nguyen.thi.minh", "Ødegård": "magnus.odegard"}
    found = {
        p.family_name: p.email.split("@")[0].rstrip("0123456789")
        for seed in range(20)
        for p in generate_patients(CAST_SIZE, seed, TODAY)
        if p.family_name in expected and p.email
    }
    assert found == expected


@pytest.fixture(scope="module")
def saved(clinic: list[Patient]) -> list[tuple[int, date]]:
    return [(number, p.date_of_birth) for number, p in enumerate(clinic, start=1)]


def test_episodes_are_valid_and_reproducible(saved: list[tuple[int, date]]) -> None:
    episodes = list(generate_episodes(saved, seed=7, today=TODAY))
    assert episodes == list(generate_episodes(saved, seed=7, today=TODAY))
    born = dict(saved)
    for episode in episodes:
        assert not blocking(validate_episode(episode, born[episode.patient_id], TODAY)), episode
    assert len({e.uid for e in episodes}) == len(episodes)


def test_episodes_describe_calf_pain_with_a_side_and_an_outcome(saved: list[tuple[int, date]]) -> None:
    episodes = list(generate_episodes(saved, seed=7, today=TODAY))
    per_patient = Counter(e.patient_id for e in episodes)
    assert len(per_patient) < len(saved), "some patients have no episode yet"
    assert max(per_patient.values()) >= 2
    assert all(re.match(r"(Left|Right|Bilateral) ", e.complaint) for e in episodes)
    assert any("parkrun" in e.complaint for e in episodes)
    statuses = Counter(e.status for e in episodes)
    assert statuses[EpisodeStatus.OPEN] and statuses[EpisodeStatus.DISCHARGED] and statuses[EpisodeStatus.ON_HOLD]
    discharged = [e for e in episodes if e.status is EpisodeStatus.DISCHARGED]
    assert all(e.discharge_reason and e.discharge_date for e in discharged)
    assert any(e.onset_date is None for e in episodes), "an onset nobody remembers"
    dvt = [e for e in episodes if "DVT" in e.complaint]
    assert dvt and all(e.status is EpisodeStatus.DISCHARGED and e.discharge_date == e.onset_date for e in dvt)
