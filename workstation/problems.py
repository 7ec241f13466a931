"""A problem with one field of a record, shown beside that field (validation is inline, not modal)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "error"  # blocks saving
    WARNING = "warning"  # shown, but the record can be saved


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def blocks_save(self) -> bool:
        return self.severity is Severity.ERROR


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.blocks_save]
