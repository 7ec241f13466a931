"""Add or edit an episode of care: the complaint, its side and onset, and how it ended."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.patients.conflict_dialog import ConflictChoice, ConflictDialog
from ui.patients.episode_fields import EPISODE_LABELS, episode_differences
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from ui.widgets.date_edit import DateLineEdit, date_format_hint
from ui.widgets.field_message import FieldMessageLabel
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError, ConflictError, RecordNotFound, ValidationFailed
from workstation.ports import EpisodeRepository
from workstation.problems import Problem, blocking
from workstation.records import DischargeReason, Episode, EpisodeStatus, Patient, Side
from workstation.services.patients import save_episode
from workstation.validation import validate_episode

_SIDES = (Side.LEFT, Side.RIGHT, Side.BOTH)
_LABELS = EPISODE_LABELS
_DISCHARGE_KEYS = ("discharge_date", "discharge_reason")


class EpisodeDialog(QDialog):
    episode_saved = Signal(object)  # the stored Episode

    def __init__(
        self,
        episodes: EpisodeRepository,
        tasks: TaskRunner,
        patient: Patient,
        episode: Episode | None,
        date_order: DateOrder,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("episodeDialog")
        self.setWindowTitle("Edit episode of care" if episode else "New episode of care")
        assert patient.id is not None
        self._repository = episodes
        self._tasks = tasks
        self._patient = patient
        self._episode = episode or Episode(patient_id=patient.id, complaint="", side=Side.LEFT, onset_date=None)
        self._order = date_order
        self._today = today
        self._touched: set[str] = set()
        self._busy = False
        self.banner = BannerWidget()
        self.fields: dict[str, QWidget] = {}
        self.messages: dict[str, FieldMessageLabel] = {}
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self._buttons.button(QDialogButtonBox.StandardButton.Save)
        self._buttons.accepted.connect(self._on_buttons_accepted)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        self._form = self._build_form()
        layout.addLayout(self._form)
        layout.addWidget(self._buttons)
        self._load(episode)
        self._loaded_state = self.typed_state()

    @property
    def patient(self) -> Patient:
        return self._patient

    @property
    def episode_id(self) -> int | None:
        return self._episode.id

    @property
    def dirty(self) -> bool:
        """Something differs from what was loaded."""
        return self.typed_state() != self._loaded_state

    def typed_state(self) -> dict[str, object]:
        """Every field as typed (dates as text, choices by value): what a draft keeps."""
        state: dict[str, object] = {}
        for key, widget in self.fields.items():
            if isinstance(widget, QComboBox):
                value = widget.currentData()
                state[key] = None if value is None else value.value
            elif isinstance(widget, QPlainTextEdit):
                state[key] = widget.toPlainText()
            else:
                assert isinstance(widget, DateLineEdit)
                state[key] = widget.text()
        return state

    def draft_payload(self) -> str:
        """What is typed, as JSON for a draft: the session is being handed to someone else."""
        episode = self._episode
        return json.dumps(
            {"patient_id": self._patient.id, "episode_id": episode.id, "version": episode.version,
             "fields": self.typed_state()},
            ensure_ascii=False,
        )  # fmt: skip

    def restore_draft(self, payload: str) -> None:
        """Put a draft's typing back over the episode as it is stored now, and say if it has changed since."""
        draft = json.loads(payload)
        for key, value in draft.get("fields", {}).items():
            widget = self.fields.get(key)
            if isinstance(widget, QComboBox):
                index = next((i for i in range(widget.count()) if _value_of(widget.itemData(i)) == value), 0)
                widget.setCurrentIndex(index)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value))
            elif isinstance(widget, DateLineEdit):
                widget.setText(str(value))
        self._on_status_changed()
        self._touched.update(self.fields)
        self._refresh_messages(self.problems())
        if self._episode.id is not None and self._episode.version != draft.get("version"):
            self.banner.show_message(
                "Someone saved this episode after your draft was kept. Check every field before you save.",
                Tone.NOTICE,
            )

    def read(self) -> tuple[Episode, list[Problem]]:
        """The typed episode and the problems only the dialog can see (unreadable dates, no side)."""
        problems: list[Problem] = []
        side = self._combo("side").currentData()
        if side is None:
            problems.append(Problem("side", "Choose the side."))
        status = self._combo("status").currentData()
        discharged = status is EpisodeStatus.DISCHARGED
        complaint_box = self.fields["complaint"]
        assert isinstance(complaint_box, QPlainTextEdit)
        episode = replace(
            self._episode,
            complaint=complaint_box.toPlainText(),
            side=side or Side.LEFT,
            onset_date=self._typed_date("onset_date", problems),
            status=status,
            discharge_date=self._typed_date("discharge_date", problems) if discharged else None,
            discharge_reason=self._combo("discharge_reason").currentData() if discharged else None,
        )
        return episode, problems

    def problems(self) -> list[Problem]:
        episode, form_problems = self.read()
        unreadable = {p.field for p in form_problems}
        rules = validate_episode(episode, self._patient.date_of_birth, self._today())
        return form_problems + [p for p in rules if p.field not in unreadable]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QWidget):
            key = watched.property("fieldKey")
            if key:
                self._touched.add(str(key))
                self._refresh_messages(self.problems())
        return super().eventFilter(watched, event)

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        complaint = QPlainTextEdit()
        complaint.setTabChangesFocus(True)
        complaint.setPlaceholderText("For example: right calf pain on running, worse on hills")
        complaint.setFixedHeight(complaint.fontMetrics().lineSpacing() * 3 + complaint.frameWidth() * 2 + 8)
        widgets: dict[str, QWidget] = {
            "complaint": complaint,
            "side": _combo([("Choose…", None)] + [(s.label, s) for s in _SIDES]),
            "onset_date": DateLineEdit(self._order),
            "status": _combo([(s.label, s) for s in EpisodeStatus]),
            "discharge_date": DateLineEdit(self._order),
            "discharge_reason": _combo([("Choose…", None)] + [(r.label, r) for r in DischargeReason]),
        }
        for key, widget in widgets.items():
            widget.setObjectName(f"field_{key}")
            widget.setAccessibleName(_LABELS[key])
            widget.setProperty("fieldKey", key)
            widget.installEventFilter(self)
            message = FieldMessageLabel()
            message.setObjectName(f"message_{key}")
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(widget)
            column.addWidget(message)
            form.addRow(_LABELS[key], cell)
            self.fields[key], self.messages[key] = widget, message
        self._combo("status").currentIndexChanged.connect(self._on_status_changed)
        return form

    def _load(self, episode: Episode | None) -> None:
        current = self._episode
        complaint = self.fields["complaint"]
        assert isinstance(complaint, QPlainTextEdit)
        complaint.setPlainText(current.complaint)
        self._select("side", current.side if episode else None)
        self._date_field("onset_date").set_date(current.onset_date)
        self._select("status", current.status)
        self._date_field("discharge_date").set_date(current.discharge_date)
        self._select("discharge_reason", current.discharge_reason)
        self._on_status_changed()

    def _refresh_messages(self, problems: list[Problem]) -> None:
        first: dict[str, Problem] = {}
        for problem in problems:
            first.setdefault(problem.field, problem)
        for key, label in self.messages.items():
            if key in first and key in self._touched:
                label.show_problem(first[key])
            else:
                label.clear_message()

    def _combo(self, key: str) -> QComboBox:
        widget = self.fields[key]
        assert isinstance(widget, QComboBox)
        return widget

    def _date_field(self, key: str) -> DateLineEdit:
        widget = self.fields[key]
        assert isinstance(widget, DateLineEdit)
        return widget

    def _select(self, key: str, value: object) -> None:
        box = self._combo(key)
        box.setCurrentIndex(max(0, box.findData(value)))

    def _typed_date(self, key: str, problems: list[Problem]) -> date | None:
        field = self._date_field(key)
        if field.is_blank():
            return None
        typed = field.date()
        if typed is None:
            problems.append(Problem(key, date_format_hint(self._order)))
        return typed

    def reject(self) -> None:
        if not self._busy:  # a save in flight must report back, or the patient view would miss it
            super().reject()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (*self.fields.values(), self._buttons):
            widget.setEnabled(not busy)
        if not busy:
            self._on_status_changed()

    @Slot()
    def _on_status_changed(self) -> None:
        discharged = self._combo("status").currentData() is EpisodeStatus.DISCHARGED
        for key in _DISCHARGE_KEYS:
            self._form.setRowVisible(self.fields[key].parentWidget(), discharged)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self.save()

    def save(self) -> None:
        """Check every field; save when nothing blocks, else leave the messages beside the fields."""
        self._touched.update(self.fields)
        problems = self.problems()
        self._refresh_messages(problems)
        if blocking(problems):
            return
        episode, _ = self.read()
        repository, born, today = self._repository, self._patient.date_of_birth, self._today()
        self.banner.clear()
        self._set_busy(True)
        self._tasks.submit(
            lambda: save_episode(repository, episode, born, today),
            done=self._on_save_succeeded,
            failed=self._on_save_failed,
            context=self,
        )

    def _on_save_succeeded(self, episode: Episode) -> None:
        self._set_busy(False)
        self.episode_saved.emit(episode)
        self.accept()

    def _on_save_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        if isinstance(error, ValidationFailed):
            self._refresh_messages(error.problems)
        elif isinstance(error, ConflictError) and self._episode.id is not None:
            self._fetch_their_version(self._episode.id)
        else:
            self.banner.show_message(str(error), Tone.ERROR)

    def _fetch_their_version(self, episode_id: int) -> None:
        """Someone else saved this episode meanwhile: fetch theirs, then let the person choose."""
        repository, patient_id = self._repository, self._episode.patient_id
        self._set_busy(True)
        self.banner.show_message("Someone else saved this episode meanwhile: fetching their version…", Tone.NOTICE)
        self._tasks.submit(
            lambda: _stored_episode(repository, patient_id, episode_id),
            done=self._on_their_version_fetched,
            failed=self._on_their_version_failed,
            context=self,
        )

    def _on_their_version_fetched(self, theirs: Episode) -> None:
        self._set_busy(False)
        self.banner.clear()
        mine, _ = self.read()
        dialog = ConflictDialog(episode_differences(theirs, mine, self._order), "episode of care", self)
        dialog.finished.connect(lambda _result: self._on_conflict_dialog_finished(dialog, theirs))
        dialog.open()

    def _on_their_version_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        self.banner.show_message(str(error), Tone.ERROR)

    def _on_conflict_dialog_finished(self, dialog: ConflictDialog, theirs: Episode) -> None:
        choice = dialog.choice
        dialog.deleteLater()
        if choice is None:
            return  # closed without choosing: the next save is refused again, and asks again
        # What is typed stays in the form; the episode underneath becomes theirs, so the next save goes
        # over the version the person has now seen.
        self._episode = theirs
        if choice is ConflictChoice.RELOAD_THEIRS:
            self._load(theirs)
            self._loaded_state = self.typed_state()
            self.banner.show_message("Their version is shown now. Your changes were discarded.", Tone.NOTICE)
        elif choice is ConflictChoice.EDIT_MINE:
            self.banner.show_message(
                "Your changes are kept. Saving now replaces their version with yours.", Tone.NOTICE
            )
        elif choice is ConflictChoice.SAVE_MINE:
            self.save()


def _stored_episode(episodes: EpisodeRepository, patient_id: int, episode_id: int) -> Episode:
    for episode in episodes.for_patient(patient_id):
        if episode.id == episode_id:
            return episode
    raise RecordNotFound("This episode of care no longer exists.")


def _value_of(data: object) -> object:
    return getattr(data, "value", data)


def _combo(items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    return box
