"""The practice's security settings: typed, checked, changed only by admins, and every change audited.

One declaration per setting (key, default, rule), so an unknown key is an error rather than a silent
default. The idle-lock timeout is practice-wide on purpose: a shared treatment room is the practice's
decision, not one workstation's (RELIABILITY.md D5).
"""

from __future__ import annotations

from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import PermissionDenied, ValidationFailed
from workstation.ports import SettingsStore
from workstation.problems import Problem
from workstation.security.accounts import Actor
from workstation.security.permissions import Action, require
from workstation.security.session_policy import IDLE_LOCK_DEFAULT_MINUTES, IDLE_MINUTES_FIELD, idle_minutes_problems

IDLE_LOCK_MINUTES_KEY = "security.idle_lock_minutes"


class SecuritySettings:
    def __init__(self, store: SettingsStore, auditor: Auditor) -> None:
        self._store = store
        self._auditor = auditor

    def idle_lock_minutes(self) -> int:
        """The stored timeout, or the default; a value out of range (edited by hand) falls back to it."""
        stored = self._store.get(IDLE_LOCK_MINUTES_KEY)
        if stored is None or not stored.isdigit() or idle_minutes_problems(int(stored)):
            return IDLE_LOCK_DEFAULT_MINUTES
        return int(stored)

    def set_idle_lock_minutes(self, admin: Actor, minutes: int) -> None:
        """The caller has re-authenticated the admin first (D6).

        Raises:
            PermissionDenied: not an administrator (audited as a denial).
            ValidationFailed: outside 1-30 minutes.
        """
        try:
            require(admin, Action.CHANGE_AUDIT_SETTINGS)
        except PermissionDenied:
            self._auditor.record(AuditEvent.SETTING_CHANGED, admin, outcome=Outcome.DENIED, object_type="setting",
                                 object_id=IDLE_LOCK_MINUTES_KEY)  # fmt: skip
            raise
        problems = idle_minutes_problems(minutes)
        if problems:
            raise ValidationFailed([Problem(IDLE_MINUTES_FIELD, p.message, p.severity) for p in problems])
        before = self.idle_lock_minutes()
        self._store.put(IDLE_LOCK_MINUTES_KEY, str(minutes), at=self._auditor.now(), by=admin.user_id)
        self._auditor.record(
            AuditEvent.SETTING_CHANGED, admin, object_type="setting", object_id=IDLE_LOCK_MINUTES_KEY,
            detail=f"{before} -> {minutes} minutes",
        )  # fmt: skip
