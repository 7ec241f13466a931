"""Letters cost nothing at start-up: ReportLab, PDFium and the letter dialog load when a letter is first made
(the app's own HEAVY list in tests/ui/test_app.py covers ReportLab; this adds what letters bring)."""

from __future__ import annotations

from tests import dbkit
from tests.ui import test_app
from tests.ui.conftest import SAMPLE_PATIENTS

LETTER_HEAVY = ("reportlab", "pypdfium2", "pypdf", "PySide6.QtPrintSupport", "ui.letters.letter_dialog",
                "ui.letters.pdf_pages", "workstation.letters.compose")  # fmt: skip


def test_nothing_of_the_letters_loads_before_the_first_paint(db_url: str, monkeypatch: object) -> None:
    store = dbkit.open_store(db_url)
    store.patients.add_many(SAMPLE_PATIENTS)
    store.close()
    monkeypatch.setattr(test_app, "HEAVY", LETTER_HEAVY)  # type: ignore[attr-defined]
    result = test_app.run_app(db_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "heavy="
