"""The main window's side of squads: Squads › Squads… (Ctrl+Shift+Q) opens the squads window.

Nothing of the squads loads at start-up: the window (with pyqtgraph behind its charts) is imported the
first time it opens. Patients an athlete import adds are passed to the main list, so the search finds
them straight away.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Slot

from workstation.dates import DateOrder
from workstation.ports import Records
from workstation.security.permissions import Action

if TYPE_CHECKING:
    from ui.squads.squads_window import SquadsWindow
    from workstation.records import PatientSummary
    from workstation.squads.records import ImportOutcome

SQUADS_SHORTCUT = "Ctrl+Shift+Q"


class SquadsLauncher(QObject):
    """Owned by the main window; needs its ``tasks``, ``directory``, ``may_write``, ``show_added_patients``."""

    def __init__(
        self, window: Any, records: Callable[[], Records], date_order: DateOrder, today: Callable[[], date]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._records = records
        self._order = date_order
        self._today = today
        self.squads_window: SquadsWindow | None = None

    def available(self) -> bool:
        """A logged-in session whose role may see squads (a bare store has no squads service)."""
        from workstation.services.session import ClinicSession

        records = self._records()
        return isinstance(records, ClinicSession) and records.can(Action.VIEW_SQUADS)

    @Slot()
    def open(self) -> None:
        """Show the squads window (one per main window: a second Ctrl+Shift+Q brings it forward)."""
        if not self.available():
            return
        if self.squads_window is None:
            self.squads_window = self._make_window()
        squads = self.squads_window
        squads.show()
        squads.activateWindow()  # brings an open one forward (raise_ is refused by some platforms' plugins)
        squads.start()

    def _make_window(self) -> SquadsWindow:
        from ui.squads.squads_window import SquadsWindow

        window, session = self._window, self._records()
        directory = window.directory
        squads = SquadsWindow(
            session, window.tasks, self._order, self._today,  # type: ignore[arg-type]
            may_write=window.may_write, patients=(directory.search, directory.summaries), parent=window,
        )  # fmt: skip
        squads.patients_imported.connect(self._on_patients_imported)
        return squads

    def _on_patients_imported(self, outcome: ImportOutcome) -> None:
        from ui.squads.squads_window import new_patients

        window, session, today = self._window, self._records(), self._today()
        known = set(window.directory.summaries)
        window.tasks.submit(
            lambda: new_patients(session, outcome, today, known),  # type: ignore[arg-type]
            done=self._on_new_patients_read,
            failed=window.show_expected_error,
            context=self,
        )

    def _on_new_patients_read(self, summaries: list[PatientSummary]) -> None:
        self._window.show_added_patients(summaries)
