"""The letter dialog's amber strip of what the letter would print without: shown from the real settings,
following the To fields as they are typed, listed again before finalising, and never blocking it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.assessment.desk import Desk
from tests.ui.letters.letter_desk import finalise_assessment, letter_desk, open_letter_dialog, pdf_text, stored_pdf
from ui.letters.gap_notice import NOT_BLOCKING
from ui.letters.letter_dialog import LetterDialog
from ui.theme import Tone
from workstation.clinical.country import Country
from workstation.letters.records import LetterKind
from workstation.ports import ClinicStore

NAME_GAP = "Not set: the clinic's name (Admin › Clinic settings)"
ADDRESS_GAP = "Not set: the clinic's address (Admin › Clinic settings)"
REGISTRATION_GAP = "Not set: your registration body and number (File › My letter details)"
COUNTRY_GAP = "Not set: the clinic's country (Admin › Clinic settings: the letter gives every emergency number)"
RECIPIENT_GAP = "Not set: who the letter is to"
NHS_GAP = "Not set: the patient's NHS number (Patient › Edit patient)"
AT = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.fixture
def desk(qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]) -> Desk:
    return letter_desk(qtbot, open_store(), today)


def complete_the_letterhead(desk: Desk) -> None:
    """Everything a UK letter prints, set through the services the settings dialogs use."""
    session = desk.session
    session.clinic_settings.set_details(session.actor, name="Riverside Physiotherapy",
                                        address="12 Mill Lane\nBath BA2 4QR")  # fmt: skip
    session.clinic_settings.set_country(session.actor, Country.UK)
    profile = session.letters.clinician_profile()
    session.letters.save_clinician_profile(replace(profile, registration_body="HCPC", registration_number="PH123456"),
                                           at=AT)  # fmt: skip
    desk.patient = desk.store.patients.update(desk.patient.with_changes(nhs_number="9434765919"))


def strip_lines(dialog: LetterDialog) -> list[str]:
    return dialog.gaps_banner.text.splitlines() if dialog.gaps_banner.isVisible() else []


def confirmation(qtbot: QtBot, dialog: LetterDialog) -> QMessageBox:
    dialog.finalise_button.click()
    qtbot.waitUntil(lambda: dialog.confirmation is not None and dialog.confirmation.isVisible(), timeout=5_000)
    box = dialog.confirmation
    assert box is not None
    return box


def test_a_new_clinics_letter_says_in_amber_what_it_prints_without(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    assert dialog.gaps_banner.tone is Tone.WARNING and not dialog.gaps_banner.close_button.isVisible()
    assert strip_lines(dialog) == [NAME_GAP, ADDRESS_GAP, REGISTRATION_GAP, COUNTRY_GAP, NOT_BLOCKING]
    layout = dialog.layout()
    assert layout.indexOf(dialog.gaps_banner) == layout.indexOf(dialog.tier_banner) + 1  # under the urgency strip


def test_a_complete_letterhead_shows_no_strip(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    complete_the_letterhead(desk)
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    assert not dialog.gaps_banner.isVisible() and dialog.gaps() == ()


def test_the_strip_follows_the_to_fields_as_they_are_typed(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    complete_the_letterhead(desk)
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    form = dialog.form
    for field in (form.recipient_name, form.practice):
        field.clear()
    assert not dialog.gaps_banner.isVisible()  # the address alone still says where it goes
    form.address.clear()
    assert dialog.gaps_banner.isVisible() and strip_lines(dialog)[0].startswith(RECIPIENT_GAP)
    assert "Patient › Edit patient" in strip_lines(dialog)[0]
    qtbot.keyClicks(form.practice, "Riverside Surgery")
    assert not dialog.gaps_banner.isVisible()


def test_a_handout_asks_for_no_recipient_or_nhs_number(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    complete_the_letterhead(desk)
    desk.patient = desk.store.patients.update(desk.patient.with_changes(nhs_number=""))
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    dialog.form.address.clear()
    dialog.form.recipient_name.clear()
    dialog.form.practice.clear()
    assert strip_lines(dialog)[:2] == [
        "Not set: who the letter is to (the To fields, or the patient's GP details in Patient › Edit patient)", NHS_GAP,
    ]  # fmt: skip
    form = dialog.form
    form.kind.setCurrentIndex(form.kind.findData(LetterKind.HANDOUT.value))
    assert not dialog.gaps_banner.isVisible()


def test_the_confirmation_lists_the_gaps_and_finalising_is_not_blocked(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    box = confirmation(qtbot, dialog)
    text = box.text()
    assert "Not set, so the letter prints without it:" in text
    for what in ("the clinic's name", "the clinic's address", "your registration body and number",
                 "the clinic's country"):  # fmt: skip
        assert f"• {what} (" in text
    assert text.index("prints without it") < text.index("cannot be changed")
    finalise = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    finalise.click()
    qtbot.waitUntil(lambda: dialog.stored is not None, timeout=20_000)
    assert dialog.stored is not None and dialog.stored.id is not None
    assert "Findings" in pdf_text(stored_pdf(desk, dialog.stored.id))


def test_a_complete_letters_confirmation_has_no_gap_list(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    complete_the_letterhead(desk)
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    assert "Not set" not in confirmation(qtbot, dialog).text()


def test_an_urgent_letters_phone_call_lists_the_gaps(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    """For an urgent letter the phone call is the last step before it is stored: the gaps are said there."""
    finalise_assessment(desk, today(), dvt=True)
    dialog = open_letter_dialog(qtbot, desk)
    dialog.finalise_button.click()
    qtbot.waitUntil(lambda: dialog.phone_dialog is not None and dialog.phone_dialog.isVisible(), timeout=5_000)
    call = dialog.phone_dialog
    assert call is not None and call.gaps_note.isVisible()
    assert "• the clinic's name (Admin › Clinic settings)" in call.gaps_note.text()


def test_a_care_plan_report_in_the_uk_is_noted_not_refused(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    complete_the_letterhead(desk)
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    form = dialog.form
    form.kind.setCurrentIndex(form.kind.findData(LetterKind.CARE_PLAN_REPORT.value))
    lines = strip_lines(dialog)
    assert len(lines) == 1 and "Australian funded care plans" in lines[0] and "the United Kingdom" in lines[0]
    assert not lines[0].startswith("Not set")
    assert "Note: This report is for Australian funded care plans" in confirmation(qtbot, dialog).text()
