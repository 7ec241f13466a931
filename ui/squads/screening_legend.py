"""What the grid's colours mean, and the line under the grid that says what the current cell wants."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.squads.screening_model import GridRow, measure_of
from ui.squads.screening_values import range_text, with_unit
from ui.squads.squad_style import FLAG_LEVEL_WORDS, TINTED_LEVELS, flag_text_colour, flag_tint
from workstation.dates import DateOrder, format_date
from workstation.squads.views import FlagLevel, ScreeningFlag

LEVEL_MEANINGS = {
    FlagLevel.ALERT: "assess before training",
    FlagLevel.CAUTION: "look again before loading",
    FlagLevel.INFO: "worth knowing",
}
MOVING_HINT = "Enter or Tab: next cell."


def cell_hint(row: GridRow, column: int, order: DateOrder, *, read_only: bool) -> str:
    """ "Heel raise L: 0 to 150 reps. Last screening (12/03/2026): 28 reps. Enter or Tab: next cell." """
    measure = measure_of(column)
    if measure is None:
        return "" if read_only else MOVING_HINT
    parts = [f"{measure.label}: {range_text(measure)}."]
    previous = row.source.previous
    if previous is not None and measure.key in previous.values:
        when = format_date(previous.held_on, order)
        parts.append(f"Last screening ({when}): {with_unit(previous.values[measure.key], measure)}.")
    if not read_only:
        parts.append(MOVING_HINT)
    return " ".join(parts)


class FlagLegendWidget(QWidget):
    """A chip per flag level, tinted as the cells are, with its meaning in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flagLegend")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.chips: dict[FlagLevel, QLabel] = {}
        for level in sorted(TINTED_LEVELS, key=lambda lv: lv.rank):  # a note is only written, never tinted
            chip = QLabel(f"{FLAG_LEVEL_WORDS[level]}: {LEVEL_MEANINGS[level]}")
            chip.setObjectName(f"legend_{level.value}")
            layout.addWidget(chip)
            self.chips[level] = chip
        self._paint_chips()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_chips()
        super().changeEvent(event)

    def _paint_chips(self) -> None:
        for level, chip in self.chips.items():
            tint = flag_tint(level, self.palette())
            colours = f"background: {tint.background.name()}; color: {tint.text.name()};"
            chip.setStyleSheet(f"{colours} padding: 2px 6px; border-radius: 3px;")


class RowFlagsLabel(QLabel):
    """Every flag of one athlete in full, with their levels in words: the grid's and the dashboard's Flags
    columns are narrower, so the row with the cursor is spelled out under them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rowFlags")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self._shown: tuple[str, tuple[ScreeningFlag, ...], bool] | None = None
        self.hide()

    def show_row(self, row: GridRow | None) -> None:
        """The grid's current row."""
        if row is None:
            self.show_flags(None)
        else:
            self.show_flags(row.source.member.display_name, row.flags, measured=row.screened)

    def show_flags(self, name: str | None, flags: Sequence[ScreeningFlag] = (), *, measured: bool = False) -> None:
        """``name``'s flags (None: nobody chosen); "no flags" only for someone measured."""
        self._shown = None if name is None else (name, tuple(flags), measured)
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self._shown is not None:
            self._render()  # the level words' colours follow the light or dark scheme
        super().changeEvent(event)

    def _render(self) -> None:
        if self._shown is None or not (self._shown[1] or self._shown[2]):
            self.clear()
            self.hide()
            return
        name, flags, _measured = self._shown
        parts = []
        for flag in sorted(flags, key=lambda f: f.level.rank):
            colour = flag_text_colour(flag.level, self.palette()).name()
            word = html.escape(FLAG_LEVEL_WORDS[flag.level])
            parts.append(f'<span style="color:{colour}; font-weight:bold">{word}:</span> {html.escape(flag.text)}')
        self.setText(f"<b>{html.escape(name)}</b>: " + (" · ".join(parts) if parts else "no flags."))
        self.show()
