"""Run in its own process by ``benchmarks.progress``: time opening a patient's Progress tab.

The patient has five years of weekly assessments (260, each with its heel-raise, LSI, knee-to-wall,
pain, PSFS and LEFS observations) and 2,000 logged runs, in an encrypted SQLite file. The real window
shows the record; each round goes back to the Record tab, then presses Ctrl+2 and waits until the charts
have their new series and are painted. That covers the database reads, the series (pure core) and the
drawing: what a physio waits for. The first opening (pyqtgraph loads, the plots are made) is reported
on its own.

Prints one JSON object with the medians in milliseconds.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROUNDS = 15
WEEKS = 260
RUNS = 2_000
TODAY = date(2026, 12, 1)
PASSWORD = "quiet harbour pencil gale"


def populate(store: object, patient_id: int, episode_id: int, owner_id: int) -> None:
    """Weekly assessments (a slow recovery with a relapse) and 2,000 runs, written as the app writes them."""
    from workstation.assessment.records import AssessmentRecord
    from workstation.records import Observation, Side
    from workstation.running.records import RunRecord

    first = TODAY - timedelta(weeks=WEEKS)
    for week in range(WEEKS):
        on = first + timedelta(weeks=week)
        left, right = 14 + (week * 17) // WEEKS, 30 + week % 3
        values = [
            ("heel_raise_reps", "reps", Side.LEFT, float(left)), ("heel_raise_reps", "reps", Side.RIGHT, float(right)),
            ("heel_raise_lsi", "%", Side.LEFT, round(100 * left / right, 1)),
            ("knee_to_wall_cm", "cm", Side.LEFT, 8.0 + week % 5 / 2), ("knee_to_wall_cm", "cm", Side.RIGHT, 11.0),
            ("nprs_now", "0-10", Side.NONE, float(max(0, 6 - week // 40))),
            ("nprs_during_run", "0-10", Side.NONE, float(max(0, 7 - week // 35))),
            ("nprs_worst_24h", "0-10", Side.NONE, float(max(0, 8 - week // 30))),
            ("psfs_mean", "0-10", Side.NONE, min(10.0, 3 + week / 40)),
            ("lefs_total", "0-80", Side.NONE, float(min(80, 50 + week // 10))),
        ]  # fmt: skip
        detail = json.dumps({"plan": {"return_to_run_phase": 1 + (week // 20) % 6}})
        record = AssessmentRecord(
            patient_id=patient_id, episode_id=episode_id, assessed_on=on, document="{}", evaluation="{}",
            detail=detail, urgency="routine", recorded_by=owner_id,
            finalised_at=datetime.combine(on, datetime.min.time(), UTC),
        )  # fmt: skip
        observations = [
            Observation(patient_id, on, code, value, unit, side, episode_id=episode_id)
            for code, unit, side, value in values
        ]
        store.assessments.finalise(record, observations)  # type: ignore[attr-defined]
    days = (TODAY - first).days
    runs = [
        RunRecord(
            patient_id=patient_id, run_on=first + timedelta(days=(i * days) // RUNS),
            distance_km=5.0 + (i % 7) * 1.5 + (12.0 if i % 29 == 0 else 0.0), duration_min=30.0 + (i % 7) * 8,
            perceived_effort=3 + i % 5, surface="road",
        )
        for i in range(RUNS)
    ]  # fmt: skip
    store.running_log.add_many(runs)  # type: ignore[attr-defined]


def main() -> int:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import db
    from ui.main_window import MainWindow
    from ui.patients.patient_view import PROGRESS_TAB, RECORD_TAB
    from workstation.audit.auditor import Auditor
    from workstation.records import Episode, Patient, Sex, Side
    from workstation.services.accounts import Accounts
    from workstation.services.session import ClinicSession

    app = QApplication(sys.argv)
    folder = tempfile.TemporaryDirectory(prefix="calfdesk-progress-")
    store = db.open_database(f"sqlite:///{Path(folder.name) / 'progress.db'}", key=bytes(range(32)))
    auditor = Auditor(store.audit, "bench")
    owner = Accounts(store.users, auditor).create_owner("bench.owner", "Bench Owner", PASSWORD)
    patient = store.patients.add(Patient("Ada", "Runner", date(1986, 5, 17), sex=Sex.FEMALE))
    assert patient.id is not None and owner.user_id is not None
    episode = store.episodes.add(Episode(patient.id, "Left calf pain", Side.LEFT, TODAY - timedelta(weeks=WEEKS)))
    assert episode.id is not None
    populate(store, patient.id, episode.id, owner.user_id)
    session = ClinicSession(store, owner.actor, auditor)
    settings = QSettings(str(Path(folder.name) / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(session, can=session.can, today=lambda: TODAY, settings=settings)
    window.resize(1400, 1000)
    window.show()
    _wait(app, lambda: window.directory.ready)
    window.open_patient(patient.id)
    view = window.patient_view
    _wait(app, lambda: view.patient is not None and view.patient.id == patient.id)
    progress = window.progress
    timings: list[float] = []
    first_ms = 0.0
    for round_ in range(ROUNDS + 1):
        view.tabs.setCurrentIndex(RECORD_TAB)
        app.processEvents()
        before = progress.last_series
        started = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        _wait(app, lambda before=before: progress.last_series is not before)  # type: ignore[misc]
        assert progress.progress_tab is not None and view.current_tab == PROGRESS_TAB
        progress.progress_tab.repaint()  # painted, not just scheduled
        elapsed = (time.perf_counter() - started) * 1000
        if round_ == 0:
            first_ms = elapsed
        else:
            timings.append(elapsed)
    series = progress.last_series
    assert series is not None
    points = sum(len(s.points) for chart in series.charts for s in chart.series)
    print(json.dumps({
        "progress_open_ms": statistics.median(timings), "progress_first_open_ms": first_ms,
        "progress_points": points, "progress_weeks": len(series.weeks), "progress_spikes": len(series.spikes),
    }))  # fmt: skip
    window.close()
    store.close()
    folder.cleanup()
    return 0


def _wait(app: object, condition: object, timeout_s: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.0005)


if __name__ == "__main__":
    sys.exit(main())
