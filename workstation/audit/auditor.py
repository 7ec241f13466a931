"""Write audit entries: one call per event, with who, where and when filled in the same way every time.

A database opened read-only (a backup on a read-only medium, a damaged file) cannot take entries. Looking
at records is still allowed then, so each entry goes to the application log instead, with ids only, and
``unwritten`` counts them for the window to say so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from workstation.audit.records import AuditEntry, AuditEvent, Outcome
from workstation.errors import ReadOnlyDatabase
from workstation.ports import AuditLog
from workstation.security.accounts import Actor

_log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Auditor:
    """Appends entries to the log for one workstation (RELIABILITY.md F1)."""

    def __init__(self, log: AuditLog, workstation: str, now: Callable[[], datetime] = utc_now) -> None:
        self.log = log
        self.workstation = workstation
        self.now = now
        self.unwritten = 0

    def record(
        self,
        event: AuditEvent,
        actor: Actor | None,
        *,
        outcome: Outcome = Outcome.SUCCESS,
        user_name: str = "",
        patient_id: int | None = None,
        object_type: str = "",
        object_id: object = "",
        detail: str = "",
    ) -> AuditEntry:
        """Append one entry. ``user_name`` is for events without an actor (a failed login: what was typed)."""
        entry = AuditEntry(
            event=event,
            outcome=outcome,
            occurred_at=self.now(),
            user_id=actor.user_id if actor else None,
            user_name=actor.user_name if actor else user_name[:100],
            role=actor.role.value if actor else "",
            workstation=self.workstation,
            patient_id=patient_id,
            object_type=object_type,
            object_id="" if object_id is None else str(object_id),
            detail=detail,
        )
        try:
            return self.log.append(entry)
        except ReadOnlyDatabase:
            self.unwritten += 1
            _log.warning(
                "read-only database, audit entry kept in this log only: %s %s user=%s patient=%s object=%s:%s",
                entry.event.value, entry.outcome.value, entry.user_id, entry.patient_id, entry.object_type,
                entry.object_id,
            )  # fmt: skip
            return entry
