"""A block of flowables that must not be split from itself: a figure with its caption, an exercise card."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether


class KeptTogether(KeepTogether):  # type: ignore[misc]  # ReportLab has no type hints
    """A block that must not be split from itself (a figure with its caption, an exercise card)."""

    def __init__(self, parts: list[Flowable]) -> None:
        super().__init__(parts)
        self.parts = parts

    def led_by(self, heading: Flowable) -> KeptTogether:
        """The same block with ``heading`` kept on its page, so a heading never ends a page alone."""
        return KeptTogether([heading, *self.parts])
