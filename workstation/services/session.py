"""One logged-in person's door to the records: the same repositories, with the rules in front.

``ClinicSession`` is a ``workstation.ports.Records``, so the window and the commands take it where they
took the plain store, and every look and change goes through the role's permissions and the audit.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.audit.auditor import Auditor
from workstation.audit.chain import ChainReport, verify_chain
from workstation.audit.records import AuditEntry, AuditEvent, Outcome
from workstation.exchange import spreadsheet
from workstation.ports import AuditQuery, ClinicStore
from workstation.security.accounts import Actor
from workstation.security.permissions import Action, is_allowed
from workstation.services.guarded import GuardedEpisodes, GuardedObservations, GuardedPatients, guard

if TYPE_CHECKING:
    from workstation.services.assessments import AssessmentService
    from workstation.services.clinic_settings import ClinicSettings
    from workstation.services.letters import LetterService
    from workstation.services.progress import ProgressService
    from workstation.services.record_exchange import RecordExchangeService
    from workstation.services.running import RunningLogService
    from workstation.services.squad_import import AthleteImportService
    from workstation.services.squads import SquadService

AUDIT_CSV_COLUMNS = (
    "sequence", "occurred_at_utc", "event", "action", "outcome", "user_id", "user_name", "role",
    "workstation", "patient_id", "object_type", "object_id", "detail", "entry_hash",
)  # fmt: skip


class ClinicSession:
    """The records as ``actor`` may see and change them (implements ``workstation.ports.Records``)."""

    def __init__(self, store: ClinicStore, actor: Actor, auditor: Auditor) -> None:
        self._store = store
        self.actor = actor
        self.auditor = auditor
        checks = guard(actor, auditor)
        self._patients = GuardedPatients(store.patients, checks)
        self._episodes = GuardedEpisodes(store.episodes, store.patients, checks)
        self._observations = GuardedObservations(store.observations, checks)
        self._guard = checks
        self._assessments: AssessmentService | None = None
        self._running_log: RunningLogService | None = None
        self._progress: ProgressService | None = None
        self._clinic_settings: ClinicSettings | None = None
        self._letters: LetterService | None = None
        self._squads: SquadService | None = None
        self._squad_import: AthleteImportService | None = None
        self._record_exchange: RecordExchangeService | None = None
        # Where the squad analytics' pseudonym key is kept: apart from the database (GDPR Art 4(5), G4).
        # None: the user's config folder (workstation.squads.pseudonyms.default_key_path).
        self.pseudonym_key_path: Path | None = None

    @property
    def patients(self) -> GuardedPatients:
        return self._patients

    @property
    def episodes(self) -> GuardedEpisodes:
        return self._episodes

    @property
    def observations(self) -> GuardedObservations:
        return self._observations

    @property
    def assessments(self) -> AssessmentService:
        """Assessment drafts, red flags and finalised assessments (the clinical engine loads with it)."""
        if self._assessments is None:
            from workstation.services.assessments import AssessmentService

            store = self._store
            self._assessments = AssessmentService(
                store.assessments, store.red_flags, store.drafts, self._guard, store.users
            )
        return self._assessments

    @property
    def running_log(self) -> RunningLogService:
        """The patient's running log: read, log, correct, delete and import runs."""
        if self._running_log is None:
            from workstation.services.running import RunningLogService

            self._running_log = RunningLogService(self._store.running_log, self._guard)
        return self._running_log

    @property
    def progress(self) -> ProgressService:
        """What the progress charts are drawn from, read in one go."""
        if self._progress is None:
            from workstation.services.progress import ProgressService

            store = self._store
            self._progress = ProgressService(
                store.patients, store.episodes, store.observations, store.assessments, store.red_flags,
                store.running_log, self._guard,
            )  # fmt: skip
        return self._progress

    @property
    def clinic_settings(self) -> ClinicSettings:
        """How the practice shows things (the distance unit, the letterhead, the country); only admins change them."""
        if self._clinic_settings is None:
            from workstation.services.clinic_settings import ClinicSettings

            self._clinic_settings = ClinicSettings(self._store.settings, self.auditor, self._store.clinic_images)
        return self._clinic_settings

    @property
    def letters(self) -> LetterService:
        """Letters: what they are written from, finalising, reading them back; clinicians' letter details."""
        if self._letters is None:
            from workstation.services.letters import LetterService

            store = self._store
            self._letters = LetterService(
                store.letters, store.clinician_profiles, store.red_flags, store.users, self.progress,
                self.clinic_settings, self._guard,
            )  # fmt: skip
        return self._letters

    @property
    def squads(self) -> SquadService:
        """Clubs, squads, membership, screening days, the dashboard and the pseudonymised analytics."""
        if self._squads is None:
            from workstation.services.squads import SquadService
            from workstation.squads.pseudonyms import default_key_path, load_or_create_key

            path = self.pseudonym_key_path or default_key_path()
            self._squads = SquadService(self._store, self._guard, lambda: load_or_create_key(path))
        return self._squads

    @property
    def squad_import(self) -> AthleteImportService:
        """Athletes from a club's CSV or XLSX file: read, map, preview, then commit all or nothing."""
        if self._squad_import is None:
            from workstation.services.squad_import import AthleteImportService

            self._squad_import = AthleteImportService(self._store, self._guard)
        return self._squad_import

    @property
    def record_exchange(self) -> RecordExchangeService:
        """Records leaving CalfDesk in standard forms: squad files, the FHIR bundle, record transfers."""
        if self._record_exchange is None:
            from workstation.services.record_exchange import RecordExchangeService

            self._record_exchange = RecordExchangeService(self._store, self._guard)
        return self._record_exchange

    @property
    def description(self) -> str:
        return self._store.description

    @property
    def read_only(self) -> bool:
        return self._store.read_only

    @property
    def warnings(self) -> list[str]:
        """What the window's amber banner says about the database (unsafe server settings, not yet
        encrypted, ...): never patient data."""
        return list(getattr(self._store, "warnings", []))

    def check_integrity(self) -> bool:
        return self._store.check_integrity()

    def cancel_integrity_check(self) -> None:
        self._store.cancel_integrity_check()

    def can(self, action: Action, *, club_consent: bool = False) -> bool:
        """Whether the role allows ``action`` (for showing buttons; the repositories enforce it anyway)."""
        return is_allowed(self.actor.role, action, club_consent=club_consent)

    def audit_entries(self, query: AuditQuery) -> list[AuditEntry]:
        """Entries matching ``query``, newest first; looking at the audit is itself audited."""
        return self._audited_query(query, Action.VIEW_AUDIT, AuditEvent.AUDIT_VIEWED)

    def audit_csv(self, query: AuditQuery) -> str:
        """The entries as CSV text (RFC 4180, formula-safe). The caller re-authenticates first (D6)."""
        return audit_csv_text(self._audited_query(query, Action.EXPORT_AUDIT, AuditEvent.AUDIT_EXPORTED))

    def _audited_query(self, query: AuditQuery, action: Action, event: AuditEvent) -> list[AuditEntry]:
        self._guard.require(action, event, patient_id=query.patient_id)
        entries = self._store.audit.query(query)
        self.auditor.record(
            event, self.actor, patient_id=query.patient_id, object_type="audit", detail=_describe(query, len(entries))
        )
        return entries

    def verify_audit(self, anchor: tuple[int, str] | None = None) -> ChainReport:
        self._guard.require(Action.VIEW_AUDIT, AuditEvent.AUDIT_VERIFIED)
        report = verify_chain(self._store.audit.in_order(), anchor)
        outcome = Outcome.SUCCESS if report.ok else Outcome.FAILURE
        self.auditor.record(
            AuditEvent.AUDIT_VERIFIED, self.actor, outcome=outcome, object_type="audit",
            detail=f"{report.checked} entries" + ("" if report.ok else f"; first broken {report.first_broken}"),
        )  # fmt: skip
        return report


def _describe(query: AuditQuery, count: int) -> str:
    parts = [f"{count} entries"]
    if query.user_id is not None:
        parts.append(f"user {query.user_id}")
    if query.event is not None:
        parts.append(query.event.value)
    if query.since is not None:
        parts.append(f"since {query.since.isoformat()}")
    if query.until is not None:
        parts.append(f"until {query.until.isoformat()}")
    return "; ".join(parts)


def audit_csv_text(entries: list[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(AUDIT_CSV_COLUMNS)
    for entry in entries:
        writer.writerow([_cell(value) for value in _row(entry)])
    return out.getvalue()


def _row(entry: AuditEntry) -> list[object]:
    return [
        entry.sequence, _utc(entry.occurred_at), entry.event.value, entry.action.value, entry.outcome.value,
        entry.user_id, entry.user_name, entry.role, entry.workstation, entry.patient_id, entry.object_type,
        entry.object_id, entry.detail, entry.entry_hash,
    ]  # fmt: skip


def _utc(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def formula_safe(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs (RELIABILITY.md H2): one rule for every export."""
    return spreadsheet.formula_safe(text)


def _cell(value: object) -> str:
    return "" if value is None else formula_safe(str(value))
