"""Synthetic patients and episodes for demonstrations, screenshots, tests and benchmarks.

Everything is drawn from one ``random.Random(seed)``, so a seed always gives the same people (uids
included). Names are written the way their owners write them; the first patients are a fixed cast
(O'Brien, Zoë, Nguyễn Thị Minh, Ødegård, people with one name, ...) in a seed-dependent order, so even a
small demo shows the cases that break careless software. Identifiers carry valid check digits; NHS
numbers use the 999 range that is reserved for testing. Nothing here is a real person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import groupby
from operator import attrgetter
from random import Random
from typing import TYPE_CHECKING, TypeVar

from workstation import demo_data as data
from workstation.demo_places import AuPlace, Identifiers, Place, UkPlace
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

if TYPE_CHECKING:
    from workstation.demo_assessments import DemoAssessment
    from workstation.running.records import RunRecord

_T = TypeVar("_T")
_DAYS_PER_YEAR = 365.2425
_PRACTICES_PER_TOWN = 4
# RFC 9562: version 4 in bits 76-79, variant 0b10 in bits 62-63.
_UUID4_KEEP = ~((0xF << 76) | (0x3 << 62))
_UUID4_SET = (0x4 << 76) | (0x2 << 62)
_UK_SHARE = 0.55  # the rest are Australian patients (Medicare instead of NHS numbers)
_CULTURES = {culture.key: culture for culture in data.CULTURES}
_FEMALE_RELATIVES = frozenset({"Wife", "Mother", "Sister", "Daughter"})
_MALE_RELATIVES = frozenset({"Husband", "Father", "Brother", "Son"})
_BLOOD_RELATIVES = frozenset({"Mother", "Father", "Sister", "Brother", "Daughter", "Son"})
_DISCHARGE_REASONS = {
    DischargeReason.RETURNED_TO_RUNNING: 55,
    DischargeReason.GOALS_MET: 20,
    DischargeReason.DID_NOT_ATTEND: 10,
    DischargeReason.PATIENT_CHOICE: 8,
    DischargeReason.REFERRED_ON: 5,
    DischargeReason.OTHER: 2,
}


@dataclass(frozen=True, slots=True)
class _Name:
    given: str
    family: str
    sex: Sex
    preferred: str = ""
    culture: str = "english"


# The cast that opens every demo: each of them has broken some patient list somewhere.
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
CAST_SIZE = len(_CAST)


def generate_patients(count: int, seed: int, today: date) -> Iterator[Patient]:
    """``count`` unsaved synthetic patients, the same for the same ``seed`` and ``today``.

    The first ``CAST_SIZE`` are the fixed cast (in an order that depends on the seed); the rest are
    drawn from name lists of many cultures, weighted by country.

    Args:
        count: how many to generate.
        seed: any integer; equal seeds give equal patients.
        today: the day the demo is made; ages, consents and dates are relative to it.
    """
    factory = _PatientFactory(_Rng(seed), today)
    cast = list(_CAST)
    factory.rng.shuffle(cast)
    for index in range(count):
        uk = factory.rng.random() < _UK_SHARE
        name = cast[index] if index < len(cast) else factory.random_name(uk)
        yield factory.patient(name, uk)


def generate_episodes(patient_ids_and_dobs: Iterable[tuple[int, date]], seed: int, today: date) -> Iterator[Episode]:
    """Zero to three episodes of calf pain for each saved patient, many of them discharged.

    Args:
        patient_ids_and_dobs: (patient id, date of birth) pairs; no onset precedes the birth.
        seed: equal seeds and inputs give equal episodes.
        today: no date lies after it.
    """
    factory = _EpisodeFactory(_Rng(seed), today)
    for patient_id, born in patient_ids_and_dobs:
        yield from factory.episodes_for(patient_id, born)


def add_demo_runs(
    store_runs: Callable[[list[RunRecord]], int], assessments: Iterable[DemoAssessment], seed: int, today: date
) -> int:
    """Store running logs for the patients of the demo's assessment courses; returns how many runs.

    Only patients with a course get runs (``workstation.demo_running``), so a 100,000-patient demo adds a
    few hundred logs, not 100,000.

    Args:
        store_runs: stores one patient's runs at once and says how many (the running-log service's
            ``import_runs``, audited like any import, or a repository's ``add_many``).
        assessments: the courses' assessments, as finalised (``generate_assessment_courses``, flattened).
        seed: equal seeds and inputs give equal runs.
        today: no run lies after it.
    """
    from workstation.demo_running import generate_demo_runs

    stored = 0
    for _patient_id, runs in groupby(generate_demo_runs(assessments, seed, today), key=attrgetter("patient_id")):
        stored += store_runs(list(runs))
    return stored


class _Rng(Random):
    """``random.Random`` with cheaper draws for bulk data.

    ``choice`` and ``randrange`` loop over ``getrandbits`` to remove a bias far below anything synthetic
    data can show; scaling one ``random()`` costs a fraction as much, which matters at 100,000 patients.
    """

    def pick(self, options: Sequence[_T]) -> _T:
        return options[int(self.random() * len(options))]

    def below(self, stop: int) -> int:
        return int(self.random() * stop)

    def between(self, start: int, stop: int) -> int:
        """An integer in [start, stop)."""
        return start + int(self.random() * (stop - start))


def _uid(rng: Random) -> str:
    """A version-4 UUID drawn from ``rng``, so that a seed reproduces the uids too.

    The same text as ``str(uuid.UUID(int=bits, version=4))``, written out directly: a UUID object per
    patient is work thrown away 100,000 times.
    """
    digits = f"{rng.getrandbits(128) & _UUID4_KEEP | _UUID4_SET:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _cumulative(weights: dict[str, int]) -> tuple[list[str], list[int]]:
    keys, running, total = list(weights), [], 0
    for key in keys:
        total += weights[key]
        running.append(total)
    return keys, running


@lru_cache(maxsize=4_096)  # names and practices repeat: each is spelled out once
def _email_part(text: str) -> str:
    """``Ó Súilleabháin`` -> ``o.suilleabhain``: e-mail local parts stay plain ASCII."""
    kept = "".join(ch for ch in fold(text) if (ch.isascii() and ch.isalnum()) or ch in " -")
    return ".".join(kept.split())


class _PatientFactory:
    def __init__(self, rng: _Rng, today: date) -> None:
        self.rng = rng
        self._today = today.toordinal()
        self._mix = {True: _cumulative(data.UK_CULTURE_WEIGHTS), False: _cumulative(data.AU_CULTURE_WEIGHTS)}
        self._practices: dict[str, list[GeneralPractitioner]] = {}
        self._identifiers = Identifiers(rng)

    def random_name(self, uk: bool) -> _Name:
        rng = self.rng
        cultures, weights = self._mix[uk]
        culture = _CULTURES[rng.choices(cultures, cum_weights=weights)[0]]
        sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
        if rng.random() < 0.01:
            return self._single_name(sex)
        given = rng.pick(culture.female if sex is Sex.FEMALE else culture.male)
        family = rng.pick(culture.family_female if sex is Sex.FEMALE and culture.family_female else culture.family)
        if rng.random() < 0.03:
            family = self._double_barrelled(family)
        return _Name(given, family, sex, self._preferred(given, sex, culture.key), culture.key)

    def _single_name(self, sex: Sex) -> _Name:
        name = self.rng.pick(data.SINGLE_NAMES_FEMALE if sex is Sex.FEMALE else data.SINGLE_NAMES_MALE)
        # Clinics file a single name in either field; both must work everywhere.
        return _Name(name, "", sex) if self.rng.random() < 0.5 else _Name("", name, sex)

    def _double_barrelled(self, family: str) -> str:
        other = self.rng.pick(_CULTURES["english"].family)
        return family if "-" in other or "-" in family or " " in family else f"{family}-{other}"

    def _preferred(self, given: str, sex: Sex, culture: str) -> str:
        rng = self.rng
        if given in data.NICKNAMES and rng.random() < 0.5:
            return data.NICKNAMES[given]
        if culture in ("chinese", "korean") and rng.random() < 0.3:
            return rng.pick(data.ADOPTED_NAMES_FEMALE if sex is Sex.FEMALE else data.ADOPTED_NAMES_MALE)
        return ""

    def patient(self, name: _Name, uk: bool) -> Patient:
        rng = self.rng
        born = self._birth_date()
        # Consents are recorded at registration, which is after the birth and at most about 5 years ago.
        registered = date.fromordinal(max(born.toordinal() + 1, self._today - rng.below(1_900)))
        place = UkPlace(rng) if uk else AuPlace(rng)
        gp = self._gp(place, uk) if rng.random() < 0.88 else GeneralPractitioner()
        adult = self._today - born.toordinal() >= 18 * _DAYS_PER_YEAR
        nhs_number, medicare_number, medicare_irn = self._identifiers.for_country(uk)
        contact = self._emergency_contact(place, name, adult) if rng.random() < 0.75 else EmergencyContact()
        return Patient(
            given_name=name.given,
            family_name=name.family,
            date_of_birth=born,
            sex=name.sex if rng.random() < 0.98 else rng.pick((Sex.OTHER, Sex.NOT_STATED)),
            preferred_name=name.preferred,
            phone=place.phone(mobile=True) if rng.random() < 0.95 else "",
            email=self._email(name) if rng.random() < 0.6 else "",
            address=place.address(),
            gp=gp,
            emergency_contact=contact,
            gp_consent=self._consent(registered, 0.0 if gp.is_empty else 0.8),
            club_consent=self._consent(registered, 0.35),
            uid=_uid(rng),
            nhs_number=nhs_number,
            medicare_number=medicare_number,
            medicare_irn=medicare_irn,
        )

    def _birth_date(self) -> date:
        rng = self.rng
        roll = rng.random()
        if roll < 0.03:
            age = rng.uniform(12, 16)  # junior club runners
        elif roll < 0.06:
            age = rng.uniform(70, 88)  # veterans still racing
        else:
            age = rng.triangular(16, 70, 34)
        return date.fromordinal(self._today - int(age * _DAYS_PER_YEAR) - 1)

    def _email(self, name: _Name) -> str:
        family_first = _CULTURES[name.culture].family_first
        parts = (name.family, name.given) if family_first else (name.given, name.family)
        local = ".".join(_email_part(part) for part in parts if part)
        if self.rng.random() < 0.4:
            local += str(self.rng.between(1, 99))
        return f"{local}@{self.rng.pick(data.EMAIL_DOMAINS)}"

    def _gp(self, place: Place, uk: bool) -> GeneralPractitioner:
        """One of a few practices in the patient's town, as a clinic's referrals cluster in real life."""
        practices = self._practices.get(place.town)
        if practices is None:
            practices = [self._new_practice(place, uk) for _ in range(_PRACTICES_PER_TOWN)]
            self._practices[place.town] = practices
        return self.rng.pick(practices)

    def _new_practice(self, place: Place, uk: bool) -> GeneralPractitioner:
        doctor = self.random_name(uk)
        practice = f"{place.town} {self.rng.pick(data.PRACTICE_KINDS)}"
        return GeneralPractitioner(
            name=f"Dr {_written_name(doctor)}",
            practice=practice,
            address=place.address(),
            phone=place.phone(mobile=False),
            secure_email=f"{_email_part(practice)}@secure.example.org",
        )

    def _emergency_contact(self, place: Place, patient: _Name, adult: bool) -> EmergencyContact:
        rng = self.rng
        relationship = rng.pick(data.RELATIONSHIPS) if adult else rng.pick(("Mother", "Father"))
        if relationship in _FEMALE_RELATIVES or relationship in _MALE_RELATIVES:
            sex = Sex.FEMALE if relationship in _FEMALE_RELATIVES else Sex.MALE
        else:
            sex = rng.pick((Sex.FEMALE, Sex.MALE))
        culture = _CULTURES[patient.culture]
        given = rng.pick(culture.female if sex is Sex.FEMALE else culture.male)
        if relationship in _BLOOD_RELATIVES and patient.family:
            family = _family_name_for(patient.family, culture, sex)
        else:
            family = rng.pick(_CULTURES[rng.pick(("english", patient.culture))].family)
        contact = _Name(given, family, sex, culture=patient.culture)
        return EmergencyContact(_written_name(contact), relationship, place.phone(mobile=True))

    def _consent(self, registered: date, chance: float) -> Consent:
        roll = self.rng.random()
        if roll < chance:
            return Consent(True, registered)
        if roll < chance + 0.05:
            return Consent(False, registered)  # asked and declined: the date shows the question was put
        return Consent()


def _written_name(name: _Name) -> str:
    """The whole name in the order its owner writes it (Nguyễn Thị Minh, Siobhán O'Brien, Wiranto)."""
    first, second = (name.family, name.given) if _CULTURES[name.culture].family_first else (name.given, name.family)
    return f"{first} {second}".strip()


def _family_name_for(family: str, culture: data.Culture, sex: Sex) -> str:
    """A relative's family name where it changes with sex (Wiśniewski / Wiśniewska)."""
    if not culture.family_female:
        return family
    for source in (culture.family, culture.family_female):
        if family in source:
            target = culture.family_female if sex is Sex.FEMALE else culture.family
            return target[source.index(family)]
    return family


class _EpisodeFactory:
    def __init__(self, rng: _Rng, today: date) -> None:
        self.rng = rng
        self.today = today
        self._reasons = list(_DISCHARGE_REASONS)
        self._reason_weights = _cumulative({r.value: w for r, w in _DISCHARGE_REASONS.items()})[1]

    def episodes_for(self, patient_id: int, born: date) -> Iterator[Episode]:
        roll = self.rng.random()
        count = 0 if roll < 0.25 else 1 if roll < 0.75 else 2 if roll < 0.95 else 3
        for _ in range(count):
            yield self._episode(patient_id, born)

    def _episode(self, patient_id: int, born: date) -> Episode:
        rng = self.rng
        complaint, side, referred = self._complaint()
        # Within the last three years, and never before the birth (juniors are at least 12).
        earliest = max(born.toordinal() + 1, self.today.toordinal() - 3 * 365)
        onset = date.fromordinal(rng.between(earliest, self.today.toordinal() + 1))
        episode = Episode(patient_id=patient_id, complaint=complaint, side=side, onset_date=onset, uid=_uid(rng))
        if referred:
            return self._discharged(episode, onset, DischargeReason.REFERRED_ON)
        if rng.random() < 0.03:
            episode = replace(episode, onset_date=None)  # "a few months ago, can't say when"
        return self._with_outcome(episode, onset)

    def _complaint(self) -> tuple[str, Side, bool]:
        rng = self.rng
        if rng.random() < 0.07:
            text, bilateral, referred = rng.pick(data.CALF_SPECIAL)
            side = Side.BOTH if bilateral else rng.pick((Side.LEFT, Side.RIGHT))
        else:
            text, referred = f"{rng.pick(data.CALF_STRUCTURES)}, {rng.pick(data.CALF_ONSETS)}", False
            side = rng.pick((Side.LEFT, Side.RIGHT)) if rng.random() < 0.94 else Side.BOTH
        where = "Bilateral" if side is Side.BOTH else side.label
        return f"{where} {text}", side, referred

    def _with_outcome(self, episode: Episode, onset: date) -> Episode:
        rng = self.rng
        days_since_onset = (self.today - onset).days
        roll = rng.random()
        if days_since_onset >= 21 and roll < 0.6:
            on = onset + timedelta(days=rng.between(14, min(days_since_onset, 200) + 1))
            return self._discharged(episode, on, rng.choices(self._reasons, cum_weights=self._reason_weights)[0])
        if roll > 0.95:
            return replace(episode, status=EpisodeStatus.ON_HOLD)
        return episode

    @staticmethod
    def _discharged(episode: Episode, on: date, reason: DischargeReason) -> Episode:
        return replace(episode, status=EpisodeStatus.DISCHARGED, discharge_date=on, discharge_reason=reason)
