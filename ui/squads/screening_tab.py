"""The Screening tab: today's screening of the squad, resumed where it was left, filled in by keyboard.

Each athlete's row is stored when the physio moves to another athlete (and when the tab, the squad or
the window changes, and when the lock screen hides the window), on the database thread; the row's number
shows a dot until it is stored. Quitting never drops those saves: they are ``must_finish`` work, run
before the store closes. Completing the screening asks first, then stores every row's values as the
athletes' measurements; a completed worksheet is read-only. Past screenings can be looked at from the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from ui.squads.row_saves import RowSaves
from ui.squads.screening_grid import ScreeningGridView
from ui.squads.screening_legend import FlagLegendWidget, RowFlagsLabel, cell_hint
from ui.squads.screening_model import PATIENT_ID_ROLE, PROBLEM_ROLE, ScreeningGridModel
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from ui.widgets.date_edit import spoken_date
from ui.widgets.field_message import FieldMessageLabel
from workstation.dates import DateOrder, format_date
from workstation.errors import CalfDeskError, ValidationFailed
from workstation.problems import Problem
from workstation.squads.records import Screening, ScreeningEntry, ScreeningStatus
from workstation.squads.views import Worksheet

if TYPE_CHECKING:
    from workstation.services.squads import SquadService

NO_SCREENING = (
    "No screening in progress. Start today's screening to get a row for every athlete in the squad; "
    "type each value and press Enter or Tab to move on."
)


@dataclass(frozen=True, slots=True)
class ScreeningState:
    squad_id: int
    screenings: list[Screening]
    worksheet: Worksheet | None


def read_state(service: SquadService, squad_id: int, screening_id: int | None = None) -> ScreeningState:
    """Runs on the database thread: the squad's screenings and the worksheet to show (the open one)."""
    screenings = service.screenings(squad_id)
    if screening_id is None:
        screening_id = next((s.id for s in screenings if s.status is ScreeningStatus.OPEN), None)
    worksheet = service.worksheet(screening_id) if screening_id is not None else None
    return ScreeningState(squad_id, screenings, worksheet)


class ScreeningTab(QWidget):
    screening_completed = Signal(int)  # the squad id

    def __init__(
        self,
        service: Callable[[], SquadService],
        tasks: TaskRunner,
        date_order: DateOrder,
        today: Callable[[], date],
        *,
        may_edit: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("screeningTab")
        self._service = service
        self._tasks = tasks
        self._order = date_order
        self._today = today
        self._may_edit = may_edit
        self._squad_id: int | None = None
        self.worksheet: Worksheet | None = None
        self._saves = RowSaves()
        self._complete_when_saved = False
        self.question: QMessageBox | None = None
        self.banner = BannerWidget()
        self.model = ScreeningGridModel(lambda row, values: service().evaluate_row(row, values), date_order, self)
        self.model.row_edited.connect(self._on_model_row_edited)
        self.grid = ScreeningGridView()
        self.grid.setModel(self.model)
        self.grid.selectionModel().currentChanged.connect(self._on_grid_current_changed)
        self._build_header()
        self.progress_label = QLabel()
        self.progress_label.setObjectName("screeningProgress")
        self.empty_label = QLabel(NO_SCREENING)
        self.empty_label.setObjectName("noScreening")
        self.empty_label.setWordWrap(True)
        self.cell_message = FieldMessageLabel()
        self.cell_message.setObjectName("cellMessage")
        self.row_flags = RowFlagsLabel()
        self.legend = FlagLegendWidget()
        self._lay_out()
        self._show_state(None)

    def _build_header(self) -> None:
        self.title = QLabel()
        self.title.setObjectName("screeningTitle")
        self.title.setStyleSheet("font-weight: bold;")
        self.screenings_box = QComboBox()
        self.screenings_box.setObjectName("screeningsBox")
        self.screenings_box.setAccessibleName("Screening")
        self.screenings_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.screenings_box.activated.connect(self._on_screenings_box_activated)
        self.start_button = QPushButton("S&tart today's screening")
        self.start_button.setObjectName("startScreeningButton")
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.start_button.setVisible(False)  # until a squad's screenings are read, and only for who may screen
        self.complete_button = QPushButton("&Complete screening…")
        self.complete_button.setVisible(False)
        self.complete_button.setObjectName("completeScreeningButton")
        self.complete_button.clicked.connect(self._on_complete_button_clicked)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel("Screening:"))
        top.addWidget(self.screenings_box)
        top.addWidget(self.start_button)
        top.addWidget(self.complete_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_label, 1)
        bottom.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.row_flags)
        layout.addWidget(self.cell_message)
        layout.addLayout(bottom)

    # --- showing --------------------------------------------------------------------------------------------

    def show_squad(self, squad_id: int | None, screening_id: int | None = None) -> None:
        """The squad's open screening (or ``screening_id``); rows typed for the last one are stored first."""
        self.save_pending()
        self._squad_id = squad_id
        self.banner.clear()
        if squad_id is None:
            self._show_state(None)
            return
        service = self._service
        self._tasks.submit(
            lambda: read_state(service(), squad_id, screening_id),
            done=self._on_state_read,
            failed=self._on_call_failed,
            context=self,
        )

    def _on_state_read(self, state: ScreeningState) -> None:
        if state.squad_id == self._squad_id:
            self._show_state(state)

    def _show_state(self, state: ScreeningState | None) -> None:
        worksheet = state.worksheet if state is not None else None
        self.worksheet = worksheet
        self._fill_screenings_box(state.screenings if state is not None else [], worksheet)
        screening = worksheet.screening if worksheet is not None else None
        open_ = screening is not None and screening.status is ScreeningStatus.OPEN
        self.model.set_worksheet(screening.id if screening else None, worksheet.rows if worksheet else (),
                                 read_only=not (open_ and self._may_edit))  # fmt: skip
        has_open = state is not None and any(s.status is ScreeningStatus.OPEN for s in state.screenings)
        self.start_button.setVisible(self._may_edit and state is not None and not has_open)
        self.complete_button.setVisible(self._may_edit and open_)
        self.empty_label.setVisible(worksheet is None and state is not None)
        self.grid.setVisible(worksheet is not None)
        self.title.setText(self._title(screening))
        self._update_progress()
        if worksheet is not None and open_:
            self.grid.go_to(self.grid.first_cell(self.model.first_unscreened_row()))
            self.grid.setFocus(Qt.FocusReason.OtherFocusReason)

    def _title(self, screening: Screening | None) -> str:
        if screening is None:
            return ""
        state = "in progress" if screening.status is ScreeningStatus.OPEN else "completed: read-only"
        return f"Screening of {spoken_date(screening.held_on)} ({state})"

    def _fill_screenings_box(self, screenings: list[Screening], worksheet: Worksheet | None) -> None:
        self.screenings_box.clear()
        for screening in screenings:
            self.screenings_box.addItem(
                f"{format_date(screening.held_on, self._order)} · {screening.status.label}", screening.id
            )
        if worksheet is not None:
            self.screenings_box.setCurrentIndex(max(0, self.screenings_box.findData(worksheet.screening.id)))
        self.screenings_box.setEnabled(bool(screenings))

    def _update_progress(self) -> None:
        rows = self.model.rowCount()
        if self.worksheet is None:
            self.progress_label.clear()
            return
        screened, unsaved = self.model.screened_count(), self.model.unsaved_count()
        text = f"Screened {screened} of {rows} athletes"
        if not self.model.read_only:
            text += f" · {unsaved} not saved yet (•)" if unsaved else " · all saved"
        self.progress_label.setText(text)

    # --- storing rows ---------------------------------------------------------------------------------------

    def save_pending(self, *, leaving: bool = False) -> None:
        """Store every typed row now (the physio is leaving the worksheet).

        ``leaving`` (the window is hidden: closed, or behind the lock screen): a row with a cell marked red
        is stored too, that cell keeping what was stored for it before, so nothing else typed in the row is
        lost; on screen the cell stays red, and the row unsaved, until it is put right.
        """
        self.grid.finish_editing()
        for row in self.model.rows():
            if row.dirty:
                self.save_row(row.patient_id, leaving=leaving)

    def save_row(self, patient_id: int, *, leaving: bool = False) -> None:
        row = self.model.row(patient_id)
        if row is None or not row.dirty or self.model.read_only or self._tasks.closed:
            return
        entry = self.model.entry_to_save(patient_id, leave_out_problems=leaving)
        if entry is None:
            name = row.source.member.display_name
            self.banner.show_message(f"{name}'s row is not saved: put right the cell marked red.", Tone.WARNING)
            return
        if self._saves.on_its_way(entry):
            return
        self._saves.sending(entry)
        self.model.mark_saving(patient_id)
        service, saves = self._service, self._saves
        self._tasks.submit(
            lambda: saves.store(service(), entry),
            done=lambda stored: self._on_row_saved(patient_id, stored, entry),
            failed=lambda error: self._on_row_failed(patient_id, error),
            context=self,
            must_finish=True,  # typed by hand: closing the window or the app must not drop it
        )

    def _on_row_saved(self, patient_id: int, stored: ScreeningEntry, sent: ScreeningEntry) -> None:
        if not self._saves.returned(patient_id) or sent.screening_id != self.model.screening_id:
            return  # a later save of the row is still on its way, or another worksheet is shown now
        self.model.mark_saved(patient_id, stored, sent)
        self._update_progress()
        if self._complete_when_saved and not any(r.saving for r in self.model.rows()):
            self._complete_when_saved = False
            self._complete()

    def _on_row_failed(self, patient_id: int, error: CalfDeskError) -> None:
        self._saves.returned(patient_id)
        self._complete_when_saved = False
        problems: list[Problem] = list(error.problems) if isinstance(error, ValidationFailed) else []
        self.model.mark_failed(patient_id, {p.field: p.message for p in problems})
        row = self.model.row(patient_id)
        name = row.source.member.display_name if row is not None else "A"
        self.banner.show_message(f"{name}'s row was not saved. {error}", Tone.ERROR)
        self._update_progress()

    # --- starting and completing ----------------------------------------------------------------------------

    @Slot()
    def _on_start_button_clicked(self) -> None:
        squad_id, service, today = self._squad_id, self._service, self._today()
        if squad_id is None:
            return

        def start() -> ScreeningState:
            screening = service().start_screening(squad_id, today)
            return read_state(service(), squad_id, screening.id)

        self._tasks.submit(start, done=self._on_state_read, failed=self._on_call_failed, context=self)

    @Slot()
    def _on_complete_button_clicked(self) -> None:
        if self.worksheet is None or self.model.read_only:
            return
        self.save_pending()
        rows, screened = self.model.rowCount(), self.model.screened_count()
        question = QMessageBox(
            QMessageBox.Icon.Question, "Complete the screening",
            f"Complete the screening of {spoken_date(self.worksheet.screening.held_on)}?\n\n"
            f"{screened} of {rows} athletes have values. They are stored in each athlete's record as "
            "measurements, and this worksheet can no longer be changed.",
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self,
        )  # fmt: skip
        question.setObjectName("completeQuestion")
        question.button(QMessageBox.StandardButton.Ok).setText("Complete screening")
        question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        question.accepted.connect(self._on_complete_confirmed)
        question.destroyed.connect(lambda: setattr(self, "question", None))
        self.question = question
        question.open()

    def _on_complete_confirmed(self) -> None:
        if any(row.problems for row in self.model.rows()):
            self.banner.show_message("Put right the cells marked red first: those rows are not saved.", Tone.ERROR)
            return
        if any(row.saving or row.dirty for row in self.model.rows()):
            self._complete_when_saved = True  # once the rows in flight are stored
            self.save_pending()
            return
        self._complete()

    def _complete(self) -> None:
        worksheet, squad_id, service = self.worksheet, self._squad_id, self._service
        if worksheet is None or squad_id is None or worksheet.screening.id is None:
            return
        screening = worksheet.screening
        screening_id = screening.id
        assert screening_id is not None

        def complete() -> ScreeningState:
            service().complete_screening(screening_id, screening.version)
            return read_state(service(), squad_id, screening_id)

        self._tasks.submit(complete, done=self._on_completed, failed=self._on_call_failed, context=self)

    def _on_completed(self, state: ScreeningState) -> None:
        self._on_state_read(state)
        count = self.model.screened_count()
        self.banner.show_message(
            f"Screening completed: the values of {count} athlete{'s' if count != 1 else ''} are in their records.",
            Tone.NOTICE,
        )
        self.screening_completed.emit(state.squad_id)

    # --- slots ----------------------------------------------------------------------------------------------

    @Slot(int)
    def _on_screenings_box_activated(self, position: int) -> None:
        screening_id = self.screenings_box.itemData(position)
        if self._squad_id is not None and screening_id is not None:
            self.show_squad(self._squad_id, screening_id)

    def _on_grid_current_changed(
        self, current: QModelIndex | QPersistentModelIndex, previous: QModelIndex | QPersistentModelIndex
    ) -> None:
        if previous.isValid() and (not current.isValid() or current.row() != previous.row()):
            self.save_row(previous.data(PATIENT_ID_ROLE))
        self._show_cell_message(current)

    def _show_cell_message(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.row_flags.show_row(self.model.grid_row(index.row()) if index.isValid() else None)
        problem = index.data(PROBLEM_ROLE) if index.isValid() else ""
        if problem:
            self.cell_message.show_problem(Problem("cell", problem))
            return
        row = self.model.grid_row(index.row()) if index.isValid() else None
        hint = cell_hint(row, index.column(), self._order, read_only=self.model.read_only) if row else ""
        if hint:
            self.cell_message.show_hint(hint)
        else:
            self.cell_message.clear_message()

    @Slot(int)
    def _on_model_row_edited(self, _patient_id: int) -> None:
        self._update_progress()
        self._show_cell_message(self.grid.currentIndex())

    def _on_call_failed(self, error: CalfDeskError) -> None:
        self.banner.show_message(str(error), Tone.ERROR)
