"""Shared bits for the running-log tests: the sample files, a fixed "today" and the clinic's time zone."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from workstation.running.csv_table import CsvTable, read_table

FILES = Path(__file__).parent / "files"
TODAY = date(2026, 4, 1)
SYDNEY = ZoneInfo("Australia/Sydney")
LONDON = ZoneInfo("Europe/London")


def sample(name: str) -> bytes:
    return (FILES / name).read_bytes()


def table_of(text: str) -> CsvTable:
    return read_table(text.encode("utf-8"))
