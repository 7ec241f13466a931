"""The squads window: the squads on the left (club, season, athletes today), the chosen one on the right in
three tabs: Members, Screening (the keyboard grid) and Dashboard. New squads, their details and athlete
imports start here.

It is a dialog of the main window, not a window of its own, so that the lock screen hides it with every
other open dialog (RELIABILITY.md D5) and quitting closes it. Each tab reads its squad when it is shown;
rows typed on the screening grid are stored before another squad or tab replaces them, and whenever the
window is hidden (closed, or behind the lock screen).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.squads.athlete_import_dialog import AthleteImportDialog
from ui.squads.athlete_import_parts import ChooseOpenFile, choose_athlete_file
from ui.squads.dashboard_tab import DashboardTab
from ui.squads.members_tab import MembersTab
from ui.squads.patient_picker import Search
from ui.squads.screening_tab import ScreeningTab
from ui.squads.squad_dialog import SquadDialog
from ui.squads.squad_exports import ChooseSaveFile, choose_save_file
from ui.squads.squad_list import SQUAD_ID_ROLE, SquadColumn, SquadListing, SquadListModel, read_listings
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from ui.widgets.tables import compact_rows, row_list
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError
from workstation.records import PatientSummary
from workstation.security.accounts import Role
from workstation.security.permissions import Action
from workstation.squads.records import Club, ImportOutcome, Squad

if TYPE_CHECKING:
    from workstation.services.session import ClinicSession

MEMBERS_TAB, SCREENING_TAB, DASHBOARD_TAB = "members", "screening", "dashboard"
NO_SQUADS = "No squads yet. Add one with “New squad…”, or import a club's file of athletes."
ALL_ARCHIVED = "Every squad is archived. Tick “Show archived” to see them, or add a new one."


class SquadsWindow(QDialog):
    patients_imported = Signal(object)  # the ImportOutcome: the main list should learn of new patients

    def __init__(
        self,
        session: ClinicSession,
        tasks: TaskRunner,
        date_order: DateOrder,
        today: Callable[[], date],
        *,
        may_write: Callable[[Action], bool],
        patients: tuple[Search, Mapping[int, PatientSummary]] | None = None,
        choose_file: ChooseOpenFile = choose_athlete_file,
        choose_save: ChooseSaveFile = choose_save_file,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("squadsWindow")
        self.setWindowTitle("Squads")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._session, self._tasks, self._order, self._today = session, tasks, date_order, today
        self._may_write = may_write
        self._choose_file, self._choose_save = choose_file, choose_save
        self._clubs: list[Club] = []
        self._listings: list[SquadListing] = []  # every squad, archived ones too
        self._stale: set[str] = set()
        self.squad_dialog: SquadDialog | None = None
        self.import_dialog: AthleteImportDialog | None = None
        self.banner = BannerWidget()
        self.model = SquadListModel(self)
        self.list = self._build_list()
        self.empty_label = QLabel(NO_SQUADS)
        self.empty_label.setObjectName("noSquads")
        self.empty_label.setWordWrap(True)
        self.show_archived_box = QCheckBox("Show arc&hived")
        self.show_archived_box.setObjectName("showArchived")
        self.show_archived_box.setToolTip("List the squads whose season is over too (greyed, marked “archived”).")
        self.show_archived_box.toggled.connect(self._on_show_archived_box_toggled)
        self.new_button = self._button("&New squad…", "newSquad", self._on_new_button_clicked)
        self.edit_button = self._button("&Edit squad…", "editSquad", self._on_edit_button_clicked)
        self.import_button = self._button("&Import athletes…", "importAthletes", self._on_import_button_clicked)
        for button in (self.new_button, self.edit_button):
            button.setVisible(may_write(Action.MANAGE_SQUADS))
        self.import_button.setVisible(may_write(Action.MANAGE_SQUADS) and may_write(Action.EDIT_PATIENT))
        self.heading = QLabel()
        self.heading.setObjectName("squadHeading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.coach = QLabel()
        self.coach.setObjectName("squadCoach")
        self.coach.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._build_tabs(session, patients)
        self._lay_out()
        self._update_buttons()
        screen = self.screen().availableGeometry()  # a laptop's screen may be smaller than the squad wants
        width, height = self.fontMetrics().averageCharWidth() * 210, self.fontMetrics().lineSpacing() * 48
        self.resize(min(width, screen.width()), min(height, screen.height()))

    # --- building -------------------------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _build_list(self) -> QTableView:
        table = row_list(QTableView(), self.model, name="squadList", accessible_name="Squads")
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        compact_rows(table)
        header = table.horizontalHeader()
        for column in SquadColumn:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SquadColumn.CLUB, QHeaderView.ResizeMode.Stretch)  # the squad's name stays whole
        table.selectionModel().currentRowChanged.connect(self._on_list_current_row_changed)
        return table

    def _build_tabs(self, session: ClinicSession, patients: tuple[Search, Mapping[int, PatientSummary]] | None) -> None:
        can = session.can
        squads = lambda: session.squads  # noqa: E731 - read when used: the service loads on first use
        self.members = MembersTab(squads, self._tasks, self._order, self._today,
                                  may_manage=self._may_write(Action.MANAGE_SQUADS), patients=patients)  # fmt: skip
        self.members.members_changed.connect(self._on_members_changed)
        self.screening = ScreeningTab(squads, self._tasks, self._order, self._today,
                                      may_edit=self._may_write(Action.EDIT_CLINICAL))  # fmt: skip
        self.screening.screening_completed.connect(self._on_screening_completed)
        self.dashboard = DashboardTab(lambda: session, self._tasks, self._order, self._today, can=can,
                                      pseudonymised=session.actor.role is Role.CLUB,
                                      choose_file=self._choose_save, may_write=self._may_write)  # fmt: skip
        self.tabs = QTabWidget()
        self.tabs.setObjectName("squadTabs")
        self._tab_keys: list[str] = []
        shown = [(DASHBOARD_TAB, self.dashboard, "&Dashboard", Action.VIEW_AVAILABILITY),
                 (SCREENING_TAB, self.screening, "&Screening", Action.VIEW_CLINICAL),
                 (MEMBERS_TAB, self.members, "&Members", Action.VIEW_SQUADS)]  # fmt: skip
        for key, widget, title, action in shown:
            if can(action):
                self.tabs.addTab(widget, title)
                self._tab_keys.append(key)
            else:
                widget.hide()
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

    def _lay_out(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("<b>Squads</b>"))
        column.addWidget(self.list, 1)
        column.addWidget(self.empty_label)
        column.addWidget(self.show_archived_box)
        for button in (self.new_button, self.edit_button, self.import_button):
            column.addWidget(button)
        right = QWidget()
        details = QVBoxLayout(right)
        details.setContentsMargins(0, 0, 0, 0)
        details.addWidget(self.heading)
        details.addWidget(self.coach)
        details.addWidget(self.tabs, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        width = self.fontMetrics().averageCharWidth()
        self.splitter.setSizes([width * 58, width * 152])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

    # --- the squads -----------------------------------------------------------------------------------------

    def start(self, select_id: int | None = None) -> None:
        """Read the squads (on the database thread) and show the chosen one, or the first."""
        session, today = self._session, self._today()
        self._tasks.submit(
            lambda: (read_listings(session.squads, today, include_archived=True), session.squads.clubs()),
            done=lambda read: self._on_listings_read(read, select_id),
            failed=self._on_call_failed,
            context=self,
        )

    def _on_listings_read(self, read: tuple[list[SquadListing], list[Club]], select_id: int | None) -> None:
        self._listings, self._clubs = read
        self._show_listings(select_id if select_id is not None else self.selected_squad_id())

    def _show_listings(self, current: int | None) -> None:
        """The squads read, archived ones only with "Show archived"; ``current`` chosen if it is listed."""
        shown = [row for row in self._listings if self.show_archived_box.isChecked() or not row.squad.archived]
        self.model.set_listings(shown)
        self.empty_label.setText(ALL_ARCHIVED if self._listings else NO_SQUADS)
        self.empty_label.setVisible(not shown)
        row = self.model.row_of(current) if current is not None else None
        if shown:
            self.list.setCurrentIndex(self.model.index(row or 0, 0))
        self._show_squad(self.selected_squad())

    def selected_squad_id(self) -> int | None:
        index = self.list.currentIndex()
        return index.data(SQUAD_ID_ROLE) if index.isValid() else None

    def selected_squad(self) -> Squad | None:
        squad_id = self.selected_squad_id()
        listing = self.model.listing(squad_id) if squad_id is not None else None
        return listing.squad if listing is not None else None

    def _show_squad(self, squad: Squad | None) -> None:
        listing = self.model.listing(squad.id) if squad is not None and squad.id is not None else None
        self.heading.setText(squad.title if squad is not None else "")
        club = f"{listing.club_name} · " if listing is not None and listing.club_name else ""
        contacts = [c for c in (squad.coach_name, squad.coach_email, squad.coach_phone) if c] if squad else []
        self.coach.setText(f"{club}Coach: {' · '.join(contacts)}" if contacts else club.rstrip(" ·"))
        self._stale = set(self._tab_keys)
        self._load_current_tab()
        self._update_buttons()

    def _load_current_tab(self) -> None:
        position = self.tabs.currentIndex()
        key = self._tab_keys[position] if 0 <= position < len(self._tab_keys) else None
        if key is None or key not in self._stale:
            return
        self._stale.discard(key)
        squad = self.selected_squad()
        squad_id = squad.id if squad is not None else None
        if key == MEMBERS_TAB:
            self.members.show_squad(squad_id)
        elif key == SCREENING_TAB:
            self.screening.show_squad(squad_id)
        else:
            self.dashboard.show_squad(squad)

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.selected_squad() is not None)

    # --- slots ----------------------------------------------------------------------------------------------

    def _on_list_current_row_changed(self, *_args: object) -> None:
        self.screening.save_pending()
        self._show_squad(self.selected_squad())

    @Slot(int)
    def _on_tabs_current_changed(self, _position: int) -> None:
        self.screening.save_pending()
        self._load_current_tab()

    @Slot(bool)
    def _on_show_archived_box_toggled(self, _shown: bool) -> None:
        self._show_listings(self.selected_squad_id())

    def _on_squad_saved(self, squad: Squad) -> None:
        if squad.archived and not self.show_archived_box.isChecked():
            self.banner.show_message(f"{squad.title} is archived: tick “Show archived” to see it.", Tone.NOTICE)
        self.start(squad.id)

    def _on_members_changed(self, squad_id: int) -> None:
        self._stale.update({SCREENING_TAB, DASHBOARD_TAB})
        self.start(squad_id)  # the athlete counts change

    def _on_screening_completed(self, _squad_id: int) -> None:
        self._stale.add(DASHBOARD_TAB)

    def _on_new_button_clicked(self) -> None:
        self._open_squad_dialog(None)

    def _on_edit_button_clicked(self) -> None:
        squad = self.selected_squad()
        if squad is not None:
            self._open_squad_dialog(squad)

    def _open_squad_dialog(self, squad: Squad | None) -> None:
        session = self._session
        dialog = SquadDialog(lambda: session.squads, self._clubs, squad, self, tasks=self._tasks)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.squad_saved.connect(self._on_squad_saved)
        dialog.destroyed.connect(lambda: setattr(self, "squad_dialog", None))
        self.squad_dialog = dialog
        dialog.open()

    def _on_import_button_clicked(self) -> None:
        session = self._session
        open_squads = [listing for listing in self._listings if not listing.squad.archived]  # never filled silently
        dialog = AthleteImportDialog(
            lambda: session.squad_import, self._tasks, self._order, self._today, open_squads, self._clubs, self,
            squad_id=self.selected_squad_id(), choose_file=self._choose_file, choose_report=self._choose_save,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.athletes_imported.connect(self._on_athletes_imported)
        dialog.destroyed.connect(lambda: setattr(self, "import_dialog", None))
        self.import_dialog = dialog
        dialog.open()

    def _on_athletes_imported(self, outcome: ImportOutcome) -> None:
        self.start(outcome.squad.id)
        self.patients_imported.emit(outcome)

    def _on_call_failed(self, error: CalfDeskError) -> None:
        self.banner.show_message(str(error), Tone.ERROR)

    def done(self, result: int) -> None:
        # The row being typed is stored, whichever way the window closes (also when it is hidden already:
        # someone else logging in from the lock screen closes it without showing it again).
        self.screening.save_pending(leaving=True)
        super().done(result)

    def hideEvent(self, event: QHideEvent) -> None:
        # Closing hides the window, and so does the lock screen (D5), which may be followed by quitting
        # or by someone else logging in: the typed rows are stored now, before either.
        self.screening.save_pending(leaving=True)
        super().hideEvent(event)


def new_patients(session: ClinicSession, outcome: ImportOutcome, today: date, known: set[int]) -> list[PatientSummary]:
    """Runs on the database thread: the summaries of the squad's athletes the main list does not know yet."""
    squad_id = outcome.squad.id
    assert squad_id is not None
    members = {m.patient_id for m in session.squads.members(squad_id, today)} - known
    if not members:
        return []
    return [s for s in session.patients.summaries() if s.id in members]
