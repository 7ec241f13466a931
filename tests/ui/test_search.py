"""Finding a patient from the keyboard, on a real SQLite database."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.patients.directory import PatientDirectory
from ui.patients.patient_list import PREPARING, PatientListWidget
from ui.patients.patient_table import PATIENT_ID_ROLE, PatientColumn
from ui.tasks import Lane, TaskRunner
from workstation.dates import DateOrder
from workstation.ports import ClinicStore


def search_field(window: MainWindow) -> QLineEdit:
    field = window.findChild(QLineEdit, "patientSearch")
    assert field is not None and field.accessibleName() == "patientSearch"
    return field


def patient_table(window: MainWindow) -> QTableView:
    table = window.findChild(QTableView, "patientTable")
    assert table is not None
    return table


def shown_names(window: MainWindow) -> list[str]:
    model = patient_table(window).model()
    return [model.index(row, PatientColumn.NAME).data() for row in range(model.rowCount())]


def type_query(qtbot: QtBot, window: MainWindow, text: str) -> None:
    field = search_field(window)
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.waitUntil(lambda: not window.patient_list.query_pending)


@pytest.fixture
def window(clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]) -> MainWindow:
    return make_window(clinic)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe", ["Clarke, Zoë"]),
        ("ZOË clarke", ["Clarke, Zoë"]),
        ("clarke zoe", ["Clarke, Zoë"]),
        ("nguyen", ["Nguyễn, Thị Minh"]),
        ("minh", ["Nguyễn, Thị Minh"]),
        ("odegard", ["Ødegård, Magnus"]),
        ("obrien", ["O'Brien, Siobhán"]),
        ("jones", ["Smith-Jones, Oliver"]),
        ("02/04/1990", ["Clarke, Zoë"]),
        ("1990-04-02", ["Clarke, Zoë"]),
        ("2/4/1990", ["Clarke, Zoë"]),
        ("943 476 5919", ["Clarke, Zoë"]),
        ("9434765919", ["Clarke, Zoë"]),
        ("2123 45670", ["Ødegård, Magnus"]),
        ("david", ["Zhang, Wei"]),
        ("1990", ["Clarke, Zoë", "Zhang, Wei"]),
        ("zoe nguyen", []),
    ],
)
def test_typing_filters_the_list(qtbot: QtBot, window: MainWindow, query: str, expected: list[str]) -> None:
    type_query(qtbot, window, query)
    assert shown_names(window) == expected


def test_status_line_counts_patients_and_matches(qtbot: QtBot, window: MainWindow) -> None:
    assert window.patient_list.count_label.text() == "6 patients"
    type_query(qtbot, window, "1990")
    assert window.patient_list.count_label.text() == "2 of 6 match"
    type_query(qtbot, window, "nobody")
    assert window.patient_list.count_label.text() == "0 of 6 match"


def test_list_is_in_list_order(window: MainWindow) -> None:
    assert shown_names(window) == [
        "Clarke, Zoë",
        "Nguyễn, Thị Minh",
        "O'Brien, Siobhán",
        "Ødegård, Magnus",
        "Smith-Jones, Oliver",
        "Zhang, Wei",
    ]


def test_enter_opens_the_selected_patient(qtbot: QtBot, window: MainWindow) -> None:
    type_query(qtbot, window, "nguyen")
    qtbot.keyClick(search_field(window), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.patient_view.patient is not None)
    assert window.patient_view.patient.family_name == "Nguyễn"


def test_down_moves_into_the_list_and_enter_opens_the_row(qtbot: QtBot, window: MainWindow) -> None:
    type_query(qtbot, window, "1990")
    field, table = search_field(window), patient_table(window)
    qtbot.keyClick(field, Qt.Key.Key_Down)
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    selected = table.currentIndex().data(PATIENT_ID_ROLE)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.patient_view.patient is not None)
    assert window.patient_view.patient.id == selected
    assert window.patient_view.patient.given_name == "Wei"


def test_escape_clears_the_search(qtbot: QtBot, window: MainWindow) -> None:
    type_query(qtbot, window, "zoe")
    qtbot.keyClick(search_field(window), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(shown_names(window)) == 6)
    assert search_field(window).text() == ""


def test_ctrl_f_focuses_the_search(qtbot: QtBot, window: MainWindow) -> None:
    table = patient_table(window)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is search_field(window)


def test_a_query_typed_before_the_index_is_ready_is_applied_when_it_is(qtbot: QtBot, clinic: ClinicStore) -> None:
    tasks = TaskRunner()
    release = threading.Event()
    # Hold the compute thread, so the first page arrives but the index cannot be built yet.
    tasks.submit(lambda: release.wait(10), done=lambda _: None, failed=pytest.fail, lane=Lane.COMPUTE)
    try:
        directory = PatientDirectory(clinic.patients, tasks, DateOrder.DAY_MONTH_YEAR)
        patient_list = PatientListWidget(directory, DateOrder.DAY_MONTH_YEAR)
        qtbot.addWidget(patient_list)
        directory.start_loading()
        directory.load_everything()
        qtbot.waitUntil(lambda: directory.loaded)
        assert patient_list.model.rowCount() == 6  # the first page shows at once
        qtbot.keyClicks(patient_list.search, "zoe")
        qtbot.waitUntil(lambda: patient_list.count_label.text() == PREPARING)
        assert patient_list.model.rowCount() == 0  # never a list that looks like results but is not
        release.set()
        qtbot.waitUntil(lambda: directory.ready)
        assert patient_list.count_label.text() == "1 of 6 match"
        assert patient_list.model.index(0, PatientColumn.NAME).data() == "Clarke, Zoë"
    finally:
        release.set()
        tasks.shutdown()
