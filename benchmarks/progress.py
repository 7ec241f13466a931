"""``progress_open_ms``: Ctrl+2 to a fully drawn Progress tab (issue 7: under 100 ms).

Measured in a fresh process (``benchmarks.progress_probe``): a patient with five years of weekly
assessments and 2,000 runs, the median of the later openings; the first (pyqtgraph loading, the plots
made) is reported beside it.
"""

from __future__ import annotations

from benchmarks.environment import Sandbox, run_probe


def measure(sandbox: Sandbox) -> dict[str, object]:
    return run_probe("benchmarks.progress_probe", sandbox)


if __name__ == "__main__":
    scratch = Sandbox()
    try:
        print(measure(scratch))
    finally:
        scratch.close()
