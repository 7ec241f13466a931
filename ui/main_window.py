"""The main window: lays out the patient list and the patient view, and wires actions to them.

It works on ``Records``: a logged-in ``ClinicSession`` in the app (whose repositories enforce the role
and audit every look), or a plain store in tests of the window itself. ``can`` says which actions to
offer; while the session is locked, a lock screen replaces everything (``lock``/``unlock``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QPushButton, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from ui.assessment.patient_assessments import PatientAssessments, clinic_country
from ui.clock import local_today
from ui.letters.patient_letters import PatientLetters
from ui.patients.directory import PatientDirectory
from ui.patients.first_run import FirstRunWidget
from ui.patients.patient_list import PatientListWidget
from ui.patients.patient_progress import PatientProgress, RunningState
from ui.patients.patient_view import PatientViewWidget
from ui.squads.launcher import SQUADS_SHORTCUT, SquadsLauncher
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from ui.widgets.first_paint import FirstPaintProbe
from ui.window_state import WindowStateStore, open_settings
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError, DamagedDatabase, PermissionDenied
from workstation.ports import EpisodeRepository, Records
from workstation.records import Episode, Patient, PatientSummary
from workstation.security.permissions import Action

if TYPE_CHECKING:
    from workstation.services.assessments import AssessmentService

# A window that is never painted (started minimised, say) still gets its search index.
FULL_LOAD_FALLBACK_MS = 1_000


class MainWindow(QMainWindow):
    first_content_painted = Signal()  # the list's first rows, or the first-run screen, are on screen
    closing = Signal()  # the window is closing for good (every editor has agreed)
    restore_requested = Signal()  # "Restore a backup…" on the damaged-database banner

    def __init__(
        self,
        store: Records,
        *,
        can: Callable[[Action], bool] = lambda _action: True,
        date_order: DateOrder = DateOrder.DAY_MONTH_YEAR,
        today: Callable[[], date] = local_today,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("CalfDesk")
        self._store = store
        self._can = can
        self._hidden_while_locked: list[QDialog] = []
        self._enabled_before_lock: list[QAction] = []
        self._order = date_order
        self._today = today
        self._opening: int | None = None
        self.assessments = PatientAssessments(self, lambda: _assessment_service(self._store), today, date_order,
                                              country=lambda: clinic_country(self._store))  # fmt: skip
        self.progress = PatientProgress(self, lambda: self._store, date_order, today)
        self.letters = PatientLetters(self, lambda: self._store, date_order, today)
        self.squads = SquadsLauncher(self, lambda: self._store, date_order, today)
        self.tasks = TaskRunner(self)
        self.directory = PatientDirectory(store.patients, self.tasks, date_order, self)
        # Asked for before the widgets are built, so the database thread fetches while this one builds.
        # The answer arrives through the event loop, so every widget exists by the time it is shown.
        self.directory.start_loading()
        self.banner = BannerWidget()
        self.banner.setObjectName("errorBanner")
        self.read_only_banner = BannerWidget()
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.restore_backup_button = QPushButton("Restore a backup…")  # shown for a damaged database only
        self.restore_backup_button.setObjectName("restoreBackupButton")
        self.restore_backup_button.hide()
        self.restore_backup_button.clicked.connect(self.restore_requested)
        self.read_only_banner.layout().insertWidget(2, self.restore_backup_button)
        self.warning_banner = BannerWidget()  # amber: the database works, but its set-up puts records at risk
        self.warning_banner.setObjectName("databaseWarningBanner")
        self.patient_list = PatientListWidget(self.directory, date_order)
        self.patient_view = PatientViewWidget(date_order, today)
        self.first_run = FirstRunWidget()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self._pages = QStackedWidget()
        self._lay_out()
        self._create_actions()
        self._connect()
        self._window_state = WindowStateStore(settings or open_settings())
        if not self._window_state.restore(self, self.splitter, self.patient_list.table.horizontalHeader()):
            self._apply_default_geometry()
        self._apply_permissions()
        if store.read_only:
            self._enter_read_only()
        self._show_database_warnings()
        list_has_rows = (self.patient_list.table.viewport(), lambda: self.patient_list.model.rowCount() > 0)
        self._first_paint = FirstPaintProbe([list_has_rows, (self.first_run, lambda: True)], self)
        self._first_paint.painted.connect(self.first_content_painted)
        self._start_loading()

    def _start_loading(self) -> None:
        """After the first page: the quick check beside the first paint, then (once painted) everything.

        The check is queued on the database thread ahead of anything the user can do, so a damaged
        file turns read-only before a write could reach it.
        """
        self.tasks.submit(
            self._store.check_integrity,
            done=lambda _: None,
            failed=self._on_integrity_check_failed,
            context=self,
        )
        # Queued behind whatever else waits for the first paint (the start-up check's stopwatch): loading
        # NumPy and 100,000 rows takes the main thread for a moment, and that moment is after the paint.
        self.first_content_painted.connect(lambda: QTimer.singleShot(0, self.directory.load_everything))
        self.directory.first_page_loaded.connect(
            lambda: QTimer.singleShot(FULL_LOAD_FALLBACK_MS, self.directory.load_everything)
        )

    def _lay_out(self) -> None:
        self.splitter.addWidget(self.patient_list)
        self.splitter.addWidget(self.patient_view)
        self.splitter.setStretchFactor(0, 0)  # a wider window widens the record, not the list
        self.splitter.setStretchFactor(1, 1)
        self._pages.addWidget(self.splitter)
        self._pages.addWidget(self.first_run)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self.warning_banner)
        layout.addWidget(self.banner)
        layout.addWidget(self._pages, 1)
        self._screens = QStackedWidget()
        self._screens.addWidget(central)
        self.setCentralWidget(self._screens)

    def _create_actions(self) -> None:
        new, find, quit_ = QKeySequence.StandardKey.New, QKeySequence.StandardKey.Find, QKeySequence.StandardKey.Quit
        self.new_patient_action = self._action("&New patient…", new, self._on_new_patient_action_triggered)
        self.edit_patient_action = self._action(
            "&Edit patient…", QKeySequence("Ctrl+E"), self._on_edit_patient_action_triggered
        )
        self.edit_patient_action.setEnabled(False)
        self.new_letter_action = self._action("New &letter…", QKeySequence("Ctrl+Shift+L"), self.letters.new_letter)
        self.new_letter_action.setEnabled(False)
        self.find_action = self._action("&Find patient", find, self._on_find_action_triggered)
        self.clear_search_action = self._action(
            "&Clear search", QKeySequence(Qt.Key.Key_Escape), self._on_clear_search_action_triggered
        )
        self.quit_action = self._action("&Quit", quit_, self.close)
        self.file_menu = self.menuBar().addMenu("&File")
        self.file_menu.addAction(self.quit_action)
        self.patient_menu = self.menuBar().addMenu("&Patient")
        self.patient_menu.addActions([self.new_patient_action, self.edit_patient_action])
        self.patient_menu.addSeparator()
        self.patient_menu.addAction(self.new_letter_action)
        self.patient_menu.addSeparator()
        self.patient_menu.addActions([self.find_action, self.clear_search_action])
        self.squads_action = self._action("&Squads…", QKeySequence(SQUADS_SHORTCUT), self.squads.open)
        if self._can(Action.VIEW_SQUADS):  # reception has no squads: no menu for them
            self.squads_menu = self.menuBar().addMenu("S&quads")  # Alt+Q: Alt+S is the running log's Shoes
            self.squads_menu.addAction(self.squads_action)
        self.about_action = QAction("&About CalfDesk…", self)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        self.help_menu = self.menuBar().addMenu("&Help")  # last; menus added later go before it (add_menu)
        self.help_menu.addAction(self.about_action)
        self.write_actions = (self.new_patient_action, self.edit_patient_action, self.new_letter_action)

    def add_menu(self, title: str) -> QMenu:
        """A new menu in the menu bar, before Help: Help stays the last menu whoever logs in."""
        menu = QMenu(title, self)
        self.menuBar().insertMenu(self.help_menu.menuAction(), menu)
        return menu

    def _action(
        self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _connect(self) -> None:
        self.directory.first_page_loaded.connect(self._on_directory_first_page_loaded)
        self.directory.load_failed.connect(self._on_directory_load_failed)
        self.patient_list.patient_activated.connect(self._on_patient_list_patient_activated)
        self.patient_view.edit_requested.connect(self.edit_patient_action.trigger)
        self.patient_view.add_episode_requested.connect(self._on_patient_view_add_episode_requested)
        self.patient_view.edit_episode_requested.connect(self._on_patient_view_edit_episode_requested)
        self.assessments.connect_to(self.patient_view)
        self.progress.connect_to(self.patient_view)
        self.letters.connect_to(self.patient_view)
        self.first_run.add_patient_requested.connect(self.new_patient_action.trigger)

    def _apply_default_geometry(self) -> None:
        metrics = self.fontMetrics()
        list_width = self.patient_list.preferred_width()
        view_width = metrics.averageCharWidth() * 100
        screen = self.screen().availableGeometry()
        self.resize(min(list_width + view_width, screen.width()), min(metrics.height() * 48, screen.height()))
        self.splitter.setSizes([list_width, view_width])

    def _apply_permissions(self) -> None:
        self.new_patient_action.setEnabled(self._can(Action.EDIT_PATIENT))
        self.first_run.add_button.setEnabled(self._can(Action.EDIT_PATIENT))
        self.squads_action.setEnabled(self._can(Action.VIEW_SQUADS))
        self.patient_view.set_permissions(
            edit_patient=self._can(Action.EDIT_PATIENT),
            edit_clinical=self._can(Action.EDIT_CLINICAL),
            identifiers_and_gp=self._can(Action.VIEW_IDENTIFIERS_AND_GP),
        )

    @property
    def locked(self) -> bool:
        return self._screens.currentIndex() != 0

    def lock(self, lock_screen: QWidget) -> None:
        """Show ``lock_screen`` instead of everything: no patient data stays visible anywhere (D5).

        Open dialogs are hidden, not closed, so the same person finds their typing where they left it.
        """
        if self.locked:
            return
        self._hidden_while_locked = [d for d in self.findChildren(QDialog) if d.isVisible()]
        for dialog in self._hidden_while_locked:
            dialog.hide()
        # Every shortcut (Ctrl+N, Ctrl+E, Ctrl+F...) would act behind the lock screen: none works now.
        self._enabled_before_lock = [a for a in self.actions() if a.isEnabled()]
        for action in self._enabled_before_lock:
            action.setEnabled(False)
        if self._screens.indexOf(lock_screen) < 0:
            self._screens.addWidget(lock_screen)
        self._screens.setCurrentWidget(lock_screen)
        self.menuBar().setEnabled(False)  # File and Patient act on records; the lock screen has its own
        self.setWindowTitle("CalfDesk — locked")

    def unlock(self) -> None:
        for action in self._enabled_before_lock:
            action.setEnabled(True)
        self._enabled_before_lock = []
        self._screens.setCurrentIndex(0)
        self.menuBar().setEnabled(True)
        self.setWindowTitle("CalfDesk")
        for dialog in self._hidden_while_locked:
            dialog.show()
        self._hidden_while_locked = []
        self.patient_list.focus_search()

    def open_editors(self) -> list[QDialog]:
        """Patient and episode editors with typing in them (drafts, when someone else takes over)."""
        from ui.patients.episode_dialog import EpisodeDialog
        from ui.patients.patient_editor import PatientEditorDialog

        editors: list[QDialog] = [d for d in self.findChildren(PatientEditorDialog) if d.dirty]
        return editors + [d for d in self.findChildren(EpisodeDialog) if d.dirty]

    def _show_database_warnings(self) -> None:
        # A store's warnings (a PostgreSQL server with unsafe durability settings, say) do not stop work:
        # only the server's administrator can act on them, so the banner may be dismissed; it is back on
        # the next start for as long as the cause remains. Looked up by name: ``Records`` does not declare
        # ``warnings`` (a store has them; a ClinicSession shows them once it passes its store's on).
        warnings: list[str] = list(getattr(self._store, "warnings", ()))
        if warnings:
            self.warning_banner.show_message("\n".join(warnings), Tone.WARNING)

    def _enter_read_only(self, reason: str = "") -> None:
        self.read_only_banner.show_message(
            reason
            or "This database is open read-only: you can look at records but not change them. "
            f"({self._store.description})",
            Tone.ERROR if reason else Tone.NOTICE,
            dismissable=False,
        )
        for action in self.write_actions:
            action.setEnabled(False)
        self.first_run.add_button.setEnabled(False)
        self.patient_view.set_read_only(True)

    def open_patient(self, patient_id: int) -> None:
        """Show a patient's record (fetched on the database thread)."""
        self._opening = patient_id
        self.patient_view.show_loading()
        patients, episodes, store = self._store.patients, self._store.episodes, self._store
        running = self.progress.running_state_reader(patient_id)
        self.tasks.submit(
            lambda: (
                patients.get(patient_id),
                _episodes_if_allowed(episodes, patient_id),
                _flags_if_allowed(store, patient_id),
                _assessments_if_allowed(store, patient_id),
                running(),
            ),
            done=self._on_patient_fetched,
            failed=self._on_expected_error,
            context=self,
        )

    def reopen_patient(self) -> None:
        """Show the record on screen again (after a setting that changes how it reads)."""
        shown = self.patient_view.patient
        if shown is not None and shown.id is not None:
            self.open_patient(shown.id)

    def _on_patient_fetched(
        self, fetched: tuple[Patient, list[Episode] | None, list[object], list[object], RunningState | None]
    ) -> None:
        patient, episodes, flags, assessments, running = fetched
        if patient.id != self._opening:
            return  # another patient was asked for meanwhile
        self.patient_view.show_patient(patient, episodes)
        self.patient_view.show_red_flags(flags)
        self.patient_view.show_assessments(assessments)
        self.progress.patient_opened(running)
        self.letters.patient_opened()
        self.edit_patient_action.setEnabled(not self._store.read_only and self._can(Action.EDIT_PATIENT))
        self.new_letter_action.setEnabled(episodes is not None and self.may_write(Action.EDIT_CLINICAL))

    def _open_editor(self, patient: Patient | None, draft: str | None = None) -> None:
        from ui.patients.patient_editor import PatientEditorDialog  # loaded on first use, not at start-up

        editor = PatientEditorDialog(self._store.patients, self.tasks, patient, self._order, self._today, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.patient_saved.connect(self._on_editor_patient_saved)
        if draft is not None:
            editor.restore_draft(draft)
        editor.open()

    def resume_episode_draft(self, patient: Patient, episode: Episode | None, payload: str) -> None:
        """Open the episode editor on ``episode`` as stored now (None: a new one) with a draft's typing."""
        if self._store.read_only or not self._can(Action.EDIT_CLINICAL):
            return
        from ui.patients.episode_dialog import EpisodeDialog

        dialog = EpisodeDialog(self._store.episodes, self.tasks, patient, episode, self._order, self._today, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.episode_saved.connect(self._on_episode_dialog_episode_saved)
        dialog.restore_draft(payload)
        dialog.open()

    def resume_draft(self, patient: Patient | None, payload: str) -> None:
        """Open the editor on ``patient`` as stored now (None: a new one) with a draft's typing over it."""
        if not self._store.read_only and self._can(Action.EDIT_PATIENT):
            self._open_editor(patient, payload)

    def _open_episode_dialog(self, episode: Episode | None) -> None:
        patient = self.patient_view.patient
        if patient is None or self._store.read_only or not self._can(Action.EDIT_CLINICAL):
            return
        from ui.patients.episode_dialog import EpisodeDialog  # loaded on first use, not at start-up

        dialog = EpisodeDialog(self._store.episodes, self.tasks, patient, episode, self._order, self._today, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.episode_saved.connect(self._on_episode_dialog_episode_saved)
        dialog.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._close_dialogs():
            event.ignore()
            return
        self._window_state.save(self, self.splitter, self.patient_list.table.horizontalHeader())
        self.closing.emit()
        self._store.cancel_integrity_check()  # quitting never waits for the background reads
        self.directory.cancel()
        self.tasks.shutdown()
        super().closeEvent(event)

    def _close_dialogs(self) -> bool:
        """Close open editors the way their Cancel does (asking before typing is lost); False if one stays."""
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
                if dialog.isVisible():
                    return False
        return True

    @Slot()
    def _on_directory_first_page_loaded(self) -> None:
        self._pages.setCurrentWidget(self.first_run if self.directory.total == 0 else self.splitter)
        self.patient_list.focus_search()

    @Slot(object)
    def _on_directory_load_failed(self, error: CalfDeskError) -> None:
        self._on_expected_error(error)

    def _on_integrity_check_failed(self, error: CalfDeskError) -> None:
        if isinstance(error, DamagedDatabase):
            self._enter_read_only(str(error))
            self.restore_backup_button.setVisible(self._can(Action.MANAGE_BACKUPS))
        else:
            self._on_expected_error(error)

    def may_write(self, action: Action) -> bool:
        """Whether a change of this kind may be made now: the role allows it and the database is writable."""
        return not self._store.read_only and self._can(action)

    def show_added_patients(self, summaries: list[PatientSummary]) -> None:
        """Patients stored elsewhere (an athlete import): in the list and its search from now on."""
        for summary in summaries:
            self.directory.upsert(summary)
        if summaries:
            self._pages.setCurrentWidget(self.splitter)
            self.patient_list.show_saved_patient(summaries[0].id)

    def show_expected_error(self, error: CalfDeskError) -> None:
        self._on_expected_error(error)

    def _on_expected_error(self, error: CalfDeskError) -> None:
        self.banner.show_message(str(error), Tone.ERROR)
        self.patient_view.stop_loading()

    @Slot(int)
    def _on_patient_list_patient_activated(self, patient_id: int) -> None:
        self.open_patient(patient_id)

    @Slot()
    def _on_new_patient_action_triggered(self) -> None:
        if not self._store.read_only and self._can(Action.EDIT_PATIENT):
            self._open_editor(None)

    @Slot()
    def _on_edit_patient_action_triggered(self) -> None:
        if self.patient_view.patient is not None and not self._store.read_only and self._can(Action.EDIT_PATIENT):
            self._open_editor(self.patient_view.patient)

    @Slot()
    def _on_about_action_triggered(self) -> None:
        from ui.about_dialog import AboutDialog  # loaded on first use, not at start-up

        shown = [dialog for dialog in self.findChildren(AboutDialog) if dialog.isVisible()]
        if shown:  # one is enough: bring it forward (raise_ is refused by some platforms' plugins)
            shown[0].activateWindow()
            return
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot()
    def _on_find_action_triggered(self) -> None:
        self.patient_list.focus_search()

    @Slot()
    def _on_clear_search_action_triggered(self) -> None:
        self.patient_list.clear_search()

    @Slot(object)
    def _on_editor_patient_saved(self, patient: Patient) -> None:
        self.directory.upsert(patient.summary())
        self._pages.setCurrentWidget(self.splitter)
        assert patient.id is not None
        self.patient_list.show_saved_patient(patient.id)
        self.open_patient(patient.id)

    @Slot()
    def _on_patient_view_add_episode_requested(self) -> None:
        self._open_episode_dialog(None)

    @Slot(int)
    def _on_patient_view_edit_episode_requested(self, episode_id: int) -> None:
        self._open_episode_dialog(self.patient_view.episodes.episode(episode_id))

    @Slot(object)
    def _on_episode_dialog_episode_saved(self, episode: Episode) -> None:
        self.open_patient(episode.patient_id)


def _assessment_service(store: Records) -> AssessmentService | None:
    """A logged-in session's assessment service; a bare store (no one logged in) has none to offer."""
    from workstation.services.session import ClinicSession

    return store.assessments if isinstance(store, ClinicSession) else None


def _assessments_if_allowed(store: Records, patient_id: int) -> list[object]:
    """Runs on the database thread: the current version of each finalised assessment (a look: audited)."""
    service = _assessment_service(store)
    if service is None:
        return []
    try:
        return list(service.for_patient(patient_id))
    except PermissionDenied:
        return []


def _flags_if_allowed(store: Records, patient_id: int) -> list[object]:
    """Runs on the database thread: the patient's unresolved red flags, or none for a role without access."""
    service = _assessment_service(store)
    if service is None:
        return []
    try:
        return list(service.unresolved_flags(patient_id))
    except PermissionDenied:
        return []


def _episodes_if_allowed(episodes: EpisodeRepository, patient_id: int) -> list[Episode] | None:
    """Runs on the database thread: None when the role may not see episodes (the view says so)."""
    try:
        return episodes.for_patient(patient_id)
    except PermissionDenied:
        return None
