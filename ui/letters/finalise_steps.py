"""The steps before and after a letter is stored: whether it must be phoned first, what the confirmation
says (with what the letter prints without), the phone call dialog set up for this patient, the line that says
it was stored, and the question before a letter with typing in it is closed unsaved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.letters.gap_notice import confirmation_lines
from ui.letters.phone_call_dialog import CALL_TIERS, PhoneCallDialog
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError, ValidationFailed
from workstation.letters.document import Banner
from workstation.letters.flags import letter_flags, letter_tier
from workstation.letters.gaps import Gap
from workstation.letters.records import LetterFacts, LetterKind, LetterRequest, StoredLetter
from workstation.letters.stored import Stored


def _stored(facts: LetterFacts) -> Stored | None:
    return Stored.of(facts.assessment) if facts.assessment is not None else None


def call_tier(kind: LetterKind, facts: LetterFacts) -> str | None:
    """ "emergency" or "urgent" when the letter must be phoned first (CLINICAL.md 9.1), else None: the
    tier the letter's banner shows. A handout goes to the patient in person, so it asks for no call."""
    if kind is LetterKind.HANDOUT:
        return None
    tier = letter_tier(kind, facts, _stored(facts))
    return tier if tier in CALL_TIERS else None


def flag_codes(facts: LetterFacts) -> set[str]:
    """The red flags the letter carries: the chosen assessment's and every unresolved one."""
    return {flag.code for flag in letter_flags(facts, _stored(facts))}


def phone_call_dialog(
    tier: str,
    facts: LetterFacts,
    *,
    now: Callable[[], datetime],
    date_order: DateOrder,
    parent: QWidget,
    problem: str = "",
    gaps: Sequence[Gap] = (),
) -> PhoneCallDialog:
    """The call dialog with the GP's practice and number to hand, what the service said, if it refused, and
    what the letter prints without (the call is the last step before an urgent letter is stored)."""
    gp = facts.patient.gp
    practice = " · ".join(part for part in (gp.practice or gp.name, gp.phone) if part)
    dialog = PhoneCallDialog(tier, country=facts.clinic.country, dvt="dvt" in flag_codes(facts),
                             practice_line=f"The patient's GP: {practice}" if practice else "", now=now,
                             date_order=date_order, parent=parent)  # fmt: skip
    dialog.show_refusal(problem)
    dialog.show_gaps(confirmation_lines(gaps))
    return dialog


def confirmation_text(request: LetterRequest, pages: int, gaps: Sequence[Gap] = ()) -> str:
    """ "Finalise this referral letter to GP?  To: Dr Amara Singh · 3 pages ...", then what it prints without."""
    label = request.kind.label
    to = ", ".join(part for part in (request.recipient.name, request.recipient.practice) if part)
    if request.kind is LetterKind.HANDOUT:
        to = "the patient"
    details = " · ".join(part for part in (f"To: {to}" if to else "", f"{pages} page{'s' if pages != 1 else ''}"
                                           if pages else "") if part)  # fmt: skip
    missing = confirmation_lines(gaps)
    return (
        f"Finalise this {label[0].lower() + label[1:] if label[1:2].islower() else label}?\n{details}\n\n"
        + (f"{missing}\n\n" if missing else "")
        + "Once finalised it is stored exactly as previewed and cannot be changed; a correction is a new letter."
    )


def finalised_text(stored: StoredLetter) -> str:
    pages = f"{stored.page_count} page{'s' if stored.page_count != 1 else ''}"
    return f"Finalised: stored with SHA-256 {stored.sha256[:12]}…, {pages}. Reference {stored.reference}."


def stored_pages_text(stored: StoredLetter) -> str:
    """Over the pages once finalised: "The stored letter: 3 pages (PgUp/PgDn to turn)"."""
    return f"The stored letter: {stored.page_count} page{'s' if stored.page_count != 1 else ''} (PgUp/PgDn to turn)"


def confirm_discard(parent: QWidget) -> bool:
    """Closing a letter with typing in it: Discard, or Cancel (the default) to keep writing."""
    answer = QMessageBox.question(
        parent, "Discard this letter?", "Close without finalising? What you typed here will be lost.",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
    )  # fmt: skip
    return answer == QMessageBox.StandardButton.Discard


def tier_text(banner: Banner, kind: LetterKind, stored: StoredLetter | None) -> str:
    """The dialog's urgency strip: the letter's banner, then for an urgent letter that the call comes first
    (before finalising) or what was recorded (after)."""
    text = f"{banner.title} · {banner.text}"
    if banner.tier not in CALL_TIERS or kind is LetterKind.HANDOUT:
        return text
    if stored is None:
        return text + " Phone first: you will be asked to record the call when you finalise."
    call = stored.phone_call
    if call is None:
        return text
    recorded = "The phone call is recorded in the letter." if call.made else "No call: the reason is in the letter."
    return f"{text} {recorded}"


def error_text(error: CalfDeskError) -> str:
    """An expected error in plain words: a refused record says what each problem is, not its field names."""
    if isinstance(error, ValidationFailed) and error.problems:
        return " ".join(problem.message for problem in error.problems)
    return str(error)
