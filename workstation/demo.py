"""Synthetic patients and episodes for demonstrations, screenshots, tests and benchmarks.

Everything is drawn from one ``random.Random(seed)``, so a seed always gives the same people (uids
included). Names are written the way their owners write them; the first patients are a fixed cast
(O'Brien, Zoë, Nguyễn Thị Minh, Ødegård, people with one name, ...) in a seed-dependent order, so even a
small demo shows the cases that break careless software. Identifiers carry valid check digits; NHS
numbers use the 999 range that NHS England reserves for testing. Nothing here is a real person.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from workstation import demo_data as data
from workstation.identifiers import medicare_check_digit, nhs_check_digit
from workstation.records import (
    Consent,
    DischargeReason,
    EmergencyContact,
    Episode,
    EpisodeStatus,
    GeneralPractitioner,
    Patient,
    Sex,
    Side,
)
from workstation.text import fold

_DAYS_PER_YEAR = 365.2425
_CULTURES = {culture.key: culture for culture in data.CULTURES}
_DISCHARGE_REASONS = (
    (DischargeReason.RETURNED_TO_RUNNING, 55),
    (DischargeReason.GOALS_MET, 20),
    (DischargeReason.DID_NOT_ATTEND, 10),
    (DischargeReason.PATIENT_CHOICE, 8),
    (DischargeReason.REFERRED_ON, 5),
    (DischargeReason.OTHER, 2),
)


@dataclass(frozen=True, slots=True)
class _Name:
    given: str
    family: str
    sex: Sex
    preferred: str = ""
    culture: str = "english"


# The cast that opens every demo: each one has broken some patient list somewhere.
_CAST = (
    _Name("Siobhán", "O'Brien", Sex.FEMALE, culture="irish"),
    _Name("Zoë", "Clarke", Sex.FEMALE),
    _Name("Thị Minh", "Nguyễn", Sex.FEMALE, "Minh", "vietnamese"),
    _Name("Magnus", "Ødegård", Sex.MALE, culture="scandinavian"),
    _Name("", "Wiranto", Sex.MALE),
    _Name("Karthikeyan", "", Sex.MALE, culture="indian"),
    _Name("Aroha", "Te Kanawa", Sex.FEMALE, culture="maori"),
    _Name("Fatima", "Al-Rashid", Sex.FEMALE, culture="arabic"),
    _Name("Wei", "Zhang", Sex.MALE, "David", "chinese"),
    _Name("Chinedu", "Okafor", Sex.MALE, culture="nigerian"),
    _Name("Małgorzata", "Wiśniewska", Sex.FEMALE, "Gosia", "polish"),
    _Name("Konstantinos", "Papadopoulos", Sex.MALE, "Kostas", "greek"),
    _Name("María José", "García-López", Sex.FEMALE, culture="spanish"),
    _Name("Priya", "Patel", Sex.FEMALE, culture="indian"),
    _Name("Oliver", "Smith-Jones", Sex.MALE),
)


def generate_patients(count: int, seed: int, today: date) -> Iterator[Patient]:
    """``count`` unsaved synthetic patients, the same for the same ``seed`` and ``today``.

    Args:
        count: how many to generate.
        seed: any integer; equal seeds give equal patients.
        today: the day the demo is made; ages, consents and dates are relative to it.
    """
    factory = _PatientFactory(Random(seed), today)
    cast = list(_CAST)
    factory.rng.shuffle(cast)
    for index in range(count):
        name = cast[index] if index < len(cast) else factory.random_name()
        yield factory.patient(name)


def generate_episodes(
    patient_ids_and_dobs: Iterable[tuple[int, date]], seed: int, today: date
) -> Iterator[Episode]:
    """Zero to three episodes of calf pain for each saved patient, some discharged.

    Args:
        patient_ids_and_dobs: (patient id, date of birth) pairs; onsets never precede the birth.
        seed: equal seeds and inputs give equal episodes.
        today: no date lies after it.
    """
    factory = _EpisodeFactory(Random(seed), today)
    for patient_id, born in patient_ids_and_dobs:
        yield from factory.episodes_for(patient_id, born)


def _uid(rng: Random) -> str:
    """A version-4 UUID drawn from ``rng``, so that a seed reproduces the uids too."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class _PatientFactory:
    def __init__(self, rng: Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self._today_ordinal = today.toordinal()
        self._uk_cultures, self._uk_weights = _cumulative(data.UK_CULTURE_WEIGHTS)
        self._au_cultures, self._au_weights = _cumulative(data.AU_CULTURE_WEIGHTS)
        self._uk = True

    def random_name(self) -> _Name:
        rng = self.rng
        # The country decides the mix of names; patient() draws it again for the identifiers.
        self._uk = rng.random() < 0.55
        cultures, weights = (
            (self._uk_cultures, self._uk_weights) if self._uk else (self._au_cultures, self._au_weights)
        )
        culture = _CULTURES[rng.choices(cultures, cum_weights=weights)[0]]
        sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
        if rng.random() < 0.01:
            return self._single_name(sex)
        given = rng.choice(culture.female if sex is Sex.FEMALE else culture.male)
        family_names = culture.family_female if sex is Sex.FEMALE and culture.family_female else culture.family
        family = rng.choice(family_names)
        if rng.random() < 0.03:
            family = self._double_barrelled(family)
        return _Name(given, family, sex, self._preferred(given, sex, culture.key), culture.key)

    def _single_name(self, sex: Sex) -> _Name:
        names = data.SINGLE_NAMES_FEMALE if sex is Sex.FEMALE else data.SINGLE_NAMES_MALE
        name = self.rng.choice(names)
        # Clinics file a single name in either field; both must work everywhere.
        return _Name(name, "", sex) if self.rng.random() < 0.5 else _Name("", name, sex)

    def _double_barrelled(self, family: str) -> str:
        other = self.rng.choice(_CULTURES["english"].family)
        return family if "-" in other or " " in family else f"{family}-{other}"

    def _preferred(self, given: str, sex: Sex, culture: str) -> str:
        rng = self.rng
        if given in data.NICKNAMES and rng.random() < 0.5:
            return data.NICKNAMES[given]
        if culture in ("chinese", "korean") and rng.random() < 0.3:
            return rng.choice(data.ADOPTED_NAMES_FEMALE if sex is Sex.FEMALE else data.ADOPTED_NAMES_MALE)
        return ""

    def patient(self, name: _Name) -> Patient:
        rng = self.rng
        born = self._birth_date()
        registered = date.fromordinal(max(born.toordinal() + 1, self._today_ordinal - rng.randrange(1_900)))
        sex = name.sex if rng.random() < 0.98 else rng.choice((Sex.OTHER, Sex.NOT_STATED))
        place = _UkPlace(rng) if self._uk else _AuPlace(rng)
        gp = self._gp(place) if rng.random() < 0.88 else GeneralPractitioner()
        patient = Patient(
            given_name=name.given,
            family_name=name.family,
            date_of_birth=born,
            sex=sex,
            preferred_name=name.preferred,
            phone=place.phone(mobile=True) if rng.random() < 0.95 else "",
            email=self._email(name) if rng.random() < 0.6 else "",
            address=place.address(),
            gp=gp,
            emergency_contact=self._emergency_contact(place, name) if rng.random() < 0.75 else EmergencyContact(),
            gp_consent=self._consent(registered, 0.8 if not gp.is_empty else 0.0),
            club_consent=self._consent(registered, 0.35),
            uid=_uid(rng),
            **place.identifiers(),
        )
        self._uk = rng.random() < 0.55
        return patient

    def _birth_date(self) -> date:
        rng = self.rng
        roll = rng.random()
        if roll < 0.03:
            age = rng.uniform(12, 16)  # junior club runners
        elif roll < 0.06:
            age = rng.uniform(70, 88)  # veterans still racing
        else:
            age = rng.triangular(16, 70, 34)
        return date.fromordinal(self._today_ordinal - int(age * _DAYS_PER_YEAR) - 1)

    def _email(self, name: _Name) -> str:
        parts = [name.family, name.given] if _CULTURES[name.culture].family_first else [name.given, name.family]
        local = ".".join(_ascii_word(part) for part in parts if part)
        if self.rng.random() < 0.4:
            local += str(self.rng.randrange(1, 99))
        return f"{local}@{self.rng.choice(data.EMAIL_DOMAINS)}"

    def _gp(self, place: _Place) -> GeneralPractitioner:
        rng = self.rng
        doctor = self.random_name() if rng.random() < 0.99 else _CAST[0]
        surname = doctor.family or doctor.given
        practice = f"{place.town} {rng.choice(data.PRACTICE_KINDS)}"
        return GeneralPractitioner(
            name=f"Dr {doctor.given} {surname}" if doctor.family and doctor.given else f"Dr {surname}",
            practice=practice,
            address=place.address(),
            phone=place.phone(mobile=False),
            secure_email=f"{_ascii_word(practice).replace(' ', '.')}@secure.example.org",
        )

    def _emergency_contact(self, place: _Place, patient_name: _Name) -> EmergencyContact:
        rng = self.rng
        relationship = rng.choice(data.RELATIONSHIPS)
        contact = self.random_name()
        family = patient_name.family if relationship in ("Mother", "Father", "Sister", "Brother") else contact.family
        full = f"{contact.given} {family}".strip() or contact.family
        return EmergencyContact(name=full, relationship=relationship, phone=place.phone(mobile=True))

    def _consent(self, registered: date, chance: float) -> Consent:
        roll = self.rng.random()
        if roll < chance:
            return Consent(True, registered)
        if roll < chance + 0.05:
            return Consent(False, registered)  # asked and declined: the date shows it was asked
        return Consent()


def _cumulative(weights: dict[str, int]) -> tuple[list[str], list[int]]:
    keys = list(weights)
    running, total = [], 0
    for key in keys:
        total += weights[key]
        running.append(total)
    return keys, running


def _ascii_word(text: str) -> str:
    """``Ó Súilleabháin`` -> ``osuilleabhain``: e-mail local parts stay plain ASCII."""
    return "".join(ch for ch in fold(text) if ch.isascii() and (ch.isalnum() or ch == " ")).replace(" ", "")


class _Place:
    """A home (or practice) and the numbering plan of its country."""

    town = ""

    def __init__(self, rng: Random) -> None:
        self.rng = rng

    def address(self) -> str:
        raise NotImplementedError

    def phone(self, *, mobile: bool) -> str:
        raise NotImplementedError

    def identifiers(self) -> dict[str, str]:
        raise NotImplementedError


class _UkPlace(_Place):
    def __init__(self, rng: Random) -> None:
        super().__init__(rng)
        self.town, self._postcode_area = rng.choice(data.UK_TOWNS)

    def address(self) -> str:
        rng = self.rng
        letters = data.POSTCODE_LETTERS
        postcode = f"{self._postcode_area} {rng.randrange(10)}{rng.choice(letters)}{rng.choice(letters)}"
        return f"{rng.randrange(1, 240)} {rng.choice(data.STREETS)}, {self.town} {postcode}"

    def phone(self, *, mobile: bool) -> str:
        number = self.rng.randrange(1_000)
        if mobile:
            return f"07700 900{number:03d}"
        area = self.rng.choice(data.UK_AREA_CODES)
        return f"020 7946 0{number:03d}" if self.town == "London" else f"{area} 496 0{number:03d}"

    def identifiers(self) -> dict[str, str]:
        if self.rng.random() < 0.08:
            return {}  # not yet known, or a visitor without one
        return {"nhs_number": _nhs_number(self.rng)}


class _AuPlace(_Place):
    def __init__(self, rng: Random) -> None:
        super().__init__(rng)
        self.town, self._state, self._postcode, self._area = rng.choice(data.AU_SUBURBS)

    def address(self) -> str:
        rng = self.rng
        unit = f"{rng.randrange(1, 20)}/" if rng.random() < 0.25 else ""
        street = f"{unit}{rng.randrange(1, 300)} {rng.choice(data.STREETS)}"
        return f"{street}, {self.town} {self._state} {self._postcode}"

    def phone(self, *, mobile: bool) -> str:
        number = self.rng.randrange(10_000)
        exchange = self.rng.choice(("5550", "7010"))
        return f"({self._area}) {exchange} {number:04d}" if not mobile else f"0491 570 {number % 1_000:03d}"

    def identifiers(self) -> dict[str, str]:
        if self.rng.random() < 0.1:
            return {}  # an overseas visitor, or a card not brought along
        number = _medicare_number(self.rng)
        return {"medicare_number": number, "medicare_irn": str(self.rng.randrange(1, 6))}


def _nhs_number(rng: Random) -> str:
    """A valid NHS number in the 999 range reserved for testing (never issued to a person)."""
    while True:
        first_nine = f"999{rng.randrange(1_000_000):06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


def _medicare_number(rng: Random) -> str:
    """A Medicare card number: first digit 2-6, the check digit, then the card issue number."""
    first_eight = f"{rng.randrange(2, 7)}{rng.randrange(10_000_000):07d}"
    return f"{first_eight}{medicare_check_digit(first_eight)}{rng.randrange(1, 10)}"


class _EpisodeFactory:
    def __init__(self, rng: Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self._reasons = [reason for reason, _ in _DISCHARGE_REASONS]
        self._reason_weights = _cumulative({r.value: w for r, w in _DISCHARGE_REASONS})[1]

    def episodes_for(self, patient_id: int, born: date) -> Iterator[Episode]:
        roll = self.rng.random()
        count = 0 if roll < 0.25 else 1 if roll < 0.75 else 2 if roll < 0.95 else 3
        for _ in range(count):
            yield self._episode(patient_id, born)

    def _episode(self, patient_id: int, born: date) -> Episode:
        rng = self.rng
        complaint, side = self._complaint()
        earliest = max(born.toordinal() + 1, self.today.toordinal() - 3 * 365)
        onset = date.fromordinal(rng.randrange(earliest, self.today.toordinal() + 1))
        episode = Episode(
            patient_id=patient_id,
            complaint=complaint,
            side=side,
            onset_date=onset if rng.random() < 0.97 else None,  # "a few months ago, can't remember"
            uid=_uid(rng),
        )
        return self._with_outcome(episode, onset)

    def _complaint(self) -> tuple[str, Side]:
        rng = self.rng
        if rng.random() < 0.07:
            text, sides = rng.choice(data.CALF_SPECIAL)
            side = Side.BOTH if sides == "both" else rng.choice((Side.LEFT, Side.RIGHT))
            return f"{side.label} calf: {text}" if side is not Side.BOTH else f"Bilateral calves: {text}", side
        side = Side.RIGHT if rng.random() < 0.5 else Side.LEFT if rng.random() < 0.94 else Side.BOTH
        where = "Bilateral" if side is Side.BOTH else side.label
        return f"{where} {rng.choice(data.CALF_STRUCTURES)}, {rng.choice(data.CALF_ONSETS)}", side

    def _with_outcome(self, episode: Episode, onset: date) -> Episode:
        rng = self.rng
        weeks_since_onset = (self.today - onset).days // 7
        roll = rng.random()
        if weeks_since_onset >= 3 and roll < 0.6:
            discharged = onset + timedelta(days=rng.randrange(14, min(weeks_since_onset * 7, 200) + 1))
            reason = rng.choices(self._reasons, cum_weights=self._reason_weights)[0]
            return _discharged(episode, discharged, reason)
        if roll > 0.95:
            return _replace_status(episode, EpisodeStatus.ON_HOLD)
        return episode


def _discharged(episode: Episode, on: date, reason: DischargeReason) -> Episode:
    return Episode(
        patient_id=episode.patient_id,
        complaint=episode.complaint,
        side=episode.side,
        onset_date=episode.onset_date,
        status=EpisodeStatus.DISCHARGED,
        discharge_date=on,
        discharge_reason=reason,
        uid=episode.uid,
    )


def _replace_status(episode: Episode, status: EpisodeStatus) -> Episode:
    return Episode(
        patient_id=episode.patient_id,
        complaint=episode.complaint,
        side=episode.side,
        onset_date=episode.onset_date,
        status=status,
        uid=episode.uid,
    )
