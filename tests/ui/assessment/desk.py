"""A logged-in clinician's window on a real database, and a keyboard walk of the assessment wizard.

``walk_document`` types one ``calfdesk.assessment/1`` document into the wizard, page by page, by keyboard
only (see ``keyboard.py``); every contract field it is given must have a widget, or it fails and says which.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWizard
from pytestqt.qtbot import QtBot

from tests.ui.assessment import keyboard as kb
from tests.ui.conftest import discard_dialogs
from ui.assessment.wizard import AssessmentWizard
from ui.main_window import MainWindow
from workstation.audit.auditor import Auditor
from workstation.ports import ClinicStore
from workstation.records import Episode, Patient, Sex, Side
from workstation.services.accounts import Accounts
from workstation.services.session import ClinicSession

PASSWORD = "kettle orbit saffron lane"
_SEX = {"male": Sex.MALE, "female": Sex.FEMALE, "other": Sex.OTHER, "unknown": Sex.NOT_STATED}
# The wizard's pages, in order (ui/assessment/wizard.py).
PAGES = ("history", "body_chart", "red_flags", "examination", "heel_raise", "flexibility", "neural", "outcomes",
         "summary")  # fmt: skip


@dataclass
class Desk:
    store: ClinicStore  # the same database without the rules, for the test's own checks
    session: ClinicSession
    window: MainWindow
    patient: Patient
    episode: Episode

    @property
    def patient_id(self) -> int:
        assert self.patient.id is not None
        return self.patient.id

    @property
    def episode_id(self) -> int:
        assert self.episode.id is not None
        return self.episode.id


def born_for(age: int, today: date) -> date:
    """A birthday that makes the patient ``age`` in completed years on ``today``."""
    return date(today.year - age, 1, 1) if (today.month, today.day) >= (1, 1) else date(today.year - age - 1, 1, 1)


def make_desk(qtbot: QtBot, store: ClinicStore, today: Callable[[], date], *, age: int = 38, sex: str = "male") -> Desk:
    """The owner (a clinician) logged in, one patient with one episode (no side: the wizard asks), window shown."""
    auditor = Auditor(store.audit, "room-2")
    owner = Accounts(store.users, auditor).create_owner("sam.okafor", "Sam Okafor", PASSWORD)
    patient = store.patients.add(Patient("Ada", "Runner", born_for(age, today()), sex=_SEX[sex]))
    assert patient.id is not None
    episode = store.episodes.add(Episode(patient.id, "Calf pain", Side.NONE, today()))
    session = ClinicSession(store, owner.actor, auditor)
    window = MainWindow(session, can=session.can, today=today)
    qtbot.addWidget(window, before_close_func=discard_dialogs)
    window.show()
    qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
    return Desk(store, session, window, patient, episode)


def show_patient(qtbot: QtBot, desk: Desk) -> None:
    view = desk.window.patient_view
    desk.window.open_patient(desk.patient_id)
    qtbot.waitUntil(lambda: view.patient is not None and view.patient.id == desk.patient_id, timeout=10_000)
    qtbot.waitUntil(lambda: view.episodes.rowCount() > 0, timeout=10_000)


def open_wizard(qtbot: QtBot, desk: Desk) -> AssessmentWizard:
    """Patient view, the episode selected, "Assess…": the wizard the launcher opens, active for the keyboard."""
    show_patient(qtbot, desk)
    view = desk.window.patient_view
    before = set(desk.window.findChildren(AssessmentWizard))
    view.episode_table.selectRow(0)
    assert view.assess_button.isEnabled()
    view.assess_button.click()
    qtbot.waitUntil(lambda: _new_wizard(desk, before) is not None, timeout=10_000)
    wizard = _new_wizard(desk, before)
    assert wizard is not None
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=5_000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)
    return wizard


def _new_wizard(desk: Desk, before: set[AssessmentWizard]) -> AssessmentWizard | None:
    shown = [w for w in desk.window.findChildren(AssessmentWizard) if w not in before and w.isVisible()]
    return shown[0] if shown else None


def choose_onset(qtbot: QtBot, history_page: Any, onset: str) -> None:
    """Alt+ the onset's letter; the radio button clicks itself a moment later, as on screen."""
    button = history_page.onset_buttons[onset]
    kb.press_mnemonic(qtbot, button)
    qtbot.waitUntil(lambda: button.isChecked(), timeout=2_000)


def page(wizard: QWizard, name: str) -> Any:
    return wizard.page(wizard.pageIds()[PAGES.index(name)])


def go_to(qtbot: QtBot, wizard: QWizard, name: str) -> None:
    """Alt+N until the wizard shows page ``name`` (each press must move on)."""
    while PAGES[wizard.pageIds().index(wizard.currentId())] != name:
        kb.next_page(qtbot, wizard)


# --- typing a document --------------------------------------------------------------------------------------


class NoWidget(AssertionError):
    """The document has a field the wizard offers no widget for."""


def walk_document(
    qtbot: QtBot,
    wizard: AssessmentWizard,
    document: Mapping[str, Any],
    *,
    impression: str | None,
    actions: Mapping[str, str] | None = None,
    finalise: bool = True,
) -> None:
    """Type ``document`` (contract fields only) into the wizard by keyboard, then the impression and actions.

    The sections with no field in the document are passed with Alt+N untouched. ``finalise`` ends with Alt+F.
    """
    unknown = set(document) - {"schema", "assessed_on", "patient", "symptomatic_side", "history", "examination",
                               "heel_raise", "neural", "red_flags"}  # fmt: skip
    if unknown:
        raise NoWidget(f"the walk has no page for {sorted(unknown)}")
    go_to(qtbot, wizard, "history")
    _history(qtbot, page(wizard, "history"), document.get("history") or {}, document.get("symptomatic_side"))
    go_to(qtbot, wizard, "red_flags")
    _red_flags(qtbot, page(wizard, "red_flags"), document.get("red_flags") or {})
    go_to(qtbot, wizard, "examination")
    heel = dict(document.get("heel_raise") or {})
    examination = dict(document.get("examination") or {})
    _yes_no_fields(qtbot, page(wizard, "examination").fields, "examination", examination)
    if "reproduced_symptoms" in heel:
        kb.answer_yes_no(qtbot, page(wizard, "examination").fields["heel_raise.reproduced_symptoms"],
                         heel.pop("reproduced_symptoms"))  # fmt: skip
    go_to(qtbot, wizard, "heel_raise")
    if heel:
        _heel_raise(qtbot, page(wizard, "heel_raise"), heel)
    go_to(qtbot, wizard, "neural")
    _neural(qtbot, page(wizard, "neural"), document.get("neural") or {})
    go_to(qtbot, wizard, "summary")
    summary = page(wizard, "summary")
    for code, text in (actions or {}).items():
        card = summary.banner.card(code)
        assert card is not None and card.action_field is not None, f"no action field for the flag {code}"
        kb.tab_to(qtbot, card.action_field)
        kb.type_text(qtbot, text)
    if impression is not None:
        kb.choose(qtbot, summary.impression_condition, impression)
    if finalise:
        kb.alt(qtbot, "f")


def _history(qtbot: QtBot, history_page: Any, history: Mapping[str, Any], side: str | None) -> None:
    answers = {key: value for key, value in history.items() if value is not None}
    onset = answers.pop("onset", None)
    # "Unsure" shows both branches, so every question can be answered; then the onset as the patient gave it.
    choose_onset(qtbot, history_page, "unsure")
    wanted = {f"history.{key}": value for key, value in answers.items()}
    if side is not None:
        wanted["symptomatic_side"] = side
    missing = set(wanted) - set(history_page.fields)
    if missing:
        raise NoWidget(f"history page: no widget for {sorted(missing)}")
    for path, field in history_page.fields.items():  # top to bottom, as Tab goes
        if path not in wanted:
            continue
        value = wanted[path]
        if path == "history.recent_load_changes":
            boxes = [history_page.load_boxes[code] for code in value] if value else [history_page.load_none]
            for box in boxes:
                kb.toggle(qtbot, box)
        elif isinstance(field, QComboBox):
            kb.choose(qtbot, field, value)
        else:
            kb.answer_yes_no(qtbot, field, value)
    if onset is not None and onset != "unsure":
        choose_onset(qtbot, history_page, onset)


def _yes_no_fields(qtbot: QtBot, fields: Mapping[str, Any], section: str, answers: Mapping[str, Any]) -> None:
    wanted = {f"{section}.{key}": value for key, value in answers.items() if value is not None}
    missing = set(wanted) - set(fields)
    if missing:
        raise NoWidget(f"{section}: no widget for {sorted(missing)}")
    for path, field in fields.items():
        if path in wanted:
            kb.answer_yes_no(qtbot, field, wanted[path])


def _red_flags(qtbot: QtBot, red_flag_page: Any, screen: Mapping[str, Any]) -> None:
    wells = dict(screen.get("wells") or {})
    missing = set(wells) - set(red_flag_page.wells_fields)
    questions = {k: v for k, v in screen.items() if k not in ("wells", "dvt_risk_factors")}
    missing |= set(questions) - set(red_flag_page.question_fields)
    if missing:
        raise NoWidget(f"red-flag page: no widget for {sorted(missing)}")
    for key, field in red_flag_page.wells_fields.items():
        kb.answer_yes_no(qtbot, field, wells.get(key))
    for key, field in red_flag_page.question_fields.items():
        kb.answer_yes_no(qtbot, field, questions.get(key))
    if "dvt_risk_factors" in screen:
        risks: Iterable[str] = screen["dvt_risk_factors"]
        boxes = [red_flag_page.risk_boxes[code] for code in risks] or [red_flag_page.risk_none]
        for box in boxes:
            kb.toggle(qtbot, box)


_SURFACE = {"incline_10deg_60bpm": "incline_10deg", "flat_floor": "flat", "step": "step"}


def _heel_raise(qtbot: QtBot, heel_page: Any, heel: Mapping[str, Any]) -> None:
    """Protocol, then Space on each leg's tally, then why each leg stopped (pain only where the case says)."""
    extra = set(heel) - {"protocol", "knee", "left_reps", "right_reps", "stopped_by_pain"}
    if extra:
        raise NoWidget(f"heel-raise page: the walk has no widget for {sorted(extra)}")
    fields = heel_page.fields
    if "protocol" in heel:
        kb.choose(qtbot, fields["surface"], _SURFACE[heel["protocol"]])  # the cadence stays at its 60 bpm
    if "knee" in heel:
        kb.choose(qtbot, fields["knee"], heel["knee"])
        if heel["knee"] == "bent":
            kb.type_number(qtbot, fields["knee_angle"], 30)  # recorded with a bent knee (CLINICAL.md 2.4)
    for leg in ("left", "right"):
        reps = heel.get(f"{leg}_reps")
        if reps is None:
            continue
        tally = heel_page.counter.tallies[leg]
        kb.tab_to(qtbot, tally)
        for _ in range(reps):
            kb.press(qtbot, Qt.Key.Key_Space)
        assert heel_page.counter.count(leg) == reps
    stopped = heel.get("stopped_by_pain")
    if stopped is not None:
        for leg in ("left", "right"):
            reason = "pain" if stopped in (leg, "both") else "fatigue"
            kb.choose(qtbot, fields[f"termination_{leg}"], reason)


def _neural(qtbot: QtBot, neural_page: Any, neural: Mapping[str, Any]) -> None:
    extra = set(neural) - {"slump", "straight_leg_raise", "neurological_deficit"}
    if extra:
        raise NoWidget(f"neural page: no widget for {sorted(extra)}")
    for test in ("slump", "straight_leg_raise"):
        result = neural.get(test)
        if result is None:
            continue
        form = neural_page.forms[test]
        if result == "not_tested":
            kb.toggle(qtbot, form.not_tested)
        elif result == "negative":
            kb.choose(qtbot, form.response, "none")  # nothing brought on: the engine reads it negative
        elif result == "positive":
            kb.choose(qtbot, form.response, "familiar")
            kb.choose(qtbot, form.differentiation, "eased")
        else:
            raise NoWidget(f"neural page: the walk does not type {test} = {result!r}")
        assert neural_page._state.value(f"neural.{test}") == result
    if neural.get("neurological_deficit") is not None:
        kb.choose(qtbot, neural_page.deficit, neural["neurological_deficit"])
