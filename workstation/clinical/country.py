"""What to tell the clinician to do, in the words of the clinic's country (CLINICAL.md 5.1).

A red-flag message names the emergency number to call. When the clinic's country is not known the
message gives all four, rather than guess one that would not connect.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, slots=True)
class Routes:
    emergency_number: str
    same_day_route: str


class Country(Enum):
    UK = Routes("999", "urgent GP appointment, NHS 111 or Emergency Department, per local pathway")
    AU = Routes("000", "same-day GP appointment or Emergency Department")
    EU = Routes("112", "same-day GP appointment or Emergency Department")
    US = Routes("911", "same-day physician, urgent care or Emergency Department")

    @classmethod
    def from_code(cls, code: str) -> Country:
        """``uk``, ``AU``, ... (``gb`` is taken as the UK); ValueError names the accepted codes."""
        wanted = code.strip().upper()
        wanted = "UK" if wanted == "GB" else wanted
        try:
            return cls[wanted]
        except KeyError:
            accepted = ", ".join(country.name for country in cls)
            raise ValueError(f"unknown country {code!r}: use one of {accepted}") from None


ALL_EMERGENCY_NUMBERS = ", ".join(
    f"{country.value.emergency_number} {name}"
    for country, name in zip(Country, ("UK", "Australia", "EU", "US"), strict=True)
)
UNKNOWN_SAME_DAY_ROUTE = "same-day GP appointment, urgent care or Emergency Department, per local pathway"


def emergency_call(country: Country | None) -> str:
    """ "call 999" for a known country, else every number: "call the emergency number (999 UK, 000 ...)"."""
    if country is None:
        return f"call the emergency number ({ALL_EMERGENCY_NUMBERS})"
    return f"call {country.value.emergency_number}"


def same_day_route(country: Country | None) -> str:
    return UNKNOWN_SAME_DAY_ROUTE if country is None else country.value.same_day_route


def same_day_dvt_route(country: Country | None) -> str:
    """The same-day route for a suspected DVT: in the UK most areas run a DVT clinic (NICE NG158 pathway)."""
    if country is Country.UK:
        return "DVT clinic, urgent GP appointment, NHS 111 or Emergency Department, per local pathway"
    return same_day_route(country)
