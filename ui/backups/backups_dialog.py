"""Admin › Backups…: where backups go, the last verified one, the list, "Back up now" and "Restore…".

Changing the folder and restoring ask for the administrator's password again (D6). A restore is checked
first (it must open with this database's key, be sound, and match its manifest) and confirmed with its
date and number of patients; it is then carried out after the window has closed (``ui.backups.restart``),
because the database cannot be swapped while it is open.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.backup_folder import BackupFile
from db.restore import BackupSummary
from ui.backups.backup_table import BACKUP_PATH_ROLE, BackupColumn, BackupTableModel
from ui.backups.jobs import MANUAL, BackupJobs, BackupOutcome, RestoreRequest, same_disk
from ui.backups.wording import format_moment, format_size
from ui.security.password_dialogs import ReauthenticateDialog
from ui.security.service_call import call_service
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.errors import CalfDeskError
from workstation.security.accounts import Actor

FOLDER_REASON = "Backups hold every patient's record. Please confirm your password to change where they go."
RESTORE_REASON = "Restoring replaces every record in the database. Please confirm your password."
SAME_DISK_WARNING = (
    "This folder is on the same disk as the database: if that disk fails, both are lost. Also copy the "
    "backups to a removable drive now and then, and keep it somewhere else (docs/backup.md)."
)

ChooseFolder = Callable[[QWidget, Path], Path | None]
ChooseFile = Callable[[QWidget, Path], Path | None]


def ask_for_folder(parent: QWidget, current: Path) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, "Choose the backup folder", str(current))
    return Path(chosen) if chosen else None


def ask_for_backup_file(parent: QWidget, folder: Path) -> Path | None:
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, "Choose a backup to restore", str(folder), "CalfDesk backups (*.sqlite3)"
    )
    return Path(chosen) if chosen else None


class BackupsDialog(QDialog):
    def __init__(
        self,
        jobs: BackupJobs,
        actor: Actor,
        reauthenticate: Callable[[str], None],
        request_restore: Callable[[RestoreRequest], None],
        parent: QWidget | None = None,
        *,
        workstation: str,
        tasks: TaskRunner | None = None,
        choose_folder: ChooseFolder = ask_for_folder,
        choose_file: ChooseFile = ask_for_backup_file,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.setWindowTitle("Backups")
        self._jobs, self._actor, self._workstation = jobs, actor, workstation
        self._reauthenticate, self._request_restore = reauthenticate, request_restore
        self._tasks = tasks
        self._choose_folder, self._choose_file = choose_folder, choose_file
        self.confirmation: QMessageBox | None = None
        self.reauthentication: ReauthenticateDialog | None = None
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.banner = BannerWidget()
        self.banner.setObjectName("backupsBanner")
        self.disk_warning = BannerWidget()
        self.disk_warning.setObjectName("sameDiskWarning")
        self.folder_label = QLabel()
        self.folder_label.setObjectName("backupFolder")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.latest_label = QLabel()
        self.latest_label.setObjectName("latestBackup")
        self.model = BackupTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("backupTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.back_up_button = QPushButton("&Back up now")
        self.back_up_button.setObjectName("backUpNowButton")
        self.back_up_button.clicked.connect(self._on_back_up_button_clicked)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setToolTip("Restore the backup chosen in the list, or choose a backup file")
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.choose_button)
        actions = QHBoxLayout()
        actions.addWidget(self.back_up_button)
        actions.addWidget(self.restore_button)
        actions.addStretch(1)
        actions.addWidget(buttons)
        layout = QVBoxLayout(self)
        for widget in (self.banner, self.disk_warning):
            layout.addWidget(widget)
        layout.addLayout(folder_row)
        layout.addWidget(self.latest_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 26)

    # Showing the folder ----------------------------------------------------------------------------

    def refresh(self) -> None:
        jobs = self._jobs
        call_service(
            lambda: (jobs.folder(), jobs.backups(), jobs.database),
            done=self._on_listed,
            failed=self._show_error,
            tasks=self._tasks,
            context=self,
        )

    def _on_listed(self, listed: tuple[Path, list[BackupFile], Path]) -> None:
        folder, backups, database = listed
        self.folder_label.setText(f"Backups are kept in {folder}")
        if same_disk(folder, database):
            self.disk_warning.show_message(SAME_DISK_WARNING, Tone.WARNING, dismissable=False)
        else:
            self.disk_warning.clear()
        latest = next((b for b in backups if b.verified), None)
        self.latest_label.setText(
            f"Last verified backup: {format_moment(latest.taken_at)} ({format_size(latest.bytes)})"
            if latest
            else "No verified backup yet."
        )
        self.model.set_backups(backups)

    def selected_backup(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows(BackupColumn.TAKEN)
        return Path(rows[0].data(BACKUP_PATH_ROLE)) if rows else None

    def select(self, path: Path) -> None:
        row = self.model.row_of(path)
        if row is not None:
            self.table.selectRow(row)

    # Back up now -----------------------------------------------------------------------------------

    @Slot()
    def _on_back_up_button_clicked(self) -> None:
        self.back_up_button.setEnabled(False)
        self.banner.show_message("Backing up and verifying…", Tone.NOTICE, dismissable=False)
        jobs, actor = self._jobs, self._actor
        call_service(
            lambda: jobs.back_up(MANUAL, actor),
            done=self._on_backed_up,
            failed=self._on_back_up_failed,
            tasks=self._tasks,
            context=self,
        )

    def _on_backed_up(self, outcome: BackupOutcome) -> None:
        self.back_up_button.setEnabled(True)
        report = outcome.report
        self.banner.show_message(
            f"Backed up and verified: {report.path.name} ({format_size(report.bytes)}, {len(report.tables)} tables).",
            Tone.NOTICE,
        )
        self.refresh()

    def _on_back_up_failed(self, error: CalfDeskError) -> None:
        self.back_up_button.setEnabled(True)
        self._show_error(error)

    # The folder ------------------------------------------------------------------------------------

    @Slot()
    def _on_choose_button_clicked(self) -> None:
        folder = self._choose_folder(self, self._jobs.folder())
        if folder is None:
            return
        self._after_password(FOLDER_REASON, lambda: self._save_folder(folder))

    def _save_folder(self, folder: Path) -> None:
        jobs, actor = self._jobs, self._actor
        call_service(
            lambda: jobs.set_folder(actor, folder),
            done=lambda _none: self.refresh(),
            failed=self._show_error,
            tasks=self._tasks,
            context=self,
        )

    # Restore ---------------------------------------------------------------------------------------

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        source = self.selected_backup() or self._choose_file(self, self._jobs.folder())
        if source is None:
            return
        self.restore_button.setEnabled(False)
        jobs = self._jobs
        call_service(
            lambda: jobs.inspect(source),
            done=self._confirm_restore,
            failed=self._on_restore_refused,
            tasks=self._tasks,
            context=self,
        )

    def _on_restore_refused(self, error: CalfDeskError) -> None:
        self.restore_button.setEnabled(True)
        self._show_error(error)

    def _confirm_restore(self, summary: BackupSummary) -> None:
        self.restore_button.setEnabled(True)
        when = format_moment(summary.taken_at) if summary.taken_at else summary.path.name
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Restore this backup?",
            f"Restore the backup of {when}, holding {summary.patients:,} patients?\n\n"
            "Everything saved since then is replaced. The database as it is now is kept as a backup first. "
            "CalfDesk then closes, restores, and starts again.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("restoreConfirmation")
        restore = box.addButton("Restore and restart", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _code: self._on_confirmation_answered(box, restore, summary.path))
        self.confirmation = box
        box.open()

    def _on_confirmation_answered(self, box: QMessageBox, restore: Any, source: Path) -> None:
        self.confirmation = None
        if box.clickedButton() is restore:
            self._after_password(RESTORE_REASON, lambda: self._hand_over_restore(source))

    def _hand_over_restore(self, source: Path) -> None:
        try:
            request = self._jobs.restore_request(source, self._actor, self._workstation)
        except CalfDeskError as error:
            self._show_error(error)
            return
        self.accept()
        self._request_restore(request)

    # Shared ----------------------------------------------------------------------------------------

    def _after_password(self, reason: str, then: Callable[[], None]) -> None:
        confirm = ReauthenticateDialog(self._reauthenticate, reason, self, tasks=self._tasks)
        confirm.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        confirm.accepted.connect(then)
        self.reauthentication = confirm
        confirm.open()

    def _show_error(self, error: CalfDeskError) -> None:
        self.banner.show_message(str(error), Tone.ERROR)
