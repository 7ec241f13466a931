"""The files the command line reads and writes for its exports and imports, checked before anything is done.

Qt-free like the rest of the command line. A file to write is refused before the database is touched when
it exists (without ``--force``), is a folder, or sits in a folder that is missing or not writable, so an
export that cannot be written is not audited as made. A file to read gives one plain line for every way
it can fail (missing, a folder, no permission), never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from workstation.errors import CalfDeskError


def output_file(path: Path, *, force: bool, example: str) -> Path:
    """``path`` checked for writing: a new file (or ``force``) in a folder that exists and can be written.

    Raises:
        CalfDeskError: it cannot be written, in words that say what to change (``example`` is a file name).
    """
    path = path.expanduser()
    if path.is_dir():
        raise CalfDeskError(f"{path} is a folder.", hint=f"Give --out a file name, e.g. {example}.")
    if path.exists() and not force:
        raise CalfDeskError(f"{path} already exists.", hint="Add --force to replace it; nothing was written.")
    folder = path.parent
    if not folder.is_dir():
        raise CalfDeskError(f"There is no folder {folder}.", hint="Make it first, or check --out; nothing was written.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CalfDeskError(f"Cannot write to the folder {folder}.", hint="Check --out; nothing was written.")
    return path


def read_input(path: Path, *, at_most: int) -> bytes:
    """The file's bytes, up to ``at_most`` + 1 (one over is enough for the reader to refuse it as too big).

    Raises:
        CalfDeskError: it cannot be read (missing, a folder, no permission): one line naming the file.
    """
    path = path.expanduser()
    try:
        with path.open("rb") as stream:
            return stream.read(at_most + 1)
    except OSError as error:
        raise CalfDeskError(f"Cannot read {path}: {error.strerror or error}.", hint="Nothing was imported.") from None
