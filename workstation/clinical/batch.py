"""Evaluating a screening batch: one assessment per line in, one evaluation per line out, in order.

A line that breaks the contract yields ``{"line": N, "errors": [...]}`` in its place (N counts from 1)
and the rest are still evaluated: one typing slip must not hold up forty runners' results.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from workstation.clinical.contract import AssessmentInvalid
from workstation.clinical.country import Country
from workstation.clinical.evaluate import evaluate_text


@dataclass(frozen=True, slots=True)
class LineResult:
    line: int
    output: dict[str, Any]  # the evaluation, or {"line": N, "errors": [...]}
    failed: bool


def evaluate_lines(
    lines: Iterable[str | bytes], *, today: date, country: Country | None = None
) -> Iterator[LineResult]:
    """Evaluate each line as one document; a line's problems replace its evaluation, never stop the batch."""
    for number, line in enumerate(lines, start=1):
        try:
            yield LineResult(number, evaluate_text(line, today=today, country=country), failed=False)
        except AssessmentInvalid as invalid:
            yield LineResult(number, {"line": number, "errors": list(invalid.errors)}, failed=True)
