"""The names of a subject-access export's files: the patient's id, the time and a letter's reference, never a
name, so a folder listing discloses nothing about who the patient is.

The summary names the files beside it, so the names are worked out here, once, for both the summary and
the writer (``export_files``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from workstation.letters.records import letter_reference as reference_of_uid
from workstation.privacy.ports import StoredRow


@dataclass(frozen=True, slots=True)
class ExportNames:
    data: str  # the JSON with every value
    summary_text: str
    summary_pdf: str
    letters: dict[int, str]  # a letter row's id -> the file of its PDF, as sent

    @property
    def all(self) -> tuple[str, ...]:
        return (self.data, self.summary_text, self.summary_pdf, *self.letters.values())


def export_names(patient_id: int, exported_at: datetime, letters: Sequence[StoredRow]) -> ExportNames:
    """The file names of one export; ``letters`` are the rows of the ``letter`` table (each with its ``id``)."""
    stem = f"calfdesk-patient-{patient_id}-{exported_at.strftime('%Y%m%dT%H%M%SZ')}"
    references = [letter_reference(row) for row in letters]
    shared = {reference for reference, count in Counter(references).items() if count > 1}
    names: dict[int, str] = {}
    for row, reference in zip(letters, references, strict=True):
        number = letter_id(row)
        # Two letters of one patient with the same 8-digit reference are unlikely (1 in 4 billion a pair),
        # but a name must never be written twice: the id keeps them apart.
        suffix = f"-{number}" if reference in shared else ""
        names[number] = f"{stem}-letter-{reference}{suffix}.pdf"
    return ExportNames(f"{stem}.json", f"{stem}.txt", f"{stem}.pdf", names)


def letter_reference(row: StoredRow) -> str:
    """The reference printed on the letter, from its stored uid."""
    uid = row.get("uid")
    if not isinstance(uid, str) or not uid:
        return f"id-{letter_id(row)}"  # never from the database (uid is NOT NULL); the id still names it
    return reference_of_uid(uid)


def letter_id(row: StoredRow) -> int:
    """A letter row's id (every stored row has one)."""
    value = row.get("id")
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("a stored letter row has an integer id")
    return value
