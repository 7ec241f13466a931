"""The users model: structure (qtmodeltester), the id role, status and role in words, rows put in place."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from tests.ui.security.fakes import USERS, user
from ui.security.user_table import USER_ID_ROLE, UserColumn, UserTableModel
from workstation.security.accounts import Role


def filled() -> UserTableModel:
    model = UserTableModel()
    model.set_users(USERS)
    return model


def cell(model: UserTableModel, row: int, column: UserColumn) -> str:
    return model.index(row, column).data(Qt.ItemDataRole.DisplayRole)


def test_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = filled()
    qtmodeltester.check(model, force_py=True)
    model.put(user(5, "noor", "Noor Haddad"))  # an insert, checked live
    model.put(USERS[1].with_changes(role=Role.ADMIN))  # a change
    model.set_users([])
    assert model.rowCount() == 0


def test_empty_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(UserTableModel(), force_py=True)


def test_id_role_and_lookups() -> None:
    model = filled()
    assert [model.index(row, UserColumn.STATUS).data(USER_ID_ROLE) for row in range(4)] == [1, 2, 3, 4]
    assert model.row_of(3) == 2
    assert model.row_of(99) is None
    assert model.user(2) == USERS[1]


def test_cells_say_role_and_status_in_words() -> None:
    model = filled()
    assert [cell(model, 0, c) for c in UserColumn] == ["amara", "Amara Singh", "Administrator (owner)", "Active"]
    assert cell(model, 2, UserColumn.STATUS) == "Must change password"
    assert cell(model, 2, UserColumn.ROLE) == "Reception"
    assert cell(model, 3, UserColumn.STATUS) == "Deactivated"
    assert cell(model, 3, UserColumn.ROLE) == "Club staff"


def test_put_replaces_a_known_user_and_appends_a_new_one() -> None:
    model = filled()
    model.put(USERS[3].with_changes(active=True))
    assert cell(model, 3, UserColumn.STATUS) == "Active"
    model.put(user(5, "noor", "Noor Haddad"))
    assert model.rowCount() == 5
    assert cell(model, 4, UserColumn.FULL_NAME) == "Noor Haddad"


def test_headers() -> None:
    model = filled()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in UserColumn]
    assert titles == ["User name", "Full name", "Role", "Status"]
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.data(QModelIndex()) is None
