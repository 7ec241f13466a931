"""Pieces of the athlete import dialog: the column mapping boxes, the squad to import into, reading the file,
and the words that say what the import would do and did."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QGridLayout, QGroupBox, QLabel, QWidget

from ui.squads.squad_list import SquadListing
from workstation.errors import CalfDeskError
from workstation.exchange.athlete_records import AthleteField, AthleteMapping, AthleteTable, ImportPreview, RowStatus
from workstation.squads.records import Club, ImportOutcome

if TYPE_CHECKING:
    from workstation.services.squad_import import AthleteImportService

NOT_IN_FILE = "(not in the file)"
REQUIRED = frozenset({AthleteField.DATE_OF_BIRTH})  # a name is needed too, but one of the two names will do
_DAY_FIRST = (("Day first: 03/04/2001 is 3 April", True), ("Month first: 03/04/2001 is 4 March", False))


def column_letter(index: int) -> str:
    """A, B, ... Z, AA: how a spreadsheet names the column, since two columns may share a header."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def summary_text(preview: ImportPreview, decisions_merge: int, *, leave_out_rejected: bool) -> str:
    """What the commit would do, in a sentence or two."""
    if preview.mapping_problems:
        return "Choose the columns first: " + " ".join(preview.mapping_problems)
    if not preview.rows:
        return "The file has no rows of athletes."
    new, held = len(preview.with_status(RowStatus.NEW)), len(preview.with_status(RowStatus.MATCH))
    rejected = len(preview.rejected)
    parts = [plural(len(preview.rows), "row"), plural(new, "new athlete")]
    if held:
        parts.append(f"{held} already held ({decisions_merge} to merge, {held - decisions_merge} to skip)")
    text = f"{parts[0]}: " + ", ".join(parts[1:]) + "."
    if rejected:
        rows = f"{plural(rejected, 'row')} {'is' if rejected == 1 else 'are'} rejected"
        if leave_out_rejected:
            text += f" {rows} and will be left out; the report lists them."
        else:
            text += f" {rows}: nothing is imported until every row can be (or leave the rejected rows out)."
    return text


class MappingBox(QGroupBox):
    """A combo box per athlete field, each naming a column of the file, and how dates are written."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Columns", parent)
        grid = QGridLayout(self)
        self.boxes: dict[AthleteField, QComboBox] = {}
        for position, athlete_field in enumerate(AthleteField):
            combo = QComboBox()
            combo.setObjectName(f"map_{athlete_field.value}")
            combo.setAccessibleName(athlete_field.label)
            combo.currentIndexChanged.connect(self._on_combo_changed)
            label = QLabel(athlete_field.label + (" *" if athlete_field in REQUIRED else ""))
            label.setBuddy(combo)
            row, column = divmod(position, 3)
            grid.addWidget(label, row, column * 2)
            grid.addWidget(combo, row, column * 2 + 1)
            self.boxes[athlete_field] = combo
        self.day_first_box = QComboBox()
        self.day_first_box.setObjectName("map_day_first")
        self.day_first_box.setAccessibleName("Dates")
        for text, day_first in _DAY_FIRST:
            self.day_first_box.addItem(text, day_first)
        self.day_first_box.currentIndexChanged.connect(self._on_combo_changed)
        dates = QLabel("&Dates")
        dates.setBuddy(self.day_first_box)
        last_row = (len(AthleteField) + 2) // 3
        grid.addWidget(dates, last_row, 0)
        grid.addWidget(self.day_first_box, last_row, 1)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)

    def show_mapping(self, table: AthleteTable, mapping: AthleteMapping) -> None:
        combos = [*self.boxes.values(), self.day_first_box]
        for combo in combos:
            combo.blockSignals(True)
        for athlete_field, combo in self.boxes.items():
            combo.clear()
            combo.addItem(NOT_IN_FILE, None)
            for index, header in enumerate(table.headers):
                combo.addItem(f"{column_letter(index)}: {header}" if header else column_letter(index), index)
            combo.setCurrentIndex(max(0, combo.findData(mapping.column(athlete_field))))
        self.day_first_box.setCurrentIndex(max(0, self.day_first_box.findData(mapping.day_first)))
        for combo in combos:
            combo.blockSignals(False)

    def mapping(self) -> AthleteMapping:
        columns = {athlete_field: combo.currentData() for athlete_field, combo in self.boxes.items()}
        return AthleteMapping(columns=columns, day_first=bool(self.day_first_box.currentData()))

    def _on_combo_changed(self) -> None:
        self.changed.emit()


@dataclass(frozen=True, slots=True)
class ImportTarget:
    squad_name: str
    club_id: int | None  # None: the service's choice (the only club, or a new one)
    existing: bool


class SquadTargetBox(QWidget):
    """Which squad the athletes join: one held (chosen) or a new one (typed), and for a new one its club."""

    def __init__(self, listings: Sequence[SquadListing], clubs: Sequence[Club], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._listings = list(listings)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.squad_box = QComboBox()
        self.squad_box.setObjectName("importSquad")
        self.squad_box.setEditable(True)
        self.squad_box.setAccessibleName("Squad")
        self.squad_box.setToolTip("Choose the squad, or type the name of a new one.")
        for position, listing in enumerate(self._listings):
            of_club = f" · {listing.club_name}" if listing.club_name else ""
            self.squad_box.addItem(f"{listing.squad.title}{of_club}", position)
        self.club_box = QComboBox()
        self.club_box.setObjectName("importClub")
        self.club_box.setAccessibleName("Club of the new squad")
        for club in clubs:
            self.club_box.addItem(club.name, club.id)
        form.addRow("S&quad", self.squad_box)
        form.addRow("Club of a new squad", self.club_box)
        self._club_label = form.labelForField(self.club_box)
        self.squad_box.currentTextChanged.connect(self._on_text_changed)
        self._on_text_changed()

    def choose(self, squad_id: int | None) -> None:
        position = next((i for i, s in enumerate(self._listings) if s.squad.id == squad_id), -1)
        if position >= 0:
            self.squad_box.setCurrentIndex(position)

    def target(self) -> ImportTarget | None:
        text = self.squad_box.currentText().strip()
        if not text:
            return None
        position = self.squad_box.findText(text)
        if position >= 0:
            squad = self._listings[position].squad
            return ImportTarget(squad.name, squad.club_id, existing=True)
        return ImportTarget(text, self.club_box.currentData() if self.club_box.count() else None, existing=False)

    def _on_text_changed(self, _text: str = "") -> None:
        target = self.target()
        new = target is not None and not target.existing and self.club_box.count() > 1
        self.club_box.setVisible(new)
        if self._club_label is not None:
            self._club_label.setVisible(new)


ChooseOpenFile = Callable[[QWidget], Path | None]
MAX_FILE_BYTES = 50 * 1024 * 1024  # RELIABILITY.md H1: the reader refuses more; say so before reading it all


def choose_athlete_file(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Choose the club's file", str(Path.home()),
                                          "Spreadsheets (*.csv *.txt *.xlsx);;All files (*)")  # fmt: skip
    return Path(name) if name else None


def read_file(service: AthleteImportService, path: Path, sheet: str | None) -> tuple[AthleteTable, AthleteMapping]:
    """Runs on the database thread: the file's table and the columns guessed from its header (CalfDeskError for
    a file that cannot be read)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CalfDeskError(f"{path.name} is larger than 50 MB: split it into smaller files.")
        data = path.read_bytes()
    except OSError as error:
        raise CalfDeskError(f"Cannot read {path.name}: {error.strerror or error}.") from None
    table = service.read(data, path.name, sheet)
    return table, service.suggest_mapping(table)


def result_text(outcome: ImportOutcome) -> str:
    """ "17 athletes joined Juniors: 14 new patients and 3 already held (2 had blank details filled in)." """
    held = outcome.joined - outcome.created
    text = f"{plural(outcome.joined, 'athlete')} joined {outcome.squad.title}: {plural(outcome.created, 'new patient')}"
    text += f" and {held} already held" if held else ""
    text += f" ({outcome.merged} had blank details filled in from the file)." if outcome.merged else "."
    if outcome.already_members:
        text += f" {plural(outcome.already_members, 'athlete was', 'athletes were')} in the squad already."
    return text
