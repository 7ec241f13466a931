"""Synthetic running logs for demo patients who have an assessment history (``demo_assessments``).

Each runner has a usual week (3-5 runs, the long one on Sunday) for a couple of months before the injury,
stops at the injury, comes back through the walk-run phases each assessment's plan sets (CLINICAL.md 7.2),
and builds up to the usual week again after the last visit. Progress is held under the spike limit (each
run at most 108 % of the longest of the previous 30 days), so the only spikes on a demo chart are the ones
that tell the story: about half the injuries happen on an over-long run, and every relapse in a course
(a visit noted with one of ``SPIKE_NOTES``) follows a spike a few days before it, after a few easy runs
(against the plan's advice where it said not to run) that give the spike its baseline. Runs that a plan of "not
running" covers are left out; a runner sent on the same day (a suspected DVT) does not run again here.

Distances are stored in km. Pure and deterministic: one ``random.Random`` per patient, from the seed and the
patient's id, so equal seeds and inputs give equal logs (uids included).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from workstation.clinical.load import SPIKE_LOOKBACK_DAYS, Surface
from workstation.clinical.walk_run import WALK_RUN_PHASES
from workstation.demo_assessments import SPIKE_NOTES, DemoAssessment
from workstation.running.records import RunRecord

GOVERNED_PERCENT = 108  # % of the 30-day longest run: demo progress stays under the 110 % spike limit
MARATHON_KM = 42.2  # the longest demo spike, unless a spike shortly before was longer
REBUILD_PER_WEEK = 1.07  # weekly distance growth after the last visit, towards the runner's usual week
WEEKS_BEFORE = (8, 15)  # weeks of usual running logged before the first injury, [low, high)
WEEKS_AFTER = 6  # weeks logged after the last visit of a course
_WALK_RUN_DAYS = (0, 2, 5)  # Monday, Wednesday, Saturday
_USUAL_DAYS = {3: (1, 3, 6), 4: (1, 3, 5, 6), 5: (0, 1, 3, 5, 6)}  # Sunday (6) is the long run
_SURFACES: tuple[Surface, ...] = (*("road",) * 11, *("trail",) * 3, "track", "grass", *("treadmill",) * 2)
_SHOES = ("Pegasus 41", "Ghost 16", "Clifton 9", "Novablast 4", "Cloudmonster", "Kinvara 14", "Speedgoat 6")
_LOOKBACK = timedelta(days=SPIKE_LOOKBACK_DAYS)


@dataclass(frozen=True, slots=True)
class _Visit:
    on: date
    phase: int | None  # the plan's walk-run phase; None: not running
    relapse: bool


@dataclass(frozen=True, slots=True)
class _Course:
    injured_on: date
    visits: tuple[_Visit, ...]

    @property
    def last(self) -> _Visit:
        return self.visits[-1]


def generate_demo_runs(assessments: Iterable[DemoAssessment], seed: int, today: date) -> Iterator[RunRecord]:
    """A running log for each patient of ``assessments`` (a flat stream of courses), oldest run first.

    Args:
        assessments: the demo assessments, as ``generate_assessment_courses`` makes them.
        seed: equal seeds and inputs give equal runs.
        today: no run lies after it.
    """
    visits: dict[int, dict[int | None, list[_Visit]]] = defaultdict(lambda: defaultdict(list))
    for assessment in assessments:
        draft = assessment.draft
        plan = draft.detail.get("plan") or {}
        notes = (draft.detail.get("history") or {}).get("notes", "")
        on = date.fromisoformat(draft.document["assessed_on"])
        visits[draft.patient_id][draft.episode_id].append(
            _Visit(on, plan.get("return_to_run_phase"), notes in SPIKE_NOTES)
        )
    for patient_id, by_episode in visits.items():
        rng = Random(seed * 1_000_003 + patient_id)
        courses = sorted(
            (_Course(found[0].on - timedelta(days=rng.randrange(2, 9)), tuple(found)) for found in by_episode.values()),
            key=lambda course: course.injured_on,
        )
        yield from _Runner(rng, patient_id, today).log(courses)


class _Runner:
    def __init__(self, rng: Random, patient_id: int, today: date) -> None:
        self.rng = rng
        self.patient_id = patient_id
        self.today = today
        self.usual_km = rng.uniform(15.0, 60.0)
        self.days = _USUAL_DAYS[rng.choice((3, 4, 4, 5))]
        self.pace = rng.uniform(4.6, 6.6)  # min/km, easy running
        self.shoes = rng.choice(_SHOES)
        self.strava = rng.random() < 0.4  # synced from a watch: two decimals and an activity id
        self.done: list[tuple[date, float]] = []

    def log(self, courses: Sequence[_Course]) -> Iterator[RunRecord]:
        rng = self.rng
        day = courses[0].injured_on - timedelta(weeks=rng.randrange(*WEEKS_BEFORE))
        end = min(self.today, courses[-1].last.on + timedelta(weeks=WEEKS_AFTER))
        spikes = {course.injured_on for course in courses if rng.random() < 0.5}
        sneaked: set[date] = set()  # easy runs against the plan's advice, so a relapse's spike has a baseline
        for course in courses:
            for index, visit in enumerate(course.visits):
                if visit.relapse and index:
                    gap = (visit.on - course.visits[index - 1].on).days
                    spike = visit.on - timedelta(days=rng.randrange(2, max(3, min(9, gap))))
                    spikes.add(spike)
                    sneaked.update(spike - timedelta(days=days) for days in (13, 9, 5))
        while day <= end:
            run = self._run_on(day, courses, day in spikes)
            if run is None and day in sneaked:
                run = self._usual(day, self.usual_km / 2)
            if run is not None:
                yield run
            day += timedelta(days=1)

    def _run_on(self, day: date, courses: Sequence[_Course], spike: bool) -> RunRecord | None:
        current = next((c for c in reversed(courses) if c.injured_on <= day), None)
        injured = current is not None and day == current.injured_on
        if spike:
            return self._spike(day, "Calf went near the end of this run" if injured else "")
        if current is None or injured:
            return self._usual(day, self.usual_km) if day.weekday() in self.days else None
        if day <= current.last.on:
            seen = [visit for visit in current.visits if visit.on <= day]
            phase = seen[-1].phase if seen else None
            return self._walk_run(day, phase) if phase is not None and day.weekday() in _WALK_RUN_DAYS else None
        if current.last.phase is None or day.weekday() not in self.days:
            return None
        weeks = (day - current.last.on).days / 7
        start_km = 3 * WALK_RUN_PHASES[current.last.phase - 1].total_km
        return self._usual(day, min(self.usual_km, start_km * REBUILD_PER_WEEK**weeks))

    def _longest_before(self, day: date) -> float | None:
        longest = None
        for on, km in reversed(self.done):
            if on < day - _LOOKBACK:
                break
            longest = km if longest is None else max(longest, km)
        return longest

    def _usual(self, day: date, week_km: float) -> RunRecord:
        rng = self.rng
        runs = len(self.days)
        long_share = 0.4 if runs == 3 else 0.33
        long_run = day.weekday() == 6
        km = week_km * long_share if long_run else week_km * (1 - long_share) / (runs - 1)
        km *= rng.uniform(0.94, 1.04) if long_run else rng.uniform(0.85, 1.1)
        longest = self._longest_before(day)
        if longest is not None:
            km = min(km, longest * GOVERNED_PERCENT / 100)
        speed = not long_run and runs >= 4 and day.weekday() == 3
        pace = self.pace + (0.35 if long_run else -0.45 if speed else rng.uniform(-0.1, 0.2))
        effort = 6 if long_run else 7 if speed else rng.choice((3, 4))
        return self._record(day, km, pace, effort, hills=rng.random() < 0.2, speed_work=speed, note="")

    def _walk_run(self, day: date, phase: int) -> RunRecord:
        template = WALK_RUN_PHASES[phase - 1]
        km = template.total_km * self.rng.uniform(0.95, 1.08)
        longest = self._longest_before(day)
        if longest is not None:
            km = min(km, longest * GOVERNED_PERCENT / 100)
        continuous = template.walk_min is None
        pace = self.pace + (0.6 if continuous else 3.5)  # walking breaks slow the average
        note = f"Walk-run phase {phase}" + (" (continuous)" if continuous else f": walk {template.walk_min} min, "
                                              f"run {template.run_min} min")  # fmt: skip
        return self._record(day, km, pace, template.effort_rpe, hills=False, speed_work=False, note=note)

    def _spike(self, day: date, note: str) -> RunRecord:
        rng = self.rng
        longest = self._longest_before(day) or self.usual_km / 3
        # A marathon at most, unless the runner already ran near one in the last 30 days (two spikes close
        # together); always over the 110 % limit, which is the point of it.
        km = max(min(longest * rng.uniform(1.45, 2.2), MARATHON_KM), longest * 1.15, 6.0)
        note = note or rng.choice(("Felt good so went long", "Race with the club", "Long run with friends"))
        return self._record(day, km, self.pace + 0.2, 8, hills=rng.random() < 0.5, speed_work=False, note=note)

    def _record(
        self, day: date, km: float, pace: float, effort: int, *, hills: bool, speed_work: bool, note: str
    ) -> RunRecord:
        rng = self.rng
        km = max(round(km, 2 if self.strava else 1), 0.5)
        self.done.append((day, km))
        surface = rng.choice(_SURFACES)
        return RunRecord(
            patient_id=self.patient_id,
            run_on=day,
            distance_km=km,
            duration_min=round(km * pace, 1),
            perceived_effort=effort,
            surface=surface,
            shoes=self.shoes,
            hills=hills and surface != "track",
            speed_work=speed_work,
            note=note,
            source="strava" if self.strava else "manual",
            external_id=str(rng.getrandbits(40)) if self.strava else "",
            uid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        )
