"""How backups are described to people: local dates and times, sizes in words they know."""

from __future__ import annotations

from datetime import datetime

_UNITS = ("bytes", "KB", "MB", "GB", "TB")


def format_moment(moment: datetime) -> str:
    """ "18 March 2026 at 14:05", in this computer's time zone (names spell the month: no day/month order
    to get wrong)."""
    local = moment.astimezone()
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def format_size(size: int) -> str:
    value = float(size)
    for unit in _UNITS:
        if value < 1000 or unit == _UNITS[-1]:
            return f"{size:,} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")
