"""Files the app ships beside its code: icons now; the stylesheet, body chart, fonts and their licences later.

``path(name)`` finds one whether CalfDesk runs from a checkout, an installed wheel or a frozen bundle,
because each of those keeps this folder beside this module.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).parent


def path(name: str) -> Path:
    """The absolute path of a resource file, such as ``calfdesk.svg``."""
    found = FOLDER / name
    if not found.is_file():
        raise FileNotFoundError(f"CalfDesk resource missing: {name}")
    return found
