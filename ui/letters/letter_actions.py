"""What can be done with a finalised letter: look at it here, export it to a folder, print it, or open it
in the system's PDF viewer. Each reads the stored PDF through the service with its use, which checks the
bytes against their SHA-256 and audits the look, the export or the print (RELIABILITY.md F1).

The stored bytes are never changed on the way out: an export is the PDF exactly as finalised, written
whole or not at all. File names carry the date, the document and the letter's reference, never the
patient's name: an exported file's name shows in folder listings, e-mail attachments and recent-file lists
that anyone at the screen can read, and the reference finds the letter (and so the patient) in CalfDesk.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QDialog, QFileDialog

from ui.atomic_file import write_bytes_atomically
from ui.letters.finalise_steps import error_text
from ui.tasks import Lane, TaskRunner
from workstation.dates import DateOrder
from workstation.letters.records import StoredLetter

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from ui.letters.letter_view_dialog import LetterViewDialog
    from workstation.services.letters import LetterService

ServiceProvider = Callable[[], "LetterService | None"]
Target = Any  # a QWidget that is a MessageTarget (Python's types cannot say both at once)
# Characters Windows refuses in a file name, and control characters anywhere.
_UNSAFE_IN_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def export_file_name(letter: StoredLetter) -> str:
    """ "2026-12-01 Referral letter to GP CD-1A2B3C4D.pdf": sorts by date, says what it is, finds the letter."""
    day = letter.finalised_at.astimezone().date()
    document = " ".join(_UNSAFE_IN_NAME.sub(" ", letter.kind.label).split())
    return f"{day.isoformat()} {document} {letter.reference}.pdf"


def export_letter(service: LetterService, letter: StoredLetter, folder: Path) -> Path:
    """Runs on the database thread: the stored bytes (audited as an export) written into ``folder``."""
    from workstation.services.letters import LetterUse

    assert letter.id is not None
    target = folder / export_file_name(letter)
    write_bytes_atomically(target, service.pdf(letter.id, use=LetterUse.EXPORT))
    return target


class ViewerCopies:
    """Copies handed to the system's PDF viewer, in a folder only this user can read (mkdtemp: 0700),
    removed when the window closes. A viewer needs a file; the copy is the stored PDF, unchanged."""

    def __init__(self) -> None:
        self._folder: Path | None = None

    def write(self, letter: StoredLetter, pdf: bytes) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="calfdesk-letters-"))
            atexit.register(self.remove)  # also when the window never closes normally
        path = self._folder / export_file_name(letter)
        write_bytes_atomically(path, pdf)
        return path

    def remove(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


class MessageTarget(Protocol):
    """Where an action was asked for, which says how it went beside its own buttons."""

    def show_error(self, text: str) -> None: ...

    def show_notice(self, text: str) -> None: ...


class LetterActions(QObject):
    """Opens, exports, prints and hands letters to the system viewer, off the GUI thread.

    Each action takes ``where`` (a widget that is a ``MessageTarget``): the dialogs it opens are its
    children, and how it went is said there, an expected error (a damaged PDF, a full disk, a locked
    database) in plain words. ``open_url`` is the desktop's; tests give their own.
    """

    def __init__(
        self, service: ServiceProvider, tasks: TaskRunner, date_order: DateOrder, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._order = date_order
        self.copies = ViewerCopies()
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.viewer: LetterViewDialog | None = None  # the letter looked at last (tests look at it)
        self.last_export: Path | None = None
        self.print_dialog: QDialog | None = None

    def _submit(self, work: Callable[[], Any], done: Callable[[Any], None], where: Target, *,
                lane: Lane = Lane.DATABASE) -> None:  # fmt: skip
        self._tasks.submit(work, done=done, failed=lambda error: where.show_error(error_text(error)), context=where,
                           lane=lane)  # fmt: skip

    def view(self, letter: StoredLetter, where: Target) -> None:
        """The in-app preview: the stored PDF (audited as a look), its pages drawn off the GUI thread."""
        from ui.letters.pdf_pages import page_images
        from workstation.services.letters import LetterUse

        service = self._service()
        if service is None or letter.id is None:
            return
        letter_id = letter.id

        def draw(pdf: bytes) -> None:
            self._submit(lambda: page_images(pdf), lambda images: self._show_view(letter, images, where), where,
                         lane=Lane.COMPUTE)  # fmt: skip

        self._submit(lambda: service.pdf(letter_id, use=LetterUse.VIEW), draw, where)

    def _show_view(self, letter: StoredLetter, images: list[QImage], where: Target) -> None:
        from ui.letters.letter_view_dialog import LetterViewDialog

        dialog = LetterViewDialog(letter, images, self, where.window(), date_order=self._order)
        self.viewer = dialog
        dialog.show()
        dialog.activateWindow()

    def export(self, letter: StoredLetter, where: Target) -> None:
        """Ask for a folder, then write the stored PDF there under its export name."""
        folder = QFileDialog.getExistingDirectory(where, "Export the letter to a folder")
        if folder:
            self.export_to(letter, Path(folder), where)

    def export_to(self, letter: StoredLetter, folder: Path, where: Target) -> None:
        service = self._service()
        if service is not None:
            self._submit(lambda: export_letter(service, letter, folder), lambda path: self._exported(path, where),
                         where)  # fmt: skip

    def _exported(self, path: Path, where: Target) -> None:
        self.last_export = path
        where.show_notice(f"Exported to {path}")

    def print(self, letter: StoredLetter, where: Target) -> None:
        """The system print dialog (opened, not run: the window keeps working), then the stored PDF's pages
        drawn onto the printer's."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{letter.title} {letter.reference}")  # a print queue is public: no name
        dialog = QPrintDialog(printer, where)
        dialog.setObjectName("letterPrintDialog")
        dialog.setWindowTitle("Print the letter")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.print_on(letter, printer, where))
        self.print_dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)  # what QDialog.open() does; QPrintDialog
        dialog.show()  # hides that open() behind one that needs a receiver

    def print_on(self, letter: StoredLetter, printer: QPrinter, where: Target) -> None:
        """Read the stored PDF (audited as a print), then print it on the COMPUTE lane (PDFium's)."""
        from ui.letters.pdf_pages import print_pdf
        from workstation.services.letters import LetterUse

        service = self._service()
        if service is None or letter.id is None:
            return
        letter_id = letter.id

        def printed(pages: int) -> None:
            where.show_notice(f"Sent {pages} page{'s' if pages != 1 else ''} to the printer.")

        def send(pdf: bytes) -> None:
            self._submit(lambda: print_pdf(pdf, printer), printed, where, lane=Lane.COMPUTE)

        self._submit(lambda: service.pdf(letter_id, use=LetterUse.PRINT), send, where)

    def open_in_system_viewer(self, letter: StoredLetter, where: Target) -> None:
        """A private copy of the stored PDF, opened by the desktop's PDF viewer. Audited as an export: the
        bytes leave CalfDesk for another program, which may keep them."""
        from workstation.services.letters import LetterUse

        service = self._service()
        if service is None or letter.id is None:
            return
        letter_id, copies = letter.id, self.copies
        self._submit(lambda: copies.write(letter, service.pdf(letter_id, use=LetterUse.EXPORT)),
                     lambda path: self._open_copy(path, where), where)  # fmt: skip

    def _open_copy(self, path: Path, where: Target) -> None:
        if self.open_url(QUrl.fromLocalFile(str(path))):
            where.show_notice("Opened in the system's PDF viewer.")
        else:
            where.show_error("No program to open PDF files was found. Export the letter instead.")
