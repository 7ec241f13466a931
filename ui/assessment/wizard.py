"""The assessment wizard: the pages in clinical order, drafts that never lose work, and finalising.

Every typed value is kept: the draft is saved 2 s after the last edit, on every page change, on cancel,
on close and when the screen locks (``save_now``). Red flags are stored as soon as they are raised, so a
closed wizard still leaves them on the patient banner. Finishing runs the service's checks; what is
missing is listed on the summary page and nothing is written until everything is there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QHideEvent
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard, QWizardPage

from ui.assessment.wizard_state import WizardState
from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.records import AssessmentRecord
from workstation.errors import CalfDeskError, ValidationFailed
from workstation.problems import Problem

_log = logging.getLogger(__name__)
AUTOSAVE_AFTER_MS = 2_000  # issue 6: a draft within 2 s of the last edit
# finalise(draft, on_finalised, on_refused): queued on the database thread; one of the two is called back.
Finaliser = Callable[[AssessmentDraft, Callable[[AssessmentRecord], None], Callable[[CalfDeskError], None]], None]


class AssessmentWizard(QWizard):
    """One assessment of one patient's episode; ``finished_assessment`` carries the finalised record."""

    finished_assessment = Signal(object)
    draft_saved = Signal()

    def __init__(
        self,
        state: WizardState,
        *,
        save_draft: Callable[[AssessmentDraft], None],
        store_flags: Callable[[WizardState], None],
        finalise: Callable[
            [AssessmentDraft, Callable[[AssessmentRecord], None], Callable[[CalfDeskError], None]], None
        ],
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assessmentWizard")
        self.setWindowTitle(title)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.state = state
        self._save_draft = save_draft
        self._store_flags = store_flags
        self._finalise = finalise
        self._saving = QTimer(self)
        self._saving.setSingleShot(True)
        self._saving.setInterval(AUTOSAVE_AFTER_MS)
        self._saving.timeout.connect(self.save_now)
        self._unsaved = False
        self._finalising = False
        for page in self._build_pages():
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Finalise")
        state.draft_changed.connect(self._on_state_draft_changed)
        self.currentIdChanged.connect(self._on_wizard_current_id_changed)
        self.resize(980, 760)

    def _build_pages(self) -> list[QWizardPage]:
        from ui.assessment.body_chart_page import BodyChartPage
        from ui.assessment.examination_page import ExaminationPage
        from ui.assessment.flexibility_page import FlexibilityPage
        from ui.assessment.heel_raise_page import HeelRaisePage
        from ui.assessment.history_page import HistoryPage
        from ui.assessment.neural_page import NeuralPage
        from ui.assessment.outcomes_page import OutcomesPage
        from ui.assessment.red_flag_page import RedFlagPage
        from ui.assessment.summary_page import SummaryPage

        kinds = (HistoryPage, BodyChartPage, RedFlagPage, ExaminationPage, HeelRaisePage, FlexibilityPage, NeuralPage,
                 OutcomesPage, SummaryPage)  # fmt: skip
        return [kind(self.state, self) for kind in kinds]

    def validateCurrentPage(self) -> bool:
        # Next (button, Alt+N or code) never passes a page that is not complete: the red-flag screen above all.
        page = self.currentPage()
        return page is not None and page.isComplete() and super().validateCurrentPage()

    @property
    def unsaved(self) -> bool:
        return self._unsaved

    @Slot()
    def save_now(self) -> None:
        """Save the draft and store any raised red flags now (also called when the screen locks)."""
        self._saving.stop()
        if self._finalising:
            return  # a save queued after the finalise would bring the finished draft back
        try:
            self._save_draft(self.state.draft)
            self._store_flags(self.state)
        except CalfDeskError as error:
            # The typing is still here; the next edit or page change tries again.
            _log.warning("assessment draft not saved: %s", type(error).__name__)
            return
        self._unsaved = False
        self.draft_saved.emit()

    def accept(self) -> None:
        """Finalise: the service checks everything; the wizard closes only once the record is written."""
        if self._finalising:
            return
        self.save_now()
        self._finalising = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self._finalise(self.state.draft, self._on_finalised, self._on_finalise_failed)

    def _on_finalised(self, record: AssessmentRecord) -> None:
        self._unsaved = False
        self.finished_assessment.emit(record)
        super().accept()

    def _on_finalise_failed(self, error: CalfDeskError) -> None:
        self._finalising = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        if isinstance(error, ValidationFailed):
            self._show_problems(error.problems)
        else:
            QMessageBox.warning(self, "Not finalised", f"{error}\n\nYour typing is kept as a draft.")

    def reject(self) -> None:
        self.save_now()  # cancelling keeps the draft: it is offered next time
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_now()
        super().closeEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # The window hides its dialogs when the screen locks (D5): the typing is saved at that moment.
        if self._unsaved:
            self.save_now()
        super().hideEvent(event)

    def _show_problems(self, problems: list[Problem]) -> None:
        summary = self.page(self.pageIds()[-1])
        show = getattr(summary, "show_problems", None)
        if callable(show):
            show(problems)
        else:
            QMessageBox.information(self, "Not finalised yet", "\n".join(p.message for p in problems))

    @Slot()
    def _on_state_draft_changed(self) -> None:
        self._unsaved = True
        self._saving.start()

    @Slot(int)
    def _on_wizard_current_id_changed(self, _page_id: int) -> None:
        if self._unsaved:
            self.save_now()
