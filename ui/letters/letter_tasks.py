"""The letter dialog's work off the GUI thread, and the preview's timing.

Reading the facts and finalising go to the DATABASE lane (the session is used by one thread only). The
preview (compose, render with ReportLab, draw the pages with PDFium) goes to the COMPUTE lane: one thread,
so PDFium never runs twice at once, and the window's database work never waits behind a preview.

``PreviewScheduler`` waits until typing pauses (``PREVIEW_DELAY_MS``), keeps at most one preview in
flight, and after it one more with whatever was typed meanwhile: the pages always catch up with the words,
and a fast typist never queues a backlog of stale previews.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ui.tasks import Lane, TaskRunner
from workstation.errors import CalfDeskError

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from workstation.letters.document import Banner, Letter, RenderedLetter
    from workstation.letters.records import LetterFacts, LetterKind, LetterRequest, PhoneCall, StoredLetter
    from workstation.services.letters import LetterService

PREVIEW_DELAY_MS = 300  # after the last keystroke: long enough to finish a word, short enough to feel live


@dataclass(frozen=True, slots=True)
class Preview:
    """The real pages of the letter as it stands: what finalising would store (bar the phone call)."""

    kind: LetterKind
    banner: Banner | None
    pages: int
    images: tuple[QImage, ...]


def read_facts(service: LetterService, patient_id: int, assessment_id: int | None, today: date) -> LetterFacts:
    """Runs on the database thread: everything the letter is written from (the look is audited)."""
    return service.facts(patient_id, assessment_id=assessment_id, today=today)


def preview_of(service: LetterService, request: LetterRequest, facts: LetterFacts, dpi: float) -> Preview:
    """Runs on the COMPUTE lane: compose, render, draw. Pure work on plain data: no database."""
    from reports.letters import render_letter
    from ui.letters.pdf_pages import page_images

    letter = service.compose(request, facts)
    rendered = render_letter(letter)
    return Preview(request.kind, letter.banner, rendered.pages, tuple(page_images(rendered.pdf, dpi=dpi)))


def finalise_letter(
    service: LetterService, request: LetterRequest, facts: LetterFacts, call: PhoneCall | None, at: datetime
) -> tuple[StoredLetter, bytes]:
    """Runs on the database thread: store the letter as rendered now, with its hash, author and call.

    Returns the stored letter and the PDF the service rendered for it (the very bytes stored, with the
    phone call in them), so the dialog can show the stored pages without reading them back.
    """
    import hashlib

    from reports.letters import render_letter

    rendered: list[RenderedLetter] = []

    def render(letter: Letter) -> RenderedLetter:
        rendered.append(render_letter(letter))
        return rendered[-1]

    stored = service.finalise(request, replace(facts, phone_call=call), render=render, at=at)
    pdf = rendered[-1].pdf if rendered else b""
    # Idempotent on the uid: a retry after a lost commit returns the first letter, not these bytes.
    return stored, pdf if hashlib.sha256(pdf).hexdigest() == stored.sha256 else b""


def stored_pages(pdf: bytes, dpi: float) -> tuple[QImage, ...]:
    """Runs on the COMPUTE lane: the stored letter's pages."""
    from ui.letters.pdf_pages import page_images

    return tuple(page_images(pdf, dpi=dpi))


class PreviewScheduler(QObject):
    """Debounced previews on the COMPUTE lane, at most one in flight. ``make_work`` is called on the GUI
    thread when a preview starts and returns the work for the lane (a snapshot of the request)."""

    preview_ready = Signal(object)  # a Preview
    preview_failed = Signal(object)  # a CalfDeskError
    running_changed = Signal(bool)

    def __init__(
        self,
        tasks: TaskRunner,
        make_work: Callable[[], Callable[[], Any] | None],
        parent: QObject | None = None,
        *,
        delay_ms: int = PREVIEW_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._make_work = make_work
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._running = False
        self._again = False
        self._stopped = False
        self.completed = 0  # previews delivered (tests wait on it)

    @property
    def running(self) -> bool:
        return self._running

    @property
    def pending(self) -> bool:
        """A preview is waiting for typing to pause, or in flight, or due straight after."""
        return self._timer.isActive() or self._running or self._again

    def schedule(self) -> None:
        """Something changed: preview once typing pauses."""
        if not self._stopped:
            self._timer.start()

    def start_now(self) -> None:
        self._timer.stop()
        self._on_timer_timeout()

    def stop(self) -> None:
        """No more previews (finalising, finalised or closing); one in flight is dropped on arrival."""
        self._stopped = True
        self._timer.stop()
        self._again = False

    def resume(self) -> None:
        self._stopped = False

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self._stopped:
            return
        if self._running:
            self._again = True
            return
        work = self._make_work()
        if work is None:
            return
        self._set_running(True)
        self._tasks.submit(work, done=self._on_done, failed=self._on_failed, context=self, lane=Lane.COMPUTE)

    def _on_done(self, preview: object) -> None:
        self._finished()
        if not self._stopped:
            self.completed += 1
            self.preview_ready.emit(preview)
        self._next()

    def _on_failed(self, error: CalfDeskError) -> None:
        self._finished()
        if not self._stopped:
            self.preview_failed.emit(error)
        self._next()

    def _finished(self) -> None:
        self._set_running(False)

    def _next(self) -> None:
        if self._again and not self._stopped:
            self._again = False
            self._on_timer_timeout()

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.running_changed.emit(running)
