"""What a screening cell's typed text means, and how a value is written back in the grid (Qt-free).

A value is checked as it is typed: a number in the measure's range, whole where the measure counts
(repetitions, pain on 0-10). "12,5" is read as 12.5, as a continental keyboard writes it. An empty cell
is "not measured", never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.squads.records import ScreeningMeasure


@dataclass(frozen=True, slots=True)
class Typed:
    """One cell as typed: a value, nothing (cleared), or a problem with the text kept as it was typed."""

    value: float | None
    problem: str = ""
    text: str = ""


def read_value(text: str, measure: ScreeningMeasure) -> Typed:
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return Typed(None)
    try:
        value = float(cleaned)
    except ValueError:
        return Typed(None, f"{measure.label}: type a number ({range_text(measure)}).", text)
    if value != value or value in (float("inf"), float("-inf")):  # NaN and infinities are not measurements
        return Typed(None, f"{measure.label}: type a number ({range_text(measure)}).", text)
    if measure.whole_number and value != int(value):
        return Typed(None, f"{measure.label}: whole numbers only ({range_text(measure)}).", text)
    if not measure.minimum <= value <= measure.maximum:
        return Typed(None, f"{measure.label}: {range_text(measure)}.", text)
    return Typed(float(int(value)) if measure.whole_number else round(value, 1))


def range_text(measure: ScreeningMeasure) -> str:
    """ "0 to 150 reps", "0 to 25 cm", "0 to 10"."""
    unit = "" if measure.unit == "0-10" else f" {measure.unit}"
    return f"{value_text(measure.minimum, measure)} to {value_text(measure.maximum, measure)}{unit}"


def value_text(value: float, measure: ScreeningMeasure) -> str:
    if measure.whole_number:
        return str(round(value))
    return f"{value:.1f}".rstrip("0").rstrip(".")


def with_unit(value: float, measure: ScreeningMeasure) -> str:
    text = value_text(value, measure)
    return f"{text}/10" if measure.unit == "0-10" else f"{text} {measure.unit}"


def change_text(change: float, measure: ScreeningMeasure) -> str:
    """A signed change: "+3", "−4.5" (a true minus sign), "0"."""
    if change == 0:
        return "0"
    text = value_text(abs(change), measure)
    return f"+{text}" if change > 0 else f"−{text}"
