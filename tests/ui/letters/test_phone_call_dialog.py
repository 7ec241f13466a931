"""Phone first (CLINICAL.md 9.1): what the dialog tells the clinician to do, per tier and country, and what
it keeps as the record of the call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from ui.letters.phone_call_dialog import PhoneCallDialog, call_advice
from workstation.clinical.country import Country

NOW = datetime(2026, 12, 1, 11, 20, tzinfo=UTC)


def dialog(qtbot: QtBot, tier: str = "urgent", country: Country | None = Country.UK) -> PhoneCallDialog:
    shown = PhoneCallDialog(tier, country=country, dvt=True, practice_line="The patient's GP: Riverside · 01632 960123",
                            now=lambda: NOW)  # fmt: skip
    qtbot.addWidget(shown)
    return shown


def test_an_emergency_names_the_clinics_emergency_number() -> None:
    assert "call 999 or send the patient to the Emergency Department now" in call_advice("emergency", Country.UK,
                                                                                         dvt=False)[0]  # fmt: skip
    assert "call 000" in call_advice("emergency", Country.AU, dvt=False)[0]
    unknown = " ".join(call_advice("emergency", None, dvt=False))
    assert all(number in unknown for number in ("999", "000", "112", "911"))  # never a guess that cannot connect


def test_an_urgent_dvt_names_the_same_day_route_and_the_emergency_number() -> None:
    lines = call_advice("urgent", Country.UK, dvt=True)
    assert "never by post" in lines[0]
    assert "DVT clinic" in lines[1] and "NHS 111" in lines[1]
    assert "breathless" in lines[2] and "call 999" in lines[2]


def test_a_call_needs_whom_you_spoke_to_and_a_time_not_in_the_future(qtbot: QtBot) -> None:
    shown = dialog(qtbot)
    shown.at.setDateTime(shown.at.dateTime().addSecs(3_600))
    shown.finalise_button.click()
    assert not shown.result() and shown.phone_call is None
    assert shown.messages["spoken_to"].is_problem and shown.messages["at"].is_problem
    shown.at.setDateTime(shown.at.dateTime().addSecs(-3_600 - 600))
    shown.spoken_to.setText("  NHS 111  ")
    shown.finalise_button.click()
    call = shown.phone_call
    assert call is not None and call.made and call.spoken_to == "NHS 111"
    assert call.at == NOW - timedelta(minutes=10) and call.at.tzinfo is not None


def test_no_call_made_keeps_only_the_reason(qtbot: QtBot) -> None:
    shown = dialog(qtbot, "emergency")
    shown.spoken_to.setText("typed before changing my mind")
    shown.not_called.click()
    assert not shown.spoken_to.isEnabled() and shown.reason.isEnabled()
    shown.finalise_button.click()
    assert shown.messages["reason"].is_problem and shown.phone_call is None
    shown.reason.setText("Ambulance called from the clinic")
    shown.finalise_button.click()
    call = shown.phone_call
    assert call is not None and not call.made
    assert (call.at, call.spoken_to, call.not_called_reason) == (None, "", "Ambulance called from the clinic")
