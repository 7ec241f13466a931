"""The ``calfdesk`` sub-commands: set-up, demo data, the patient list and the audit check, for scripts.

Qt-free, not even indirectly (an import-linter contract), so every command runs on a server with no
display. Expected failures (``CalfDeskError``) become one plain line on stderr and exit status 2, the
same status argparse uses for a wrong command line; a refused login is status 3; anything else is a
bug and keeps its traceback. Every command that touches patient data logs in as ``--user``: the
password comes from the terminal, or from ``CALFDESK_PASSWORD`` when there is no terminal.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ui.clock import local_today
from workstation.dates import DateOrder, format_date
from workstation.errors import AuthenticationFailed, CalfDeskError, ValidationFailed
from workstation.identifiers import format_medicare_number, format_nhs_number
from workstation.ports import ClinicStore, EpisodeRepository, PatientRepository
from workstation.records import PatientSummary

if TYPE_CHECKING:
    from ui.unlock import Entry, Opened
    from workstation.services.session import ClinicSession

# ``db`` (SQLAlchemy, Alembic), ``workstation.search`` (NumPy) and the demo's name lists take most of a
# second to import, and the entry point imports this module to parse every command line, including the
# window's and --version's: they are imported by the commands that use them.

EXIT_OK = 0
EXIT_EXPECTED_FAILURE = 2  # argparse's status for a bad command line; both mean "you can fix this"
EXIT_AUTHENTICATION_FAILED = 3
PASSWORD_VARIABLE = "CALFDESK_PASSWORD"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
DEFAULT_DEMO_PATIENTS = 1_000
DEFAULT_DEMO_SEED = 1
DATABASE_HELP = (
    "a SQLite file path or URL (sqlite:///path), or a PostgreSQL URL; "
    "default: $CALFDESK_DATABASE, else calfdesk.sqlite3 in your data folder"
)
USER_HELP = "log in as this user (default: $CALFDESK_USER); the password is asked for, or read from $CALFDESK_PASSWORD"
USER_VARIABLE = "CALFDESK_USER"
_TABLE_HEADINGS = ("ID", "Name", "Preferred", "Born", "NHS number", "Medicare")

Handler = Callable[[argparse.Namespace], int]


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``init``, ``demo``, ``patients list``, ``audit verify`` and the other modules' commands."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option given before the sub-command must not be overwritten by this one's default.
    common.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=DATABASE_HELP)
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=USER_HELP)
    _add_init(subparsers, common)
    _add_demo(subparsers, common)
    _add_patients(subparsers, common)
    _add_audit(subparsers, common)
    from ui.cli_patient import add_patient_commands  # here: it imports this module

    add_patient_commands(subparsers, common)
    from ui.cli_backup import add_backup_commands  # here: it imports this module

    add_backup_commands(subparsers, common)
    from ui.cli_evaluate import add_evaluate_command

    add_evaluate_command(subparsers)
    from ui.cli_assessment import add_assessment_commands  # here: it imports this module

    add_assessment_commands(subparsers, common)
    from ui.cli_letter import add_letter_command  # here: it imports this module

    add_letter_command(subparsers, common)
    from ui.cli_squad import add_squad_commands  # here: it imports this module

    add_squad_commands(subparsers, common)


def _add_init(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    init = subparsers.add_parser(
        "init",
        parents=[common],
        help="create a new database and its practice owner's account",
        description="Create the practice owner's account (an administrator) on a new database, for scripted installs.",
    )
    init.add_argument("--owner", metavar="NAME", required=True, help="the owner's user name")
    init.add_argument("--full-name", metavar="TEXT", help="the owner's full name (default: the user name)")
    init.set_defaults(handler=_run_init)


def _add_audit(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    audit = subparsers.add_parser("audit", help="check the audit trail")
    actions = audit.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        parents=[common],
        help="check that no audit entry was changed, removed or inserted",
        description="Recompute the audit trail's hash chain and name the first entry that does not fit.",
    )
    verify.add_argument(
        "--anchor", metavar="FILE", type=Path, help="a backup's .audit-head.json: also catch a cut-off tail"
    )
    verify.set_defaults(handler=_run_audit_verify)


def _add_demo(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    demo = subparsers.add_parser(
        "demo",
        parents=[common],
        help="fill an empty database with synthetic patients",
        description="Fill an empty database with synthetic patients and episodes (never real people).",
    )
    demo.add_argument("--patients", type=_positive_int, default=DEFAULT_DEMO_PATIENTS, metavar="N")
    demo.add_argument("--seed", type=int, default=DEFAULT_DEMO_SEED, metavar="S", help="same seed, same people")
    demo.set_defaults(handler=_run_demo)


def _add_patients(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    patients = subparsers.add_parser("patients", help="list and find patients")
    actions = patients.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        parents=[common],
        help="print the patient list",
        description="Print the patient list in list order; --search finds patients as the window does.",
    )
    listing.add_argument("--search", metavar="TEXT", help="words of a name, a date of birth or an identifier")
    listing.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    listing.add_argument("--limit", type=_positive_int, metavar="N", help="at most N patients")
    listing.set_defaults(handler=_run_patients_list)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def run_command(args: argparse.Namespace, database: str | None) -> int:
    """Run the parsed sub-command against ``database`` (None: the default file); return the exit status."""
    handler: Handler = args.handler
    args.database = database
    try:
        return handler(args)
    except AuthenticationFailed as error:
        print(f"calfdesk: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_AUTHENTICATION_FAILED
    except ValidationFailed as error:
        print(f"calfdesk: {'; '.join(problem.message for problem in error.problems)}", file=sys.stderr)
        return EXIT_EXPECTED_FAILURE
    except CalfDeskError as error:
        print(f"calfdesk: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_EXPECTED_FAILURE
    except KeyboardInterrupt:
        # Every write is one transaction: the one under way is rolled back, none is left half done.
        print("calfdesk: interrupted; the write under way was rolled back.", file=sys.stderr)
        return EXIT_INTERRUPTED


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _entry(database: str | None) -> Entry:
    from ui.unlock import Entry

    return Entry(database, workstation=workstation_name())


def _run_init(args: argparse.Namespace) -> int:
    entry = _entry(args.database)
    if not entry.needs_owner():
        entry.close_unused()
        raise CalfDeskError("This database already has its owner's account; nothing was changed.")
    password = read_password(f"Password for the owner, {args.owner}: ", confirm=True)
    opened = entry.create_owner(args.owner, args.full_name or args.owner, password)
    opened.store.close()
    print(f"Created the practice owner {opened.login.user.user_name!r} (administrator) in {entry.description}.")
    _print_recovery_key(opened.recovery_key)
    return EXIT_OK


def _print_recovery_key(recovery_key: str | None) -> None:
    if recovery_key is None:
        return
    print(
        "\nThe database is encrypted. Its recovery key opens it if every password is lost.\n"
        "Write it down or print it now and keep it locked away: it is shown only this once.\n\n"
        f"    {recovery_key}\n"
    )


def _run_demo(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    store, session = open_session(args.database, user_name_of(args), create_owner=True)
    try:
        patients, episodes = fill_with_demo_data(session.patients, session.episodes, args.patients, args.seed)
        description = store.description
    finally:
        store.close()
    seconds = time.perf_counter() - started
    print(f"Added {patients} demo patients and {episodes} episodes to {description} in {seconds:.1f} s.")
    return EXIT_OK


def fill_with_demo_data(
    patients: PatientRepository, episodes: EpisodeRepository, count: int, seed: int
) -> tuple[int, int]:
    """Add ``count`` synthetic patients and their episodes; return (patients, episodes) added.

    Raises:
        CalfDeskError: the database already holds patients (demo data must never mix with real records).
    """
    from workstation.demo import generate_episodes, generate_patients

    if patients.count():
        raise CalfDeskError(
            "This database already holds patients, and demo data goes only into an empty one.",
            hint="Give --database a new file, or an empty database.",
        )
    today = local_today()
    added = patients.add_many(generate_patients(count, seed, today))
    # The store hands out ids, so the episodes are made for the patients as saved (every one is demo data).
    saved = [(summary.id, summary.date_of_birth) for summary in patients.summaries()]
    return added, episodes.add_many(generate_episodes(saved, seed, today))


def read_password(prompt: str, *, confirm: bool = False) -> str:
    """From the terminal (twice for a new one), else from $CALFDESK_PASSWORD (scripts, services, CI).

    Raises:
        AuthenticationFailed: no terminal and no $CALFDESK_PASSWORD, or the two typings differ.
    """
    if sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass(prompt)
        if confirm and getpass.getpass("The same password again: ") != password:
            raise AuthenticationFailed("The two passwords differ; nothing was changed.")
        return password
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        raise AuthenticationFailed(f"No password: run this in a terminal, or set {PASSWORD_VARIABLE}.")
    return password


def workstation_name() -> str:
    """This computer's name, as the audit records where something was done."""
    return socket.gethostname()


def log_in(database: str | None, user_name: str | None, *, create_owner: bool = False) -> Opened:
    """Open the database and log ``user_name`` in; on a new database, optionally create them as its owner.

    Raises:
        AuthenticationFailed: no --user, a wrong password, or a locked account (exit status 3).
        CalfDeskError: the database cannot be opened (exit status 2).
    """
    entry = _entry(database)
    if entry.needs_owner():
        entry.close_unused()
        if not create_owner:
            raise AuthenticationFailed("This database has no accounts yet: create its owner with calfdesk init.")
        if not user_name:
            raise AuthenticationFailed("A new database needs its owner's account: give --user NAME.")
        password = read_password(f"Password for the new owner, {user_name}: ", confirm=True)
        opened = entry.create_owner(user_name, user_name, password)
        _print_recovery_key(opened.recovery_key)
        return opened
    if not user_name:
        entry.close_unused()
        raise AuthenticationFailed("Give --user NAME: this database has accounts, and patient data needs a login.")
    try:
        return entry.log_in(user_name, read_password(f"Password for {user_name}: "))
    except BaseException:
        entry.close_unused()  # a server connection opened to ask whether an owner exists
        raise


def user_name_of(args: argparse.Namespace) -> str | None:
    """``--user``, else $CALFDESK_USER (scripts set it once, as they set $CALFDESK_DATABASE)."""
    return getattr(args, "user", None) or os.environ.get(USER_VARIABLE) or None


def open_session(
    database: str | None, user_name: str | None, *, create_owner: bool = False, must_exist: bool = False
) -> tuple[ClinicStore, ClinicSession]:
    """The open store and ``user_name``'s session on it (the caller closes the store).

    ``must_exist``: a mistyped path must not create an empty database (listing, verifying, exporting).
    """
    from workstation.audit.auditor import Auditor
    from workstation.services.session import ClinicSession

    if must_exist:
        _require_existing(database)
    opened = log_in(database, user_name, create_owner=create_owner)
    store = opened.store
    return store, ClinicSession(store, opened.login.actor, Auditor(store.audit, workstation_name()))


def _run_audit_verify(args: argparse.Namespace) -> int:
    from db.backup import read_audit_anchor

    anchor = read_audit_anchor(args.anchor) if args.anchor else None
    store, session = open_session(args.database, user_name_of(args), must_exist=True)
    try:
        report = session.verify_audit(anchor)
    finally:
        store.close()
    if report.ok:
        print(f"The audit trail is intact: {report.checked} entries, head {report.head[0]} {report.head[1]}.")
        return EXIT_OK
    print(f"calfdesk: the audit trail does not verify: {report.reason}", file=sys.stderr)
    return EXIT_EXPECTED_FAILURE


def _require_existing(database: str | None) -> None:
    import db

    path = db.resolve(database).sqlite_path
    if path is not None and not path.exists():
        raise CalfDeskError(f"There is no CalfDesk database at {path}.", hint="Check the path and --database.")


def _run_patients_list(args: argparse.Namespace) -> int:
    from workstation.audit.records import AuditEvent

    store, session = open_session(args.database, user_name_of(args), must_exist=True)
    try:
        rows = list(_listed(session.patients, args.search, args.limit))
        session.auditor.record(
            AuditEvent.PATIENT_LIST_EXPORTED, session.actor, object_type="patient",
            detail=f"{len(rows)} patients" + (" (a search)" if args.search else ""),
        )  # fmt: skip
    finally:
        store.close()
    if args.json:
        _write_utf8(json.dumps([summary_json(row) for row in rows], ensure_ascii=False, indent=2) + "\n")
    else:
        _write_table(sys.stdout, rows)
    return EXIT_OK


def _listed(patients: PatientRepository, search: str | None, limit: int | None) -> Iterator[PatientSummary]:
    if not search:
        yield from patients.first_page(limit) if limit else patients.summaries()
        return
    from workstation.search import PatientSearchIndex

    by_id: dict[int, PatientSummary] = {}
    index = PatientSearchIndex.build(_remembered(patients.summaries(), by_id))
    matches = index.search(search).tolist()
    for patient_id in matches[:limit] if limit else matches:
        yield by_id[patient_id]


def _remembered(summaries: Iterable[PatientSummary], by_id: dict[int, PatientSummary]) -> Iterator[PatientSummary]:
    """Pass summaries through to the index while keeping them, so one scan of the table serves both."""
    for summary in summaries:
        by_id[summary.id] = summary
        yield summary


def summary_json(summary: PatientSummary) -> dict[str, Any]:
    """One patient-list row as JSON: names as written, the date of birth in ISO, identifiers as digits."""
    return {
        "id": summary.id,
        "given_name": summary.given_name,
        "family_name": summary.family_name,
        "preferred_name": summary.preferred_name,
        "date_of_birth": summary.date_of_birth.isoformat(),
        "nhs_number": summary.nhs_number,
        "medicare_number": summary.medicare_number,
    }


def _write_utf8(text: str) -> None:
    """JSON is UTF-8 by definition (RFC 8259), whatever the console's encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _write_table(out: TextIO, rows: Sequence[PatientSummary]) -> None:
    cells = [_TABLE_HEADINGS, *(_table_row(row) for row in rows)]
    widths = [max(display_width(line[column]) for line in cells) for column in range(len(_TABLE_HEADINGS))]
    for line in cells:
        padded = (value + " " * (width - display_width(value)) for value, width in zip(line, widths, strict=True))
        out.write("  ".join(padded).rstrip() + "\n")
    if not rows:
        out.write("(no patients)\n")


def _table_row(summary: PatientSummary) -> tuple[str, ...]:
    return (
        str(summary.id),
        summary.display_name,
        summary.preferred_name,
        format_date(summary.date_of_birth, DateOrder.DAY_MONTH_YEAR),
        format_nhs_number(summary.nhs_number),
        format_medicare_number(summary.medicare_number),
    )


def display_width(text: str) -> int:
    """Terminal columns: wide East Asian characters take two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width
