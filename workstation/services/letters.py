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
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.audit.records import AuditEvent, Outcome
from workstation.clinical.country import Country, emergency_call, same_day_route
from workstation.errors import CalfDeskError, LetterDamaged, RecordNotFound, ValidationFailed
from workstation.letters.records import (
    ClinicianProfile,
    LetterFacts,
    LetterKind,
    LetterRequest,
    PhoneCall,
    StoredLetter,
)
from workstation.ports import ClinicianProfileRepository, LetterRepository, RedFlagRepository, UserRepository
from workstation.problems import Problem
from workstation.records import Episode, EpisodeStatus
from workstation.security.permissions import Action
from workstation.services.clinic_settings import date_order_for
from workstation.services.guarded import _Guard
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

    def facts(self, patient_id: int, *, assessment_id: int | None, today: date) -> LetterFacts:
        """Everything a letter about the patient is written from, read in one go.

        ``assessment_id`` None takes the patient's latest current assessment (None before any).

        Raises:
            PermissionDenied: the role may not see clinical records (audited as a denial).
            RecordNotFound: there is no such patient.
            ValidationFailed: ``assessment_id`` is not a current assessment of this patient's.
        """
        from workstation.progress.series import build_progress

        self._guard.require(Action.VIEW_CLINICAL, AuditEvent.LETTER_VIEWED, patient_id=patient_id)
        inputs = self._progress.inputs(patient_id)  # audited there: the look at the whole record
        chosen = _chosen(inputs.assessments, assessment_id)
        clinic = self._settings.profile()
        order = date_order_for(clinic.country)
        progress = build_progress(inputs, today=today, unit=self._settings.distance_unit(), date_order=order)
        return LetterFacts(
            patient=inputs.patient, assessment=chosen, first_assessment=_first_of_episode(inputs.assessments, chosen),
            assessments=inputs.assessments, episode=_episode_of(inputs.episodes, chosen),
            red_flags=_flags_for(self._flags.unresolved_for_patient(patient_id), inputs.red_flags, chosen),
            progress=progress, clinic=clinic, clinician=self.clinician_profile(), today=today,
        )  # fmt: skip

    def compose(self, request: LetterRequest, facts: LetterFacts) -> Letter:
        """The letter's content as plain data (what the preview and the PDF show)."""
        from workstation.letters.compose import compose_letter

        return compose_letter(request, facts)

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
        event = AuditEvent.LETTER_FINALISED
        self._guard.require(Action.EDIT_CLINICAL, event, patient_id=request.patient_id)
        _check_same_record(request, facts)
        call = _phone_call(facts.phone_call)
        letter = self.compose(request, facts)
        urgency = letter.banner.tier if letter.banner is not None else "routine"
        if urgency in PHONE_FIRST_TIERS and request.kind is not LetterKind.HANDOUT and call is None:
            raise ValidationFailed([Problem("phone_call", _phone_first_message(urgency, facts.clinic.country))])
        rendered = render(letter)
        _check_rendered(rendered)
        stored = StoredLetter(
            patient_id=request.patient_id, kind=request.kind, title=one_line(letter.title)[:_TITLE_MAX_CHARS],
            urgency=urgency, recipient=_recipient_line(request, letter), sha256=_sha256(rendered.pdf),
            page_count=rendered.pages, size_bytes=len(rendered.pdf), author_id=self._user_id(),
            author_name=self._display_name(self._user_id())[:_NAME_MAX_CHARS], finalised_at=at,
            assessment_id=facts.assessment.id if facts.assessment is not None else None,
            episode_id=facts.episode.id if facts.episode is not None else None, phone_call=call, uid=request.uid,
        )  # fmt: skip
        saved = self._letters.add(stored, rendered.pdf)
        self._audit(event, saved, detail=_described(saved) + _phone_note(saved.phone_call))
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
        event = _USE_EVENTS[use]
        letter = self._letters.get(letter_id)
        self._guard.require(Action.VIEW_CLINICAL, event, patient_id=letter.patient_id)
        content = self._letters.pdf(letter_id)
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


# Facts -------------------------------------------------------------------------------------------------


def _chosen(assessments: Sequence[AssessmentRecord], assessment_id: int | None) -> AssessmentRecord | None:
    if assessment_id is None:
        return assessments[-1] if assessments else None  # oldest first: the last is the latest
    for assessment in assessments:
        if assessment.id == assessment_id:
            return assessment
    raise ValidationFailed([Problem(
        "assessment_id",
        "That assessment is not a current one of this patient's (it may have been amended since): "
        "choose one from the patient's list of assessments.",
    )])  # fmt: skip


def _first_of_episode(
    assessments: Sequence[AssessmentRecord], chosen: AssessmentRecord | None
) -> AssessmentRecord | None:
    """The first current assessment of the chosen one's episode: the baseline of a progress letter."""
    if chosen is None:
        return None
    return next(a for a in assessments if a.episode_id == chosen.episode_id)  # the chosen one at the latest


def _episode_of(episodes: Sequence[Episode], chosen: AssessmentRecord | None) -> Episode | None:
    """The chosen assessment's episode, else the open one (the newest open one: the list's order)."""
    if chosen is not None and chosen.episode_id is not None:
        found = next((e for e in episodes if e.id == chosen.episode_id), None)
        if found is not None:
            return found
    return next((e for e in episodes if e.status is EpisodeStatus.OPEN), None)


def _flags_for(
    unresolved: Sequence[RedFlagRecord], every: Sequence[RedFlagRecord], chosen: AssessmentRecord | None
) -> tuple[RedFlagRecord, ...]:
    """Unresolved flags (most urgent first), then the chosen assessment's resolved ones (oldest first)."""
    listed = {flag.id for flag in unresolved}
    resolved = [f for f in every if chosen is not None and f.assessment_id == chosen.id and f.id not in listed]
    return (*unresolved, *resolved)


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
