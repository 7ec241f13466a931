"""The red flags a letter must carry, and the urgency tier of the letter.

A raised red flag never disappears from a letter (RELIABILITY.md J3): the letter lists every flag of the
chosen assessment's stored evaluation, and every stored flag the facts bring (unresolved ones, and those of
the chosen assessment), each once, with the action recorded for it or "No action recorded yet".
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.assessment.records import RedFlagRecord
from workstation.letters.document import Tier
from workstation.letters.records import LetterFacts, LetterKind
from workstation.letters.stored import Stored, as_dict, text
from workstation.letters.wording import LOCKED_RAISED, LOCKED_UNRESOLVED, PATHWAY_TIERS, TIERS

NO_ACTION_YET = "No action recorded yet"
_RANK: dict[str, int] = {tier: rank for rank, tier in enumerate(TIERS)}
_UNKNOWN_TIER_RANK = _RANK["soon"]  # a stored tier that cannot be read counts as a flag, never as routine


@dataclass(frozen=True, slots=True)
class LetterFlag:
    code: str
    tier: str  # as stored: "emergency" | "urgent" | "soon"
    message: str
    action: str  # "" when none is recorded

    @property
    def rank(self) -> int:
        return _RANK.get(self.tier, _UNKNOWN_TIER_RANK)


def letter_flags(facts: LetterFacts, stored: Stored | None) -> tuple[LetterFlag, ...]:
    """Every flag the letter carries, most urgent first (the evaluation's order within a tier)."""
    records = list(facts.red_flags)  # each stored flag is printed once, beside its evaluation entry or alone
    found: list[LetterFlag] = []
    if stored is not None:
        actions = as_dict(stored.detail.get("red_flag_actions"))
        for flag in stored.flags:
            code = str(flag.get("code") or "")
            record = _take(records, code, stored.record.id)
            recorded = record.action if record is not None else None
            action = recorded.strip() if recorded is not None else text(actions.get(code))
            tier, message = str(flag.get("tier") or "soon"), str(flag.get("message") or "")
            found.append(LetterFlag(code, tier, message, action))
    found.extend(_of_record(record) for record in records)
    return tuple(sorted(found, key=lambda flag: -flag.rank))


def _take(records: list[RedFlagRecord], code: str, assessment_id: int | None) -> RedFlagRecord | None:
    """Remove and return the stored flag of this assessment with this code, if the facts have one."""
    for index, record in enumerate(records):
        if record.code == code and record.assessment_id == assessment_id and assessment_id is not None:
            return records.pop(index)
    return None


def _of_record(record: RedFlagRecord) -> LetterFlag:
    return LetterFlag(record.code, record.tier, record.message, (record.action or "").strip())


def letter_tier(kind: LetterKind, facts: LetterFacts, stored: Stored | None) -> Tier:
    """The banner's tier: the highest of the assessment's stored urgency, the unresolved flags' tiers and, for
    a referral, the tier its pathway implies (CLINICAL.md 5.3, 5.4: a CECS or bone-stress referral is "soon").

    A discharge summary takes no pathway tier: the episode is ending, and its flags already count.
    """
    ranks = [_RANK.get(flag.tier, _UNKNOWN_TIER_RANK) for flag in facts.red_flags if flag.action is None]
    if stored is not None:
        ranks.append(_RANK.get(stored.urgency, _RANK["routine"]))
        if kind is not LetterKind.DISCHARGE and stored.pathway in PATHWAY_TIERS:
            ranks.append(_RANK[PATHWAY_TIERS[stored.pathway]])
    return TIERS[max(ranks, default=0)]


def lock_reason(facts: LetterFacts, stored: Stored | None) -> str:
    """Why the red-flag section cannot be left out ("" when nothing is raised)."""
    if any(flag.action is None for flag in facts.red_flags):
        return LOCKED_UNRESOLVED
    if facts.red_flags or (stored is not None and stored.flags):
        return LOCKED_RAISED
    return ""
