"""Everything held about one patient, as JSON for machines and as a summary for people (RELIABILITY.md G1).

The JSON holds every stored value of every row, table by table, exactly as stored (dates in ISO 8601,
instants in UTC, a letter's PDF as a ``data:`` URI): GDPR Art 15 access and Art 20 portability, APP 12.
The summary puts the same rows in a reading order, and names any table it has no section for, so a new
table is never left out of either. ``summary`` is its one wording: ``summary_text`` prints it as UTF-8
text, and ``reports.subject_access`` lays the same sections out as a PDF with the letter fonts. The
contract is in docs/privacy.md.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from workstation.privacy.export_names import ExportNames, export_names, letter_id
from workstation.privacy.ports import StoredRow, StoredValue, Tables
from workstation.privacy.retention import long_date

FORMAT = "calfdesk-subject-access"
FORMAT_VERSION = 1
NO_VALUE = "—"
NO_ROWS = "none"  # a section's one line when the table holds nothing about the patient
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

    @property
    def names(self) -> ExportNames:
        """The names of this export's files (the summary names them; ``export_files`` writes them)."""
        return export_names(self.patient_id, self.exported_at, self.rows("letter"))


@dataclass(frozen=True, slots=True)
class SummarySection:
    heading: str
    lines: tuple[str, ...]  # empty when there is nothing: printed as ``NO_ROWS``


@dataclass(frozen=True, slots=True)
class Summary:
    """What a person reads, in order: the title, a few lines on the export, then the sections."""

    title: str
    introduction: tuple[str, ...]
    sections: tuple[SummarySection, ...]


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


def summary(file: PatientFile, json_name: str) -> Summary:
    """The summary of ``file``; ``json_name`` is the file beside it with every value."""
    names = file.names
    introduction = [
        f"Exported {instant_text(file.exported_at)} by {file.exported_by}.",
        f"Every stored value is in {json_name} (machine-readable JSON). This summary is saved as text "
        f"({names.summary_text}) and as PDF ({names.summary_pdf}).",
    ]
    if names.letters:
        introduction.append("Each letter sent is beside them as its own PDF, exactly as it was finalised.")
    sections = [
        SummarySection(title if table == "patient" else f"{title} ({len(file.rows(table))})",
                       tuple(describe(file.rows(table), names)))
        for table, (title, describe) in _SECTIONS.items()
    ]  # fmt: skip
    others = sorted(set(file.tables) - set(_SECTIONS))
    if others:
        lines = tuple(f"{table}: {len(file.rows(table))} rows" for table in others)
        sections.append(SummarySection("Other records (see the JSON file)", lines))
    return Summary(f"Everything CalfDesk holds about patient {file.patient_id}", tuple(introduction), tuple(sections))


def summary_text(file: PatientFile, json_name: str) -> str:
    """``summary`` as UTF-8 text: a blank line before each section, its lines indented."""
    content = summary(file, json_name)
    lines = [content.title, *content.introduction]
    for section in content.sections:
        # A value over several lines (an address) keeps every line under the first one's indent.
        lines += ["", section.heading, *(f"  {line}".replace("\n", "\n    ") for line in section.lines or (NO_ROWS,))]
    return "\n".join(lines) + "\n"


def _patient(rows: Sequence[StoredRow], _names: ExportNames) -> list[str]:
    return [
        f"{_label(name)}: {_text(value)}"
        for row in rows
        for name, value in row.items()
        if name not in _INTERNAL_COLUMNS
    ]


def _restriction(rows: Sequence[StoredRow], _names: ExportNames) -> list[str]:
    return [f"restricted since {_text(row.get('restricted_at'))}, grounds: {_text(row.get('grounds'))}" for row in rows]


def _episodes(rows: Sequence[StoredRow], _names: ExportNames) -> list[str]:
    return [_episode(row) for row in rows]


def _episode(row: StoredRow) -> str:
    line = (
        f"#{row.get('id')} {_text(row.get('complaint'))}; side {_text(row.get('side'))}; "
        f"onset {_text(row.get('onset_date'))}; {_text(row.get('status'))}"
    )
    if row.get("discharge_date"):
        line += f" on {_text(row.get('discharge_date'))} ({_text(row.get('discharge_reason'))})"
    return line


def _observations(rows: Sequence[StoredRow], _names: ExportNames) -> list[str]:
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


def _drafts(rows: Sequence[StoredRow], _names: ExportNames) -> list[str]:
    return [
        f"{_text(row.get('kind'))} form, saved {_text(row.get('saved_at'))} for user {row.get('user_id')} "
        "(its typing is in the JSON file)"
        for row in rows
    ]


def _letters(rows: Sequence[StoredRow], names: ExportNames) -> list[str]:
    lines = []
    for row in rows:
        line = (
            f"#{row.get('id')} {_text(row.get('finalised_at'))} {_text(row.get('title'))} to "
            f"{_text(row.get('recipient'))}; {_text(row.get('urgency'))}; {_pages(row.get('page_count'))}; "
            f"by {_text(row.get('author_name'))}; SHA-256 {_text(row.get('sha256'))}"
        )
        if row.get("phone_called_at") is not None:
            line += f"; telephoned {_text(row.get('phone_spoken_to'))} at {_text(row.get('phone_called_at'))}"
        elif row.get("phone_not_called_reason"):
            line += f"; no call made: {_text(row.get('phone_not_called_reason'))}"
        lines.append(f"{line}; the PDF as sent: {names.letters[letter_id(row)]}")
    return lines


def _pages(count: StoredValue) -> str:
    return "1 page" if count == 1 else f"{_text(count)} pages"


def _audit(rows: Sequence[StoredRow], _names: ExportNames) -> list[str]:
    return [
        f"{_text(row.get('occurred_at'))}  {_text(row.get('event'))} ({_text(row.get('outcome'))}) by "
        f"{_text(row.get('user_name'))} ({_text(row.get('role'))}) at {_text(row.get('workstation'))}"
        for row in rows
    ]


# The lines for a table's rows; the names let a line point to a file of the export (a letter's PDF).
_Describe = Callable[[Sequence[StoredRow], ExportNames], list[str]]
# Table name -> (section title, the lines for its rows), in reading order.
_SECTIONS: dict[str, tuple[str, _Describe]] = {
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
        return instant_text(value)
    if isinstance(value, date):
        return long_date(value)
    return str(value)


def instant_text(moment: datetime) -> str:
    """An instant as the summary prints it: "2026-12-01 09:00 UTC" (``moment`` is in UTC)."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")
