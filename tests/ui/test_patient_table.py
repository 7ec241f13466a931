"""The patient list model: structure (qtmodeltester), the id role, cell text, new result sets."""

from __future__ import annotations

from datetime import date

import numpy as np
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from ui.patients.patient_table import PATIENT_ID_ROLE, PatientColumn, PatientTableModel
from workstation.dates import DateOrder
from workstation.records import PatientSummary

SUMMARIES = {
    7: PatientSummary(7, "Zoë", "Clarke", "", date(1990, 4, 2), nhs_number="9434765919"),
    3: PatientSummary(3, "Thị Minh", "Nguyễn", "Minh", date(1985, 11, 23), medicare_number="2123456701"),
    9: PatientSummary(9, "", "Wiranto", "", date(1970, 1, 1)),
}


def filled_model() -> PatientTableModel:
    model = PatientTableModel(DateOrder.DAY_MONTH_YEAR)
    model.set_rows(np.array([7, 3, 9], dtype=np.int64), SUMMARIES)
    return model


def test_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(filled_model())


def test_empty_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(PatientTableModel(DateOrder.DAY_MONTH_YEAR), force_py=True)


def test_new_result_set_resets_the_model_and_keeps_passing(qtmodeltester: ModelTester) -> None:
    model = filled_model()
    qtmodeltester.check(model, force_py=True)
    model.set_rows(np.array([9], dtype=np.int64), SUMMARIES)
    assert model.rowCount() == 1
    assert model.index(0, 0).data(PATIENT_ID_ROLE) == 9


def test_id_role_gives_the_record_id_of_each_row() -> None:
    model = filled_model()
    ids = [model.index(row, PatientColumn.NAME).data(PATIENT_ID_ROLE) for row in range(3)]
    assert ids == [7, 3, 9]
    assert model.row_of(3) == 1
    assert model.row_of(12345) is None


def test_cells_read_as_the_clinic_writes_them() -> None:
    model = filled_model()

    def cell(row: int, column: PatientColumn) -> str:
        return model.index(row, column).data(Qt.ItemDataRole.DisplayRole)

    assert cell(0, PatientColumn.NAME) == "Clarke, Zoë"
    assert cell(0, PatientColumn.DATE_OF_BIRTH) == "02/04/1990"
    assert cell(0, PatientColumn.NHS_NUMBER) == "943 476 5919"
    assert cell(1, PatientColumn.PREFERRED_NAME) == "Minh"
    assert cell(1, PatientColumn.MEDICARE_NUMBER) == "2123 45670 1"
    assert cell(2, PatientColumn.NAME) == "Wiranto"


def test_month_first_clinics_see_month_first_dates() -> None:
    model = PatientTableModel(DateOrder.MONTH_DAY_YEAR)
    model.set_rows(np.array([7], dtype=np.int64), SUMMARIES)
    assert model.index(0, PatientColumn.DATE_OF_BIRTH).data() == "04/02/1990"


def test_headers_name_each_column() -> None:
    model = filled_model()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in PatientColumn]
    assert titles == ["Name", "Preferred name", "Date of birth", "NHS number", "Medicare number"]
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.data(QModelIndex()) is None
