"""``calfdesk letter``: one finalised letter written to a file, or one letter per patient into a folder.

Qt-free like the rest of the command line. Every letter is the one the letter dialog would open with,
finalised through the letter service (stored immutable, audited) and exported from the stored bytes
(``ui.letter_export``), so the file is exactly what the record keeps. There is no draft mode: a letter
that leaves the clinic is one the record holds (ARCHITECTURE.md 4).

An urgent or emergency letter needs the phone call made first (CLINICAL.md 9.1 "Urgent tiers"): the call
(``--phoned-at``, ``--spoken-to``, ``--outcome``) or why none was made (``--not-called``); without it,
nothing is stored and the command says so. A batch takes only ``--not-called``, for all its letters (one
call cannot be every patient's), and refuses the urgent letters one by one without it. A batch of eight or
more renders its letters in one worker process per core (``ui.letter_pool``); the progress line and the
failures still come in the order of the ids. ``--squad NAME`` is a batch of the squad's current members,
in list order (the squad named as ``calfdesk squad list`` shows it, by name or id).

Exit statuses as in ``ui.cli`` (2: nothing was written, fix and retry), plus 1: a batch wrote some letters
but not all (each failure was named on standard error by patient id, never by name).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ui import cli
from ui.clock import local_today
from workstation.errors import CalfDeskError, ValidationFailed

if TYPE_CHECKING:
    from datetime import date

    from ui.letter_export import BatchResult, LetterOrder
    from workstation.services.session import ClinicSession

# ``workstation.letters.records.LetterKind`` values; a test keeps the two the same. Not imported: the
# letter model brings the assessment and progress records, and this parser is built for every start.
TEMPLATES = ("gp-referral", "progress", "discharge", "care-plan-report", "handout")
EXIT_SOME_FAILED = 1  # a batch wrote some letters, not all
_CLOCK_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_CLOCK_SLACK = timedelta(minutes=5)  # a call "at 11:20" typed at 11:18 by a clock that runs slow
_PROGRESS_STEPS = 10  # without a terminal, a progress line every tenth of the batch
_CALL_HINT = (
    "Give --phoned-at HH:MM --spoken-to TEXT --outcome TEXT for the call you made, "
    "or --not-called REASON if you could not call."
)
_USAGE = """%(prog)s PATIENT_ID --template NAME [--assessment ID] --out FILE.pdf [--force]
                       [--phoned-at HH:MM|ISO --spoken-to TEXT --outcome TEXT | --not-called REASON]
       %(prog)s (--ids ID,ID,... | --ids-file FILE | --squad NAME) --template NAME --out-dir DIR
                       [--not-called REASON]"""
_BATCH_CALL_HINT = "For a batch, --not-called REASON records why no call was made for all its urgent letters."


def add_letter_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add ``letter``: one patient's letter to ``--out``, or one per patient of a batch into ``--out-dir``."""
    letter = subparsers.add_parser(
        "letter",
        parents=[common],
        usage=_USAGE,
        help="finalise a letter (PDF) for a patient, or one per patient of a list",
        description="Finalise a letter as the letter dialog opens it (default sections, the patient's GP as "
        "recipient, text from the record): it is stored, unchangeable, with its SHA-256 and audited, and the "
        "stored PDF is written to --out. With --ids, --ids-file or --squad, one letter per patient is written into "
        "--out-dir as '<patient id> <template> <reference>.pdf'; a patient that fails is named on standard "
        "error and the others go on (exit status 1 if any failed). Urgent and emergency letters need the "
        "phone call made first, or --not-called REASON.",
    )
    who = letter.add_mutually_exclusive_group(required=True)
    who.add_argument("patient_id", nargs="?", metavar="PATIENT_ID", type=cli._positive_int, help="the patient's id")
    who.add_argument("--ids", metavar="ID,ID,...", type=_id_list, help="a batch: these patients' ids")
    who.add_argument("--ids-file", metavar="FILE", type=Path, help="a batch: one patient id a line (# comments)")
    who.add_argument("--squad", metavar="NAME", help="a batch: the squad's current members (its name or id)")
    letter.add_argument(
        "--template", required=True, choices=TEMPLATES, metavar="NAME", help=f"the document: {', '.join(TEMPLATES)}"
    )
    letter.add_argument(
        "--assessment", metavar="ID", type=cli._positive_int, help="the assessment it reports (default: the latest)"
    )
    letter.add_argument("--out", metavar="FILE.pdf", type=Path, help="where to write the letter")
    letter.add_argument("--out-dir", metavar="DIR", type=Path, help="a batch: the folder for the letters")
    letter.add_argument("--force", action="store_true", help="replace an existing --out file")
    call = letter.add_argument_group("the phone call that an urgent or emergency letter needs first")
    call.add_argument(
        "--phoned-at", metavar="HH:MM|ISO", type=_phoned_at, help="when you phoned: HH:MM today, or ISO date and time"
    )
    call.add_argument("--spoken-to", metavar="TEXT", help='whom you spoke to, e.g. "Reception, Riverside Surgery"')
    call.add_argument("--outcome", metavar="TEXT", help='what was agreed, e.g. "Seen today at 15:00 by Dr Patel"')
    call.add_argument("--not-called", metavar="REASON", help='why no call was made, e.g. "Sent to ED by ambulance"')
    letter.set_defaults(handler=run_letter, letter_parser=letter)


def _id_list(text: str) -> list[int]:
    ids = []
    for part in text.split(","):
        if part.strip():
            ids.append(cli._positive_int(part.strip()))
    if not ids:
        raise argparse.ArgumentTypeError("give at least one patient id")
    return ids


def _phoned_at(text: str) -> datetime:
    """``HH:MM`` (today, local time) or an ISO date and time (local time unless it says its offset)."""
    given = text.strip()
    clock = _CLOCK_TIME.match(given)
    try:
        if clock:
            moment = datetime.combine(local_today(), time(int(clock[1]), int(clock[2])))
        elif "T" in given or " " in given:  # a date alone would read as a call at midnight
            moment = datetime.fromisoformat(given)
        else:
            raise ValueError(given)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time (HH:MM) or an ISO date and time: {text!r}") from None
    moment = moment.astimezone() if moment.tzinfo is None else moment  # a naive time is the clinic's clock
    if moment > datetime.now(UTC) + _CLOCK_SLACK:
        raise argparse.ArgumentTypeError(f"{text} is later than now: record the call once it is made")
    return moment


# The command ------------------------------------------------------------------------------------------


def run_letter(args: argparse.Namespace) -> int:
    batch = args.patient_id is None
    _check_options(args, batch=batch)
    order = _order(args)
    if batch:
        return _run_batch(args, order)
    from ui.letter_export import describe, write_letter

    target = _new_file(args.out, force=args.force)
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        written = write_letter(session, order, args.patient_id, lambda _request: target, today=local_today())
    except ValidationFailed as refused:
        raise _call_refusal(refused, _CALL_HINT) from None
    finally:
        store.close()
    _say(f"Wrote {written.path} ({describe(written.stored)})")
    return cli.EXIT_OK


def _check_options(args: argparse.Namespace, *, batch: bool) -> None:
    parser: argparse.ArgumentParser = args.letter_parser
    if batch:
        single = {"--out": args.out, "--assessment": args.assessment, "--phoned-at": args.phoned_at,
                  "--force": args.force}  # fmt: skip
        wrong = [name for name, value in single.items() if value]
        if wrong:
            parser.error(f"a batch (--ids, --ids-file, --squad) takes --out-dir, not {', '.join(wrong)}")
        if args.out_dir is None:
            parser.error("a batch (--ids, --ids-file, --squad) needs --out-dir DIR")
    else:
        if args.out is None:
            parser.error("give --out FILE.pdf (or --ids with --out-dir for a batch)")
        if args.out_dir is not None:
            parser.error("--out-dir is for a batch (--ids, --ids-file, --squad); one letter takes --out")
    if args.phoned_at is not None and args.not_called is not None:
        parser.error("--phoned-at and --not-called say opposite things: give one of them")
    if args.phoned_at is not None and not ((args.spoken_to or "").strip() and (args.outcome or "").strip()):
        parser.error("--phoned-at needs --spoken-to and --outcome: whom you spoke to, and what was agreed")
    if args.phoned_at is None and (args.spoken_to is not None or args.outcome is not None):
        parser.error("--spoken-to and --outcome describe a call: give --phoned-at too")
    if args.not_called is not None and not args.not_called.strip():
        parser.error("--not-called needs the reason no call was made")


def _order(args: argparse.Namespace) -> LetterOrder:
    from ui.letter_export import LetterOrder
    from workstation.letters.records import LetterKind, PhoneCall

    call = None
    if args.phoned_at is not None:
        call = PhoneCall(args.phoned_at, spoken_to=args.spoken_to.strip(), outcome=args.outcome.strip())
    not_called = args.not_called.strip() if args.not_called is not None else None
    return LetterOrder(LetterKind(args.template), args.assessment, call, not_called)


def _call_refusal(refused: ValidationFailed, hint: str) -> CalfDeskError | ValidationFailed:
    """The service's phone-call refusal, with the options that answer it; any other refusal as it is."""
    from ui.letter_export import PHONE_CALL_FIELD, wants_phone_call

    if not wants_phone_call(refused):
        return refused
    call = " ".join(problem.message for problem in refused.problems if problem.field == PHONE_CALL_FIELD)
    return CalfDeskError(call, hint=f"{hint} Nothing was stored.")


def _new_file(path: Path, *, force: bool) -> Path:
    """``--out``, checked before anything is stored: a new file (or ``--force``) in a folder we can write."""
    path = path.expanduser()
    if path.is_dir():
        raise CalfDeskError(f"{path} is a folder.", hint="Give --out a file name, e.g. letter.pdf.")
    if path.exists() and not force:
        raise CalfDeskError(f"{path} already exists.", hint="Add --force to replace it; nothing was stored.")
    folder = path.parent
    if not folder.is_dir():
        raise CalfDeskError(f"There is no folder {folder}.", hint="Make it first, or check --out; nothing was stored.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CalfDeskError(f"Cannot write to the folder {folder}.", hint="Check --out; nothing was stored.")
    return path


# A batch ----------------------------------------------------------------------------------------------


def _run_batch(args: argparse.Namespace, order: LetterOrder) -> int:
    from ui.letter_export import write_batch

    # A list's mistakes are found before the login; a squad's members are read after it. Either way the
    # folder is made only once the batch has its patients.
    ids = None if args.squad is not None else _batch_ids(args)
    folder = _batch_folder(args.out_dir) if ids is not None else None
    today = local_today()
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        if ids is None or folder is None:
            ids = _squad_ids(session, args.squad, today)
            folder = _batch_folder(args.out_dir)
        progress = ProgressLine(len(ids))

        def failed(patient_id: int, error: CalfDeskError) -> None:
            progress.interrupt(f"calfdesk: patient {patient_id}: {_reason(error)}")

        try:
            result = write_batch(session, order, ids, folder, today=today, progress=progress, failed=failed)
        finally:
            progress.close()  # an interruption's message, if any, on a line of its own
    finally:
        store.close()
    if result.not_tried:
        _tell(f"calfdesk: stopped: the {result.not_tried} patients left would fail the same way.")
    _say(_summary(result, len(ids), folder))
    return EXIT_SOME_FAILED if result.failed else cli.EXIT_OK


def _batch_ids(args: argparse.Namespace) -> list[int]:
    """The batch's patients of ``--ids`` or ``--ids-file`` in the order given, each once."""
    ids = args.ids if args.ids is not None else read_ids_file(args.ids_file)
    return list(dict.fromkeys(ids))


def _squad_ids(session: ClinicSession, squad: str, today: date) -> list[int]:
    """The squad's members today, in list order, each once (``ui.cli_squad`` finds the squad)."""
    from ui.cli_squad import current_member_ids

    return list(dict.fromkeys(current_member_ids(session, squad, today)))


def read_ids_file(path: Path) -> list[int]:
    """One patient id a line; blank lines and ``#`` comments are skipped.

    Raises:
        CalfDeskError: the file cannot be read, a line is not an id, or it names no patient.
    """
    try:
        lines = path.expanduser().read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not a text file"
        raise CalfDeskError(f"Cannot read {path}: {reason}.") from None
    ids = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        if not text.isdecimal() or int(text) < 1:
            raise CalfDeskError(f"{path}, line {number}: not a patient id: {text[:20]!r}.", hint="Nothing was written.")
        ids.append(int(text))
    if not ids:
        raise CalfDeskError(f"{path} names no patient ids.", hint="One id a line.")
    return ids


def _batch_folder(path: Path) -> Path:
    folder = path.expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CalfDeskError(f"Cannot make the folder {folder}: {error.strerror or error}.") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CalfDeskError(f"Cannot write to the folder {folder}.", hint="Check --out-dir; nothing was stored.")
    return folder


def _reason(error: CalfDeskError) -> str:
    """A batch's failure in one line, with the option that answers a phone-call refusal."""
    if isinstance(error, ValidationFailed):
        error = _call_refusal(error, _BATCH_CALL_HINT)
    if isinstance(error, ValidationFailed):
        return cli._one_line("; ".join(problem.message for problem in error.problems))
    return cli._one_line(str(error))


def _summary(result: BatchResult, total: int, folder: Path) -> str:
    line = f"Wrote {len(result.written)} of {total} letters to {folder}"
    if not result.failed:
        return line + "."
    ids = ", ".join(str(patient_id) for patient_id, _ in result.failed)
    line += f"; {len(result.failed)} failed (patient{'s' if len(result.failed) > 1 else ''} {ids})"
    return line + (f"; {result.not_tried} not tried." if result.not_tried else ".")


class ProgressLine:
    """"letters 37/500" on standard error: rewritten in place on a terminal, else a line every tenth."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.in_place = self.stream.isatty()
        self._shown_step = 0
        self._width = 0

    def __call__(self, done: int, failed: int) -> None:
        text = f"letters {done}/{self.total}" + (f", {failed} failed" if failed else "")
        if self.in_place:
            finished = done == self.total
            self.stream.write("\r" + text.ljust(self._width) + ("\n" if finished else ""))
            self._width = 0 if finished else len(text)
        else:
            step = done * _PROGRESS_STEPS // max(1, self.total)
            if step == self._shown_step and done != self.total:
                return
            self._shown_step = step
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End a line left open in place (the batch stopped before its last patient)."""
        if self.in_place and self._width:
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0

    def interrupt(self, line: str) -> None:
        """Print ``line`` on a line of its own, the progress line redrawn under it on a terminal."""
        if self.in_place and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0
        self.stream.write(line + "\n")
        self.stream.flush()


def _tell(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
