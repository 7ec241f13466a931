"""The squads' screenshots, for ``scripts.screenshots`` (one call per variant: light, dark, 200 %).

A club's evening, in the real app of a logged-in physio: a squad of 40 synthetic athletes
(``workstation.demo_squads``) screened twice before, some of them injured (an open episode, a walk-run
phase, a red flag); its dashboard with the three charts; tonight's screening typed in by keyboard, part
filled, its flags showing; the members; a junior squad's file in the import preview (three athletes held
already, two rows rejected) and its result; then the club coach's own view, pseudonymised.

Run alone for a quick look: ``python -m scripts.screenshots_squads --out /tmp/squads-shots [--dark]``.
Every window is opened from the real menus; dialogs with show()/open(), never exec().
"""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

import db
from scripts import screenshots as shots
from ui.clock import local_today
from ui.main_window import MainWindow
from ui.squads.athlete_import_dialog import AthleteImportDialog
from ui.squads.squads_window import SquadsWindow
from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.audit.auditor import Auditor
from workstation.demo_squads import ATHLETE_HEADERS, athlete_rows
from workstation.ports import ClinicStore
from workstation.records import Episode, Side
from workstation.security.accounts import Role
from workstation.services.accounts import Accounts
from workstation.services.session import ClinicSession
from workstation.squads.records import SCREENING_KEYS, Squad

SQUADS_SIZE = (1560, 940)
IMPORT_SIZE = (1380, 900)
SEED = 21
SQUAD_SIZE = 40
JUNIORS = 16
TYPED_TONIGHT = 14  # athletes screened so far this evening
COACH = ("coach.rua", "Rua Tane", "harbour violet pencil drum")  # user name, full name, password
CLUB = "Harbour Harriers"


def shoot_squads(folder: Path, suffix: str) -> None:
    """Every squad picture of one variant into the screenshots folder (``suffix``: "", "-dark", "-200")."""
    store = db.open_database(f"sqlite:///{folder / 'squads.sqlite3'}", key=shots.SHOT_KEY)
    today = local_today()
    auditor = Auditor(store.audit, shots.WORKSTATION, shots.CLOCK)
    accounts = Accounts(store.users, auditor)
    login = accounts.create_owner(*shots.OWNER)
    session = ClinicSession(store, login.actor, auditor)
    squad, last = _senior_squad(store, session, today)
    desktop, window = shots._open_window(store, login)
    shots._wait_until(lambda: window.directory.ready)
    squads = _open_squads(window)
    _shoot_dashboard(squads, squad, suffix)
    _shoot_screening(squads, last, suffix)
    _shoot_members(squads, suffix)
    _shoot_import(squads, folder, store, suffix)
    shots._close(desktop)
    _shoot_club_view(store, accounts, login.actor, squad, suffix)
    _shoot_letters(store, accounts, squad, folder, suffix)
    store.close()


# The club's records ----------------------------------------------------------------------------------


def _senior_squad(store: ClinicStore, session: ClinicSession, today: date) -> tuple[Squad, dict[int, dict[str, float]]]:
    """40 athletes who joined ten weeks ago, screened eight and two weeks ago (those values are returned, by
    patient id); a few now under care."""
    club = session.squads.add_club(CLUB)
    assert club.id is not None
    squad = session.squads.save_squad(Squad(club.id, "Senior squad", "2026/27", "Mere Hohaia",
                                            "mere.hohaia@example.org", "07700 900456"))  # fmt: skip
    service = session.squad_import
    table = service.read(_csv(athlete_rows(SQUAD_SIZE, SEED)), "seniors.csv")
    preview = service.preview(table, service.suggest_mapping(table), today=today)
    service.commit(preview, squad.name, decisions={}, joined_on=today - timedelta(weeks=10), club_id=club.id)
    assert squad.id is not None
    members = [m.patient_id for m in session.squads.members(squad.id, today)]
    rng = random.Random(SEED)
    baseline = {pid: _values(rng) for pid in members}
    _complete_screening(session, squad.id, today - timedelta(weeks=8), baseline)
    later = {pid: _later(values, rng, dropped=i % 9 == 4) for i, (pid, values) in enumerate(baseline.items())}
    _complete_screening(session, squad.id, today - timedelta(weeks=2), later)
    _injure(store, members, today)
    return squad, later


def _values(rng: random.Random) -> dict[str, float]:
    left = rng.randint(24, 44)
    values = {"heel_raise_left": left, "heel_raise_right": max(10, left + rng.choice((-7, -3, -1, 0, 1, 2, 4)))}
    bent = rng.randint(20, 36)
    values |= {"bent_knee_left": bent, "bent_knee_right": bent + rng.randint(-4, 3)}
    wall = round(rng.uniform(8.0, 14.0), 1)
    values |= {"knee_to_wall_left": wall, "knee_to_wall_right": round(wall + rng.choice((-2.5, -0.5, 0, 0.5)), 1)}
    return {**values, "pain": rng.choice((0, 0, 0, 0, 0, 0, 1, 3))}


def _later(values: dict[str, float], rng: random.Random, *, dropped: bool) -> dict[str, float]:
    later = dict(values)
    for key in ("heel_raise_left", "heel_raise_right"):
        change = rng.randint(-12, -8) if dropped and key.endswith("left") else rng.randint(-3, 5)
        later[key] = max(5, values[key] + change)
    later["pain"] = 2 if dropped else rng.choice((0, 0, 0, 0, 0, 1))
    return later


def _complete_screening(
    session: ClinicSession, squad_id: int, held_on: date, rows: dict[int, dict[str, float]]
) -> None:
    squads = session.squads
    screening = squads.start_screening(squad_id, held_on)
    assert screening.id is not None
    for row in squads.worksheet(screening.id).rows:
        from workstation.squads.records import ScreeningEntry

        entry = row.entry or ScreeningEntry(screening.id, row.member.patient_id)
        squads.save_entry(ScreeningEntry(entry.screening_id, entry.patient_id, rows[row.member.patient_id]))
    squads.complete_screening(screening.id, screening.version)


def _injure(store: ClinicStore, members: list[int], today: date) -> None:
    """Two awaiting assessment, two back running on walk-run phases, one with a red flag: the dashboard's
    three kinds of availability."""
    for patient_id in members[3:5]:
        onset = today - timedelta(days=2)
        store.episodes.add(Episode(patient_id, "Calf pain after the hill session", Side.LEFT, onset))
    for patient_id, phase in ((members[9], 2), (members[17], 4)):
        episode = store.episodes.add(Episode(patient_id, "Right calf strain", Side.RIGHT, today - timedelta(weeks=3)))
        detail = json.dumps({"plan": {"return_to_run_phase": phase}})
        record = AssessmentRecord(patient_id, episode.id, today - timedelta(days=6), "{}", "{}", detail, "routine",
                                  recorded_by=1)  # fmt: skip
        store.assessments.finalise(record, [])
    at = datetime.combine(today - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    store.red_flags.raise_flag(RedFlagRecord(members[25], None, "dvt_likely", "urgent", "Same-day DVT pathway", at, 1))


def _csv(rows: list[tuple[str, ...]]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ATHLETE_HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# The pictures ----------------------------------------------------------------------------------------


def _open_squads(window: MainWindow) -> SquadsWindow:
    shots._trigger_menu(window, "Squads", "Squads…")
    squads = shots._wait_for_child(window, SquadsWindow)
    squads.resize(*SQUADS_SIZE)
    shots._wait_until(lambda: squads.model.rowCount() > 0 and not window.tasks.busy)
    return squads


def _show_tab(squads: SquadsWindow, tab: object) -> None:
    squads.tabs.setCurrentWidget(tab)  # type: ignore[arg-type]
    shots._wait_until(lambda: not squads.parent().tasks.busy)  # type: ignore[union-attr]


def _shoot_dashboard(squads: SquadsWindow, squad: Squad, suffix: str) -> None:
    _show_tab(squads, squads.dashboard)
    shots._wait_until(lambda: squads.dashboard.dashboard is not None)
    shots._save(squads, f"squads-dashboard{suffix}")


def _shoot_screening(squads: SquadsWindow, last: dict[int, dict[str, float]], suffix: str) -> None:
    """Tonight's screening started from its button and typed in by keyboard, row after row: much as two weeks
    ago, one athlete with a weaker left calf, one with pain."""
    _show_tab(squads, squads.screening)
    tab = squads.screening
    tab.start_button.click()
    shots._wait_until(lambda: tab.worksheet is not None and not squads.parent().tasks.busy)  # type: ignore[union-attr]
    shots._activate(squads)
    tab.grid.setFocus()
    rng = random.Random(SEED + 1)
    for row in range(TYPED_TONIGHT):
        values = _tonight(last[tab.model.grid_row(row).patient_id], rng)
        if row == 2:
            values |= {"heel_raise_left": 21, "heel_raise_right": 33}
        if row == 6:
            values |= {"pain": 4}
        for key in SCREENING_KEYS:
            _type(_text(values[key]))
            _press(Qt.Key.Key_Return)
        _press(Qt.Key.Key_Return)  # past the note: the next athlete
    _type("31")
    _press(Qt.Key.Key_Tab)
    _type("2")  # the current athlete, half typed
    shots._wait_until(lambda: not squads.parent().tasks.busy)  # type: ignore[union-attr]
    shots._save(squads, f"squads-screening{suffix}")
    _press(Qt.Key.Key_Escape)


def _shoot_members(squads: SquadsWindow, suffix: str) -> None:
    _show_tab(squads, squads.members)
    shots._wait_until(lambda: squads.members.model.rowCount() > 0)
    shots._save(squads, f"squads-members{suffix}")


def _shoot_import(squads: SquadsWindow, folder: Path, store: ClinicStore, suffix: str) -> None:
    """A junior squad's file: new athletes, three held already (seniors who also run for the juniors), a
    date of birth in the future and a wrong NHS number; then imported, the rejected rows left out."""
    rows = athlete_rows(JUNIORS, SEED + 50)
    seniors = athlete_rows(3, SEED)
    future = (*rows[0][:2], "14/03/2031", *rows[0][3:])
    wrong_nhs = (rows[1][0], "Tāwhiri", *rows[1][2:6], "9434765918", *rows[1][7:])
    path = folder / "juniors.csv"
    path.write_bytes(_csv([*rows[2:], *seniors, future, wrong_nhs]))
    squads.import_button.click()
    dialog = shots._wait_for_child(squads, AthleteImportDialog)  # type: ignore[arg-type]
    dialog.resize(*IMPORT_SIZE)
    dialog.target.squad_box.setEditText("Juniors")
    dialog.load_file(path)
    shots._wait_until(lambda: dialog.preview is not None and not squads.parent().tasks.busy)  # type: ignore[union-attr]
    shots._save(dialog, f"squads-import{suffix}")
    dialog.leave_out_box.setChecked(True)
    dialog.import_button.click()
    shots._wait_until(lambda: dialog.outcome is not None)
    shots._save(dialog, f"squads-import-result{suffix}")
    dialog.accept()


def _shoot_club_view(store: ClinicStore, accounts: Accounts, owner: object, squad: Squad, suffix: str) -> None:
    """The club coach's window: availability only, the pseudonymised view first (G4, G5)."""
    from workstation.records import Consent

    assert squad.id is not None
    for membership in store.squads.members(squad.id)[::2]:  # half the squad agreed to share with the club
        patient = store.patients.get(membership.patient_id)
        store.patients.update(patient.with_changes(club_consent=Consent(True, local_today())))
    user_name, full_name, password = COACH
    accounts.create_user(owner, user_name, full_name, Role.CLUB, password)  # type: ignore[arg-type]
    first = accounts.log_in(user_name, password)
    accounts.change_password(first.actor, password, shots.OWNER[2])
    desktop, window = shots._open_window(store, accounts.log_in(user_name, shots.OWNER[2]))
    shots._wait_until(lambda: window.directory.ready)
    squads = _open_squads(window)
    row = squads.model.row_of(squad.id)
    squads.list.setCurrentIndex(squads.model.index(row or 0, 0))
    shots._wait_until(lambda: squads.dashboard.dashboard is not None and not window.tasks.busy)
    shots._save(squads, f"squads-club{suffix}")
    squads.dashboard.pseudonymised_box.setChecked(False)
    shots._wait_until(lambda: not window.tasks.busy)
    shots._save(squads, f"squads-club-names{suffix}")
    shots._close(desktop)


def _shoot_letters(store: ClinicStore, accounts: Accounts, squad: Squad, folder: Path, suffix: str) -> None:
    """The physio's "Letters for this squad…" after a run: a progress report for each athlete unavailable or
    modified; the one with a raised red flag (an urgent letter: the call comes first) named, not written.
    Light only."""
    from ui.squads.squad_letters import SquadLettersDialog

    if suffix:
        return
    assert squad.id is not None
    desktop, window = shots._open_window(store, accounts.log_in(shots.OWNER[0], shots.OWNER[2]))
    shots._wait_until(lambda: window.directory.ready)
    squads = _open_squads(window)
    squads.list.setCurrentIndex(squads.model.index(squads.model.row_of(squad.id) or 0, 0))
    _show_tab(squads, squads.dashboard)
    shots._wait_until(lambda: squads.dashboard.dashboard is not None)
    squads.dashboard.letters_button.click()
    dialog = shots._wait_for_child(squads, SquadLettersDialog)  # type: ignore[arg-type]
    letters = folder / "Senior squad letters"
    letters.mkdir(exist_ok=True)
    dialog.set_folder(letters)  # as the folder dialog would answer
    dialog.attention_button.click()
    dialog.write_button.click()
    shots._wait_until(lambda: dialog.outcome is not None and not window.tasks.busy)
    shots._save(dialog, "squads-letters")
    dialog.accept()
    shots._close(desktop)


def _tonight(before: dict[str, float], rng: random.Random) -> dict[str, float]:
    values = {key: max(0, value + rng.choice((-2, -1, 0, 0, 1, 2, 3))) for key, value in before.items()}
    for key in ("knee_to_wall_left", "knee_to_wall_right"):
        values[key] = round(before[key] + rng.choice((-0.5, 0.0, 0.0, 0.5)), 1)
    return {**values, "pain": 0}


def _text(value: float) -> str:
    return f"{value:g}"


def _type(text: str) -> None:
    for character in text:
        target = QApplication.focusWidget()
        assert target is not None
        QTest.keyClicks(target, character)
    shots._pause(10)


def _press(key: Qt.Key) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    QTest.keyClick(target, key)
    shots._wait_until(lambda: not isinstance(QApplication.focusWidget(), QLineEdit) or key is Qt.Key.Key_Escape,
                      timeout_s=5.0)  # fmt: skip


def main() -> int:
    return shots.run_alone(__doc__ or "", shoot_squads)


if __name__ == "__main__":
    sys.exit(main())
