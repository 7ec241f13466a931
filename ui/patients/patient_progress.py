"""The window's side of progress: the load alerts on the banner, the Progress tab and the Running log tab.

The charts (pyqtgraph) and the running log are made the first time their tab is shown, never at start-up.
Everything is read on the database thread; the series are computed there too (pure core), so the window
only draws. Whenever the record is opened again (a finalised assessment, a resolved flag) or a run is
saved, the alerts, the log and the visible charts follow without the patient being reopened by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from ui.patients.patient_view import PROGRESS_TAB, RUNNING_LOG_TAB, PatientViewWidget
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError, PermissionDenied
from workstation.ports import Records
from workstation.security.permissions import Action

if TYPE_CHECKING:
    from ui.charts.progress_tab import ProgressTabWidget
    from ui.running.running_log_widget import RunningLogWidget
    from workstation.clinical.load import DistanceUnit
    from workstation.progress.chart_data import ProgressSeries
    from workstation.running.records import RunRecord
    from workstation.services.running import RunningLogService
    from workstation.services.session import ClinicSession


@dataclass(frozen=True, slots=True)
class RunningState:
    """What the banner and the log need when a record opens: cheap to read (one query and a setting)."""

    patient_id: int
    runs: tuple[RunRecord, ...]
    unit: DistanceUnit
    alerts: tuple[str, ...]


class PatientProgress(QObject):
    """Owned by the main window; needs its ``patient_view``, ``tasks``, ``may_write`` and ``show_expected_error``."""

    def __init__(
        self,
        window: QObject,
        records: Callable[[], Records],
        date_order: DateOrder,
        today: Callable[[], date],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._records = records
        self._order = date_order
        self._today = today
        self._state: RunningState | None = None
        self.progress_tab: ProgressTabWidget | None = None
        self.running_log: RunningLogWidget | None = None
        self.last_series: ProgressSeries | None = None  # the shown patient's, read when the record opened
        self._drawn: ProgressSeries | None = None

    def connect_to(self, view: PatientViewWidget) -> None:
        view.tab_shown.connect(self._on_view_tab_shown)

    @property
    def _view(self) -> PatientViewWidget:
        return self._window.patient_view  # type: ignore[attr-defined, no-any-return]

    def running_state_reader(self, patient_id: int) -> Callable[[], RunningState | None]:
        """Work for the database thread: the runs, the unit and the alerts (None for a role without access)."""
        session, today, order = _session_of(self._records()), self._today(), self._order
        return lambda: _running_state(session, patient_id, today, order)

    def patient_opened(self, state: RunningState | None) -> None:
        """The record was (re)opened with this running state: update the banner and the log, and read the
        charts' series at once on the database thread, so Ctrl+2 has only to draw them."""
        self._state = state
        self._view.show_load_alerts(list(state.alerts) if state else [])
        self._show_state_in_log()
        if state is not None:
            self._read_series(state)

    def refresh(self, patient_id: int) -> None:
        """A run was saved or removed: read the running state again (and the charts, if they show)."""
        shown = self._view.patient
        if shown is None or shown.id != patient_id:
            return
        self._window.tasks.submit(  # type: ignore[attr-defined]
            self.running_state_reader(patient_id),
            done=self._on_state_refreshed,
            failed=self._failed,
            context=self,
        )

    def _on_state_refreshed(self, state: RunningState | None) -> None:
        shown = self._view.patient
        if shown is not None and state is not None and shown.id == state.patient_id:
            self.patient_opened(state)

    @Slot(int)
    def _on_view_tab_shown(self, tab: int) -> None:
        if tab == PROGRESS_TAB:
            self._ensure_progress_tab()
            self._draw()  # the series read when the record opened; if still on its way, it draws on arrival
        elif tab == RUNNING_LOG_TAB:
            self._ensure_running_log()
            self._show_state_in_log()

    # Progress charts ------------------------------------------------------------------------------

    @property
    def drawn_series(self) -> ProgressSeries | None:
        """What the Progress tab shows now (None before it first drew)."""
        return self._drawn

    def _ensure_progress_tab(self) -> ProgressTabWidget:
        if self.progress_tab is None:
            from ui.charts.progress_tab import ProgressTabWidget

            self.progress_tab = ProgressTabWidget(self._order)
            self.progress_tab.assessment_requested.connect(self._on_progress_tab_assessment_requested)
            self._view.set_tab_widget(PROGRESS_TAB, self.progress_tab)
        return self.progress_tab

    def _read_series(self, state: RunningState) -> None:
        session = _session_of(self._records())
        if session is None:
            return
        patient_id, today, order, unit, runs = state.patient_id, self._today(), self._order, state.unit, state.runs
        self._window.tasks.submit(  # type: ignore[attr-defined]
            lambda: (patient_id, series_of(session, patient_id, today=today, unit=unit, date_order=order, runs=runs)),
            done=self._on_series_read,
            failed=self._failed,
            context=self,
        )

    def _on_series_read(self, fetched: tuple[int, ProgressSeries | None]) -> None:
        patient_id, series = fetched
        shown = self._view.patient
        if series is None or shown is None or shown.id != patient_id:
            return  # another patient was opened meanwhile, or the role may not see clinical records
        self.last_series = series
        if self._view.current_tab == PROGRESS_TAB:
            self._draw()

    def _draw(self) -> None:
        series, shown, tab = self.last_series, self._view.patient, self.progress_tab
        if series is None or tab is None or shown is None or series.patient_id != shown.id or series is self._drawn:
            return
        if self._drawn is None or self._drawn.patient_id != series.patient_id:
            tab.reset_range()  # a new patient: the range that suits their story, not the last one's
        tab.set_series(series, self._today())
        self._drawn = series

    @Slot(int)
    def _on_progress_tab_assessment_requested(self, assessment_id: int) -> None:
        self._window.assessments.open_view(assessment_id)  # type: ignore[attr-defined]

    # Running log ----------------------------------------------------------------------------------

    def _ensure_running_log(self) -> RunningLogWidget:
        if self.running_log is None:
            from ui.running.running_log_widget import RunningLogWidget

            self.running_log = RunningLogWidget(
                self._running_service,
                self._window.tasks,
                self._order,
                self._today,  # type: ignore[attr-defined]
            )
            self.running_log.runs_changed.connect(self.refresh)
            self._view.set_tab_widget(RUNNING_LOG_TAB, self.running_log)
        return self.running_log

    def _running_service(self) -> RunningLogService | None:
        session = _session_of(self._records())
        return session.running_log if session is not None else None

    def _show_state_in_log(self) -> None:
        if self.running_log is None:
            return
        state = self._state
        if state is None:  # no clinical access: the view hides the tab
            return
        may_edit = bool(self._window.may_write(Action.EDIT_CLINICAL))  # type: ignore[attr-defined]
        self.running_log.show_patient(state.patient_id, list(state.runs), state.unit, may_edit=may_edit)

    def _failed(self, error: CalfDeskError) -> None:
        self._window.show_expected_error(error)  # type: ignore[attr-defined]


def _session_of(records: Records) -> ClinicSession | None:
    """A logged-in session; a bare store (tests of the window alone) has no running log or charts."""
    from workstation.services.session import ClinicSession

    return records if isinstance(records, ClinicSession) else None


def _running_state(
    session: ClinicSession | None, patient_id: int, today: date, order: DateOrder
) -> RunningState | None:
    """Runs on the database thread."""
    if session is None:
        return None
    from workstation.running.alerts import load_alerts

    try:
        runs = tuple(session.running_log.runs(patient_id))
    except PermissionDenied:
        return None
    unit = session.clinic_settings.distance_unit()
    alerts = load_alerts(runs, today=today, unit=unit, date_order=order)
    return RunningState(patient_id, runs, unit, tuple(alert.message for alert in alerts))


def series_of(
    session: ClinicSession,
    patient_id: int,
    *,
    today: date,
    unit: DistanceUnit,
    date_order: DateOrder,
    runs: tuple[RunRecord, ...] | None = None,
) -> ProgressSeries | None:
    """Runs on the database thread: everything the charts draw, read and computed (None: no access).
    ``runs``: the patient's runs as the record's opening just read them."""
    from workstation.progress.series import build_progress

    try:
        inputs = session.progress.inputs(patient_id, runs=runs)
    except PermissionDenied:
        return None
    return build_progress(inputs, today=today, unit=unit, date_order=date_order)
