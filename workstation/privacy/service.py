"""The privacy use cases: export everything, restrict processing, erase (RELIABILITY.md G1-G3, D6).

Each is for administrators only and asks for the password again (the password is an argument, checked
here before anything is read or changed, so no caller can skip it). Every attempt is audited, refusals
included; the audit names the patient by id and says which rule or count applied, never a value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import CalfDeskError, PermissionDenied
from workstation.privacy.export_files import ExportedFiles, SummaryRenderer, write_export
from workstation.privacy.letter_files import ExportedLetterDamaged
from workstation.privacy.ports import PatientFileReader, PrivacyStore
from workstation.privacy.restriction import Grounds, ProcessingRestricted, Restriction
from workstation.privacy.retention import RetentionDecision, RetentionHold, keep_until
from workstation.privacy.settings import RetentionSettings
from workstation.privacy.subject_access import PatientFile
from workstation.security.accounts import Actor
from workstation.security.permissions import Action, is_allowed

Reauthenticate = Callable[[Actor, str], None]  # workstation.services.accounts.Accounts.reauthenticate

# There is no action of its own for restriction: it is part of handling erasure requests (Art 17/18).
_RESTRICT = Action.ERASE_PATIENT
_ONLY_ADMINS = "Only an administrator can {what}."


@dataclass(frozen=True, slots=True)
class ErasureReport:
    patient_id: int
    deleted: Mapping[str, int]  # rows per table

    @property
    def detail(self) -> str:
        return ", ".join(f"{count} {table}" for table, count in sorted(self.deleted.items()) if count)


class PatientPrivacy:
    def __init__(
        self,
        files: PatientFileReader,
        store: PrivacyStore,
        settings: RetentionSettings,
        auditor: Auditor,
        reauthenticate: Reauthenticate,
        today: Callable[[], date],
    ) -> None:
        self._files = files
        self._store = store
        self.settings = settings
        self._auditor = auditor
        self._reauthenticate = reauthenticate
        self._today = today

    def export(
        self, actor: Actor, patient_id: int, password: str, folder: Path, *, render_pdf: SummaryRenderer
    ) -> ExportedFiles:
        """Write everything held about the patient into ``folder`` (G1); audited as PATIENT_EXPORTED.

        The JSON, the summary as text and as PDF (``render_pdf``), and each letter's PDF as finalised.

        Raises:
            PermissionDenied, AuthenticationFailed, RecordNotFound, LetterDamaged (a letter no longer
            matches its fingerprint), CalfDeskError (the folder). Nothing is left written after any of them.
        """
        event = AuditEvent.PATIENT_EXPORTED
        self._require(actor, Action.EXPORT_PATIENT_RECORD, event, patient_id, "export everything held about a patient")
        self._reauthenticate(actor, password)
        tables = self._files.read(patient_id)
        file = PatientFile(patient_id, self._auditor.now(), actor.user_name, tables)
        try:
            written = write_export(folder, file, render_pdf=render_pdf)
        except ExportedLetterDamaged as error:
            self._record(event, actor, patient_id, error.audit_detail, Outcome.FAILURE)
            raise
        except CalfDeskError:
            self._record(event, actor, patient_id, "could not write the files", Outcome.FAILURE)
            raise
        try:
            self._record(event, actor, patient_id, f"{file.row_count} rows from {len(tables)} tables")
        except BaseException:
            written.remove()  # an export nobody can account for must not be left behind
            raise
        return written

    def restriction(self, patient_id: int) -> Restriction | None:
        """The record's restriction, for the banner (a flag, not a look at the record)."""
        return self._store.restriction(patient_id)

    def restrict(self, actor: Actor, patient_id: int, grounds: Grounds, password: str) -> Restriction:
        event = AuditEvent.PATIENT_RESTRICTED
        self._require(actor, _RESTRICT, event, patient_id, "restrict processing of a record")
        self._reauthenticate(actor, password)
        self._store.retention_facts(patient_id)  # RecordNotFound for a patient who does not exist
        restriction = Restriction(patient_id, grounds, self._auditor.now(), actor.user_id)
        stored = self._store.restrict(restriction)
        self._record(event, actor, patient_id, f"restricted: {stored.grounds.value}")
        return stored

    def lift_restriction(self, actor: Actor, patient_id: int, password: str) -> None:
        event = AuditEvent.PATIENT_RESTRICTED
        self._require(actor, _RESTRICT, event, patient_id, "lift a restriction of processing")
        self._reauthenticate(actor, password)
        if self._store.lift_restriction(patient_id):
            self._record(event, actor, patient_id, "lifted")

    def check_erasure(self, actor: Actor, patient_id: int) -> RetentionDecision:
        """Whether the record may be erased today; a refusal is audited and raised (G2).

        Raises:
            PermissionDenied; RetentionHold (with the date and the reason); ProcessingRestricted.
        """
        event = AuditEvent.PATIENT_ERASED
        self._require(actor, Action.ERASE_PATIENT, event, patient_id, "erase a patient's record")
        decision = keep_until(self._store.retention_facts(patient_id), self.settings.rule())
        if not decision.allows_erasure_on(self._today()):
            self._record(event, actor, patient_id, f"retention hold ({decision.basis})", Outcome.DENIED)
            raise RetentionHold(decision)
        if self._store.restriction(patient_id) is not None:
            self._record(event, actor, patient_id, "processing restricted", Outcome.DENIED)
            raise ProcessingRestricted(
                "This record cannot be erased while its processing is restricted.",
                hint="Nothing was erased. Lift the restriction first, if the patient's request allows it.",
            )
        return decision

    def erase(self, actor: Actor, patient_id: int, password: str) -> ErasureReport:
        """Delete everything about the patient except the audit's ids (G2); audited as PATIENT_ERASED.

        Raises:
            PermissionDenied, AuthenticationFailed, RetentionHold, ProcessingRestricted, RecordNotFound.
        """
        self._require(actor, Action.ERASE_PATIENT, AuditEvent.PATIENT_ERASED, patient_id, "erase a patient's record")
        self._reauthenticate(actor, password)
        decision = self.check_erasure(actor, patient_id)
        report = ErasureReport(patient_id, self._store.erase(patient_id))
        self._record(AuditEvent.PATIENT_ERASED, actor, patient_id, f"{decision.basis} ended; deleted {report.detail}")
        return report

    def _require(self, actor: Actor, action: Action, event: AuditEvent, patient_id: int, what: str) -> None:
        if not is_allowed(actor.role, action):
            self._record(event, actor, patient_id, action.value, Outcome.DENIED)
            raise PermissionDenied(_ONLY_ADMINS.format(what=what))

    def _record(
        self, event: AuditEvent, actor: Actor, patient_id: int, detail: str, outcome: Outcome = Outcome.SUCCESS
    ) -> None:
        self._auditor.record(
            event, actor, outcome=outcome, patient_id=patient_id, object_type="patient", object_id=patient_id,
            detail=detail,
        )  # fmt: skip
