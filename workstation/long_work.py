"""Long work that reports how far it has got and can be stopped (ARCHITECTURE.md 3.2).

Core functions that may take more than about half a second take a ``Progress``; ``ui/tasks.py`` turns
its reports into signals, the command line prints them. Cancelling is cooperative: the work checks
``cancel_requested`` between steps and raises ``Cancelled``, and whatever it was writing is rolled back.
"""

from __future__ import annotations

from typing import Protocol

from workstation.errors import CalfDeskError


class Cancelled(CalfDeskError):
    """The user stopped the work; nothing it was writing was kept."""

    def __init__(self, message: str = "Cancelled: nothing was saved.") -> None:
        super().__init__(message)


class Progress(Protocol):
    def report(self, done: int, total: int, status: str) -> None:
        """``done`` of ``total`` steps are finished; ``status`` says what is under way (no patient names)."""

    @property
    def cancel_requested(self) -> bool: ...


class NoProgress:
    """For callers that neither watch nor cancel (tests, scripts)."""

    def report(self, done: int, total: int, status: str) -> None:
        pass

    @property
    def cancel_requested(self) -> bool:
        return False


NO_PROGRESS = NoProgress()


def check_cancelled(progress: Progress) -> None:
    """Raise ``Cancelled`` if the user asked to stop."""
    if progress.cancel_requested:
        raise Cancelled()
