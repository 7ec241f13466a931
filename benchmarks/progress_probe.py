"""Run in its own process by ``benchmarks.progress``: time opening a patient's Progress tab.

The patient has five years of weekly assessments (260 full documents finalised through the service, each
with its heel-raise, LSI, knee-to-wall, pain, PSFS, LEFS and Wells observations) and 2,000 logged runs,
in an encrypted SQLite file. The real window
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


def populate(session: object, patient_id: int, episode_id: int) -> None:
    """Weekly assessments (a slow recovery) and 2,000 runs with a spike now and then, written as the app
    writes them: real documents finalised through the service (engine, flags, observations), then one import.
    """
    from benchmarks.wizard_probe import sample_document
    from workstation.assessment.draft import AssessmentDraft
    from workstation.assessment.plan import plan_for
    from workstation.running.records import RunRecord

    first = TODAY - timedelta(weeks=WEEKS)
    plan = plan_for("overload").as_detail()
    for week in range(WEEKS):
        on = first + timedelta(weeks=week)
        document = sample_document()
        document["assessed_on"] = on.isoformat()
        document["heel_raise"] = {**document["heel_raise"], "left_reps": 14 + (week * 17) // WEEKS,  # type: ignore[dict-item]
                                  "right_reps": 30 + week % 3}  # fmt: skip
        detail = {"impression": {"condition": "overload", "text": "Calf overload after a mileage jump."},
                  "plan": {**plan, "return_to_run_phase": 1 + (week // 20) % 6}}  # fmt: skip
        draft = AssessmentDraft(patient_id, episode_id, document, detail)
        at = datetime.combine(on, datetime.min.time(), UTC) + timedelta(hours=10)
        session.assessments.finalise(draft, today=on, country=None, at=at)  # type: ignore[attr-defined]
    days = (TODAY - first).days
    runs = [
        RunRecord(
            patient_id=patient_id, run_on=first + timedelta(days=(i * days) // RUNS),
            distance_km=5.0 + (i % 7) * 1.5 + (9.0 if i % 97 == 0 else 0.0), duration_min=30.0 + (i % 7) * 8,
            perceived_effort=3 + i % 5, surface="road",
        )
        for i in range(RUNS)
    ]  # fmt: skip
    session.running_log.import_runs(patient_id, runs, today=TODAY)  # type: ignore[attr-defined]


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
    assert patient.id is not None
    episode = store.episodes.add(Episode(patient.id, "Left calf pain", Side.LEFT, TODAY - timedelta(weeks=WEEKS)))
    assert episode.id is not None
    session = ClinicSession(store, owner.actor, auditor)
    populate(session, patient.id, episode.id)
    settings = QSettings(str(Path(folder.name) / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(session, can=session.can, today=lambda: TODAY, settings=settings)
    window.resize(1400, 1000)
    window.show()
    _wait(app, lambda: window.directory.ready)
    window.open_patient(patient.id)
    view = window.patient_view
    _wait(app, lambda: view.patient is not None and view.patient.id == patient.id)
    window.activateWindow()
    _wait(app, window.isActiveWindow)
    view.tabs.setFocus()  # Ctrl+2 belongs to the patient view, as when the physio works in it
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
