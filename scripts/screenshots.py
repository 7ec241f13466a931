"""Screenshots of the real main window on made-up patients, for the user guide and for review.

Run by ``make screenshots`` (``python -m scripts.screenshots`` under Xvfb; QT_QPA_PLATFORM=offscreen also
works). Each variant runs in a process of its own, because the scale factor must be set before Qt starts:
light, dark (a dark palette) and 200 % (QT_SCALE_FACTOR=2). PNGs go to docs/screenshots/.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget

import db
from ui.clock import local_today
from ui.main_window import MainWindow
from ui.patients.patient_editor import PatientEditorDialog
from workstation.demo import generate_episodes, generate_patients
from workstation.ports import ClinicStore

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
WINDOW_SIZE = (1280, 800)
DEMO_PATIENTS = 2_000
DEMO_SEED = 7
VARIANTS = {"light": {}, "dark": {}, "200": {"QT_SCALE_FACTOR": "2"}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variant", choices=sorted(VARIANTS), help="take one variant in this process")
    args = parser.parse_args()
    if args.variant:
        return _take_variant(args.variant)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for variant, env in VARIANTS.items():
        command = [sys.executable, "-m", "scripts.screenshots", "--variant", variant]
        result = subprocess.run(command, env={**os.environ, **env}, check=False)
        if result.returncode:
            print(f"screenshots: the {variant} variant failed", file=sys.stderr)
            return result.returncode
    print(f"screenshots written to {OUTPUT}")
    return 0


def _take_variant(variant: str) -> int:
    app = QApplication(sys.argv)
    app.setStyle("Fusion")  # the same look under Xvfb and offscreen, whatever the desktop
    if variant == "dark":
        app.setPalette(_dark_palette())
    suffix = "" if variant == "light" else f"-{variant}"
    with tempfile.TemporaryDirectory(prefix="calfdesk-screens-") as folder:
        # Never read or write the real user's window settings.
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        _shoot_first_run(Path(folder), suffix)
        _shoot_clinic(Path(folder), suffix)
    app.quit()
    return 0


def _shoot_first_run(folder: Path, suffix: str) -> None:
    store = db.open_database(f"sqlite:///{folder / 'empty.sqlite3'}")
    window = _show(MainWindow(store))
    _wait_until(lambda: window.first_run.isVisible())
    _save(window, f"first-run{suffix}")
    window.close()
    store.close()


def _shoot_clinic(folder: Path, suffix: str) -> None:
    store = db.open_database(f"sqlite:///{folder / 'clinic.sqlite3'}")
    _fill(store)
    window = _show(MainWindow(store))
    _wait_until(lambda: window.directory.ready)
    first_id = window.patient_list.selected_patient_id()
    assert first_id is not None
    window.open_patient(first_id)
    _wait_until(lambda: window.patient_view.patient is not None)
    _save(window, f"main-window{suffix}")
    _type_search(window, "ng")
    _save(window, f"search-ng{suffix}")
    _open_patient_with_episodes(window, store)
    _save(window, f"patient-view{suffix}")
    _shoot_editor(window, suffix)
    window.close()
    store.close()
    _shoot_read_only(folder / "clinic.sqlite3", suffix)


def _shoot_read_only(path: Path, suffix: str) -> None:
    """The banner's notice colours, which must read well in light and dark."""
    store = db.open_database(f"sqlite:///{path}", read_only=True)
    window = _show(MainWindow(store))
    _wait_until(lambda: window.directory.ready)
    window.banner.show_message("The database is in use by another program. Nothing was lost.")
    _save(window, f"read-only{suffix}")
    window.close()
    store.close()


def _fill(store: ClinicStore) -> None:
    today = local_today()
    store.patients.add_many(generate_patients(DEMO_PATIENTS, DEMO_SEED, today))
    people = [(s.id, s.date_of_birth) for s in store.patients.summaries()]
    store.episodes.add_many(generate_episodes(people, DEMO_SEED, today))


def _open_patient_with_episodes(window: MainWindow, store: ClinicStore) -> None:
    """Nguyễn Thị Minh, or whoever in the demo has the most episodes of care."""
    for summary in store.patients.first_page(DEMO_PATIENTS):
        if len(store.episodes.for_patient(summary.id)) >= 2:
            break
    window.patient_list.clear_search()
    window.patient_list.select_patient(summary.id)
    window.open_patient(summary.id)
    _wait_until(lambda: getattr(window.patient_view.patient, "id", None) == summary.id)


def _shoot_editor(window: MainWindow, suffix: str) -> None:
    window.new_patient_action.trigger()
    editor = window.findChild(PatientEditorDialog)
    assert editor is not None
    typed = {"family_name": "Nguyễn", "given_name": "Thị Lan", "date_of_birth": "02/04/1990"}
    typed |= {"nhs_number": "943 476 5918", "email": "lan.nguyen@example"}
    for key, text in typed.items():
        field = editor.form.fields[key]
        assert isinstance(field, QLineEdit)
        field.insert(text)
    editor.save()  # refused: the problems appear beside their fields, nothing is written
    _wait_until(lambda: editor.form.messages["nhs_number"].isVisible())
    _save(editor, f"editor-validation{suffix}")
    editor.done(QDialog.DialogCode.Rejected)  # close without the "discard changes?" question


def _show(window: MainWindow) -> MainWindow:
    window.resize(*WINDOW_SIZE)
    window.show()
    return window


def _type_search(window: MainWindow, text: str) -> None:
    field = window.patient_list.search
    field.setFocus()
    QTest.keyClicks(field, text)
    _wait_until(lambda: not window.patient_list.query_pending)


def _wait_until(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QTest.qWait(20)
    QTest.qWait(100)  # let the last change paint


def _save(widget: QWidget, name: str) -> None:
    path = OUTPUT / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


def _dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#35373b",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9a9da3",
        QPalette.ColorRole.ToolTipBase: "#35373b",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Link: "#8ab4f8",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7d8086"))
    return palette


if __name__ == "__main__":
    sys.exit(main())
