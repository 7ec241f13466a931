"""The Members tab: who is in the squad today, adding a patient already held, and an athlete leaving.

Leaving ends the membership on the day (the squad's list on any earlier day still shows them); the
patient's record is untouched. Every read and change runs on the database thread.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.squads.members_table import PATIENT_ID_ROLE, MemberColumn, MemberTableModel
from ui.squads.patient_picker import PatientPickerDialog, Search
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from ui.widgets.tables import compact_rows, row_list
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError
from workstation.records import PatientSummary
from workstation.squads.records import Membership
from workstation.squads.views import SquadMember

if TYPE_CHECKING:
    from workstation.services.squads import SquadService


class MembersTab(QWidget):
    members_changed = Signal(int)  # the squad id: someone joined or left

    def __init__(
        self,
        service: Callable[[], SquadService],
        tasks: TaskRunner,
        date_order: DateOrder,
        today: Callable[[], date],
        *,
        may_manage: bool,
        patients: tuple[Search, Mapping[int, PatientSummary]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("membersTab")
        self._service = service
        self._tasks = tasks
        self._order = date_order
        self._today = today
        self._may_manage = may_manage
        self._patients = patients
        self._squad_id: int | None = None
        self.picker: PatientPickerDialog | None = None
        self.question: QMessageBox | None = None
        self.banner = BannerWidget()
        self.model = MemberTableModel(date_order, self)
        self.table = self._build_table()
        self.count_label = QLabel()
        self.count_label.setObjectName("membersCount")
        self.add_button = QPushButton("&Add a patient…")
        self.add_button.setObjectName("addMemberButton")
        self.add_button.setToolTip("Add someone already registered at the clinic. To add many, import a file.")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.leave_button = QPushButton("&Remove from the squad…")
        self.leave_button.setObjectName("leaveSquadButton")
        self.leave_button.clicked.connect(self._on_leave_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.leave_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.setVisible(may_manage)
        self.leave_button.setVisible(may_manage)
        self._update_buttons()

    def _build_table(self) -> QTableView:
        table = row_list(QTableView(), self.model, name="membersTable", accessible_name="Squad members")
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        compact_rows(table)
        header = table.horizontalHeader()
        for column in MemberColumn:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        return table

    # --- showing --------------------------------------------------------------------------------------------

    def show_squad(self, squad_id: int | None) -> None:
        """List the squad's members today (None: nothing chosen)."""
        self._squad_id = squad_id
        self.banner.clear()
        if squad_id is None:
            self.model.set_members([])
            self._update_buttons()
            return
        service, today = self._service, self._today()
        self._tasks.submit(
            lambda: (squad_id, service().members(squad_id, today)),
            done=self._on_members_read,
            failed=self._on_call_failed,
            context=self,
        )

    def selected_member(self) -> SquadMember | None:
        index = self.table.currentIndex()
        patient_id = index.data(PATIENT_ID_ROLE) if index.isValid() else None
        return None if patient_id is None else self.model.member(patient_id)

    def _on_members_read(self, read: tuple[int, list[SquadMember]]) -> None:
        squad_id, members = read
        if squad_id != self._squad_id:
            return  # another squad was chosen meanwhile
        self.model.set_members(members)
        count = len(members)
        self.count_label.setText(f"{count} athlete{'s' if count != 1 else ''} in the squad today.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self._squad_id is not None
        self.add_button.setEnabled(chosen and self._may_manage)
        self.leave_button.setEnabled(chosen and self._may_manage and self.selected_member() is not None)

    # --- adding and leaving ---------------------------------------------------------------------------------

    @Slot()
    def _on_add_button_clicked(self) -> None:
        if self._squad_id is None or self._patients is None:
            return
        search, summaries = self._patients
        present: Collection[int] = [self.model.index(r, 0).data(PATIENT_ID_ROLE) for r in range(self.model.rowCount())]
        picker = PatientPickerDialog(search, summaries, self._order, present, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.patient_chosen.connect(self._add_member)
        picker.destroyed.connect(lambda: setattr(self, "picker", None))
        self.picker = picker
        picker.open()

    def _add_member(self, patient_id: int) -> None:
        squad_id, service, today = self._squad_id, self._service, self._today()
        if squad_id is None:
            return
        self._tasks.submit(
            lambda: service().add_member(squad_id, patient_id, today),
            done=lambda _membership: self._changed(squad_id, "Added to the squad."),
            failed=self._on_call_failed,
            context=self,
        )

    @Slot()
    def _on_leave_button_clicked(self) -> None:
        member = self.selected_member()
        if member is None:
            return
        question = QMessageBox(
            QMessageBox.Icon.Question, "Remove from the squad",
            f"{member.display_name} leaves the squad today. Their record is kept, and earlier screenings "
            "still show them.", QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self,
        )  # fmt: skip
        question.setObjectName("leaveQuestion")
        question.button(QMessageBox.StandardButton.Ok).setText("Remove from the squad")
        question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        question.accepted.connect(lambda: self._leave(member.membership))
        question.destroyed.connect(lambda: setattr(self, "question", None))
        self.question = question
        question.open()

    def _leave(self, membership: Membership) -> None:
        squad_id, service, today = self._squad_id, self._service, self._today()
        if squad_id is None:
            return
        self._tasks.submit(
            lambda: service().leave_squad(membership, today),
            done=lambda _membership: self._changed(squad_id, "Left the squad today."),
            failed=self._on_call_failed,
            context=self,
        )

    def _changed(self, squad_id: int, message: str) -> None:
        self.show_squad(squad_id)
        self.banner.show_message(message, Tone.NOTICE)
        self.members_changed.emit(squad_id)

    def _on_call_failed(self, error: CalfDeskError) -> None:
        self.banner.show_message(str(error), Tone.ERROR)
