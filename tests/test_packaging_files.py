"""The files an installer puts beside the program: a valid menu entry and an icon Qt can draw."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import resources

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"


def test_the_desktop_entry_is_valid_and_starts_calfdesk() -> None:
    entry = PACKAGING / "calfdesk.desktop"
    validator = shutil.which("desktop-file-validate")
    assert validator, "desktop-file-validate is missing: scripts/bootstrap.sh test installs desktop-file-utils"
    result = subprocess.run([validator, str(entry)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.read(entry, encoding="utf-8")
    assert parsed["Desktop Entry"]["Exec"] == "calfdesk"
    assert parsed["Desktop Entry"]["Icon"] == "calfdesk"


def test_the_icon_is_shipped_inside_the_package() -> None:
    icon = resources.path("calfdesk.svg")
    assert icon.read_text(encoding="utf-8").lstrip().startswith("<?xml")
