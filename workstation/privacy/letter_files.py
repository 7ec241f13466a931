"""Each letter of a subject-access export as its own PDF, byte for byte as finalised (RELIABILITY.md G1).

The bytes come from the export's own snapshot (the ``pdf`` column, read as an RFC 2397 ``data:`` URI with
base64 content), so the files beside the JSON are exactly the letters in it. Each is checked against the
SHA-256 and size stored when it was finalised: a letter changed since would be handed to the patient as
if it were the one sent, so the whole export is refused instead.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workstation.errors import LetterDamaged
from workstation.privacy.export_names import letter_id, letter_reference
from workstation.privacy.ports import StoredRow

_BASE64_SUFFIX = ";base64"


@dataclass(frozen=True, slots=True)
class LetterFile:
    letter_id: int
    name: str
    content: bytes


class ExportedLetterDamaged(LetterDamaged):
    """A letter of the export no longer matches its fingerprint; ``audit_detail`` names it by id only."""

    def __init__(self, row: StoredRow, read_sha256: str) -> None:
        super().__init__(
            f"Letter {letter_reference(row)} is damaged: its stored PDF no longer matches the one finalised, "
            "so the export was stopped.",
            hint="No file was written. Restore the most recent backup, or ask for help.",
        )
        finalised = str(row.get("sha256") or "")[:12]
        self.audit_detail = f"letter {row.get('id')} damaged: sha256 {finalised} finalised, {read_sha256[:12]} read"


def letter_files(rows: Sequence[StoredRow], names: Mapping[int, str]) -> list[LetterFile]:
    """The PDF of each letter row, checked, under its name from ``names`` (by row id).

    Raises:
        ExportedLetterDamaged: a letter's bytes are unreadable, or differ from its SHA-256 or size.
    """
    return [LetterFile(letter_id(row), names[letter_id(row)], _checked_pdf(row)) for row in rows]


def _checked_pdf(row: StoredRow) -> bytes:
    content = pdf_bytes(row.get("pdf"))
    read = hashlib.sha256(content).hexdigest() if content is not None else "unreadable"
    size = row.get("size_bytes")
    if content is None or read != row.get("sha256") or (isinstance(size, int) and size != len(content)):
        raise ExportedLetterDamaged(row, read)
    return content


def pdf_bytes(value: object) -> bytes | None:
    """The bytes of a ``data:[<media type>];base64,<data>`` URI (RFC 2397), or None if it is not one."""
    if not isinstance(value, str) or not value.startswith("data:"):
        return None
    header, comma, data = value.partition(",")
    if not comma or not header.endswith(_BASE64_SUFFIX):
        return None
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None
