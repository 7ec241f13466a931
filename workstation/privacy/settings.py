"""The practice's retention rule (RELIABILITY.md G3): one setting, UK by default, changed only by admins.

A stored value that cannot be read (edited by hand, or written by a newer CalfDesk) is not replaced by
the default: a default shorter than the practice's own rule could allow an erasure the law forbids, so
erasure is refused until an administrator sets the rule again.
"""

from __future__ import annotations

from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import CalfDeskError, PermissionDenied, ValidationFailed
from workstation.ports import SettingsStore
from workstation.privacy.retention import DEFAULT_RULE, RetentionRule, parse_rule, rule_text
from workstation.problems import Problem
from workstation.security.accounts import Actor
from workstation.security.permissions import Action, require

RETENTION_RULE_KEY = "privacy.retention_rule"
RETENTION_RULE_FIELD = "retention_rule"


class RetentionSettings:
    def __init__(self, store: SettingsStore, auditor: Auditor) -> None:
        self._store = store
        self._auditor = auditor

    def rule(self) -> RetentionRule:
        """The practice's rule; the default (UK) when none was ever set.

        Raises:
            CalfDeskError: the stored rule cannot be read.
        """
        stored = self._store.get(RETENTION_RULE_KEY)
        if stored is None:
            return DEFAULT_RULE
        try:
            return parse_rule(stored)
        except ValueError:
            raise CalfDeskError(
                "The practice's retention rule is not one CalfDesk knows, so no record can be erased now.",
                hint="An administrator can set it again (uk, nsw, or us with the state's years).",
            ) from None

    def set_rule(self, admin: Actor, text: str) -> RetentionRule:
        """The caller has re-authenticated the admin first (D6).

        Raises:
            PermissionDenied: not an administrator (audited as a denial).
            ValidationFailed: text that names no rule.
        """
        try:
            require(admin, Action.CHANGE_AUDIT_SETTINGS)
        except PermissionDenied:
            self._auditor.record(AuditEvent.SETTING_CHANGED, admin, outcome=Outcome.DENIED, object_type="setting",
                                 object_id=RETENTION_RULE_KEY)  # fmt: skip
            raise
        try:
            rule = parse_rule(text)
        except ValueError as error:
            raise ValidationFailed([Problem(RETENTION_RULE_FIELD, f"{str(error).capitalize()}.")]) from None
        before = self._store.get(RETENTION_RULE_KEY) or rule_text(DEFAULT_RULE)
        self._store.put(RETENTION_RULE_KEY, rule_text(rule), at=self._auditor.now(), by=admin.user_id)
        self._auditor.record(
            AuditEvent.SETTING_CHANGED, admin, object_type="setting", object_id=RETENTION_RULE_KEY,
            detail=f"{before} -> {rule_text(rule)}",
        )  # fmt: skip
        return rule
