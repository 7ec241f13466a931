"""The episodes model: structure (qtmodeltester), the id role, and readable cells."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from ui.patients.episode_table import EPISODE_ID_ROLE, EpisodeColumn, EpisodeTableModel
from workstation.dates import DateOrder
from workstation.records import DischargeReason, Episode, EpisodeStatus, Side

EPISODES = [
    Episode(1, "Right calf pain on running,\nworse on hills", Side.RIGHT, date(2025, 5, 1), id=21),
    Episode(
        1,
        "Left calf strain",
        Side.LEFT,
        None,
        status=EpisodeStatus.DISCHARGED,
        discharge_date=date(2024, 9, 30),
        discharge_reason=DischargeReason.RETURNED_TO_RUNNING,
        id=12,
    ),
]


def test_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = EpisodeTableModel(DateOrder.DAY_MONTH_YEAR)
    model.set_episodes(EPISODES)
    qtmodeltester.check(model, force_py=True)
    model.set_episodes([])
    assert model.rowCount() == 0


def test_cells_and_id_role() -> None:
    model = EpisodeTableModel(DateOrder.DAY_MONTH_YEAR)
    model.set_episodes(EPISODES)

    def cell(row: int, column: EpisodeColumn) -> str:
        return model.index(row, column).data(Qt.ItemDataRole.DisplayRole)

    assert cell(0, EpisodeColumn.COMPLAINT) == "Right calf pain on running, worse on hills"
    assert cell(0, EpisodeColumn.SIDE) == "Right"
    assert cell(0, EpisodeColumn.ONSET) == "01/05/2025"
    assert cell(0, EpisodeColumn.STATUS) == "Open"
    assert cell(0, EpisodeColumn.DISCHARGED) == ""
    assert cell(1, EpisodeColumn.ONSET) == "Not known"
    assert cell(1, EpisodeColumn.DISCHARGED) == "30/09/2024 (returned to running)"
    assert [model.index(r, 0).data(EPISODE_ID_ROLE) for r in range(2)] == [21, 12]
    assert model.episode(12).side is Side.LEFT
