"""The ``calfdesk`` sub-commands: demo data and the patient list, for scripts and batch jobs.

Qt-free, not even indirectly (an import-linter contract), so every command runs on a server with no
display. Expected failures (``CalfDeskError``) become one plain line on stderr and exit status 2, the
same status argparse uses for a wrong command line; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TextIO

from ui.clock import local_today
from workstation.dates import DateOrder, format_date
from workstation.errors import CalfDeskError
from workstation.identifiers import format_medicare_number, format_nhs_number
from workstation.ports import ClinicStore
from workstation.records import PatientSummary

# ``db`` (SQLAlchemy, Alembic), ``workstation.search`` (NumPy) and the demo's name lists take most of a
# second to import, and the entry point imports this module to parse every command line, including the
# window's and --version's: they are imported by the commands that use them.

EXIT_OK = 0
EXIT_EXPECTED_FAILURE = 2  # argparse's status for a bad command line; both mean "you can fix this"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
DEFAULT_DEMO_PATIENTS = 1_000
DEFAULT_DEMO_SEED = 1
DATABASE_HELP = (
    "a SQLite file path or URL (sqlite:///path), or a PostgreSQL URL; "
    "default: $CALFDESK_DATABASE, else calfdesk.sqlite3 in your data folder"
)
_TABLE_HEADINGS = ("ID", "Name", "Preferred", "Born", "NHS number", "Medicare")

Handler = Callable[[argparse.Namespace], int]


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo`` and ``patients list`` to the top-level parser's sub-commands."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option given before the sub-command must not be overwritten by this one's default.
    common.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=DATABASE_HELP)
    _add_demo(subparsers, common)
    _add_patients(subparsers, common)


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
    except CalfDeskError as error:
        print(f"calfdesk: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_EXPECTED_FAILURE
    except KeyboardInterrupt:
        # Every write is one transaction: the one under way is rolled back, none is left half done.
        print("calfdesk: interrupted; the write under way was rolled back.", file=sys.stderr)
        return EXIT_INTERRUPTED


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _open(database: str | None) -> ClinicStore:
    import db

    return db.open_database(database)


def _run_demo(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    store = _open(args.database)
    try:
        patients, episodes = fill_with_demo_data(store, args.patients, args.seed)
        description = store.description
    finally:
        store.close()
    seconds = time.perf_counter() - started
    print(f"Added {patients} demo patients and {episodes} episodes to {description} in {seconds:.1f} s.")
    return EXIT_OK


def fill_with_demo_data(store: ClinicStore, count: int, seed: int) -> tuple[int, int]:
    """Add ``count`` synthetic patients and their episodes; return (patients, episodes) added.

    Raises:
        CalfDeskError: the database already holds patients (demo data must never mix with real records).
    """
    from workstation.demo import generate_episodes, generate_patients

    if store.patients.count():
        raise CalfDeskError(
            "This database already holds patients, and demo data goes only into an empty one.",
            hint="Give --database a new file, or an empty database.",
        )
    today = local_today()
    patients = store.patients.add_many(generate_patients(count, seed, today))
    # The store hands out ids, so the episodes are made for the patients as saved (every one is demo data).
    saved = [(summary.id, summary.date_of_birth) for summary in store.patients.summaries()]
    episodes = store.episodes.add_many(generate_episodes(saved, seed, today))
    return patients, episodes


def _open_existing(database: str | None) -> ClinicStore:
    """Open a database that must already exist: listing a mistyped path must not create an empty file."""
    import db

    path = db.resolve(database).sqlite_path
    if path is not None and not path.exists():
        raise CalfDeskError(f"There is no CalfDesk database at {path}.", hint="Check the path and --database.")
    return db.open_database(database)


def _run_patients_list(args: argparse.Namespace) -> int:
    store = _open_existing(args.database)
    try:
        rows = list(_listed(store, args.search, args.limit))
    finally:
        store.close()
    if args.json:
        _write_utf8(json.dumps([summary_json(row) for row in rows], ensure_ascii=False, indent=2) + "\n")
    else:
        _write_table(sys.stdout, rows)
    return EXIT_OK


def _listed(store: ClinicStore, search: str | None, limit: int | None) -> Iterator[PatientSummary]:
    if not search:
        yield from store.patients.first_page(limit) if limit else store.patients.summaries()
        return
    from workstation.search import PatientSearchIndex

    by_id: dict[int, PatientSummary] = {}
    index = PatientSearchIndex.build(_remembered(store.patients.summaries(), by_id))
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
