"""One logged run as CalfDesk stores it, and how it reaches the load rules (CLINICAL.md 7.3).

Distances are stored in kilometres whatever the clinic shows (``workstation.clinical.load`` converts at
the edge). A run is a patient-reported fact, so unlike an observation it may be corrected in place: the
version column refuses a stale save (RELIABILITY.md I1), and every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from workstation.records import new_uid

if TYPE_CHECKING:  # the ports import this module; the load rules load only when runs are read for them
    from workstation.clinical.load import RunningSession, Surface

RunSource = Literal["manual", "csv", "strava"]
RUN_SOURCES: tuple[RunSource, ...] = ("manual", "csv", "strava")


@dataclass(frozen=True, slots=True)
class RunRecord:
    """A run the patient did. Optional values are None when not recorded (never "no").

    ``external_id`` is the activity's id in the app it came from (Strava's "Activity ID"), so importing
    the same export twice finds the duplicates; '' for runs typed in or from files without ids.
    """

    patient_id: int
    run_on: date
    distance_km: float
    duration_min: float | None = None
    perceived_effort: int | None = None  # RPE 0-10 (CR-10)
    surface: Surface | None = None
    shoes: str = ""
    hills: bool | None = None
    speed_work: bool | None = None
    note: str = ""
    source: RunSource = "manual"
    external_id: str = ""
    recorded_by: int | None = None
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0

    def as_session(self) -> RunningSession:
        """The run as the load rules read it."""
        from workstation.clinical.load import RunningSession

        return RunningSession(
            date=self.run_on,
            distance_km=self.distance_km,
            duration_min=self.duration_min,
            perceived_effort=self.perceived_effort,
            surface=self.surface,
            shoes=self.shoes or None,
            hills=self.hills,
            speed_work=self.speed_work,
        )
