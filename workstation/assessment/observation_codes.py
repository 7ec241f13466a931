"""Which observations a finalised assessment stores: one table of code, unit, side and where the value comes from.

An observation is a value the clinician will chart over visits (CLINICAL.md 7.1, "performance measures to
chart"). Typed values are stored exactly as typed; computed ones (the Wells score, the LSI) as the engine
showed them, to one decimal place. ``origin`` names where the value is read:

- ``document``: a path of the ``calfdesk.assessment/1`` document;
- ``detail``: a path of the wizard's ``detail`` (``draft.py``);
- ``evaluation``: the engine's reading (``psfs_mean`` is computed from the document's PSFS scores).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from workstation.records import Side

Origin = Literal["document", "detail", "evaluation"]
ProtocolKind = Literal["heel_raise", "heel_raise_bent", "knee_to_wall", "wells", "lsi", "psfs", "none"]


@dataclass(frozen=True, slots=True)
class ObservationSource:
    code: str
    unit: str
    side: Side  # Side.BOTH for heel_raise_lsi means "the involved side of this assessment"
    origin: Origin
    path: str
    protocol: ProtocolKind
    label: str


OBSERVATION_SOURCES: tuple[ObservationSource, ...] = (
    ObservationSource("heel_raise_reps", "reps", Side.LEFT, "document", "heel_raise.left_reps", "heel_raise",
                      "Heel raise, left"),
    ObservationSource("heel_raise_reps", "reps", Side.RIGHT, "document", "heel_raise.right_reps", "heel_raise",
                      "Heel raise, right"),
    ObservationSource("heel_raise_bent_reps", "reps", Side.LEFT, "detail", "heel_raise.bent_left_reps",
                      "heel_raise_bent", "Bent-knee heel raise, left"),
    ObservationSource("heel_raise_bent_reps", "reps", Side.RIGHT, "detail", "heel_raise.bent_right_reps",
                      "heel_raise_bent", "Bent-knee heel raise, right"),
    ObservationSource("knee_to_wall_cm", "cm", Side.LEFT, "document", "knee_to_wall.left_cm", "knee_to_wall",
                      "Knee to wall, left"),
    ObservationSource("knee_to_wall_cm", "cm", Side.RIGHT, "document", "knee_to_wall.right_cm", "knee_to_wall",
                      "Knee to wall, right"),
    ObservationSource("straight_knee_deg", "deg", Side.LEFT, "detail", "knee_to_wall.straight_knee_deg_left",
                      "knee_to_wall", "Straight-knee angle, left"),
    ObservationSource("straight_knee_deg", "deg", Side.RIGHT, "detail", "knee_to_wall.straight_knee_deg_right",
                      "knee_to_wall", "Straight-knee angle, right"),
    ObservationSource("nprs_now", "0-10", Side.NONE, "document", "history.nprs_now", "none", "Pain now"),
    ObservationSource("nprs_worst_24h", "0-10", Side.NONE, "document", "history.nprs_worst_24h", "none",
                      "Worst pain in 24 hours"),
    ObservationSource("nprs_during_run", "0-10", Side.NONE, "document", "history.nprs_during_run", "none",
                      "Pain during running"),
    ObservationSource("psfs_mean", "0-10", Side.NONE, "evaluation", "outcomes.psfs", "psfs", "PSFS mean"),
    ObservationSource("lefs_total", "0-80", Side.NONE, "document", "outcomes.lefs_total", "none", "LEFS total"),
    ObservationSource("wells_score", "points", Side.NONE, "evaluation", "wells.score", "wells", "Wells score"),
    ObservationSource("heel_raise_lsi", "%", Side.BOTH, "evaluation", "heel_raise.lsi_percent", "lsi",
                      "Heel-raise LSI"),
)  # fmt: skip

OBSERVATION_CODES: tuple[str, ...] = tuple(dict.fromkeys(source.code for source in OBSERVATION_SOURCES))
