"""Run in its own process by ``benchmarks.progress``: time the Progress tab of a long history.

Two patients each have five years of weekly assessments (260 full documents finalised through the
service, with their heel-raise, LSI, knee-to-wall, pain, PSFS, LEFS and Wells observations) and 2,000
logged runs, in an encrypted SQLite file; the real window shows them in turn, so every measurement is of
a patient other than the one drawn before.

- ``progress_open_ms``: the record is open (its series were read on the database thread as it opened);
  Ctrl+2, until the charts are drawn and painted. What a physio waits for.
- ``progress_switch_ms``: the Progress tab is showing; the other patient is opened, until their charts
  are painted: the record's reads, the series' reads and computing, and the drawing, end to end.
- ``progress_first_open_ms``: the first Ctrl+2 of the session (pyqtgraph loads, the plots are made).

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
    session = ClinicSession(store, owner.actor, auditor)
    patients = []
    for given, born, sex in (("Ada", date(1986, 5, 17), Sex.FEMALE), ("Ben", date(1979, 2, 3), Sex.MALE)):
        patient = store.patients.add(Patient(given, "Runner", born, sex=sex))
        assert patient.id is not None
        episode = store.episodes.add(Episode(patient.id, "Left calf pain", Side.LEFT, TODAY - timedelta(weeks=WEEKS)))
        assert episode.id is not None
        populate(session, patient.id, episode.id)
        patients.append(patient.id)
    settings = QSettings(str(Path(folder.name) / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(session, can=session.can, today=lambda: TODAY, settings=settings)
    window.resize(1400, 1000)
    window.show()
    _wait(app, lambda: window.directory.ready)
    window.activateWindow()
    _wait(app, window.isActiveWindow)
    view, progress = window.patient_view, window.progress

    def open_record(patient_id: int) -> None:
        window.open_patient(patient_id)
        _wait(app, lambda: progress.last_series is not None and progress.last_series.patient_id == patient_id)

    def painted(patient_id: int) -> None:
        _wait(app, lambda: progress.drawn_series is not None and progress.drawn_series.patient_id == patient_id)
        assert progress.progress_tab is not None and view.current_tab == PROGRESS_TAB
        progress.progress_tab.repaint()  # painted, not just scheduled

    opens: list[float] = []
    first_ms = 0.0
    for round_ in range(ROUNDS + 1):
        patient_id = patients[round_ % 2]
        view.tabs.setCurrentIndex(RECORD_TAB)
        open_record(patient_id)
        view.tabs.setFocus()  # Ctrl+2 belongs to the patient view, as when the physio works in it
        started = time.perf_counter()
        QTest.keyClick(view.tabs, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        painted(patient_id)
        elapsed = (time.perf_counter() - started) * 1000
        if round_ == 0:
            first_ms = elapsed
        else:
            opens.append(elapsed)
    switches: list[float] = []
    for round_ in range(ROUNDS):
        patient_id = patients[(round_ + 1) % 2]
        started = time.perf_counter()
        window.open_patient(patient_id)
        painted(patient_id)
        switches.append((time.perf_counter() - started) * 1000)
    series = progress.drawn_series
    assert series is not None
    points = sum(len(s.points) for chart in series.charts for s in chart.series)
    print(json.dumps({
        "progress_open_ms": statistics.median(opens), "progress_switch_ms": statistics.median(switches),
        "progress_first_open_ms": first_ms, "progress_points": points, "progress_weeks": len(series.weeks),
        "progress_spikes": len(series.spikes),
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
