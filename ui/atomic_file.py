"""Writing a file whole or not at all: a half-written JSON document would read as one that breaks the
contract, a half-written PNG as a broken picture.

Qt-free, for the command line and the window alike.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from workstation.errors import CalfDeskError


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) whole or not at all (see ``write_bytes_atomically``)."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path``, fsync it, then rename it over ``path`` (a PNG, a PDF, a JSON file).

    Raises:
        CalfDeskError: the folder could not be written; nothing was left behind.
    """
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise CalfDeskError(f"Cannot write {path}: {error.strerror or error}.", hint="Nothing was written.") from None
