"""The window's side of assessments: Assess…, red-flag actions, export and correction, from the patient view.

Nothing of the wizard, the engine or their services loads until someone uses one of these: the window
starts without them. The wizard's red-flag messages and advice use the clinic's country (Admin › Clinic
settings), read each time one opens.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from ui.patients.patient_view import PatientViewWidget
from workstation.dates import DateOrder
from workstation.security.permissions import Action

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.assessment.assessment_view_dialog import AssessmentViewDialog
    from ui.assessment.launcher import AssessmentLauncher
    from workstation.assessment.records import AssessmentRecord
    from workstation.clinical.country import Country
    from workstation.services.assessments import AssessmentService


class PatientAssessments(QObject):
    """Owned by the main window; needs its ``patient_view``, ``tasks``, ``open_patient``, ``may_write`` and
    ``show_expected_error``."""

    def __init__(
        self,
        window: QObject,
        service: Callable[[], AssessmentService | None],
        today: Callable[[], date],
        date_order: DateOrder,
        country: Callable[[], Country | None] = lambda: None,  # called on the database thread
    ) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._country = country
        self._today = today
        self._order = date_order
        self._launcher: AssessmentLauncher | None = None
        self.viewer: AssessmentViewDialog | None = None  # the assessment shown last (tests look at it)

    def connect_to(self, view: PatientViewWidget) -> None:
        view.assess_requested.connect(self._on_view_assess_requested)
        view.resolve_flag_requested.connect(self._on_view_resolve_flag_requested)
        view.export_assessment_requested.connect(self._on_view_export_assessment_requested)
        view.correct_assessment_requested.connect(self._on_view_correct_assessment_requested)
        view.view_assessment_requested.connect(self.open_view)

    @property
    def _view(self) -> PatientViewWidget:
        return self._window.patient_view  # type: ignore[attr-defined, no-any-return]

    def _allowed(self) -> bool:
        return bool(self._window.may_write(Action.EDIT_CLINICAL))  # type: ignore[attr-defined]

    def launcher(self) -> AssessmentLauncher | None:
        """Made on first use; None when no one is logged in (a bare store has no assessment service)."""
        service = self._service()
        if service is None:
            return None
        if self._launcher is None:
            from ui.assessment.launcher import AssessmentLauncher
            from workstation.audit.auditor import utc_now

            self._launcher = AssessmentLauncher(
                service,
                self._window.tasks,  # type: ignore[attr-defined]
                today=self._today,
                now=utc_now,
                country=self._country,
                parent=self,
            )
            self._launcher.flags_changed.connect(self._on_launcher_flags_changed)
            self._launcher.failed.connect(self._window.show_expected_error)  # type: ignore[attr-defined]
        return self._launcher

    @Slot(int)
    def _on_view_assess_requested(self, episode_id: int) -> None:
        patient, launcher = self._view.patient, self.launcher()
        if patient is not None and launcher is not None and self._allowed():
            launcher.open(patient, self._view.episodes.episode(episode_id), self._parent_widget())

    @Slot(object)
    def _on_view_resolve_flag_requested(self, flag: object) -> None:
        from ui.assessment.flag_action_dialog import ask_for_action

        launcher = self.launcher()
        if launcher is not None and self._allowed():
            ask_for_action(flag, launcher, self._parent_widget())

    @Slot(int)
    def _on_view_export_assessment_requested(self, assessment_id: int) -> None:
        from ui.assessment.assessment_files import export_assessment

        service = self._service()
        if service is not None:
            export_assessment(service, assessment_id, self._window.tasks, self._parent_widget(),  # type: ignore[attr-defined]
                              failed=self._window.show_expected_error)  # type: ignore[attr-defined]  # fmt: skip

    @Slot(int)
    def _on_view_correct_assessment_requested(self, assessment_id: int) -> None:
        from ui.assessment.assessment_files import ask_correction_reason

        patient, launcher, listed = self._view.patient, self.launcher(), self._view.assessment_list
        if patient is None or launcher is None or listed is None or not self._allowed():
            return
        record = listed.model.record(assessment_id)
        episode = next((e for e in self._view.episodes.episodes() if e.id == record.episode_id), None)
        reason = ask_correction_reason(self._parent_widget())
        if reason and episode is not None:
            launcher.open_correction(patient, episode, record, reason, self._parent_widget())

    @Slot(int)
    def open_view(self, assessment_id: int) -> None:
        """Show one finalised assessment, read-only (read on the database thread; the look is audited)."""
        service = self._service()
        if service is None:
            return
        self._window.tasks.submit(  # type: ignore[attr-defined]
            lambda: (record := service.get(assessment_id), service.author_name(record)),
            done=self._on_assessment_fetched,
            failed=self._window.show_expected_error,  # type: ignore[attr-defined]
            context=self,
        )

    def _on_assessment_fetched(self, fetched: tuple[AssessmentRecord, str]) -> None:
        from ui.assessment.assessment_view_dialog import open_assessment_view

        record, author = fetched
        episode = next((e for e in self._view.episodes.episodes() if e.id == record.episode_id), None)
        self.viewer = open_assessment_view(
            record, self._order, self._parent_widget(),
            episode_title=episode.complaint if episode is not None else "", finalised_by=author,
        )  # fmt: skip

    @Slot(int)
    def _on_launcher_flags_changed(self, patient_id: int) -> None:
        shown = self._view.patient
        if shown is not None and shown.id == patient_id:
            self._window.open_patient(patient_id)  # type: ignore[attr-defined]

    def _parent_widget(self) -> QWidget:
        return self._window  # type: ignore[return-value]


def clinic_country(records: object) -> Country | None:
    """The clinic's country setting (work for the database thread); None for a store no one is logged in to."""
    from workstation.services.session import ClinicSession

    return records.clinic_settings.country() if isinstance(records, ClinicSession) else None
