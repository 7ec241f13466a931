"""Rounding for display and output: one decimal place, halves away from zero.

The contract rounds output numbers to one decimal place. Python's ``round`` rounds halves to even and
works on the binary value (``round(2.45, 1) == 2.5`` but ``round(1.45, 1) == 1.4``), so a knee-to-wall
difference of 1.45 cm would fall either side of the 1.5 cm flag by accident. Rounding the decimal the
clinician typed, halves up, is what they would do on paper, and flags the borderline case.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

_TENTH = Decimal("0.1")


def decimal_of(value: float) -> Decimal:
    """The decimal the value was written as (``repr`` is the shortest string that reads back the same)."""
    return Decimal(repr(value))


def one_decimal(value: float | Decimal | Fraction) -> float:
    """``value`` to one decimal place, halves away from zero (a Fraction is rounded exactly)."""
    if isinstance(value, Fraction):
        # 28 significant digits: a ratio that ends in a 5 at the hundredths ends there exactly.
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = value if isinstance(value, Decimal) else decimal_of(value)
    return float(exact.quantize(_TENTH, rounding=ROUND_HALF_UP))


def one_decimal_or_none(value: float | Decimal | Fraction | None) -> float | None:
    return None if value is None else one_decimal(value)
