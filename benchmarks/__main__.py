"""``python -m benchmarks`` (``make bench``): every measure on the 100,000-patient database.

Writes benchmarks/results/latest.json, prints a table, and appends a dated entry to the results log in
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import sys
from datetime import UTC, datetime
from typing import Any

from benchmarks import (
    audit_verify,
    database,
    evaluate,
    letters,
    login,
    package,
    progress,
    report,
    search,
    squad_import,
    startup,
    wizard,
)
from benchmarks.environment import REPO, Sandbox, machine

PROJECT_PACKAGES = ("workstation", "db", "reports", "ui")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--rounds", type=int, default=15, help="start-up rounds of each program (default 15)")
    parser.add_argument("--queries", type=int, default=1_000, help="search queries to type (default 1000)")
    parser.add_argument(
        "--skip-demo", action="store_true", help="reuse the cached database without timing calfdesk demo"
    )
    parser.add_argument("--no-log", action="store_true", help="do not append to the README's results log")
    return parser


def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "machine": machine(),
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "patients": database.DEMO_PATIENTS,
    }
    _compile_project()
    sandbox = Sandbox()
    try:
        _say("preparing the 100,000-patient database (calfdesk demo)")
        path, demo_seconds = database.prepare(sandbox, measure_demo=not args.skip_demo)
        results["demo_100k_s"] = demo_seconds
        _say(f"start-up: {args.rounds} alternating rounds")
        results |= _startup(startup.measure(path, sandbox, args.rounds))
        _say(f"search: typing {args.queries} queries")
        results |= _search(search.measure_search(path, sandbox, args.queries))
        _say("peak memory")
        results["peak_rss_mb"] = search.measure_peak_rss_mb(path, sandbox)
        _say("password check (argon2id)")
        results["argon2_verify_ms"] = login.measure_verify_ms()
        _say("audit chain: verifying 1,000,000 entries")
        results["audit_verify_1m_s"] = audit_verify.measure(1_000_000, sandbox.path)
        _say(f"clinical engine: calfdesk evaluate --jsonl on {evaluate.DOCUMENTS:,} documents")
        results |= evaluate.measure(sandbox)
        _say("assessment wizard: page changes")
        results |= wizard.measure(sandbox)
        _say("progress tab: five years of weekly assessments and 2,000 runs")
        results |= progress.measure(sandbox)
        _say("letters: a GP referral alone and beside bare ReportLab, then a batch of 500")
        results |= letters.measure(sandbox)
        _say("squad import: a club's 10,000-athlete CSV into a new squad")
        results |= squad_import.measure(sandbox)
        _say("the offline installer: build the .deb, then start the installed app")
        results |= package.measure(path, sandbox)
    finally:
        sandbox.close()
    results["targets"] = report.TARGETS
    results["minimums"] = report.MINIMUMS
    return results


def _compile_project() -> None:
    """Byte-compile our packages, as pip does for an installed copy and PyInstaller does for the bundle.

    An editable checkout run with PYTHONDONTWRITEBYTECODE (set in some shells and CI images) would
    otherwise recompile some sixty modules at every start, a cost no installed CalfDesk has; the floor's
    libraries were compiled when pip installed them.
    """
    for name in PROJECT_PACKAGES:
        compileall.compile_dir(REPO / name, quiet=1)


def _startup(measured: startup.StartupResult) -> dict[str, Any]:
    return {
        "startup_ratio": measured.ratio,
        "startup_ratio_bare_window": measured.ratio_to_bare_window,
        "startup_ms_median": measured.app_startup_ms,
        "startup_wall_s_median": measured.app_wall_s,
        "floor_wall_s_median": measured.floor_wall_s,
        "bare_window_wall_s_median": measured.bare_window_wall_s,
        "floor_startup_ms_median": measured.floor_startup_ms,
        "startup_rounds": measured.rounds,
    }


def _search(measured: search.SearchResult) -> dict[str, Any]:
    return {
        "search_p50_ms": measured.p50_ms,
        "search_p95_ms": measured.p95_ms,
        "search_ratio_to_sql": measured.ratio_to_sql,
        "sql_p50_ms": measured.sql_p50_ms,
        "sql_p95_ms": measured.sql_p95_ms,
        "search_queries": measured.queries,
        "search_keystrokes": measured.keystrokes,
        "index_ready_s": measured.index_ready_s,
    }


def _say(message: str) -> None:
    print(f"benchmarks: {message}…", file=sys.stderr, flush=True)


def main() -> int:
    args = _parser().parse_args()
    results = run(args)
    report.write_latest(results)
    if not args.no_log:
        report.append_to_log(results)
    print(report.table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
