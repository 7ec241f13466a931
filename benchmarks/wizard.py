"""``wizard_page_ms``: the slowest page change of the assessment wizard (issue 6: under 50 ms).

Measured in a fresh process (``benchmarks.wizard_probe``) with a filled-in assessment, every page
visited forwards and backwards ``ROUNDS`` times; the result is the slowest page's median.
"""

from __future__ import annotations

from benchmarks.environment import Sandbox, run_probe


def measure(sandbox: Sandbox) -> dict[str, object]:
    probe = run_probe("benchmarks.wizard_probe", sandbox)
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
