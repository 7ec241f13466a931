"""``calfdesk patient export`` and ``calfdesk patient erase``: subject access and erasure for scripts.

Qt-free like the rest of the command line. Both log in as ``--user`` (an administrator); that login, with
the password typed or given a moment before, is the re-authentication these actions need (D6), so the
password is not asked twice. Refusals (a retention hold, a restriction, a role) exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ui import cli
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
    patient = subparsers.add_parser("patient", help="one patient's data: subject-access export, erasure")
    actions = patient.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        parents=[common],
        help="write everything held about one patient to a folder (JSON, a summary as text and PDF, the letters)",
        description="Write everything held about one patient (subject access): every stored value as JSON, "
        "a summary to read as text and as PDF, and each letter sent as its own PDF, exactly as finalised. "
        "Administrators only; audited.",
    )
    export.add_argument("patient_id", metavar="ID", type=cli._positive_int, help="the patient's id")
    export.add_argument("--out", metavar="DIR", type=Path, required=True, help="the folder to write to")
    export.set_defaults(handler=_run_export)
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


def _run_export(args: argparse.Namespace) -> int:
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
