"""The red-flag page: complete only with every item answered, the score built item by item, banners and actions."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.assessment.red_flag_banner import RedFlagBanner
from ui.assessment.red_flag_page import RED_FLAG_QUESTIONS, RedFlagPage
from ui.assessment.wizard_state import WizardState
from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.records import RedFlagRecord
from workstation.clinical.country import Country
from workstation.clinical.wells import WELLS_ITEMS

TODAY = date(2025, 6, 15)


def make_state(country: Country | None = Country.UK) -> WizardState:
    draft = AssessmentDraft.new(7, None, assessed_on=TODAY, side="left", patient={"age_years": 34, "sex": "female"})
    return WizardState(draft, today=lambda: TODAY, country=country)


@pytest.fixture
def page(qtbot: QtBot) -> RedFlagPage:
    state = make_state()
    page = RedFlagPage(state)
    qtbot.addWidget(page)
    page.initializePage()
    page.show()
    return page


def answer_all_questions_no(qtbot: QtBot, page: RedFlagPage) -> None:
    for field in page.question_fields.values():
        qtbot.keyClick(field, Qt.Key.Key_N)


def test_not_complete_until_every_wells_item_is_answered(qtbot: QtBot, page: RedFlagPage) -> None:
    answer_all_questions_no(qtbot, page)
    assert not page.isComplete()
    assert "10 Wells items" in page.missing.text()
    for item in WELLS_ITEMS[:-1]:
        qtbot.keyClick(page.wells_fields[item.key], Qt.Key.Key_N)
        assert not page.isComplete()
    assert page.missing.text() == "Still to answer: 1 Wells item."
    last = page.wells_fields[WELLS_ITEMS[-1].key]
    with qtbot.waitSignal(page.completeChanged):
        qtbot.keyClick(last, Qt.Key.Key_Y)
    assert page.isComplete()
    assert page.missing.text() == "Every item is answered."
    qtbot.keyClick(last, Qt.Key.Key_Delete)  # cleared again: not a "no", and the page says so
    assert not page.isComplete()
    assert page._state.value(f"red_flags.wells.{WELLS_ITEMS[-1].key}") is None


def test_every_question_needs_an_answer_too(qtbot: QtBot, page: RedFlagPage) -> None:
    for field in page.wells_fields.values():
        qtbot.keyClick(field, Qt.Key.Key_N)
    assert not page.isComplete()
    assert page.missing.text() == f"Still to answer: {len(RED_FLAG_QUESTIONS)} red-flag questions."
    answer_all_questions_no(qtbot, page)
    assert page.isComplete()


def test_items_answered_by_tab_and_keys_build_the_score_with_each_contribution(qtbot: QtBot, page: RedFlagPage) -> None:
    first = page.wells_fields[WELLS_ITEMS[0].key]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    keys = [Qt.Key.Key_Y, Qt.Key.Key_Y] + [Qt.Key.Key_N] * 7 + [Qt.Key.Key_Y]  # cancer, paralysis, ..., alt. dx
    for index, key in enumerate(keys):
        focused = QApplication.focusWidget()
        assert focused is page.wells_fields[WELLS_ITEMS[index].key]
        qtbot.keyClick(focused, key)
        if index == 0:
            assert page.contributions["active_cancer"].text() == "+1"
            assert page.contributions["previous_dvt"].text() == "–"  # the field itself says "Not answered"
            assert page.wells_total.text() == "Incomplete: 9 items unanswered"
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert [page.contributions[item.key].text() for item in WELLS_ITEMS] == ["+1", "+1"] + ["0"] * 7 + ["-2"]
    assert page.wells_total.text() == "Wells score: 0 (DVT unlikely, NICE two-level)"
    qtbot.keyClick(page.wells_fields["alternative_diagnosis_as_likely"], Qt.Key.Key_N)
    assert page.contributions["alternative_diagnosis_as_likely"].text() == "0"
    assert page.wells_total.text() == "Wells score: 2 (DVT likely, NICE two-level)"
    assert page._state.value("red_flags.wells.active_cancer") is True
    assert page._state.value("red_flags.wells.previous_dvt") is False


def test_dvt_suspected_shows_the_urgent_banner_and_the_typed_action_is_kept(qtbot: QtBot, page: RedFlagPage) -> None:
    for field in page.wells_fields.values():
        qtbot.keyClick(field, Qt.Key.Key_N)
    assert page.banner.isHidden()
    qtbot.keyClick(page.question_fields["dvt_suspected"], Qt.Key.Key_Y)
    assert page.banner.isVisible()
    card = page.banner.card("dvt")
    assert card is not None and card.isVisible()
    assert card.heading.text() == "URGENT – SAME DAY"
    assert "DVT clinic" in card.message.text()  # the engine's UK route
    assert card.action_field is not None
    qtbot.keyClicks(card.action_field, "phoned GP practice 11:20, patient sent to ED")
    assert page._state.detail("red_flag_actions.dvt") == "phoned GP practice 11:20, patient sent to ED"
    qtbot.keyClick(page.question_fields["dvt_suspected"], Qt.Key.Key_N)
    assert page.banner.card("dvt") is None
    assert page.banner.isHidden()


def test_an_emergency_flag_names_the_number_of_the_clinics_country(qtbot: QtBot, page: RedFlagPage) -> None:
    qtbot.keyClick(page.question_fields["pulmonary_embolism_symptoms"], Qt.Key.Key_Y)
    card = page.banner.card("pulmonary_embolism")
    assert card is not None
    assert page.banner.codes[0] == "pulmonary_embolism"  # most urgent first
    assert card.heading.text() == "EMERGENCY"
    assert "call 999" in card.message.text()
    assert "911" not in card.message.text()


def test_a_draft_with_answers_and_actions_is_shown_again(qtbot: QtBot) -> None:
    state = make_state()
    state.edit("red_flags.wells.active_cancer", True)
    state.edit("red_flags.cauda_equina_signs", True)
    state.edit_detail("red_flag_actions.cauda_equina", "sent to ED 10:05")
    page = RedFlagPage(state)
    qtbot.addWidget(page)
    page.initializePage()
    assert page.wells_fields["active_cancer"].value() is True
    assert page.question_fields["cauda_equina_signs"].value() is True
    card = page.banner.card("cauda_equina")
    assert card is not None and card.action_field is not None
    assert card.action_field.text() == "sent to ED 10:05"


def test_the_banner_shows_stored_records_with_their_actions(qtbot: QtBot) -> None:
    record = RedFlagRecord(
        patient_id=1, episode_id=None, code="bone_stress_injury", tier="soon", message="Stop running now.",
        raised_at=datetime(2025, 6, 1, 9, 0), action="GP letter sent",
    )  # fmt: skip
    banner = RedFlagBanner([record], with_actions=True)
    qtbot.addWidget(banner)
    card = banner.card("bone_stress_injury")
    assert card is not None and card.heading.text() == "SOON"
    assert card.action_field is not None and card.action_field.text() == "GP letter sent"
    assert banner.isHidden()  # no parent yet: it must not open a window of its own
