"""Letters for this squad: one finalised letter per athlete, written into a folder, from the dashboard.

The same batch as ``calfdesk letter --squad NAME --template T --out-dir DIR`` (``ui.letter_export.write_batch``):
every letter is the one the letter dialog opens with, finalised through the letter service (stored
unchangeable with its SHA-256, audited) and written from the stored bytes as
"<patient id> <template> <reference>.pdf", never the athlete's name. The whole batch is ONE task on the
database thread; its progress callback runs there and reaches the bar through a queued signal.

The phone call an urgent or emergency letter needs first (CLINICAL.md 9.1 "Urgent tiers") is the letter
service's rule, kept here as the command line keeps it for a batch without ``--not-called``: such a letter
is refused for that athlete alone (nothing stored), named in the result, and the others are written. A
call is one athlete's, so it is recorded in their own letter dialog; the batch offers no blanket "no call
was made". The handout goes to the athlete, so it needs no call.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.letter_export import BatchResult, LetterOrder, wants_phone_call, write_batch
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.errors import CalfDeskError, ValidationFailed
from workstation.letters.records import LetterKind
from workstation.squads.records import Availability, Squad
from workstation.squads.views import DashboardRow

if TYPE_CHECKING:
    from workstation.services.session import ClinicSession

# parent, title, the folder to start in -> the chosen folder, or None (the person cancelled)
ChooseFolder = Callable[[QWidget, str, Path], Path | None]

# The documents a squad's batch makes sense for; a discharge summary or an Australian care-plan report is
# one patient's moment, written from their record. The GP referral is offered because the batch refuses
# an urgent or emergency one per athlete without the call (the letter service's rule, see above).
SQUAD_LETTER_KINDS = (LetterKind.PROGRESS, LetterKind.HANDOUT, LetterKind.GP_REFERRAL)
KEPT_NOTE = "Each letter is finalised and kept in the athlete's record."
FILE_NAME_NOTE = "Files are named by the athlete's id, the document and the letter's reference, never a name."
PHONE_FIRST_NOTE = (
    "An urgent or emergency letter needs the phone call recorded first, so the batch does not write one: "
    "that athlete is named in the result, with nothing stored, to be written from their own record once the "
    "call is recorded. The others are written."
)
PHONE_FIRST_REASON = (
    "Urgent: the phone call must be recorded first. Write this letter from the athlete's own record; "
    "nothing was stored."
)
NEEDS_ATTENTION = frozenset({Availability.UNAVAILABLE, Availability.MODIFIED})


def choose_letters_folder(parent: QWidget, title: str, start: Path) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title, str(start))
    return Path(name) if name else None


def failure_reason(error: CalfDeskError) -> str:
    """Why one athlete's letter was not written, in one plain line (the phone-call rule in words)."""
    if isinstance(error, ValidationFailed):
        if wants_phone_call(error):
            return PHONE_FIRST_REASON
        return " ".join("; ".join(problem.message for problem in error.problems).split())
    return " ".join(str(error).split())


def write_squad_letters(
    session: ClinicSession,
    kind: LetterKind,
    patient_ids: Sequence[int],
    folder: Path,
    *,
    today: date,
    progress: Callable[[int, int], None],
    workers: int | None = None,
) -> BatchResult:
    """Runs on the database thread: the folder checked first (so no letter is stored without its file),
    then one letter per athlete, as ``calfdesk letter --squad`` writes them.

    Raises:
        CalfDeskError: the folder is not there or cannot be written to; nothing was stored.
    """
    if not folder.is_dir():
        raise CalfDeskError(f"There is no folder {folder}.", hint="Choose another folder; nothing was stored.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CalfDeskError(f"Cannot write to the folder {folder}.", hint="Choose another folder; nothing was stored.")
    order = LetterOrder(kind)  # each athlete's latest assessment; no call recorded for anyone (see above)
    return write_batch(session, order, patient_ids, folder, today=today, progress=progress, workers=workers)


class BatchProgress(QObject):
    """The batch's progress callback, called on the database thread; the signal is queued to the dialog."""

    advanced = Signal(int, int)  # done, failed so far

    def report(self, done: int, failed: int) -> None:
        self.advanced.emit(done, failed)


@dataclass(frozen=True, slots=True)
class LettersOutcome:
    """What one batch did, as the dialog lists it."""

    folder: Path
    total: int
    written: tuple[tuple[str, str], ...]  # (file name, athlete's name)
    failed: tuple[tuple[str, str], ...]  # (athlete's name, plain reason)
    not_tried: int

    @property
    def summary(self) -> str:
        line = f"Wrote {_plural(len(self.written), 'letter')} of {self.total} to {self.folder}"
        if self.failed:
            line += f"; {len(self.failed)} not written"
        if self.not_tried:
            line += f"; stopped: the {_plural(self.not_tried, 'athlete')} left would fail the same way"
        return line + "."


def outcome_of(result: BatchResult, names: dict[int, str], folder: Path, total: int) -> LettersOutcome:
    failed = tuple((names.get(patient_id, f"Patient {patient_id}"), failure_reason(error))
                   for patient_id, error in result.failed)  # fmt: skip
    written = tuple((letter.path.name, names.get(letter.stored.patient_id, "")) for letter in result.written)
    return LettersOutcome(folder, total, written, failed, result.not_tried)


class SquadLettersDialog(QDialog):
    """Choose the document, the athletes and the folder; write; then the letters written and the failures."""

    letters_written = Signal(object)  # the LettersOutcome

    def __init__(
        self,
        session: Callable[[], ClinicSession],
        tasks: TaskRunner,
        squad: Squad,
        rows: Sequence[DashboardRow],
        today: Callable[[], date],
        parent: QWidget | None = None,
        *,
        choose_folder: ChooseFolder = choose_letters_folder,
        workers: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("squadLettersDialog")
        self.setWindowTitle(f"Letters for {squad.title}")
        self._session, self._tasks, self._today = session, tasks, today
        self._choose_folder, self._workers = choose_folder, workers
        self._rows = tuple(rows)
        self._attention = sum(1 for row in self._rows if row.availability.availability in NEEDS_ATTENTION)
        self.folder: Path | None = None
        self.outcome: LettersOutcome | None = None
        self.running = False
        self._relay: BatchProgress | None = None
        self._build(squad)
        self._lay_out()
        self._on_choice_changed()

    # --- building -------------------------------------------------------------------------------------------

    def _build(self, squad: Squad) -> None:
        self.banner = BannerWidget()
        self.intro = _label("lettersIntro", f"One letter for each athlete of {squad.title}, written into a folder.")
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("letterKind")
        self.kind_box.setAccessibleName("Document")
        for kind in SQUAD_LETTER_KINDS:
            self.kind_box.addItem(kind.label, kind.value)  # Qt keeps a StrEnum as its text
        self.kind_box.currentIndexChanged.connect(self._on_choice_changed)
        self.phone_note = _label("phoneFirstNote", PHONE_FIRST_NOTE)
        attention = self._attention
        self.all_button = QRadioButton(f"&All current members ({len(self._rows)})")
        self.all_button.setObjectName("allAthletes")
        self.attention_button = QRadioButton(f"Only those &unavailable or modified ({attention})")
        self.attention_button.setObjectName("attentionAthletes")
        self.attention_button.setEnabled(attention > 0)
        self.who = QButtonGroup(self)
        for button in (self.all_button, self.attention_button):
            self.who.addButton(button)
        self.all_button.setChecked(True)
        self.who.buttonToggled.connect(self._on_choice_changed)
        self.folder_label = _label("lettersFolder", "No folder chosen yet.")
        self.folder_button = QPushButton("Choose &folder…")
        self.folder_button.setObjectName("chooseLettersFolder")
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self.kept_note = _label("keptNote", f"{KEPT_NOTE} {FILE_NAME_NOTE}")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("lettersProgress")
        self.progress_bar.hide()
        self.failed_heading = _label("failedHeading")
        self.failed_list = _list("failedLetters", "Letters not written")
        self.written_heading = _label("writtenHeading")
        self.written_list = _list("writtenLetters", "Letters written")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.write_button = self.buttons.addButton("&Write letters", QDialogButtonBox.ButtonRole.AcceptRole)
        self.write_button.setObjectName("writeSquadLetters")
        self.buttons.accepted.connect(self.write)
        self.buttons.rejected.connect(self.reject)

    def _lay_out(self) -> None:
        form = QFormLayout()
        document = QLabel("&Document")
        document.setBuddy(self.kind_box)
        form.addRow(document, self.kind_box)
        who = QVBoxLayout()
        who.addWidget(self.all_button)
        who.addWidget(self.attention_button)
        form.addRow("Athletes", who)
        folder = QHBoxLayout()
        folder.addWidget(self.folder_label, 1)
        folder.addWidget(self.folder_button)
        form.addRow("Folder", folder)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.phone_note)  # outside the form: a wrapped label there is given one line's height
        layout.addWidget(self.kept_note)
        layout.addWidget(self.progress_bar)
        for widget in (self.failed_heading, self.failed_list, self.written_heading, self.written_list):
            layout.addWidget(widget)
            widget.hide()
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        width, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(width * 120, line * 40)

    # --- the choices ----------------------------------------------------------------------------------------

    @property
    def kind(self) -> LetterKind:
        return LetterKind(self.kind_box.currentData())

    def chosen_rows(self) -> list[DashboardRow]:
        """The athletes the batch is for, in the dashboard's order (those needing attention first)."""
        if self.attention_button.isChecked():
            return [row for row in self._rows if row.availability.availability in NEEDS_ATTENTION]
        return list(self._rows)

    def set_folder(self, folder: Path) -> None:
        self.folder = folder
        self.folder_label.setText(str(folder))
        self._on_choice_changed()

    @Slot()
    def _on_folder_button_clicked(self) -> None:
        chosen = self._choose_folder(self, "Choose the folder for the letters", self.folder or Path.home())
        if chosen is not None:
            self.set_folder(chosen)

    @Slot()
    def _on_choice_changed(self, *_args: object) -> None:
        self.phone_note.setVisible(self.kind is not LetterKind.HANDOUT)
        count = len(self.chosen_rows())
        ready = count > 0 and self.folder is not None and not self.running and self.outcome is None
        self.write_button.setText(f"&Write {_plural(count, 'letter')}" if count else "&Write letters")
        self.write_button.setEnabled(ready)

    # --- the batch ------------------------------------------------------------------------------------------

    def write(self) -> None:
        """Write the chosen athletes' letters: one task on the database thread, the window never waits."""
        rows, folder = self.chosen_rows(), self.folder
        if self.running or self.outcome is not None or not rows or folder is None:
            return
        ids = list(dict.fromkeys(row.member.patient_id for row in rows))
        names = {row.member.patient_id: row.member.display_name for row in rows}
        relay = BatchProgress()  # no parent: the task's reference keeps it, whatever happens to the dialog
        relay.advanced.connect(self._on_progress_advanced, Qt.ConnectionType.QueuedConnection)
        self._relay = relay
        self._set_running(True, len(ids))
        session, kind, today, workers = self._session, self.kind, self._today(), self._workers
        self._tasks.submit(
            lambda: write_squad_letters(session(), kind, ids, folder, today=today, progress=relay.report,
                                        workers=workers),
            done=lambda result: self._on_written(outcome_of(result, names, folder, len(ids))),
            failed=self._on_batch_failed,
            context=self,
        )  # fmt: skip

    def _set_running(self, running: bool, total: int = 0) -> None:
        self.running = running
        choosing = not running and self.outcome is None
        for widget in (self.kind_box, self.all_button, self.folder_button):
            widget.setEnabled(choosing)
        self.attention_button.setEnabled(choosing and self._attention > 0)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(not running)
        if running:
            self.banner.clear()
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(0)
            self.progress_bar.setFormat(f"%v of {total} athletes")
            self.progress_bar.show()
        self._on_choice_changed()

    @Slot(int, int)
    def _on_progress_advanced(self, done: int, failed: int) -> None:
        self.progress_bar.setValue(done)
        total = self.progress_bar.maximum()
        self.progress_bar.setFormat(f"%v of {total} athletes" + (f", {failed} not written" if failed else ""))

    def _on_written(self, outcome: LettersOutcome) -> None:
        self.outcome = outcome
        self._set_running(False)
        self.progress_bar.setValue(outcome.total - outcome.not_tried)
        self.failed_list.clear()
        self.failed_list.addItems([f"{name}: {reason}" for name, reason in outcome.failed])
        self.written_list.clear()
        self.written_list.addItems([f"{file_name}  ({name})" if name else file_name
                                    for file_name, name in outcome.written])  # fmt: skip
        self.failed_heading.setText(f"<b>Not written ({len(outcome.failed)})</b>")
        self.written_heading.setText(f"<b>Written ({len(outcome.written)})</b>: in {outcome.folder}")
        for heading, shown in ((self.failed_heading, self.failed_list), (self.written_heading, self.written_list)):
            heading.setVisible(shown.count() > 0)
            shown.setVisible(shown.count() > 0)
        tone = Tone.WARNING if outcome.failed or outcome.not_tried else Tone.NOTICE
        self.banner.show_message(outcome.summary, tone)
        self.write_button.hide()  # written: Close is all that is left to do
        self.letters_written.emit(outcome)

    def _on_batch_failed(self, error: CalfDeskError) -> None:
        self._set_running(False)
        self.progress_bar.hide()
        self.banner.show_message(f"No letters were written. {error}", Tone.ERROR)

    def reject(self) -> None:
        if self.running:  # the letters under way are being stored: the dialog stays to show what was written
            self.banner.show_message("The letters are being written: the dialog closes once they are done.",
                                     Tone.NOTICE, dismissable=False)  # fmt: skip
            return
        super().reject()


def _plural(count: int, word: str) -> str:
    return f"{count} {word if count == 1 else word + 's'}"


def _label(name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def _list(name: str, accessible: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setWordWrap(True)  # a reason is read whole, never scrolled to
    widget.setResizeMode(QListWidget.ResizeMode.Adjust)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return widget
