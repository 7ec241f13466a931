"""Write a letter: the choices on the left, the real pages on the right, then Finalise (Ctrl+Enter).

The pages are the PDF finalising would store, rendered off the GUI thread a moment after typing pauses
(``letter_tasks``), so typing never waits for ReportLab or PDFium. Finalising an urgent or emergency letter
asks for the phone call first (CLINICAL.md 9.1); the service then stores the PDF with its SHA-256, and the
dialog offers to export, print or open it. An expected failure (a locked database, a full disk, a refused
letter) is said in plain words in the dialog, and everything typed stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.letters.finalise_steps import (
    call_tier,
    confirm_discard,
    confirmation_text,
    error_text,
    finalised_text,
    phone_call_dialog,
    stored_pages_text,
    tier_text,
)
from ui.letters.gap_notice import current_gaps, show_gaps
from ui.letters.letter_form import LetterFormWidget
from ui.letters.letter_preview import LetterPagesWidget
from ui.letters.letter_tasks import Preview, PreviewScheduler, finalise_letter, preview_of, read_facts, stored_pages
from ui.letters.letter_wording import record_wording
from ui.letters.phone_call_dialog import PhoneCallDialog
from ui.tasks import Lane, TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.dates import DateOrder, format_date
from workstation.errors import CalfDeskError, ValidationFailed
from workstation.letters.gaps import Gap
from workstation.letters.records import LetterFacts, LetterRequest, PhoneCall, StoredLetter
from workstation.records import Patient, new_uid

if TYPE_CHECKING:
    from ui.letters.letter_actions import LetterActions
    from workstation.services.letters import LetterService

READING = "Reading the record…"
TIER_TONES = {"emergency": Tone.ERROR, "urgent": Tone.ERROR, "soon": Tone.WARNING, "routine": Tone.NOTICE}
PHONE_PROBLEM = "phone_call"


class LetterDialog(QDialog):
    letter_finalised = Signal(object)  # the StoredLetter

    def __init__(
        self,
        service: LetterService,
        tasks: TaskRunner,
        patient: Patient,
        actions: LetterActions,
        *,
        date_order: DateOrder,
        today: Callable[[], date],
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("letterDialog")
        self.setWindowTitle("New letter")
        self.setSizeGripEnabled(True)
        self._service, self._tasks, self._actions = service, tasks, actions
        self._patient, self._today, self._now, self._order = patient, today, now, date_order
        self._uid = new_uid()  # one reference for every preview and the stored letter
        self._busy = False
        self._sized = False
        self.patient_id = patient.id
        self.stored: StoredLetter | None = None
        self.preview: Preview | None = None
        self.phone_dialog: PhoneCallDialog | None = None
        self.confirmation: QMessageBox | None = None
        self.form = LetterFormWidget(date_order)
        self.form.setEnabled(False)
        self.pages = LetterPagesWidget()
        self.pages.show_note(READING)
        self.scheduler = PreviewScheduler(tasks, self._preview_work, self)
        self._build(patient, date_order)
        self._connect()

    # Layout ---------------------------------------------------------------------------------------

    def _build(self, patient: Patient, order: DateOrder) -> None:
        self.tier_banner = BannerWidget()
        self.tier_banner.setObjectName("letterTier")
        self.gaps_banner = BannerWidget()  # amber: what the letter prints without, and where to fill it in
        self.gaps_banner.setObjectName("letterGaps")
        self.banner = BannerWidget()
        self.banner.setObjectName("letterError")
        who = QLabel()
        who.setTextFormat(Qt.TextFormat.PlainText)
        who.setText(f"About {patient.display_name}, born {format_date(patient.date_of_birth, order)}")
        who.setObjectName("letterPatient")
        font = who.font()
        font.setBold(True)
        who.setFont(font)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(who)
        left_column.addWidget(scroll, 1)
        self.page_count = QLabel("Preview")
        self.page_count.setObjectName("previewPageCount")
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.page_count)
        right_column.addWidget(self.pages, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tier_banner)
        layout.addWidget(self.gaps_banner)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self._build_result())
        layout.addLayout(self._build_buttons())
        self.resize(1280, 860)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # the pages get the larger share: they are what is checked before finalising
            self._sized = True
            width = self.splitter.width()
            self.splitter.setSizes([width * 2 // 5, width - width * 2 // 5])

    def _build_result(self) -> QWidget:
        self.result_panel = QWidget()
        self.result_panel.setObjectName("letterResult")
        self.result_text = QLabel()
        self.result_text.setObjectName("finalisedText")
        bold = self.result_text.font()
        bold.setBold(True)  # the one line that says the letter is done: it must not read as small print
        self.result_text.setFont(bold)
        self.result_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton("E&xport to folder…")
        self.print_button = QPushButton("P&rint…")
        self.viewer_button = QPushButton("Open in system &viewer")
        row = QHBoxLayout(self.result_panel)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.result_text, 1)
        for button in (self.export_button, self.print_button, self.viewer_button):
            row.addWidget(button)
        self.result_panel.hide()
        return self.result_panel

    def _build_buttons(self) -> QHBoxLayout:
        self.status = QLabel()
        self.status.setObjectName("letterStatus")
        self.status.setWordWrap(True)
        self.finalise_button = QPushButton("&Finalise… (Ctrl+Enter)")
        self.finalise_button.setObjectName("finaliseLetter")
        self.finalise_button.setEnabled(False)
        self.close_button = QPushButton("Cancel")
        self.close_button.setObjectName("closeLetter")
        self.close_button.setAutoDefault(False)
        self.finalise_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.finalise_button)
        row.addWidget(self.close_button)
        return row

    def _connect(self) -> None:
        self.form.changed.connect(self._on_form_changed)
        self.form.kind_changed.connect(self._on_form_kind_changed)
        self.form.assessment_chosen.connect(self._read_facts)
        self.scheduler.preview_ready.connect(self._on_scheduler_preview_ready)
        self.scheduler.preview_failed.connect(self._on_scheduler_preview_failed)
        self.scheduler.running_changed.connect(self._show_page_count)
        self.finalise_button.clicked.connect(self.finalise)
        self.close_button.clicked.connect(self.reject)
        self.export_button.clicked.connect(lambda: self._with_stored(self._actions.export))
        self.print_button.clicked.connect(lambda: self._with_stored(self._actions.print))
        self.viewer_button.clicked.connect(lambda: self._with_stored(self._actions.open_in_system_viewer))
        for keys, slot in (("Ctrl+Return", self.finalise), ("Ctrl+Enter", self.finalise),
                           ("PgDown", lambda: self.pages.page_step(1)), ("PgUp", lambda: self.pages.page_step(-1))):
            QShortcut(QKeySequence(keys), self, slot)  # fmt: skip

    # Reading and previewing -----------------------------------------------------------------------

    def start(self) -> None:
        """Read the record (the latest assessment), then fill in the defaults and draw the first preview."""
        self._read_facts(None)

    @Slot(object)
    def _read_facts(self, assessment_id: int | None) -> None:
        service, patient_id, today = self._service, self._patient.id, self._today()
        assert patient_id is not None
        self.form.setEnabled(False)
        if self.preview is None:
            self.pages.show_note(READING)
        self._tasks.submit(
            lambda: read_facts(service, patient_id, assessment_id, today),
            done=self._on_facts_read,
            failed=self._on_facts_failed,
            context=self,
        )

    def _on_facts_read(self, facts: LetterFacts) -> None:
        self.form.set_facts(facts, record_wording(self._service, self.form.current_kind(), facts))
        self.form.setEnabled(True)
        self.finalise_button.setEnabled(self.stored is None)
        self.scheduler.start_now()

    def _on_facts_failed(self, error: CalfDeskError) -> None:
        self.form.setEnabled(self.form.facts is not None)
        self.banner.show_message(error_text(error), Tone.ERROR)
        if self.preview is None:
            self.pages.show_note("The record could not be read, so there is nothing to preview yet.")

    def _preview_work(self) -> Callable[[], Preview] | None:
        request, facts, service = self._request(), self.form.facts, self._service
        if request is None or facts is None:
            return None
        dpi = self.pages.wanted_dpi()
        return lambda: preview_of(service, request, facts, dpi)

    def _request(self) -> LetterRequest | None:
        return self.form.request(self._uid)

    def gaps(self) -> tuple[Gap, ...]:
        """What the letter as it stands would print without (``workstation.letters.gaps``)."""
        return current_gaps(self.form.current_kind(), self.form.facts, self.form.recipient())

    @Slot()
    def _on_form_changed(self) -> None:
        self.scheduler.schedule()
        self._show_page_count()
        show_gaps(self.gaps_banner, self.gaps())  # pure and quick: the To fields update it as they are typed

    @Slot()
    def _on_form_kind_changed(self) -> None:
        facts = self.form.facts
        if facts is not None:
            self.form.apply_defaults(record_wording(self._service, self.form.current_kind(), facts))

    def _on_scheduler_preview_ready(self, preview: Preview) -> None:
        self.preview = preview
        self.pages.show_note("")
        self.pages.set_pages(list(preview.images))
        self._show_page_count()
        self._show_tier(preview)

    def _show_tier(self, preview: Preview | None, *, stored: StoredLetter | None = None) -> None:
        """The letter's urgency across the top, as its banner says it (``finalise_steps.tier_text``)."""
        banner = preview.banner if preview is not None else None
        if preview is None or banner is None:
            self.tier_banner.clear()
        else:
            text = tier_text(banner, preview.kind, stored)
            self.tier_banner.show_message(text, TIER_TONES.get(banner.tier, Tone.NOTICE), dismissable=False)

    def _on_scheduler_preview_failed(self, error: CalfDeskError) -> None:
        self.pages.show_note(f"The preview could not be drawn: {error_text(error)}")

    @Slot()
    def _show_page_count(self) -> None:
        count = self.pages.page_count
        pages = f"{count} page{'s' if count != 1 else ''}" if count else "no pages yet"
        updating = " · updating…" if self.scheduler.pending else ""
        self.page_count.setText(f"Preview of the real pages: {pages}{updating} (PgUp/PgDn to turn)")

    # Finalising -----------------------------------------------------------------------------------

    @Slot()
    def finalise(self) -> None:
        """Confirm (or, for an urgent letter, record the phone call), then store the letter."""
        request, facts = self._request(), self.form.facts
        if self._busy or self.stored is not None or request is None or facts is None:
            return
        tier = call_tier(request.kind, facts)
        if tier is not None:
            self._ask_for_call(tier, facts)
        else:
            self._confirm(request)

    def _confirm(self, request: LetterRequest) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Finalise this letter?",
                          confirmation_text(request, self.pages.page_count, self.gaps()),
                          QMessageBox.StandardButton.Cancel,
                          self)  # fmt: skip
        box.setObjectName("finaliseConfirmation")
        finalise = box.addButton("&Finalise", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(finalise)
        box.finished.connect(lambda _code: self._submit(None) if box.clickedButton() is finalise else None)
        self.confirmation = box
        box.open()

    def _ask_for_call(self, tier: str, facts: LetterFacts, problem: str = "") -> None:
        dialog = phone_call_dialog(tier, facts, now=self._now, date_order=self._order, parent=self, problem=problem,
                                   gaps=self.gaps())  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._submit(dialog.phone_call))
        self.phone_dialog = dialog
        dialog.open()

    def _submit(self, call: PhoneCall | None) -> None:
        """Store the letter once any preview in flight has finished: the COMPUTE lane runs one task at a
        time, so a no-op queued there returns after it, and ReportLab never renders twice at once."""
        if self.form.request(self._uid) is None or self.form.facts is None:
            return
        self._set_busy(True)
        self._tasks.submit(lambda: None, done=lambda _: self._store_letter(call), failed=self._on_finalise_failed,
                           context=self, lane=Lane.COMPUTE)  # fmt: skip

    def _store_letter(self, call: PhoneCall | None) -> None:
        request, facts = self._request(), self.form.facts
        assert request is not None and facts is not None
        service, at = self._service, self._now()
        self._tasks.submit(
            lambda: finalise_letter(service, request, facts, call, at),
            done=self._on_finalised,
            failed=self._on_finalise_failed,
            context=self,
        )

    def _on_finalised(self, finalised: tuple[StoredLetter, bytes]) -> None:
        stored, pdf = finalised
        self._set_busy(False)
        self.stored = stored
        self.scheduler.stop()
        self._show_stored_pages(pdf)
        self._show_tier(self.preview, stored=stored)
        self.form.set_editable(False)
        self.finalise_button.hide()
        self.close_button.setText("Close")
        self.result_text.setText(finalised_text(stored))
        self.page_count.setText(stored_pages_text(stored))
        self.result_panel.show()
        self.status.clear()
        self.banner.clear()
        self.letter_finalised.emit(stored)

    def _show_stored_pages(self, pdf: bytes) -> None:
        """The pages as stored (with the phone call in them), drawn off the GUI thread."""
        if pdf:
            dpi = self.pages.wanted_dpi()
            self._tasks.submit(lambda: stored_pages(pdf, dpi), done=lambda images: self.pages.set_pages(list(images)),
                               failed=self._on_scheduler_preview_failed, context=self, lane=Lane.COMPUTE)  # fmt: skip

    def _on_finalise_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        facts = self.form.facts
        if isinstance(error, ValidationFailed):
            phone = [p for p in error.problems if p.field == PHONE_PROBLEM]
            others = [p for p in error.problems if p.field != PHONE_PROBLEM]
            if others:
                self.banner.show_message("The letter was not finalised: " + " ".join(p.message for p in others),
                                         Tone.ERROR)  # fmt: skip
            if phone and facts is not None and not others:
                self._ask_for_call(call_tier(self.form.current_kind(), facts) or "urgent", facts, phone[0].message)
            return
        self.banner.show_message(f"The letter was not finalised: {error_text(error)}", Tone.ERROR)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.form.set_editable(not busy)
        self.finalise_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)
        self.status.setText("Finalising: storing the letter…" if busy else "")
        if busy:
            self.scheduler.stop()
        else:
            self.scheduler.resume()

    def _with_stored(self, action: Callable[[StoredLetter, QWidget], None]) -> None:
        if self.stored is not None:
            action(self.stored, self)

    def show_error(self, text: str) -> None:
        self.banner.show_message(text, Tone.ERROR)

    def show_notice(self, text: str) -> None:
        self.banner.clear()
        self.status.setText(text)

    # Closing --------------------------------------------------------------------------------------

    def reject(self) -> None:
        if self._busy:
            return  # a finalise in flight must report back: the letter may have been stored
        if self.stored is None and self.form.typed_anything() and not confirm_discard(self):
            return
        self.scheduler.stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)
