"""The set-up every list in CalfDesk shares: whole rows, one at a time, never edited in place, and rows a
line and a half high that the view never has to measure (the patient list holds 100,000)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def row_list(table: QTableView, model: QAbstractItemModel, *, name: str, accessible_name: str) -> QTableView:
    """``table`` showing ``model`` as a list of records: one whole row is chosen, nothing is edited in it."""
    table.setObjectName(name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return table


def compact_rows(table: QTableView) -> None:
    """Rows a line and a half high, fixed: a squad of 40 fits on a screen, and the view never measures them."""
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + table.fontMetrics().height() // 2)
