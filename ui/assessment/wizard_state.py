"""What every wizard page shares: the draft being typed, and the engine's live reading of it.

Pages write through :meth:`WizardState.edit` (contract fields) and :meth:`WizardState.edit_detail` (the
wizard's extras); each write re-evaluates the draft (a fraction of a millisecond) and tells every page,
so a number typed on one page updates the flags, the banner and the summary at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Signal

from workstation.assessment.draft import AssessmentDraft, problems_of
from workstation.assessment.records import AssessmentRecord
from workstation.clinical.contract import AssessmentInvalid, parse_assessment
from workstation.clinical.country import Country
from workstation.clinical.evaluate import Evaluation, evaluate
from workstation.problems import Problem


class WizardState(QObject):
    """The draft, the clinic's day and country, and the current evaluation (None while the draft is invalid)."""

    draft_changed = Signal()  # after any write, once the evaluation is up to date
    evaluation_changed = Signal()

    def __init__(
        self,
        draft: AssessmentDraft,
        *,
        today: Callable[[], date],
        country: Country | None,
        previous: AssessmentRecord | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.draft = draft
        self.previous = previous  # the last finalised assessment of the episode, for a follow-up's changes
        self.today = today
        self.country = country
        self.evaluation: Evaluation | None = None
        self.problems: list[Problem] = []
        self._reevaluate()

    def value(self, path: str, default: Any = None) -> Any:
        return self.draft.get(path, default)

    def detail(self, path: str, default: Any = None) -> Any:
        return self.draft.get_detail(path, default)

    def edit(self, path: str, value: Any) -> None:
        """Set a contract field (``None``: not answered) and re-evaluate."""
        if self.draft.get(path) == value:
            return
        self.draft.set(path, value)
        self._changed()

    def edit_detail(self, path: str, value: Any) -> None:
        if self.draft.get_detail(path) == value:
            return
        self.draft.set_detail(path, value)
        self.draft_changed.emit()

    def replace_draft(self, draft: AssessmentDraft) -> None:
        """A restored or prefilled draft: every page reloads from it."""
        self.draft = draft
        self._changed()

    def problems_at(self, prefix: str) -> list[Problem]:
        """The contract problems of fields under ``prefix`` (``"heel_raise"``), for inline messages."""
        return [p for p in self.problems if p.field == prefix or p.field.startswith((prefix + ".", prefix + "["))]

    def _changed(self) -> None:
        self._reevaluate()
        self.evaluation_changed.emit()
        self.draft_changed.emit()

    def _reevaluate(self) -> None:
        try:
            assessment = parse_assessment(self.draft.document, today=self.today())
        except AssessmentInvalid as invalid:
            self.evaluation, self.problems = None, problems_of(invalid.errors)
            return
        self.evaluation, self.problems = evaluate(assessment, country=self.country), []
