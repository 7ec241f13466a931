"""Domain records: frozen dataclasses that every layer passes around.

``id`` is the database key (None until saved); ``uid`` is a client-generated UUID so that a save whose
outcome was lost with the connection can be reconciled without duplicates (RELIABILITY.md B7).
``version`` is the optimistic-locking counter: a save carrying an older version is refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum


def new_uid() -> str:
    return str(uuid.uuid4())


class Sex(Enum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_STATED = "not_stated"

    @property
    def label(self) -> str:
        return _SEX_LABELS[self]


_SEX_LABELS = {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.OTHER: "Other", Sex.NOT_STATED: "Not stated"}


class Side(Enum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    NONE = "none"  # a measure with no side (pain, PSFS, LEFS)

    @property
    def label(self) -> str:
        return self.value.capitalize() if self is not Side.NONE else "—"


class EpisodeStatus(Enum):
    OPEN = "open"
    ON_HOLD = "on_hold"
    DISCHARGED = "discharged"

    @property
    def label(self) -> str:
        return {"open": "Open", "on_hold": "On hold", "discharged": "Discharged"}[self.value]


class DischargeReason(Enum):
    GOALS_MET = "goals_met"
    RETURNED_TO_RUNNING = "returned_to_running"
    REFERRED_ON = "referred_on"
    DID_NOT_ATTEND = "did_not_attend"
    PATIENT_CHOICE = "patient_choice"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class Consent:
    """Consent to share with someone, and when it was recorded. No date means no consent."""

    given: bool = False
    recorded_on: date | None = None


@dataclass(frozen=True, slots=True, repr=False)
class GeneralPractitioner:
    name: str = ""
    practice: str = ""
    address: str = ""
    phone: str = ""
    secure_email: str = ""

    def __repr__(self) -> str:
        return "GeneralPractitioner(...)"

    @property
    def is_empty(self) -> bool:
        return not any((self.name, self.practice, self.address, self.phone, self.secure_email))


@dataclass(frozen=True, slots=True, repr=False)
class EmergencyContact:
    name: str = ""
    relationship: str = ""
    phone: str = ""

    def __repr__(self) -> str:
        return "EmergencyContact(...)"


@dataclass(frozen=True, slots=True, repr=False)
class Patient:
    """A person as they write their own name. A single name goes in ``family_name`` or ``given_name``."""

    given_name: str
    family_name: str
    date_of_birth: date
    sex: Sex = Sex.NOT_STATED
    preferred_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    nhs_number: str = ""  # 10 digits, no spaces
    medicare_number: str = ""  # 10 digits including the card issue number
    medicare_irn: str = ""  # 1 digit
    gp: GeneralPractitioner = field(default_factory=GeneralPractitioner)
    emergency_contact: EmergencyContact = field(default_factory=EmergencyContact)
    gp_consent: Consent = field(default_factory=Consent)
    club_consent: Consent = field(default_factory=Consent)
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0

    def __repr__(self) -> str:
        # Records end up in tracebacks and logs: show which record, never who.
        return f"Patient(id={self.id}, uid={self.uid!r}, version={self.version})"

    @property
    def display_name(self) -> str:
        """Family name first for lists, as clinics file them: "Nguyễn, Thị Minh" or a single name."""
        if self.given_name and self.family_name:
            return f"{self.family_name}, {self.given_name}"
        return self.family_name or self.given_name

    @property
    def spoken_name(self) -> str:
        """The name to greet the person by: preferred name if given."""
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip() if first else self.family_name

    def age_on(self, day: date) -> int:
        return age_on(self.date_of_birth, day)

    def with_changes(self, **changes: object) -> Patient:
        return replace(self, **changes)  # type: ignore[arg-type]

    def summary(self) -> PatientSummary:
        if self.id is None:
            raise ValueError("an unsaved patient has no summary")
        return PatientSummary(
            id=self.id,
            given_name=self.given_name,
            family_name=self.family_name,
            preferred_name=self.preferred_name,
            date_of_birth=self.date_of_birth,
            nhs_number=self.nhs_number,
            medicare_number=self.medicare_number,
            club_consent=self.club_consent.given,
        )


def age_on(born: date, day: date) -> int:
    """Completed years. A 29 February birthday is reached on 1 March in common years (UK legal rule)."""
    years = day.year - born.year
    if (day.month, day.day) < (born.month, born.day):
        years -= 1
    return years


@dataclass(frozen=True, slots=True, repr=False)
class PatientSummary:
    """One row of the patient list and of the search index: enough to show and find, nothing clinical."""

    id: int
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date
    nhs_number: str = ""  # digits only
    medicare_number: str = ""  # digits only
    sort_key: str = ""  # list order, as stored beside the record (workstation.list_order.list_sort_key)
    club_consent: bool = False  # recorded consent to share with the club: club staff see only these rows

    def __repr__(self) -> str:
        return f"PatientSummary(id={self.id})"

    @property
    def display_name(self) -> str:
        if self.given_name and self.family_name:
            return f"{self.family_name}, {self.given_name}"
        return self.family_name or self.given_name


@dataclass(frozen=True, slots=True)
class Episode:
    """An episode of care: one complaint, from onset to discharge."""

    patient_id: int
    complaint: str
    side: Side
    onset_date: date | None
    status: EpisodeStatus = EpisodeStatus.OPEN
    discharge_date: date | None = None
    discharge_reason: DischargeReason | None = None
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0


@dataclass(frozen=True, slots=True)
class Observation:
    """One measurement: heel-raise reps, knee-to-wall cm, NPRS, ... Later issues add codes, not columns.

    A stored observation is never changed: a correction is a new observation whose ``corrects_id`` is the
    version it replaces, with the reason (RELIABILITY.md I2). The current version is the one nothing
    corrects; the earlier ones stay readable as its history.
    """

    patient_id: int
    observed_on: date
    code: str
    value: float
    unit: str
    side: Side = Side.NONE
    episode_id: int | None = None
    protocol: str = ""  # the protocol the value was measured under (CLINICAL.md 2.1), as recorded
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    corrects_id: int | None = None  # the version this one replaces; None for a first recording
    correction_reason: str = ""
    recorded_by: int | None = None  # the user who recorded this version, when someone was logged in
    assessment_id: int | None = None  # the finalised assessment it was measured in; None if outside one

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None
