"""Letters for one logged-in person: what a letter is written from, finalising it, reading it back.

A finalised letter is stored once with its PDF and that PDF's SHA-256, and never changed (ARCHITECTURE.md
4); every read of the bytes checks the fingerprint first, so a damaged letter is refused, never shown as if
it were the one sent. An urgent or emergency letter is finalised only with the phone call recorded, or why
none was made (CLINICAL.md 9.1 "Urgent tiers"). Every look and change is checked against the role and
audited with ids, the kind, urgency, page count and a fingerprint prefix: never a name.

The composer (``workstation.letters.compose``) and the progress series load with the methods that use
them: opening a patient's record lists their letters and must not load either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from workstation.audit.records import AuditEvent, Outcome
from workstation.clinical.country import Country, emergency_call, same_day_route
from workstation.clinical.load import DistanceUnit
from workstation.errors import CalfDeskError, LetterDamaged, RecordNotFound, ValidationFailed
from workstation.letters.records import (
    ClinicianProfile,
    ClinicProfile,
    LetterFacts,
    LetterKind,
    LetterRequest,
    PhoneCall,
    StoredLetter,
)
from workstation.ports import ClinicianProfileRepository, LetterRepository, RedFlagRepository, UserRepository
from workstation.problems import Problem
from workstation.security.permissions import Action
from workstation.services.clinic_settings import date_order_for
from workstation.services.guarded import _Guard
from workstation.services.letter_facts import chosen_assessment, episode_of, first_of_episode, flags_for
from workstation.services.letterhead_rules import (
    PROFILE_LIMITS,
    cleaned_profile,
    one_line,
    profile_problems,
    text_problem,
)

if TYPE_CHECKING:
    from workstation.letters.document import Letter, RenderedLetter
    from workstation.services.clinic_settings import ClinicSettings
    from workstation.services.progress import ProgressService

LETTER_PDF_MAX_BYTES = 20 * 1024 * 1024  # the database refuses more too (migration 0008)
PHONE_TEXT_MAX_CHARS = 500
PHONE_FIRST_TIERS = frozenset({"emergency", "urgent"})  # CLINICAL.md 9.1 "Urgent tiers": phone first
_TITLE_MAX_CHARS, _RECIPIENT_MAX_CHARS, _NAME_MAX_CHARS = 200, 300, 200  # the letter table's columns


@dataclass(frozen=True, slots=True)
class SharedFacts:
    """The part of a letter's facts that is the same for every patient: read once for a batch."""

    clinic: ClinicProfile
    clinician: ClinicianProfile
    distance_unit: DistanceUnit


@dataclass(frozen=True, slots=True)
class ReadyLetter:
    """A letter composed and checked by ``LetterService.ready``, for ``finalise_ready`` to render and store."""

    request: LetterRequest
    facts: LetterFacts
    letter: Letter
    phone_call: PhoneCall | None  # as it will be recorded: its texts trimmed
    urgency: str  # the banner's tier, "routine" without one


class LetterUse(StrEnum):
    """Why a letter's PDF is read: each is audited as its own event."""

    VIEW = "view"
    EXPORT = "export"
    PRINT = "print"


_USE_EVENTS = {
    LetterUse.VIEW: AuditEvent.LETTER_VIEWED,
    LetterUse.EXPORT: AuditEvent.LETTER_EXPORTED,
    LetterUse.PRINT: AuditEvent.LETTER_PRINTED,
}


class LetterService:
    """Letters and clinicians' letter details, as one person may see and change them."""

    def __init__(
        self,
        letters: LetterRepository,
        profiles: ClinicianProfileRepository,
        flags: RedFlagRepository,
        users: UserRepository,
        progress: ProgressService,
        settings: ClinicSettings,
        guard: _Guard,
    ) -> None:
        self._letters = letters
        self._profiles = profiles
        self._flags = flags
        self._users = users
        self._progress = progress
        self._settings = settings
        self._guard = guard

    # Writing -------------------------------------------------------------------------------------

    def shared_facts(self) -> SharedFacts:
        """What every letter of a sitting is written from alike: the letterhead, the logged-in clinician's
        letter details and the distance unit. Read once for a batch and given to ``facts``."""
        return SharedFacts(self._settings.profile(), self.clinician_profile(), self._settings.distance_unit())

    def facts(
        self, patient_id: int, *, assessment_id: int | None, today: date, shared: SharedFacts | None = None
    ) -> LetterFacts:
        """Everything a letter about the patient is written from, read in one go.

        ``assessment_id`` None takes the patient's latest current assessment (None before any). ``shared``
        is what ``shared_facts`` read for a batch; None reads it here.

        Raises:
            PermissionDenied: the role may not see clinical records (audited as a denial).
            RecordNotFound: there is no such patient.
            ValidationFailed: ``assessment_id`` is not a current assessment of this patient's.
        """
        from workstation.progress.series import build_progress

        self._guard.require(Action.VIEW_CLINICAL, AuditEvent.LETTER_VIEWED, patient_id=patient_id)
        inputs = self._progress.inputs(patient_id)  # audited there: the look at the whole record
        chosen = chosen_assessment(inputs.assessments, assessment_id)
        common = shared if shared is not None else self.shared_facts()
        order = date_order_for(common.clinic.country)
        progress = build_progress(inputs, today=today, unit=common.distance_unit, date_order=order)
        return LetterFacts(
            patient=inputs.patient, assessment=chosen, first_assessment=first_of_episode(inputs.assessments, chosen),
            assessments=inputs.assessments, episode=episode_of(inputs.episodes, chosen),
            red_flags=flags_for(self._flags.unresolved_for_patient(patient_id), inputs.red_flags, chosen),
            progress=progress, clinic=common.clinic, clinician=common.clinician, today=today,
        )  # fmt: skip

    def compose(self, request: LetterRequest, facts: LetterFacts) -> Letter:
        """The letter's content as plain data (what the preview and the PDF show)."""
        from workstation.letters.compose import compose_letter

        return compose_letter(request, facts)

    def ready(self, request: LetterRequest, facts: LetterFacts) -> ReadyLetter:
        """The letter composed and checked as ``finalise`` checks it, before anything is rendered: a batch
        readies each letter so, renders it elsewhere, then stores it with ``finalise_ready``.

        Raises:
            PermissionDenied: the role may not change clinical records (audited as a denial).
            ValidationFailed: an urgent or emergency letter without the phone call recorded, or a call
                recorded with neither its time nor why no call was made (field ``phone_call``).
            ValueError: the request and the facts are about different patients or assessments (a bug).
        """
        self._guard.require(Action.EDIT_CLINICAL, AuditEvent.LETTER_FINALISED, patient_id=request.patient_id)
        _check_same_record(request, facts)
        call = _phone_call(facts.phone_call)
        letter = self.compose(request, facts)
        ready = ReadyLetter(request, facts, letter, call, _urgency(letter))
        _check_phone_first(ready)
        return ready

    def finalise(
        self,
        request: LetterRequest,
        facts: LetterFacts,
        *,
        render: Callable[[Letter], RenderedLetter],
        at: datetime,
    ) -> StoredLetter:
        """Compose, render and store the letter with its SHA-256 and author, in one transaction.

        Idempotent on ``request.uid``: a retry after a lost commit returns the letter stored the first time.

        Raises:
            PermissionDenied: the role may not change clinical records (audited as a denial).
            ValidationFailed: an urgent or emergency letter without the phone call recorded, or a call
                recorded with neither its time nor why no call was made (field ``phone_call``).
            CalfDeskError: the PDF is over 20 MB; DiskFull, DatabaseLocked, ...: it could not be stored.
            ValueError: the request and the facts are about different patients or assessments (a bug).
        """
        return self.finalise_ready(self.ready(request, facts), render=render, at=at)

    def finalise_ready(
        self, ready: ReadyLetter, *, render: Callable[[Letter], RenderedLetter], at: datetime
    ) -> StoredLetter:
        """``finalise`` of a letter ``ready`` checked: render ``ready.letter``, store it, audit it.

        Raises:
            PermissionDenied: the role may not change clinical records (audited as a denial).
            CalfDeskError: the PDF is over 20 MB; DiskFull, DatabaseLocked, ...: it could not be stored.
        """
        request, facts, letter = ready.request, ready.facts, ready.letter
        self._guard.require(Action.EDIT_CLINICAL, AuditEvent.LETTER_FINALISED, patient_id=request.patient_id)
        if ready.urgency != _urgency(letter) or request.patient_id != facts.patient.id:
            raise ValueError("a ready letter is the one LetterService.ready returned")
        _check_phone_first(ready)  # again: cheap, and the rule holds whoever built ``ready``
        rendered = render(letter)
        _check_rendered(rendered)
        stored = StoredLetter(
            patient_id=request.patient_id, kind=request.kind, title=one_line(letter.title)[:_TITLE_MAX_CHARS],
            urgency=ready.urgency, recipient=_recipient_line(request, letter), sha256=_sha256(rendered.pdf),
            page_count=rendered.pages, size_bytes=len(rendered.pdf), author_id=self._user_id(),
            author_name=self._display_name(self._user_id())[:_NAME_MAX_CHARS], finalised_at=at,
            assessment_id=facts.assessment.id if facts.assessment is not None else None,
            episode_id=facts.episode.id if facts.episode is not None else None, phone_call=ready.phone_call,
            uid=request.uid,
        )  # fmt: skip
        saved = self._letters.add(stored, rendered.pdf)
        self._audit(AuditEvent.LETTER_FINALISED, saved, detail=_described(saved) + _phone_note(saved.phone_call))
        return saved

    # Reading -------------------------------------------------------------------------------------

    def letters_for(self, patient_id: int) -> list[StoredLetter]:
        """The patient's finalised letters, newest first (the PDFs are read one at a time, by ``pdf``)."""
        self._guard.require(Action.VIEW_CLINICAL, AuditEvent.LETTER_VIEWED, patient_id=patient_id)
        found = self._letters.for_patient(patient_id)
        if found:  # opening the record is audited already; this adds that its letters were listed
            self._guard.auditor.record(AuditEvent.LETTER_VIEWED, self._guard.actor, patient_id=patient_id,
                                       object_type="letter", detail=f"listed {len(found)} letters")  # fmt: skip
        return found

    def pdf(self, letter_id: int, *, use: LetterUse) -> bytes:
        """The letter's PDF exactly as finalised, checked against its SHA-256, audited by ``use``.

        Raises:
            RecordNotFound: there is no such letter.
            PermissionDenied: the role may not see clinical records (audited as a denial).
            LetterDamaged: the stored bytes no longer match the fingerprint (audited as a failure).
        """
        return self.stored_pdf(self._letters.get(letter_id), use=use)

    def stored_pdf(self, letter: StoredLetter, *, use: LetterUse) -> bytes:
        """``pdf`` of a letter as just read from the record (``finalise`` or ``letters_for`` returned it), so
        its fingerprint is not read again: the bytes are still read back and checked against it."""
        event = _USE_EVENTS[use]
        self._guard.require(Action.VIEW_CLINICAL, event, patient_id=letter.patient_id)
        if letter.id is None:
            raise ValueError("a stored letter has its id")
        content = self._letters.pdf(letter.id)
        read = _sha256(content)
        if read != letter.sha256 or len(content) != letter.size_bytes:
            self._audit(event, letter, outcome=Outcome.FAILURE,
                        detail=f"damaged: sha256 {letter.sha256[:12]} finalised, {read[:12]} read")  # fmt: skip
            raise LetterDamaged(
                f"Letter {letter.reference} is damaged: its stored PDF no longer matches the one finalised, "
                "so it is not shown.",
                hint="Nothing has been changed. Restore the most recent backup, or ask for help.",
            )
        self._audit(event, letter, detail=_described(letter))
        return content

    # Clinicians' letter details ----------------------------------------------------------------------

    def clinician_profile(self, user_id: int | None = None) -> ClinicianProfile:
        """A clinician's letter details (None: the logged-in person's); until filled in, the defaults with
        the account's name. Another person's needs MANAGE_USERS.

        Raises:
            PermissionDenied: another person's, without MANAGE_USERS (audited as a denial).
            RecordNotFound: there is no such account.
        """
        wanted = self._user_id() if user_id is None else user_id
        if wanted != self._user_id():
            self._guard.require(Action.MANAGE_USERS, AuditEvent.CLINICIAN_PROFILE_CHANGED)
        stored = self._profiles.get(wanted)
        return stored if stored is not None else ClinicianProfile(wanted, self._display_name(wanted))

    def save_clinician_profile(self, profile: ClinicianProfile, *, at: datetime) -> ClinicianProfile:
        """Store a clinician's letter details over the version read (``profile.version``; 0 for the first).

        One's own needs EDIT_CLINICAL, another person's MANAGE_USERS. Audited with the names of the fields
        changed and the versions, never their values.

        Raises:
            PermissionDenied: the role may not (audited as a denial).
            ValidationFailed: a problem for each field refused (``profession``, ``signature``, ...).
            ConflictError: someone else saved these details after they were read.
            RecordNotFound: there is no such account.
        """
        event = AuditEvent.CLINICIAN_PROFILE_CHANGED
        action = Action.EDIT_CLINICAL if profile.user_id == self._user_id() else Action.MANAGE_USERS
        self._guard.require(action, event)
        cleaned = cleaned_profile(profile)
        problems = profile_problems(cleaned)
        if problems:
            raise ValidationFailed(problems)
        before = self._profiles.get(profile.user_id)
        saved = self._profiles.save(cleaned, at=at, by=self._user_id())
        changed = ", ".join(_changed_fields(before, saved)) or "nothing changed"
        self._guard.auditor.record(
            event, self._guard.actor, object_type="user", object_id=saved.user_id,
            detail=f"version {before.version if before is not None else 0} -> {saved.version}; {changed}",
        )  # fmt: skip
        return saved

    # Helpers -----------------------------------------------------------------------------------------

    def _audit(
        self, event: AuditEvent, letter: StoredLetter, *, detail: str, outcome: Outcome = Outcome.SUCCESS
    ) -> None:
        self._guard.auditor.record(event, self._guard.actor, outcome=outcome, patient_id=letter.patient_id,
                                   object_type="letter", object_id=letter.id, detail=detail)  # fmt: skip

    def _user_id(self) -> int:
        return self._guard.actor.user_id

    def _display_name(self, user_id: int) -> str:
        """The account's display name; the login name for the logged-in person's account if it is gone."""
        try:
            return self._users.get(user_id).display_name
        except RecordNotFound:
            if user_id != self._user_id():
                raise
            return self._guard.actor.user_name


# Finalising --------------------------------------------------------------------------------------------


def _check_same_record(request: LetterRequest, facts: LetterFacts) -> None:
    if request.patient_id != facts.patient.id:
        raise ValueError("a letter's request and facts are about the same patient")
    chosen = facts.assessment.id if facts.assessment is not None else None
    if request.assessment_id is not None and request.assessment_id != chosen:
        raise ValueError("a letter's request and facts are about the same assessment")


def _phone_call(call: PhoneCall | None) -> PhoneCall | None:
    """The call as recorded, its texts trimmed; refused when it says neither when nor why no call was made."""
    if call is None:
        return None
    if call.at is not None and call.at.tzinfo is None:
        raise ValueError("a phone call's time is timezone-aware")
    cleaned = PhoneCall(call.at, call.spoken_to.strip(), call.outcome.strip(), call.not_called_reason.strip())
    if cleaned.at is None and not cleaned.not_called_reason:
        raise ValidationFailed([Problem("phone_call", "Record when you phoned, or why no call was made.")])
    for text in (cleaned.spoken_to, cleaned.outcome, cleaned.not_called_reason):
        problem = text_problem("phone_call", text, PHONE_TEXT_MAX_CHARS, one_line=False)
        if problem is not None:
            raise ValidationFailed([problem])
    return cleaned


def _urgency(letter: Letter) -> str:
    return letter.banner.tier if letter.banner is not None else "routine"


def _check_phone_first(ready: ReadyLetter) -> None:
    """CLINICAL.md 9.1 "Urgent tiers": an urgent or emergency letter (not a handout) needs the call first."""
    urgent = ready.urgency in PHONE_FIRST_TIERS and ready.request.kind is not LetterKind.HANDOUT
    if urgent and ready.phone_call is None:
        message = _phone_first_message(ready.urgency, ready.facts.clinic.country)
        raise ValidationFailed([Problem("phone_call", message)])


def _phone_first_message(urgency: str, country: Country | None) -> str:
    """CLINICAL.md 9.1: for Tier E/U prompt a phone call (or the NHS 111 / ED route) before the letter."""
    if urgency == "emergency":
        first = f"{emergency_call(country)} or phone the GP practice"
    else:
        first = f"phone the GP practice (or use the same-day route: {same_day_route(country)})"
    return (
        f"An urgent letter needs the phone call recorded first: {first}, then record who you spoke to and what "
        "was agreed, or why no call was made."
    )


def _check_rendered(rendered: RenderedLetter) -> None:
    if not rendered.pdf.startswith(b"%PDF-") or rendered.pages < 1:
        raise ValueError("a rendered letter is a PDF of at least one page")
    if len(rendered.pdf) > LETTER_PDF_MAX_BYTES:
        size = len(rendered.pdf) / (1024 * 1024)
        raise CalfDeskError(
            f"This letter's PDF is {size:.0f} MB, more than the 20 MB a letter may be, so it was not finalised.",
            hint="Leave out the charts or the body chart, or use a smaller logo or signature image.",
        )


def _recipient_line(request: LetterRequest, letter: Letter) -> str:
    """ "Dr A Patel, Riverside Surgery" (one line); "Patient" for a handout."""
    if request.kind is LetterKind.HANDOUT:
        return "Patient"
    addressee = letter.recipient
    parts = (addressee.name, addressee.practice) if addressee is not None else (request.recipient.name,
                                                                                request.recipient.practice)  # fmt: skip
    return ", ".join(one_line(part) for part in parts if part.strip())[:_RECIPIENT_MAX_CHARS]


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _described(letter: StoredLetter) -> str:
    """The audit's detail: never a name or any text of the letter."""
    pages = "1 page" if letter.page_count == 1 else f"{letter.page_count} pages"
    return f"{letter.kind.value}; {letter.urgency}; {pages}; sha256 {letter.sha256[:12]}"


def _phone_note(call: PhoneCall | None) -> str:
    if call is None:
        return ""
    return "; phone call recorded" if call.made else "; no call made (reason recorded)"


def _changed_fields(before: ClinicianProfile | None, after: ClinicianProfile) -> list[str]:
    fields = (*PROFILE_LIMITS, "signature")
    if before is None:
        return [name for name in fields if getattr(after, name) != getattr(ClinicianProfile(0, ""), name)]
    return [name for name in fields if getattr(before, name) != getattr(after, name)]
