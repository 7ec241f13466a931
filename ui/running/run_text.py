"""How a run reads on screen (distance in the clinic's unit, h:mm, pace) and how typed values are read back."""

from __future__ import annotations

import math
import re

from workstation.clinical.load import KM_PER_MILE, SURFACES, DistanceUnit, Surface, distance_in_unit
from workstation.running.records import RunRecord, RunSource

SURFACE_LABELS: dict[Surface, str] = {
    "road": "Road",
    "track": "Track",
    "trail": "Trail",
    "grass": "Grass",
    "sand": "Sand",
    "loose_dirt": "Loose dirt",
    "treadmill": "Treadmill",
    "other": "Other",
}
assert set(SURFACE_LABELS) == set(SURFACES)
SOURCE_LABELS: dict[RunSource, str] = {"manual": "Typed in", "csv": "CSV file", "strava": "Strava"}
UNIT_WORDS: dict[DistanceUnit, str] = {"km": "km", "mi": "miles"}
NOT_RECORDED = "—"

_DURATION = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?$")


def distance_text(km: float, unit: DistanceUnit) -> str:
    """One decimal in the clinic's unit: "10.0 km", "6.2 mi"."""
    return f"{distance_in_unit(km, unit):.1f} {unit}"


def distance_number(km: float, unit: DistanceUnit) -> str:
    """The distance as it is typed back into a field (no unit; up to two decimals, no trailing zeros)."""
    return f"{distance_in_unit(km, unit):.2f}".rstrip("0").rstrip(".")


def duration_text(minutes: float | None) -> str:
    """h:mm, rounded to the minute ("0:45", "1:32")."""
    if minutes is None:
        return NOT_RECORDED
    whole = round(minutes)
    return f"{whole // 60}:{whole % 60:02d}"


def duration_field_text(minutes: float | None) -> str:
    """What the duration field shows for an existing run: h:mm, with seconds only when there are some."""
    if minutes is None:
        return ""
    seconds = round(minutes * 60)
    hours, rest = divmod(seconds, 3600)
    mins, secs = divmod(rest, 60)
    return f"{hours}:{mins:02d}:{secs:02d}" if secs else f"{hours}:{mins:02d}"


def parse_duration(text: str) -> float | None:
    """Minutes from "45" (minutes), "1:05" (h:mm) or "1:05:30" (h:mm:ss); None when it cannot be read.

    A bare number is minutes because that is how runners say a short run ("a 40-minute run").
    """
    text = text.strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    match = _DURATION.match(text)
    if match is None:
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    if minutes >= 60 or seconds >= 60:
        return None
    return hours * 60 + minutes + seconds / 60


def parse_distance(text: str) -> float | None:
    """A typed distance ("10", "10.5", "10,5"); None when it is not a number. Range checks are the rules'."""
    cleaned = text.strip().replace(",", ".")
    if not re.fullmatch(r"-?\d+(?:\.\d*)?|-?\.\d+", cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def pace_text(run: RunRecord, unit: DistanceUnit) -> str:
    """Minutes and seconds per km or per mile ("5:12 /km"); a dash without a duration."""
    if run.duration_min is None or run.distance_km <= 0:
        return NOT_RECORDED
    per_km = run.duration_min / run.distance_km
    per_unit = per_km if unit == "km" else per_km * KM_PER_MILE
    seconds = round(per_unit * 60)
    return f"{seconds // 60}:{seconds % 60:02d} /{unit}"


def yes_no_text(value: bool | None) -> str:
    return NOT_RECORDED if value is None else ("Yes" if value else "No")


def effort_text(effort: int | None) -> str:
    return NOT_RECORDED if effort is None else str(effort)
