"""Write a subject-access export to a folder, whole or not at all: the JSON with every value, the summary as
text and as PDF, and each letter's PDF exactly as it was finalised.

File names carry the patient's id, the time and a letter's reference, never a name (``export_names``), so
a folder listing discloses nothing. Everything that can fail short of the disk is done before the first
file is written: each letter is checked against its SHA-256, and the summary's PDF is rendered. Each
file is then written beside its final name, flushed to disk and renamed; an existing file is never
replaced (two exports of one patient in the same second would otherwise overwrite each other), and a
failure removes every file of the export written so far.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workstation.errors import CalfDeskError
from workstation.privacy.letter_files import letter_files
from workstation.privacy.subject_access import PatientFile, export_json, summary_text

# Renders the summary as PDF bytes: ``reports.subject_access.render_summary_pdf``, passed in by the ui layer
# (the core imports no ReportLab). Its second argument is the JSON file's name, which the summary cites.
SummaryRenderer = Callable[[PatientFile, str], bytes]


@dataclass(frozen=True, slots=True)
class ExportedFiles:
    data: Path  # the JSON with every value
    summary: Path  # the text a person reads
    summary_pdf: Path  # the same summary, as PDF
    letters: tuple[Path, ...] = ()  # each letter's PDF, as finalised

    @property
    def all(self) -> tuple[Path, ...]:
        return (self.data, self.summary, self.summary_pdf, *self.letters)

    def remove(self) -> None:
        for path in self.all:
            with contextlib.suppress(OSError):  # never there (a folder that could not be made): nothing to do
                path.unlink(missing_ok=True)


def write_export(folder: Path, file: PatientFile, *, render_pdf: SummaryRenderer) -> ExportedFiles:
    """Write every file of the export into ``folder`` (created if needed).

    Args:
        folder: where the files go.
        file: everything held about the patient.
        render_pdf: lays the summary out as a PDF (``reports.subject_access.render_summary_pdf``).

    Raises:
        ExportedLetterDamaged: a letter no longer matches its fingerprint (nothing is written).
        CalfDeskError: the folder cannot be written, or files of this export are already there.
    """
    names = file.names
    letters = letter_files(file.rows("letter"), names.letters)
    written = ExportedFiles(
        folder / names.data, folder / names.summary_text, folder / names.summary_pdf,
        tuple(folder / letter.name for letter in letters),
    )  # fmt: skip
    if any(path.exists() for path in written.all):
        raise CalfDeskError(
            "An export of this patient with the same time is already in that folder; nothing was replaced.",
            hint="Wait a second and export again, or choose another folder.",
        )
    contents: list[tuple[Path, bytes]] = [
        (written.data, export_json(file).encode("utf-8")),
        (written.summary, summary_text(file, names.data).encode("utf-8")),
        (written.summary_pdf, render_pdf(file, names.data)),
        *((folder / letter.name, letter.content) for letter in letters),
    ]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, content in contents:
            _write_new(path, content)
    except BaseException as error:
        written.remove()  # a part of an export is worse than none: the patient would take it for all of it
        if not isinstance(error, OSError):
            raise
        raise CalfDeskError(
            f"The export could not be written to that folder ({error.strerror or error.__class__.__name__}).",
            hint="Nothing was left half written. Choose a folder you may write to, with space free.",
        ) from None
    return written


def _write_new(path: Path, content: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    out = partial.open("xb")  # if this fails, a file of that name was there already: not ours to remove
    try:
        with out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
