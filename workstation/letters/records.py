"""What a letter is asked for, who it comes from, and what is kept once it is finalised.

A finalised letter is immutable (ARCHITECTURE.md 4): the PDF bytes are stored with their SHA-256 and the
author, and never changed; a correction is a new letter. Urgent and emergency letters carry the record of
the phone call made first (CLINICAL.md 9.1 "Urgent tiers"), or why no call was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from workstation.records import new_uid

if TYPE_CHECKING:  # annotations only: importing a letter record must not load the charts' data or the engine
    from workstation.assessment.records import AssessmentRecord, RedFlagRecord
    from workstation.clinical.country import Country
    from workstation.progress.chart_data import ProgressSeries
    from workstation.records import Episode, Patient


def letter_reference(uid: str) -> str:
    """The reference a letter prints in its footer and file names: "CD-" and the first 8 hex digits of its uid."""
    return "CD-" + uid.replace("-", "")[:8].upper()


class LetterKind(StrEnum):
    """The documents, by the name the command line takes (``--template``)."""

    GP_REFERRAL = "gp-referral"
    PROGRESS = "progress"
    DISCHARGE = "discharge"
    CARE_PLAN_REPORT = "care-plan-report"  # Australia: report to the GP after the first and last funded visit
    HANDOUT = "handout"  # home exercise programme for the patient

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    LetterKind.GP_REFERRAL: "Referral letter to GP",
    LetterKind.PROGRESS: "Progress report to GP",
    LetterKind.DISCHARGE: "Discharge summary",
    LetterKind.CARE_PLAN_REPORT: "GP report: chronic condition care plan (Australia)",
    LetterKind.HANDOUT: "Home exercise programme (for the patient)",
}


class SectionKey(StrEnum):
    """A section that can be ticked in or out. Which ones a kind offers, and which are locked on, is
    ``workstation.letters.sections.sections_for``."""

    REQUEST = "request"  # reason for writing and the specific request
    HISTORY = "history"  # presenting history: onset, mechanism, timeline, load changes, pain
    RELEVANT_HISTORY = "relevant_history"  # previous strains, DVT risk factors, back, medication and allergies
    FINDINGS = "findings"  # the findings table
    BODY_CHART = "body_chart"
    CHARTS = "charts"  # heel-raise trend and LSI, vector
    RED_FLAGS = "red_flags"  # red flags found and the action taken (locked on while any is raised)
    IMPRESSION = "impression"  # working impression (a physiotherapist's, not a diagnosis)
    OUTCOMES = "outcomes"  # change since the first visit: pain, PSFS, LEFS, heel raise
    PLAN = "plan"  # treatment so far and plan
    RUNNING = "running"  # return-to-run stage and recent load
    SAFETY_NET = "safety_net"  # information and safety-net advice given
    GOALS = "goals"  # the patient's concerns and goals
    EXERCISES = "exercises"  # the handout's exercise cards
    DISCHARGE = "discharge"  # reason for discharge, status at discharge, advice on recurrence


class CarePlanVisit(StrEnum):
    """Which funded visit an Australian care-plan report follows (CLINICAL.md 9.2: only, first and last)."""

    FIRST = "first"
    LAST = "last"
    ONLY = "only"
    OTHER = "other"  # something the GP would reasonably expect to know


@dataclass(frozen=True, slots=True)
class ClinicProfile:
    """The practice as its letterhead shows it (Admin › Clinic settings)."""

    name: str = ""
    address: str = ""  # several lines
    phone: str = ""
    email: str = ""
    country: Country | None = None  # None: not chosen yet (every emergency number is given)
    logo: bytes | None = None  # PNG or JPEG


@dataclass(frozen=True, slots=True)
class ClinicianProfile:
    """What a clinician's letters say about them: profession and registration (CLINICAL.md 9.1 header)."""

    user_id: int
    display_name: str
    profession: str = "Physiotherapist"
    registration_body: str = ""  # "HCPC", "AHPRA"
    registration_number: str = ""  # "PH123456", "PHY0001234567"
    phone: str = ""
    email: str = ""  # a secure email, where the clinic has one
    signature: bytes | None = None  # PNG or JPEG
    version: int = 0


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who the letter goes to: prefilled from the patient's GP, editable."""

    name: str = ""
    practice: str = ""
    address: str = ""  # several lines

    @property
    def is_empty(self) -> bool:
        return not (self.name.strip() or self.practice.strip() or self.address.strip())


@dataclass(frozen=True, slots=True)
class LetterEdits:
    """The clinician's own words. ``None`` means "use what the record says" (the prefilled default)."""

    request: str | None = None  # the specific request: "please assess today for suspected DVT ..."
    impression: str | None = None  # working impression; default from the assessment's impression
    history: str = ""  # more presenting history, added after what the record says
    medication: str = ""  # medication and allergies as reported
    treatment: str | None = None  # treatment so far; default from the plan
    goals: str | None = None  # concerns and goals; default from the PSFS activities
    discharge_note: str = ""  # discharge summary: status at discharge, advice on recurrence
    extra: str = ""  # anything else, printed before the signature
    care_plan_visit: CarePlanVisit = CarePlanVisit.FIRST  # care-plan report only


@dataclass(frozen=True, slots=True)
class PhoneCall:
    """The call made before an urgent or emergency letter, or why none was made (then ``at`` is None)."""

    at: datetime | None  # when the call was made (timezone-aware)
    spoken_to: str = ""  # "Reception, Riverside Surgery", "NHS 111", "ED triage nurse"
    outcome: str = ""  # "Same-day appointment 15:00 with Dr Patel"
    not_called_reason: str = ""  # "Patient taken to ED by ambulance", when no call was made

    @property
    def made(self) -> bool:
        return self.at is not None


@dataclass(frozen=True, slots=True)
class LetterRequest:
    """Everything the clinician chose: the document, for which assessment, to whom, which sections, edits."""

    kind: LetterKind
    patient_id: int
    assessment_id: int | None  # None: the patient's latest finalised assessment, if any
    recipient: Recipient
    sections: frozenset[SectionKey]
    edits: LetterEdits = field(default_factory=LetterEdits)
    copy_to_patient: bool = True
    uid: str = field(default_factory=new_uid)  # the letter's reference once finalised ("CD-" + 8 hex digits)

    @property
    def reference(self) -> str:
        return letter_reference(self.uid)


@dataclass(frozen=True, slots=True)
class LetterFacts:
    """What a letter is written from, read in one go (``LetterService.facts``)."""

    patient: Patient
    assessment: AssessmentRecord | None  # the chosen (or latest) finalised assessment; None before any
    first_assessment: AssessmentRecord | None  # the episode's first (the progress and care-plan baseline)
    assessments: tuple[AssessmentRecord, ...]  # all current ones of the patient, oldest first
    episode: Episode | None  # the assessment's episode, else the open one
    red_flags: tuple[RedFlagRecord, ...]  # unresolved ones, and those of the chosen assessment
    progress: ProgressSeries | None  # None when the role or record gives no progress (then no charts)
    clinic: ClinicProfile
    clinician: ClinicianProfile
    today: date
    phone_call: PhoneCall | None = None  # set when finalising an urgent or emergency letter


@dataclass(frozen=True, slots=True)
class StoredLetter:
    """A finalised letter as listed (the PDF itself is read separately, checked against ``sha256``)."""

    patient_id: int
    kind: LetterKind
    title: str
    urgency: str  # "emergency" | "urgent" | "soon" | "routine"
    recipient: str  # one line: "Dr A Patel, Riverside Surgery"; "Patient" for a handout
    sha256: str  # of the PDF bytes, hex
    page_count: int
    size_bytes: int
    author_id: int
    author_name: str
    finalised_at: datetime
    assessment_id: int | None = None
    episode_id: int | None = None
    phone_call: PhoneCall | None = None
    id: int | None = None
    uid: str = field(default_factory=new_uid)

    @property
    def reference(self) -> str:
        return letter_reference(self.uid)
