"""Everything held about one patient, as JSON for machines and as text for people (RELIABILITY.md G1).

The JSON holds every stored value of every row, table by table, exactly as stored (dates in ISO 8601,
instants in UTC): GDPR Art 15 access and Art 20 portability, APP 12. The text summary puts the same
rows in a reading order, and names any table it has no section for, so a new table is never left out
of either. A PDF version is to come with the letters work (it needs the letter styles); until then the
summary is plain UTF-8 text. The contract is in docs/privacy.md.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from workstation.privacy.ports import StoredRow, StoredValue, Tables
from workstation.privacy.retention import long_date

FORMAT = "calfdesk-subject-access"
FORMAT_VERSION = 1
NO_VALUE = "—"
# Columns that only order or link rows: in the JSON, but they would only puzzle a reader of the summary.
_INTERNAL_COLUMNS = frozenset({"sort_key", "version", "previous_hash", "entry_hash", "uid"})


@dataclass(frozen=True, slots=True)
class PatientFile:
    patient_id: int
    exported_at: datetime  # UTC
    exported_by: str  # the administrator's user name
    tables: Tables

    def rows(self, table: str) -> Sequence[StoredRow]:
        return self.tables.get(table, ())

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def export_json(file: PatientFile) -> str:
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "patient_id": file.patient_id,
        "exported_at": file.exported_at.isoformat(),
        "exported_by": file.exported_by,
        "tables": {name: [_json_row(row) for row in rows] for name, rows in sorted(file.tables.items())},
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _json_row(row: StoredRow) -> dict[str, object]:
    return {name: _json_value(value) for name, value in row.items()}


def _json_value(value: StoredValue) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinity; the text keeps what was stored
    return value


def summary_text(file: PatientFile, json_name: str) -> str:
    """The summary a person reads; ``json_name`` is the file beside it with every value."""
    lines = [
        f"Everything CalfDesk holds about patient {file.patient_id}",
        f"Exported {_instant(file.exported_at)} by {file.exported_by}.",
        f"Every stored value is in {json_name} (machine-readable JSON). A PDF copy will follow in a later version.",
    ]
    for table, (title, describe) in _SECTIONS.items():
        rows = file.rows(table)
        lines += ["", f"{title} ({len(rows)})" if table != "patient" else title]
        lines += [f"  {line}" for line in describe(rows)] or ["  none"]
    others = sorted(set(file.tables) - set(_SECTIONS))
    if others:
        lines += ["", "Other records (see the JSON file)"]
        lines += [f"  {table}: {len(file.rows(table))} rows" for table in others]
    return "\n".join(lines) + "\n"


def _patient(rows: Sequence[StoredRow]) -> list[str]:
    return [
        f"{_label(name)}: {_text(value)}"
        for row in rows
        for name, value in row.items()
        if name not in _INTERNAL_COLUMNS
    ]


def _restriction(rows: Sequence[StoredRow]) -> list[str]:
    return [f"restricted since {_text(row.get('restricted_at'))}, grounds: {_text(row.get('grounds'))}" for row in rows]


def _episodes(rows: Sequence[StoredRow]) -> list[str]:
    return [_episode(row) for row in rows]


def _episode(row: StoredRow) -> str:
    line = (
        f"#{row.get('id')} {_text(row.get('complaint'))}; side {_text(row.get('side'))}; "
        f"onset {_text(row.get('onset_date'))}; {_text(row.get('status'))}"
    )
    if row.get("discharge_date"):
        line += f" on {_text(row.get('discharge_date'))} ({_text(row.get('discharge_reason'))})"
    return line


def _observations(rows: Sequence[StoredRow]) -> list[str]:
    lines = []
    for row in rows:
        line = (
            f"#{row.get('id')} {_text(row.get('observed_on'))} {_text(row.get('code'))} "
            f"{_text(row.get('side'))}: {_text(row.get('value'))} {_text(row.get('unit'))}"
        )
        if row.get("protocol"):
            line += f" [{_text(row.get('protocol'))}]"
        if row.get("corrects_id") is not None:
            line += f" (corrects #{row.get('corrects_id')}: {_text(row.get('correction_reason'))})"
        lines.append(line)
    return lines


def _drafts(rows: Sequence[StoredRow]) -> list[str]:
    return [
        f"{_text(row.get('kind'))} form, saved {_text(row.get('saved_at'))} for user {row.get('user_id')} "
        "(its typing is in the JSON file)"
        for row in rows
    ]


def _letters(rows: Sequence[StoredRow]) -> list[str]:
    lines = []
    for row in rows:
        line = (
            f"#{row.get('id')} {_text(row.get('finalised_at'))} {_text(row.get('title'))} to "
            f"{_text(row.get('recipient'))}; {_text(row.get('urgency'))}; {row.get('page_count')} pages; "
            f"by {_text(row.get('author_name'))}; SHA-256 {_text(row.get('sha256'))}"
        )
        if row.get("phone_called_at") is not None:
            line += f"; telephoned {_text(row.get('phone_spoken_to'))} at {_text(row.get('phone_called_at'))}"
        elif row.get("phone_not_called_reason"):
            line += f"; no call made: {_text(row.get('phone_not_called_reason'))}"
        lines.append(line + " (the PDF itself is in the JSON file)")
    return lines


def _audit(rows: Sequence[StoredRow]) -> list[str]:
    return [
        f"{_text(row.get('occurred_at'))}  {_text(row.get('event'))} ({_text(row.get('outcome'))}) by "
        f"{_text(row.get('user_name'))} ({_text(row.get('role'))}) at {_text(row.get('workstation'))}"
        for row in rows
    ]


# Table name -> (section title, the lines for its rows), in reading order.
_SECTIONS: dict[str, tuple[str, Callable[[Sequence[StoredRow]], list[str]]]] = {
    "patient": ("Personal details, GP and consents", _patient),
    "patient_restriction": ("Restriction of processing", _restriction),
    "episode": ("Episodes of care", _episodes),
    "observation": ("Measurements, with any corrections", _observations),
    "letter": ("Letters sent, as finalised", _letters),
    "draft": ("Unsaved changes kept for staff", _drafts),
    "audit_entry": ("Who looked at or changed the record (audit trail)", _audit),
}


def _label(column: str) -> str:
    return column.replace("_", " ").capitalize()


def _text(value: StoredValue) -> str:
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return _instant(value)
    if isinstance(value, date):
        return long_date(value)
    return str(value)


def _instant(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
