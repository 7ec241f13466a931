"""``calfdesk backup``, ``calfdesk restore`` and ``calfdesk verify``: for scripts, cron jobs and the yearly
restore drill (RELIABILITY.md C2, C3, C6).

Each logs in as ``--user`` like every other command (an administrator: the password typed for it is
the re-authentication backups need, D6). ``restore`` works into a fresh profile too, where no database
exists yet: the person then logs in against the backup itself (its key file, beside it, opens it with
their password), which is opened read-only for that. Exit statuses as in ``ui.cli``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ui import cli
from workstation.errors import AuthenticationFailed, CalfDeskError, PermissionDenied

if TYPE_CHECKING:
    from db.restore import DatabaseCheck
    from ui.backups.jobs import RestoreRequest
    from workstation.audit.auditor import Auditor
    from workstation.audit.chain import ChainReport
    from workstation.ports import ClinicStore
    from workstation.security.accounts import Actor

PG_RESTORE = "A PostgreSQL server is restored with pg_restore or the server's own tools (see docs/backup.md)."


def add_backup_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    backup = subparsers.add_parser(
        "backup",
        parents=[common],
        help="take a verified, encrypted backup of the database",
        description="Back up the SQLite database with the online backup API, verify the copy, and rotate the "
        "practice's backup folder (7 daily, 4 weekly, 12 monthly).",
    )
    backup.add_argument(
        "destination", nargs="?", type=Path, metavar="DEST",
        help="a folder, or a new file name ending .sqlite3 (not rotated); default: the practice's backup folder",
    )  # fmt: skip
    backup.set_defaults(handler=_run_backup)
    restore = subparsers.add_parser(
        "restore",
        parents=[common],
        help="restore a backup in place of the database (keeping the current one)",
        description="Check the backup, keep a verified copy of the current database, then swap the backup in.",
    )
    restore.add_argument("source", type=Path, metavar="SRC", help="the backup file (calfdesk-....sqlite3)")
    restore.set_defaults(handler=_run_restore)
    verify = subparsers.add_parser(
        "verify",
        parents=[common],
        help="check the database: integrity, schema version and the audit trail",
        description="Run the full integrity check, compare the schema with this CalfDesk's, and verify the "
        "audit trail's hash chain against the anchor of the newest backup.",
    )
    verify.set_defaults(handler=_run_verify)


# backup ---------------------------------------------------------------------------------------------------


def _run_backup(args: argparse.Namespace) -> int:
    from ui.backups.jobs import MANUAL, POSTGRESQL_BACKUPS, BackupJobs
    from ui.backups.wording import format_size

    if _sqlite_path(args.database) is None:
        raise CalfDeskError(POSTGRESQL_BACKUPS)
    destination = args.destination.expanduser().absolute() if args.destination else None
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        outcome = BackupJobs(store, session.auditor).back_up(MANUAL, session.actor, destination)
    finally:
        store.close()
    report = outcome.report
    patients = report.tables["patient"].rows if "patient" in report.tables else 0
    _say(report.path)
    _say(f"  {format_size(report.bytes)} ({report.bytes:,} bytes), {len(report.tables)} tables, {patients:,} patients")
    _say(f"  {'encrypted with the database key' if report.encrypted else 'not encrypted'}; verified")
    if outcome.pruned:
        _say(f"  rotation removed {len(outcome.pruned)} older backup(s)")
    return cli.EXIT_OK


# restore --------------------------------------------------------------------------------------------------


def _run_restore(args: argparse.Namespace) -> int:
    from ui.backups.jobs import carry_out_restore, open_restored
    from ui.backups.wording import format_moment

    live = _sqlite_path(args.database)
    if live is None:
        raise CalfDeskError(PG_RESTORE)
    source = args.source.expanduser().absolute()
    if not source.is_file():
        raise CalfDeskError(f"There is no backup file at {source}.")
    request = _restore_request(args, source, live)
    report = carry_out_restore(request, open_restored)
    summary = report.summary
    when = format_moment(summary.taken_at) if summary.taken_at else "an unknown time"
    _say(f"Restored the backup of {when} ({summary.patients:,} patients) to {live}.")
    if report.safety_copy is not None:
        _say(f"  The database as it was is kept in {report.safety_copy}")
    if report.set_aside is not None:
        _say(f"  The damaged database was moved aside to {report.set_aside}")
    if not summary.sealed:
        _say("  (This backup has no manifest: it was checked for damage, not against its original content.)")
    return cli.EXIT_OK


def _restore_request(args: argparse.Namespace, source: Path, live: Path) -> RestoreRequest:
    """Logged in against the live database where there is one; else (a fresh profile, or a database
    too damaged to open) against the backup."""
    from db import cipher
    from ui.backups.jobs import BackupJobs, RestoreRequest
    from workstation.backups.settings import default_backup_folder

    user = cli.user_name_of(args)
    if not cipher.is_empty_or_missing(live):
        try:
            store, session = cli.open_session(args.database, user, must_exist=True)
        except (AuthenticationFailed, PermissionDenied):
            raise
        except CalfDeskError as error:
            sys.stderr.write(f"calfdesk: the database does not open ({error.message}); logging in to the backup.\n")
        else:
            try:
                return BackupJobs(store, session.auditor).restore_request(source, session.actor, cli.workstation_name())
            finally:
                store.close()
    actor, key = _log_in_to_backup(source, user)
    return RestoreRequest(source, live, key, default_backup_folder(live), actor, cli.workstation_name())


def _log_in_to_backup(source: Path, user: str | None) -> tuple[Actor, bytes | None]:
    """The administrator's login against the backup (read-only: the backup is never written), and the key
    their password unlocks from the key file beside it (None for a backup from before encryption)."""
    from db.vault import State, Vault
    from workstation.audit.auditor import Auditor, utc_now
    from workstation.security.accounts import user_key
    from workstation.security.permissions import Action, require
    from workstation.services.accounts import Accounts

    if not user:
        raise AuthenticationFailed("Give --user NAME: restoring needs an administrator's login.")
    vault = Vault(str(source))
    password = cli.read_password(f"Password for {user}: ")
    key = vault.unlock(user_key(user), password, utc_now()) if vault.state() is State.ENCRYPTED else None
    store = vault.open(key, read_only=True, check_integrity=False)
    try:
        login = Accounts(store.users, Auditor(store.audit, cli.workstation_name()), store.key_slots).log_in(
            user, password
        )
        require(login.actor, Action.MANAGE_BACKUPS)
    finally:
        store.close()
    return login.actor, key


# verify ---------------------------------------------------------------------------------------------------


def _run_verify(args: argparse.Namespace) -> int:
    from db.restore import verify_database
    from workstation.audit.records import AuditEvent, Outcome

    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        path = _sqlite_path(args.database)
        check = verify_database(path, getattr(store, "sqlite_key", None)) if path is not None else None
        anchor_from, anchor = _newest_anchor(store, session.auditor) if path is not None else (None, None)
        chain = session.verify_audit(anchor)
        lines = _verify_lines(store.description, check, chain, anchor_from)
        ok = chain.ok and (check is None or check.ok)
        session.auditor.record(
            AuditEvent.DATABASE_VERIFIED, session.actor, outcome=Outcome.SUCCESS if ok else Outcome.FAILURE,
            object_type="database", detail="; ".join(line.strip() for line in lines[1:]),
        )  # fmt: skip
    finally:
        store.close()
    _say("\n".join(lines))
    return cli.EXIT_OK if ok else cli.EXIT_EXPECTED_FAILURE


def _verify_lines(
    description: str, check: DatabaseCheck | None, chain: ChainReport, anchor_from: Path | None
) -> list[str]:
    lines = [f"Database: {description}"]
    if check is not None:
        integrity = "ok" if check.sound else f"DAMAGED: {'; '.join(check.problems[:5])}"
        lines.append(f"  integrity: {integrity}")
        schema = "current" if check.current else f"this CalfDesk's is {check.head}"
        lines.append(f"  schema: {check.revision or 'not a CalfDesk schema'} ({schema})")
    else:
        lines.append("  integrity: checked by the PostgreSQL server itself (data checksums, docs/backup.md)")
    trail = f"intact, {chain.checked} entries" if chain.ok else f"DOES NOT VERIFY: {chain.reason}"
    lines.append(f"  audit trail: {trail}")
    lines.append(f"  anchor: {anchor_from.name if anchor_from else 'none (no backup with an anchor yet)'}")
    return lines


def _newest_anchor(store: ClinicStore, auditor: Auditor) -> tuple[Path | None, tuple[int, str] | None]:
    from db.backup import audit_anchor_path, read_audit_anchor
    from ui.backups.jobs import BackupJobs

    for backup in BackupJobs(store, auditor).backups():
        if audit_anchor_path(backup.path).exists():
            return backup.path, read_audit_anchor(backup.path)
    return None, None


def _say(line: object) -> None:
    sys.stdout.write(f"{line}\n")


def _sqlite_path(database: str | None) -> Path | None:
    import db

    return db.resolve(database).sqlite_path
