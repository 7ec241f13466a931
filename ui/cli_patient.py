"""``calfdesk patient export|erase|transfer-export|transfer-import``: one patient's record, for scripts.

``export`` writes everything held (subject access) to a folder, or with ``--fhir`` the FHIR R4 Bundle
to a JSON file; ``transfer-export`` writes the record for another CalfDesk database, and
``transfer-import`` stores such a file there as a new patient (nothing lost, every id remapped; squad
memberships and screening worksheets stay with the club's database). ``erase`` deletes the record once
its retention has ended.

Qt-free like the rest of the command line. All log in as ``--user`` (an administrator); that login, with
the password typed or given a moment before, is the re-authentication these actions need (D6), so the
password is not asked twice. Refusals (a retention hold, a restriction, a role) exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ui import cli
from ui.cli_files import output_file, read_input
from ui.clock import local_today
from workstation.errors import CalfDeskError

if TYPE_CHECKING:
    from workstation.ports import ClinicStore
    from workstation.privacy.service import PatientPrivacy
    from workstation.security.accounts import Actor
    from workstation.services.session import ClinicSession

_ERASE_CONFIRMATION = "Type the patient's id again to erase everything held about them, for good: "


def add_patient_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    patient = subparsers.add_parser(
        "patient", help="one patient's data: subject-access and FHIR export, record transfer, erasure"
    )
    actions = patient.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        parents=[common],
        help="write everything held about one patient to a folder (JSON, a summary as text and PDF, the letters)",
        description="Write everything held about one patient (subject access): every stored value as JSON, "
        "a summary to read as text and as PDF, and each letter sent as its own PDF, exactly as finalised. "
        "With --fhir, the record as a FHIR R4 Bundle (Patient, Conditions, Observations, questionnaire "
        "responses) in one JSON file instead. Administrators only; audited.",
    )
    export.add_argument("patient_id", metavar="ID", type=cli._positive_int, help="the patient's id")
    export.add_argument(
        "--out", metavar="DIR|FILE.json", type=Path, required=True, help="the folder to write to (--fhir: the file)"
    )
    export.add_argument("--fhir", action="store_true", help="write the FHIR R4 Bundle (JSON) to the --out file")
    export.add_argument("--force", action="store_true", help="with --fhir: replace an existing --out file")
    export.set_defaults(handler=_run_export)
    _add_transfer_commands(actions, common)
    erase = actions.add_parser(
        "erase",
        parents=[common],
        help="erase one patient's record once its retention period has ended",
        description="Delete everything held about one patient, except the audit trail's ids. Refused while "
        "the practice's retention rule still requires the record, or while its processing is restricted.",
    )
    erase.add_argument("patient_id", metavar="ID", type=cli._positive_int, help="the patient's id")
    erase.add_argument("--yes", action="store_true", help="do not ask to confirm (needed when not in a terminal)")
    erase.set_defaults(handler=_run_erase)


def _add_transfer_commands(
    actions: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    export = actions.add_parser(
        "transfer-export",
        parents=[common],
        help="write one patient's whole record to a file another CalfDesk database can import",
        description="Write one patient's record (demographics, episodes, assessments, observations, red flags, "
        "the running log, letters with their PDFs) as a calfdesk-record-transfer JSON file for another CalfDesk "
        "database. Squad memberships and screening worksheets stay with this database. Administrators only; "
        "audited.",
    )
    export.add_argument("patient_id", metavar="ID", type=cli._positive_int, help="the patient's id")
    export.add_argument("--out", metavar="FILE.json", type=Path, required=True, help="the file to write")
    export.add_argument("--force", action="store_true", help="replace an existing --out file")
    export.set_defaults(handler=_run_transfer_export)
    transfer_import = actions.add_parser(
        "transfer-import",
        parents=[common],
        help="store a record written by transfer-export as a new patient",
        description="Check a calfdesk-record-transfer file (its letters' SHA-256 included) and store the record "
        "as a new patient, all in one transaction, keeping every value as it was. Refused if this database "
        "already holds that record. Administrators only; audited.",
    )
    transfer_import.add_argument("file", metavar="FILE.json", type=Path, help="the file transfer-export wrote")
    transfer_import.set_defaults(handler=_run_transfer_import)


def _run_export(args: argparse.Namespace) -> int:
    if args.fhir:
        return _run_fhir_export(args)
    if args.force:
        raise CalfDeskError("--force is for --fhir: the folder export never replaces a file.")
    started = time.perf_counter()
    from reports.subject_access import render_summary_pdf  # ReportLab: only for the command that needs it

    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        privacy = _privacy(store, session)
        written = privacy.export(session.actor, args.patient_id, "", args.out, render_pdf=render_summary_pdf)
    finally:
        store.close()
    seconds = time.perf_counter() - started
    _say(f"Wrote everything held about patient {args.patient_id} in {seconds:.1f} s:")
    for path in written.all:
        _say(f"  {path}")
    return cli.EXIT_OK


def _run_fhir_export(args: argparse.Namespace) -> int:
    target = output_file(args.out, force=args.force, example="patient.fhir.json")
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        bundle = session.record_exchange.fhir_bundle(args.patient_id, now=datetime.now(UTC))
    finally:
        store.close()
    from ui.atomic_file import write_text_atomically

    write_text_atomically(target, json.dumps(bundle, ensure_ascii=False, indent=2) + "\n")
    resources = len(bundle.get("entry", []))
    _say(f"Wrote the FHIR R4 bundle of patient {args.patient_id} ({resources} resources) to {target}.")
    return cli.EXIT_OK


def _run_transfer_export(args: argparse.Namespace) -> int:
    from db.patient_export import SqlPatientFile

    target = output_file(args.out, force=args.force, example="patient.transfer.json")
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        data = session.record_exchange.transfer_export(args.patient_id, SqlPatientFile(store))
    finally:
        store.close()
    from ui.atomic_file import write_bytes_atomically

    write_bytes_atomically(target, data)
    _say(f"Wrote the record of patient {args.patient_id} for another CalfDesk database to {target}.")
    return cli.EXIT_OK


def _run_transfer_import(args: argparse.Namespace) -> int:
    from db.patient_transfer import SqlRecordTransfer
    from workstation.exchange.record_transfer import TRANSFER_MAX_BYTES

    # Before the login, so a mistyped path costs no password; one byte over is enough to refuse the file.
    data = read_input(args.file, at_most=TRANSFER_MAX_BYTES)
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        patient_id = session.record_exchange.transfer_import(data, SqlRecordTransfer(store))
    finally:
        store.close()
    _say(f"Imported the record from {args.file.name} as patient {patient_id}.")
    return cli.EXIT_OK


def _run_erase(args: argparse.Namespace) -> int:
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        privacy = _privacy(store, session)
        privacy.check_erasure(session.actor, args.patient_id)  # a refusal before asking anything
        _confirm(args)
        report = privacy.erase(session.actor, args.patient_id, "")
    finally:
        store.close()
    _say(f"Erased patient {args.patient_id}: {report.detail} rows deleted; the audit trail keeps their ids.")
    return cli.EXIT_OK


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _confirm(args: argparse.Namespace) -> None:
    if args.yes:
        return
    if sys.stdin is None or not sys.stdin.isatty():
        raise CalfDeskError("Erasure needs confirming: run it in a terminal, or add --yes.", hint="Nothing was erased.")
    if input(_ERASE_CONFIRMATION).strip() != str(args.patient_id):
        raise CalfDeskError("The id typed was not the same, so nothing was erased.")


def _privacy(store: ClinicStore, session: ClinicSession) -> PatientPrivacy:
    from db.erasure import patient_privacy

    return patient_privacy(store, session.auditor, _logged_in_just_now, local_today)


def _logged_in_just_now(_actor: Actor, _password: str) -> None:
    """The command's own login, a moment ago, confirmed the password (see the module docstring)."""
