"""Practice-wide settings as key and text (implements ``workstation.ports.SettingsStore``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from db.mapping import as_utc
from db.models import SettingRow
from db.sessions import Sessions


class SqlSettingsStore:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def get(self, key: str) -> str | None:
        with self._sessions.read() as session:
            return session.scalar(select(SettingRow.value).where(SettingRow.key == key))

    def put(self, key: str, value: str, *, at: datetime, by: int | None) -> None:
        """Insert or replace one setting, in one transaction."""
        with self._sessions.write() as session:
            row = session.get(SettingRow, key)
            if row is None:
                row = SettingRow(key=key)
                session.add(row)
            row.value = value
            row.updated_at = as_utc(at)
            row.updated_by = by
