"""A new squad, or a squad's details changed: its name, club, season and the coach's contacts.

The club is picked from those held or typed as a new one, which is added when the squad is saved. The
service checks every field; what it refuses is shown beside the field, and nothing typed is lost. A squad
whose season is over is archived here (and reopened the same way): it leaves the squad list unless
"Show archived" is on, and an athlete import no longer files into it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from ui.security.form_dialog import FormDialog
from ui.tasks import TaskRunner
from workstation.problems import Problem
from workstation.squads.records import Club, Squad
from workstation.text import fold

if TYPE_CHECKING:
    from workstation.services.squads import SquadService

SEASON_HINT = "For example 2026/27, or leave blank."
ARCHIVED_TEXT = "&Archived (season over)"
ARCHIVED_TIP = (
    "An archived squad is kept with its screenings, but leaves the squad list (unless “Show archived” is on), "
    "and athletes are no longer imported into it. Clear the tick to reopen it."
)
_TEXT_FIELDS = (
    ("name", "Squad name", ""),
    ("season", "Season", SEASON_HINT),
    ("coach_name", "Coach", ""),
    ("coach_email", "Coach's email", ""),
    ("coach_phone", "Coach's phone", ""),
)


class SquadDialog(FormDialog):
    squad_saved = Signal(object)  # the Squad as stored

    def __init__(
        self,
        service: Callable[[], SquadService],
        clubs: Sequence[Club],
        squad: Squad | None,
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
    ) -> None:
        title, ok = ("Edit the squad", "Save") if squad is not None else ("New squad", "Add squad")
        super().__init__(title, ok, parent, tasks=tasks)
        self.setObjectName("squadDialog")
        self._service = service
        self._base = squad
        self.club_box = QComboBox()
        self.club_box.setObjectName("clubBox")
        self.club_box.setEditable(True)  # a club not held yet is typed in, and added with the squad
        self.club_box.setAccessibleName("Club")
        self.club_box.setToolTip("Choose the club, or type the name of a new one.")
        for club in clubs:
            self.club_box.addItem(club.name, club.id)
        self.club_box.currentTextChanged.connect(lambda _text: self._update_ok_button())
        for key, label, hint in _TEXT_FIELDS:
            self.fields.add_row(self.form, key, label, QLineEdit(), hint=hint)
            if key == "name":
                self.form.addRow("C&lub", self.club_box)
        self.archived_box = QCheckBox(ARCHIVED_TEXT)
        self.archived_box.setObjectName("archivedBox")
        self.archived_box.setToolTip(ARCHIVED_TIP)
        if squad is not None:  # a new squad is never archived
            self.form.addRow("", self.archived_box)
            self._show_squad(squad)
        else:
            self.archived_box.hide()
            if not clubs:
                self.club_box.setEditText("")
        self._finish_layout()
        self.fields.fields["name"].setFocus()

    def _show_squad(self, squad: Squad) -> None:
        self.club_box.setCurrentIndex(max(0, self.club_box.findData(squad.club_id)))
        for key, _label, _hint in _TEXT_FIELDS:
            self.fields.fields[key].setText(getattr(squad, key))
        self.archived_box.setChecked(squad.archived)

    def _problems(self) -> list[Problem]:
        problems = []
        if not self.fields.text("name").strip():
            problems.append(Problem("name", "Give the squad a name."))
        if not self.club_box.currentText().strip():
            problems.append(Problem("club", "Choose the club, or type the name of a new one."))
        return problems

    def _update_ok_button(self) -> None:
        # The club is a combo box, not a checked field: its problem disables the button too.
        super()._update_ok_button()
        if not self.club_box.currentText().strip():
            self.ok_button.setEnabled(False)

    def _work(self) -> Callable[[], object]:
        service, base = self._service, self._base
        club_name = self.club_box.currentText().strip()
        typed = {key: self.fields.text(key).strip() for key, _label, _hint in _TEXT_FIELDS}
        archived = base is not None and self.archived_box.isChecked()

        def save() -> Squad:
            squads = service()
            club = _club_named(squads.clubs(), club_name) or squads.add_club(club_name)
            assert club.id is not None
            details = replace(base or Squad(club.id, ""), club_id=club.id, name=typed["name"], season=typed["season"],
                              coach_name=typed["coach_name"], coach_email=typed["coach_email"],
                              coach_phone=typed["coach_phone"], archived=archived)  # fmt: skip
            return squads.save_squad(details)

        return save

    def _announce(self, result: object) -> None:
        self.squad_saved.emit(result)


def _club_named(clubs: Sequence[Club], name: str) -> Club | None:
    """The club held under this name, compared as the database compares them (casefolded)."""
    wanted = fold(name)
    return next((club for club in clubs if fold(club.name) == wanted), None)
