"""Clinical dates as the clinic writes them (02/04/1990 in the UK and Australia, 04/02/1990 in the US)."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum


class DateOrder(Enum):
    DAY_MONTH_YEAR = "dmy"
    MONTH_DAY_YEAR = "mdy"

    @property
    def pattern(self) -> str:
        return "DD/MM/YYYY" if self is DateOrder.DAY_MONTH_YEAR else "MM/DD/YYYY"


_CLINIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def format_date(day: date, order: DateOrder) -> str:
    if order is DateOrder.DAY_MONTH_YEAR:
        return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"


def parse_date(text: str, order: DateOrder) -> date | None:
    """A date typed in the clinic's order or in ISO form; None when it is not a real date."""
    text = text.strip()
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _CLINIC_DATE.match(text):
        first, second, year = (int(g) for g in match.groups())
        day, month = (first, second) if order is DateOrder.DAY_MONTH_YEAR else (second, first)
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
