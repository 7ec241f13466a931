"""Search while typing, and memory, measured in a separate process that opens the real window.

The probe (``window_probe.py``) runs in a fresh process so that its peak RSS is the app's own, not the
benchmark runner's, and so that Qt never loads into the runner.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.environment import Sandbox

PROBE_TIMEOUT_S = 3_600
RSS_QUERIES = 20  # "a few searches" after the index is built


@dataclass(frozen=True)
class SearchResult:
    queries: int
    keystrokes: int
    p50_ms: float
    p95_ms: float
    sql_p50_ms: float
    sql_p95_ms: float
    index_ready_s: float

    @property
    def ratio_to_sql(self) -> float:
        return self.p95_ms / self.sql_p95_ms


def measure_search(database: Path, sandbox: Sandbox, queries: int) -> SearchResult:
    result = _probe(database, sandbox, queries, with_sql=True)
    keystrokes, sql = result["keystroke_ms"], result["sql_ms"]
    return SearchResult(
        queries=result["queries"],
        keystrokes=len(keystrokes),
        p50_ms=statistics.median(keystrokes),
        p95_ms=percentile(keystrokes, 95),
        sql_p50_ms=statistics.median(sql),
        sql_p95_ms=percentile(sql, 95),
        index_ready_s=result["index_ready_s"],
    )


def measure_peak_rss_mb(database: Path, sandbox: Sandbox) -> float:
    """Peak RSS of a process that opened the window, waited for the index and searched a little."""
    return float(_probe(database, sandbox, RSS_QUERIES, with_sql=False)["max_rss_mb"])


def percentile(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def _probe(database: Path, sandbox: Sandbox, queries: int, *, with_sql: bool) -> dict[str, Any]:
    output = sandbox.path / "probe.json"
    command = [
        sys.executable, "-m", "benchmarks.window_probe",
        "--database", str(database), "--queries", str(queries), "--output", str(output),
    ]  # fmt: skip
    if with_sql:
        command.append("--sql")
    result = subprocess.run(
        command, env=sandbox.env(), capture_output=True, text=True, timeout=PROBE_TIMEOUT_S, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"the window probe failed ({result.returncode}):\n{result.stderr}")
    measured: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    output.unlink()
    return measured
