"""Write a subject-access export to a folder: the JSON file and its summary, whole or not at all.

File names carry the patient's id and the time, never a name, so a folder listing discloses nothing.
Each file is written beside its final name, flushed to disk, then renamed; an existing file is never
replaced (two exports of one patient in the same second would otherwise overwrite each other).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from workstation.errors import CalfDeskError
from workstation.privacy.subject_access import PatientFile, export_json, summary_text


@dataclass(frozen=True, slots=True)
class ExportedFiles:
    data: Path  # the JSON with every value
    summary: Path  # the text a person reads

    def remove(self) -> None:
        for path in (self.data, self.summary):
            with contextlib.suppress(OSError):  # never there (a folder that could not be made): nothing to do
                path.unlink(missing_ok=True)


def export_names(file: PatientFile) -> tuple[str, str]:
    stem = f"calfdesk-patient-{file.patient_id}-{file.exported_at.strftime('%Y%m%dT%H%M%SZ')}"
    return f"{stem}.json", f"{stem}.txt"


def write_export(folder: Path, file: PatientFile) -> ExportedFiles:
    """Write both files into ``folder`` (created if needed).

    Raises:
        CalfDeskError: the folder cannot be written, or files of this export are already there.
    """
    data_name, summary_name = export_names(file)
    written = ExportedFiles(folder / data_name, folder / summary_name)
    if written.data.exists() or written.summary.exists():
        raise CalfDeskError(
            "An export of this patient with the same time is already in that folder; nothing was replaced.",
            hint="Wait a second and export again, or choose another folder.",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_new(written.data, export_json(file))
        _write_new(written.summary, summary_text(file, data_name))
    except OSError as error:
        written.remove()
        raise CalfDeskError(
            f"The export could not be written to that folder ({error.strerror or error.__class__.__name__}).",
            hint="Nothing was left half written. Choose a folder you may write to, with space free.",
        ) from None
    return written


def _write_new(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
