"""The letters' screenshots, for ``scripts.screenshots`` (one call per variant: light, dark, 200 %).

A database of its own, with the patients ``scripts.letter_pages`` writes its page images from, so the guide
shows the same people in the app and on paper. The order is the one a new clinic goes through: a letter
written before the letterhead is set (the amber strip says what it prints without), Admin › Clinic
settings filled in with a logo, File › My letter details with the registration and a signature, then an
urgent DVT referral with its preview, the phone call it asks for, the finalised letter, a handout in the
dialog, and the Letters tab with two letters and one of them opened.

Every window is the real one, opened from the real menus of a logged-in window; dialogs are shown with
show()/open(), never exec(), so nothing waits for a click.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDialog, QMessageBox

import db
from scripts import screenshots as shots
from scripts.letter_pages import (
    CALL_AFTER,
    DVT_CALL,
    UK_PRACTICE,
    DemoPatients,
    logo_png,
    make_patients,
    signature_png,
)
from ui.clock import local_today
from ui.letters.letter_dialog import LetterDialog
from ui.main_window import MainWindow
from ui.patients.patient_view import LETTERS_TAB
from ui.settings.clinic_settings_dialog import ClinicSettingsDialog
from ui.settings.letter_details_dialog import LetterDetailsDialog
from workstation.audit.auditor import Auditor
from workstation.demo import generate_patients
from workstation.letters.records import LetterKind
from workstation.records import Patient
from workstation.services.accounts import Accounts
from workstation.services.session import ClinicSession

DIALOG_SIZE = (1440, 940)  # the letter dialog: the form and a page wide enough to read
LETTERS_WINDOW_SIZE = (1280, 720)
LIST_WIDTH = 380  # the patient list narrowed, as a physio would drag it
OTHER_PATIENTS = 40  # enough for a full patient list beside the letters
COUNTRY_BUTTON = 0  # United Kingdom, the first of the clinic settings' countries


def shoot_letters(folder: Path, suffix: str) -> None:
    """Every letter picture of one variant into docs/screenshots/ (``suffix``: "", "-dark", "-200")."""
    store = db.open_database(f"sqlite:///{folder / 'letters.sqlite3'}", key=shots.SHOT_KEY)
    today = local_today()
    auditor = Auditor(store.audit, shots.WORKSTATION, shots.CLOCK)
    login = Accounts(store.users, auditor).create_owner(*shots.OWNER)
    people = make_patients(store, ClinicSession(store, login.actor, auditor), today)
    ours = {(p.given_name, p.family_name) for p in (people.dvt, people.overload, people.runner, people.australian)}
    others = generate_patients(OTHER_PATIENTS, shots.DEMO_SEED, today)  # the demo has these names too: once is enough
    store.patients.add_many(p for p in others if (p.given_name, p.family_name) not in ours)
    desktop, window = shots._open_window(store, login)
    shots._wait_until(lambda: window.directory.ready)
    _shoot_before_the_letterhead(window, people.overload, suffix)
    _shoot_clinic_settings(window, folder, suffix)
    _shoot_letter_details(window, folder, suffix)
    _shoot_urgent_referral(window, people.dvt, suffix)
    _finalise_handout(window, people.dvt)
    _shoot_handout(window, people.runner, suffix)
    _shoot_letters_tab(window, people, suffix)
    shots._close(desktop)
    store.close()


def _shoot_before_the_letterhead(window: MainWindow, patient: Patient, suffix: str) -> None:
    """A new clinic's first letter: the amber strip lists what it prints without, and where to fill it in."""
    dialog = _new_letter(window, patient)
    shots._save(dialog, f"letter-dialog-gaps{suffix}")
    dialog.reject()
    shots._wait_until(lambda: window.letters.dialog is None)


def _shoot_clinic_settings(window: MainWindow, folder: Path, suffix: str) -> None:
    """Admin › Clinic settings with the letterhead, a logo and the country, then saved."""
    shots._trigger_menu(window, "Admin", "Clinic settings…")
    dialog = shots._wait_for_child(window, ClinicSettingsDialog)
    practice = UK_PRACTICE
    for key, text in (("name", practice.name), ("phone", practice.phone), ("email", practice.email)):
        dialog.fields[key].setText(text)  # type: ignore[union-attr]
    dialog.fields["address"].setPlainText(practice.address)  # type: ignore[union-attr]
    dialog.country_buttons.buttons()[COUNTRY_BUTTON].setChecked(True)
    logo = folder / "logo.png"
    logo.write_bytes(logo_png("Riverside"))
    assert dialog.logo.load_file(logo)
    dialog.fields["name"].setFocus()
    dialog.resize(dialog.sizeHint())  # at 200 % on the small virtual screen Qt opens it narrower than its layout
    shots._save(dialog, f"clinic-settings{suffix}")
    _save_and_wait(dialog, dialog.save)


def _shoot_letter_details(window: MainWindow, folder: Path, suffix: str) -> None:
    """File › My letter details: profession, registration, contact and a signature image, then saved."""
    shots._trigger_menu(window, "File", "My letter details…")
    dialog = shots._wait_for_child(window, LetterDetailsDialog)
    practice = UK_PRACTICE
    typed = {"registration_body": practice.registration_body, "registration_number": practice.registration_number,
             "phone": practice.clinician_phone, "email": practice.clinician_email}  # fmt: skip
    for key, text in typed.items():
        dialog.fields[key].setText(text)
    signature = folder / "signature.png"
    signature.write_bytes(signature_png())
    assert dialog.signature.load_file(signature)
    dialog.fields["registration_number"].setFocus()
    shots._save(dialog, f"letter-details{suffix}")
    _save_and_wait(dialog, dialog.save)


def _shoot_urgent_referral(window: MainWindow, patient: Patient, suffix: str) -> None:
    """The suspected DVT: the referral and its pages, the phone call asked for first, and the stored letter."""
    dialog = _new_letter(window, patient)
    shots._save(dialog, f"letter-dialog-urgent{suffix}")
    dialog.finalise()
    shots._wait_until(lambda: dialog.phone_dialog is not None and dialog.phone_dialog.isVisible())
    call = dialog.phone_dialog
    assert call is not None
    shots._activate(call)
    spoken_to, outcome = DVT_CALL
    assessment = dialog.form.facts.assessment if dialog.form.facts is not None else None
    if assessment is not None and assessment.finalised_at is not None:  # the call after the visit, never later than now
        at = min(assessment.finalised_at + CALL_AFTER, datetime.now(UTC))
        call.at.setDateTime(QDateTime.fromSecsSinceEpoch(int(at.timestamp())))
    call.spoken_to.setText(spoken_to)
    call.outcome.setText(outcome)
    shots._save(call, f"phone-call{suffix}")
    call.finalise_button.click()
    shots._wait_until(lambda: dialog.stored is not None and dialog.pages.page_count == dialog.stored.page_count)
    shots._save(dialog, f"letter-dialog-finalised{suffix}")
    _close_letter(window, dialog)


def _finalise_handout(window: MainWindow, patient: Patient) -> None:
    """The DVT patient's handout (the calf exercises paused until a doctor has seen her): the second letter."""
    dialog = _new_letter(window, patient, LetterKind.HANDOUT)
    dialog.finalise()
    shots._wait_until(lambda: dialog.confirmation is not None and dialog.confirmation.isVisible())
    box = dialog.confirmation
    assert box is not None
    next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole).click()
    shots._wait_until(lambda: dialog.stored is not None)
    _close_letter(window, dialog)


def _shoot_handout(window: MainWindow, patient: Patient, suffix: str) -> None:
    """A runner's home exercise programme in the dialog: large type, a drawing and a dose for each exercise."""
    dialog = _new_letter(window, patient, LetterKind.HANDOUT)
    shots._save(dialog, f"letter-dialog-handout{suffix}")
    _close_letter(window, dialog)


def _shoot_letters_tab(window: MainWindow, people: DemoPatients, suffix: str) -> None:
    """The DVT patient's Letters tab with both letters, then the referral opened as stored."""
    from ui.letters.letter_view_dialog import LetterViewDialog

    patient_id = people.dvt.id
    assert patient_id is not None
    window.resize(*LETTERS_WINDOW_SIZE)
    window.splitter.setSizes([LIST_WIDTH, LETTERS_WINDOW_SIZE[0] - LIST_WIDTH])  # the letters want the width
    shots._activate(window)
    window.patient_list.clear_search()
    window.patient_list.select_patient(patient_id)
    shots._open_patient(window, patient_id)
    window.patient_view.tabs.setCurrentIndex(LETTERS_TAB)
    letters = window.letters
    shots._wait_until(lambda: letters.letter_list is not None and letters.letter_list.model.rowCount() == 2)
    listed = letters.letter_list
    assert listed is not None
    referral, handout = (next(s for s in listed.model.letters() if s.kind is kind)
                         for kind in (LetterKind.GP_REFERRAL, LetterKind.HANDOUT))  # fmt: skip
    assert referral.id is not None and handout.id is not None
    listed.table.selectRow(listed.model.row_of(handout.id) or 0)  # the urgent row unselected: its red shows
    shots._save(window, f"letters-tab{suffix}")
    listed.table.selectRow(listed.model.row_of(referral.id) or 0)
    listed.open_button.click()
    viewer = shots._wait_for_child(window, LetterViewDialog)
    shots._wait_until(lambda: viewer.pages.page_count > 0)
    shots._save(viewer, f"letter-view{suffix}")
    viewer.close()
    window.patient_view.tabs.setCurrentIndex(0)
    window.resize(*shots.WINDOW_SIZE)


# The letter dialog -----------------------------------------------------------------------------------


def _new_letter(window: MainWindow, patient: Patient, kind: LetterKind = LetterKind.GP_REFERRAL) -> LetterDialog:
    """Patient › New letter… for ``patient``: the dialog sized, ``kind`` chosen and its preview drawn."""
    assert patient.id is not None
    shots._activate(window)
    window.patient_list.clear_search()
    window.patient_list.select_patient(patient.id)
    shots._open_patient(window, patient.id)
    window.new_letter_action.trigger()
    letters = window.letters
    shots._wait_until(lambda: letters.dialog is not None and letters.dialog.isVisible())
    dialog = letters.dialog
    assert dialog is not None
    dialog.resize(*DIALOG_SIZE)
    shots._wait_until(lambda: dialog.form.facts is not None)
    form = dialog.form
    if kind is not form.current_kind():
        form.kind.setCurrentIndex(form.kind.findData(kind.value))
    shots._wait_until(lambda: _previewed(dialog))
    shots._activate(dialog)
    return dialog


def _previewed(dialog: LetterDialog) -> bool:
    """The pages show the form as it stands: nothing waiting, nothing in flight, and they are drawn."""
    preview = dialog.preview
    return (preview is not None and not dialog.scheduler.pending and preview.kind is dialog.form.current_kind()
            and dialog.pages.page_count == preview.pages)  # fmt: skip


def _close_letter(window: MainWindow, dialog: LetterDialog) -> None:
    dialog.reject()  # nothing typed, or already finalised: it closes without asking
    shots._wait_until(lambda: window.letters.dialog is None)


def _save_and_wait(dialog: QDialog, save: Callable[[], None]) -> None:
    """Save, as the Save button does, and wait for the dialog to close once the service has stored it."""
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    save()
    shots._wait_until(lambda: bool(closed))
    if closed != [QDialog.DialogCode.Accepted.value]:
        raise RuntimeError(f"{dialog.objectName()} was not saved")
