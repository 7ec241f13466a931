"""``calfdesk squad import|list|export``: a club's athlete file into a squad, the squads, a squad's files.

Qt-free like the rest of the command line. An import is all or nothing (RELIABILITY.md H1): the file is
read, its columns mapped by their headers, every row checked and matched against the patients already held
(``workstation.services.squad_import``). If any row is rejected, a report naming each one (line, column,
reason) is written beside the file, or to ``--report``, and nothing at all is imported (status 2).
``--dry-run`` makes the same checks and never writes to the database. A file that cannot be read (empty,
a NUL byte, too big, not there) is one plain line and status 2.

An export picks its format by the file's extension: ``.csv`` or ``.xlsx`` for the squad's table (every cell
formula-safe, H2; club staff's holds availability only, G5), ``.pdf`` for the screening report, and with
``--analytics`` the pseudonymised file (G4), whose key lives in the user's configuration folder, never in
the database. A squad is named as ``calfdesk squad list`` shows it, by its name (any case) or its id.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ui import cli
from ui.cli_files import output_file, read_input
from ui.clock import local_today
from workstation.errors import CalfDeskError, RecordNotFound
from workstation.squads.squad_rules import name_key

if TYPE_CHECKING:
    from workstation.exchange.athlete_records import AthleteTable, ImportPreview
    from workstation.services.session import ClinicSession
    from workstation.squads.records import Club, ImportOutcome, Squad

EXPORT_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".pdf": "pdf"}
_LIST_HEADINGS = ("ID", "Squad", "Season", "Club", "Members")
_SHOWN_PROBLEMS = 5  # on the terminal; the report names every one


def add_squad_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add ``squad import``, ``squad list`` and ``squad export``."""
    squad = subparsers.add_parser("squad", help="squads: import a club's athlete file, list squads, export a squad")
    actions = squad.add_subparsers(dest="action", metavar="ACTION", required=True)
    _add_import(actions, common)
    _add_list(actions, common)
    _add_export(actions, common)


def _add_import(actions: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    command = actions.add_parser(
        "import",
        parents=[common],
        help="import a club's athletes (CSV or XLSX) into a squad, all or nothing",
        description="Read a CSV or XLSX file of athletes, map its columns by their headers (First name, Surname, "
        "DOB, NHS number, ...), check every row and match it against the patients already held (same name and "
        "date of birth: their blank fields are filled, nothing is overwritten). If any row is rejected, a report "
        "of every rejected row is written and nothing is imported (status 2). The squad is created if needed.",
    )
    command.add_argument("file", metavar="FILE", type=Path, help="the club's file: .csv or .xlsx")
    command.add_argument("--squad", metavar="NAME", required=True, help="the squad to add the athletes to")
    command.add_argument("--club", metavar="NAME", help="the squad's club (made if new; default: the only club)")
    command.add_argument("--sheet", metavar="NAME", help="the worksheet of an XLSX file (default: the first with data)")
    order = command.add_mutually_exclusive_group()
    order.add_argument("--day-first", dest="day_first", action="store_true", default=None,
                       help="dates like 03/04/2001 are 3 April (the default)")  # fmt: skip
    order.add_argument(
        "--month-first", dest="day_first", action="store_false", help="dates like 03/04/2001 are 4 March"
    )
    command.add_argument("--joined", metavar="YYYY-MM-DD", type=_iso_date, help="when they joined (default: today)")
    command.add_argument(
        "--dry-run", action="store_true", help="check the file and say what would happen; store nothing"
    )
    command.add_argument(
        "--report", metavar="FILE.csv", type=Path, help="where to write the rejected rows (default: FILE.rejected.csv)"
    )
    command.set_defaults(handler=run_import)


def _add_list(actions: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    command = actions.add_parser(
        "list",
        parents=[common],
        help="list the squads with their club, season and members",
        description="List the squads by club, then name, with the number of athletes in each today.",
    )
    command.add_argument("--archived", action="store_true", help="include archived squads")
    command.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    command.set_defaults(handler=run_list)


def _add_export(actions: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    command = actions.add_parser(
        "export",
        parents=[common],
        help="write a squad's table (.csv, .xlsx), screening report (.pdf) or pseudonymised analytics",
        description="Write the squad's dashboard table as CSV or XLSX, or its screening report as PDF, chosen by "
        "the extension of --out. With --analytics, the pseudonymised file for analysis (no names, dates of "
        "birth or identifiers; small counts suppressed) as CSV or XLSX. Audited.",
    )
    command.add_argument("squad", metavar="NAME", help="the squad's name or id (as calfdesk squad list shows it)")
    command.add_argument("--out", metavar="FILE", type=Path, required=True, help="a .csv, .xlsx or .pdf file")
    command.add_argument("--analytics", action="store_true", help="the pseudonymised analytics file instead")
    command.add_argument("--force", action="store_true", help="replace an existing --out file")
    command.set_defaults(handler=run_export)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


# Finding a squad ------------------------------------------------------------------------------------------


def find_squad(session: ClinicSession, text: str) -> Squad:
    """The squad named ``text`` (case and surrounding spaces ignored), else the one whose id it is.

    Raises:
        RecordNotFound: no squad has that name or id.
        CalfDeskError: squads of several clubs or seasons have that name (the message gives their ids).
    """
    wanted = name_key(text)
    squads = session.squads.squads(include_archived=True)
    named = [squad for squad in squads if name_key(squad.name) == wanted]
    current = [squad for squad in named if not squad.archived]
    if len(named) == 1 or len(current) == 1:
        return (current or named)[0]
    if named:
        clubs = {club.id: club.name for club in session.squads.clubs()}
        choices = "; ".join(f"{squad.id}: {clubs.get(squad.club_id, '?')}, {squad.title}" for squad in named)
        raise CalfDeskError(f"There are {len(named)} squads called {text.strip()!r} ({choices}).",
                            hint="Give the squad's id instead of its name.")  # fmt: skip
    by_id = [squad for squad in squads if text.strip().isdecimal() and squad.id == int(text.strip())]
    if by_id:
        return by_id[0]
    raise RecordNotFound(f"There is no squad called {text.strip()!r}.", hint="calfdesk squad list shows the squads.")


def current_member_ids(session: ClinicSession, text: str, on: date) -> list[int]:
    """The patient ids of the squad's members on ``on``, in list order (a batch of letters for a squad).

    Raises:
        CalfDeskError: no such squad, or nobody is in it that day.
    """
    squad = find_squad(session, text)
    assert squad.id is not None  # a stored squad
    members = session.squads.members(squad.id, on)
    if not members:
        raise CalfDeskError(f"The squad {squad.title} has no members today.", hint="Nothing was written.")
    return [member.patient_id for member in members]


# Import ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Counts:
    rows: int
    new: int
    held: int
    errors: int
    repeated: int

    @classmethod
    def of(cls, preview: ImportPreview) -> _Counts:
        from workstation.exchange.athlete_records import RowStatus

        def count(status: RowStatus) -> int:
            return len(preview.with_status(status))

        return cls(len(preview.rows), count(RowStatus.NEW), count(RowStatus.MATCH), count(RowStatus.ERROR),
                   count(RowStatus.DUPLICATE))  # fmt: skip

    @property
    def line(self) -> str:
        return (f"{self.rows} rows: {self.new} new, {self.held} already held (merged), {self.errors} with errors, "
                f"{self.repeated} repeated in the file.")  # fmt: skip


def run_import(args: argparse.Namespace) -> int:
    from workstation.exchange.athlete_table import MAX_FILE_BYTES

    source: Path = args.file.expanduser()
    # Before the login, so a mistyped path costs no password; one byte over the limit is enough for the
    # reader to refuse the file (RELIABILITY.md H1) without loading a file of gigabytes first.
    data = read_input(source, at_most=MAX_FILE_BYTES)
    report = (args.report or rejected_report_path(source)).expanduser()
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        return _import(session, args, data, source, report)
    finally:
        store.close()


def rejected_report_path(source: Path) -> Path:
    """ "athletes.csv" -> "athletes.rejected.csv", beside it (an XLSX file's report is CSV too)."""
    return source.with_name(f"{source.stem or source.name}.rejected.csv")


def _import(session: ClinicSession, args: argparse.Namespace, data: bytes, source: Path, report: Path) -> int:
    service = session.squad_import
    today = local_today()
    if args.joined is not None and args.joined > today:
        raise CalfDeskError(
            f"--joined {args.joined.isoformat()} is in the future.",
            hint="Give the day they joined, or leave it out for today; nothing was imported.",
        )
    table = service.read(data, source.name, args.sheet)
    mapping = service.suggest_mapping(table)
    if args.day_first is not None:
        mapping.day_first = args.day_first
    preview = service.preview(table, mapping, today=today)
    counts = _Counts.of(preview)
    _say(f"{source.name}{_source_detail(table)}: {counts.line}")
    for note in table.notes:
        _say(f"Note: {note}")
    if preview.rejected:
        return _rejected(session, preview, report)
    if preview.mapping_problems:
        raise CalfDeskError(" ".join(preview.mapping_problems), hint="Nothing was imported.")
    if not preview.can_commit:
        raise CalfDeskError("The file holds no athletes to import.", hint="Nothing was imported.")
    club = _club(session, args.club)
    existing = None if args.club and club is None else _existing_squad(session, args.squad, club)
    if existing is None and args.club is None and len(session.squads.clubs()) > 1:
        raise CalfDeskError(
            "The squad is new and more than one club is held.", hint="Give --club NAME; nothing was imported."
        )
    if args.dry_run:
        _say(_dry_run_line(args, counts, existing, club))
        return cli.EXIT_OK
    new_club = args.club.strip() if args.club and club is None else ""  # made in the import's own transaction
    with _CommitProgress(sys.stderr) as progress:
        outcome = service.commit(preview, args.squad.strip(), decisions={}, joined_on=args.joined or today,
                                 progress=progress, club_id=club.id if club is not None else None,
                                 new_club_name=new_club)  # fmt: skip
    _say(_imported_line(outcome, held=counts.held, created_squad=existing is None))
    return cli.EXIT_OK


def _source_detail(table: AthleteTable) -> str:
    if table.source_format == "xlsx":
        return f" (sheet {table.sheet!r})" if table.sheet else ""
    separator = {",": "comma", ";": "semicolon", "\t": "tab"}.get(table.separator, repr(table.separator))
    return f" ({table.encoding}, {separator}-separated)" if table.encoding else ""


def _rejected(session: ClinicSession, preview: ImportPreview, report: Path) -> int:
    from ui.atomic_file import write_text_atomically

    rejected = preview.rejected
    write_text_atomically(report, session.squad_import.rejection_report(preview))
    problems = [problem for row in rejected for problem in row.problems]
    for problem in problems[:_SHOWN_PROBLEMS]:
        _say(f"  {cli._one_line(problem.text)}")
    if len(problems) > _SHOWN_PROBLEMS:
        _say(f"  ... and {len(problems) - _SHOWN_PROBLEMS} more.")
    rows = "1 row was" if len(rejected) == 1 else f"{len(rejected)} rows were"
    mapping = "".join(f" {problem}" for problem in preview.mapping_problems)
    _tell(f"calfdesk: {rows} rejected, so nothing was imported; every rejected row is named in {report}.{mapping}")
    return cli.EXIT_EXPECTED_FAILURE


def _club(session: ClinicSession, name: str | None) -> Club | None:
    """The club ``--club`` names, if it is held (None: no ``--club``, or one to be made)."""
    if name is None:
        return None
    if not name.strip():
        raise CalfDeskError("--club needs the club's name.", hint="Nothing was imported.")
    wanted = name_key(name)
    return next((club for club in session.squads.clubs() if name_key(club.name) == wanted), None)


def _existing_squad(session: ClinicSession, name: str, club: Club | None) -> Squad | None:
    """The squad the import would join (None: it would be made), refusing a name several squads use."""
    wanted = name_key(name)
    if not wanted:
        raise CalfDeskError("--squad needs the squad's name.", hint="Nothing was imported.")
    named = [squad for squad in session.squads.squads(include_archived=True) if name_key(squad.name) == wanted]
    if club is not None:
        named = [squad for squad in named if squad.club_id == club.id]
    if len(named) > 1:  # as the import decides: the one still in use, if only one is
        named = [squad for squad in named if not squad.archived] or named
    if len(named) > 1:
        several_clubs = len({squad.club_id for squad in named}) > 1
        raise CalfDeskError(f"There are {len(named)} squads called {name.strip()!r}.",
                            hint=("Give --club NAME" if several_clubs else "Rename one of them in the app")
                            + "; nothing was imported.")  # fmt: skip
    return named[0] if named else None


def _dry_run_line(args: argparse.Namespace, counts: _Counts, existing: Squad | None, club: Club | None) -> str:
    where = f"squad {existing.title}" if existing is not None else f"a new squad {args.squad.strip()!r}"
    if existing is None and args.club and club is None:
        where += f" of a new club {args.club.strip()!r}"
    return (f"Dry run: the file is ready to import and nothing was written. Importing it would add {counts.new} "
            f"new patients and {counts.held} already held to {where}.")  # fmt: skip


def _imported_line(outcome: ImportOutcome, *, held: int, created_squad: bool) -> str:
    squad = f"the new squad {outcome.squad.title}" if created_squad else f"the squad {outcome.squad.title}"
    return (f"Imported into {squad}: {outcome.created} new patients, {held} already held ({outcome.merged} with "
            f"blank fields filled from the file), {outcome.joined} joined, {outcome.already_members} already "
            "members.")  # fmt: skip


class _CommitProgress:
    """The commit's progress on standard error, rewritten in place on a terminal; silent otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.in_place = stream.isatty()
        self._width = 0

    def report(self, done: int, total: int, status: str) -> None:
        if not self.in_place:
            return
        text = f"{status} {done}/{total}" if status else f"importing {done}/{total}"
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    @property
    def cancel_requested(self) -> bool:
        return False  # Ctrl+C interrupts the transaction, which rolls back (ui.cli.run_command)

    def __enter__(self) -> _CommitProgress:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


# List -----------------------------------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        rows = _listed(session, include_archived=args.archived, on=local_today())
    finally:
        store.close()
    if args.json:
        cli._write_utf8(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        _write_table(sys.stdout, rows)
    return cli.EXIT_OK


def _listed(session: ClinicSession, *, include_archived: bool, on: date) -> list[dict[str, Any]]:
    clubs = {club.id: club.name for club in session.squads.clubs()}
    rows = []
    for squad in session.squads.squads(include_archived=include_archived):
        assert squad.id is not None
        rows.append({
            "id": squad.id, "name": squad.name, "season": squad.season, "club": clubs.get(squad.club_id, ""),
            "members": len(session.squads.members(squad.id, on)), "archived": squad.archived,
        })  # fmt: skip
    return rows


def _write_table(out: TextIO, rows: Sequence[dict[str, Any]]) -> None:
    cells = [_LIST_HEADINGS]
    for row in rows:
        name = row["name"] + (" (archived)" if row["archived"] else "")
        cells.append((str(row["id"]), name, row["season"], row["club"], str(row["members"])))
    widths = [max(cli.display_width(line[column]) for line in cells) for column in range(len(_LIST_HEADINGS))]
    for line in cells:
        padded = (value + " " * (width - cli.display_width(value)) for value, width in zip(line, widths, strict=True))
        out.write("  ".join(padded).rstrip() + "\n")
    if not rows:
        out.write("(no squads)\n")


# Export ---------------------------------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    fmt = EXPORT_FORMATS.get(args.out.suffix.lower())
    if fmt is None:
        raise CalfDeskError(
            f"Cannot tell the format of {args.out.name}.", hint="Give --out a .csv, .xlsx or .pdf file."
        )
    if args.analytics and fmt == "pdf":
        raise CalfDeskError("The analytics file is CSV or XLSX.", hint="Give --out a .csv or .xlsx file.")
    target = output_file(args.out, force=args.force, example=f"squad.{fmt}")
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        squad = find_squad(session, args.squad)
        data, what = _exported(session, squad, fmt, analytics=args.analytics, today=local_today())
    finally:
        store.close()
    from ui.atomic_file import write_bytes_atomically

    write_bytes_atomically(target, data)
    _say(f"Wrote {what} of the squad {squad.title} to {target}.")
    return cli.EXIT_OK


def _exported(session: ClinicSession, squad: Squad, fmt: str, *, analytics: bool, today: date) -> tuple[bytes, str]:
    """The file's bytes, and what it is in words."""
    assert squad.id is not None
    exchange = session.record_exchange
    if analytics:
        return exchange.analytics_file(session.squads.analytics(squad.id, today), fmt), "the pseudonymised analytics"
    dashboard = session.squads.dashboard(squad.id, today)
    athletes = f"{len(dashboard.rows)} athlete{'' if len(dashboard.rows) == 1 else 's'}"
    if fmt == "pdf":
        from reports.squad_report import render_squad_report  # ReportLab: only for the command that needs it

        clinic_name = session.clinic_settings.profile().name
        pdf = exchange.squad_report(dashboard, squad, clinic_name=clinic_name, render=render_squad_report)
        return pdf, f"the screening report ({athletes})"
    return exchange.squad_file(dashboard, squad, fmt), f"the table ({athletes}, {fmt.upper()})"


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _tell(line: str) -> None:
    sys.stdout.flush()
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
