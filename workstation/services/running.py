"""A patient's running log for one logged-in person: reading, logging, correcting, deleting, importing.

Every change is checked against the role and audited with record ids and counts only, never a distance,
a note or a shoe: the audit is read by people who may not see the record. The checks on a run are
``workstation.running.validation.run_problems``, the same ones the CSV import previews with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from workstation.audit.records import AuditEvent
from workstation.errors import ValidationFailed
from workstation.ports import RunningLogRepository
from workstation.problems import Problem, blocking
from workstation.running.records import RunRecord
from workstation.running.validation import run_problems
from workstation.security.permissions import Action
from workstation.services.guarded import _Guard


def import_row_field(row: int, field: str) -> str:
    """The problem field of ``field`` in the ``row``-th run of an import (1 for the first)."""
    return f"row {row} {field}"


class RunningLogService:
    """The running log as one person may see and change it."""

    def __init__(self, runs: RunningLogRepository, guard: _Guard) -> None:
        self._runs = runs
        self._guard = guard

    def runs(self, patient_id: int) -> list[RunRecord]:
        """The patient's runs, oldest first (opening the record is audited already)."""
        self._guard.require(Action.VIEW_CLINICAL, AuditEvent.PATIENT_VIEWED, patient_id=patient_id)
        return self._runs.for_patient(patient_id)

    def log(self, run: RunRecord, *, today: date) -> RunRecord:
        """Store a new run, recorded by this person.

        Raises:
            ValidationFailed: the run has blocking problems (each names its field).
        """
        event = AuditEvent.RUN_LOGGED
        self._guard.require(Action.EDIT_CLINICAL, event, patient_id=run.patient_id)
        _refuse_if_wrong(run, today)
        saved = self._runs.add(replace(run, recorded_by=self._guard.actor.user_id))
        self._guard.record(event, patient_id=saved.patient_id, object_type="run", object_id=saved.id)
        return saved

    def change(self, run: RunRecord, *, today: date) -> RunRecord:
        """Save a corrected run over the version it was read at.

        Raises:
            ValidationFailed: the run has blocking problems.
            ConflictError: someone else changed it meanwhile.
            RecordNotFound: it was deleted meanwhile.
        """
        event = AuditEvent.RUN_CHANGED
        self._guard.require(Action.EDIT_CLINICAL, event, patient_id=run.patient_id)
        _refuse_if_wrong(run, today)
        saved = self._runs.update(run)
        self._guard.record(event, patient_id=saved.patient_id, object_type="run", object_id=saved.id)
        return saved

    def remove(self, run: RunRecord) -> None:
        """Delete the run as it was read (ConflictError if it changed since, RecordNotFound if gone)."""
        event = AuditEvent.RUN_DELETED
        self._guard.require(Action.EDIT_CLINICAL, event, patient_id=run.patient_id)
        if run.id is None:
            raise ValueError("remove() needs a stored run")
        self._runs.delete(run.id, run.version)
        self._guard.record(event, patient_id=run.patient_id, object_type="run", object_id=run.id)

    def import_runs(self, patient_id: int, runs: Sequence[RunRecord], *, today: date) -> int:
        """Check every run, then store them all in one transaction, or none; returns how many were stored.

        Raises:
            ValidationFailed: some runs have blocking problems; each problem's field names the run's place
                in ``runs`` (1 for the first) and its field, as ``import_row_field`` writes it.
        """
        event = AuditEvent.RUNS_IMPORTED
        self._guard.require(Action.EDIT_CLINICAL, event, patient_id=patient_id)
        if any(run.patient_id != patient_id for run in runs):
            raise ValueError("every imported run belongs to the patient it is imported for")
        problems = [
            Problem(import_row_field(row, problem.field), f"Row {row}: {problem.message}", problem.severity)
            for row, run in enumerate(runs, start=1)
            for problem in blocking(run_problems(run, today=today))
        ]
        if problems:
            raise ValidationFailed(problems)
        if not runs:
            return 0
        by = self._guard.actor.user_id
        stored = self._runs.add_many([replace(run, recorded_by=by) for run in runs])
        sources = ", ".join(sorted({run.source for run in runs}))
        self._guard.auditor.record(
            event, self._guard.actor, patient_id=patient_id, object_type="run", detail=f"{stored} runs from {sources}"
        )
        return stored


def _refuse_if_wrong(run: RunRecord, today: date) -> None:
    problems = blocking(run_problems(run, today=today))
    if problems:
        raise ValidationFailed(problems)
