"""Reading rendered PDFs back for assertions: text per page (pypdf), whitespace normalised."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """Each page's extracted text with runs of whitespace (line breaks included) made one space."""
    return [squeeze(page.extract_text()) for page in reader(pdf).pages]


def all_text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def squeeze(text: str) -> str:
    return " ".join(text.split())


def logical(text: str) -> str:
    """Right-to-left text compared by its letters: Arabic presentation forms folded back (NFKC), no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).split())
