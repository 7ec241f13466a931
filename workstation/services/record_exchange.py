"""Records leaving CalfDesk in standard forms, and a record arriving from another CalfDesk.

Each use case checks the role first (``guard.require``, a refusal audited) and writes one audit entry
with ids and counts, never names. The squad files, the report and the analytics are made from what the
caller read through ``session.squads`` (which holds the pseudonym key and hides what the role may not
see); they are checked again here, so a dashboard with clinical values never leaves in a file of someone
who may not see them. The record exports and the import are for administrators, who type their password
again first (RELIABILITY.md D6): the window and the command line ask for it before calling, as they do
for the audit export.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import CalfDeskError, LetterDamaged, PermissionDenied
from workstation.exchange.fhir import patient_bundle
from workstation.exchange.record_transfer import read_transfer, transfer_json
from workstation.exchange.spreadsheet import Table, csv_bytes, xlsx_bytes
from workstation.exchange.squad_export import analytics_counts_table, analytics_table, squad_table
from workstation.exchange.transfer_ports import RecordAlreadyHeld, RecordTransferWriter
from workstation.ports import ClinicStore
from workstation.privacy.ports import PatientFileReader
from workstation.security.permissions import Action, is_allowed
from workstation.services.guarded import _Guard
from workstation.squads.records import Squad
from workstation.squads.report_data import SquadReport, squad_report
from workstation.squads.views import Dashboard, SquadAnalytics

FORMATS = ("csv", "xlsx")


class RecordExchangeService:
    def __init__(self, store: ClinicStore, guard: _Guard) -> None:
        self._store = store
        self._guard = guard

    def fhir_bundle(self, patient_id: int, *, now: datetime) -> dict[str, Any]:
        """The patient's record as a FHIR R4 Bundle (``workstation.exchange.fhir``); audited.

        Raises:
            PermissionDenied: the role may not export a patient's record.
            RecordNotFound: there is no such patient.
        """
        event = AuditEvent.PATIENT_FHIR_EXPORTED
        self._guard.require(Action.EXPORT_PATIENT_RECORD, event, patient_id=patient_id)
        store = self._store
        bundle = patient_bundle(
            store.patients.get(patient_id), store.episodes.for_patient(patient_id),
            store.observations.for_patient(patient_id), store.assessments.current_for_patient(patient_id),
            store.red_flags.for_patient(patient_id), generated_at=now,
        )  # fmt: skip
        kinds = Counter(entry["resource"]["resourceType"] for entry in bundle["entry"])
        detail = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        self._record(event, patient_id=patient_id, object_type="patient", object_id=patient_id, detail=detail)
        return bundle

    def squad_file(self, dashboard: Dashboard, squad: Squad, fmt: str) -> bytes:
        """The squad's dashboard as CSV or XLSX (club staff's: availability only, G5); audited.

        Raises:
            PermissionDenied: the role may not export a squad, or the dashboard holds values it may not see.
            CalfDeskError: ``fmt`` is neither "csv" nor "xlsx", or a cell is too long for Excel.
        """
        event = AuditEvent.SQUAD_EXPORTED
        self._guard.require(Action.EXPORT_SQUAD, event)
        self._refuse_unseen_values(dashboard, event)
        headers, rows = squad_table(dashboard, squad)
        content = _spreadsheet(fmt, {squad.title: (headers, rows)})
        detail = f"squad {squad.id}; {fmt}; {len(rows)} rows"
        self._record(event, object_type="squad", object_id=squad.id, detail=detail)
        return content

    def analytics_file(self, analytics: SquadAnalytics, fmt: str) -> bytes:
        """The pseudonymised analytics as CSV (the rows) or XLSX (the rows and the suppressed counts); audited.

        Raises:
            PermissionDenied: the role may not see squad analytics.
            CalfDeskError: ``fmt`` is neither "csv" nor "xlsx".
        """
        event = AuditEvent.SQUAD_ANALYTICS_EXPORTED
        self._guard.require(Action.VIEW_SQUAD_ANALYTICS, event)
        headers, rows = analytics_table(analytics)
        if fmt == "csv":
            content = csv_bytes(headers, rows)
        else:
            content = _spreadsheet(fmt, {"Athletes": (headers, rows), "Counts": analytics_counts_table(analytics)})
        detail = f"squad {analytics.squad_id}; {fmt}; {len(rows)} rows"
        self._record(event, object_type="squad", object_id=analytics.squad_id, detail=detail)
        return content

    def squad_report(
        self, dashboard: Dashboard, squad: Squad, *, clinic_name: str, render: Callable[[SquadReport], bytes]
    ) -> bytes:
        """The squad screening report as PDF (``render`` is ``reports.squad_report.render_squad_report``); audited.

        Raises:
            PermissionDenied: the role may not export a squad or see clinical values.
            CalfDeskError: the dashboard was built without clinical values.
        """
        event = AuditEvent.SQUAD_EXPORTED
        self._guard.require(Action.EXPORT_SQUAD, event)
        self._guard.require(Action.VIEW_CLINICAL, event)
        if not dashboard.clinical_visible:
            raise CalfDeskError("The screening report needs the squad's screening values, which this view lacks.")
        report = squad_report(dashboard, squad, clinic_name=clinic_name)
        pdf = render(report)
        detail = f"squad {squad.id}; pdf; {len(report.rows)} rows"
        self._record(event, object_type="squad", object_id=squad.id, detail=detail)
        return pdf

    def transfer_export(self, patient_id: int, reader: PatientFileReader) -> bytes:
        """The patient's record as a ``calfdesk-record-transfer`` file for another CalfDesk; audited.

        Raises:
            PermissionDenied, RecordNotFound; LetterDamaged (a letter no longer matches its fingerprint).
        """
        event = AuditEvent.RECORD_TRANSFER_EXPORTED
        self._guard.require(Action.EXPORT_PATIENT_RECORD, event, patient_id=patient_id)
        tables = reader.read(patient_id)
        try:
            content = transfer_json(tables, exported_at=self._guard.auditor.now())
        except CalfDeskError as error:
            why = "a letter is damaged" if isinstance(error, LetterDamaged) else "a table cannot be transferred"
            self._record(event, patient_id=patient_id, object_type="patient", object_id=patient_id,
                         detail=why, outcome=Outcome.FAILURE)  # fmt: skip
            raise
        rows = sum(len(table_rows) for table_rows in tables.values())
        self._record(event, patient_id=patient_id, object_type="patient", object_id=patient_id,
                     detail=f"{rows} rows from {len(tables)} tables read")  # fmt: skip
        return content

    def transfer_import(self, data: bytes, writer: RecordTransferWriter) -> int:
        """Store a record exported by another CalfDesk as a new patient, all or nothing; its new id. Audited.

        Raises:
            PermissionDenied; TransferRefused (the file), LetterDamaged, RecordAlreadyHeld; CalfDeskError
            (the database).
        """
        event = AuditEvent.RECORD_TRANSFER_IMPORTED
        self._guard.require(Action.IMPORT_PATIENT_RECORD, event)
        try:
            record = read_transfer(data)
            patient_id = writer.write(record, imported_by=self._guard.actor.user_id)
        except CalfDeskError as error:
            why = "already held" if isinstance(error, RecordAlreadyHeld) else type(error).__name__
            self._record(event, object_type="patient", detail=f"refused: {why}", outcome=Outcome.FAILURE)
            raise
        self._record(
            event, patient_id=patient_id, object_type="patient", object_id=patient_id,
            detail=f"{record.row_count} rows; patient uid {record.patient_uid}; exported {record.exported_at:%Y-%m-%d}",
        )  # fmt: skip
        return patient_id

    def _refuse_unseen_values(self, dashboard: Dashboard, event: AuditEvent) -> None:
        if dashboard.clinical_visible and not is_allowed(self._guard.actor.role, Action.VIEW_CLINICAL):
            self._record(event, object_type="squad", object_id=dashboard.squad_id, detail=Action.VIEW_CLINICAL.value,
                         outcome=Outcome.DENIED)  # fmt: skip
            raise PermissionDenied(f"{self._guard.actor.role.label} cannot {Action.VIEW_CLINICAL.phrase}.")

    def _record(
        self, event: AuditEvent, *, patient_id: int | None = None, object_type: str, object_id: object = "",
        detail: str, outcome: Outcome = Outcome.SUCCESS,
    ) -> None:  # fmt: skip
        self._guard.auditor.record(
            event, self._guard.actor, outcome=outcome, patient_id=patient_id, object_type=object_type,
            object_id=object_id, detail=detail,
        )  # fmt: skip


def _spreadsheet(fmt: str, sheets: Mapping[str, Table]) -> bytes:
    if fmt == "csv":
        ((headers, rows),) = sheets.values()
        return csv_bytes(headers, rows)
    if fmt == "xlsx":
        return xlsx_bytes(sheets)
    raise CalfDeskError(f"CalfDesk saves a squad as CSV or XLSX, not {fmt!r}.", hint="Choose a .csv or .xlsx file.")
