"""Exporting a finalised assessment as the contract's JSON, and asking why one is being corrected."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from ui.tasks import TaskRunner
from workstation.errors import CalfDeskError, DiskFull
from workstation.services.assessments import AssessmentService


def write_atomically(path: Path, text: str) -> None:
    """The whole file or none of it: written beside, flushed to disk, then renamed over."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text if text.endswith("\n") else text + "\n")
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).replace(path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise DiskFull(f"Could not write {path.name}: {error.strerror or error}") from None


def export_assessment(
    service: AssessmentService,
    assessment_id: int,
    tasks: TaskRunner,
    parent: QWidget,
    *,
    failed: Callable[[CalfDeskError], None],
) -> None:
    """Ask where, then read the stored document (audited) and write it there, off the main thread."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Export the assessment (JSON)", f"assessment-{assessment_id}.json", "JSON (*.json)"
    )
    if not name:
        return
    target = Path(name)
    tasks.submit(
        lambda: write_atomically(target, service.export_document(assessment_id)),
        done=lambda _: None,
        failed=failed,
        context=parent,
    )


def ask_correction_reason(parent: QWidget) -> str:
    """Why the finalised assessment is corrected (kept with the new version); empty when cancelled."""
    reason, accepted = QInputDialog.getText(
        parent,
        "Correct a finalised assessment",
        "A finalised assessment is never changed: the correction is a new version, linked to it.\n"
        "Why is it being corrected?",
    )
    return reason.strip() if accepted else ""
