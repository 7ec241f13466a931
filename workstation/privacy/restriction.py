"""Restriction of processing (GDPR Art 18, RELIABILITY.md G2): the record is kept and can be read and
exported, but nothing in it can be changed until an administrator lifts the restriction.

The database refuses the changes itself (triggers of migration 0005), so no screen or command can forget
to; ``ProcessingRestricted`` is the message those refusals become.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from workstation.errors import CalfDeskError
from workstation.privacy.retention import long_date


class Grounds(StrEnum):
    """GDPR Art 18(1): why processing is restricted. Stored by value; never free text."""

    ACCURACY_CONTESTED = "accuracy_contested"  # (a) while the accuracy is checked
    UNLAWFUL_KEEP_INSTEAD = "unlawful_keep_instead"  # (b) the patient wants it kept rather than erased
    LEGAL_CLAIMS = "legal_claims"  # (c) the patient needs it for a legal claim
    OBJECTION_PENDING = "objection_pending"  # (d) while an objection is considered

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Grounds.ACCURACY_CONTESTED: "The patient contests its accuracy (while it is checked)",
    Grounds.UNLAWFUL_KEEP_INSTEAD: "The patient asked for it to be kept rather than erased",
    Grounds.LEGAL_CLAIMS: "The patient needs it for a legal claim",
    Grounds.OBJECTION_PENDING: "The patient objected (while the objection is considered)",
}


@dataclass(frozen=True, slots=True)
class Restriction:
    patient_id: int
    grounds: Grounds
    since: datetime  # UTC
    by_user_id: int | None

    @property
    def notice(self) -> str:
        """What the patient banner says while the restriction lasts."""
        return (
            f"Processing of this record is restricted (since {long_date(self.since.date())}: "
            f"{self.grounds.label.lower()}). It is kept and can be read, but not changed."
        )


# The message of every refusal by migration 0005's triggers (the migration keeps its own copy, as
# migrations never import the code that changes after them; a test keeps the two equal).
TRIGGER_REFUSAL = "calfdesk: processing of this record is restricted"
RESTRICTED_MESSAGE = "Processing of this patient's record is restricted, so it cannot be changed."
RESTRICTED_HINT = "Nothing was saved. An administrator can lift the restriction (Patient menu)."


class ProcessingRestricted(CalfDeskError):
    """A change to a restricted record, or its erasure, was refused."""

    def __init__(self, message: str = RESTRICTED_MESSAGE, *, hint: str = RESTRICTED_HINT) -> None:
        super().__init__(message, hint=hint)
