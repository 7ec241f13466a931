"""The About dialog's screenshot, for ``scripts.screenshots`` (one call per variant: light, dark, 200 %).

A logged-in physio's main window, then Help › About CalfDesk… from its real menu: the version and the facts
for a support call at the top; below them the list of what CalfDesk includes, gone down with the arrow key
from the filter box to Qt for Python, whose licence (the LGPL) is on show.

Run alone for a quick look: ``python -m scripts.screenshots_about --out /tmp/about-shots [--dark]``.
Dialogs are shown with show()/open(), never exec().
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import db
from scripts import screenshots as shots
from ui.about_dialog import AboutDialog
from workstation.audit.auditor import Auditor
from workstation.services.accounts import Accounts

SHOWN = "PySide6"  # the component whose licence is on show


def shoot_about(folder: Path, suffix: str) -> None:
    """The About picture of one variant into the screenshots folder (``suffix``: "", "-dark", "-200")."""
    store = db.open_database(f"sqlite:///{folder / 'about.sqlite3'}", key=shots.SHOT_KEY)
    accounts = Accounts(store.users, Auditor(store.audit, shots.WORKSTATION, shots.CLOCK))
    login = accounts.create_owner(*shots.OWNER)
    desktop, window = shots._open_window(store, login)
    shots._wait_until(lambda: window.directory.ready)
    shots._trigger_menu(window, "Help", "About CalfDesk…")
    dialog = shots._wait_for_child(window, AboutDialog)
    for _row in range(dialog.model.rowCount()):  # Down, from where the dialog puts the cursor
        if _shown_name(dialog).startswith(SHOWN):
            break
        QTest.keyClick(dialog.filter, Qt.Key.Key_Down)
    shots._wait_until(lambda: _shown_name(dialog).startswith(SHOWN))
    shots._save(dialog, f"about{suffix}")
    dialog.reject()
    shots._close(desktop)
    store.close()


def _shown_name(dialog: AboutDialog) -> str:
    return dialog.shown.name if dialog.shown is not None else ""


def main() -> int:
    return shots.run_alone(__doc__ or "", shoot_about)


if __name__ == "__main__":
    sys.exit(main())
