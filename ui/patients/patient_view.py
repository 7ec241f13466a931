"""One patient at a glance: who they are, how to reach them and their GP, consent, and episodes of care.

Above the tabs, always in sight: unresolved red flags, then running-load alerts, then the name. The
tabs are the record itself, the progress charts, the running log and the letters; the charts, the log and
the letters are made by their controllers the first time they are needed (pyqtgraph loads only then).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.patients.episode_table import EPISODE_ID_ROLE, EpisodeColumn, EpisodeTableModel
from ui.patients.patient_fields import label_of, value_text
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.dates import DateOrder, format_date
from workstation.records import Episode, Patient

if TYPE_CHECKING:
    from ui.patients.assessment_list import AssessmentListWidget

EMPTY_VALUE = "—"
PLACEHOLDER = "Choose a patient from the list and press Enter, or press Ctrl+N to add one."
NO_CLINICAL_ACCESS = "Episodes of care are clinical records, which your role does not show."
READ_ONLY_PLACEHOLDER = "Choose a patient from the list and press Enter."
RECORD_TAB, PROGRESS_TAB, RUNNING_LOG_TAB, LETTERS_TAB = 0, 1, 2, 3  # Ctrl+1 to Ctrl+4
CLINICAL_TABS = (PROGRESS_TAB, RUNNING_LOG_TAB, LETTERS_TAB)  # hidden from a role without clinical records
_IDENTIFIER_AND_GP_SECTIONS = frozenset({"GP", "Identifiers", "Consent"})  # permissions.VIEW_IDENTIFIERS_AND_GP
# Two columns of about equal height: how to reach the patient and their GP on the left; identifiers,
# what may be shared, and whom to call in an emergency on the right.
_COLUMNS: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = (
    (
        ("Contact", ("phone", "email", "address")),
        ("GP", ("gp.name", "gp.practice", "gp.address", "gp.phone", "gp.secure_email")),
    ),
    (
        ("Identifiers", ("nhs_number", "medicare_number", "medicare_irn")),
        ("Consent", ("gp_consent", "club_consent")),
        ("Emergency contact", ("emergency_contact.name", "emergency_contact.relationship", "emergency_contact.phone")),
    ),
)


class PatientViewWidget(QStackedWidget):
    """Shows a placeholder, a loading note, or a patient's record."""

    edit_requested = Signal()
    add_episode_requested = Signal()
    edit_episode_requested = Signal(int)
    assess_requested = Signal(int)  # an episode id: assess (or follow up) that episode
    resolve_flag_requested = Signal(object)  # a RedFlagRecord: record the action taken
    export_assessment_requested = Signal(int)  # an assessment id
    correct_assessment_requested = Signal(int)
    view_assessment_requested = Signal(int)
    new_letter_requested = Signal()
    tab_shown = Signal(int)  # RECORD_TAB, PROGRESS_TAB, RUNNING_LOG_TAB or LETTERS_TAB became the current tab

    def __init__(self, date_order: DateOrder, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientView")
        self._order = date_order
        self._today = today
        self._patient: Patient | None = None
        self._placeholder = _centred_note(PLACEHOLDER)
        self._loading = _centred_note("Opening the record…")
        self._values: dict[str, QLabel] = {}
        self.episodes = EpisodeTableModel(date_order, self)
        self._record = self._build_record()
        for page in (self._placeholder, self._loading, self._record):
            self.addWidget(page)

    @property
    def patient(self) -> Patient | None:
        return self._patient

    def show_placeholder(self) -> None:
        self._patient = None
        self.setCurrentWidget(self._placeholder)

    def show_loading(self) -> None:
        self.setCurrentWidget(self._loading)

    def stop_loading(self) -> None:
        """Opening failed: go back to the record shown before, if any."""
        if self.currentWidget() is self._loading:
            self.setCurrentWidget(self._record if self._patient else self._placeholder)

    def show_patient(self, patient: Patient, episodes: list[Episode] | None) -> None:
        """Show the record; ``episodes`` None means the role may not see them (a note says so)."""
        self._patient = patient
        self._name.setText(patient.display_name)
        self._details.setText(self._details_line(patient))
        for key, label in self._values.items():
            label.setText(value_text(key, patient, self._order) or EMPTY_VALUE)
        self.episodes.set_episodes(episodes or [])
        self._episode_pages.setCurrentIndex(0 if episodes is not None else 1)
        # Progress, running and letters are clinical records: a role (or a restricted record) without them
        # sees no tab.
        clinical = episodes is not None
        for tab in CLINICAL_TABS:
            self.tabs.setTabVisible(tab, clinical)
        if not clinical:
            self.tabs.setCurrentIndex(RECORD_TAB)
        self._on_episode_selection_changed()
        self.setCurrentWidget(self._record)

    def set_permissions(self, *, edit_patient: bool, edit_clinical: bool, identifiers_and_gp: bool) -> None:
        """Offer only what the role may do, and leave out the sections it may not see (the services
        enforce the same rules; this keeps the screen from offering what would be refused)."""
        self._may_edit_patient = edit_patient
        self._may_edit_clinical = edit_clinical
        for box in self._restricted_sections:
            box.setVisible(identifiers_and_gp)
        self._apply_buttons()

    def _apply_buttons(self) -> None:
        self.edit_button.setEnabled(self._may_edit_patient and not self._read_only)
        self.add_episode_button.setEnabled(self._may_edit_clinical and not self._read_only)
        self.new_letter_button.setEnabled(self._may_edit_clinical and not self._read_only)
        self._on_episode_selection_changed()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._placeholder.setText(READ_ONLY_PLACEHOLDER if read_only or not self._may_edit_patient else PLACEHOLDER)
        self._apply_buttons()

    def _details_line(self, patient: Patient) -> str:
        parts = []
        if patient.preferred_name:
            parts.append(f"Prefers “{patient.preferred_name}”")
        age = patient.age_on(self._today())
        parts.append(f"Born {format_date(patient.date_of_birth, self._order)} (aged {max(age, 0)})")
        parts.append(patient.sex.label)
        return " · ".join(parts)

    def _build_record(self) -> QWidget:
        self._read_only = False
        self._may_edit_patient = True
        self._may_edit_clinical = True
        self._restricted_sections: list[QGroupBox] = []
        self._name = QLabel()
        self._name.setObjectName("patientName")
        font = self._name.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self._name.setFont(font)
        self._name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._name.setWordWrap(True)
        self._details = QLabel()
        self._details.setObjectName("patientDetails")
        self._details.setWordWrap(True)
        self.edit_button = QPushButton("Edit details… (Ctrl+E)")
        self.edit_button.setObjectName("editPatient")
        self.edit_button.clicked.connect(self.edit_requested)
        header = QGridLayout()
        header.addWidget(self._name, 0, 0)
        header.addWidget(self._details, 1, 0)
        header.addWidget(self.edit_button, 0, 1, Qt.AlignmentFlag.AlignTop)
        header.setColumnStretch(0, 1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addLayout(self._build_sections())
        layout.addWidget(self._build_episodes(), 1)
        self.assessment_list: AssessmentListWidget | None = None
        self._assessments_holder = QVBoxLayout()
        layout.addLayout(self._assessments_holder)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("patientTabs")
        self.tabs.setDocumentMode(True)
        self.progress_holder = _holder("progressHolder")
        self.running_log_holder = _holder("runningLogHolder")
        self.letters_holder = _holder("lettersHolder")
        self.tabs.addTab(scroll, "Record (Ctrl+1)")
        self.tabs.addTab(self.progress_holder, "Progress (Ctrl+2)")
        self.tabs.addTab(self.running_log_holder, "Running log (Ctrl+3)")
        self.tabs.addTab(self.letters_holder, "Letters (Ctrl+4)")
        self.tabs.currentChanged.connect(self.tab_shown)
        for index in (RECORD_TAB, *CLINICAL_TABS):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda i=index: self._show_tab(i))
        self.load_alerts = BannerWidget()
        self.load_alerts.setObjectName("loadAlerts")
        page = QWidget()
        outer = QVBoxLayout(page)
        # Unresolved red flags first, above everything else about the patient, until an action is recorded;
        # then the running-load alerts, which a physio should see before talking about the next run.
        self.red_flags_box = QVBoxLayout()
        outer.addLayout(self.red_flags_box)
        outer.addWidget(self.load_alerts)
        outer.addLayout(header)
        outer.addWidget(self.tabs, 1)
        return page

    def _show_tab(self, tab: int) -> None:
        if self.tabs.isTabVisible(tab):
            self.tabs.setCurrentIndex(tab)

    def show_load_alerts(self, alerts: list[str]) -> None:
        """The running-load alerts (plain sentences, most important first); none hides the strip."""
        if alerts:
            self.load_alerts.show_message("\n".join(alerts), Tone.WARNING, dismissable=False)
        else:
            self.load_alerts.clear()

    def set_tab_widget(self, tab: int, widget: QWidget) -> None:
        """Put the progress charts, the running log or the letters (made on first use) in their tab."""
        holders = {PROGRESS_TAB: self.progress_holder, RUNNING_LOG_TAB: self.running_log_holder,
                   LETTERS_TAB: self.letters_holder}  # fmt: skip
        holder = holders[tab]
        holder.layout().addWidget(widget)

    @property
    def current_tab(self) -> int:
        return self.tabs.currentIndex()

    def _build_sections(self) -> QHBoxLayout:
        columns = QHBoxLayout()
        for sections in _COLUMNS:
            column = QVBoxLayout()
            for title, keys in sections:
                column.addWidget(self._section(title, keys))
            column.addStretch(1)
            columns.addLayout(column, 1)
        return columns

    def _section(self, title: str, keys: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key in keys:
            value = QLabel()
            value.setObjectName(f"value_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label_of(key), value)
            self._values[key] = value
        if title in _IDENTIFIER_AND_GP_SECTIONS:
            self._restricted_sections.append(box)
        return box

    def _build_episodes(self) -> QGroupBox:
        box = QGroupBox("Episodes of care")
        self.episode_table = QTableView()
        self.episode_table.setObjectName("episodeTable")
        self.episode_table.setModel(self.episodes)
        self.episode_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.episode_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.episode_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.episode_table.verticalHeader().hide()
        self.episode_table.setWordWrap(False)
        self.episode_table.setMinimumHeight(self.fontMetrics().height() * 8)
        header = self.episode_table.horizontalHeader()
        header.setSectionResizeMode(EpisodeColumn.COMPLAINT, QHeaderView.ResizeMode.Stretch)
        for column in (EpisodeColumn.SIDE, EpisodeColumn.ONSET, EpisodeColumn.STATUS, EpisodeColumn.DISCHARGED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.episode_table.activated.connect(self._on_episode_table_activated)
        self.episode_table.selectionModel().selectionChanged.connect(self._on_episode_selection_changed)
        self.add_episode_button = QPushButton("Add episode…")
        self.add_episode_button.setObjectName("addEpisode")
        self.add_episode_button.clicked.connect(self.add_episode_requested)
        self.edit_episode_button = QPushButton("Edit episode…")
        self.edit_episode_button.setObjectName("editEpisode")
        self.edit_episode_button.clicked.connect(self._on_edit_episode_clicked)
        self.assess_button = QPushButton("&Assess…")
        self.assess_button.setObjectName("assessEpisode")
        self.assess_button.setToolTip("Start (or continue) an assessment of the selected episode")
        self.assess_button.clicked.connect(self._on_assess_clicked)
        self.new_letter_button = QPushButton("New letter… (Ctrl+Shift+L)")
        self.new_letter_button.setObjectName("newLetter")
        self.new_letter_button.setToolTip("A referral, report or discharge letter, or an exercise handout")
        self.new_letter_button.clicked.connect(self.new_letter_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.assess_button)
        buttons.addWidget(self.add_episode_button)
        buttons.addWidget(self.edit_episode_button)
        buttons.addStretch(1)
        buttons.addWidget(self.new_letter_button)
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.episode_table, 1)
        table_layout.addLayout(buttons)
        self.no_clinical_access = _centred_note(NO_CLINICAL_ACCESS)
        self.no_clinical_access.setObjectName("noClinicalAccess")
        self._episode_pages = QStackedWidget()
        self._episode_pages.addWidget(table_page)
        self._episode_pages.addWidget(self.no_clinical_access)
        layout = QVBoxLayout(box)
        layout.addWidget(self._episode_pages, 1)
        return box

    def _selected_episode_id(self) -> int | None:
        index = self.episode_table.currentIndex()
        return index.data(EPISODE_ID_ROLE) if index.isValid() else None

    @Slot()
    def _on_episode_selection_changed(self) -> None:
        has_selection = self.episode_table.selectionModel().hasSelection()
        self.edit_episode_button.setEnabled(has_selection and self._may_edit_clinical and not self._read_only)
        self.assess_button.setEnabled(has_selection and self._may_edit_clinical and not self._read_only)

    def show_red_flags(self, flags: list[object]) -> None:
        """The patient's unresolved red flags (RedFlagRecord), most urgent first; none hides the strip."""
        while self.red_flags_box.count():
            item = self.red_flags_box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if not flags:
            return
        from ui.assessment.red_flag_banner import RedFlagBanner  # only when a patient has a flag

        banner = RedFlagBanner(flags, with_actions=False)  # type: ignore[arg-type]
        banner.setObjectName("patientRedFlags")
        self.red_flags_box.addWidget(banner)
        buttons = QHBoxLayout()
        for flag in flags:
            what = "" if len(flags) == 1 else f" ({getattr(flag, 'code', '').replace('_', ' ')})"
            button = QPushButton(f"Record the action taken{what}…")
            button.setObjectName(f"resolveFlag_{getattr(flag, 'code', '')}")
            button.setEnabled(self._may_edit_clinical and not self._read_only)
            button.clicked.connect(lambda _checked=False, f=flag: self.resolve_flag_requested.emit(f))
            buttons.addWidget(button)
        buttons.addStretch(1)
        holder = QWidget()
        holder.setLayout(buttons)
        self.red_flags_box.addWidget(holder)

    def show_assessments(self, records: list[object]) -> None:
        """The patient's finalised assessments (made on first use: most patients open with none)."""
        if self.assessment_list is None:
            if not records:
                return
            from ui.patients.assessment_list import AssessmentListWidget

            self.assessment_list = AssessmentListWidget(self._order)
            self.assessment_list.export_requested.connect(self.export_assessment_requested)
            self.assessment_list.correct_requested.connect(self.correct_assessment_requested)
            self.assessment_list.view_requested.connect(self.view_assessment_requested)
            self._assessments_holder.addWidget(self.assessment_list)
        self.assessment_list.set_records(records, may_correct=self._may_edit_clinical and not self._read_only)  # type: ignore[arg-type]
        self.assessment_list.setVisible(bool(records))

    @Slot()
    def _on_assess_clicked(self) -> None:
        episode_id = self._selected_episode_id()
        if episode_id is not None:
            self.assess_requested.emit(episode_id)

    @Slot()
    def _on_edit_episode_clicked(self) -> None:
        episode_id = self._selected_episode_id()
        if episode_id is not None:
            self.edit_episode_requested.emit(episode_id)

    @Slot(QModelIndex)
    def _on_episode_table_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if self._may_edit_clinical and not self._read_only:
            self.edit_episode_requested.emit(index.data(EPISODE_ID_ROLE))


def _holder(name: str) -> QWidget:
    holder = QWidget()
    holder.setObjectName(name)
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    return holder


def _centred_note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label
