"""Letters for this squad, from the dashboard, on a real database: one finalised letter per athlete written
into the folder chosen and kept in the record (audited), an urgent letter refused for its athlete alone and
named, the batch run on the database thread with its progress through a signal, and no button for club
staff or reception."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from tests.ui.squads.conftest import SCREENED_ON, SquadDesk, open_window, settle
from tests.workstation.assessment.test_summary_lines import document
from ui.squads.squad_letters import KEPT_NOTE, PHONE_FIRST_REASON, SQUAD_LETTER_KINDS, SquadLettersDialog
from ui.squads.squads_window import SquadsWindow
from ui.theme import Tone
from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.plan import plan_for
from workstation.audit.records import AuditEvent
from workstation.letters.records import LetterKind
from workstation.ports import AuditQuery
from workstation.records import Episode, Side
from workstation.security.accounts import Role

ASSESSED_ON = SCREENED_ON - timedelta(days=2)
FILE_NAME = re.compile(r"(\d+) (progress|handout|gp-referral) CD-[0-9A-F]{8}\.pdf")


def squad_with_an_urgent_athlete(desk: SquadDesk) -> dict[str, Any]:
    """Four athletes: the second in list order assessed with a suspected DVT (an urgent letter: the call
    comes first), the third with an open episode awaiting assessment; the others fit to train."""
    squad = desk.import_squad(4).squad
    assert squad.id is not None
    members = desk.session().squads.members(squad.id, SCREENED_ON)
    urgent, awaiting = members[1].patient_id, members[2].patient_id
    episode = desk.store.episodes.add(Episode(urgent, "Calf pain", Side.LEFT, ASSESSED_ON))
    doc = {**document(dvt_suspected=True), "assessed_on": ASSESSED_ON.isoformat()}
    detail = {"impression": {"condition": "dvt"}, "plan": plan_for("dvt_referral").as_detail(),
              "red_flag_actions": {"dvt": "Phoned the practice; same-day DVT clinic booked"}}  # fmt: skip
    at = datetime(ASSESSED_ON.year, ASSESSED_ON.month, ASSESSED_ON.day, 10, tzinfo=UTC)
    record = desk.session().assessments.finalise(AssessmentDraft(urgent, episode.id, doc, detail), today=ASSESSED_ON,
                                                 country=None, at=at)  # fmt: skip
    assert record.urgency == "urgent"
    desk.store.episodes.add(Episode(awaiting, "Calf tightness", Side.RIGHT, SCREENED_ON - timedelta(days=1)))
    names = {member.patient_id: member.display_name for member in members}
    return {"squad": squad, "ids": [m.patient_id for m in members], "urgent": urgent, "awaiting": awaiting,
            "names": names}  # fmt: skip


def letters_dialog(qtbot: QtBot, desk: SquadDesk, folder: Path | None, role: Role = Role.ADMIN) -> SquadLettersDialog:
    """The dashboard shown, "Letters for this squad…" clicked, the folder chosen (the file dialog answered)."""
    window = open_window(qtbot, desk, role)
    tab = window.dashboard
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, desk)
    asked: list[Path] = []

    def choose(_parent: Any, _title: str, start: Path) -> Path | None:
        asked.append(start)
        return folder

    tab.choose_folder = choose
    assert tab.letters_button.isVisible() and tab.letters_button.isEnabled()
    tab.letters_button.click()
    dialog = tab.letters_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    dialog.folder_button.click()
    assert asked == [Path.home()]
    return dialog


def stored_letters(desk: SquadDesk, patient_ids: list[int]) -> dict[int, list[Any]]:
    return {patient_id: list(desk.store.letters.for_patient(patient_id)) for patient_id in patient_ids}


def test_a_letter_per_athlete_is_written_and_kept_and_the_urgent_one_is_named(
    qtbot: QtBot, desk: SquadDesk, tmp_path: Path
) -> None:
    squad = squad_with_an_urgent_athlete(desk)
    folder = tmp_path / "letters"
    folder.mkdir()
    dialog = letters_dialog(qtbot, desk, folder)
    assert [dialog.kind_box.itemText(i) for i in range(dialog.kind_box.count())] == [
        "Progress report to GP",
        "Home exercise programme (for the patient)",
        "Referral letter to GP",
    ]
    assert dialog.kind is LetterKind.PROGRESS and dialog.phone_note.isVisible()
    assert KEPT_NOTE in dialog.kept_note.text()
    assert dialog.write_button.text() == "&Write 4 letters"
    dialog.write_button.click()
    assert dialog.running and dialog.outcome is None  # one task on the database thread: the window goes on
    settle(qtbot, desk)
    outcome = dialog.outcome
    assert outcome is not None and not dialog.running
    written = sorted(folder.iterdir())
    good = [patient_id for patient_id in squad["ids"] if patient_id != squad["urgent"]]
    assert sorted(int(FILE_NAME.fullmatch(path.name)[1]) for path in written) == sorted(good)
    assert sorted(outcome.written) == [(path.name, squad["names"][int(path.name.split()[0])]) for path in written]
    stored = stored_letters(desk, squad["ids"])
    assert stored[squad["urgent"]] == []  # refused before anything was stored
    for path in written:
        patient_id, reference = int(path.name.split()[0]), path.stem.split()[-1]
        (letter,) = stored[patient_id]
        assert (letter.reference, letter.kind) == (reference, LetterKind.PROGRESS)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == letter.sha256  # the file is what the record keeps
        events = {entry.event for entry in desk.store.audit.query(AuditQuery(patient_id=patient_id))
                  if entry.object_id == str(letter.id)}  # fmt: skip
        assert events == {AuditEvent.LETTER_FINALISED, AuditEvent.LETTER_EXPORTED}
    assert outcome.failed == ((squad["names"][squad["urgent"]], PHONE_FIRST_REASON),)
    assert [dialog.failed_list.item(i).text() for i in range(dialog.failed_list.count())] == [
        f"{squad['names'][squad['urgent']]}: {PHONE_FIRST_REASON}"
    ]
    assert sorted(dialog.written_list.item(i).text() for i in range(3)) == [
        f"{path.name}  ({squad['names'][int(path.name.split()[0])]})" for path in written
    ]
    assert dialog.written_list.count() == 3 and dialog.failed_list.isVisible()
    assert dialog.banner.tone is Tone.WARNING
    assert dialog.banner.text == f"Wrote 3 letters of 4 to {folder}; 1 not written."
    # The progress came from the batch's callback, through the signal, to the bar on the GUI thread.
    assert (dialog.progress_bar.value(), dialog.progress_bar.format()) == (4, "%v of 4 athletes, 1 not written")
    assert not any(name in path.name for name in squad["names"].values() for path in written)
    assert dialog.write_button.isHidden()  # written: Close is all that is left to do
    dialog.buttons.button(QDialogButtonBox.StandardButton.Close).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)


def test_only_the_athletes_who_need_attention_get_a_handout(qtbot: QtBot, desk: SquadDesk, tmp_path: Path) -> None:
    squad = squad_with_an_urgent_athlete(desk)
    dialog = letters_dialog(qtbot, desk, tmp_path)
    dialog.kind_box.setCurrentIndex(SQUAD_LETTER_KINDS.index(LetterKind.HANDOUT))
    assert not dialog.phone_note.isVisible()  # the handout goes to the athlete: no call needed first
    assert dialog.attention_button.text() == "Only those &unavailable or modified (2)"
    dialog.attention_button.click()
    assert dialog.write_button.text() == "&Write 2 letters"
    dialog.write_button.click()
    settle(qtbot, desk)
    assert dialog.outcome is not None and dialog.outcome.failed == ()
    written = sorted(int(path.name.split()[0]) for path in tmp_path.glob("* handout CD-*.pdf"))
    assert written == sorted([squad["urgent"], squad["awaiting"]])
    assert dialog.banner.text == f"Wrote 2 letters of 2 to {tmp_path}." and dialog.banner.tone is Tone.NOTICE
    assert not dialog.failed_list.isVisible()
    others = [patient_id for patient_id in squad["ids"] if patient_id not in written]
    assert all(not letters for letters in stored_letters(desk, others).values())


def test_the_dialog_stays_open_while_the_letters_are_written(qtbot: QtBot, desk: SquadDesk, tmp_path: Path) -> None:
    squad_with_an_urgent_athlete(desk)
    dialog = letters_dialog(qtbot, desk, tmp_path)
    dialog.write_button.click()
    dialog.reject()  # Escape or the title bar's close while the batch runs
    assert dialog.isVisible() and "being written" in dialog.banner.text
    settle(qtbot, desk)
    assert dialog.outcome is not None and len(list(tmp_path.glob("*.pdf"))) == 3
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)


def test_no_folder_chosen_writes_nothing_and_a_folder_gone_stores_nothing(
    qtbot: QtBot, desk: SquadDesk, tmp_path: Path
) -> None:
    squad = squad_with_an_urgent_athlete(desk)
    dialog = letters_dialog(qtbot, desk, None)  # the file dialog cancelled
    assert dialog.folder is None and not dialog.write_button.isEnabled()
    gone = tmp_path / "gone"
    dialog.set_folder(gone)  # chosen, then removed before the batch starts
    dialog.write_button.click()
    settle(qtbot, desk)
    assert dialog.outcome is None and dialog.banner.tone is Tone.ERROR
    assert dialog.banner.text.startswith(f"No letters were written. There is no folder {gone}.")
    assert all(not letters for letters in stored_letters(desk, squad["ids"]).values())
    assert dialog.write_button.isEnabled()  # another folder can be chosen and the batch tried again


@pytest.mark.parametrize("role", [Role.CLUB, Role.RECEPTION])
def test_club_staff_and_reception_have_no_letters_button(qtbot: QtBot, desk: SquadDesk, role: Role) -> None:
    squad = squad_with_an_urgent_athlete(desk)
    desk.share_with_club(squad["ids"])
    window: SquadsWindow = open_window(qtbot, desk, role)
    if role is Role.CLUB:
        window.tabs.setCurrentWidget(window.dashboard)
        settle(qtbot, desk)
        assert window.dashboard.dashboard is not None  # the club sees the dashboard, and its exports
        assert window.dashboard.export_buttons["csv"].isVisible()
    assert window.dashboard.letters_button.isHidden()


def test_a_clinician_has_the_letters_button(qtbot: QtBot, desk: SquadDesk) -> None:
    squad_with_an_urgent_athlete(desk)
    window = open_window(qtbot, desk, Role.CLINICIAN)
    window.tabs.setCurrentWidget(window.dashboard)
    settle(qtbot, desk)
    assert window.dashboard.letters_button.isVisible() and window.dashboard.letters_button.isEnabled()
