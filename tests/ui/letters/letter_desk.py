"""A clinician's window on a real database with a patient ready for letters: a GP on record and, when asked,
finalised assessments (an overload strain, or a suspected DVT that makes the letter urgent).

Everything goes through the real services and the real renderer; the PDFs are read back with pypdf.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from tests.ui.assessment.desk import Desk, make_desk, show_patient
from tests.workstation.assessment.test_summary_lines import document
from ui.letters.letter_dialog import LetterDialog
from ui.patients.patient_view import LETTERS_TAB
from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.plan import plan_for
from workstation.assessment.records import AssessmentRecord
from workstation.ports import ClinicStore
from workstation.records import GeneralPractitioner

GP = GeneralPractitioner(
    name="Dr Amara Singh", practice="Riverside Surgery", address="1 Mill Lane\nRiverside\nRV1 2AB", phone="01632 960123"
)
DVT_ACTION = "Phoned the practice; same-day DVT clinic booked"


def letter_desk(qtbot: QtBot, store: ClinicStore, today: Callable[[], date]) -> Desk:
    """The owner logged in; the patient Ada Runner has Dr Singh as GP (set before the window shows her)."""
    desk = make_desk(qtbot, store, today)
    patient = store.patients.update(desk.patient.with_changes(gp=GP))
    desk.patient = patient
    return desk


def finalise_assessment(desk: Desk, on: date, *, dvt: bool = False, impression: str = "overload") -> AssessmentRecord:
    """A finalised assessment of the desk's episode (a suspected DVT, with its action, when ``dvt``)."""
    doc: dict[str, Any] = document(dvt_suspected=True) if dvt else document()
    doc["assessed_on"] = on.isoformat()
    detail: dict[str, Any] = {"impression": {"condition": impression}, "plan": plan_for(impression).as_detail()}
    if dvt:  # calf loading stops: the DVT pathway has no exercises
        detail = {"impression": {"condition": "dvt"}, "plan": plan_for("dvt_referral").as_detail(),
                  "red_flag_actions": {"dvt": DVT_ACTION}}  # fmt: skip
    draft = AssessmentDraft(desk.patient_id, desk.episode_id, doc, detail)
    at = datetime(on.year, on.month, on.day, 10, tzinfo=UTC)
    return desk.session.assessments.finalise(draft, today=on, country=None, at=at)


def open_letter_dialog(qtbot: QtBot, desk: Desk) -> LetterDialog:
    """The patient shown, Ctrl+Shift+L: the dialog with the record read and the first preview drawn."""
    show_patient(qtbot, desk)
    desk.window.new_letter_action.trigger()
    letters = desk.window.letters
    qtbot.waitUntil(lambda: letters.dialog is not None and letters.dialog.isVisible(), timeout=10_000)
    dialog = letters.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.form.facts is not None, timeout=10_000)
    wait_preview(qtbot, dialog)
    return dialog


def wait_preview(qtbot: QtBot, dialog: LetterDialog) -> None:
    """Until the preview shows the form as it stands now (nothing waiting, nothing in flight)."""
    qtbot.waitUntil(lambda: not dialog.scheduler.pending and dialog.preview is not None, timeout=20_000)


def open_letters_tab(qtbot: QtBot, desk: Desk) -> Any:
    view = desk.window.patient_view
    view.tabs.setCurrentIndex(LETTERS_TAB)
    letters = desk.window.letters
    qtbot.waitUntil(lambda: letters.letter_list is not None, timeout=10_000)
    return letters.letter_list


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with every run of white space (line breaks included) one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def says(text: str, words: str) -> bool:
    """``words`` appear in ``text``, ignoring the case of the first letter (a sentence may start lower-case)."""
    return words in text or (words[:1].lower() + words[1:]) in text


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def stored_pdf(desk: Desk, letter_id: int) -> bytes:
    """The stored bytes as the repository holds them (the test's own look, not through the service)."""
    return bytes(desk.store.letters.pdf(letter_id))
