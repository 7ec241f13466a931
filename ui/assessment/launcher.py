"""Opening the assessment wizard for a patient's episode: resume a draft, start a follow-up, or a new one.

Database work runs on the window's database thread (``TaskRunner``); the wizard's autosave hands it the
draft and carries on, so typing is never held up by a save. Finalising waits for its answer, because the
wizard must show what is missing, or close once the assessment is safely written.

The clinic's country (Admin › Clinic settings) is read as each wizard opens, so its red-flag messages
and safety-net advice name that country's emergency number; the assessment is finalised with the same
country the clinician saw, even if an admin changes the setting meanwhile.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from ui.tasks import TaskRunner
from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.clinical.country import Country
from workstation.errors import CalfDeskError
from workstation.records import Episode, Patient
from workstation.services.assessments import AssessmentService

if TYPE_CHECKING:
    from ui.assessment.wizard_state import WizardState

_log = logging.getLogger(__name__)


class AssessmentLauncher(QObject):
    """Builds the draft and the wizard; ``assessment_finalised`` when one is written, ``flags_changed`` when
    the patient's unresolved red flags may have changed (the patient banner reloads them)."""

    assessment_finalised = Signal(object)
    flags_changed = Signal(int)
    failed = Signal(object)

    def __init__(
        self,
        service: AssessmentService,
        tasks: TaskRunner,
        *,
        today: Callable[[], date],
        now: Callable[[], object],
        country: Callable[[], Country | None],  # the clinic's setting, read on the database thread
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._today = today
        self._now = now
        self._country = country

    def open(self, patient: Patient, episode: Episode, parent: QWidget) -> None:
        """Find this person's draft or the last assessment on the database thread, then open the wizard."""
        assert patient.id is not None and episode.id is not None

        def find() -> tuple[AssessmentDraft | None, AssessmentRecord | None, Country | None]:
            country = self._country()
            draft = self._service.draft_for(patient.id, episode.id)  # type: ignore[arg-type]
            if draft is not None:
                return draft, None, country
            earlier = [a for a in self._service.for_patient(patient.id) if a.episode_id == episode.id]  # type: ignore[arg-type]
            return None, earlier[-1] if earlier else None, country

        self._tasks.submit(
            find,
            done=lambda found: self._show(patient, episode, found[0], found[1], parent, country=found[2]),
            failed=self.failed.emit,
            context=self,
        )

    def open_correction(self, patient: Patient, episode: Episode, record: AssessmentRecord, reason: str,
                        parent: QWidget) -> None:  # fmt: skip
        """A new version of a finalised assessment, starting from everything it holds, with the reason."""
        assert patient.id is not None and record.id is not None
        draft = AssessmentDraft(
            patient.id, record.episode_id, json.loads(record.document), json.loads(record.detail or "{}"),
            amends_id=record.id,
        )  # fmt: skip
        draft.set_detail("amendment_reason", reason)
        self._tasks.submit(
            self._country,
            done=lambda country: self._show(patient, episode, draft, None, parent, kind="Correction", country=country),
            failed=self.failed.emit,
            context=self,
        )

    def _show(
        self,
        patient: Patient,
        episode: Episode,
        draft: AssessmentDraft | None,
        previous: AssessmentRecord | None,
        parent: QWidget,
        kind: str = "",
        *,
        country: Country | None,
    ) -> None:
        from ui.assessment.wizard import AssessmentWizard
        from ui.assessment.wizard_state import WizardState
        from workstation.assessment.start import start_draft

        if draft is None:
            draft = start_draft(patient, episode, today=self._today(), previous=previous)
        state = WizardState(draft, today=self._today, country=country, previous=previous)
        kind = kind or ("Follow-up" if previous is not None else "Assessment")
        wizard = AssessmentWizard(
            state,
            save_draft=self._save_draft,
            store_flags=self._store_flags,
            finalise=lambda draft, finalised, refused: self._finalise(draft, finalised, refused, country),
            title=f"{kind}: {patient.display_name} — {episode.complaint}",
            parent=parent,
        )
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its draft is saved as it closes
        wizard.finished_assessment.connect(self.assessment_finalised)
        wizard.open()

    def resolve(self, flag: RedFlagRecord, action: str) -> None:
        """Record the action taken for a flag shown on the patient banner."""
        self._tasks.submit(
            lambda: self._service.resolve_flag(flag, action, at=self._now()),  # type: ignore[arg-type]
            done=lambda _: self.flags_changed.emit(flag.patient_id),
            failed=self.failed.emit,
            context=self,
        )

    def _save_draft(self, draft: AssessmentDraft) -> None:
        snapshot = AssessmentDraft.from_payload(draft.to_payload())  # the thread gets its own copy
        self._tasks.submit(
            lambda: self._service.save_draft(snapshot, at=self._now()),  # type: ignore[arg-type]
            done=lambda _: None,
            failed=self.failed.emit,
            context=self,
        )

    def _store_flags(self, state: WizardState) -> None:
        evaluation = state.evaluation
        if evaluation is None or not evaluation.red_flags:
            return
        snapshot = AssessmentDraft.from_payload(state.draft.to_payload())
        self._tasks.submit(
            lambda: self._service.raise_flags(snapshot, evaluation, at=self._now()),  # type: ignore[arg-type]
            done=lambda _: self.flags_changed.emit(snapshot.patient_id),
            failed=self.failed.emit,
            context=self,
        )

    def _finalise(
        self,
        draft: AssessmentDraft,
        finalised: Callable[[AssessmentRecord], None],
        refused: Callable[[CalfDeskError], None],
        country: Country | None,
    ) -> None:
        """Queued behind any draft save, on the same database thread, so the order of writes is kept."""
        snapshot = AssessmentDraft.from_payload(draft.to_payload())

        def done(record: AssessmentRecord) -> None:
            self.flags_changed.emit(snapshot.patient_id)
            finalised(record)

        def failed(error: CalfDeskError) -> None:
            self.flags_changed.emit(snapshot.patient_id)  # flags raised on the way are stored even so
            refused(error)

        self._tasks.submit(
            lambda: self._service.finalise(snapshot, today=self._today(), country=country, at=self._now()),  # type: ignore[arg-type]
            done=done,
            failed=failed,
            context=self,
        )
