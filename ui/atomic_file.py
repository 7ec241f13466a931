"""Writing a file whole or not at all: a half-written JSON document would read as one that breaks the contract.

Qt-free, for the command line and the window alike.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from workstation.errors import CalfDeskError


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) beside ``path``, fsync it, then rename it over ``path``.

    Raises:
        CalfDeskError: the folder could not be written; nothing was left behind.
    """
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(text.encode("utf-8"))
                stream.flush()
                os.fsync(stream.fileno())
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise CalfDeskError(f"Cannot write {path}: {error.strerror or error}.", hint="Nothing was written.") from None
