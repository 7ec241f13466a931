"""Where demo patients live: addresses, phone numbers and national identifiers, each country's way.

Phone numbers come from the ranges set aside for drama and examples (see ``demo_data``). NHS numbers use
the 999 range reserved for testing; no identifier is given to two patients.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from math import gcd
from typing import Protocol, TypeVar

from workstation import demo_data as data
from workstation.identifiers import medicare_check_digit, nhs_check_digit

_T = TypeVar("_T")
_INVERSE_GOLDEN_RATIO = 0.6180339887


class Draws(Protocol):
    """The random draws the demo makes (``workstation.demo`` provides them from one seeded generator)."""

    def random(self) -> float: ...

    def pick(self, options: Sequence[_T]) -> _T: ...

    def below(self, stop: int) -> int: ...

    def between(self, start: int, stop: int) -> int: ...


class Place(ABC):
    """A home (or a practice) and the numbering plan of its country."""

    town = ""

    def __init__(self, rng: Draws) -> None:
        self.rng = rng

    @abstractmethod
    def address(self) -> str: ...

    @abstractmethod
    def phone(self, *, mobile: bool) -> str: ...


class UkPlace(Place):
    def __init__(self, rng: Draws) -> None:
        super().__init__(rng)
        self.town, self._postcode_area, self._landline = rng.pick(data.UK_TOWNS)

    def address(self) -> str:
        rng = self.rng
        letters = data.POSTCODE_LETTERS
        postcode = f"{self._postcode_area} {rng.below(10)}{rng.pick(letters)}{rng.pick(letters)}"
        return f"{rng.between(1, 240)} {rng.pick(data.STREETS)}, {self.town} {postcode}"

    def phone(self, *, mobile: bool) -> str:
        prefix = data.UK_MOBILE_PREFIX if mobile else self._landline
        return f"{prefix}{self.rng.below(1_000):03d}"


class AuPlace(Place):
    def __init__(self, rng: Draws) -> None:
        super().__init__(rng)
        self.town, self._state, self._postcode, self._area = rng.pick(data.AU_SUBURBS)

    def address(self) -> str:
        rng = self.rng
        unit = f"{rng.between(1, 20)}/" if rng.random() < 0.25 else ""
        return f"{unit}{rng.between(1, 300)} {rng.pick(data.STREETS)}, {self.town} {self._state} {self._postcode}"

    def phone(self, *, mobile: bool) -> str:
        if mobile:
            return self.rng.pick(data.AU_MOBILES)
        return f"({self._area}) {self.rng.pick(data.AU_LANDLINE_EXCHANGES)} {self.rng.below(10_000):04d}"


class _UniqueNumbers:
    """Distinct numbers below ``size`` in a scattered order, so no two patients share an identifier.

    ``i -> (i * step + offset) mod size`` visits every number once when step and size are coprime; a
    step near size / golden ratio spreads consecutive patients' numbers evenly over the whole range.
    After ``size`` numbers the sequence starts again (far beyond any demo).
    """

    def __init__(self, size: int, rng: Draws) -> None:
        self._size = size
        self._step = round(size * _INVERSE_GOLDEN_RATIO)
        while gcd(self._step, size) != 1:
            self._step += 1
        self._offset = rng.below(size)
        self._taken = 0

    def take(self) -> int:
        value = (self._taken * self._step + self._offset) % self._size
        self._taken += 1
        return value


class Identifiers:
    """NHS numbers in the 999 range reserved for testing (never issued to a person); Medicare numbers."""

    def __init__(self, rng: Draws) -> None:
        self._rng = rng
        self._nhs = _UniqueNumbers(1_000_000, rng)
        self._medicare = _UniqueNumbers(50_000_000, rng)

    def for_country(self, uk: bool) -> tuple[str, str, str]:
        """(NHS number, Medicare number, Medicare IRN); empty where unknown or not of this country."""
        if uk:
            # Not every patient's number is known yet; some are visitors without one.
            return (self.nhs_number(), "", "") if self._rng.random() < 0.92 else ("", "", "")
        if self._rng.random() < 0.9:
            return "", self.medicare_number(), str(self._rng.between(1, 6))
        return "", "", ""  # an overseas visitor, or the card was not brought along

    def nhs_number(self) -> str:
        while True:
            first_nine = f"999{self._nhs.take():06d}"
            check = nhs_check_digit(first_nine)
            if check is not None:  # one start in eleven has no valid check digit
                return f"{first_nine}{check}"

    def medicare_number(self) -> str:
        """First digit 2-6, seven more, the check digit, then the card issue number."""
        first_eight = f"{20_000_000 + self._medicare.take()}"
        return f"{first_eight}{medicare_check_digit(first_eight)}{self._rng.between(1, 10)}"
