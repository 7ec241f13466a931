"""Audit entries (RELIABILITY.md F1): ISO 27789 / IHE ATNA fields, and nothing that names a patient.

``detail`` is for ids, counts and setting names only: never a name, a note or any other record value,
because the audit is exported and read by people who may not see the record itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AuditAction(StrEnum):
    """IHE ATNA EventActionCode."""

    CREATE = "C"
    READ = "R"
    UPDATE = "U"
    DELETE = "D"
    EXECUTE = "E"


class Outcome(StrEnum):
    SUCCESS = "success"
    DENIED = "denied"  # the role does not allow it
    FAILURE = "failure"  # tried and failed (a wrong password, a refused save)


class AuditEvent(StrEnum):
    """What happened. Each has one action code (``action``)."""

    PATIENT_CREATED = "patient.created"
    PATIENT_VIEWED = "patient.viewed"
    PATIENT_UPDATED = "patient.updated"
    PATIENT_LIST_EXPORTED = "patient_list.exported"  # calfdesk patients list
    EPISODE_CREATED = "episode.created"
    EPISODE_UPDATED = "episode.updated"
    OBSERVATION_RECORDED = "observation.recorded"
    ASSESSMENT_FINALISED = "assessment.finalised"
    ASSESSMENT_DRAFT_SAVED = "assessment.draft_saved"  # audited only when refused (drafts save as one types)
    ASSESSMENT_AMENDED = "assessment.amended"  # a new, linked version; the original is kept
    ASSESSMENT_VIEWED = "assessment.viewed"
    ASSESSMENT_IMPORTED = "assessment.imported"  # calfdesk assessment import
    ASSESSMENT_EXPORTED = "assessment.exported"  # the contract's JSON, from the app or the command line
    RED_FLAG_RAISED = "red_flag.raised"
    RED_FLAG_RESOLVED = "red_flag.resolved"  # the action taken was recorded
    DEMO_DATA_ADDED = "demo_data.added"
    LOGIN = "session.login"
    LOGIN_FAILED = "session.login_failed"
    ACCOUNT_LOCKED_OUT = "session.locked_out"
    LOGOUT = "session.logout"
    SESSION_LOCKED = "session.locked"
    SESSION_UNLOCKED = "session.unlocked"
    REAUTHENTICATED = "session.reauthenticated"
    USER_CREATED = "user.created"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    USER_UNLOCKED = "user.unlocked"
    PASSWORD_RESET = "user.password_reset"
    PASSWORD_CHANGED = "user.password_changed"
    SETTING_CHANGED = "setting.changed"
    AUDIT_VIEWED = "audit.viewed"
    AUDIT_EXPORTED = "audit.exported"
    AUDIT_VERIFIED = "audit.verified"
    OBSERVATION_CORRECTED = "observation.corrected"  # a new, linked version; the original is kept (I2)
    PATIENT_EXPORTED = "patient.exported"  # everything held about one patient (subject access, G1)
    PATIENT_RESTRICTED = "patient.restricted"  # processing restricted, or the restriction lifted (G2)
    PATIENT_ERASED = "patient.erased"  # erased after the retention period; refusals have outcome denied
    BACKUP_CREATED = "backup.created"
    BACKUP_RESTORED = "backup.restored"
    DATABASE_VERIFIED = "database.verified"
    DATABASE_ENCRYPTED = "database.encrypted"  # a database from before encryption was converted
    RECOVERY_KEY_ISSUED = "recovery_key.issued"
    RECOVERY_KEY_USED = "recovery_key.used"
    RUN_LOGGED = "run.logged"  # one run added to a patient's running log
    RUN_CHANGED = "run.changed"
    RUN_DELETED = "run.deleted"
    RUNS_IMPORTED = "runs.imported"  # a whole file at once: one entry with the count and the source
    LETTER_FINALISED = "letter.finalised"  # stored with its PDF, never changed; detail: kind, urgency, pages, sha
    LETTER_VIEWED = "letter.viewed"  # the list of a patient's letters, or one letter's PDF opened
    LETTER_EXPORTED = "letter.exported"  # its PDF saved to a file
    LETTER_PRINTED = "letter.printed"  # its PDF sent to a printer
    CLINICIAN_PROFILE_CHANGED = "clinician_profile.changed"  # profession, registration, contact or signature
    CLUB_CREATED = "club.created"
    SQUAD_CREATED = "squad.created"
    SQUAD_CHANGED = "squad.changed"  # name, season, coach contacts, archived
    SQUAD_MEMBERSHIP_CHANGED = "squad.membership_changed"  # an athlete joined or left; detail: squad id
    SQUAD_VIEWED = "squad.viewed"  # a squad's list, dashboard or screening opened
    ATHLETES_IMPORTED = "athletes.imported"  # one entry per file: squad id and counts, never names
    SCREENING_STARTED = "screening.started"
    SCREENING_ENTRY_SAVED = "screening.entry_saved"  # audited only when refused (rows save as one types)
    SCREENING_COMPLETED = "screening.completed"  # detail: squad id, athletes, observations stored
    SQUAD_EXPORTED = "squad.exported"  # CSV, XLSX or the PDF report; detail: squad id, format, rows
    SQUAD_ANALYTICS_EXPORTED = "squad.analytics_exported"  # the pseudonymised analytics file (G4)
    PATIENT_FHIR_EXPORTED = "patient.fhir_exported"  # the FHIR R4 Bundle of one patient
    RECORD_TRANSFER_EXPORTED = "record_transfer.exported"  # one patient's record for another CalfDesk
    RECORD_TRANSFER_IMPORTED = "record_transfer.imported"  # a record from another CalfDesk, stored as new

    @property
    def action(self) -> AuditAction:
        return _ACTIONS[self]


_C, _R, _U, _D, _E = AuditAction.CREATE, AuditAction.READ, AuditAction.UPDATE, AuditAction.DELETE, AuditAction.EXECUTE
_ACTIONS = {
    AuditEvent.PATIENT_CREATED: _C,
    AuditEvent.PATIENT_VIEWED: _R,
    AuditEvent.PATIENT_UPDATED: _U,
    AuditEvent.PATIENT_LIST_EXPORTED: _R,
    AuditEvent.EPISODE_CREATED: _C,
    AuditEvent.EPISODE_UPDATED: _U,
    AuditEvent.OBSERVATION_RECORDED: _C,
    AuditEvent.ASSESSMENT_FINALISED: _C,
    AuditEvent.ASSESSMENT_DRAFT_SAVED: _U,
    AuditEvent.ASSESSMENT_AMENDED: _U,
    AuditEvent.ASSESSMENT_VIEWED: _R,
    AuditEvent.ASSESSMENT_IMPORTED: _C,
    AuditEvent.ASSESSMENT_EXPORTED: _R,
    AuditEvent.RED_FLAG_RAISED: _C,
    AuditEvent.RED_FLAG_RESOLVED: _U,
    AuditEvent.DEMO_DATA_ADDED: _C,
    AuditEvent.LOGIN: _E,
    AuditEvent.LOGIN_FAILED: _E,
    AuditEvent.ACCOUNT_LOCKED_OUT: _E,
    AuditEvent.LOGOUT: _E,
    AuditEvent.SESSION_LOCKED: _E,
    AuditEvent.SESSION_UNLOCKED: _E,
    AuditEvent.REAUTHENTICATED: _E,
    AuditEvent.USER_CREATED: _C,
    AuditEvent.USER_ROLE_CHANGED: _U,
    AuditEvent.USER_DEACTIVATED: _U,
    AuditEvent.USER_REACTIVATED: _U,
    AuditEvent.USER_UNLOCKED: _U,
    AuditEvent.PASSWORD_RESET: _U,
    AuditEvent.PASSWORD_CHANGED: _U,
    AuditEvent.SETTING_CHANGED: _U,
    AuditEvent.AUDIT_VIEWED: _R,
    AuditEvent.AUDIT_EXPORTED: _R,
    AuditEvent.AUDIT_VERIFIED: _E,
    AuditEvent.OBSERVATION_CORRECTED: _U,
    AuditEvent.PATIENT_EXPORTED: _R,
    AuditEvent.PATIENT_RESTRICTED: _U,
    AuditEvent.PATIENT_ERASED: _D,
    AuditEvent.BACKUP_CREATED: _E,
    AuditEvent.BACKUP_RESTORED: _E,
    AuditEvent.DATABASE_VERIFIED: _E,
    AuditEvent.DATABASE_ENCRYPTED: _E,
    AuditEvent.RECOVERY_KEY_ISSUED: _E,
    AuditEvent.RECOVERY_KEY_USED: _E,
    AuditEvent.RUN_LOGGED: _C,
    AuditEvent.RUN_CHANGED: _U,
    AuditEvent.RUN_DELETED: _D,
    AuditEvent.RUNS_IMPORTED: _C,
    AuditEvent.LETTER_FINALISED: _C,
    AuditEvent.LETTER_VIEWED: _R,
    AuditEvent.LETTER_EXPORTED: _R,
    AuditEvent.LETTER_PRINTED: _R,
    AuditEvent.CLINICIAN_PROFILE_CHANGED: _U,
    AuditEvent.CLUB_CREATED: _C,
    AuditEvent.SQUAD_CREATED: _C,
    AuditEvent.SQUAD_CHANGED: _U,
    AuditEvent.SQUAD_MEMBERSHIP_CHANGED: _U,
    AuditEvent.SQUAD_VIEWED: _R,
    AuditEvent.ATHLETES_IMPORTED: _C,
    AuditEvent.SCREENING_STARTED: _C,
    AuditEvent.SCREENING_ENTRY_SAVED: _U,
    AuditEvent.SCREENING_COMPLETED: _C,
    AuditEvent.SQUAD_EXPORTED: _R,
    AuditEvent.SQUAD_ANALYTICS_EXPORTED: _R,
    AuditEvent.PATIENT_FHIR_EXPORTED: _R,
    AuditEvent.RECORD_TRANSFER_EXPORTED: _R,
    AuditEvent.RECORD_TRANSFER_IMPORTED: _C,
}


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit row. ``sequence``, ``previous_hash`` and ``entry_hash`` are set by the log on append."""

    event: AuditEvent
    outcome: Outcome
    occurred_at: datetime  # timezone-aware UTC
    user_id: int | None  # None before anyone is known (a failed login for an unknown name)
    user_name: str  # as typed at login or as the account is named: who, even if the account changes
    role: str  # the role at the time ("" when unknown)
    workstation: str
    patient_id: int | None = None  # the subject of care, when there is one
    object_type: str = ""  # "patient", "episode", "user", "setting", "audit", ...
    object_id: str = ""
    detail: str = ""  # ids, counts, setting names; never names or clinical text
    sequence: int | None = None
    previous_hash: str = ""
    entry_hash: str = ""

    @property
    def action(self) -> AuditAction:
        return self.event.action
