"""The results: ``results/latest.json``, a table on stdout, and a dated entry in README.md's log."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from benchmarks.environment import README, RESULTS_DIR

# Lower is better for these measures ...
TARGETS = {
    "startup_ratio": 1.5,
    "search_p95_ms": 16.0,
    "peak_rss_mb": 250.0,
    "demo_100k_s": 60.0,
    "audit_verify_1m_s": 60.0,
    "argon2_verify_ms": 1000.0,
    "running_load_2000_runs_ms": 50.0,  # a share of the progress tab's 100 ms (issue 7)
    "wizard_page_ms": 50.0,  # issue 6: the slowest page change of the assessment wizard
    "progress_open_ms": 100.0,  # issue 7: Ctrl+2 to a fully drawn Progress tab, 5 years weekly + 2,000 runs
    "letter_ratio": 2.0,  # issue 8: a letter ÷ bare ReportLab laying out the same content
    "letters_500_s": 10.0,  # issue 8: a batch of 500 letters, finalised, stored, audited and written
    "squad_import_10k_s": 3.0,  # issue 9: 10,000 athletes read, checked, matched and committed
    "package_mb": 150.0,  # issue 10: the compressed .deb
}
# ... and higher for these: 10,000 screening documents in at most 3 s ("a few seconds", issue 5).
MINIMUMS = {
    "evaluate_docs_per_s": 10_000 / 3,
}
_ROWS = (
    ("startup_ratio", "Start-up ÷ floor (sqlalchemy.orm + bare window)", "{:.2f}"),
    ("startup_ratio_bare_window", "Start-up ÷ bare window", "{:.2f}"),
    ("startup_ms_median", "Start-up to first painted rows (ms, median)", "{:.0f}"),
    ("search_p50_ms", "Keystroke to repainted list, p50 (ms)", "{:.1f}"),
    ("search_p95_ms", "Keystroke to repainted list, p95 (ms)", "{:.1f}"),
    ("search_ratio_to_sql", "Keystroke p95 ÷ bare SQL LIKE prefix p95", "{:.1f}"),
    ("peak_rss_mb", "Peak RSS with 100,000 patients (MB)", "{:.0f}"),
    ("demo_100k_s", "calfdesk demo --patients 100000 (s)", "{:.1f}"),
    ("audit_verify_1m_s", "Verify a 1,000,000-entry audit chain (s)", "{:.1f}"),
    ("argon2_verify_ms", "One password check, argon2id m=64 MiB t=3 p=4 (ms, median)", "{:.0f}"),
    ("evaluate_docs_per_s", "calfdesk evaluate --jsonl, 10,000 documents (documents/s, end to end)", "{:,.0f}"),
    ("evaluate_engine_docs_per_s", "Clinical engine alone, in-process (documents/s)", "{:,.0f}"),
    ("wizard_page_ms", "Assessment wizard: slowest page change, to painted (ms, median)", "{:.1f}"),
    ("wizard_edit_ms", "Assessment wizard: one edit re-evaluated and shown (ms, median)", "{:.1f}"),
    ("progress_open_ms", "Progress tab: Ctrl+2 to painted, 260 weekly assessments + 2,000 runs (ms, median)", "{:.1f}"),
    ("progress_switch_ms", "Progress tab showing: another such patient opened, to painted (ms, median)", "{:.0f}"),
    ("progress_first_open_ms", "Progress tab: first Ctrl+2 of a session (pyqtgraph loads, plots made) (ms)", "{:.0f}"),
    ("running_load_2000_runs_ms", "Running load: weekly distance, spikes, ACWR; 2,000 runs in 5 years (ms)", "{:.1f}"),
    ("letter_ms", "GP referral letter: composed and rendered from facts read once (ms, median)", "{:.1f}"),
    ("letter_bare_ms", "The same content laid out by bare ReportLab platypus (ms, median)", "{:.1f}"),
    ("letter_ratio", "GP referral letter ÷ bare ReportLab of the same content", "{:.2f}"),
    ("letter_pages", "Pages of that GP referral letter", "{:.0f}"),
    ("letters_500_s", "calfdesk letter batch: 500 GP referrals finalised, stored, audited and written (s)", "{:.1f}"),
    ("squad_import_10k_s", "Squad import: 10,000-row CSV read, checked, committed into a new database (s)", "{:.2f}"),
    ("squad_import_10k_read_s", "Squad import: reading the file (s)", "{:.2f}"),
    ("squad_import_10k_preview_s", "Squad import: mapping and checking every row (s)", "{:.2f}"),
    ("squad_import_10k_commit_s", "Squad import: the one transaction (s)", "{:.2f}"),
    ("package_build_s", "make package: bundle and .deb built, no network (s)", "{:.0f}"),
    ("package_bundle_s", "make package: the PyInstaller bundle (s)", "{:.0f}"),
    ("package_deb_s", "make package: the .deb, xz (s)", "{:.0f}"),
    ("package_mb", "The .deb (MB, compressed)", "{:.1f}"),
    ("package_installed_mb", "Installed size (MB)", "{:.1f}"),
    ("installed_startup_ms", "Installed app: start-up to first painted rows, 100,000 patients (ms, median)", "{:.0f}"),
    ("installed_checkout_startup_ms", "The checkout's calfdesk, same rounds (ms, median)", "{:.0f}"),
    ("installed_startup_ratio", "Installed app ÷ checkout, start-up wall time", "{:.2f}"),
    ("squad_import_10k_into_100k_s", "Squad import: the same file beside 100,000 patients held (s)", "{:.2f}"),
)
LOG_HEADING = "## Results log"


def write_latest(results: Mapping[str, Any]) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    latest = RESULTS_DIR / "latest.json"
    temporary = latest.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(latest)


def table(results: Mapping[str, Any]) -> str:
    lines = ["| Measure | Result | Target | Met |", "|---|---:|---:|:---:|"]
    for key, label, template in _ROWS:
        value = results.get(key)
        shown = template.format(value) if value is not None else "not measured"
        goal, met = _goal(key, value)
        lines.append(f"| {label} | {shown} | {goal} | {met} |")
    return "\n".join(lines)


def _goal(key: str, value: float | None) -> tuple[str, str]:
    """The target as written ("≤ 1.5", "≥ 3,333") and whether ``value`` met it ("", "yes", "**no**")."""
    if key in TARGETS:
        target, goal = TARGETS[key], f"≤ {TARGETS[key]:g}"
        met = value is not None and value <= target
    elif key in MINIMUMS:
        target, goal = MINIMUMS[key], f"≥ {MINIMUMS[key]:,.0f}"
        met = value is not None and value >= target
    else:
        return "", ""
    return goal, "" if value is None else ("yes" if met else "**no**")


def append_to_log(results: Mapping[str, Any]) -> None:
    """A dated section at the end of README.md's results log (the log is append-only history)."""
    machine = results["machine"]
    entry = "\n".join(
        [
            f"### {results['timestamp']}",
            "",
            f"{machine['cpu']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM; {machine['os']}.",
            f"Python {machine['python']}, PySide6 {machine['pyside6']}, SQLAlchemy {machine['sqlalchemy']}, "
            f"SQLite {machine['sqlite']}, NumPy {machine['numpy']}.",
            f"{_details(results)}",
            "",
            table(results),
            "",
        ]
    )
    text = README.read_text(encoding="utf-8")
    if LOG_HEADING not in text:
        text = text.rstrip("\n") + f"\n\n{LOG_HEADING}\n"
    README.write_text(text.rstrip("\n") + "\n\n" + entry, encoding="utf-8")


def _details(results: Mapping[str, Any]) -> str:
    parts = []
    if results.get("startup_rounds"):
        parts.append(
            f"Start-up: {results['startup_rounds']} alternating rounds; median wall time app "
            f"{results['startup_wall_s_median']:.2f} s, floor {results['floor_wall_s_median']:.2f} s, "
            f"bare window {results['bare_window_wall_s_median']:.2f} s."
        )
    if results.get("search_keystrokes"):
        parts.append(
            f"Search: {results['search_queries']} queries, {results['search_keystrokes']} keystrokes; "
            f"SQL p50/p95 {results['sql_p50_ms']:.2f}/{results['sql_p95_ms']:.2f} ms; "
            f"index ready {results['index_ready_s']:.1f} s after the window opened."
        )
    return " ".join(parts)
