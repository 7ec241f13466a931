"""Importing athletes through the dialog on a real database: columns mapped with a live preview, a workbook's
sheet chosen, athletes already held merged or skipped, rejected rows that block the commit (their report
saved, or left out on purpose), and a commit with progress that Cancel stops with nothing stored."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.squads.conftest import SquadDesk, open_window, settle
from ui.squads.athlete_import_dialog import AthleteImportDialog
from ui.squads.athlete_preview_model import STATUS_ROLE, PreviewColumn
from ui.squads.squad_list import SquadColumn
from ui.squads.squads_window import SquadsWindow
from workstation.demo_squads import ATHLETE_HEADERS, athlete_rows
from workstation.exchange.athlete_records import AthleteField

HEADERS = ("Forename", "Surname", "Jahrgang", "Gender", "E-mail")  # a date column the guess cannot name
ATHLETES = (
    ("Aroha", "Ngata", "06/05/1991", "F", "aroha@example.org"),
    ("Siobhán", "O'Brien", "09/07/2001", "F", ""),
    ("Magnus", "Ødegård", "30/01/1979", "M", "magnus@example.org"),
)


def write_csv(path: Path, headers: tuple[str, ...], rows: list[tuple[str, ...]] | tuple[tuple[str, ...], ...]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def open_import(qtbot: QtBot, desk: SquadDesk, path: Path, **options: Any) -> tuple[SquadsWindow, AthleteImportDialog]:
    window = open_window(qtbot, desk, **options)
    window.import_button.click()
    dialog = window.import_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.load_file(path)
    settle(qtbot, desk)
    assert dialog.preview is not None, dialog.banner.text
    return window, dialog


def statuses(dialog: AthleteImportDialog) -> list[str]:
    model = dialog.preview_model
    return [model.index(row, 0).data(STATUS_ROLE) for row in range(model.rowCount())]


def choose(dialog: AthleteImportDialog, athlete_field: AthleteField, text: str) -> None:
    combo = dialog.mapping_box.boxes[athlete_field]
    position = combo.findText(text)
    assert position >= 0, f"no {text!r} for {athlete_field.label}"
    combo.setCurrentIndex(position)


def commit(qtbot: QtBot, desk: SquadDesk, dialog: AthleteImportDialog) -> None:
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    settle(qtbot, desk)


def test_columns_are_mapped_with_a_live_preview_then_committed(
    qtbot: QtBot, desk: SquadDesk, tmp_path: Path, qtmodeltester: Any
) -> None:
    window, dialog = open_import(qtbot, desk, write_csv(tmp_path / "club.csv", HEADERS, ATHLETES))
    qtmodeltester.check(dialog.preview_model)
    # "Born" is not a name the guess knows: nothing can be imported until the date of birth is chosen.
    assert dialog.mapping_box.boxes[AthleteField.DATE_OF_BIRTH].currentData() is None
    assert dialog.mapping_box.boxes[AthleteField.GIVEN_NAME].currentText() == "A: Forename"
    assert not dialog.import_button.isEnabled() and dialog.summary.text().startswith("Choose the columns first")
    choose(dialog, AthleteField.DATE_OF_BIRTH, "C: Jahrgang")
    settle(qtbot, desk)
    assert statuses(dialog) == ["new", "new", "new"]
    assert dialog.preview_model.index(1, PreviewColumn.NAME).data() == "O'Brien, Siobhán"
    assert dialog.summary.text() == "3 rows: 3 new athletes."
    dialog.target.squad_box.setEditText("Senior women")
    before = desk.store.patients.count()
    reports: list[tuple[int, int, str]] = []
    release = threading.Event()
    desk.tasks.submit(release.wait, done=lambda _: None, failed=lambda _: None)  # hold the commit a moment
    dialog.import_button.click()
    assert dialog.progress is not None and dialog.progress_bar.isVisible()
    dialog.progress.reported.connect(lambda *report: reports.append(report))
    release.set()
    settle(qtbot, desk)
    assert reports and reports[-1][0] == reports[-1][1]  # the bar went all the way
    assert not dialog.progress_bar.isVisible()
    assert dialog.outcome is not None and dialog.outcome.created == 3
    assert desk.store.patients.count() == before + 3
    assert dialog.summary.text() == "3 athletes joined Senior women: 3 new patients."
    assert dialog.import_button.text() == "Close"
    settle(qtbot, desk)
    assert window.model.index(0, SquadColumn.MEMBERS).data() == "3"  # the list learns of the new squad


def test_a_workbooks_sheet_is_chosen_and_read_again(qtbot: QtBot, desk: SquadDesk, tmp_path: Path) -> None:
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Kit", "How many"])  # a sheet of something else, first in the workbook
    notes.append(["Bibs", "40"])
    squad = book.create_sheet("Squad")
    squad.append(list(HEADERS))
    for row in ATHLETES[:2]:
        squad.append(list(row))
    path = tmp_path / "club.xlsx"
    book.save(path)
    _window, dialog = open_import(qtbot, desk, path)
    assert dialog.sheet_box.isVisible() and [dialog.sheet_box.itemText(i) for i in range(2)] == ["Notes", "Squad"]
    assert dialog.table is not None and dialog.table.sheet == "Squad"  # the sheet whose header names the columns
    qtbot.keyClick(dialog.sheet_box, Qt.Key.Key_Up)  # another sheet, as a person picks it
    settle(qtbot, desk)
    assert dialog.table.sheet == "Notes" and dialog.preview is not None and dialog.preview.mapping_problems
    assert not dialog.import_button.isEnabled()
    qtbot.keyClick(dialog.sheet_box, Qt.Key.Key_Down)
    settle(qtbot, desk)
    assert dialog.table.sheet == "Squad" and dialog.sheet_box.currentText() == "Squad"
    choose(dialog, AthleteField.DATE_OF_BIRTH, "C: Jahrgang")
    settle(qtbot, desk)
    assert statuses(dialog) == ["new", "new"]


def test_athletes_already_held_are_merged_or_skipped(qtbot: QtBot, desk: SquadDesk, tmp_path: Path) -> None:
    desk.import_squad(3, name="Seniors")
    held = athlete_rows(3, 11)  # the conftest's squad: the same people
    fresh = athlete_rows(2, 99)
    path = write_csv(tmp_path / "juniors.csv", ATHLETE_HEADERS, [*held, *fresh])
    _window, dialog = open_import(qtbot, desk, path)
    assert statuses(dialog) == ["match"] * 3 + ["new"] * 2
    model = dialog.preview_model
    decision = model.index(0, PreviewColumn.DECISION)
    assert decision.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked  # merged unless skipped
    dialog.skip_all_button.click()
    assert all(d.value == "skip" for d in model.decisions().values())
    assert dialog.import_button.text() == "&Import 2 athletes"
    model.setData(decision, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)  # this one after all
    assert dialog.summary.text() == "5 rows: 2 new athletes, 3 already held (1 to merge, 2 to skip)."
    dialog.target.squad_box.setEditText("Juniors")
    commit(qtbot, desk, dialog)
    outcome = dialog.outcome
    assert outcome is not None and (outcome.created, outcome.joined) == (2, 3)


def test_rejected_rows_block_the_commit_until_left_out_and_their_report_is_saved(
    qtbot: QtBot, desk: SquadDesk, tmp_path: Path
) -> None:
    future = ("Future", "Person", "01/01/2999", "F", "")
    rows = [*ATHLETES, future]
    report = tmp_path / "rejected.csv"
    _window, dialog = open_import(
        qtbot, desk, write_csv(tmp_path / "club.csv", ("First name", *HEADERS[1:2], "DOB", *HEADERS[3:]), rows),
        choose_save=desk.choose_save(report),
    )  # fmt: skip
    assert statuses(dialog) == ["new", "new", "new", "error"]
    assert not dialog.import_button.isEnabled() and dialog.import_button.text() == "&Import"
    assert "nothing is imported until every row can be" in dialog.summary.text()
    assert [dialog.rejected_list.item(i).text() for i in range(dialog.rejected_list.count())] == [
        "Line 5, DOB: The date of birth is in the future."
    ]
    dialog.report_button.click()
    settle(qtbot, desk)
    assert desk.saved[0][1].name == "club.rejected.csv"
    saved = list(csv.reader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert saved[1][0] == "5" and "future" in saved[1][3]
    before = desk.store.patients.count()
    dialog.leave_out_box.setChecked(True)
    assert dialog.import_button.isEnabled() and "will be left out" in dialog.summary.text()
    dialog.import_button.click()  # no squad chosen yet: asked for, nothing stored
    assert dialog.banner.text.startswith("Choose the squad") and desk.store.patients.count() == before
    dialog.target.squad_box.setEditText("Seniors")
    commit(qtbot, desk, dialog)
    assert desk.store.patients.count() == before + 3


def test_a_row_in_error_shows_its_name_and_date_of_birth_as_the_file_has_them(
    qtbot: QtBot, desk: SquadDesk, tmp_path: Path, qtmodeltester: Any
) -> None:
    rows = [*ATHLETES, ("Tama", "Ruru", "31/02/2001", "M", ""), ("", "", " 2001-13-01 ", "", "")]
    _window, dialog = open_import(qtbot, desk, write_csv(tmp_path / "club.csv", ("First name", "Surname", "DOB",
                                                                                  *HEADERS[3:]), rows))  # fmt: skip
    qtmodeltester.check(dialog.preview_model)
    assert statuses(dialog) == ["new", "new", "new", "error", "error"]
    model = dialog.preview_model
    shown = [(model.index(r, PreviewColumn.NAME).data(), model.index(r, PreviewColumn.DATE_OF_BIRTH).data())
             for r in (0, 3, 4)]  # fmt: skip
    assert shown == [("Ngata, Aroha", "06/05/1991"), ("Ruru, Tama", "31/02/2001"), ("", "2001-13-01")]
    assert model.index(3, PreviewColumn.DATE_OF_BIRTH).data(Qt.ItemDataRole.ToolTipRole).startswith("As the file")
    assert model.index(0, PreviewColumn.DATE_OF_BIRTH).data(Qt.ItemDataRole.ToolTipRole) is None


def test_cancel_during_the_commit_stores_nothing(qtbot: QtBot, desk: SquadDesk, tmp_path: Path) -> None:
    rows = athlete_rows(30, 5)
    _window, dialog = open_import(qtbot, desk, write_csv(tmp_path / "club.csv", ATHLETE_HEADERS, rows))
    dialog.target.squad_box.setEditText("Seniors")
    before = desk.store.patients.count()
    release = threading.Event()
    desk.tasks.submit(release.wait, done=lambda _: None, failed=lambda _: None)  # the database thread is busy
    dialog.import_button.click()
    assert dialog.progress_bar.isVisible() and not dialog.import_button.isEnabled()
    dialog.reject()  # Cancel (or Esc) while importing stops the import rather than the dialog
    release.set()
    settle(qtbot, desk)
    assert dialog.isVisible() and dialog.banner.text == "Import cancelled: nothing was saved."
    assert desk.store.patients.count() == before
    assert desk.store.squads.squads() == []
    assert dialog.import_button.isEnabled()  # it can be tried again
