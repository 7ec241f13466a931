"""A date typed as the clinic writes it (02/04/1990): quicker and clearer than a date spinner."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QWidget

from workstation.dates import DateOrder, format_date, parse_date

_EXAMPLE = date(1990, 4, 2)  # day and month differ, so the example shows which comes first


def date_format_hint(order: DateOrder) -> str:
    return f"Type the date as {order.pattern}, for example {format_date(_EXAMPLE, order)}."


def spoken_date(day: date) -> str:
    """Month in words, so that 02/04 cannot be misread as 4 February: "2 April 1990"."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


class DateLineEdit(QLineEdit):
    def __init__(self, order: DateOrder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._order = order
        self.setPlaceholderText(order.pattern)
        self.setMaxLength(10)
        self.setClearButtonEnabled(False)

    @property
    def order(self) -> DateOrder:
        return self._order

    def is_blank(self) -> bool:
        return not self.text().strip()

    def date(self) -> date | None:
        """The typed date, or None when the text is blank or not a real date."""
        return parse_date(self.text(), self._order)

    def set_date(self, day: date | None) -> None:
        self.setText(format_date(day, self._order) if day else "")
