"""``wizard_page_ms``: the slowest page change of the assessment wizard (issue 6: under 50 ms).

Measured in a fresh process (``benchmarks.wizard_probe``) with a filled-in assessment, every page
visited forwards and backwards ``ROUNDS`` times; the result is the slowest page's median.
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.environment import REPO, Sandbox


def measure(sandbox: Sandbox) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.wizard_probe"], cwd=REPO, env=sandbox.env(),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"wizard probe failed: {done.stderr[-800:]}")
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    pages: dict[str, float] = probe["pages"]
    slowest = max(pages, key=pages.__getitem__)
    return {
        "wizard_page_ms": pages[slowest],
        "wizard_slowest_page": slowest,
        "wizard_pages_ms": pages,
        "wizard_edit_ms": probe["edit_ms"],
    }


if __name__ == "__main__":
    scratch = Sandbox()
    try:
        print(measure(scratch))
    finally:
        scratch.close()
