"""Reading rendered PDFs back for assertions: text per page (pypdf), whitespace normalised."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Run:
    """One piece of text as drawn: its page (from 0), where it starts (points from the bottom left), its size."""

    page: int
    x: float
    y: float
    size: float
    text: str


def text_runs(pdf: bytes) -> list[Run]:
    """Every non-blank piece of text with its position and printed size, page by page."""
    runs: list[Run] = []
    for number, page in enumerate(reader(pdf).pages):

        def remember(text: str, cm: list[float], tm: list[float], _font: object, size: float, at: int = number) -> None:
            if text.strip():
                x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append(Run(at, x, y, size * tm[3], text.strip()))

        page.extract_text(visitor_text=remember)
    return runs


def run_of(runs: list[Run], start: str) -> Run:
    """The first run that starts with ``start``."""
    found = [run for run in runs if run.text.startswith(start)]
    assert found, f"no text starts with {start!r}"
    return found[0]
