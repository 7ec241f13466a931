"""What a patient's progress charts are drawn from, read for one logged-in person in one go.

The progress tab opens often and on the path of a benchmark, so this is six plain reads (one per kind
of record, none per row) and one audit entry: the look at the whole progress view, with counts only.
"""

from __future__ import annotations

from collections.abc import Sequence

from workstation.audit.records import AuditEvent
from workstation.ports import (
    AssessmentRepository,
    EpisodeRepository,
    ObservationRepository,
    PatientRepository,
    RedFlagRepository,
    RunningLogRepository,
)
from workstation.progress.chart_data import ProgressInputs
from workstation.running.records import RunRecord
from workstation.security.permissions import Action, redacted
from workstation.services.guarded import _Guard


class ProgressService:
    """``inputs`` for the charts; the repositories are the plain ones, the rules are applied here."""

    def __init__(
        self,
        patients: PatientRepository,
        episodes: EpisodeRepository,
        observations: ObservationRepository,
        assessments: AssessmentRepository,
        red_flags: RedFlagRepository,
        runs: RunningLogRepository,
        guard: _Guard,
    ) -> None:
        self._patients = patients
        self._episodes = episodes
        self._observations = observations
        self._assessments = assessments
        self._red_flags = red_flags
        self._runs = runs
        self._guard = guard

    def inputs(self, patient_id: int, *, runs: Sequence[RunRecord] | None = None) -> ProgressInputs:
        """The patient, their current observations and assessments, runs, episodes and every red flag.

        ``runs`` are the patient's runs if this session has just read them (the running log and the banner
        read them as the record opens), so they are not read twice; None reads them here.

        Raises:
            PermissionDenied: the role may not see clinical records (audited as a denial).
            RecordNotFound: there is no such patient.
        """
        event = AuditEvent.ASSESSMENT_VIEWED
        self._guard.require(Action.VIEW_CLINICAL, event, patient_id=patient_id)
        patient = redacted(self._guard.actor.role, self._patients.get(patient_id))
        found = ProgressInputs(
            patient=patient,
            observations=tuple(self._observations.for_patient(patient_id)),
            assessments=tuple(self._assessments.current_for_patient(patient_id)),
            runs=tuple(self._runs.for_patient(patient_id) if runs is None else runs),
            episodes=tuple(self._episodes.for_patient(patient_id)),
            red_flags=tuple(self._red_flags.for_patient(patient_id)),
        )
        self._guard.auditor.record(
            event, self._guard.actor, patient_id=patient_id, object_type="progress", object_id=patient_id,
            detail=f"{len(found.assessments)} assessments, {len(found.observations)} observations, "
            f"{len(found.runs)} runs",
        )  # fmt: skip
        return found
