"""Exporting a finalised assessment as the contract's JSON, and asking why one is being corrected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from ui.atomic_file import write_text_atomically
from ui.tasks import TaskRunner
from workstation.errors import CalfDeskError
from workstation.services.assessments import AssessmentService


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
        lambda: write_text_atomically(target, service.export_document(assessment_id) + "\n"),
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
