"""Where the window was, how the list was split and how wide its columns were, kept between sessions.

Stored with QSettings in an INI file in the user's config folder (the same file on every platform, so
tests can point it at a temporary folder with ``QSettings.setPath``). A schema number guards the format:
state saved by a different layout is ignored rather than restored wrongly.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

ORGANISATION = "CalfDesk"
APPLICATION = "CalfDesk"
SCHEMA = 1
_KEYS = {
    "schema": "window/schema",
    "geometry": "window/geometry",
    "state": "window/state",
    "splitter": "window/splitter",
    "columns": "window/patientColumns",
}


def open_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


class WindowStateStore:
    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def restore(self, window: QMainWindow, splitter: QSplitter, columns: QHeaderView) -> bool:
        """Put back the saved layout; False (and nothing changed) when there is none to trust."""
        if self._settings.value(_KEYS["schema"]) not in (SCHEMA, str(SCHEMA)):
            return False
        restored = window.restoreGeometry(self._bytes("geometry"))
        restored = window.restoreState(self._bytes("state")) and restored
        restored = splitter.restoreState(self._bytes("splitter")) and restored
        return columns.restoreState(self._bytes("columns")) and restored

    def save(self, window: QMainWindow, splitter: QSplitter, columns: QHeaderView) -> None:
        self._settings.setValue(_KEYS["schema"], SCHEMA)
        self._settings.setValue(_KEYS["geometry"], window.saveGeometry())
        self._settings.setValue(_KEYS["state"], window.saveState())
        self._settings.setValue(_KEYS["splitter"], splitter.saveState())
        self._settings.setValue(_KEYS["columns"], columns.saveState())
        self._settings.sync()

    def _bytes(self, name: str) -> QByteArray:
        value = self._settings.value(_KEYS[name])
        return value if isinstance(value, QByteArray) else QByteArray()
