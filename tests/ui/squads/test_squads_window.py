"""The squads window on a real database: the list of squads with club, season and athletes; a new squad and
its details (a club typed in is added with it); the members of the chosen squad, one added from the
patients held and one removed; the Squads menu of the main window for each role."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import discard_dialogs
from tests.ui.squads.conftest import SCREENED_ON, SquadDesk, open_window, settle
from ui.main_window import MainWindow
from ui.squads.members_table import PATIENT_ID_ROLE, MemberColumn
from ui.squads.squad_list import SquadColumn
from ui.squads.squad_style import muted_text
from ui.squads.squads_window import SquadsWindow
from workstation.records import Patient
from workstation.security.accounts import Role


def test_the_list_shows_each_squad_with_club_season_and_athletes(
    qtbot: QtBot, desk: SquadDesk, qtmodeltester: Any
) -> None:
    desk.import_squad(12)
    window = open_window(qtbot, desk)
    qtmodeltester.check(window.model)
    assert [window.model.index(0, c).data() for c in SquadColumn] == ["Senior women", "Club", "", "12"]
    assert window.heading.text() == "Senior women"


def test_a_new_squad_with_a_new_club_then_its_details_changed(qtbot: QtBot, desk: SquadDesk) -> None:
    window = open_window(qtbot, desk)
    assert window.empty_label.isVisible()
    window.new_button.click()
    dialog = window.squad_dialog
    assert dialog is not None and not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.fields.fields["name"], "Senior men")
    dialog.club_box.setEditText("Harbour Harriers")
    qtbot.keyClicks(dialog.fields.fields["season"], "2026/27")
    qtbot.keyClicks(dialog.fields.fields["coach_email"], "not an address")
    dialog.ok_button.click()
    settle(qtbot, desk)
    assert dialog.isVisible() and dialog.fields.message("coach_email")  # refused beside the field, kept as typed
    dialog.fields.fields["coach_email"].setText("mere@example.org")
    dialog.ok_button.click()
    settle(qtbot, desk)
    assert [window.model.index(0, c).data() for c in SquadColumn] == ["Senior men", "Harbour Harriers", "2026/27", "0"]
    assert [club.name for club in desk.store.squads.clubs()] == ["Harbour Harriers"]
    window.edit_button.click()
    edit = window.squad_dialog
    assert (
        edit is not None
        and edit.fields.text("name") == "Senior men"
        and edit.club_box.currentText() == "Harbour Harriers"
    )
    edit.fields.fields["coach_name"].setText("Mere Hohaia")
    edit.ok_button.click()
    settle(qtbot, desk)
    assert window.coach.text() == "Harbour Harriers · Coach: Mere Hohaia · mere@example.org"
    assert len(desk.store.squads.squads()) == 1


def test_a_squad_whose_season_is_over_is_archived_listed_on_request_and_reopened(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(3, name="Seniors")
    desk.import_squad(2, name="Juniors")
    window = open_window(qtbot, desk)
    window.new_button.click()
    assert window.squad_dialog is not None and not window.squad_dialog.archived_box.isVisible()  # a new one: never
    window.squad_dialog.reject()
    window.list.setCurrentIndex(window.model.index(window.model.row_of(_squad_id(desk, "Seniors")) or 0, 0))
    window.edit_button.click()
    dialog = window.squad_dialog
    assert dialog is not None and dialog.archived_box.isVisible() and not dialog.archived_box.isChecked()
    dialog.archived_box.click()
    dialog.ok_button.click()
    settle(qtbot, desk)
    assert desk.store.squads.get_squad(_squad_id(desk, "Seniors")).archived
    assert _listed(window) == ["Juniors"]
    assert "Seniors is archived" in window.banner.text
    window.show_archived_box.click()
    assert _listed(window) == ["Juniors", "Seniors (archived)"]
    archived = window.model.index(window.model.row_of(_squad_id(desk, "Seniors")) or 0, SquadColumn.CLUB)
    assert archived.data(Qt.ItemDataRole.ForegroundRole) == muted_text()  # greyed, and labelled in words
    assert window.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    window.import_button.click()
    assert window.import_dialog is not None
    targets = window.import_dialog.target.squad_box
    assert [targets.itemText(i) for i in range(targets.count())] == ["Juniors · Club"]  # never into an archived one
    window.import_dialog.reject()
    window.list.setCurrentIndex(archived)
    window.edit_button.click()
    reopen = window.squad_dialog
    assert reopen is not None and reopen.archived_box.isChecked()
    reopen.archived_box.click()
    reopen.ok_button.click()
    settle(qtbot, desk)
    window.show_archived_box.click()
    assert _listed(window) == ["Juniors", "Seniors"]


def test_when_every_squad_is_archived_the_list_says_how_to_see_them(qtbot: QtBot, desk: SquadDesk) -> None:
    outcome = desk.import_squad(2)
    squads = desk.session().squads
    squads.save_squad(replace(outcome.squad, archived=True))
    window = open_window(qtbot, desk)
    assert window.model.rowCount() == 0 and window.empty_label.isVisible()
    assert "Show archived" in window.empty_label.text()
    window.show_archived_box.click()
    assert _listed(window) == ["Senior women (archived)"] and not window.empty_label.isVisible()


def _squad_id(desk: SquadDesk, name: str) -> int:
    squad = next(s for s in desk.store.squads.squads(include_archived=True) if s.name == name)
    assert squad.id is not None
    return squad.id


def _listed(window: SquadsWindow) -> list[str]:
    return [window.model.index(row, SquadColumn.NAME).data() for row in range(window.model.rowCount())]


def test_members_are_listed_added_from_the_patients_held_and_removed(
    qtbot: QtBot, desk: SquadDesk, qtmodeltester: Any
) -> None:
    desk.import_squad(3)
    outsider = desk.store.patients.add(Patient("Wiremu", "Tane", date(1990, 3, 4)))
    summaries = {s.id: s for s in desk.store.patients.summaries()}

    def search(text: str) -> list[int]:  # the main window's search, as the launcher passes it
        return [i for i, s in summaries.items() if text.lower() in s.display_name.lower()]

    window = open_window(qtbot, desk, patients=(search, summaries))
    window.tabs.setCurrentWidget(window.members)
    settle(qtbot, desk)
    tab = window.members
    qtmodeltester.check(tab.model)
    assert tab.model.rowCount() == 3 and tab.count_label.text() == "3 athletes in the squad today."
    tab.add_button.click()
    picker = tab.picker
    assert picker is not None
    qtbot.keyClicks(picker.search_field, "tane")
    assert picker.model.rowCount() == 1
    qtbot.keyClick(picker.search_field, Qt.Key.Key_Return)
    settle(qtbot, desk)
    assert outsider.id in [tab.model.index(r, 0).data(PATIENT_ID_ROLE) for r in range(tab.model.rowCount())]
    assert tab.model.index(tab.model.row_of(outsider.id), MemberColumn.JOINED).data() == f"{SCREENED_ON:%d/%m/%Y}"
    tab.table.setCurrentIndex(tab.model.index(tab.model.row_of(outsider.id), 0))
    tab.leave_button.click()
    assert tab.question is not None
    tab.question.button(QMessageBox.StandardButton.Ok).click()
    settle(qtbot, desk)
    assert tab.model.row_of(outsider.id) is None
    ended = [m for m in desk.store.squads.members(window.selected_squad_id()) if m.patient_id == outsider.id]
    assert [m.left_on for m in ended] == [SCREENED_ON]  # the membership ends; the record stays
    assert window.model.index(0, SquadColumn.MEMBERS).data() == "3"


def test_club_staff_cannot_change_squads_or_members(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(3)
    window = open_window(qtbot, desk, Role.CLUB)
    assert not window.new_button.isVisible() and not window.import_button.isVisible()
    assert not window.members.add_button.isVisible() and not window.members.leave_button.isVisible()
    assert window.tabs.currentWidget() is window.dashboard


def _main_window(qtbot: QtBot, desk: SquadDesk, role: Role) -> MainWindow:
    session = desk.session(role)
    window = MainWindow(session, can=session.can, today=desk.today)
    qtbot.addWidget(window, before_close_func=discard_dialogs)
    window.show()
    qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
    return window


def test_the_squads_menu_opens_the_window_for_roles_that_see_squads(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(4)
    window = _main_window(qtbot, desk, Role.CLINICIAN)
    assert window.squads_action.shortcut() == QKeySequence("Ctrl+Shift+Q")
    assert window.squads_action in window.squads_menu.actions() and window.squads_action.isEnabled()
    window.squads_action.trigger()
    squads = window.squads.squads_window
    assert isinstance(squads, SquadsWindow) and squads.isVisible() and squads.parent() is window
    qtbot.waitUntil(lambda: squads.model.rowCount() == 1 and not window.tasks.busy, timeout=10_000)
    window.squads_action.trigger()  # a second time brings the same window forward
    assert window.squads.squads_window is squads
    reception = _main_window(qtbot, desk, Role.RECEPTION)
    assert not reception.squads_action.isEnabled()


def test_an_import_puts_the_new_athletes_in_the_main_list(qtbot: QtBot, desk: SquadDesk, tmp_path: Any) -> None:
    from tests.ui.squads.test_athlete_import import ATHLETES, HEADERS, choose, write_csv
    from workstation.exchange.athlete_records import AthleteField

    window = _main_window(qtbot, desk, Role.ADMIN)
    window.squads_action.trigger()
    squads = window.squads.squads_window
    assert squads is not None
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10_000)
    squads.import_button.click()
    dialog = squads.import_dialog
    assert dialog is not None
    dialog.load_file(write_csv(tmp_path / "club.csv", HEADERS, ATHLETES))
    qtbot.waitUntil(lambda: dialog.preview is not None and not window.tasks.busy, timeout=10_000)
    choose(dialog, AthleteField.DATE_OF_BIRTH, "C: Jahrgang")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    dialog.target.squad_box.setEditText("Seniors")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.directory.total == 3, timeout=10_000)
    assert sorted(window.directory.search("ngata") or ()) != []  # found by the search straight away
    assert window.patient_list.model.rowCount() == 3


def test_the_lock_screen_hides_the_squads_window_and_unlocking_brings_it_back(qtbot: QtBot, desk: SquadDesk) -> None:
    from PySide6.QtWidgets import QWidget

    desk.import_squad(2)
    window = _main_window(qtbot, desk, Role.CLINICIAN)
    window.squads_action.trigger()
    squads = window.squads.squads_window
    assert squads is not None and squads.isVisible()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10_000)
    window.lock(QWidget())
    assert not squads.isVisible() and not window.squads_action.isEnabled()  # no athlete stays on screen (D5)
    window.unlock()
    assert squads.isVisible() and window.squads_action.isEnabled()
