"""``calfdesk evaluate FILE|-`` and ``--jsonl``: the clinical engine on assessment documents, for scripts.

The contract is docs/assessment-contract.md. A document that breaks it prints one line per problem on
standard error (``heel_raise.left_reps: must be an integer from 0 to 500``), nothing on standard output,
and exits with status 2; never a traceback. No database and no login: the engine reads only the file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ui.clock import local_today
from workstation.clinical.country import Country

# The engine is imported by the command that runs it: the entry point builds this parser for every start
# of the window too, which must not pay for the clinical rules.

EXIT_OK = 0
EXIT_INVALID = 2
_READ_CHUNK = 64 * 1024


def add_evaluate_command(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = subparsers.add_parser(
        "evaluate",
        help="evaluate an assessment document (JSON) with the clinical engine",
        description="Read one calfdesk.assessment/1 document (or, with --jsonl, one per line) and print its "
        "calfdesk.evaluation/1 as JSON. Problems are printed one per line on standard error, naming the path; "
        "the exit status is then 2. The contract: docs/assessment-contract.md.",
    )
    command.add_argument("file", metavar="FILE", help="the document, or - for standard input")
    command.add_argument(
        "--jsonl", action="store_true", help="one document per line; one evaluation (or error record) per line"
    )
    command.add_argument(
        "--country",
        type=_country,
        default=None,
        metavar="CODE",
        help="the clinic's country for emergency numbers in red-flag messages: UK, AU, EU or US "
        "(default: every number is given)",
    )
    command.set_defaults(handler=run_evaluate)


def _country(code: str) -> Country:
    try:
        return Country.from_code(code)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run_evaluate(args: argparse.Namespace) -> int:
    from workstation.clinical.contract import ROOT

    try:
        with _opened(args.file) as stream:
            if args.jsonl:
                return _evaluate_batch(stream, args.country)
            return _evaluate_one(stream, args.country)
    except OSError as error:
        _problems([f"{ROOT}: cannot read {args.file}: {error.strerror or error}"])
        return EXIT_INVALID


def _opened(name: str) -> IO[bytes]:
    if name == "-":
        # Not closed on exit: the with-block must leave the process's standard input alone.
        return open(sys.stdin.fileno(), "rb", closefd=False)
    return Path(name).open("rb")


def _evaluate_one(stream: IO[bytes], country: Country | None) -> int:
    from workstation.clinical.contract import AssessmentInvalid
    from workstation.clinical.evaluate import MAX_DOCUMENT_BYTES, evaluate_text

    # One byte over the limit is enough to refuse: a 5 GB file is never read into memory.
    text = stream.read(MAX_DOCUMENT_BYTES + 1)
    try:
        evaluation = evaluate_text(text, today=local_today(), country=country)
    except AssessmentInvalid as invalid:
        _problems(invalid.errors)
        return EXIT_INVALID
    _write(json.dumps(evaluation, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _evaluate_batch(stream: IO[bytes], country: Country | None) -> int:
    from workstation.clinical.batch import evaluate_lines

    failed: list[int] = []
    out = sys.stdout.buffer
    for result in evaluate_lines(_lines(stream), today=local_today(), country=country):
        out.write(json.dumps(result.output, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
        if result.failed:
            failed.append(result.line)
    out.flush()
    if failed:
        shown = ", ".join(str(line) for line in failed[:10]) + (", ..." if len(failed) > 10 else "")
        _problems([f"calfdesk evaluate: {len(failed):,} line(s) broke the contract (line {shown})"])
        return EXIT_INVALID
    return EXIT_OK


def _lines(stream: IO[bytes]) -> Iterator[bytes]:
    """Each line without its line ending; an over-long line is cut to just over the limit, not held whole."""
    from workstation.clinical.evaluate import MAX_DOCUMENT_BYTES

    while line := stream.readline(MAX_DOCUMENT_BYTES + 1):
        if len(line) > MAX_DOCUMENT_BYTES and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
        yield line.rstrip(b"\r\n")


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while (chunk := stream.readline(_READ_CHUNK)) and not chunk.endswith(b"\n"):
        pass


def _problems(lines: Any) -> None:
    sys.stderr.write("".join(f"{line}\n" for line in lines))
    sys.stderr.flush()


def _write(text: str) -> None:
    """JSON is UTF-8 by definition (RFC 8259), whatever the console's encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
