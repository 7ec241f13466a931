"""The audit viewer (RELIABILITY.md F5): who did what, when, from which computer; and who saw a patient.

The log is asked for the newest entries matching the filters. The log filters by account id, so a
typed user name is turned into one: by ``find_user`` when given, else from the entries already seen
(each carries both). A name of no account (typed at a refused login) is matched among the newest
entries only, and the count says so. Exporting asks for the password first (D6), because the file
leaves the application's access control.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from functools import partial
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.security.audit_export import SavePath, ask_save_path, write_text
from ui.security.audit_filters import AuditFilter, AuditFilterWidget
from ui.security.audit_table import AuditTableModel
from ui.security.password_dialogs import ReauthenticateDialog
from ui.security.service_call import call_service
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.audit.records import AuditEntry
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError
from workstation.ports import AuditQuery
from workstation.security.accounts import user_key

__all__ = ["AuditTableModel", "AuditViewerDialog"]

DISPLAY_LIMIT = 5_000  # rows in the table; narrower filters reach older entries, an export has them all
EXPORT_REASON = "The exported file shows who did what and when, outside CalfDesk. Please confirm your password."

FindUser = Callable[[str], int | None]  # a typed user name -> that account's id, or None when there is none


class AuditViewerDialog(QDialog):
    def __init__(
        self,
        fetch: Callable[[AuditQuery], list[AuditEntry]],
        export_csv: Callable[[AuditQuery], str],
        reauthenticate: Callable[[str], None],
        parent: QWidget | None = None,
        *,
        patient_id: int | None = None,
        tasks: TaskRunner | None = None,
        save_path: SavePath = ask_save_path,
        find_user: FindUser | None = None,
        date_order: DateOrder = DateOrder.DAY_MONTH_YEAR,
        zone: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("auditViewer")
        self.setWindowTitle("Audit trail")  # never the patient, not even their id
        self._fetch, self._export_csv, self._reauthenticate = fetch, export_csv, reauthenticate
        self._patient_id = patient_id
        self._tasks = tasks
        self._save_path = save_path
        self._find_user = find_user
        self._zone = zone
        self._busy = False
        self._user_ids: dict[str, int] = {}  # user_key(name) -> account id, learnt from the entries seen
        self._shown: AuditFilter | None = None
        self.reauthenticate_dialog: ReauthenticateDialog | None = None
        self.banner = BannerWidget()
        self.banner.setObjectName("auditBanner")
        self.filters = AuditFilterWidget(date_order)
        self.show_button = _button("Show", "showButton", self._on_show_button_clicked)
        self.show_button.setDefault(True)
        self.who_button = _button("Who has accessed this patient", "whoAccessedButton", self._on_who_button_clicked)
        self.who_button.setVisible(patient_id is not None)
        self.model = AuditTableModel(self, zone=zone)
        self.table = QTableView()
        self.count_label = QLabel()
        self.count_label.setObjectName("auditCount")
        self.export_button = _button("Export CSV…", "exportButton", self._on_export_button_clicked)
        self._lay_out()
        if patient_id is not None:
            self.filters.set_who_accessed(patient_id)
        self.show_entries()

    @property
    def busy(self) -> bool:
        return self._busy

    def show_entries(self) -> None:
        wanted = self.filters.read()
        if wanted is not None:
            self._ask_log(wanted, self._user_ids.get(user_key(wanted.user_name)) if wanted.user_name else None)

    def _lay_out(self) -> None:
        self.table.setObjectName("auditTable")
        self.table.setAccessibleName("Audit entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        actions = QHBoxLayout()
        actions.addWidget(self.show_button)
        actions.addWidget(self.who_button)
        actions.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.export_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._set_busy(False)

    def _ask_log(self, wanted: AuditFilter, user_id: int | None = None) -> None:
        known = user_id if user_id is not None else self._known_user_id(wanted)
        fetch, find, zone, limit = self._fetch, self._find_user, self._zone, DISPLAY_LIMIT + 1

        def work() -> tuple[int | None, list[AuditEntry]]:
            account = known
            if account is None and wanted.user_name and find is not None:
                account = find(wanted.user_name)
            return account, fetch(wanted.query(user_id=account, limit=limit, zone=zone))

        self.banner.clear()
        self._set_busy(True)
        self.count_label.setText("Looking…")
        done = partial(self._on_entries_fetched, wanted)
        call_service(work, done=done, failed=self._on_call_failed, tasks=self._tasks, context=self)

    def _known_user_id(self, wanted: AuditFilter) -> int | None:
        return self._user_ids.get(user_key(wanted.user_name)) if wanted.user_name else None

    def _on_entries_fetched(self, wanted: AuditFilter, answer: tuple[int | None, list[AuditEntry]]) -> None:
        user_id, entries = answer
        for entry in entries:
            if entry.user_id is not None:
                self._user_ids[user_key(entry.user_name)] = entry.user_id
        if user_id is not None:
            self._user_ids[user_key(wanted.user_name)] = user_id
        more = len(entries) > DISPLAY_LIMIT
        learnt = self._known_user_id(wanted)
        if user_id is None and learnt is not None and more:
            # Their older entries may lie beyond everyone's newest: ask the log for theirs alone.
            self._ask_log(wanted, learnt)
            return
        by_name = user_id is None and bool(wanted.user_name)
        shown = [e for e in entries if wanted.matches_user(e)] if by_name else entries
        self._shown = wanted
        self.model.set_entries(shown[:DISPLAY_LIMIT])
        self.table.resizeColumnsToContents()
        self.count_label.setText(_count_text(self.model.rowCount(), more, among_newest=by_name))
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.show_button, self.who_button):
            button.setEnabled(not busy)
        self.export_button.setEnabled(not busy and self.model.rowCount() > 0)

    def _export_query(self) -> AuditQuery | None:
        wanted = self._shown
        if wanted is None:
            return None
        user_id = self._known_user_id(wanted)
        if wanted.user_name and user_id is None:
            self.banner.show_message(
                "These entries belong to no account (a name typed at a refused login), so they cannot be "
                "exported on their own. Clear the user filter to export them with the rest.",
                Tone.NOTICE,
            )
            return None
        return wanted.query(user_id=user_id, limit=None, zone=self._zone)

    def _on_call_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        self.count_label.setText(_count_text(self.model.rowCount(), False))
        self.banner.show_message(str(error), Tone.ERROR)

    def _on_reauthenticate_finished(self, query: AuditQuery, result: int) -> None:
        dialog, self.reauthenticate_dialog = self.reauthenticate_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            return
        path = self._save_path(self)
        if not path:
            return
        export_csv = self._export_csv
        self._set_busy(True)
        call_service(
            lambda: write_text(path, export_csv(query)),
            done=lambda _none: self._on_exported(path),
            failed=self._on_call_failed,
            tasks=self._tasks,
            context=self,
        )

    def _on_exported(self, path: str) -> None:
        self._set_busy(False)
        self.banner.show_message(f"The audit trail was saved to {Path(path).name}.", Tone.NOTICE)

    @Slot()
    def _on_show_button_clicked(self) -> None:
        self.show_entries()

    @Slot()
    def _on_who_button_clicked(self) -> None:
        if self._patient_id is not None:
            self.filters.set_who_accessed(self._patient_id)
            self.show_entries()

    @Slot()
    def _on_export_button_clicked(self) -> None:
        query = self._export_query()
        if query is None:
            return
        dialog = ReauthenticateDialog(self._reauthenticate, EXPORT_REASON, self, tasks=self._tasks)
        self.reauthenticate_dialog = dialog
        dialog.finished.connect(partial(self._on_reauthenticate_finished, query))
        dialog.open()


def _count_text(count: int, more: bool, *, among_newest: bool = False) -> str:
    entries = "1 entry" if count == 1 else f"{count:,} entries"
    if more and among_newest:  # a name of no account, matched only within what was fetched
        return (
            f"{entries} with this user name among the newest {DISPLAY_LIMIT:,}. Narrow the dates to look further back."
        )
    if more:
        return f"Showing the newest {count:,} entries. Narrow the filters to see older ones; an export has them all."
    return "No entries match." if count == 0 else entries


def _button(text: str, name: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button
