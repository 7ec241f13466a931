"""The Progress and Running log tabs in the real window, on a real database, as a clinician uses them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.assessment.desk import Desk, make_desk, show_patient
from tests.workstation.assessment.test_summary_lines import document
from ui.patients.patient_view import PROGRESS_TAB, RECORD_TAB, RUNNING_LOG_TAB
from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.plan import plan_for
from workstation.assessment.records import AssessmentRecord
from workstation.ports import ClinicStore
from workstation.running.records import RunRecord


@pytest.fixture
def desk(qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]) -> Desk:
    return make_desk(qtbot, open_store(), today, age=38, sex="male")


def finalise(desk: Desk, on: date, left: int, right: int) -> AssessmentRecord:
    doc: dict[str, Any] = document()
    doc["assessed_on"] = on.isoformat()
    doc["heel_raise"] = {**doc["heel_raise"], "left_reps": left, "right_reps": right}
    draft = AssessmentDraft(desk.patient_id, desk.episode_id, doc, detail())
    at = datetime(on.year, on.month, on.day, 10, tzinfo=UTC)
    return desk.session.assessments.finalise(draft, today=on, country=None, at=at)


def detail() -> dict[str, Any]:
    return {"impression": {"condition": "overload"}, "plan": plan_for("overload").as_detail()}


def press(qtbot: QtBot, desk: Desk, key: Qt.Key) -> None:
    view = desk.window.patient_view
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.tabs.setFocus()
    qtbot.keyClick(view.tabs, key, Qt.KeyboardModifier.ControlModifier)


def open_progress(qtbot: QtBot, desk: Desk) -> Any:
    """Ctrl+2, then wait until the charts show this patient's latest series."""
    progress = desk.window.progress
    press(qtbot, desk, Qt.Key.Key_2)
    assert desk.window.patient_view.current_tab == PROGRESS_TAB
    wait_drawn(qtbot, desk)
    return progress.progress_tab


def wait_drawn(qtbot: QtBot, desk: Desk) -> None:
    progress = desk.window.progress
    qtbot.waitUntil(
        lambda: progress.last_series is not None
        and progress.last_series.patient_id == desk.patient_id
        and progress.drawn_series is progress.last_series,
        timeout=10_000,
    )


def plotted(item: Any) -> list[float]:
    values = item.getData()[1]
    return [] if values is None else [float(v) for v in values]


def test_ctrl_2_draws_the_patients_own_measurements(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    finalise(desk, today() - timedelta(days=14), 18, 31)
    finalise(desk, today(), 24, 31)
    show_patient(qtbot, desk)
    progress = desk.window.progress
    qtbot.waitUntil(lambda: progress.last_series is not None, timeout=10_000)  # read as the record opened
    assert progress.progress_tab is None  # pyqtgraph waits until the tab is wanted
    read = progress.last_series
    tab = open_progress(qtbot, desk)
    assert progress.drawn_series is read  # Ctrl+2 only drew what was already read
    assert plotted(tab.heel_raise.curves["left"]) == [18.0, 24.0]
    assert plotted(tab.heel_raise.curves["right"]) == [31.0, 31.0]
    assert plotted(tab.lsi.curves["lsi"]) == [58.1, 77.4]
    press(qtbot, desk, Qt.Key.Key_1)
    assert desk.window.patient_view.current_tab == RECORD_TAB


def test_another_patient_opened_on_the_progress_tab_gets_their_own_charts(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    from workstation.records import Episode, Patient, Side

    finalise(desk, today(), 18, 31)
    show_patient(qtbot, desk)
    tab = open_progress(qtbot, desk)
    other = desk.store.patients.add(Patient("Bo", "Second", date(1980, 1, 1)))
    assert other.id is not None
    desk.store.episodes.add(Episode(other.id, "Calf pain", Side.NONE, today()))
    desk.window.open_patient(other.id)
    qtbot.waitUntil(lambda: desk.window.progress.drawn_series.patient_id == other.id, timeout=10_000)
    assert plotted(tab.heel_raise.curves["left"]) == []
    assert tab.heel_raise.empty_text.isVisible()


def test_a_newly_finalised_assessment_appears_without_reopening_the_patient(
    qtbot: QtBot, desk: Desk, today: Callable[[], date]
) -> None:
    finalise(desk, today() - timedelta(days=14), 18, 31)
    show_patient(qtbot, desk)
    tab = open_progress(qtbot, desk)
    assert plotted(tab.heel_raise.curves["left"]) == [18.0]
    launcher = desk.window.assessments.launcher()
    assert launcher is not None
    doc: dict[str, Any] = document()
    doc["assessed_on"] = today().isoformat()
    doc["heel_raise"] = {**doc["heel_raise"], "left_reps": 26}
    draft = AssessmentDraft(desk.patient_id, desk.episode_id, doc, detail())
    saved: list[AssessmentRecord] = []
    launcher._finalise(draft, saved.append, pytest.fail, None)  # the wizard's Finalise, without typing it all
    qtbot.waitUntil(lambda: plotted(tab.heel_raise.curves["left"]) == [18.0, 26.0], timeout=10_000)
    assert saved and desk.window.patient_view.current_tab == PROGRESS_TAB


def test_clicking_a_point_opens_that_assessment(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    record = finalise(desk, today(), 18, 31)
    show_patient(qtbot, desk)
    tab = open_progress(qtbot, desk)
    point = desk.window.progress.last_series.chart("heel_raise").series[0].points[0]
    assert point.assessment_id == record.id
    tab.assessment_requested.emit(point.assessment_id)
    qtbot.waitUntil(lambda: desk.window.assessments.viewer is not None, timeout=10_000)
    viewer = desk.window.assessments.viewer
    assert viewer.record.id == record.id
    assert "Sam Okafor" in " ".join(label.text() for label in viewer.findChildren(type(viewer.title)))
    viewer.close()


def test_a_recent_load_spike_shows_on_the_patient_banner(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    day = today()
    runs = [RunRecord(desk.patient_id, day - timedelta(days=d), 10.0, duration_min=55) for d in (20, 13, 6)]
    runs.append(RunRecord(desk.patient_id, day - timedelta(days=2), 16.0, duration_min=90))
    desk.session.running_log.import_runs(desk.patient_id, runs, today=day)
    show_patient(qtbot, desk)
    banner = desk.window.patient_view.load_alerts
    qtbot.waitUntil(banner.isVisible)
    assert "16.0 km" in banner.text and "160 %" in banner.text and "10.0 km" in banner.text


def test_no_banner_without_a_spike(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    day = today()
    runs = [RunRecord(desk.patient_id, day - timedelta(days=d), 10.0) for d in (27, 20, 13, 6)]  # a week each
    desk.session.running_log.import_runs(desk.patient_id, runs, today=day)
    show_patient(qtbot, desk)
    assert not desk.window.patient_view.load_alerts.isVisible()


def test_miles_throughout_once_the_clinic_chooses_them(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    day = today()
    runs = [RunRecord(desk.patient_id, day - timedelta(days=d), 16.09344) for d in (9, 2)]
    desk.session.running_log.import_runs(desk.patient_id, runs, today=day)
    desk.session.clinic_settings.set_distance_unit(desk.session.actor, "mi")
    show_patient(qtbot, desk)
    tab = open_progress(qtbot, desk)
    series = desk.window.progress.last_series
    assert series.unit == "mi"
    assert [round(bar.distance, 3) for bar in series.weeks if bar.distance] == [10.0, 10.0]
    assert [round(v, 3) for v in plotted(tab.weekly_distance.bars) if v] == [10.0, 10.0]


def test_the_running_log_tab_lists_the_runs(qtbot: QtBot, desk: Desk, today: Callable[[], date]) -> None:
    day = today()
    desk.session.running_log.import_runs(desk.patient_id, [RunRecord(desk.patient_id, day, 8.0)], today=day)
    show_patient(qtbot, desk)
    press(qtbot, desk, Qt.Key.Key_3)
    assert desk.window.patient_view.current_tab == RUNNING_LOG_TAB
    log = desk.window.progress.running_log
    assert log is not None
    qtbot.waitUntil(lambda: log.model.rowCount() == 1, timeout=10_000)
    QApplication.processEvents()


def test_a_role_without_clinical_records_gets_no_progress_or_running_tab(
    qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]
) -> None:
    from tests.ui.assessment.desk import PASSWORD
    from ui.main_window import MainWindow
    from workstation.audit.auditor import Auditor
    from workstation.records import Patient
    from workstation.security.accounts import Role
    from workstation.services.accounts import Accounts
    from workstation.services.session import ClinicSession

    store = open_store()
    auditor = Auditor(store.audit, "desk-1")
    accounts = Accounts(store.users, auditor)
    owner = accounts.create_owner("sam.okafor", "Sam Okafor", PASSWORD)
    accounts.create_user(owner.actor, "tom.reilly", "Tom Reilly", Role.RECEPTION, "harbour violet pencil drum")
    reception = accounts.log_in("tom.reilly", "harbour violet pencil drum")
    patient = store.patients.add(Patient("Ada", "Runner", date(1990, 1, 1)))
    session = ClinicSession(store, reception.actor, auditor)
    window = MainWindow(session, can=session.can, today=today)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
    window.open_patient(patient.id)
    view = window.patient_view
    qtbot.waitUntil(lambda: view.patient is not None, timeout=10_000)
    assert not view.tabs.isTabVisible(PROGRESS_TAB) and not view.tabs.isTabVisible(RUNNING_LOG_TAB)
    view._show_tab(PROGRESS_TAB)  # what Ctrl+2 does
    assert view.current_tab == RECORD_TAB and window.progress.progress_tab is None
