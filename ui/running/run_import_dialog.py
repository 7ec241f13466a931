"""Import runs from a watch or app's CSV export: choose the file, say which column is which, check the
preview row by row, then store every run at once or none of them.

Strava's ``activities.csv`` is recognised by its columns and read by Strava's rules. Any other file gets
a mapping step, guessed from its header, that the person can change; the preview follows each change. The
commit is one call to the running-log service on the database thread, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.running.import_preview_table import ImportPreviewModel, PreviewColumn
from ui.running.run_editor_dialog import ServiceProvider
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.clinical.load import DistanceUnit
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError
from workstation.running.csv_import import (
    ColumnMapping,
    CsvTable,
    DurationFormat,
    ImportPreview,
    RunFileUnreadable,
    column_unit,
    guess_mapping,
    is_strava_export,
    preview,
    read_table,
)
from workstation.running.records import RunRecord

# (field, label with its Alt letter); the date and distance are needed, the rest are optional.
_TARGETS = (
    ("run_on", "&Date"),
    ("distance_km", "Dis&tance"),
    ("duration_min", "Du&ration"),
    ("perceived_effort", "&Effort"),
    ("surface", "Surfa&ce"),
    ("shoes", "&Shoes"),
    ("hills", "&Hills"),
    ("speed_work", "Speed &work"),
    ("note", "&Note"),
    ("external_id", "Activit&y id"),
)
_REQUIRED = frozenset({"run_on", "distance_km"})
_NOT_IN_FILE = "(not in the file)"
_DURATION_FORMATS = (
    ("Minutes (42.5)", DurationFormat.MINUTES),
    ("Clock (1:02:30 or 42:30)", DurationFormat.CLOCK),
    ("Hours and minutes (1:05)", DurationFormat.HOURS_MINUTES),
    ("Seconds (2550)", DurationFormat.SECONDS),
)
STRAVA_NOTE = (
    "Strava export recognised (activities.csv). Runs, trail runs and virtual runs are read by Strava's own "
    "columns; rides, walks and the rest are skipped."
)
GENERIC_NOTE = "Choose which column holds what. The preview below follows every change."


def clinic_zone() -> tzinfo:
    """This computer's time zone: the clinic's, for dates an app wrote in UTC."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def summary_text(result: ImportPreview) -> str:
    """What the commit would do, in one or two plain sentences."""
    if result.file_problems:
        return "The columns need choosing before anything can be imported."
    if not result.rows:
        return "The file has no rows of runs."
    count = result.runs_to_import
    parts = [f"{count} run{'s' if count != 1 else ''} will be imported"]
    if result.duplicates:
        parts.append(f"{result.duplicates} duplicate{'s' if result.duplicates != 1 else ''} skipped")
    if result.skipped:
        parts.append(f"{result.skipped} other row{'s' if result.skipped != 1 else ''} skipped")
    text = ", ".join(parts) + "."
    errors = result.error_count
    if errors:
        rows = f"{errors} row{'s have' if errors != 1 else ' has'} errors"
        text += f" {rows}: correct the file or the columns. Nothing is imported until every row can be."
    elif count == 0:
        text += " There is nothing new to import."
    return text


class RunImportDialog(QDialog):
    runs_imported = Signal(int)  # how many runs were stored

    def __init__(
        self,
        service: ServiceProvider,
        tasks: TaskRunner,
        patient_id: int,
        existing: list[RunRecord],
        date_order: DateOrder,
        unit: DistanceUnit,
        today: Callable[[], date],
        parent: QWidget | None = None,
        *,
        zone: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("runImportDialog")
        self.setWindowTitle("Import runs from a file")
        self._service = service
        self._tasks = tasks
        self._patient_id = patient_id
        self._existing = list(existing)
        self._order = date_order
        self._unit = unit
        self._today = today
        self._zone = zone or clinic_zone()
        self._table: CsvTable | None = None
        self._mapping: ColumnMapping | None = None
        self._strava = False
        self._busy = False
        self.preview: ImportPreview | None = None
        self.banner = BannerWidget()
        self.file_label = QLabel("No file chosen yet.")
        self.file_label.setObjectName("importFile")
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton("Choose fi&le…")
        self.choose_button.setObjectName("chooseImportFile")
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.kind_label = QLabel()
        self.kind_label.setObjectName("importKind")
        self.kind_label.setWordWrap(True)
        self.kind_label.hide()
        self.mapping_box = self._build_mapping()
        self.mapping_box.hide()
        self.preview_model = ImportPreviewModel(date_order, self)
        self.preview_table = self._build_preview_table()
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.errors = QListWidget()
        self.errors.setObjectName("importErrors")
        self.errors.setAccessibleName("Errors by line")
        self.errors.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.errors.hide()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("&Import")
        self.import_button.setObjectName("commitImport")
        self.import_button.setEnabled(False)
        self._buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self._buttons.accepted.connect(self._on_buttons_accepted)
        self._buttons.rejected.connect(self.reject)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(file_row)
        layout.addWidget(self.kind_label)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.preview_table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.errors)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self._buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 160, self.fontMetrics().lineSpacing() * 50)

    # --- building -------------------------------------------------------------------------------------------

    def _build_mapping(self) -> QGroupBox:
        box = QGroupBox("Columns")
        grid = QGridLayout(box)
        self.column_boxes: dict[str, QComboBox] = {}
        for position, (field, text) in enumerate(_TARGETS):
            combo = QComboBox()
            combo.setObjectName(f"map_{field}")
            combo.currentIndexChanged.connect(self._on_mapping_changed)
            label = QLabel(text + (" *" if field in _REQUIRED else ""))
            label.setBuddy(combo)
            combo.setAccessibleName(text.replace("&", ""))
            row, column = divmod(position, 2)
            grid.addWidget(label, row, column * 2)
            grid.addWidget(combo, row, column * 2 + 1)
            self.column_boxes[field] = combo
        self.unit_box = QComboBox()
        self.unit_box.setObjectName("map_unit")
        self.unit_box.addItem("Kilometres", "km")
        self.unit_box.addItem("Miles", "mi")
        self.date_order_box = QComboBox()
        self.date_order_box.setObjectName("map_date_order")
        for order in DateOrder:
            self.date_order_box.addItem(order.pattern, order)
        self.duration_box = QComboBox()
        self.duration_box.setObjectName("map_duration_format")
        for text, form in _DURATION_FORMATS:
            self.duration_box.addItem(text, form)
        row = (len(_TARGETS) + 1) // 2
        for position, (text, combo) in enumerate(
            (("&Unit of distance", self.unit_box), ("Date &order", self.date_order_box),
             ("Duration &format", self.duration_box))
        ):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(combo)
            combo.setAccessibleName(text.replace("&", ""))
            combo.currentIndexChanged.connect(self._on_mapping_changed)
            grid.addWidget(label, row + position // 2, (position % 2) * 2)
            grid.addWidget(combo, row + position // 2, (position % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return box

    def _build_preview_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("importPreview")
        table.setModel(self.preview_model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.setMinimumHeight(self.fontMetrics().lineSpacing() * 14)  # the rows are what the person checks
        header = table.horizontalHeader()
        for column in PreviewColumn:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PreviewColumn.DETAIL, QHeaderView.ResizeMode.Stretch)
        return table

    # --- the file -------------------------------------------------------------------------------------------

    @Slot()
    def _on_choose_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the exported file", str(Path.home()), "CSV files (*.csv *.txt);;All files (*)"
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Read ``path`` and show what importing it would do (nothing is stored)."""
        self.banner.clear()
        try:
            data = path.read_bytes()
        except OSError as error:
            self._file_failed(f"Cannot read {path.name}: {error.strerror or error}.")
            return
        try:
            table = read_table(data)
        except RunFileUnreadable as error:
            self._file_failed(f"{path.name}: {error}")
            return
        self.file_label.setText(str(path))
        self._table = table
        self._strava = is_strava_export(table)
        self._mapping = None if self._strava else guess_mapping(table, default_unit=self._unit)
        self.kind_label.setText(STRAVA_NOTE if self._strava else GENERIC_NOTE)
        self.kind_label.show()
        self.mapping_box.setVisible(not self._strava)
        if self._mapping is not None:
            self._show_mapping(table, self._mapping)
        self._refresh_preview()

    def _file_failed(self, message: str) -> None:
        self._table = None
        self._mapping = None
        self.kind_label.hide()
        self.mapping_box.hide()
        self.banner.show_message(message, Tone.ERROR)
        self._show_preview(None)

    def _show_mapping(self, table: CsvTable, mapping: ColumnMapping) -> None:
        boxes = [*self.column_boxes.values(), self.unit_box, self.date_order_box, self.duration_box]
        for combo in boxes:
            combo.blockSignals(True)
        for field, combo in self.column_boxes.items():
            combo.clear()
            combo.addItem(_NOT_IN_FILE, None)
            for index in range(len(table.headers)):
                combo.addItem(table.column_label(index), index)
            combo.setCurrentIndex(max(0, combo.findData(getattr(mapping, field))))
        self.unit_box.setCurrentIndex(max(0, self.unit_box.findData(mapping.distance_unit)))
        self.date_order_box.setCurrentIndex(max(0, self.date_order_box.findData(self._order)))
        self.duration_box.setCurrentIndex(max(0, self.duration_box.findData(mapping.duration_format)))
        for combo in boxes:
            combo.blockSignals(False)

    @Slot()
    def _on_mapping_changed(self) -> None:
        mapping = self._mapping
        if mapping is None or self._table is None:
            return
        distance = self.column_boxes["distance_km"].currentData()
        if distance is not None and distance != mapping.distance_km:
            # Another column chosen as the distance: take its unit if its header or cells name one.
            unit = column_unit(self._table, distance)
            if unit is not None:
                self.unit_box.blockSignals(True)
                self.unit_box.setCurrentIndex(max(0, self.unit_box.findData(unit)))
                self.unit_box.blockSignals(False)
        for field, combo in self.column_boxes.items():
            setattr(mapping, field, combo.currentData())
        mapping.distance_unit = self.unit_box.currentData()
        mapping.duration_format = self.duration_box.currentData()
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        if self._table is None:
            self._show_preview(None)
            return
        result = preview(
            self._table,
            patient_id=self._patient_id,
            today=self._today(),
            zone=self._zone,
            existing=self._existing,
            mapping=self._mapping,
            date_order=self.date_order_box.currentData() if self._mapping is not None else self._order,
            default_unit=self._unit,
        )
        self._show_preview(result)

    def _show_preview(self, result: ImportPreview | None) -> None:
        self.preview = result
        self.preview_model.set_preview(result, self._unit)
        self.errors.clear()
        if result is None:
            self.summary.clear()
            self.errors.hide()
            self._set_import_button(None)
            return
        self.summary.setText(summary_text(result))
        lines = [*result.file_problems, *(problem.text for problem in result.problems)]
        self.errors.addItems(lines)
        self.errors.setVisible(bool(lines))
        self._set_import_button(result)

    def _set_import_button(self, result: ImportPreview | None) -> None:
        count = result.runs_to_import if result is not None else 0
        self.import_button.setText(f"&Import {count} run{'s' if count != 1 else ''}" if count else "&Import")
        self.import_button.setEnabled(result is not None and result.can_commit and not self._busy)

    # --- the commit -----------------------------------------------------------------------------------------

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self.commit()

    def commit(self) -> None:
        """Store every run of the preview in one call, or none; only when the preview allows it."""
        result = self.preview
        if self._busy or result is None or not result.can_commit:
            return
        service, patient_id, runs, today = self._service, self._patient_id, result.runs, self._today()
        self.banner.clear()
        self._set_busy(True)
        self._tasks.submit(
            lambda: service().import_runs(patient_id, runs, today=today),
            done=self._on_import_succeeded,
            failed=self._on_import_failed,
            context=self,
        )

    def reject(self) -> None:
        if not self._busy:  # the commit in flight reports back here
            super().reject()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        for widget in (self.choose_button, self.mapping_box, self._buttons):
            widget.setEnabled(not busy)
        self._set_import_button(self.preview)

    def _on_import_succeeded(self, count: int) -> None:
        self._set_busy(False)
        self.runs_imported.emit(count)
        self.accept()

    def _on_import_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        self.banner.show_message(f"Nothing was imported. {error}", Tone.ERROR)
