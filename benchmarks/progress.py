"""``progress_open_ms``: Ctrl+2 to a fully drawn Progress tab (issue 7: under 100 ms).

Measured in a fresh process (``benchmarks.progress_probe``): a patient with five years of weekly
assessments and 2,000 runs, the median of the later openings; the first (pyqtgraph loading, the plots
made) is reported beside it.
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.environment import REPO, Sandbox


def measure(sandbox: Sandbox) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.progress_probe"], cwd=REPO, env=sandbox.env(),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"progress probe failed: {done.stderr[-800:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    scratch = Sandbox()
    try:
        print(measure(scratch))
    finally:
        scratch.close()
