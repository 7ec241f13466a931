"""The Dashboard tab: who is available today, each athlete's last screening and flags, three charts, exports.

Club staff see availability only (the service leaves everything clinical blank for them, G5), and their
view starts pseudonymised (G4): the athletes by a keyed pseudonym and an age band instead of a name, with
no free text. Clinicians can switch to it too. The table sorts by any column; it starts with the
athletes who need attention first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.squads.dashboard_table import (
    ANALYTICS_CLINICAL_COLUMNS,
    CLINICAL_COLUMNS,
    PATIENT_ID_ROLE,
    SORT_ROLE,
    AnalyticsColumn,
    AnalyticsTableModel,
    DashboardColumn,
    DashboardTableModel,
)
from ui.squads.screening_legend import RowFlagsLabel
from ui.squads.squad_charts import SquadChartsWidget
from ui.squads.squad_exports import EXPORTS, ChooseSaveFile, ExportKind, choose_save_file, export_file, suggested_name
from ui.squads.squad_letters import ChooseFolder, SquadLettersDialog, choose_letters_folder
from ui.squads.squad_style import availability_tint
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from ui.widgets.tables import compact_rows
from workstation.dates import DateOrder, format_date
from workstation.errors import CalfDeskError
from workstation.security.permissions import Action
from workstation.squads.records import Availability, Squad
from workstation.squads.views import Dashboard, ScreeningFlag, SquadAnalytics

if TYPE_CHECKING:
    from pathlib import Path

    from workstation.services.session import ClinicSession

AVAILABILITY_ONLY = "Your role sees availability only: measurements, flags and charts stay with the clinic."
PSEUDONYMISED_NOTE = "Pseudonymised view: athletes by pseudonym and age band, no names and no free text."


@dataclass(frozen=True, slots=True)
class DashboardRead:
    squad_id: int
    dashboard: Dashboard
    analytics: SquadAnalytics | None


class DashboardTab(QWidget):
    def __init__(
        self,
        session: Callable[[], ClinicSession],
        tasks: TaskRunner,
        date_order: DateOrder,
        today: Callable[[], date],
        *,
        can: Callable[[Action], bool],
        pseudonymised: bool,
        choose_file: ChooseSaveFile = choose_save_file,
        may_write: Callable[[Action], bool] | None = None,
        choose_folder: ChooseFolder = choose_letters_folder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardTab")
        self._session = session
        self._tasks = tasks
        self._order = date_order
        self._today = today
        self._can = can
        self._choose_file = choose_file
        self.choose_folder = choose_folder  # where the squad's letters go (a test answers for the file dialog)
        self._squad: Squad | None = None
        self.letters_dialog: SquadLettersDialog | None = None
        self.dashboard: Dashboard | None = None
        self.analytics: SquadAnalytics | None = None
        self.banner = BannerWidget()
        self.named_model = DashboardTableModel(date_order, self)
        self.pseudonymised_model = AnalyticsTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = self._build_table()
        self.counts = {a: self._count_chip(a) for a in sorted(Availability, key=lambda a: a.rank)}
        self.last_screened_label = QLabel()
        self.last_screened_label.setObjectName("lastScreened")
        self.pseudonymised_box = QCheckBox("&Pseudonymised view")
        self.pseudonymised_box.setObjectName("pseudonymisedBox")
        self.pseudonymised_box.setToolTip(PSEUDONYMISED_NOTE)
        self.pseudonymised_box.setVisible(can(Action.VIEW_SQUAD_ANALYTICS))
        self.pseudonymised_box.setChecked(pseudonymised and can(Action.VIEW_SQUAD_ANALYTICS))
        self.pseudonymised_box.toggled.connect(self._on_pseudonymised_box_toggled)
        self.view_note = QLabel()
        self.view_note.setObjectName("dashboardNote")
        self.view_note.setWordWrap(True)
        self.row_flags = RowFlagsLabel()
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.charts = SquadChartsWidget()
        self.export_buttons = {kind.key: self._export_button(kind) for kind in EXPORTS}
        self.letters_button = QPushButton("&Letters for this squad…")
        self.letters_button.setObjectName("squadLetters")
        self.letters_button.setToolTip("One finalised letter per athlete, written into a folder")
        # Who may write letters is who may change the clinical record (as in ui.letters), on a writable database.
        self.letters_button.setVisible((may_write or can)(Action.EDIT_CLINICAL))
        self.letters_button.clicked.connect(self.open_letters)
        self._lay_out()
        self._use_model()

    # --- building -------------------------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("dashboardTable")
        table.setAccessibleName("Squad dashboard")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        compact_rows(table)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        return table

    def _count_chip(self, availability: Availability) -> QLabel:
        chip = QLabel()
        chip.setObjectName(f"count_{availability.value}")
        return chip

    def _export_button(self, kind: ExportKind) -> QPushButton:
        button = QPushButton(kind.button)
        button.setObjectName(f"export_{kind.key}")
        button.setVisible(all(self._can(action) for action in kind.needs))
        button.clicked.connect(partial(self.export, kind.key))
        return button

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        for chip in self.counts.values():
            top.addWidget(chip)
        top.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        top.addWidget(self.last_screened_label, 1)
        top.addWidget(self.pseudonymised_box)
        exports = QHBoxLayout()
        exports.addStretch(1)
        for button in self.export_buttons.values():
            exports.addWidget(button)
        exports.addWidget(self.letters_button)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        table_and_flags = QWidget()
        column = QVBoxLayout(table_and_flags)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addWidget(self.row_flags)
        self.splitter.addWidget(table_and_flags)
        self.splitter.addWidget(self.charts)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.view_note)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(exports)

    # --- showing --------------------------------------------------------------------------------------------

    @property
    def pseudonymised(self) -> bool:
        return self.pseudonymised_box.isChecked()

    def show_squad(self, squad: Squad | None) -> None:
        self._squad = squad
        self.banner.clear()
        if squad is None or squad.id is None:
            self._show(None)
            return
        squad_id, session, today, pseudonymised = squad.id, self._session, self._today(), self.pseudonymised

        def read() -> DashboardRead:
            squads = session().squads
            analytics = squads.analytics(squad_id, today) if pseudonymised else None
            return DashboardRead(squad_id, squads.dashboard(squad_id, today), analytics)

        self._tasks.submit(read, done=self._on_read, failed=self._on_call_failed, context=self)

    def _on_read(self, read: DashboardRead) -> None:
        if self._squad is not None and read.squad_id == self._squad.id:
            self._show(read)

    def _show(self, read: DashboardRead | None) -> None:
        self.dashboard = read.dashboard if read is not None else None
        self.analytics = read.analytics if read is not None else None
        dashboard = self.dashboard
        self.named_model.set_rows(dashboard.rows if dashboard else ())
        self.pseudonymised_model.set_rows(self.analytics.rows if self.analytics else ())
        self._show_counts(dashboard)
        clinical = dashboard is not None and dashboard.clinical_visible
        self.charts.setVisible(clinical)
        if clinical and dashboard is not None:
            self.charts.set_charts(dashboard.charts)
        self._use_model()
        for button in self.export_buttons.values():
            button.setEnabled(dashboard is not None)
        self.letters_button.setEnabled(dashboard is not None and bool(dashboard.rows))

    def _show_counts(self, dashboard: Dashboard | None) -> None:
        for availability, chip in self.counts.items():
            count = dashboard.count(availability) if dashboard is not None else 0
            chip.setText(f"{count} {availability.label.lower()}")
            chip.setAccessibleName(chip.text())
        self._paint_chips()
        dates = [row.last_screened for row in dashboard.rows if row.last_screened] if dashboard else []
        if dashboard is None or not dashboard.clinical_visible:
            self.last_screened_label.clear()
        elif dates:
            self.last_screened_label.setText(f"Last screening: {format_date(max(dates), self._order)}")
        else:
            self.last_screened_label.setText("Not screened yet")

    def _paint_chips(self) -> None:
        for availability, chip in self.counts.items():
            tint = availability_tint(availability, self.palette())
            chip.setStyleSheet(f"background: {tint.background.name()}; color: {tint.text.name()};"
                               " padding: 3px 8px; border-radius: 3px; font-weight: bold;")  # fmt: skip

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_chips()
        super().changeEvent(event)

    def _use_model(self) -> None:
        """Names or pseudonyms in the table; the clinical columns only for a role that sees them."""
        pseudonymised = self.pseudonymised
        source = self.pseudonymised_model if pseudonymised else self.named_model
        if self.proxy.sourceModel() is not source:
            self.proxy.setSourceModel(source)
            self.table.horizontalHeader().setSortIndicator(
                AnalyticsColumn.AVAILABILITY if pseudonymised else DashboardColumn.AVAILABILITY,
                Qt.SortOrder.AscendingOrder,
            )
        clinical = self.dashboard is not None and self.dashboard.clinical_visible
        hidden = ANALYTICS_CLINICAL_COLUMNS if pseudonymised else CLINICAL_COLUMNS
        for column in range(source.columnCount()):
            self.table.setColumnHidden(column, column in hidden and not clinical)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        # The last column shown takes the room left (the flags, elided: the tooltip has them all).
        shown = [c for c in range(source.columnCount()) if not self.table.isColumnHidden(c)]
        if shown:
            header.setSectionResizeMode(shown[-1], QHeaderView.ResizeMode.Stretch)
        notes = [PSEUDONYMISED_NOTE] if pseudonymised else []
        if self.dashboard is not None and not clinical:
            notes.append(AVAILABILITY_ONLY)
        self.view_note.setText(" ".join(notes))
        self.view_note.setVisible(bool(notes))

    # --- exports --------------------------------------------------------------------------------------------

    def export(self, key: str) -> None:
        kind = next(k for k in EXPORTS if k.key == key)
        squad, dashboard, today = self._squad, self.dashboard, self._today()
        if squad is None or dashboard is None:
            return
        from pathlib import Path

        path = self._choose_file(self, kind.title, Path.home() / suggested_name(squad, kind, today), kind.filters)
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(kind.suffix)
        session = self._session
        self.banner.show_message(f"Saving {path.name}…", Tone.NOTICE, dismissable=False)
        self._tasks.submit(
            lambda: export_file(session(), kind, dashboard, squad, path, today),
            done=self._on_exported,
            failed=self._on_call_failed,
            context=self,
        )

    def _on_exported(self, path: Path) -> None:
        self.banner.show_message(f"Saved {path}.", Tone.NOTICE)

    # --- letters --------------------------------------------------------------------------------------------

    def open_letters(self) -> None:
        """The squad's letters dialog, for the athletes the dashboard shows (it is read for today)."""
        squad, dashboard = self._squad, self.dashboard
        if squad is None or dashboard is None or not dashboard.rows or self.letters_dialog is not None:
            return
        dialog = SquadLettersDialog(self._session, self._tasks, squad, dashboard.rows, self._today, self,
                                    choose_folder=self.choose_folder)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: setattr(self, "letters_dialog", None))
        self.letters_dialog = dialog
        dialog.open()

    # --- slots ----------------------------------------------------------------------------------------------

    def _on_table_current_row_changed(self, *_indexes: object) -> None:
        """The athlete with the cursor: every flag spelled out under the table (never in the pseudonymised view)."""
        name, flags, measured = self._current_flags()
        self.row_flags.show_flags(name, flags, measured=measured)

    def _current_flags(self) -> tuple[str | None, tuple[ScreeningFlag, ...], bool]:
        index, dashboard = self.table.currentIndex(), self.dashboard
        if not index.isValid() or dashboard is None or not dashboard.clinical_visible or self.pseudonymised:
            return None, (), False
        patient_id = index.data(PATIENT_ID_ROLE)
        row = next((r for r in dashboard.rows if r.member.patient_id == patient_id), None)
        return (None, (), False) if row is None else (row.member.display_name, row.flags, bool(row.values))

    @Slot(bool)
    def _on_pseudonymised_box_toggled(self, _checked: bool) -> None:
        if self.pseudonymised and self.analytics is None and self._squad is not None:
            self.show_squad(self._squad)  # the analytics are read when first asked for
            return
        self._use_model()

    def _on_call_failed(self, error: CalfDeskError) -> None:
        self.banner.show_message(str(error), Tone.ERROR)
