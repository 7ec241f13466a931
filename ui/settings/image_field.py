"""A small picture chosen from a file (the clinic's logo, a clinician's signature): preview, choose, remove.

The file is checked as soon as it is chosen, so a wrong one is refused beside the field and the picture
shown before stays: it must be a PNG or a JPEG of at most 1 MB (the service's own rules, in
``letterhead_rules``) that Qt can decode. The service checks again when the form is saved; an image it
refuses comes back here as a problem of this field. The thumbnail is shown on paper, as it prints
(``paper_preview``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, Signal, Slot
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.settings.paper_preview import PaperPreviewLabel
from ui.widgets.field_message import FieldMessageLabel
from workstation.problems import Problem
from workstation.services.letterhead_rules import IMAGE_MAX_BYTES, image_kind

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg);;All files (*)"
NO_IMAGE_TEXT = "No image"
UNREADABLE_TEXT = "Cannot show\nthis image"

ChooseImage = Callable[[QWidget, str], Path | None]


def ask_for_image(parent: QWidget, title: str) -> Path | None:
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, str(Path.home()), IMAGE_FILTER)
    return Path(chosen) if chosen else None


def image_problem(name: str, content: bytes) -> str | None:
    """What is wrong with ``content`` (read from the file ``name``) as a letter image, or None if nothing."""
    if len(content) > IMAGE_MAX_BYTES:
        size = len(content) / (1024 * 1024)
        return f"{name} is {size:.1f} MB: choose a PNG or JPEG of 1 MB or less."
    if image_kind(content) is None:
        return f"{name} is not a PNG or JPEG image: choose one of those."
    if QImage.fromData(QByteArray(content)).isNull():
        return f"{name} could not be read as a picture (the file may be damaged): choose another."
    return None


def note_label(text: str) -> QLabel:
    """A line that explains a field (what file to choose, what is printed), in the palette's quieter colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class ImageFieldWidget(QWidget):
    """The image held (``content``), its thumbnail, the two buttons and the message line under them."""

    changed = Signal()

    def __init__(
        self,
        *,
        choose_text: str,
        remove_text: str,
        dialog_title: str,
        thumbnail: QSize,
        choose_file: ChooseImage = ask_for_image,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._content: bytes | None = None
        self._choose_file = choose_file
        self._dialog_title = dialog_title
        self.preview = PaperPreviewLabel(thumbnail)
        self.preview.setObjectName("imagePreview")
        self.choose_button = QPushButton(choose_text)
        self.choose_button.setObjectName("chooseImageButton")
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.remove_button = QPushButton(remove_text)
        self.remove_button.setObjectName("removeImageButton")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.message = FieldMessageLabel()
        self.message.setObjectName("imageMessage")
        self._build()
        self._show_content()

    def _build(self) -> None:
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(buttons)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.message)

    @property
    def content(self) -> bytes | None:
        return self._content

    def set_content(self, content: bytes | None) -> None:
        """Show a stored image (or none); forgets any message."""
        self._content = content
        self.message.clear_message()
        self._show_content()

    def load_file(self, path: Path) -> bool:
        """Take the image in ``path`` if it is a fit one; otherwise say why beside the field and keep the old."""
        try:
            content = path.read_bytes()
        except OSError as error:
            self.show_problem(Problem("image", f"Cannot read {path.name}: {error.strerror or error}."))
            return False
        problem = image_problem(path.name, content)
        if problem is not None:
            kept = " The image shown is kept." if self._content is not None else ""
            self.show_problem(Problem("image", problem + kept))
            return False
        self.set_content(content)
        self.changed.emit()
        return True

    def show_problem(self, problem: Problem) -> None:
        self.message.show_problem(problem)
        self.choose_button.setAccessibleDescription(problem.message)

    def clear_message(self) -> None:
        self.message.clear_message()
        self.choose_button.setAccessibleDescription("")

    def set_editable(self, editable: bool) -> None:
        self.choose_button.setEnabled(editable)
        self.remove_button.setEnabled(editable and self._content is not None)

    def _show_content(self) -> None:
        self.remove_button.setEnabled(self._content is not None and self.choose_button.isEnabled())
        image = QImage.fromData(QByteArray(self._content)) if self._content is not None else QImage()
        if image.isNull():  # none, or a stored image Qt cannot read: say so rather than show an empty frame
            text = NO_IMAGE_TEXT if self._content is None else UNREADABLE_TEXT
            self.preview.show_text(text)
            self.preview.setAccessibleName(text)
            return
        self.preview.show_image(image)
        self.preview.setAccessibleName(f"Image chosen, {image.width()} × {image.height()} pixels")

    @Slot()
    def _on_choose_clicked(self) -> None:
        path = self._choose_file(self, self._dialog_title)
        if path is not None:
            self.load_file(path)

    @Slot()
    def _on_remove_clicked(self) -> None:
        self.set_content(None)
        self.changed.emit()
