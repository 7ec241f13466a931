"""Which sections each document offers, in print order, which are ticked by default, and which are locked.

The order follows CLINICAL.md 9.1 (numbered body headings) and, for the Australian care-plan report, 9.2.
A section that has nothing to show for this patient is not offered (no body chart without marked regions,
no charts without two heel-raise tests in the episode). The red-flag section is locked on while any red flag
is raised: it stays on the letter until an action is recorded (RELIABILITY.md J3), and on a handout the
safety-net advice is locked on for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.letters.flags import lock_reason
from workstation.letters.letter_charts import MIN_HEEL_RAISE_VISITS, heel_raise_visits
from workstation.letters.records import LetterFacts, LetterKind, LetterRequest, Recipient, SectionKey
from workstation.letters.stored import Stored
from workstation.letters.wording import LOCKED_HANDOUT, SECTION_LABELS

_S = SectionKey
ORDER: dict[LetterKind, tuple[SectionKey, ...]] = {
    LetterKind.GP_REFERRAL: (_S.REQUEST, _S.HISTORY, _S.RELEVANT_HISTORY, _S.FINDINGS, _S.BODY_CHART, _S.CHARTS,
                             _S.RED_FLAGS, _S.IMPRESSION, _S.PLAN, _S.SAFETY_NET, _S.GOALS),
    LetterKind.PROGRESS: (_S.REQUEST, _S.OUTCOMES, _S.FINDINGS, _S.CHARTS, _S.RED_FLAGS, _S.IMPRESSION, _S.PLAN,
                          _S.RUNNING, _S.GOALS),
    LetterKind.DISCHARGE: (_S.DISCHARGE, _S.OUTCOMES, _S.FINDINGS, _S.CHARTS, _S.RED_FLAGS, _S.PLAN, _S.RUNNING,
                           _S.SAFETY_NET),
    LetterKind.CARE_PLAN_REPORT: (_S.REQUEST, _S.FINDINGS, _S.OUTCOMES, _S.IMPRESSION, _S.PLAN, _S.RED_FLAGS,
                                  _S.GOALS),
    LetterKind.HANDOUT: (_S.EXERCISES, _S.RUNNING, _S.SAFETY_NET),
}  # fmt: skip
# Sections that quote a finalised assessment: offered without one (they then say so), but not ticked.
NEEDS_ASSESSMENT = frozenset(
    {_S.HISTORY, _S.RELEVANT_HISTORY, _S.FINDINGS, _S.IMPRESSION, _S.OUTCOMES, _S.PLAN, _S.EXERCISES, _S.GOALS}
)


@dataclass(frozen=True, slots=True)
class SectionChoice:
    """One tick box. ``locked`` says why it cannot be unticked ("" when it can)."""

    key: SectionKey
    label: str
    default_on: bool
    locked: str = ""


def sections_for(kind: LetterKind, facts: LetterFacts) -> tuple[SectionChoice, ...]:
    """The sections ``kind`` offers for this patient, in print order."""
    return choices_for(kind, facts, Stored.of(facts.assessment) if facts.assessment is not None else None)


def choices_for(kind: LetterKind, facts: LetterFacts, stored: Stored | None) -> tuple[SectionChoice, ...]:
    """As ``sections_for``, with the chosen assessment already read (``stored``)."""
    raised = lock_reason(facts, stored)
    choices = []
    for key in ORDER[kind]:
        if not _offered(key, facts, stored):
            continue
        locked = ""
        if key is _S.RED_FLAGS:
            locked = raised
        elif kind is LetterKind.HANDOUT and key is _S.SAFETY_NET and raised:
            locked = LOCKED_HANDOUT
        default_on = bool(locked) or _default_on(kind, key, facts)
        choices.append(SectionChoice(key, SECTION_LABELS[key], default_on, locked))
    return tuple(choices)


def _offered(key: SectionKey, facts: LetterFacts, stored: Stored | None) -> bool:
    if key is _S.BODY_CHART:
        return stored is not None and bool(stored.regions)
    if key is _S.CHARTS:
        return heel_raise_visits(facts) >= MIN_HEEL_RAISE_VISITS
    return True


def _default_on(kind: LetterKind, key: SectionKey, facts: LetterFacts) -> bool:
    if kind is LetterKind.HANDOUT:
        return True  # a handout without a programme says so in the patient's words (and a pause is news)
    if facts.assessment is None:
        return key not in NEEDS_ASSESSMENT
    if key is _S.OUTCOMES:
        return has_baseline(facts)
    return True


def has_baseline(facts: LetterFacts) -> bool:
    """A first assessment to compare with, other than the chosen one."""
    first, chosen = facts.first_assessment, facts.assessment
    return first is not None and chosen is not None and (first.id != chosen.id or first.uid != chosen.uid)


def locked_keys(kind: LetterKind, facts: LetterFacts) -> frozenset[SectionKey]:
    return frozenset(choice.key for choice in sections_for(kind, facts) if choice.locked)


def default_request(kind: LetterKind, facts: LetterFacts) -> LetterRequest:
    """The request as the letter dialog opens: recipient from the patient's GP (none for a handout), the
    default sections ticked, the chosen assessment, and no edits (every text from the record).

    Raises:
        ValueError: for a patient not saved yet (a letter belongs to a stored record).
    """
    if facts.patient.id is None:
        raise ValueError("an unsaved patient has no letters")
    gp = facts.patient.gp
    recipient = Recipient() if kind is LetterKind.HANDOUT else Recipient(gp.name, gp.practice, gp.address)
    sections = frozenset(choice.key for choice in sections_for(kind, facts) if choice.default_on)
    return LetterRequest(
        kind=kind,
        patient_id=facts.patient.id,
        assessment_id=facts.assessment.id if facts.assessment is not None else None,
        recipient=recipient,
        sections=sections,
        copy_to_patient=kind is not LetterKind.HANDOUT,
    )
