"""Salutations, closings and the phone-call sentence."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from workstation.clinical.country import Country
from workstation.letters.locale import LetterLocale
from workstation.letters.records import PhoneCall
from workstation.letters.wording import BANNER_TITLES, closing, phone_call_sentence, salutation

UK, US = LetterLocale.of(Country.UK), LetterLocale.of(Country.US)


@pytest.fixture
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The clinic's own zone is the machine's: Europe/London, on summer time in June."""
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Dr A Patel", "Dear Dr A Patel,"),
        ("dr. Patel", "Dear dr. Patel,"),
        ("Professor Okafor", "Dear Professor Okafor,"),
        ("Ms Nguyễn Thị Minh", "Dear Ms Nguyễn Thị Minh,"),
        ("Anita Patel", "Dear Dr Anita Patel,"),
        ("Drummond", "Dear Dr Drummond,"),  # a name that starts like a title is still a name
        ("  ", "Dear Doctor,"),
        ("", "Dear Doctor,"),
    ],
)
def test_the_salutation_never_doubles_the_title(name: str, greeting: str) -> None:
    assert salutation(name) == greeting


def test_the_closing_follows_the_salutation_and_the_country() -> None:
    assert closing(True, UK) == "Yours sincerely,"
    assert closing(False, UK) == "Yours faithfully,"
    assert closing(True, US) == closing(False, US) == "Sincerely,"


@pytest.mark.usefixtures("london")
def test_the_phone_call_is_told_in_the_clinics_own_time() -> None:
    call = PhoneCall(datetime(2026, 6, 1, 10, 20, tzinfo=UTC), "Reception, Riverside Surgery",
                     "same-day appointment at 15:00")  # fmt: skip
    assert phone_call_sentence(call, UK) == (
        "I telephoned Reception, Riverside Surgery at 11:20 on 1 June 2026: same-day appointment at 15:00."
    )
    assert phone_call_sentence(call, US) == (
        "I telephoned Reception, Riverside Surgery at 11:20 AM on June 1, 2026: same-day appointment at 15:00."
    )


@pytest.mark.usefixtures("london")
def test_the_calls_date_is_the_local_one_near_midnight() -> None:
    call = PhoneCall(datetime(2026, 6, 1, 23, 30, tzinfo=UTC), "NHS 111")
    assert phone_call_sentence(call, UK) == "I telephoned NHS 111 at 00:30 on 2 June 2026."


def test_typed_punctuation_is_kept_and_a_missing_call_says_why() -> None:
    moment = datetime(2026, 12, 1, 11, 20, tzinfo=UTC)
    assert phone_call_sentence(PhoneCall(moment, "", "Seen at 15:00!"), UK).endswith(": Seen at 15:00!")
    assert phone_call_sentence(PhoneCall(None, not_called_reason="Taken to ED by ambulance"), UK) == (
        "No telephone call was made: Taken to ED by ambulance."
    )
    assert phone_call_sentence(PhoneCall(None), UK) == "No telephone call was recorded."


def test_each_tier_has_its_banner_title_with_its_time_frame() -> None:
    assert BANNER_TITLES["emergency"].startswith("EMERGENCY")
    assert BANNER_TITLES["urgent"] == "URGENT – SAME DAY: please see today"
    assert "2 weeks" in BANNER_TITLES["soon"]
    assert BANNER_TITLES["routine"] == "ROUTINE: for information"
