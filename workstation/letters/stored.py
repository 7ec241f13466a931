"""A finalised assessment's stored JSON, read defensively for a letter.

A letter quotes what was stored when the assessment was finalised; the engine is not run again. Text that
is not a JSON object reads as empty, and a value of the wrong type reads "–" (``number``), never as a guess,
as ``workstation.assessment.summary_lines`` does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from workstation.assessment.records import AssessmentRecord
from workstation.letters.wording import NOT_DONE


@dataclass(frozen=True, slots=True)
class Stored:
    """The three stored parts of one assessment as JSON objects (empty when unreadable)."""

    record: AssessmentRecord
    document: dict[str, Any]
    evaluation: dict[str, Any]
    detail: dict[str, Any]

    @classmethod
    def of(cls, record: AssessmentRecord) -> Stored:
        return cls(record, _object(record.document), _object(record.evaluation), _object(record.detail))

    def section(self, part: str, key: str) -> dict[str, Any]:
        """``document[key]``, ``evaluation[key]`` or ``detail[key]`` as an object ({} when absent or wrong)."""
        holder = {"document": self.document, "evaluation": self.evaluation, "detail": self.detail}[part]
        return as_dict(holder.get(key))

    @property
    def urgency(self) -> str:
        found = self.evaluation.get("urgency")
        return found if isinstance(found, str) else self.record.urgency

    @property
    def side(self) -> str:
        """The symptomatic side as stored: "left", "right", "both", or "" when unreadable."""
        side = self.document.get("symptomatic_side")
        return side if side in ("left", "right", "both") else ""

    @property
    def plan(self) -> dict[str, Any]:
        return self.section("detail", "plan")

    @property
    def pathway(self) -> str:
        pathway = self.plan.get("pathway")
        return pathway if isinstance(pathway, str) else ""

    @property
    def flags(self) -> list[dict[str, Any]]:
        return [flag for flag in as_list(self.evaluation.get("red_flags")) if isinstance(flag, dict)]

    @property
    def regions(self) -> tuple[str, ...]:
        marked = as_list(self.section("detail", "body_chart").get("regions"))
        return tuple(code for code in marked if isinstance(code, str))


def _object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def number(value: Any, unit: str = "") -> str:
    """ "18", "9.5 cm"; "–" for anything that is not a number."""
    return f"{value:g}{unit}" if is_number(value) else NOT_DONE


def text(value: Any) -> str:
    """A stored free text, stripped; "" when absent or not text."""
    return value.strip() if isinstance(value, str) else ""


def words(table: dict[str, str], value: Any) -> str:
    """A stored code in words; an unknown code as stored; "–" when absent or not text."""
    if not isinstance(value, str) or not value:
        return NOT_DONE
    return table.get(value, value)
