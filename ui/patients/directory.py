"""Every patient's list row and the search index, loaded without ever blocking the window.

Start-up shows the first page of the list at once; all summaries are then streamed on the database
thread and indexed on the compute thread. Until the index is ready a query cannot be answered
(``search`` returns None), and patients saved meanwhile are kept and added once it is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ui.tasks import Lane, TaskRunner
from workstation.dates import DateOrder
from workstation.errors import CalfDeskError
from workstation.list_order import ranked_key
from workstation.ports import PatientRepository
from workstation.records import PatientSummary

if TYPE_CHECKING:
    from workstation.search import IdArray, PatientSearchIndex

FIRST_PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class _FirstPage:
    rows: list[PatientSummary]
    total: int


@dataclass(frozen=True, slots=True)
class _Built:
    index: PatientSearchIndex
    summaries: dict[int, PatientSummary]


class PatientDirectory(QObject):
    first_page_loaded = Signal()
    index_built = Signal()
    load_failed = Signal(object)  # the CalfDeskError, for the window to show

    def __init__(
        self, patients: PatientRepository, tasks: TaskRunner, date_order: DateOrder, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._patients = patients
        self._tasks = tasks
        self._date_order = date_order
        self._summaries: dict[int, PatientSummary] = {}
        self._first_page_ids: list[int] = []
        self._index: PatientSearchIndex | None = None
        self._total: int | None = None
        self._saved_while_loading: list[PatientSummary] = []
        self._removed_while_loading: set[int] = set()
        self._cancelled = threading.Event()
        self._loading_everything = False

    @property
    def loaded(self) -> bool:
        """The first page has arrived, so the list can show something."""
        return self._total is not None

    @property
    def ready(self) -> bool:
        """The index is built, so every query can be answered."""
        return self._index is not None

    @property
    def total(self) -> int:
        return len(self._index) if self._index is not None else self._total or 0

    @property
    def summaries(self) -> Mapping[int, PatientSummary]:
        return self._summaries

    def start_loading(self, page_size: int = FIRST_PAGE_SIZE) -> None:
        """Fetch the first page of the list (``first_page_loaded``)."""
        patients = self._patients
        self._tasks.submit(
            lambda: _FirstPage(patients.first_page(page_size), patients.count()),
            done=self._on_first_page_fetched,
            failed=self._on_load_failed,
            context=self,
        )

    def load_everything(self) -> None:
        """Stream every summary and build the index (``index_built``); a second call does nothing.

        The window calls this once the first page has painted: streaming 100,000 rows holds the
        interpreter for a second or two, and during start-up that second belongs to the first paint.
        """
        if self._loading_everything or self._cancelled.is_set():
            return  # already under way, or the window closed before a queued start came round
        self._loading_everything = True
        # NumPy loads here, on the main thread: OpenBLAS starts its worker threads when NumPy is first
        # imported, and threads started from a pool thread would outlive the pool under its name.
        import workstation.search  # noqa: F401
        self._tasks.submit(
            self._fetch_all, done=self._on_all_fetched, failed=self._on_load_failed, context=self
        )

    def cancel(self) -> None:
        """Stop streaming summaries (the window is closing)."""
        self._cancelled.set()

    def search(self, text: str) -> IdArray | tuple[int, ...] | None:
        """Matching ids in list order; None while the index is not ready and ``text`` is a query."""
        if self._index is not None:
            return self._index.search(text)
        if text.strip():
            return None
        return tuple(self._first_page_ids)

    def upsert(self, summary: PatientSummary) -> None:
        """A patient was saved: find them by their new details from now on."""
        is_new = summary.id not in self._summaries
        self._summaries[summary.id] = summary
        if self._index is not None:
            self._index.upsert(summary)
            return
        self._saved_while_loading.append(summary)
        if is_new:
            self._total = (self._total or 0) + 1
            self._first_page_ids.append(summary.id)
        self._first_page_ids.sort(key=lambda patient_id: ranked_key(self._summaries[patient_id]))

    def remove(self, patient_id: int) -> None:
        """A patient was erased: gone from the list and from every search at once."""
        known = self._summaries.pop(patient_id, None) is not None
        if patient_id in self._first_page_ids:
            self._first_page_ids.remove(patient_id)
        self._saved_while_loading = [s for s in self._saved_while_loading if s.id != patient_id]
        if self._index is not None:
            self._index.remove(patient_id)
            return
        self._removed_while_loading.add(patient_id)  # the full list under way may still hold them
        if known and self._total:
            self._total -= 1

    def _fetch_all(self) -> list[PatientSummary]:
        """Runs on the database thread."""
        rows: list[PatientSummary] = []
        for summary in self._patients.summaries():
            if self._cancelled.is_set():
                break
            rows.append(summary)
        return rows

    def _build(self, rows: list[PatientSummary]) -> _Built:
        """Runs on the compute thread; stops early when the window closes."""
        from workstation.search import PatientSearchIndex  # loaded by load_everything()

        index = PatientSearchIndex.build(_until(self._cancelled, rows), self._date_order)
        return _Built(index, {s.id: s for s in rows})

    def _on_first_page_fetched(self, page: _FirstPage) -> None:
        # Saves run on the same database thread after this fetch, so none can be counted twice here.
        for summary in page.rows:
            self._summaries.setdefault(summary.id, summary)
        self._first_page_ids = sorted(self._summaries, key=lambda patient_id: ranked_key(self._summaries[patient_id]))
        self._total = page.total
        self.first_page_loaded.emit()

    def _on_all_fetched(self, rows: list[PatientSummary]) -> None:
        if self._cancelled.is_set():
            return
        self._tasks.submit(
            lambda: self._build(rows),
            done=self._on_index_built,
            failed=self._on_load_failed,
            context=self,
            lane=Lane.COMPUTE,
        )

    def _on_index_built(self, built: _Built) -> None:
        if self._cancelled.is_set():
            return
        self._index = built.index
        self._summaries = built.summaries
        for patient_id in self._removed_while_loading:
            self._summaries.pop(patient_id, None)
            self._index.remove(patient_id)
        self._removed_while_loading.clear()
        for summary in self._saved_while_loading:
            self._summaries[summary.id] = summary
            self._index.upsert(summary)
        self._saved_while_loading.clear()
        self.index_built.emit()

    def _on_load_failed(self, error: CalfDeskError) -> None:
        self.load_failed.emit(error)


def _until(cancelled: threading.Event, rows: list[PatientSummary]) -> Iterator[PatientSummary]:
    for row in rows:
        if cancelled.is_set():
            return
        yield row
