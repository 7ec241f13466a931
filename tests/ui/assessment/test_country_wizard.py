"""The wizard takes the clinic's country from Admin › Clinic settings: once a country is chosen, red-flag
messages and safety-net advice name its one emergency number; with none chosen, all four. Opened through
the real patient view and launcher on a real database; the flags stored carry the same words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.assessment.desk import Desk, make_desk, open_wizard, page
from ui.assessment.wizard import AssessmentWizard
from workstation.clinical.country import ALL_EMERGENCY_NUMBERS, Country
from workstation.ports import ClinicStore

EVERY_NUMBER = f"call the emergency number ({ALL_EMERGENCY_NUMBERS})"


@pytest.fixture
def desk(qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]) -> Desk:
    return make_desk(qtbot, open_store(), today, age=45, sex="female")


def _choose_country(desk: Desk, country: Country | None) -> None:
    """What Save in Admin › Clinic settings does for the country (the owner is an admin)."""
    desk.session.clinic_settings.set_country(desk.session.actor, country)


def _pulmonary_embolism_message(qtbot: QtBot, wizard: AssessmentWizard) -> str:
    """Answer "yes" to the breathlessness/chest-pain question; the red-flag page's card shows the message."""
    red_flags = page(wizard, "red_flags")
    wizard.state.edit("symptomatic_side", "left")  # the history page's first question: the draft then reads
    wizard.state.edit("red_flags.pulmonary_embolism_symptoms", True)
    assert wizard.state.evaluation is not None, wizard.state.problems
    card = red_flags.banner.card("pulmonary_embolism")
    assert card is not None
    return str(card.message.text())


def _safety_net(wizard: AssessmentWizard) -> str:
    summary = page(wizard, "summary")
    summary.pathway.setCurrentIndex(summary.pathway.findData("overload"))
    return str(wizard.state.detail("plan")["safety_net"])


def test_with_the_uk_chosen_the_wizard_names_999_only(qtbot: QtBot, desk: Desk) -> None:
    _choose_country(desk, Country.UK)
    wizard = open_wizard(qtbot, desk)
    assert wizard.state.country is Country.UK
    message = _pulmonary_embolism_message(qtbot, wizard)
    assert "call 999" in message
    assert not any(number in message for number in ("000", "112", "911"))
    assert "call 999" in _safety_net(wizard) and "911" not in _safety_net(wizard)


def test_with_no_country_chosen_the_wizard_gives_every_number(qtbot: QtBot, desk: Desk) -> None:
    wizard = open_wizard(qtbot, desk)
    assert wizard.state.country is None
    assert EVERY_NUMBER in _pulmonary_embolism_message(qtbot, wizard)
    assert EVERY_NUMBER in _safety_net(wizard)


def test_a_country_chosen_later_reaches_the_next_wizard_and_the_stored_flag(qtbot: QtBot, desk: Desk) -> None:
    first = open_wizard(qtbot, desk)
    assert first.state.country is None
    first.reject()  # the draft is kept
    _choose_country(desk, Country.AU)
    wizard = open_wizard(qtbot, desk)  # the same draft, resumed
    assert wizard.state.country is Country.AU
    assert "call 000" in _pulmonary_embolism_message(qtbot, wizard)
    wizard.save_now()  # stores the raised flag, as the autosave does
    qtbot.waitUntil(lambda: bool(desk.store.red_flags.for_patient(desk.patient_id)), timeout=10_000)
    [flag] = desk.store.red_flags.for_patient(desk.patient_id)
    assert flag.code == "pulmonary_embolism" and "call 000" in flag.message and "999" not in flag.message
