"""Rendering a batch's letters in worker processes while the main process reads and stores the others.

Laying a letter out is most of a batch's time and needs nothing but the composed ``Letter`` (plain, picklable
data): no database, no session, no Qt. So a batch of letters hands each composed letter to a pool of worker
processes and takes the rendered PDF back when its turn to be stored comes. The database stays in the main
process alone; workers are started fresh ("forkserver", or "spawn" where there is no fork), never forked
from a process that holds SQLCipher connections, so no connection, lock or key is ever shared with them.

A worker's start (interpreter, ReportLab, fonts: about half a second) is paid once per batch, so only
batches of ``POOL_MIN_LETTERS`` or more use a pool; one letter, a short batch or a one-core machine render in
the calling process, exactly as before. A frozen build works the same way, because its entry point hands
multiprocessing's own runs of the executable to ``multiprocessing.freeze_support()``. If a worker dies, its
letter and every later one are rendered in the calling process: the batch is slower, never different.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from workstation.letters.document import Letter, RenderedLetter

POOL_MIN_LETTERS = 8  # below this, starting workers costs more than it saves
MAX_WORKERS = 8  # beyond this the main process (reading facts, storing) is the bottleneck anyway
_log = logging.getLogger(__name__)

Rendering = Callable[[], "RenderedLetter"]  # the rendered letter, waited for when it is needed


class LetterRenderer(Protocol):
    """Where a batch's letters are rendered; a context manager that stops its workers on leaving."""

    ahead: int  # how many letters may be waiting to be stored while others render

    def submit(self, letter: Letter) -> Rendering: ...

    def __enter__(self) -> LetterRenderer: ...

    def __exit__(self, *exc: object) -> None: ...


def render_here(letter: Letter) -> RenderedLetter:
    """Render ``letter`` in this process (the fonts registered once per process)."""
    from reports.fonts import register_fonts
    from reports.letters import render_letter

    register_fonts()
    return render_letter(letter)


class InProcessRenderer:
    """Renders each letter when it is asked for, in the calling process: nothing is rendered ahead."""

    ahead = 0

    def submit(self, letter: Letter) -> Rendering:
        return lambda: render_here(letter)

    def __enter__(self) -> InProcessRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class PoolRenderer:
    """Renders letters in ``workers`` worker processes, started on entering and stopped on leaving."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.ahead = 2 * workers  # enough to keep every worker busy while the oldest is stored
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PoolRenderer:
        context = multiprocessing.get_context(_start_method())
        if context.get_start_method() == "forkserver":  # each worker forks with the renderer already loaded
            context.set_forkserver_preload(["reports.letters", "ui.letter_pool"])
        self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            # Letters rendered ahead for patients a stopped batch never reached are simply dropped.
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, letter: Letter) -> Rendering:
        if self._pool is None:
            return lambda: render_here(letter)
        try:
            future: Future[RenderedLetter] = self._pool.submit(render_in_worker, letter)
        except (BrokenProcessPool, RuntimeError):
            self._lost_workers()
            return lambda: render_here(letter)
        return lambda: self._result(future, letter)

    def _result(self, future: Future[RenderedLetter], letter: Letter) -> RenderedLetter:
        try:
            return future.result()
        except BrokenProcessPool:  # a worker was killed (out of memory, by hand): this letter is not lost
            self._lost_workers()
            return render_here(letter)

    def _lost_workers(self) -> None:
        if self._pool is not None:
            _log.warning("letter rendering workers stopped; rendering the rest of the batch in this process")
            self._pool.shutdown(wait=True, cancel_futures=True)  # a broken pool has already stopped its workers
            self._pool = None


def letter_renderer(letters: int, workers: int | None = None) -> LetterRenderer:
    """The renderer for a batch of ``letters``: a pool of ``workers`` processes (None: one per core, when
    the batch is long enough and a pool can be started here), or, with 0 workers, this process."""
    count = worker_count(letters) if workers is None else workers
    return PoolRenderer(count) if count > 0 else InProcessRenderer()


def worker_count(letters: int) -> int:
    """One worker per core this process may use, for a batch long enough to be worth starting them."""
    if letters < POOL_MIN_LETTERS:
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, MAX_WORKERS, letters)


def _start_method() -> str:
    """"forkserver": workers forked from a clean server process that has loaded ReportLab once; "spawn"
    where there is no fork (Windows). Never "fork": this process holds database connections."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        return "forkserver"
    return "spawn"


# In the worker ----------------------------------------------------------------------------------------


def _start_worker() -> None:
    # Ctrl+C is the main process's to handle: it stops the batch and then the workers, in that order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from reports.fonts import register_fonts

    register_fonts()


def render_in_worker(letter: Letter) -> RenderedLetter:
    """A worker's task: ``letter`` rendered (top level, so that it can be named to another process)."""
    from reports.letters import render_letter

    return render_letter(letter)
