"""The ``calfdesk`` entry point: the desktop app, or a sub-command of ``ui.cli``.

Nothing here imports Qt: the window's modules load only when the window is wanted, so the sub-commands
run without a display and ``--version`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable


def main(argv: list[str] | None = None) -> int:
    """Run ``calfdesk`` with ``argv`` (default: the process's arguments); return the exit status."""
    if getattr(sys, "frozen", False):
        # A frozen build starts the letter pool's workers (and their forkserver) by running its own
        # executable again with multiprocessing's arguments: hand those runs to multiprocessing at once.
        import multiprocessing

        multiprocessing.freeze_support()
    # First of all: the window measures its start-up from this moment.
    os.environ["CALFDESK_T0"] = str(time.time())
    from ui import cli

    parser = build_parser()
    args = parser.parse_args(argv)
    database = args.database or os.environ.get("CALFDESK_DATABASE") or None
    if args.command is None:
        user = cli.user_name_of(args) if args.startup_check else args.user
        return _run_desktop(database, startup_check=args.startup_check, user=user)
    if args.startup_check:
        parser.error("--startup-check opens the window, so it takes no command")
    return _quiet_on_closed_pipe(lambda: cli.run_command(args, database))


def build_parser() -> argparse.ArgumentParser:
    import workstation
    from ui import cli

    parser = argparse.ArgumentParser(
        prog="calfdesk",
        description="CalfDesk, the clinical workstation for runners with calf pain. With no command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"calfdesk {workstation.__version__}")
    parser.add_argument("--database", metavar="URL", default=None, help=cli.DATABASE_HELP)
    parser.add_argument("--user", metavar="NAME", default=None, help=cli.USER_HELP)
    parser.add_argument(
        "--startup-check",
        action="store_true",
        help=(
            "open the window, print startup_ms=<milliseconds> once the patient list (or the login screen, "
            "without --user) has painted, then quit; with --user also login_ms=<milliseconds>"
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    cli.add_commands(commands)
    return parser


def _run_desktop(database: str | None, *, startup_check: bool, user: str | None) -> int:
    from ui.app import run_desktop  # Qt loads here, and only here

    return run_desktop(database, startup_check=startup_check, user=user)


def _quiet_on_closed_pipe(command: Callable[[], int]) -> int:
    """``calfdesk patients list | head`` closes the pipe early: that is the reader's choice, not an error."""
    try:
        status = command()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the failed flush at exit; point stdout at nothing first (Python docs, "SIGPIPE").
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
