"""Import a squad's athletes from a club's CSV or Excel file: choose the file (and the sheet), say which
column is which, check every row in the preview, decide for the athletes already held, then store them
all at once or none of them.

Reading, checking and storing run on the database thread; the preview follows every change of a column.
The commit reports its progress and can be cancelled (nothing is kept then). Rejected rows can be
saved as a report for the club to put right; or, deliberately, left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.atomic_file import write_text_atomically
from ui.squads.athlete_import_parts import (
    ChooseOpenFile,
    MappingBox,
    SquadTargetBox,
    choose_athlete_file,
    plural,
    read_file,
    result_text,
    summary_text,
)
from ui.squads.athlete_preview_model import AthletePreviewModel, PreviewColumn, file_cells_by_line
from ui.squads.squad_exports import ChooseSaveFile, choose_save_file
from ui.squads.squad_list import SquadListing
from ui.squads.work_progress import WorkProgress
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from ui.widgets.tables import compact_rows
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError
from workstation.exchange.athlete_records import (
    AthleteMapping,
    AthleteTable,
    ImportPreview,
    MatchDecision,
)
from workstation.long_work import Cancelled
from workstation.squads.records import Club, ImportOutcome

if TYPE_CHECKING:
    from workstation.services.squad_import import AthleteImportService


class AthleteImportDialog(QDialog):
    athletes_imported = Signal(object)  # the ImportOutcome

    def __init__(
        self,
        service: Callable[[], AthleteImportService],
        tasks: TaskRunner,
        date_order: DateOrder,
        today: Callable[[], date],
        squads: Sequence[SquadListing],
        clubs: Sequence[Club],
        parent: QWidget | None = None,
        *,
        squad_id: int | None = None,
        choose_file: ChooseOpenFile = choose_athlete_file,
        choose_report: ChooseSaveFile = choose_save_file,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("athleteImportDialog")
        self.setWindowTitle("Import athletes from a file")
        self._service, self._tasks, self._today = service, tasks, today
        self._choose_file, self._choose_report = choose_file, choose_report
        self._path: Path | None = None
        self.table: AthleteTable | None = None
        self.preview: ImportPreview | None = None
        self.outcome: ImportOutcome | None = None
        self._generation = 0  # previews asked for; an older answer is dropped
        self.progress: WorkProgress | None = None
        self._build(date_order, squads, clubs)
        self.target.choose(squad_id)

    # --- building -------------------------------------------------------------------------------------------

    def _build(self, date_order: DateOrder, squads: Sequence[SquadListing], clubs: Sequence[Club]) -> None:
        self.banner = BannerWidget()
        self.target = SquadTargetBox(squads, clubs)
        self._build_file_widgets()
        self.mapping_box = MappingBox()
        self.mapping_box.changed.connect(self._on_mapping_box_changed)
        self.preview_model = AthletePreviewModel(date_order, self)
        self.preview_model.decisions_changed.connect(self._show_summary)
        self.preview_table = self._build_preview_table()
        self._build_decision_widgets()
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("importProgress")
        self.progress_bar.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("commitAthleteImport")
        self.buttons.accepted.connect(self.commit)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self._show_preview(None)

    def _build_file_widgets(self) -> None:
        self.file_label = _label("importFile", "No file chosen yet: a CSV or Excel file with a row per athlete.")
        self.choose_button = _button("Choose fi&le…", "chooseAthleteFile", self._on_choose_button_clicked)
        self.sheet_box = QComboBox()
        self.sheet_box.setObjectName("sheetBox")
        self.sheet_box.setAccessibleName("Sheet")
        self.sheet_box.activated.connect(self._on_sheet_box_activated)
        self.sheet_label = QLabel("S&heet")
        self.sheet_label.setBuddy(self.sheet_box)
        self.notes = _label("importNotes")

    def _build_decision_widgets(self) -> None:
        model = self.preview_model
        self.merge_all_button = _button("&Merge all", "mergeAll", lambda: model.decide_all(MatchDecision.MERGE))
        self.skip_all_button = _button("S&kip all", "skipAll", lambda: model.decide_all(MatchDecision.SKIP))
        self.summary = _label("importSummary")
        self.rejected_list = QListWidget()
        self.rejected_list.setObjectName("rejectedRows")
        self.rejected_list.setAccessibleName("Rejected rows")
        self.rejected_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.report_button = _button("Save &report…", "saveRejectionReport", self._on_report_button_clicked)
        self.leave_out_box = QCheckBox("Lea&ve out the rejected rows and import the rest")
        self.leave_out_box.setObjectName("leaveOutRejected")
        self.leave_out_box.toggled.connect(self._show_summary)

    def _lay_out(self) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.sheet_label)
        file_row.addWidget(self.sheet_box)
        file_row.addWidget(self.choose_button)
        decisions = QHBoxLayout()
        decisions.addWidget(self.summary, 1)
        decisions.addWidget(self.merge_all_button)
        decisions.addWidget(self.skip_all_button)
        rejected = QHBoxLayout()
        rejected.addWidget(self.rejected_list, 1)
        rejected.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.target)
        layout.addLayout(file_row)
        layout.addWidget(self.notes)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.preview_table, 1)
        layout.addLayout(decisions)
        layout.addLayout(rejected)
        layout.addWidget(self.leave_out_box)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 150, self.fontMetrics().lineSpacing() * 46)

    def _build_preview_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("athletePreview")
        table.setModel(self.preview_model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        compact_rows(table)
        table.setMinimumHeight(self.fontMetrics().lineSpacing() * 12)
        header = table.horizontalHeader()
        for column in PreviewColumn:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PreviewColumn.DETAIL, QHeaderView.ResizeMode.Stretch)
        return table

    # --- the file -------------------------------------------------------------------------------------------

    @Slot()
    def _on_choose_button_clicked(self) -> None:
        path = self._choose_file(self)
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path, sheet: str | None = None) -> None:
        """Read ``path`` (its ``sheet``) on the database thread and preview it; nothing is stored."""
        self.banner.clear()
        self._path = path
        self.file_label.setText(f"Reading {path.name}…")
        service = self._service
        self._tasks.submit(lambda: read_file(service(), path, sheet), done=self._on_file_read,
                           failed=self._on_file_failed, context=self)  # fmt: skip

    def _on_file_read(self, read: tuple[AthleteTable, AthleteMapping]) -> None:
        table, mapping = read
        self.table = table
        assert self._path is not None
        self.file_label.setText(str(self._path))
        self.sheet_box.clear()
        self.sheet_box.addItems(list(table.sheets))
        self.sheet_box.setCurrentIndex(max(0, self.sheet_box.findText(table.sheet)))
        several = table.source_format == "xlsx" and len(table.sheets) > 1
        self.sheet_box.setVisible(several)
        self.sheet_label.setVisible(several)
        self.notes.setText(" ".join(table.notes))
        self.notes.setVisible(bool(table.notes))
        self.mapping_box.show_mapping(table, mapping)
        self.refresh_preview()

    def _on_file_failed(self, error: CalfDeskError) -> None:
        self.table = None
        self.file_label.setText("No file read.")
        self.banner.show_message(f"{self._path.name if self._path else 'The file'}: {error}", Tone.ERROR)
        self._show_preview(None)

    @Slot(int)
    def _on_sheet_box_activated(self, _position: int) -> None:
        if self._path is not None and self.table is not None and self.sheet_box.currentText() != self.table.sheet:
            self.load_file(self._path, self.sheet_box.currentText())

    @Slot()
    def _on_mapping_box_changed(self) -> None:
        self.refresh_preview()

    # --- the preview ----------------------------------------------------------------------------------------

    def refresh_preview(self) -> None:
        table = self.table
        if table is None:
            return
        self._generation += 1
        generation, mapping, today, service = self._generation, self.mapping_box.mapping(), self._today(), self._service
        self.import_button.setEnabled(False)  # until the preview of this mapping is in
        self._tasks.submit(
            lambda: (generation, mapping, service().preview(table, mapping, today=today)),
            done=self._on_preview_made,
            failed=lambda error: self.banner.show_message(str(error), Tone.ERROR),
            context=self,
        )

    def _on_preview_made(self, made: tuple[int, AthleteMapping, ImportPreview]) -> None:
        generation, mapping, preview = made
        if generation == self._generation:
            self._show_preview(preview, mapping)

    def _show_preview(self, preview: ImportPreview | None, mapping: AthleteMapping | None = None) -> None:
        self.preview = preview
        self.preview_model.set_preview(preview, file_cells_by_line(self.table, mapping) if preview else {})
        self.rejected_list.clear()
        if preview is not None:
            self.rejected_list.addItems([*preview.mapping_problems,
                                    *(p.text for row in preview.rejected for p in row.problems)])  # fmt: skip
        shown = preview is not None
        self.mapping_box.setVisible(shown)
        has_rejected = shown and bool(preview and preview.rejected)
        for widget in (self.rejected_list, self.report_button, self.leave_out_box):
            widget.setVisible(has_rejected)
        matches = shown and bool(self.preview_model.decisions())
        self.merge_all_button.setVisible(matches)
        self.skip_all_button.setVisible(matches)
        self._show_summary()

    @Slot()
    def _show_summary(self) -> None:
        preview = self.preview
        if preview is None:
            self.summary.clear()
            self.import_button.setEnabled(False)
            return
        decisions = self.preview_model.decisions()
        merge = sum(1 for d in decisions.values() if d is MatchDecision.MERGE)
        leave_out = self.leave_out_box.isChecked()
        self.summary.setText(summary_text(preview, merge, leave_out_rejected=leave_out))
        joining = len(preview.rows) - len(preview.rejected) - (len(decisions) - merge)
        may_commit = self.progress is None and self._may_commit(preview, leave_out)
        self.import_button.setText(f"&Import {plural(joining, 'athlete')}" if may_commit and joining > 0 else "&Import")
        self.import_button.setEnabled(may_commit)

    @staticmethod
    def _may_commit(preview: ImportPreview, leave_out: bool) -> bool:
        if preview.can_commit:
            return True
        importable = len(preview.rows) > len(preview.rejected)
        return leave_out and importable and not preview.mapping_problems

    @Slot()
    def _on_report_button_clicked(self) -> None:
        preview = self.preview
        if preview is None:
            return
        suggested = Path.home() / f"{self._path.stem if self._path else 'athletes'}.rejected.csv"
        path = self._choose_report(self, "Save the rejected rows", suggested, "CSV file (*.csv)")
        if path is None:
            return
        service = self._service
        self._tasks.submit(
            lambda: write_text_atomically(path, service().rejection_report(preview)),
            done=lambda _none: self.banner.show_message(f"Saved the report of rejected rows: {path}.", Tone.NOTICE),
            failed=lambda error: self.banner.show_message(str(error), Tone.ERROR),
            context=self,
        )

    # --- the commit -----------------------------------------------------------------------------------------

    def commit(self) -> None:
        """Store every importable row in one transaction, or none; only when the preview allows it."""
        preview, target = self.preview, self.target.target()
        if self.outcome is not None:
            self.accept()  # after the import the main button closes
            return
        if preview is None or self.progress is not None or not self.import_button.isEnabled():
            return
        if target is None:
            self.banner.show_message("Choose the squad the athletes join, or type a new squad's name.", Tone.ERROR)
            return
        progress = WorkProgress(self)
        progress.reported.connect(self._on_progress_reported)
        self._set_busy(progress)
        service, decisions, today = self._service, self.preview_model.decisions(), self._today()
        leave_out = self.leave_out_box.isChecked() and not preview.can_commit
        self._tasks.submit(
            lambda: service().commit(preview, target.squad_name, decisions=decisions, joined_on=today,
                                     progress=progress, club_id=target.club_id, leave_out_rejected=leave_out),
            done=self._on_committed,
            failed=self._on_commit_failed,
            context=self,
        )  # fmt: skip

    def reject(self) -> None:
        if self.progress is not None:
            self.progress.cancel()  # Cancel during the commit stops it; the dialog stays to say so
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)
            return
        super().reject()

    def _set_busy(self, progress: WorkProgress | None) -> None:
        self.progress = progress
        busy = progress is not None
        self.progress_bar.setVisible(busy)
        self.progress_bar.setRange(0, 0)
        for widget in (self.choose_button, self.mapping_box, self.target, self.sheet_box, self.leave_out_box,
                       self.merge_all_button, self.skip_all_button, self.preview_table):  # fmt: skip
            widget.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(True)
        self._show_summary()

    @Slot(int, int, str)
    def _on_progress_reported(self, done: int, total: int, status: str) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.progress_bar.setFormat(f"{status} %p%" if status else "%p%")

    def _on_committed(self, outcome: ImportOutcome) -> None:
        self._set_busy(None)
        self.outcome = outcome
        left_out = len(self.preview.rejected) if self.preview is not None else 0
        text = result_text(outcome) + (f" {plural(left_out, 'rejected row')} left out." if left_out else "")
        self.summary.setText(text)
        self.import_button.setText("Close")
        self.import_button.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()
        done = (self.choose_button, self.target, self.leave_out_box, self.merge_all_button, self.skip_all_button)
        for widget in done:
            widget.setEnabled(False)
        self.mapping_box.hide()
        self.banner.show_message("Imported. " + text, Tone.NOTICE)
        self.athletes_imported.emit(outcome)

    def _on_commit_failed(self, error: CalfDeskError) -> None:
        self._set_busy(None)
        if isinstance(error, Cancelled):
            self.banner.show_message("Import cancelled: nothing was saved.", Tone.WARNING)
        else:
            self.banner.show_message(f"Nothing was imported. {error}", Tone.ERROR)


def _button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button


def _label(name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label
