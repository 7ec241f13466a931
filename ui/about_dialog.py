"""Help › About CalfDesk: the version, the facts a support call asks for, and the licence of everything bundled.

The facts (version, how it is installed, its folder, Python, Qt, the database engine) can be copied in one
click for an e-mail to support. Below them, the software and fonts by other authors that CalfDesk includes:
a filter box (focused, so typing filters at once; the arrow keys move through the list from it), the list,
and the licence texts of the one chosen. The list is read once per dialog (``ui.licences.bundled``).
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Slot,
    qVersion,
)
from PySide6.QtGui import QFontDatabase, QGuiApplication, QIcon, QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

import resources
import workstation
from ui.licences import BundledComponent, bundled
from ui.settings.dialog_fit import available_size
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from ui.widgets.tables import compact_rows, row_list

__all__ = ["AboutDialog", "ComponentColumn", "ComponentTableModel"]

WHAT_IT_IS = (
    "CalfDesk keeps the records of runners with calf pain and of the squads a clinic screens. "
    "It needs no internet."
)
INCLUDES_HEADING = "Software and fonts included"
INCLUDES = (
    "CalfDesk is built with free software and fonts by other authors. Each is used under its own licence: "
    "choose one in the list to read it."
)
LIST_MISSING = (
    "The list of the software CalfDesk includes, and of its licences, is missing from this installation. "
    "CalfDesk itself works as usual; reinstalling it puts the list back."
)
ICON_SIZE = 64  # at 100 %; device pixels follow the screen's scale
SEARCH_ROLE = int(Qt.ItemDataRole.UserRole) + 21  # name and licence in one string: what the filter box matches
ModelIndex = QModelIndex | QPersistentModelIndex
_KEYS_FOR_THE_LIST = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}


class ComponentColumn:
    NAME, VERSION, LICENCE = range(3)
    TITLES = ("Name", "Version", "Licence")


class ComponentTableModel(QAbstractTableModel):
    """The bundled components, one a row: name, version and licence."""

    def __init__(self, components: Sequence[BundledComponent], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._components = tuple(components)

    def component(self, row: int) -> BundledComponent:
        return self._components[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._components)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(ComponentColumn.TITLES)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        component = self._components[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return (component.name, component.version, component.licence)[index.column()]
        if role == SEARCH_ROLE:
            return f"{component.name}\n{component.licence}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(ComponentColumn.TITLES):
            return ComponentColumn.TITLES[section]
        return None


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About CalfDesk")
        self.components = bundled()
        self.model = ComponentTableModel(self.components, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterKeyColumn(ComponentColumn.NAME)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.facts = support_facts()
        self.banner = BannerWidget()
        self.banner.setObjectName("aboutBanner")
        self.title = QLabel(f"CalfDesk {workstation.__version__}")
        self.title.setObjectName("aboutTitle")
        self.filter = QLineEdit()
        self.filter.setObjectName("componentFilter")
        self.filter.setPlaceholderText("Filter by name or licence, for example MIT")
        self.filter.setAccessibleName("Filter the list by name or licence")
        self.filter.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("componentCount")
        self.table = QTableView()
        self.heading = QLabel()  # the chosen component: name, version, licence, home page
        self.heading.setObjectName("componentHeading")
        self.text_view = QPlainTextEdit()
        self.text_view.setObjectName("licenceText")
        self.about_qt_button = QPushButton("About Qt")
        self.about_qt_button.setObjectName("aboutQtButton")
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setObjectName("copyDetailsButton")
        self.copy_button.setToolTip("Copy the version and the facts above, to paste into an e-mail to support")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._lay_out()
        self._connect()
        if not self.components:
            self.banner.show_message(LIST_MISSING, Tone.WARNING, dismissable=False)
        self._on_filter_text_changed("")
        self.filter.setFocus()
        self._size_to_screen()

    # Building ----------------------------------------------------------------------------------------

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._header())
        layout.addSpacing(self.fontMetrics().height())
        heading = QLabel(INCLUDES_HEADING)
        heading.setObjectName("includesHeading")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        layout.addWidget(self.banner)
        note = _wrapped(INCLUDES, "includesNote")
        layout.addWidget(note)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter, 1)
        filter_row.addWidget(self.count_label)
        layout.addLayout(filter_row)
        list_and_text = self._list_and_text()
        layout.addWidget(list_and_text, 1)
        self.buttons.addButton(self.about_qt_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)  # Return in the filter box must not close the dialog
        layout.addWidget(self.buttons)
        if not self.components:  # the banner says why there is nothing to choose from
            for widget in (note, self.filter, self.count_label, list_and_text):
                widget.hide()
            layout.insertStretch(layout.indexOf(self.buttons), 1)

    def _header(self) -> QHBoxLayout:
        icon = QLabel()
        icon.setObjectName("aboutIcon")
        icon.setPixmap(
            QIcon(str(resources.path("calfdesk.svg"))).pixmap(QSize(ICON_SIZE, ICON_SIZE), self.devicePixelRatioF())
        )
        icon.setAccessibleName("CalfDesk")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(_wrapped(WHAT_IT_IS, "whatItIs"))
        text.addSpacing(self.fontMetrics().height() // 2)
        text.addLayout(self._facts_grid())
        header = QHBoxLayout()
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        header.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        header.addLayout(text, 1)
        return header

    def _facts_grid(self) -> QGridLayout:
        """The facts in two columns of label and value, read down each: the list and the licence texts below
        keep the room (at 200 % on a small screen, five rows took a third of the dialog)."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(self.fontMetrics().averageCharWidth() * 2)
        per_column = (len(self.facts) + 1) // 2
        for index, (label, value) in enumerate(self.facts):
            row, column = index % per_column, 2 * (index // per_column)
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(QLabel(f"{label}:"), row, column)
            grid.addWidget(shown, row, column + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return grid

    def _list_and_text(self) -> QSplitter:
        table = row_list(self.table, self.proxy, name="componentTable", accessible_name="Software CalfDesk includes")
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)  # Tab goes on to the licence text, as everywhere else
        table.verticalHeader().hide()
        compact_rows(table)  # rows as tall as the patient list's
        # Name and licence share the width (a long one is cut short with "…"; its tooltip and the heading
        # beside the list have it whole), so the list never scrolls sideways.
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(ComponentColumn.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ComponentColumn.VERSION, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ComponentColumn.LICENCE, QHeaderView.ResizeMode.Stretch)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_view.setReadOnly(True)
        self.text_view.setAccessibleName("Licence text")
        # Most licences are laid out in lines of 80 characters or fewer, but some keep a paragraph on one line.
        self.text_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        reading = QWidget()
        column = QVBoxLayout(reading)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.text_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("aboutSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(table)
        splitter.addWidget(reading)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        return splitter

    def _connect(self) -> None:
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.filter.installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.about_qt_button.clicked.connect(self._on_about_qt_button_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.buttons.rejected.connect(self.reject)

    def _size_to_screen(self) -> None:
        metrics = self.fontMetrics()
        wanted = QSize(metrics.averageCharWidth() * 170, metrics.height() * 54)
        self.resize(wanted.boundedTo(available_size(self)))

    # Behaviour ---------------------------------------------------------------------------------------

    @property
    def shown(self) -> BundledComponent | None:
        """The component whose licence texts are on show."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.component(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def details_text(self) -> str:
        """The facts at the top, as plain lines for an e-mail."""
        return "\n".join([self.title.text(), *(f"{label}: {value}" for label, value in self.facts)])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up, Down, Page Up and Page Down in the filter box move through the list, so typing a few letters
        and going down to the one wanted needs no Tab."""
        if (
            watched is self.filter
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in _KEYS_FOR_THE_LIST
            and self.proxy.rowCount() > 0
        ):
            QGuiApplication.sendEvent(self.table, QKeyEvent(event.type(), event.key(), event.modifiers()))
            return True
        return super().eventFilter(watched, event)

    def _show(self, component: BundledComponent | None) -> None:
        if component is None:
            self.heading.clear()
            self.text_view.clear()
            return
        self.heading.setText(
            f"<b>{escape(component.name)} {escape(component.version)}</b><br>"
            f"Licence: {escape(component.licence)}<br>{escape(component.home_page)}"
        )
        self.text_view.setPlainText(_licence_texts(component))
        self.text_view.moveCursor(QTextCursor.MoveOperation.Start)

    @Slot(str)
    def _on_filter_text_changed(self, text: str) -> None:
        before = self.shown
        self.proxy.setFilterFixedString(text.strip())
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if not text.strip():
            self.count_label.setText(f"{total} in all")
        elif shown:
            self.count_label.setText(f"{shown} of {total} shown")
        else:
            self.count_label.setText("None match")
        rows = [self.proxy.index(row, 0) for row in range(shown)]
        kept = next((i for i in rows if self.model.component(self.proxy.mapToSource(i).row()) is before), None)
        target = kept if kept is not None else (rows[0] if rows else None)
        if target is None:
            self.table.clearSelection()
            self._show(None)
        else:
            self.table.setCurrentIndex(target)
            self.table.selectRow(target.row())
            self.table.scrollTo(target)
            self._show(self.shown)

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show(self.shown)

    @Slot()
    def _on_about_qt_button_clicked(self) -> None:
        QMessageBox.aboutQt(self, "About Qt")

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())
        self.copy_button.setText("Copied")


def support_facts() -> list[tuple[str, str]]:
    """What a support call asks first: how CalfDesk is installed and where, and the versions beneath it."""
    frozen = bool(getattr(sys, "frozen", False))
    program_folder = Path(sys.executable).parent if frozen else Path(__file__).resolve().parents[1]
    return [
        ("Installed as", "An installed package" if frozen else "Running from source (a developer's copy)"),
        ("Program folder", str(program_folder)),
        ("Python", platform.python_version()),
        ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
        ("Database engine", database_engine()),
    ]


def database_engine() -> str:
    """SQLCipher's version and the SQLite inside it, asked of an in-memory database (no file is touched)."""
    from db.cipher import Error, sqlite, sqlite_version  # already loaded by the open database

    try:
        connection = sqlite.connect(":memory:")
        try:
            row = connection.execute("PRAGMA cipher_version").fetchone()
        finally:
            connection.close()
    except Error:
        row = None
    cipher = str(row[0]).split()[0] if row and row[0] else "not available"
    return f"SQLCipher {cipher} (SQLite {sqlite_version})"


def _licence_texts(component: BundledComponent) -> str:
    if not component.texts:
        return (
            f"The licence text of {component.name} is missing from this installation. "
            "Reinstalling CalfDesk puts it back."
        )
    if len(component.texts) == 1:
        return component.texts[0].text
    parts = [f"──── {text.file_name} ────\n\n{text.text.rstrip()}\n" for text in component.texts]
    return "\n\n".join(parts)


def _wrapped(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label
