"""The letter dialog in the real window, on a real database, with the real renderer: prefilled from the
record, sections ticked in and out, the live preview, and finalising (with the phone call when urgent)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.assessment.desk import Desk
from tests.ui.letters.letter_desk import (
    DVT_ACTION,
    GP,
    finalise_assessment,
    letter_desk,
    open_letter_dialog,
    pdf_pages,
    pdf_text,
    says,
    stored_pdf,
    wait_preview,
)
from ui.letters.letter_dialog import LetterDialog
from ui.letters.phone_call_dialog import PhoneCallDialog
from workstation.letters.records import LetterKind, SectionKey
from workstation.ports import ClinicStore


@pytest.fixture
def desk(qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]) -> Desk:
    return letter_desk(qtbot, open_store(), today)


def confirm(qtbot: QtBot, dialog: LetterDialog) -> None:
    """Answer "Finalise" in the confirmation box the dialog opened."""
    qtbot.waitUntil(lambda: dialog.confirmation is not None and dialog.confirmation.isVisible(), timeout=5_000)
    box = dialog.confirmation
    assert box is not None
    finalise = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    finalise.click()


def finalised(qtbot: QtBot, dialog: LetterDialog) -> int:
    qtbot.waitUntil(lambda: dialog.stored is not None, timeout=20_000)
    assert dialog.stored is not None and dialog.stored.id is not None
    return dialog.stored.id


def test_the_recipient_is_prefilled_from_the_patients_gp(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    form = dialog.form
    assert form.current_kind() is LetterKind.GP_REFERRAL
    assert form.recipient_name.text() == GP.name
    assert form.practice.text() == GP.practice
    assert form.address.toPlainText() == GP.address
    assert form.chosen_assessment_id() is not None
    assert dialog.pages.page_count >= 1


def test_unticking_a_section_leaves_it_out_of_the_finalised_pdf(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    goals = dialog.form.sections.boxes[SectionKey.GOALS]
    assert goals.isChecked() and goals.isEnabled()
    goals.click()
    wait_preview(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    confirm(qtbot, dialog)
    text = pdf_text(stored_pdf(desk, finalised(qtbot, dialog)))
    assert "Findings" in text
    assert "concerns and goals" not in text.lower()


def test_a_raised_red_flag_section_is_locked_on_and_says_why(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    finalise_assessment(desk, today(), dvt=True)
    dialog = open_letter_dialog(qtbot, desk)
    box = dialog.form.sections.boxes[SectionKey.RED_FLAGS]
    assert box.isChecked() and not box.isEnabled()
    reason = dialog.form.sections.reasons[SectionKey.RED_FLAGS]
    assert box.toolTip() and box.toolTip() in reason.text()
    box.click()  # a disabled box does not change
    assert box.isChecked() and SectionKey.RED_FLAGS in dialog.form.sections.ticked()


def test_the_preview_shows_the_real_number_of_pages(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    finalise_assessment(desk, today() - timedelta(days=14))
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    shown = dialog.pages.page_count
    assert shown == dialog.preview.pages >= 1
    assert f"{shown} page" in dialog.page_count.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    confirm(qtbot, dialog)
    letter_id = finalised(qtbot, dialog)
    assert pdf_pages(stored_pdf(desk, letter_id)) == shown == dialog.stored.page_count
    assert dialog.result_text.text().startswith(f"Finalised: stored with SHA-256 {dialog.stored.sha256[:12]}…")


def test_an_urgent_letter_asks_for_the_phone_call_and_prints_it(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    from workstation.clinical.country import Country

    desk.session.clinic_settings.set_country(desk.session.actor, Country.UK)
    finalise_assessment(desk, today(), dvt=True)
    dialog = open_letter_dialog(qtbot, desk)
    assert dialog.tier_banner.isVisible() and "URGENT" in dialog.tier_banner.text.upper()
    dialog.finalise_button.click()
    qtbot.waitUntil(lambda: dialog.phone_dialog is not None and dialog.phone_dialog.isVisible(), timeout=5_000)
    call = dialog.phone_dialog
    assert isinstance(call, PhoneCallDialog)
    assert "call 999" in call.advice_text and "000" not in call.advice_text  # the clinic's country
    assert "01632 960123" in call.practice.text()  # the GP's number, to hand
    call.spoken_to.setText("Reception, Riverside Surgery")
    call.outcome.setText("Same-day appointment at 15:00 with Dr Patel")
    call.finalise_button.click()
    text = pdf_text(stored_pdf(desk, finalised(qtbot, dialog)))
    assert "Reception, Riverside Surgery" in text
    assert says(text, "Same-day appointment at 15:00 with Dr Patel")
    assert DVT_ACTION in text
    assert dialog.stored.phone_call is not None and dialog.stored.phone_call.made
    assert "phone call is recorded in the letter" in dialog.tier_banner.text
    assert "The stored letter" in dialog.page_count.text()
    qtbot.waitUntil(lambda: dialog.pages.page_count == dialog.stored.page_count, timeout=10_000)


def test_no_call_made_needs_a_reason(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    finalise_assessment(desk, today(), dvt=True)
    dialog = open_letter_dialog(qtbot, desk)
    dialog.finalise_button.click()
    qtbot.waitUntil(lambda: dialog.phone_dialog is not None and dialog.phone_dialog.isVisible(), timeout=5_000)
    call = dialog.phone_dialog
    call.not_called.click()
    call.finalise_button.click()
    assert call.isVisible() and call.messages["reason"].is_problem
    assert dialog.stored is None
    call.reason.setText("Patient taken to the Emergency Department by ambulance")
    call.finalise_button.click()
    text = pdf_text(stored_pdf(desk, finalised(qtbot, dialog)))
    assert says(text, "Patient taken to the Emergency Department by ambulance")
    assert dialog.stored.phone_call is not None and not dialog.stored.phone_call.made


def test_the_record_wording_is_shown_and_only_a_change_is_sent(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    words = dialog.form.words
    record_request = words.fields["request"].toPlainText()
    assert record_request and record_request in pdf_text_of_preview(dialog)
    edits = dialog.form.request("x").edits
    assert (edits.request, edits.impression, edits.treatment, edits.goals) == (None, None, None, None)
    words.fields["request"].setPlainText("Please review my <b>findings</b> & advise on imaging.")
    assert dialog.form.request("x").edits.request == "Please review my <b>findings</b> & advise on imaging."
    assert words.reset_buttons["request"].isVisible()
    wait_preview(qtbot, dialog)
    dialog.finalise_button.click()
    confirm(qtbot, dialog)
    text = pdf_text(stored_pdf(desk, finalised(qtbot, dialog)))
    assert "Please review my <b>findings</b> & advise on imaging." in text
    assert record_request not in text


def pdf_text_of_preview(dialog: LetterDialog) -> str:
    """What the dialog's own preview composed, rendered again here to read it (the same code path)."""
    from reports.letters import render_letter

    facts = dialog.form.facts
    request = dialog.form.request("x")
    assert facts is not None and request is not None
    return pdf_text(render_letter(dialog._service.compose(request, facts)).pdf)


def test_a_full_disk_is_said_plainly_and_nothing_typed_is_lost(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    from tests.faults.disk_full import page_cap

    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    dialog.form.words.fields["history"].setPlainText("Seen with her mother, who interpreted.")
    limit = page_cap(desk.store.engine)
    limit(0)
    try:
        dialog.finalise_button.click()
        confirm(qtbot, dialog)
        qtbot.waitUntil(lambda: dialog.banner.isVisible(), timeout=20_000)
    finally:
        limit(None)
    assert dialog.stored is None and "not finalised" in dialog.banner.text
    assert "Traceback" not in dialog.banner.text
    assert dialog.form.words.fields["history"].toPlainText() == "Seen with her mother, who interpreted."
    assert dialog.finalise_button.isEnabled() and not dialog.form.words.fields["history"].isReadOnly()
    assert desk.session.letters.letters_for(desk.patient_id) == []
    dialog.finalise_button.click()  # room again: the same letter finalises
    confirm(qtbot, dialog)
    assert "Seen with her mother, who interpreted." in pdf_text(stored_pdf(desk, finalised(qtbot, dialog)))


def test_the_preview_follows_typing_and_page_keys_turn_the_pages(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    before = dialog.scheduler.completed
    field = dialog.form.words.fields["history"]
    field.setFocus()
    qtbot.keyClicks(field, "Happy to discuss. " * 40)
    wait_preview(qtbot, dialog)
    assert dialog.scheduler.completed > before  # typing was previewed, once it paused
    assert pdf_pages_of_preview(dialog) == dialog.pages.page_count >= 2
    dialog.pages.show_page(0)
    qtbot.keyClick(field, Qt.Key.Key_PageDown)  # from the text field: the pages turn, the text stays
    assert dialog.pages.current_page() == 1
    qtbot.keyClick(field, Qt.Key.Key_PageUp)
    assert dialog.pages.current_page() == 0
    assert field.toPlainText().startswith("Happy to discuss.")


def pdf_pages_of_preview(dialog: LetterDialog) -> int:
    from reports.letters import render_letter

    facts = dialog.form.facts
    request = dialog.form.request("x")
    assert facts is not None and request is not None
    return pdf_pages(render_letter(dialog._service.compose(request, facts)).pdf)


def test_a_handout_asks_for_no_phone_call_and_has_no_recipient(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    finalise_assessment(desk, today(), dvt=True)
    dialog = open_letter_dialog(qtbot, desk)
    form = dialog.form
    form.kind.setCurrentIndex(form.kind.findData(LetterKind.HANDOUT.value))
    wait_preview(qtbot, dialog)
    assert not form.recipient_box.isVisible() and not form.copy_to_patient.isVisible()
    assert dialog.preview is not None and dialog.preview.kind is LetterKind.HANDOUT
    dialog.finalise_button.click()
    confirm(qtbot, dialog)  # a confirmation, not the phone call: a handout goes to the patient in person
    finalised(qtbot, dialog)
    assert dialog.phone_dialog is None and dialog.stored.recipient == "Patient"


def test_ctrl_shift_l_opens_the_dialog_and_every_field_has_its_own_alt_letter(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    from PySide6.QtWidgets import QApplication, QCheckBox

    from tests.ui.assessment import keyboard as kb
    from tests.ui.assessment.desk import show_patient

    finalise_assessment(desk, today(), dvt=True)
    show_patient(qtbot, desk)
    window = desk.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window.patient_view.tabs, Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )  # Ctrl+L locks
    letters = window.letters
    qtbot.waitUntil(lambda: letters.dialog is not None and letters.dialog.form.facts is not None, timeout=10_000)
    dialog = letters.dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)
    form = dialog.form
    fields = [form.kind, form.recipient_name, form.practice, form.address,
              *(field for field in form.words.fields.values() if field.isVisible())]  # fmt: skip
    letters_used = [kb.mnemonic_of(field) for field in fields]
    boxes = [box for box in dialog.findChildren(QCheckBox) if box.isVisible()]
    letters_used += [kb._mnemonic(box.text()) for box in boxes if kb._mnemonic(box.text())]
    letters_used.append(kb._mnemonic(dialog.finalise_button.text()))
    assert None not in letters_used[: len(fields)], "a text field without an Alt letter"
    assert len(letters_used) == len(set(letters_used)), f"an Alt letter used twice: {letters_used}"
    for field in fields:
        kb.focus_on(qtbot, field)  # Alt+its letter
    kb.focus_on(qtbot, form.words.fields["request"])
    kb.press(qtbot, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    kb.type_text(qtbot, " Typed by keyboard.")
    assert form.words.fields["request"].toPlainText().endswith("Typed by keyboard.")


def test_the_australian_care_plan_report_asks_which_visit_it_follows(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    from workstation.letters.records import CarePlanVisit

    finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    form = dialog.form
    labels = [form.kind.itemText(i) for i in range(form.kind.count())]
    assert "GP report: chronic condition care plan (Australia)" in labels  # offered everywhere, labelled
    assert not form.visit.isVisible()
    form.kind.setCurrentIndex(form.kind.findData(LetterKind.CARE_PLAN_REPORT.value))
    assert form.visit.isVisible()
    form.visit.setCurrentIndex(form.visit.findData(CarePlanVisit.LAST.value))
    wait_preview(qtbot, dialog)
    dialog.finalise_button.click()
    confirm(qtbot, dialog)
    assert "after the last service" in pdf_text(stored_pdf(desk, finalised(qtbot, dialog)))


def test_an_earlier_assessment_can_be_chosen_and_the_letter_follows_it(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    earlier = finalise_assessment(desk, today() - timedelta(days=14))
    latest = finalise_assessment(desk, today())
    dialog = open_letter_dialog(qtbot, desk)
    combo = dialog.form.assessment
    assert combo.isEnabled() and combo.count() == 2
    assert combo.currentData() == latest.id and "(latest)" in combo.currentText()
    combo.setCurrentIndex(combo.findData(earlier.id))
    combo.activated.emit(combo.currentIndex())  # as a choice from the list does
    qtbot.waitUntil(lambda: dialog.form.facts.assessment.id == earlier.id, timeout=10_000)
    wait_preview(qtbot, dialog)
    dialog.finalise_button.click()
    confirm(qtbot, dialog)
    finalised(qtbot, dialog)
    assert dialog.stored.assessment_id == earlier.id
    assert "1 June 2025" in pdf_text(stored_pdf(desk, dialog.stored.id))  # the date seen
