"""The clinic's calendar day. Clinical dates are local dates; the machine's time zone decides the day."""

from __future__ import annotations

from datetime import UTC, date, datetime


def local_today() -> date:
    return datetime.now(UTC).astimezone().date()
