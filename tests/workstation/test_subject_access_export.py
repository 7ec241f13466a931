"""Writing a subject-access export (RELIABILITY.md G1): the JSON, the summary as text and PDF, and each letter's
PDF byte for byte as stored; a letter that no longer matches its SHA-256 refuses the whole export, and any
failure leaves no file of it behind. The PDF renderer here is a plain function standing in for ReportLab
(``tests/reports/test_subject_access_pdf.py`` and ``tests/db/test_patient_export.py`` use the real one)."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from workstation.errors import CalfDeskError, LetterDamaged
from workstation.letters.records import LetterKind, StoredLetter
from workstation.privacy.export_files import write_export
from workstation.privacy.export_names import letter_reference
from workstation.privacy.letter_files import ExportedLetterDamaged, pdf_bytes
from workstation.privacy.subject_access import PatientFile, summary_text

EXPORTED_AT = datetime(2026, 12, 2, 9, 30, 5, tzinfo=UTC)
STEM = "calfdesk-patient-7-20261202T093005Z"
UID_A, UID_B = "3f2a9c1e-77b0-4c1d-9e2f-0a1b2c3d4e5f", "8d0e4b2a-1111-4222-8333-444455556666"


def _pdf(seed: str) -> bytes:
    """PDF-like bytes holding every byte value (NULs, CR, LF): a copy must be exact, not text-mangled."""
    return b"%PDF-1.7\n" + hashlib.sha256(seed.encode()).digest() + bytes(range(256)) * 8 + b"\r\n%%EOF\r\n"


def _letter_row(letter_id: int, uid: str, content: bytes, **changes: Any) -> dict[str, Any]:
    row = {
        "id": letter_id, "uid": uid, "patient_id": 7, "kind": "gp-referral", "title": "Referral letter to GP",
        "urgency": "routine", "recipient": "Dr A Patel, Riverside Surgery", "page_count": 2,
        "author_name": "Sam Carter", "finalised_at": datetime(2026, 12, 1, 10, 20, tzinfo=UTC),
        "sha256": hashlib.sha256(content).hexdigest(), "size_bytes": len(content),
        "pdf": "data:application/pdf;base64," + base64.b64encode(content).decode("ascii"),
        "phone_called_at": None, "phone_spoken_to": None, "phone_not_called_reason": None,
    }  # fmt: skip
    return row | changes


def _file(*letters: dict[str, Any]) -> PatientFile:
    patient = {"id": 7, "given_name": "Nguyễn Thị Minh", "family_name": "<b>x</b>", "date_of_birth": date(1990, 4, 2)}
    return PatientFile(7, EXPORTED_AT, "sam.owner", {"patient": [patient], "letter": list(letters), "episode": []})


def _listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


class Renderer:
    """Records what it was asked to render and returns fixed bytes."""

    def __init__(self) -> None:
        self.calls: list[tuple[PatientFile, str]] = []

    def __call__(self, file: PatientFile, json_name: str) -> bytes:
        self.calls.append((file, json_name))
        return f"%PDF-summary of patient {file.patient_id}".encode("ascii")


def test_every_file_is_written_and_each_letter_byte_for_byte(tmp_path: Path) -> None:
    first, second = _pdf("first"), _pdf("second")
    file = _file(_letter_row(4, UID_A, first), _letter_row(5, UID_B, second))
    render = Renderer()

    written = write_export(tmp_path / "sar", file, render_pdf=render)

    assert [path.name for path in written.all] == [
        f"{STEM}.json", f"{STEM}.txt", f"{STEM}.pdf",
        f"{STEM}-letter-CD-3F2A9C1E.pdf", f"{STEM}-letter-CD-8D0E4B2A.pdf",
    ]  # fmt: skip
    assert _listing(tmp_path / "sar") == sorted(path.name for path in written.all)  # nothing else
    assert [path.read_bytes() for path in written.letters] == [first, second]
    assert render.calls == [(file, f"{STEM}.json")]
    assert written.summary_pdf.read_bytes() == b"%PDF-summary of patient 7"
    assert written.summary.read_text(encoding="utf-8") == summary_text(file, written.data.name)
    document = json.loads(written.data.read_text(encoding="utf-8"))
    assert base64.b64decode(document["tables"]["letter"][0]["pdf"].partition(",")[2]) == first


def test_the_reference_in_a_letter_file_name_is_the_one_printed_on_the_letter() -> None:
    letter = StoredLetter(
        patient_id=7, kind=LetterKind.HANDOUT, title="Home exercise programme", urgency="routine",
        recipient="Patient", sha256="0" * 64, page_count=1, size_bytes=1, author_id=1, author_name="Sam Carter",
        finalised_at=EXPORTED_AT, id=4,
    )  # fmt: skip
    assert letter_reference({"id": 4, "uid": letter.uid}) == letter.reference


def test_two_letters_sharing_a_reference_never_share_a_file(tmp_path: Path) -> None:
    twin = UID_A[:9] + "ffff-4fff-8fff-ffffffffffff"  # the same first 8 hex digits: the same reference
    file = _file(_letter_row(4, UID_A, _pdf("a")), _letter_row(9, twin, _pdf("b")))
    written = write_export(tmp_path, file, render_pdf=Renderer())
    assert [path.name for path in written.letters] == [
        f"{STEM}-letter-CD-3F2A9C1E-4.pdf", f"{STEM}-letter-CD-3F2A9C1E-9.pdf",
    ]  # fmt: skip
    assert [path.read_bytes() for path in written.letters] == [_pdf("a"), _pdf("b")]


def _damaged_rows() -> dict[str, dict[str, Any]]:
    good = _pdf("sent")
    flipped = good[:-1] + bytes([good[-1] ^ 0x01])
    return {
        "one byte changed": _letter_row(4, UID_A, good) | {"pdf": _letter_row(4, UID_A, flipped)["pdf"]},
        "fingerprint changed": _letter_row(4, UID_A, good, sha256="0" * 64),
        "cut short": _letter_row(4, UID_A, good) | {"pdf": _letter_row(4, UID_A, good[:-9])["pdf"]},
        "size changed": _letter_row(4, UID_A, good, size_bytes=len(good) + 1),
        "not base64": _letter_row(4, UID_A, good, pdf="data:application/pdf;base64,JVBER!!"),
        "not a data URI": _letter_row(4, UID_A, good, pdf="JVBERi0xLjcK"),
        "no bytes at all": _letter_row(4, UID_A, good, pdf=None),
    }


@pytest.mark.parametrize("damage", sorted(_damaged_rows()))
def test_a_letter_that_does_not_match_its_fingerprint_refuses_the_export_and_writes_nothing(
    tmp_path: Path, damage: str
) -> None:
    render = Renderer()
    file = _file(_letter_row(5, UID_B, _pdf("fine")), _damaged_rows()[damage])
    with pytest.raises(LetterDamaged, match="Letter CD-3F2A9C1E is damaged") as raised:
        write_export(tmp_path / "sar", file, render_pdf=render)
    assert not (tmp_path / "sar").exists()
    assert render.calls == []  # refused before any work on the summary
    assert isinstance(raised.value, ExportedLetterDamaged)
    assert raised.value.audit_detail.startswith("letter 4 damaged: sha256 ")
    assert "No file was written." in str(raised.value)
    assert "Nguy" not in str(raised.value) + raised.value.audit_detail


def test_a_renderer_that_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    def broken(_file: PatientFile, _json_name: str) -> bytes:
        raise RuntimeError("a bug in the layout")

    with pytest.raises(RuntimeError):
        write_export(tmp_path / "sar", _file(_letter_row(4, UID_A, _pdf("a"))), render_pdf=broken)
    assert not (tmp_path / "sar").exists()


def test_a_disk_failure_part_way_removes_every_file_already_written(tmp_path: Path) -> None:
    """The folder holds a directory where the last letter's file would go: the write of that file fails."""
    file = _file(_letter_row(4, UID_A, _pdf("a")), _letter_row(5, UID_B, _pdf("b")))
    folder = tmp_path / "sar"
    in_the_way = folder / f"{STEM}-letter-CD-8D0E4B2A.pdf.partial"
    in_the_way.mkdir(parents=True)
    with pytest.raises(CalfDeskError, match="could not be written to that folder"):
        write_export(folder, file, render_pdf=Renderer())
    assert _listing(folder) == [in_the_way.name]  # ours are gone; what was there before is untouched


def test_an_export_already_there_is_never_replaced(tmp_path: Path) -> None:
    file = _file(_letter_row(4, UID_A, _pdf("a")))
    (tmp_path / f"{STEM}-letter-CD-3F2A9C1E.pdf").write_bytes(b"someone else's")
    with pytest.raises(CalfDeskError, match="already in that folder; nothing was replaced"):
        write_export(tmp_path, file, render_pdf=Renderer())
    assert _listing(tmp_path) == [f"{STEM}-letter-CD-3F2A9C1E.pdf"]
    assert (tmp_path / f"{STEM}-letter-CD-3F2A9C1E.pdf").read_bytes() == b"someone else's"


def test_a_patient_with_no_letters_gets_the_three_files(tmp_path: Path) -> None:
    written = write_export(tmp_path, _file(), render_pdf=Renderer())
    assert written.letters == () and _listing(tmp_path) == [f"{STEM}.json", f"{STEM}.pdf", f"{STEM}.txt"]
    written.remove()
    assert _listing(tmp_path) == []


@pytest.mark.parametrize(
    ("uri", "content"),
    [
        ("data:application/pdf;base64,JVBERi0=", b"%PDF-"),
        ("data:;base64,", b""),
        ("data:application/octet-stream;base64,AAEC", b"\x00\x01\x02"),
        ("data:application/pdf,%25PDF", None),  # RFC 2397 allows percent-encoding; our export never writes it
        ("data:application/pdf;base64,JVBERi0", None),  # padding missing: not what the export writes
        ("application/pdf;base64,JVBERi0=", None),
        (b"%PDF-", None),
    ],
)
def test_data_uris_are_read_only_as_the_export_writes_them(uri: object, content: bytes | None) -> None:
    assert pdf_bytes(uri) == content
