"""Finalising letters and writing their stored PDFs to files: one letter, or one per patient of a batch.

Qt-free (the command line uses it; a squad's letters, issue 9, will too). Every letter is the one the
letter dialog opens with: ``default_request`` (the default sections, the recipient from the patient's GP,
the text from the record), finalised through the letter service, so it is stored immutable with its
SHA-256 and author and audited; then its stored bytes are read back (audited as an export) and written
whole or not at all, so a file is exactly what the record keeps.

A batch renders its letters ahead in worker processes (``ui.letter_pool``) while it reads the next
patients' facts, and stores, audits, writes and reports them one by one in the order given; the letterhead
and the clinician's details are read once for it. One letter renders in the calling process.

The phone call an urgent or emergency letter needs (CLINICAL.md 9.1 "Urgent tiers") is the service's rule:
a call made is put on the letter; a reason why no call was made only on letters the service asks a call
for, since on any other it would print a sentence about a call nobody needed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ui.atomic_file import write_bytes_atomically
from workstation.errors import CalfDeskError, ValidationFailed

if TYPE_CHECKING:
    from datetime import date

    from ui.letter_pool import LetterRenderer, Rendering
    from workstation.letters.document import Letter, RenderedLetter
    from workstation.letters.records import LetterFacts, LetterKind, LetterRequest, PhoneCall, StoredLetter
    from workstation.services.letters import ReadyLetter, SharedFacts
    from workstation.services.session import ClinicSession

PHONE_CALL_FIELD = "phone_call"  # the Problem field of the letter service's phone-call refusal


@dataclass(frozen=True, slots=True)
class LetterOrder:
    """What every letter of one command asks for (a batch adds only the patients)."""

    kind: LetterKind
    assessment_id: int | None = None  # None: each patient's latest assessment
    phone_call: PhoneCall | None = None  # a call made: recorded on the letter
    not_called: str | None = None  # why no call was made: recorded only where a call is needed


@dataclass(frozen=True, slots=True)
class WrittenLetter:
    path: Path
    stored: StoredLetter


@dataclass(slots=True)
class BatchResult:
    written: list[WrittenLetter] = field(default_factory=list)
    failed: list[tuple[int, CalfDeskError]] = field(default_factory=list)  # by patient id
    not_tried: int = 0  # patients left when a failure stopped the batch (each would have failed the same way)


def write_letter(
    session: ClinicSession,
    order: LetterOrder,
    patient_id: int,
    target: Callable[[LetterRequest], Path],
    *,
    today: date,
) -> WrittenLetter:
    """Finalise ``order``'s letter for one patient and write the stored PDF to ``target(request)``.

    ``target`` may refuse (raise) before anything is stored: it sees the request, reference included.

    Raises:
        CalfDeskError: the patient is not there, the role does not allow it, the file cannot be written
            (the letter is then stored, and the message gives its reference).
        ValidationFailed: the letter service refused it: an assessment not of this patient (field
            ``assessment_id``), an urgent letter without the phone call (``phone_call``); nothing was stored.
    """
    from ui.letter_pool import InProcessRenderer

    return _stored_and_written(session, _prepared(session, order, patient_id, target, today, InProcessRenderer()))


@dataclass(frozen=True, slots=True)
class _Prepared:
    """One patient's letter, checked and handed to a renderer, waiting to be finalised and written."""

    ready: ReadyLetter
    path: Path
    rendering: Rendering

    def rendered(self, letter: Letter) -> RenderedLetter:
        """The render function ``finalise_ready`` is given: it renders ``ready.letter``, rendered ahead."""
        if letter is not self.ready.letter:
            raise ValueError("finalise_ready renders the letter it was given ready")
        return self.rendering()


def _prepared(
    session: ClinicSession,
    order: LetterOrder,
    patient_id: int,
    target: Callable[[LetterRequest], Path],
    today: date,
    renderer: LetterRenderer,
    shared: SharedFacts | None = None,
) -> _Prepared:
    """Read the patient's facts, check the letter as ``finalise`` will, and start rendering it."""
    from workstation.letters.sections import default_request

    facts = session.letters.facts(patient_id, assessment_id=order.assessment_id, today=today, shared=shared)
    if order.phone_call is not None:
        facts = replace(facts, phone_call=order.phone_call)
    request = default_request(order.kind, facts)
    path = target(request)
    ready = _ready(session, order, request, facts)
    return _Prepared(ready, path, renderer.submit(ready.letter))


def _ready(session: ClinicSession, order: LetterOrder, request: LetterRequest, facts: LetterFacts) -> ReadyLetter:
    """The letter checked, with why no call was made where a call is needed and ``order`` says why."""
    from workstation.letters.records import PhoneCall

    try:
        return session.letters.ready(request, facts)
    except ValidationFailed as refused:
        if order.not_called is None or facts.phone_call is not None or not wants_phone_call(refused):
            raise
    not_called = PhoneCall(None, not_called_reason=order.not_called)
    return session.letters.ready(request, replace(facts, phone_call=not_called))


def _stored_and_written(session: ClinicSession, prepared: _Prepared) -> WrittenLetter:
    """Finalise the prepared letter, read the stored bytes back (audited as an export) and write them."""
    from workstation.services.letters import LetterUse

    stored = session.letters.finalise_ready(prepared.ready, render=prepared.rendered, at=datetime.now(UTC))
    pdf = session.letters.stored_pdf(stored, use=LetterUse.EXPORT)  # read back: the file is what is stored
    try:
        write_bytes_atomically(prepared.path, pdf)
    except CalfDeskError as error:
        raise CalfDeskError(
            f"Letter {stored.reference} was finalised and stored, but not written: {error.message}",
            hint="Export it again from the patient's letters.",
        ) from None
    return WrittenLetter(prepared.path, stored)


def wants_phone_call(refused: ValidationFailed) -> bool:
    """Whether the letter service refused a letter for want of the phone call."""
    return any(problem.field == PHONE_CALL_FIELD for problem in refused.problems)


def describe(stored: StoredLetter) -> str:
    """ "2 pages, SHA-256 3f2a9c0d41b7e6aa…, reference CD-1A2B3C4D" """
    pages = "1 page" if stored.page_count == 1 else f"{stored.page_count} pages"
    return f"{pages}, SHA-256 {stored.sha256[:16]}…, reference {stored.reference}"


def letter_file_name(request: LetterRequest) -> str:
    """ "12 gp-referral CD-1A2B3C4D.pdf": the id, the template and the reference; never the patient's name."""
    return f"{request.patient_id} {request.kind.value} {request.reference}.pdf"


def write_batch(
    session: ClinicSession,
    order: LetterOrder,
    patient_ids: Sequence[int],
    folder: Path,
    *,
    today: date,
    progress: Callable[[int, int], None] | None = None,
    failed: Callable[[int, CalfDeskError], None] | None = None,
    workers: int | None = None,
) -> BatchResult:
    """One letter per patient into ``folder`` (``letter_file_name``), going on past a patient that fails.

    A failure that every later patient would meet as well (the role may not write letters, the disk or the
    database is gone) stops the batch there, rather than repeating it for every patient left.

    The letters are finalised, written and reported in the order of ``patient_ids``, one at a time, as
    ``write_letter`` does; meanwhile the next few are read and rendered ahead (``ui.letter_pool``).

    Args:
        progress: called with (done, failed so far) after each patient.
        failed: told of each failure as it happens, by patient id.
        workers: processes to render in; None: one per core for a long enough batch; 0: this process.
    """
    from ui.letter_pool import letter_renderer

    batch = _Batch(BatchResult(), len(patient_ids), progress, failed)
    target = _new_in(folder)
    shared: SharedFacts | None = None  # read with the first patient's facts, so its failure is that patient's
    with letter_renderer(len(patient_ids), workers) as renderer:
        waiting: deque[tuple[int, int, _Prepared | Exception]] = deque()
        for index, patient_id in enumerate(patient_ids):
            try:
                shared = shared or session.letters.shared_facts()
                waiting.append((index, patient_id, _prepared(session, order, patient_id, target, today, renderer,
                                                             shared)))  # fmt: skip
            except Exception as error:  # noqa: BLE001  raised in its turn, after the patients before it are stored
                waiting.append((index, patient_id, error))
                if not isinstance(error, CalfDeskError) or stops_batch(error):
                    break
            while len(waiting) > renderer.ahead:
                if not batch.settle(session, *waiting.popleft()):
                    return batch.result
        while waiting:
            if not batch.settle(session, *waiting.popleft()):
                break
    return batch.result


@dataclass(slots=True)
class _Batch:
    """A batch's result so far, and whom to tell of each patient settled."""

    result: BatchResult
    total: int
    progress: Callable[[int, int], None] | None
    failed: Callable[[int, CalfDeskError], None] | None

    def settle(self, session: ClinicSession, index: int, patient_id: int, step: _Prepared | Exception) -> bool:
        """Store and write one patient's letter, or report why not; False if the batch stops here."""
        try:
            if isinstance(step, Exception):
                raise step
            self.result.written.append(_stored_and_written(session, step))
        except CalfDeskError as error:
            self.result.failed.append((patient_id, error))
            if self.failed is not None:
                self.failed(patient_id, error)
            if stops_batch(error):
                self.result.not_tried = self.total - index - 1
                return False
        if self.progress is not None:
            self.progress(len(self.result.written) + len(self.result.failed), len(self.result.failed))
        return True


def _new_in(folder: Path) -> Callable[[LetterRequest], Path]:
    def target(request: LetterRequest) -> Path:
        path = folder / letter_file_name(request)
        if path.exists():  # references are random: a file of that name was put there by hand
            raise CalfDeskError(f"{path.name} already exists in {folder}; nothing was stored.")
        return path

    return target


def stops_batch(error: CalfDeskError) -> bool:
    """Whether every later patient of a batch would fail the same way."""
    from workstation.errors import (
        AuthenticationFailed,
        DamagedDatabase,
        DatabaseLocked,
        DatabaseUnavailable,
        PermissionDenied,
    )

    if isinstance(error, DatabaseLocked):
        return False  # another workstation's long write: the next patient may well go through
    return isinstance(error, PermissionDenied | AuthenticationFailed | DatabaseUnavailable | DamagedDatabase)
